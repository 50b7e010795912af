package face

import "golang.org/x/sys/cpu"

// useFillAVX2 lets fill420 convert eight pixels at a time
// (fill420RowAVX2: the same values); tests flip it.
var useFillAVX2 = cpu.X86.HasAVX2

//go:noescape
func fill420RowAVX2(out *float32, y, cb, cr *byte, n int, mean *[3]float32)

// fill420Row writes the leading whole groups of eight pixels of one of
// fill420's rows (out: the row's values, yrow: its luma, cb and cr: its
// chroma row from the first pixel's sample on, the first pixel at an
// even column) and returns how many pixels it wrote (0 without AVX2).
func fill420Row(out []float32, yrow, cb, cr []byte, mean *[3]float32) int {
	n := len(yrow) / 8
	if !useFillAVX2 || n == 0 {
		return 0
	}
	// Bounds the assembly relies on.
	_ = out[24*n-1]
	_ = cb[4*n-1]
	_ = cr[4*n-1]
	fill420RowAVX2(&out[0], &yrow[0], &cb[0], &cr[0], n, mean)
	return 8 * n
}
