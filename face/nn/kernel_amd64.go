package nn

import (
	"unsafe"

	"golang.org/x/sys/cpu"
)

// useAVX2 selects the assembly kernel; tests flip it to compare both.
var useAVX2 = cpu.X86.HasAVX2 && cpu.X86.HasFMA

//go:noescape
func kernelAVX2(k int, a *float32, lda int, b, bias, c *float32, ldc int)

func kernel(k int, a []float32, lda int, b, bias, c []float32, ldc int) {
	if !useAVX2 {
		kernelGo(k, a, lda, b, bias, c, ldc)
		return
	}
	// Bounds the assembly relies on.
	_ = a[(mr-1)*lda+k-1]
	_ = b[k*nr-1]
	_ = bias[nr-1]
	_ = c[(mr-1)*ldc+nr-1]
	kernelAVX2(k, unsafe.SliceData(a), lda, unsafe.SliceData(b), unsafe.SliceData(bias), unsafe.SliceData(c), ldc)
}
