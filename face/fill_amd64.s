#include "textflag.h"

// The constants of fill420RowAVX2: ycbcrToRGB's coefficients (16.16
// fixed point), the chroma offset, the clamp's bounds, the divisor, and
// the permutations that repeat each chroma sample for the two pixels
// sharing it and spread three channel vectors over three interleaved
// ones.
DATA fillK<>+0(SB)/4, $0x10101
DATA fillK<>+4(SB)/4, $128
DATA fillK<>+8(SB)/4, $91881
DATA fillK<>+12(SB)/4, $-22554
DATA fillK<>+16(SB)/4, $-46802
DATA fillK<>+20(SB)/4, $116130
DATA fillK<>+24(SB)/4, $255
DATA fillK<>+28(SB)/4, $0x437f0000 // 255.0
GLOBL fillK<>(SB), RODATA|NOPTR, $32

DATA fillPerm<>+0(SB)/4, $0 // chroma: 0 0 1 1 2 2 3 3
DATA fillPerm<>+4(SB)/4, $0
DATA fillPerm<>+8(SB)/4, $1
DATA fillPerm<>+12(SB)/4, $1
DATA fillPerm<>+16(SB)/4, $2
DATA fillPerm<>+20(SB)/4, $2
DATA fillPerm<>+24(SB)/4, $3
DATA fillPerm<>+28(SB)/4, $3
DATA fillPerm<>+32(SB)/4, $0 // first output vector: 0 0 0 1 1 1 2 2
DATA fillPerm<>+36(SB)/4, $0
DATA fillPerm<>+40(SB)/4, $0
DATA fillPerm<>+44(SB)/4, $1
DATA fillPerm<>+48(SB)/4, $1
DATA fillPerm<>+52(SB)/4, $1
DATA fillPerm<>+56(SB)/4, $2
DATA fillPerm<>+60(SB)/4, $2
DATA fillPerm<>+64(SB)/4, $2 // second: 2 3 3 3 4 4 4 5
DATA fillPerm<>+68(SB)/4, $3
DATA fillPerm<>+72(SB)/4, $3
DATA fillPerm<>+76(SB)/4, $3
DATA fillPerm<>+80(SB)/4, $4
DATA fillPerm<>+84(SB)/4, $4
DATA fillPerm<>+88(SB)/4, $4
DATA fillPerm<>+92(SB)/4, $5
DATA fillPerm<>+96(SB)/4, $5 // third: 5 5 6 6 6 7 7 7
DATA fillPerm<>+100(SB)/4, $5
DATA fillPerm<>+104(SB)/4, $6
DATA fillPerm<>+108(SB)/4, $6
DATA fillPerm<>+112(SB)/4, $6
DATA fillPerm<>+116(SB)/4, $7
DATA fillPerm<>+120(SB)/4, $7
DATA fillPerm<>+124(SB)/4, $7
GLOBL fillPerm<>(SB), RODATA|NOPTR, $128

// func fill420RowAVX2(out *float32, y, cb, cr *byte, n int, mean *[3]float32)
//
// n groups of eight pixels of fill420's row: pixel i of a group takes
// luma y[i] and chroma cb[i/2], cr[i/2]; its three values, each
// (clip16(y·0x10101 + term) − mean[ch]) / 255 in float32 with the same
// integer terms as ycbcrToRGB, are stored interleaved at out (24 floats
// a group). clip16 is the arithmetic shift by 16 clamped to 0..255 (the
// same byte for every int32).
TEXT ·fill420RowAVX2(SB), NOSPLIT, $0-48
	MOVQ out+0(FP), DI
	MOVQ y+8(FP), SI
	MOVQ cb+16(FP), R8
	MOVQ cr+24(FP), R9
	MOVQ n+32(FP), CX
	MOVQ mean+40(FP), AX
	TESTQ CX, CX
	JEQ   done

	VPBROADCASTD fillK<>+0(SB), Y15  // 0x10101
	VPBROADCASTD fillK<>+4(SB), Y14  // 128
	VPBROADCASTD fillK<>+24(SB), Y13 // 255
	VBROADCASTSS fillK<>+28(SB), Y12 // 255.0
	VMOVDQU      fillPerm<>+0(SB), Y11
	VBROADCASTSS 0(AX), Y10          // mean R
	VBROADCASTSS 4(AX), Y9           // mean G
	VBROADCASTSS 8(AX), Y8           // mean B

loop:
	VPMOVZXBD (SI), Y0
	VPMULLD   Y15, Y0, Y0 // yy
	VPMOVZXBD (R8), X1
	VPMOVZXBD (R9), X2
	VPERMD    Y1, Y11, Y1
	VPERMD    Y2, Y11, Y2
	VPSUBD    Y14, Y1, Y1 // cb - 128
	VPSUBD    Y14, Y2, Y2 // cr - 128

	VPBROADCASTD fillK<>+8(SB), Y3
	VPMULLD      Y3, Y2, Y3 // dr = 91881·cr
	VPBROADCASTD fillK<>+12(SB), Y4
	VPMULLD      Y4, Y1, Y4 // -22554·cb
	VPBROADCASTD fillK<>+16(SB), Y5
	VPMULLD      Y5, Y2, Y5 // -46802·cr
	VPADDD       Y5, Y4, Y4 // dg
	VPBROADCASTD fillK<>+20(SB), Y5
	VPMULLD      Y5, Y1, Y5 // db = 116130·cb

	VPADDD Y3, Y0, Y3
	VPADDD Y4, Y0, Y4
	VPADDD Y5, Y0, Y5
	VPXOR  Y6, Y6, Y6
	VPSRAD $16, Y3, Y3
	VPSRAD $16, Y4, Y4
	VPSRAD $16, Y5, Y5
	VPMAXSD Y6, Y3, Y3
	VPMAXSD Y6, Y4, Y4
	VPMAXSD Y6, Y5, Y5
	VPMINSD Y13, Y3, Y3
	VPMINSD Y13, Y4, Y4
	VPMINSD Y13, Y5, Y5
	VCVTDQ2PS Y3, Y3
	VCVTDQ2PS Y4, Y4
	VCVTDQ2PS Y5, Y5
	VSUBPS Y10, Y3, Y3
	VSUBPS Y9, Y4, Y4
	VSUBPS Y8, Y5, Y5
	VDIVPS Y12, Y3, Y3 // R
	VDIVPS Y12, Y4, Y4 // G
	VDIVPS Y12, Y5, Y5 // B

	// Interleave: out0 = r0 g0 b0 r1 g1 b1 r2 g2, out1 = b2 r3 g3 b3 r4
	// g4 b4 r5, out2 = g5 b5 r6 g6 b6 r7 g7 b7.
	VMOVDQU fillPerm<>+32(SB), Y7
	VPERMPS Y3, Y7, Y0
	VPERMPS Y4, Y7, Y1
	VPERMPS Y5, Y7, Y2
	VBLENDPS $0x92, Y1, Y0, Y0
	VBLENDPS $0x24, Y2, Y0, Y0
	VMOVUPS Y0, 0(DI)
	VMOVDQU fillPerm<>+64(SB), Y7
	VPERMPS Y3, Y7, Y0
	VPERMPS Y4, Y7, Y1
	VPERMPS Y5, Y7, Y2
	VBLENDPS $0x24, Y1, Y0, Y0
	VBLENDPS $0x49, Y2, Y0, Y0
	VMOVUPS Y0, 32(DI)
	VMOVDQU fillPerm<>+96(SB), Y7
	VPERMPS Y3, Y7, Y0
	VPERMPS Y4, Y7, Y1
	VPERMPS Y5, Y7, Y2
	VBLENDPS $0x49, Y1, Y0, Y0
	VBLENDPS $0x92, Y2, Y0, Y0
	VMOVUPS Y0, 64(DI)

	ADDQ $96, DI
	ADDQ $8, SI
	ADDQ $4, R8
	ADDQ $4, R9
	DECQ CX
	JNE  loop
	VZEROUPPER

done:
	RET
