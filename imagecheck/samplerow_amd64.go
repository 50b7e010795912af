package imagecheck

import "golang.org/x/sys/cpu"

// useSampleAVX2 lets sampleRow and sampleRow2 take four points at a time
// in assembly (sampleRowAVX2) where the CPU has AVX2; tests flip it to
// compare both.
var useSampleAVX2 = cpu.X86.HasAVX2

// sampleRowAVX2 samples the first n/4×4 points of a row as sampleRow's
// loop does (see rowSampler), four at a time, and returns how many it
// sampled: fewer when a position is not a number, which it leaves to the
// loop. s holds the numerators and denominator of the first point not
// sampled on return.
//
//go:noescape
func sampleRowAVX2(out *byte, n int, s *rowSampler, pix *byte) int

// sampleRowFast samples the leading points of out with sampleRowAVX2 where
// it can and returns how many it sampled (0 without AVX2).
func sampleRowFast(out []byte, s *rowSampler, pix []byte) int {
	if !useSampleAVX2 || len(out) < 4 || !s.fits(len(pix)) {
		return 0
	}
	return sampleRowAVX2(&out[0], len(out), s, &pix[0])
}
