#include "textflag.h"

// GATHER4 loads the four bytes of the plane (SI) at the indices stored at
// a, b, c and d on the stack and widens them to the four dwords of x.
#define GATHER4(a, b, c, d, x) \
	MOVL    a(SP), R9; \
	MOVBLZX (SI)(R9*1), R9; \
	MOVL    b(SP), R10; \
	MOVBLZX (SI)(R10*1), R10; \
	SHLL    $8, R10; \
	ORL     R10, R9; \
	MOVL    c(SP), R10; \
	MOVBLZX (SI)(R10*1), R10; \
	SHLL    $16, R10; \
	ORL     R10, R9; \
	MOVL    d(SP), R10; \
	MOVBLZX (SI)(R10*1), R10; \
	SHLL    $24, R10; \
	ORL     R10, R9; \
	VMOVD   R9, x; \
	VPMOVZXBD x, x

// func sampleRowAVX2(out *byte, n int, s *rowSampler, pix *byte) int
//
// Four points a step: their numerators and denominator summed one after
// another in scalar registers (as sampleRow's loop sums them) and
// gathered into vectors (through memory, a store forwarded to a wider
// load would stall each step); then the division, clamping (VMAXPD and
// VMINPD with the bound as first source: a NaN stays NaN, as through the
// loop's branches), truncation to 1/256, the four neighbours' indices
// and the weights in vectors; the 16 bytes read one by one and packed in
// a register per neighbour; the interpolation in 32-bit lanes as
// a<<8 + (b-a)·wx and so on, the same integers as bilinear's. A group
// with a NaN position stops it (s then holds that group's first point).
//
// Frame: 0 1.0×4, 32 0.5×4, 64 256.0×4, 96 div×4 (float64); 128 the
// indices of a, b, c, e (4 int32 each), 192 255×4, 208 1×4, 224
// lastX×4, 240 lastY×4, 256 ps×4, 272 32768×4 (int32).
TEXT ·sampleRowAVX2(SB), NOSPLIT, $288-40
	MOVQ out+0(FP), DI
	MOVQ n+8(FP), CX
	MOVQ s+16(FP), R8
	MOVQ pix+24(FP), SI
	ANDQ $-4, CX
	XORQ AX, AX

	VMOVSD 0(R8), X0
	VMOVSD 8(R8), X1
	VMOVSD 16(R8), X2
	VMOVSD 24(R8), X3
	VMOVSD 32(R8), X4
	VMOVSD 40(R8), X5
	VBROADCASTSD 56(R8), Y6
	VBROADCASTSD 64(R8), Y7
	VXORPD Y15, Y15, Y15
	MOVQ $0x3ff0000000000000, R9
	VMOVQ R9, X8
	VBROADCASTSD X8, Y8
	VMOVUPD Y8, 0(SP)
	MOVQ $0x3fe0000000000000, R9
	VMOVQ R9, X8
	VBROADCASTSD X8, Y8
	VMOVUPD Y8, 32(SP)
	MOVQ $0x4070000000000000, R9
	VMOVQ R9, X8
	VBROADCASTSD X8, Y8
	VMOVUPD Y8, 64(SP)
	VBROADCASTSD 48(R8), Y8
	VMOVUPD Y8, 96(SP)
	MOVQ $255, R9
	VMOVD R9, X8
	VPBROADCASTD X8, X8
	VMOVDQU X8, 192(SP)
	MOVQ $1, R9
	VMOVD R9, X8
	VPBROADCASTD X8, X8
	VMOVDQU X8, 208(SP)
	MOVQ 72(R8), R9
	VMOVD R9, X8
	VPBROADCASTD X8, X8
	VMOVDQU X8, 224(SP)
	MOVQ 80(R8), R9
	VMOVD R9, X8
	VPBROADCASTD X8, X8
	VMOVDQU X8, 240(SP)
	MOVQ 88(R8), R9
	VMOVD R9, X8
	VPBROADCASTD X8, X8
	VMOVDQU X8, 256(SP)
	MOVQ $32768, R9
	VMOVD R9, X8
	VPBROADCASTD X8, X8
	VMOVDQU X8, 272(SP)

loop:
	CMPQ AX, CX
	JGE  done
	VMOVAPD X0, X8
	VADDSD  X3, X0, X0
	VUNPCKLPD X0, X8, X8
	VADDSD  X3, X0, X0
	VMOVAPD X0, X14
	VADDSD  X3, X0, X0
	VUNPCKLPD X0, X14, X14
	VADDSD  X3, X0, X0
	VINSERTF128 $1, X14, Y8, Y8
	VMOVAPD X1, X9
	VADDSD  X4, X1, X1
	VUNPCKLPD X1, X9, X9
	VADDSD  X4, X1, X1
	VMOVAPD X1, X14
	VADDSD  X4, X1, X1
	VUNPCKLPD X1, X14, X14
	VADDSD  X4, X1, X1
	VINSERTF128 $1, X14, Y9, Y9
	VMOVAPD X2, X10
	VADDSD  X5, X2, X2
	VUNPCKLPD X2, X10, X10
	VADDSD  X5, X2, X2
	VMOVAPD X2, X14
	VADDSD  X5, X2, X2
	VUNPCKLPD X2, X14, X14
	VADDSD  X5, X2, X2
	VINSERTF128 $1, X14, Y10, Y10
	VMULPD  96(SP), Y10, Y11
	VMOVUPD 0(SP), Y14
	VDIVPD  Y11, Y14, Y11
	VMULPD  Y11, Y8, Y12
	VSUBPD  32(SP), Y12, Y12
	VMULPD  Y11, Y9, Y13
	VSUBPD  32(SP), Y13, Y13
	VMAXPD  Y12, Y15, Y12
	VMINPD  Y12, Y6, Y12
	VMAXPD  Y13, Y15, Y13
	VMINPD  Y13, Y7, Y13
	VCMPPD  $3, Y13, Y12, Y14
	VMOVMSKPD Y14, R9
	TESTL   R9, R9
	JNZ     nan
	VMULPD  64(SP), Y12, Y12
	VMULPD  64(SP), Y13, Y13
	VCVTTPD2DQY Y12, X9
	VCVTTPD2DQY Y13, X10
	VPSRAD  $8, X9, X11
	VPAND   192(SP), X9, X9
	VPSRAD  $8, X10, X12
	VPAND   192(SP), X10, X10
	VPADDD  208(SP), X11, X13
	VPMINSD 224(SP), X13, X13
	VPADDD  208(SP), X12, X14
	VPMINSD 240(SP), X14, X14
	VPMULLD 256(SP), X12, X12
	VPMULLD 256(SP), X14, X14
	VPADDD  X12, X11, X8
	VMOVDQU X8, 128(SP)
	VPADDD  X12, X13, X8
	VMOVDQU X8, 144(SP)
	VPADDD  X14, X11, X8
	VMOVDQU X8, 160(SP)
	VPADDD  X14, X13, X8
	VMOVDQU X8, 176(SP)
	GATHER4(128, 132, 136, 140, X11)
	GATHER4(144, 148, 152, 156, X12)
	GATHER4(160, 164, 168, 172, X13)
	GATHER4(176, 180, 184, 188, X14)
	VPSUBD  X11, X12, X12
	VPMULLD X9, X12, X12
	VPSLLD  $8, X11, X11
	VPADDD  X12, X11, X11
	VPSUBD  X13, X14, X14
	VPMULLD X9, X14, X14
	VPSLLD  $8, X13, X13
	VPADDD  X14, X13, X13
	VPSUBD  X11, X13, X13
	VPMULLD X10, X13, X13
	VPSLLD  $8, X11, X11
	VPADDD  X13, X11, X11
	VPADDD  272(SP), X11, X11
	VPSRLD  $16, X11, X11
	VPACKUSDW X11, X11, X11
	VPACKUSWB X11, X11, X11
	VMOVD   X11, R9
	MOVL    R9, (DI)(AX*1)
	ADDQ    $4, AX
	JMP     loop

nan:
	VMOVAPD X8, X0
	VMOVAPD X9, X1
	VMOVAPD X10, X2

done:
	VMOVSD X0, 0(R8)
	VMOVSD X1, 8(R8)
	VMOVSD X2, 16(R8)
	VZEROUPPER
	MOVQ AX, ret+32(FP)
	RET
