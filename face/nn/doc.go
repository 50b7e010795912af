// Package nn holds the few neural-network operations the face models need,
// on float32 tensors in NHWC layout (one image: height, width, channels):
// convolution by im2col and a packed GEMM, depthwise convolution, pooling
// and activations. The GEMM has an AVX2/FMA kernel on amd64 and a portable
// Go kernel elsewhere; both compute the same thing.
//
// Nothing here allocates in steady state: callers own their buffers
// (see Arena) and the GEMM borrows its edge scratch from a pool.
package nn
