#include "textflag.h"

// func smoothRowAVX2(out *float32, row *byte, n int)
//
// n groups of eight: out[x] = float32(row[x] + 2·row[x+1] + row[x+2])
// (the integers findEdges sums, then converted: exact).
TEXT ·smoothRowAVX2(SB), NOSPLIT, $0-24
	MOVQ out+0(FP), DI
	MOVQ row+8(FP), SI
	MOVQ n+16(FP), CX
	TESTQ CX, CX
	JEQ   srdone

srloop:
	VPMOVZXBD (SI), Y0
	VPMOVZXBD 1(SI), Y1
	VPMOVZXBD 2(SI), Y2
	VPADDD    Y1, Y1, Y1
	VPADDD    Y1, Y0, Y0
	VPADDD    Y2, Y0, Y0
	VCVTDQ2PS Y0, Y0
	VMOVUPS   Y0, (DI)
	ADDQ $32, DI
	ADDQ $8, SI
	DECQ CX
	JNE  srloop
	VZEROUPPER

srdone:
	RET

// func smoothColsAVX2(out, a, b, c *float32, k float32, n int)
//
// n groups of eight: out[x] = ((a[x] + 2·b[x]) + c[x])·k in float32, each
// operation rounded as findEdges' loop rounds it (2·b is b + b: exact).
TEXT ·smoothColsAVX2(SB), NOSPLIT, $0-48
	MOVQ out+0(FP), DI
	MOVQ a+8(FP), R8
	MOVQ b+16(FP), R9
	MOVQ c+24(FP), R10
	VBROADCASTSS k+32(FP), Y3
	MOVQ n+40(FP), CX
	TESTQ CX, CX
	JEQ   scdone

scloop:
	VMOVUPS (R8), Y0
	VMOVUPS (R9), Y1
	VMOVUPS (R10), Y2
	VADDPS  Y1, Y1, Y1
	VADDPS  Y1, Y0, Y0
	VADDPS  Y2, Y0, Y0
	VMULPS  Y3, Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ $32, DI
	ADDQ $32, R8
	ADDQ $32, R9
	ADDQ $32, R10
	DECQ CX
	JNE  scloop
	VZEROUPPER

scdone:
	RET

// func sobelRowAVX2(up, mid, dn, ox, oy, om *float32, n int)
//
// n groups of eight of findEdges' Sobel: for output x (at ox[x], oy[x],
// om[x]) the 3×3 window up[x..x+2], mid[x..x+2], dn[x..x+2], named
// a b c / d · f / g h k: dx = ((c + 2f) + k) − ((a + 2d) + g), dy =
// ((g + 2h) + k) − ((a + 2b) + c), om = dx·dx + dy·dy (two products, then
// their sum: not fused), each operation rounded as the loop rounds it.
TEXT ·sobelRowAVX2(SB), NOSPLIT, $0-56
	MOVQ up+0(FP), R8
	MOVQ mid+8(FP), R9
	MOVQ dn+16(FP), R10
	MOVQ ox+24(FP), R11
	MOVQ oy+32(FP), R12
	MOVQ om+40(FP), R13
	MOVQ n+48(FP), CX
	TESTQ CX, CX
	JEQ   sbdone

sbloop:
	VMOVUPS (R8), Y0    // a
	VMOVUPS 4(R8), Y1   // b
	VMOVUPS 8(R8), Y2   // c
	VMOVUPS (R9), Y3    // d
	VMOVUPS 8(R9), Y4   // f
	VMOVUPS (R10), Y5   // g
	VMOVUPS 4(R10), Y6  // h
	VMOVUPS 8(R10), Y7  // k

	VADDPS Y4, Y4, Y8   // 2f
	VADDPS Y8, Y2, Y8   // c + 2f
	VADDPS Y7, Y8, Y8   // + k
	VADDPS Y3, Y3, Y9   // 2d
	VADDPS Y9, Y0, Y9   // a + 2d
	VADDPS Y5, Y9, Y9   // + g
	VSUBPS Y9, Y8, Y8   // dx

	VADDPS Y6, Y6, Y10  // 2h
	VADDPS Y10, Y5, Y10 // g + 2h
	VADDPS Y7, Y10, Y10 // + k
	VADDPS Y1, Y1, Y11  // 2b
	VADDPS Y11, Y0, Y11 // a + 2b
	VADDPS Y2, Y11, Y11 // + c
	VSUBPS Y11, Y10, Y10 // dy

	VMULPS Y8, Y8, Y12
	VMULPS Y10, Y10, Y13
	VADDPS Y13, Y12, Y12
	VMOVUPS Y8, (R11)
	VMOVUPS Y10, (R12)
	VMOVUPS Y12, (R13)

	ADDQ $32, R8
	ADDQ $32, R9
	ADDQ $32, R10
	ADDQ $32, R11
	ADDQ $32, R12
	ADDQ $32, R13
	DECQ CX
	JNE  sbloop
	VZEROUPPER

sbdone:
	RET
