//go:build !amd64

package nn

var useAVX2 = false

var useAVX512 = false

var useConvPool = true

var useKernelN = true

func kernelN(n, k int, a []float32, lda int, b, bias, c []float32, ldc int, ep *epilogue) bool {
	return false
}

func kernel12(k int, a []float32, lda int, b, bias, c []float32, ldc int, ep *epilogue) bool {
	return false
}

func kernel(k int, a []float32, lda int, b, bias, c []float32, ldc int, ep *epilogue) {
	kernelGo(k, a, lda, b, bias, c, ldc, ep)
}

func convPool12(r0, r1, r2, r3, b, bias, o []float32, ep *epilogue) bool { return false }

func dwPixel(o, r0, r1, r2, w []float32, c int) bool { return false }

func dwRow(o, r0, r1, r2, w []float32, c, n int) bool { return false }

func maxPool2(o, r0, r1 []float32, c, n int) bool { return false }

func maxPairs(o, r []float32, c, n int) bool { return false }

func maxInto(o, a []float32) {
	a = a[:len(o)]
	for i := range o {
		o[i] = max(o[i], a[i])
	}
}

func relu(s []float32) {
	for i, v := range s {
		s[i] = max(v, 0)
	}
}

func add(o, a []float32) {
	a = a[:len(o)]
	for i := range o {
		o[i] += a[i]
	}
}

func sumReLU(o, a, b, c, d []float32) { sumReLUGo(o, a, b, c, d) }

func mulAdd(o, a, b []float32) {
	a = a[:len(o)]
	b = b[:len(o)]
	for i := range o {
		o[i] += float32(a[i] * b[i]) // rounded: never fused
	}
}
