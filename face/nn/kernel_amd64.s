#include "textflag.h"

// func kernelAVX2(k int, a *float32, lda int, b, bias, c *float32, ldc int, ep *epilogue)
//
// C[0:6][0:16] = act((A[0:6][0:k] · B[0:k][0:16] + bias) * scale + shift),
// where A row i starts at a + i*lda floats, B is packed k-major with 16
// floats per k, and C row i starts at c + i*ldc floats. ep gives the
// optional per-column scale and shift (nil pointers: none) and the
// activation (0 linear, 1 ReLU, 2 leaky 0.1). Twelve YMM accumulators hold
// the tile; each k step loads two B vectors and broadcasts one A value per
// row.
TEXT ·kernelAVX2(SB), NOSPLIT, $0-64
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ lda+16(FP), R8
	MOVQ b+24(FP), BX
	MOVQ bias+32(FP), AX
	MOVQ c+40(FP), DI
	MOVQ ldc+48(FP), R9
	SHLQ $2, R8
	SHLQ $2, R9
	LEAQ (SI)(R8*2), DX
	ADDQ R8, DX // DX = row 3

	VMOVUPS (AX), Y0
	VMOVUPS 32(AX), Y1
	VMOVAPS Y0, Y2
	VMOVAPS Y1, Y3
	VMOVAPS Y0, Y4
	VMOVAPS Y1, Y5
	VMOVAPS Y0, Y6
	VMOVAPS Y1, Y7
	VMOVAPS Y0, Y8
	VMOVAPS Y1, Y9
	VMOVAPS Y0, Y10
	VMOVAPS Y1, Y11

	CMPQ CX, $2
	JLT  tail

loop2:
	VMOVUPS      (BX), Y12
	VMOVUPS      32(BX), Y13
	VBROADCASTSS (SI), Y14
	VBROADCASTSS (SI)(R8*1), Y15
	VFMADD231PS  Y12, Y14, Y0
	VFMADD231PS  Y13, Y14, Y1
	VFMADD231PS  Y12, Y15, Y2
	VFMADD231PS  Y13, Y15, Y3
	VBROADCASTSS (SI)(R8*2), Y14
	VBROADCASTSS (DX), Y15
	VFMADD231PS  Y12, Y14, Y4
	VFMADD231PS  Y13, Y14, Y5
	VFMADD231PS  Y12, Y15, Y6
	VFMADD231PS  Y13, Y15, Y7
	VBROADCASTSS (DX)(R8*1), Y14
	VBROADCASTSS (DX)(R8*2), Y15
	VFMADD231PS  Y12, Y14, Y8
	VFMADD231PS  Y13, Y14, Y9
	VFMADD231PS  Y12, Y15, Y10
	VFMADD231PS  Y13, Y15, Y11

	VMOVUPS      64(BX), Y12
	VMOVUPS      96(BX), Y13
	VBROADCASTSS 4(SI), Y14
	VBROADCASTSS 4(SI)(R8*1), Y15
	VFMADD231PS  Y12, Y14, Y0
	VFMADD231PS  Y13, Y14, Y1
	VFMADD231PS  Y12, Y15, Y2
	VFMADD231PS  Y13, Y15, Y3
	VBROADCASTSS 4(SI)(R8*2), Y14
	VBROADCASTSS 4(DX), Y15
	VFMADD231PS  Y12, Y14, Y4
	VFMADD231PS  Y13, Y14, Y5
	VFMADD231PS  Y12, Y15, Y6
	VFMADD231PS  Y13, Y15, Y7
	VBROADCASTSS 4(DX)(R8*1), Y14
	VBROADCASTSS 4(DX)(R8*2), Y15
	VFMADD231PS  Y12, Y14, Y8
	VFMADD231PS  Y13, Y14, Y9
	VFMADD231PS  Y12, Y15, Y10
	VFMADD231PS  Y13, Y15, Y11

	ADDQ $8, SI
	ADDQ $8, DX
	ADDQ $128, BX
	SUBQ $2, CX
	CMPQ CX, $2
	JGE  loop2

tail:
	TESTQ CX, CX
	JE    store
	VMOVUPS      (BX), Y12
	VMOVUPS      32(BX), Y13
	VBROADCASTSS (SI), Y14
	VBROADCASTSS (SI)(R8*1), Y15
	VFMADD231PS  Y12, Y14, Y0
	VFMADD231PS  Y13, Y14, Y1
	VFMADD231PS  Y12, Y15, Y2
	VFMADD231PS  Y13, Y15, Y3
	VBROADCASTSS (SI)(R8*2), Y14
	VBROADCASTSS (DX), Y15
	VFMADD231PS  Y12, Y14, Y4
	VFMADD231PS  Y13, Y14, Y5
	VFMADD231PS  Y12, Y15, Y6
	VFMADD231PS  Y13, Y15, Y7
	VBROADCASTSS (DX)(R8*1), Y14
	VBROADCASTSS (DX)(R8*2), Y15
	VFMADD231PS  Y12, Y14, Y8
	VFMADD231PS  Y13, Y14, Y9
	VFMADD231PS  Y12, Y15, Y10
	VFMADD231PS  Y13, Y15, Y11

store:
	MOVQ ep+56(FP), AX
	MOVQ 0(AX), BX // scale
	TESTQ BX, BX
	JE   act
	MOVQ    8(AX), CX // shift
	VMOVUPS (BX), Y12
	VMOVUPS 32(BX), Y13
	VMULPS  Y12, Y0, Y0
	VMULPS  Y13, Y1, Y1
	VMULPS  Y12, Y2, Y2
	VMULPS  Y13, Y3, Y3
	VMULPS  Y12, Y4, Y4
	VMULPS  Y13, Y5, Y5
	VMULPS  Y12, Y6, Y6
	VMULPS  Y13, Y7, Y7
	VMULPS  Y12, Y8, Y8
	VMULPS  Y13, Y9, Y9
	VMULPS  Y12, Y10, Y10
	VMULPS  Y13, Y11, Y11
	VMOVUPS (CX), Y12
	VMOVUPS 32(CX), Y13
	VADDPS  Y12, Y0, Y0
	VADDPS  Y13, Y1, Y1
	VADDPS  Y12, Y2, Y2
	VADDPS  Y13, Y3, Y3
	VADDPS  Y12, Y4, Y4
	VADDPS  Y13, Y5, Y5
	VADDPS  Y12, Y6, Y6
	VADDPS  Y13, Y7, Y7
	VADDPS  Y12, Y8, Y8
	VADDPS  Y13, Y9, Y9
	VADDPS  Y12, Y10, Y10
	VADDPS  Y13, Y11, Y11

act:
	MOVQ 16(AX), BX // activation
	CMPQ BX, $1
	JEQ  relu
	CMPQ BX, $2
	JEQ  leaky
	JMP  write

relu:
	VXORPS Y12, Y12, Y12
	VMAXPS Y12, Y0, Y0
	VMAXPS Y12, Y1, Y1
	VMAXPS Y12, Y2, Y2
	VMAXPS Y12, Y3, Y3
	VMAXPS Y12, Y4, Y4
	VMAXPS Y12, Y5, Y5
	VMAXPS Y12, Y6, Y6
	VMAXPS Y12, Y7, Y7
	VMAXPS Y12, Y8, Y8
	VMAXPS Y12, Y9, Y9
	VMAXPS Y12, Y10, Y10
	VMAXPS Y12, Y11, Y11
	JMP    write

leaky:
	VBROADCASTSS 24(AX), Y15 // alpha
	VMULPS       Y15, Y0, Y12
	VMAXPS       Y12, Y0, Y0
	VMULPS       Y15, Y1, Y12
	VMAXPS       Y12, Y1, Y1
	VMULPS       Y15, Y2, Y12
	VMAXPS       Y12, Y2, Y2
	VMULPS       Y15, Y3, Y12
	VMAXPS       Y12, Y3, Y3
	VMULPS       Y15, Y4, Y12
	VMAXPS       Y12, Y4, Y4
	VMULPS       Y15, Y5, Y12
	VMAXPS       Y12, Y5, Y5
	VMULPS       Y15, Y6, Y12
	VMAXPS       Y12, Y6, Y6
	VMULPS       Y15, Y7, Y12
	VMAXPS       Y12, Y7, Y7
	VMULPS       Y15, Y8, Y12
	VMAXPS       Y12, Y8, Y8
	VMULPS       Y15, Y9, Y12
	VMAXPS       Y12, Y9, Y9
	VMULPS       Y15, Y10, Y12
	VMAXPS       Y12, Y10, Y10
	VMULPS       Y15, Y11, Y12
	VMAXPS       Y12, Y11, Y11

write:
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	ADDQ    R9, DI
	VMOVUPS Y2, (DI)
	VMOVUPS Y3, 32(DI)
	ADDQ    R9, DI
	VMOVUPS Y4, (DI)
	VMOVUPS Y5, 32(DI)
	ADDQ    R9, DI
	VMOVUPS Y6, (DI)
	VMOVUPS Y7, 32(DI)
	ADDQ    R9, DI
	VMOVUPS Y8, (DI)
	VMOVUPS Y9, 32(DI)
	ADDQ    R9, DI
	VMOVUPS Y10, (DI)
	VMOVUPS Y11, 32(DI)
	VZEROUPPER
	RET

// func dwRowAVX2(o, r0, r1, r2, w *float32, c, n int)
//
// n consecutive output pixels of a 3×3 depthwise convolution over c
// channels (a multiple of 8): o[i] = Σ_ky Σ_kx r_ky[kx*c+i] * w[(ky*3+kx)*c+i]
// for each pixel, where r_ky points at the window's first pixel in input
// row ky; the windows of pixel x+1 start c floats after those of pixel x,
// and its output c floats after x's. With n = 1 it is one pixel (dwPixel).
TEXT ·dwRowAVX2(SB), NOSPLIT, $0-56
	MOVQ o+0(FP), DI
	MOVQ r0+8(FP), R8
	MOVQ r1+16(FP), R9
	MOVQ r2+24(FP), R10
	MOVQ w+32(FP), AX
	MOVQ c+40(FP), CX
	MOVQ n+48(FP), R12
	MOVQ CX, DX
	SHLQ $2, DX // c in bytes
	LEAQ (DX)(DX*2), R11 // 3c bytes: one row of taps in w

dwrowpix:
	MOVQ AX, SI
	MOVQ CX, R13

dwrowloop:
	VMOVUPS     (R8), Y0
	VMULPS      (SI), Y0, Y0
	VMOVUPS     (R8)(DX*1), Y1
	VFMADD231PS (SI)(DX*1), Y1, Y0
	VMOVUPS     (R8)(DX*2), Y1
	VFMADD231PS (SI)(DX*2), Y1, Y0
	LEAQ        (SI)(R11*1), BX
	VMOVUPS     (R9), Y1
	VFMADD231PS (BX), Y1, Y0
	VMOVUPS     (R9)(DX*1), Y1
	VFMADD231PS (BX)(DX*1), Y1, Y0
	VMOVUPS     (R9)(DX*2), Y1
	VFMADD231PS (BX)(DX*2), Y1, Y0
	LEAQ        (BX)(R11*1), BX
	VMOVUPS     (R10), Y1
	VFMADD231PS (BX), Y1, Y0
	VMOVUPS     (R10)(DX*1), Y1
	VFMADD231PS (BX)(DX*1), Y1, Y0
	VMOVUPS     (R10)(DX*2), Y1
	VFMADD231PS (BX)(DX*2), Y1, Y0
	VMOVUPS     Y0, (DI)
	ADDQ        $32, DI
	ADDQ        $32, R8
	ADDQ        $32, R9
	ADDQ        $32, R10
	ADDQ        $32, SI
	SUBQ        $8, R13
	JNE         dwrowloop
	DECQ        R12
	JNE         dwrowpix
	VZEROUPPER
	RET

// func maxPool2AVX2(o, r0, r1 *float32, c, n int)
//
// n output pixels of a 2×2 max pool with stride 2 whose windows lie in
// the input rows r0 and r1 (pixel x reads pixels 2x and 2x+1 of both):
// the maximum taken in maxInto's order and operand order (r0's 2x, then
// its 2x+1, then r1's 2x and 2x+1), so the same bits as MaxPool's loop.
TEXT ·maxPool2AVX2(SB), NOSPLIT, $0-40
	MOVQ o+0(FP), DI
	MOVQ r0+8(FP), R8
	MOVQ r1+16(FP), R9
	MOVQ c+24(FP), CX
	MOVQ n+32(FP), R12
	MOVQ CX, DX
	SHLQ $2, DX // c in bytes

pool2pix:
	MOVQ CX, R13

pool2loop:
	VMOVUPS (R8), Y0
	VMAXPS  (R8)(DX*1), Y0, Y0
	VMAXPS  (R9), Y0, Y0
	VMAXPS  (R9)(DX*1), Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ    $32, DI
	ADDQ    $32, R8
	ADDQ    $32, R9
	SUBQ    $8, R13
	JNE     pool2loop
	ADDQ    DX, R8 // past pixel 2x+1
	ADDQ    DX, R9
	DECQ    R12
	JNE     pool2pix
	VZEROUPPER
	RET

// func maxPairsAVX2(o, r *float32, c, n int)
//
// o's pixel x = max(r's pixel 2x, r's pixel 2x+1) for n pixels of c
// floats (c a multiple of 8): copying pixel 2x, then maxInto of 2x+1,
// in the same operand order (the same bits).
TEXT ·maxPairsAVX2(SB), NOSPLIT, $0-32
	MOVQ o+0(FP), DI
	MOVQ r+8(FP), R8
	MOVQ c+16(FP), CX
	MOVQ n+24(FP), R12
	MOVQ CX, DX
	SHLQ $2, DX // c in bytes

pairspix:
	MOVQ CX, R13

pairsloop:
	VMOVUPS (R8), Y0
	VMAXPS  (R8)(DX*1), Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ    $32, DI
	ADDQ    $32, R8
	SUBQ    $8, R13
	JNE     pairsloop
	ADDQ    DX, R8 // past pixel 2x+1
	DECQ    R12
	JNE     pairspix
	VZEROUPPER
	RET

// func maxIntoAVX2(o, a *float32, n int)
//
// o[i] = max(o[i], a[i]) for n floats, n a multiple of 8.
TEXT ·maxIntoAVX2(SB), NOSPLIT, $0-24
	MOVQ o+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ n+16(FP), CX

maxloop:
	VMOVUPS (DI), Y0
	VMAXPS  (SI), Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ    $32, DI
	ADDQ    $32, SI
	SUBQ    $8, CX
	JNE     maxloop
	VZEROUPPER
	RET

// func reluAVX2(s *float32, n int)
//
// s[i] = max(s[i], 0) for n floats, n a multiple of 8.
TEXT ·reluAVX2(SB), NOSPLIT, $0-16
	MOVQ   s+0(FP), DI
	MOVQ   n+8(FP), CX
	VXORPS Y1, Y1, Y1

reluloop:
	VMOVUPS (DI), Y0
	VMAXPS  Y1, Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ    $32, DI
	SUBQ    $8, CX
	JNE     reluloop
	VZEROUPPER
	RET

// func addAVX2(o, a *float32, n int)
//
// o[i] += a[i] for n floats, n a multiple of 8.
TEXT ·addAVX2(SB), NOSPLIT, $0-24
	MOVQ o+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ n+16(FP), CX

addloop:
	VMOVUPS (DI), Y0
	VADDPS  (SI), Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ    $32, DI
	ADDQ    $32, SI
	SUBQ    $8, CX
	JNE     addloop
	VZEROUPPER
	RET

// func mulAddAVX2(o, a, b *float32, n int)
//
// o[i] += a[i]*b[i] for n floats, n a multiple of 8: the product rounded,
// then the sum (not fused), as the scalar loop computes it.
TEXT ·mulAddAVX2(SB), NOSPLIT, $0-32
	MOVQ o+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), BX
	MOVQ n+24(FP), CX

muladdloop:
	VMOVUPS (SI), Y0
	VMULPS  (BX), Y0, Y0
	VADDPS  (DI), Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ    $32, DI
	ADDQ    $32, SI
	ADDQ    $32, BX
	SUBQ    $8, CX
	JNE     muladdloop
	VZEROUPPER
	RET

// func kernel12AVX512(k int, a *float32, lda int, b, bias, c *float32, ldc int, ep *epilogue)
//
// kernelAVX2's tile twice as tall: C[0:12][0:16], one ZMM accumulator per
// row (16 columns), each k step loading one B vector and broadcasting one
// A value per row. Every output is computed as kernelAVX2 computes it:
// the bias, then one fused multiply-add per k in k order, then the same
// epilogue operations in the same operand order, so the two agree bit for
// bit (TestKernel12MatchesKernel).
TEXT ·kernel12AVX512(SB), NOSPLIT, $0-64
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ lda+16(FP), R8
	MOVQ b+24(FP), BX
	MOVQ bias+32(FP), AX
	MOVQ c+40(FP), DI
	MOVQ ldc+48(FP), R9
	SHLQ $2, R8
	SHLQ $2, R9
	LEAQ (SI)(R8*2), DX
	ADDQ R8, DX // DX = row 3
	LEAQ (DX)(R8*2), R10
	ADDQ R8, R10 // R10 = row 6
	LEAQ (R10)(R8*2), R11
	ADDQ R8, R11 // R11 = row 9

	VMOVUPS (AX), Z0
	VMOVAPS Z0, Z1
	VMOVAPS Z0, Z2
	VMOVAPS Z0, Z3
	VMOVAPS Z0, Z4
	VMOVAPS Z0, Z5
	VMOVAPS Z0, Z6
	VMOVAPS Z0, Z7
	VMOVAPS Z0, Z8
	VMOVAPS Z0, Z9
	VMOVAPS Z0, Z10
	VMOVAPS Z0, Z11

	TESTQ CX, CX
	JE    store12

loop12:
	VMOVUPS      (BX), Z12
	VBROADCASTSS (SI), Z13
	VBROADCASTSS (SI)(R8*1), Z14
	VBROADCASTSS (SI)(R8*2), Z15
	VBROADCASTSS (DX), Z16
	VBROADCASTSS (DX)(R8*1), Z17
	VBROADCASTSS (DX)(R8*2), Z18
	VBROADCASTSS (R10), Z19
	VBROADCASTSS (R10)(R8*1), Z20
	VBROADCASTSS (R10)(R8*2), Z21
	VBROADCASTSS (R11), Z22
	VBROADCASTSS (R11)(R8*1), Z23
	VBROADCASTSS (R11)(R8*2), Z24
	VFMADD231PS  Z12, Z13, Z0
	VFMADD231PS  Z12, Z14, Z1
	VFMADD231PS  Z12, Z15, Z2
	VFMADD231PS  Z12, Z16, Z3
	VFMADD231PS  Z12, Z17, Z4
	VFMADD231PS  Z12, Z18, Z5
	VFMADD231PS  Z12, Z19, Z6
	VFMADD231PS  Z12, Z20, Z7
	VFMADD231PS  Z12, Z21, Z8
	VFMADD231PS  Z12, Z22, Z9
	VFMADD231PS  Z12, Z23, Z10
	VFMADD231PS  Z12, Z24, Z11
	ADDQ $4, SI
	ADDQ $4, DX
	ADDQ $4, R10
	ADDQ $4, R11
	ADDQ $64, BX
	DECQ CX
	JNE  loop12

store12:
	MOVQ ep+56(FP), AX
	MOVQ 0(AX), BX // scale
	TESTQ BX, BX
	JE   act12
	MOVQ    8(AX), CX // shift
	VMOVUPS (BX), Z12
	VMULPS  Z12, Z0, Z0
	VMULPS  Z12, Z1, Z1
	VMULPS  Z12, Z2, Z2
	VMULPS  Z12, Z3, Z3
	VMULPS  Z12, Z4, Z4
	VMULPS  Z12, Z5, Z5
	VMULPS  Z12, Z6, Z6
	VMULPS  Z12, Z7, Z7
	VMULPS  Z12, Z8, Z8
	VMULPS  Z12, Z9, Z9
	VMULPS  Z12, Z10, Z10
	VMULPS  Z12, Z11, Z11
	VMOVUPS (CX), Z12
	VADDPS  Z12, Z0, Z0
	VADDPS  Z12, Z1, Z1
	VADDPS  Z12, Z2, Z2
	VADDPS  Z12, Z3, Z3
	VADDPS  Z12, Z4, Z4
	VADDPS  Z12, Z5, Z5
	VADDPS  Z12, Z6, Z6
	VADDPS  Z12, Z7, Z7
	VADDPS  Z12, Z8, Z8
	VADDPS  Z12, Z9, Z9
	VADDPS  Z12, Z10, Z10
	VADDPS  Z12, Z11, Z11

act12:
	MOVQ 16(AX), BX // activation
	CMPQ BX, $1
	JEQ  relu12
	CMPQ BX, $2
	JEQ  leaky12
	JMP  write12

relu12:
	VPXORD Z12, Z12, Z12
	VMAXPS Z12, Z0, Z0
	VMAXPS Z12, Z1, Z1
	VMAXPS Z12, Z2, Z2
	VMAXPS Z12, Z3, Z3
	VMAXPS Z12, Z4, Z4
	VMAXPS Z12, Z5, Z5
	VMAXPS Z12, Z6, Z6
	VMAXPS Z12, Z7, Z7
	VMAXPS Z12, Z8, Z8
	VMAXPS Z12, Z9, Z9
	VMAXPS Z12, Z10, Z10
	VMAXPS Z12, Z11, Z11
	JMP    write12

leaky12:
	VBROADCASTSS 24(AX), Z15 // alpha
	VMULPS       Z15, Z0, Z12
	VMAXPS       Z12, Z0, Z0
	VMULPS       Z15, Z1, Z12
	VMAXPS       Z12, Z1, Z1
	VMULPS       Z15, Z2, Z12
	VMAXPS       Z12, Z2, Z2
	VMULPS       Z15, Z3, Z12
	VMAXPS       Z12, Z3, Z3
	VMULPS       Z15, Z4, Z12
	VMAXPS       Z12, Z4, Z4
	VMULPS       Z15, Z5, Z12
	VMAXPS       Z12, Z5, Z5
	VMULPS       Z15, Z6, Z12
	VMAXPS       Z12, Z6, Z6
	VMULPS       Z15, Z7, Z12
	VMAXPS       Z12, Z7, Z7
	VMULPS       Z15, Z8, Z12
	VMAXPS       Z12, Z8, Z8
	VMULPS       Z15, Z9, Z12
	VMAXPS       Z12, Z9, Z9
	VMULPS       Z15, Z10, Z12
	VMAXPS       Z12, Z10, Z10
	VMULPS       Z15, Z11, Z12
	VMAXPS       Z12, Z11, Z11

write12:
	VMOVUPS Z0, (DI)
	ADDQ    R9, DI
	VMOVUPS Z1, (DI)
	ADDQ    R9, DI
	VMOVUPS Z2, (DI)
	ADDQ    R9, DI
	VMOVUPS Z3, (DI)
	ADDQ    R9, DI
	VMOVUPS Z4, (DI)
	ADDQ    R9, DI
	VMOVUPS Z5, (DI)
	ADDQ    R9, DI
	VMOVUPS Z6, (DI)
	ADDQ    R9, DI
	VMOVUPS Z7, (DI)
	ADDQ    R9, DI
	VMOVUPS Z8, (DI)
	ADDQ    R9, DI
	VMOVUPS Z9, (DI)
	ADDQ    R9, DI
	VMOVUPS Z10, (DI)
	ADDQ    R9, DI
	VMOVUPS Z11, (DI)
	VZEROUPPER
	RET

// func dwRowAVX512(o, r0, r1, r2, w *float32, c, n int)
//
// dwRowAVX2 sixteen channels at a time (c a multiple of 16): each output
// the same multiply and fused multiply-adds in the same order, so the same
// bits (TestDepthwiseRowAVX512MatchesAVX2).
TEXT ·dwRowAVX512(SB), NOSPLIT, $0-56
	MOVQ o+0(FP), DI
	MOVQ r0+8(FP), R8
	MOVQ r1+16(FP), R9
	MOVQ r2+24(FP), R10
	MOVQ w+32(FP), AX
	MOVQ c+40(FP), CX
	MOVQ n+48(FP), R12
	MOVQ CX, DX
	SHLQ $2, DX // c in bytes
	LEAQ (DX)(DX*2), R11 // 3c bytes: one row of taps in w

dw512pix:
	MOVQ AX, SI
	MOVQ CX, R13

dw512loop:
	VMOVUPS     (R8), Z0
	VMULPS      (SI), Z0, Z0
	VMOVUPS     (R8)(DX*1), Z1
	VFMADD231PS (SI)(DX*1), Z1, Z0
	VMOVUPS     (R8)(DX*2), Z1
	VFMADD231PS (SI)(DX*2), Z1, Z0
	LEAQ        (SI)(R11*1), BX
	VMOVUPS     (R9), Z1
	VFMADD231PS (BX), Z1, Z0
	VMOVUPS     (R9)(DX*1), Z1
	VFMADD231PS (BX)(DX*1), Z1, Z0
	VMOVUPS     (R9)(DX*2), Z1
	VFMADD231PS (BX)(DX*2), Z1, Z0
	LEAQ        (BX)(R11*1), BX
	VMOVUPS     (R10), Z1
	VFMADD231PS (BX), Z1, Z0
	VMOVUPS     (R10)(DX*1), Z1
	VFMADD231PS (BX)(DX*1), Z1, Z0
	VMOVUPS     (R10)(DX*2), Z1
	VFMADD231PS (BX)(DX*2), Z1, Z0
	VMOVUPS     Z0, (DI)
	ADDQ        $64, DI
	ADDQ        $64, R8
	ADDQ        $64, R9
	ADDQ        $64, R10
	ADDQ        $64, SI
	SUBQ        $16, R13
	JNE         dw512loop
	DECQ        R12
	JNE         dw512pix
	VZEROUPPER
	RET
