#include "textflag.h"

// func dotsAVX2(codes *int8, n int, q *int16, out *int32)
//
// out[i] = Σ_j codes[i*128+j] * q[j] for i < n: each row of 128 int8 is
// sign-extended to int16 sixteen at a time (VPMOVSXBW) and multiplied
// with the query's int16 lanes, pairs summed into int32 (VPMADDWD). The
// query stays in Y0–Y7 for the whole call.
TEXT ·dotsAVX2(SB), NOSPLIT, $0-32
	MOVQ codes+0(FP), SI
	MOVQ n+8(FP), CX
	MOVQ q+16(FP), AX
	MOVQ out+24(FP), DI

	VMOVDQU (AX), Y0
	VMOVDQU 32(AX), Y1
	VMOVDQU 64(AX), Y2
	VMOVDQU 96(AX), Y3
	VMOVDQU 128(AX), Y4
	VMOVDQU 160(AX), Y5
	VMOVDQU 192(AX), Y6
	VMOVDQU 224(AX), Y7

loop:
	TESTQ CX, CX
	JEQ   done

	VPMOVSXBW (SI), Y8
	VPMADDWD  Y0, Y8, Y8
	VPMOVSXBW 16(SI), Y9
	VPMADDWD  Y1, Y9, Y9
	VPMOVSXBW 32(SI), Y10
	VPMADDWD  Y2, Y10, Y10
	VPMOVSXBW 48(SI), Y11
	VPMADDWD  Y3, Y11, Y11
	VPMOVSXBW 64(SI), Y12
	VPMADDWD  Y4, Y12, Y12
	VPMOVSXBW 80(SI), Y13
	VPMADDWD  Y5, Y13, Y13
	VPMOVSXBW 96(SI), Y14
	VPMADDWD  Y6, Y14, Y14
	VPMOVSXBW 112(SI), Y15
	VPMADDWD  Y7, Y15, Y15

	VPADDD Y9, Y8, Y8
	VPADDD Y11, Y10, Y10
	VPADDD Y13, Y12, Y12
	VPADDD Y15, Y14, Y14
	VPADDD Y10, Y8, Y8
	VPADDD Y14, Y12, Y12
	VPADDD Y12, Y8, Y8

	// Horizontal sum of the eight int32 lanes.
	VEXTRACTI128 $1, Y8, X9
	VPADDD       X9, X8, X8
	VPSHUFD      $0x4E, X8, X9
	VPADDD       X9, X8, X8
	VPSHUFD      $0xB1, X8, X9
	VPADDD       X9, X8, X8
	VMOVD        X8, (DI)

	ADDQ $128, SI
	ADDQ $4, DI
	DECQ CX
	JMP  loop

done:
	VZEROUPPER
	RET
