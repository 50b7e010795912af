package nn

import (
	"unsafe"

	"golang.org/x/sys/cpu"
)

// useAVX2 selects the assembly kernel; tests flip it to compare both.
var useAVX2 = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// useAVX512 lets Gemm take twelve rows at a time in ZMM registers
// (kernel12AVX512: the same outputs bit for bit as kernelAVX2's, on twice
// the rows per call, where the CPU has AVX-512 and the operating system
// saves its registers, which x/sys/cpu checks); tests flip it.
var useAVX512 = useAVX2 && cpu.X86.HasAVX512F

// kernelAVX2 computes one 6×16 tile of C (kernelAVX2N with n = 1: the
// same instructions, so a panel's tiles come out the same bit for bit
// whether they are taken one call each or all in one).
func kernelAVX2(k int, a *float32, lda int, b, bias, c *float32, ldc int, ep *epilogue) {
	kernelAVX2N(1, k, a, lda, b, bias, c, ldc, ep)
}

//go:noescape
func kernelAVX2N(n, k int, a *float32, lda int, b, bias, c *float32, ldc int, ep *epilogue)

// useKernelN lets Gemm take a panel's whole tiles in one kernelAVX2N call
// instead of one kernelAVX2 call each (the same outputs); tests turn it
// off to compare.
var useKernelN = true

//go:noescape
func kernel12AVX512(k int, a *float32, lda int, b, bias, c *float32, ldc int, ep *epilogue)

//go:noescape
func convPool12AVX512(r0, r1, r2, r3, b, bias, o *float32, ep *epilogue)

//go:noescape
func convPool12AVX2(r0, r1, r2, r3, b, bias, o *float32, ep *epilogue)

// useConvPool lets ForwardMaxPool2 convolve and pool its columns in
// registers (convPool12); tests turn it off for the stack path.
var useConvPool = true

//go:noescape
func dwRowAVX2(o, r0, r1, r2, w *float32, c, n int)

//go:noescape
func dwRowAVX512(o, r0, r1, r2, w *float32, c, n int)

//go:noescape
func maxPool2AVX2(o, r0, r1 *float32, c, n int)

//go:noescape
func maxPairsAVX2(o, r *float32, c, n int)

//go:noescape
func maxIntoAVX2(o, a *float32, n int)

//go:noescape
func reluAVX2(s *float32, n int)

//go:noescape
func addAVX2(o, a *float32, n int)

//go:noescape
func sumReLUAVX2(o, a, b, c, d *float32, terms, n int)

//go:noescape
func mulAddAVX2(o, a, b *float32, n int)

// add computes o[i] += a[i] (the same sums as the scalar loop: one
// addition per element either way).
func add(o, a []float32) {
	a = a[:len(o)]
	n := 0
	if useAVX2 {
		n = len(o) / 8 * 8
		if n > 0 {
			addAVX2(&o[0], &a[0], n)
		}
	}
	for i := n; i < len(o); i++ {
		o[i] += a[i]
	}
}

// sumReLU computes o[i] = max(a[i] + (b[i] + (c[i] + d[i])), 0) over the
// terms given (c and d may be nil): the same additions, right to left,
// and the same maximum as add and relu, eight at a time.
func sumReLU(o, a, b, c, d []float32) {
	terms := 2
	var pc, pd *float32
	a, b = a[:len(o)], b[:len(o)]
	if c != nil {
		c = c[:len(o)]
		terms = 3
		if d != nil {
			d = d[:len(o)]
			terms = 4
		}
	}
	n := 0
	if useAVX2 {
		n = len(o) / 8 * 8
		if n > 0 {
			if c != nil {
				pc = &c[0]
			}
			if d != nil {
				pd = &d[0]
			}
			sumReLUAVX2(&o[0], &a[0], &b[0], pc, pd, terms, n)
		}
	}
	sumReLUGo(o[n:], a[n:], b[n:], sliceFrom(c, n), sliceFrom(d, n))
}

// sliceFrom is s[n:], or nil for a nil s.
func sliceFrom(s []float32, n int) []float32 {
	if s == nil {
		return nil
	}
	return s[n:]
}

// mulAdd computes o[i] += a[i]*b[i] (each product rounded, then added:
// the same as the scalar loop, eight at a time).
func mulAdd(o, a, b []float32) {
	a = a[:len(o)]
	b = b[:len(o)]
	n := 0
	if useAVX2 {
		n = len(o) / 8 * 8
		if n > 0 {
			mulAddAVX2(&o[0], &a[0], &b[0], n)
		}
	}
	for i := n; i < len(o); i++ {
		o[i] += float32(a[i] * b[i]) // rounded: never fused
	}
}

// relu computes s[i] = max(s[i], 0).
func relu(s []float32) {
	n := 0
	if useAVX2 {
		n = len(s) / 8 * 8
		if n > 0 {
			reluAVX2(&s[0], n)
		}
	}
	for i := n; i < len(s); i++ {
		s[i] = max(s[i], 0)
	}
}

func kernel(k int, a []float32, lda int, b, bias, c []float32, ldc int, ep *epilogue) {
	if !useAVX2 {
		kernelGo(k, a, lda, b, bias, c, ldc, ep)
		return
	}
	// Bounds the assembly relies on.
	_ = a[(mr-1)*lda+k-1]
	_ = b[k*nr-1]
	_ = bias[nr-1]
	_ = c[(mr-1)*ldc+nr-1]
	kernelAVX2(k, unsafe.SliceData(a), lda, unsafe.SliceData(b), unsafe.SliceData(bias), unsafe.SliceData(c), ldc, ep)
}

// kernelN computes n whole tiles down the rows from a and c (tile t at
// rows t·mr..t·mr+mr−1) as n kernel calls would, the same outputs bit
// for bit, in one call; it reports false, having done nothing, where the
// AVX2 kernel does not run or the AVX-512 one does (Gemm pairs its tiles
// then).
func kernelN(n, k int, a []float32, lda int, b, bias, c []float32, ldc int, ep *epilogue) bool {
	if !useAVX2 || useAVX512 || !useKernelN || n <= 0 {
		return false
	}
	// Bounds the assembly relies on.
	_ = a[(n*mr-1)*lda+k-1]
	_ = b[k*nr-1]
	_ = bias[nr-1]
	_ = c[(n*mr-1)*ldc+nr-1]
	kernelAVX2N(n, k, unsafe.SliceData(a), lda, unsafe.SliceData(b), unsafe.SliceData(bias), unsafe.SliceData(c), ldc, ep)
	return true
}

// kernel12 computes the 2*mr rows from a as two kernel calls would (the
// same outputs bit for bit), in one AVX-512 call; it reports false, having
// done nothing, when that kernel is off.
func kernel12(k int, a []float32, lda int, b, bias, c []float32, ldc int, ep *epilogue) bool {
	if !useAVX512 || !useAVX2 {
		return false
	}
	// Bounds the assembly relies on.
	_ = a[(2*mr-1)*lda+k-1]
	_ = b[k*nr-1]
	_ = bias[nr-1]
	_ = c[(2*mr-1)*ldc+nr-1]
	kernel12AVX512(k, unsafe.SliceData(a), lda, unsafe.SliceData(b), unsafe.SliceData(bias), unsafe.SliceData(c), ldc, ep)
	return true
}

// convPool12 computes six output pixels of ForwardMaxPool2's fast path
// (sixteen channels each, at o) from twelve columns of two convolved
// rows, reading the four input rows r0..r3 from the first column's
// window on (14 pixels of 3 channels each), in one AVX-512 call, or
// where the CPU has AVX2 but not AVX-512 in one AVX2 call (two columns
// of two rows at a time): each convolved value as kernel12 and
// kernelAVX2 compute it from the interleaved stack, b the weights in the
// stack's order (27×16, one panel) and ep a leaky epilogue without
// scale, then pooled as maxInto and maxPairs pool. It reports false,
// having done nothing, when neither kernel runs.
func convPool12(r0, r1, r2, r3, b, bias, o []float32, ep *epilogue) bool {
	if !useAVX2 || !useConvPool {
		return false
	}
	// Bounds the assembly relies on.
	_ = r0[14*3-1]
	_ = r1[14*3-1]
	_ = r2[14*3-1]
	_ = r3[14*3-1]
	_ = b[27*nr-1]
	_ = bias[nr-1]
	_ = o[6*nr-1]
	if useAVX512 {
		convPool12AVX512(&r0[0], &r1[0], &r2[0], &r3[0], &b[0], &bias[0], &o[0], ep)
	} else {
		convPool12AVX2(&r0[0], &r1[0], &r2[0], &r3[0], &b[0], &bias[0], &o[0], ep)
	}
	return true
}

// dwPixel computes one interior output pixel of a 3×3 depthwise
// convolution: o[i] = Σ r_ky[kx*c+i] * w[(ky*3+kx)*c+i]. It reports false
// when no fast path applies (the caller then uses the portable loop).
func dwPixel(o, r0, r1, r2, w []float32, c int) bool {
	return dwRow(o, r0, r1, r2, w, c, 1)
}

// dwRow computes n consecutive interior output pixels of a 3×3
// depthwise convolution with stride 1, each as dwPixel computes one: o
// holds their n×c outputs, r0, r1, r2 the input rows from the first
// pixel's window on (n+2 pixels of c). It reports false when no fast
// path applies.
func dwRow(o, r0, r1, r2, w []float32, c, n int) bool {
	if !useAVX2 || c%8 != 0 || c == 0 || n <= 0 {
		return false
	}
	_ = o[n*c-1]
	_ = r0[(n+2)*c-1]
	_ = r1[(n+2)*c-1]
	_ = r2[(n+2)*c-1]
	_ = w[9*c-1]
	if useAVX512 && c%16 == 0 {
		dwRowAVX512(&o[0], &r0[0], &r1[0], &r2[0], &w[0], c, n)
		return true
	}
	dwRowAVX2(&o[0], &r0[0], &r1[0], &r2[0], &w[0], c, n)
	return true
}

// maxPool2 computes n output pixels of a 2×2 max pool with stride 2
// from the input rows r0 and r1 (2n pixels of c each), each as MaxPool's
// loop does (copy, then maxInto in window order). It reports false when
// no fast path applies.
func maxPool2(o, r0, r1 []float32, c, n int) bool {
	if !useAVX2 || c%8 != 0 || c == 0 || n <= 0 {
		return false
	}
	_ = o[n*c-1]
	_ = r0[2*n*c-1]
	_ = r1[2*n*c-1]
	maxPool2AVX2(&o[0], &r0[0], &r1[0], c, n)
	return true
}

// maxPairs sets o's pixel x (of c floats) to the maximum of r's pixels
// 2x and 2x+1, for n pixels, as copying the first and maxInto of the
// second would. It reports false when no fast path applies.
func maxPairs(o, r []float32, c, n int) bool {
	if !useAVX2 || c%8 != 0 || c == 0 || n <= 0 {
		return false
	}
	_ = o[n*c-1]
	_ = r[2*n*c-1]
	maxPairsAVX2(&o[0], &r[0], c, n)
	return true
}

// maxInto computes o[i] = max(o[i], a[i]).
func maxInto(o, a []float32) {
	a = a[:len(o)]
	n := 0
	if useAVX2 {
		n = len(o) / 8 * 8
		if n > 0 {
			maxIntoAVX2(&o[0], &a[0], n)
		}
	}
	for i := n; i < len(o); i++ {
		o[i] = max(o[i], a[i])
	}
}
