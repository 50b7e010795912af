package workers

import "github.com/kycq/kycq/face"

// NewFaceDetector returns a face engine made with o as the detector that
// imagecheck's front-side check (doc_no_face) uses in production.
func NewFaceDetector(o face.Options) (FaceDetector, error) {
	eng, err := face.New(o)
	return FaceDetector{Engine: eng}, err
}
