package knownfaces

import "golang.org/x/sys/cpu"

// useAVX2 selects the assembly kernel; tests flip it to compare both.
var useAVX2 = cpu.X86.HasAVX2

//go:noescape
func dotsAVX2(codes *int8, n int, q *int16, out *int32)

// dots computes out[i] = codes[i*Dim:(i+1)*Dim] · q for every row.
func dots(codes []int8, q *[Dim]int16, out []int32) {
	n := len(out)
	if n == 0 {
		return
	}
	_ = codes[n*Dim-1]
	if useAVX2 {
		dotsAVX2(&codes[0], n, &q[0], &out[0])
		return
	}
	dotsGo(codes, q, out)
}
