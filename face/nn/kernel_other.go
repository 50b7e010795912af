//go:build !amd64

package nn

var useAVX2 = false

func kernel(k int, a []float32, lda int, b, bias, c []float32, ldc int) {
	kernelGo(k, a, lda, b, bias, c, ldc)
}
