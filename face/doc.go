// Package face matches a selfie (a short video, or a still image as a
// fallback) against the portrait on an identity document, in pure Go with
// no network: face detection (face-api's tiny face detector), 68 facial
// landmarks, alignment to a 150-pixel chip, and dlib's ResNet face
// descriptor (a 128-value vector; the same person lies within Euclidean
// distance ~0.6). Video frames come from ffmpeg, gated on face quality,
// scored against the document and combined; a basic liveness check looks
// for several distinct frames with natural motion.
//
// An Engine is safe for concurrent use; each call borrows a workspace from
// a pool, so steady-state matching does not allocate activations.
//
// Bad or unusable input is never an error: it is a Result whose Reasons
// carry the rules' §4 codes. An error means the check could not run and may
// be retried (ffmpeg missing, context cancelled, I/O).
package face
