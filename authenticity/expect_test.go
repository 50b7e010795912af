package authenticity

import (
	"image"
	"math"
	"testing"
)

// TestDQExpect: the evidence a value brings on average in a block
// compressed once, by hand from the patterns' bin counts.
func TestDQExpect(t *testing.T) {
	eps := dqEps
	gap := func(ns ...float64) float64 {
		// log of the mean of n+eps, less the mean of the logs.
		m, l := 0.0, 0.0
		for _, n := range ns {
			m += n + eps
			l += math.Log(n + eps)
		}
		return math.Log(m/float64(len(ns))) - l/float64(len(ns))
	}
	for _, c := range []struct {
		name         string
		q1, q2       int
		beta, expect float64
	}{
		// q2/q1 = 1/2: the bins hold 0, 1, 0, 1, … values (empty bins).
		{"first step twice the second", 2, 1, 1, gap(0, 1)},
		// 11/4: 3, 2, 3, 3 (a save at quality ~55 over a step of 4).
		{"second step 2.75 times the first", 4, 11, 1, gap(3, 2, 3, 3)},
		{"the same, amplitude 2", 4, 11, 2, 2 * gap(3, 2, 3, 3)},
		// 4/2: every bin 2 values: no pattern, nothing to expect.
		{"second step a multiple of the first", 2, 4, 1, 0},
	} {
		tr := newTrace(0, 1, c.q1, c.q2, c.beta, 100)
		if math.Abs(tr.expect-c.expect) > 1e-9 {
			t.Errorf("%s: expect %.6f, want %.6f", c.name, tr.expect, c.expect)
		}
	}
	// The weak pattern brings ~0.013 nats a value, the empty bins ~0.45.
	if w, s := newTrace(0, 1, 4, 11, 1, 100).expect, newTrace(0, 1, 2, 1, 1, 100).expect; w > 0.02 || s < 0.4 {
		t.Errorf("expect: weak pattern %.4f, empty bins %.4f", w, s)
	}
}

// TestLargestRegionSums: the region with the most evidence, its second
// sum over the same cells.
func TestLargestRegionSums(t *testing.T) {
	// 4×3 cells: a region of 3 (evidence 1+2+3, second sum 30) and one of
	// 2 with more evidence (5+5, second sum 2).
	set := []bool{
		true, true, false, true,
		false, true, false, true,
		false, false, false, false,
	}
	val := []float64{1, 2, 0, 5, 0, 3, 0, 5, 0, 0, 0, 0}
	val2 := []float64{10, 10, 0, 1, 0, 10, 0, 1, 0, 0, 0, 0}
	n, sum, box, sum2 := largestRegion(set, 4, 3, val, val2)
	if n != 2 || sum != 10 || sum2 != 2 || box != image.Rect(3, 0, 4, 2) {
		t.Errorf("largestRegion: n %d sum %v box %v sum2 %v, want 2, 10, (3,0)-(4,2), 2", n, sum, box, sum2)
	}
}

// pinnedCoefficients is a luma-only coefficient image of 64×64 blocks
// (512×512 pixels) saved with step q2 at AC coefficients 1–15, each with
// the double-quantisation histogram of a first step q1 (hists), whose
// blocks hold at coefficients 1–5 the magnitude thick (a bin the pattern
// fills: evidence of two saves), and in the 3×3 cells (12×12 blocks)
// from cell (4, 4) the magnitude pinned: a value every block of a
// periodic print would have (720 values in the region).
func pinnedCoefficients(q1, q2 int, thick, pinned int16) (*coefImage, func(*coefComp) [nfreq][]float64) {
	const bw = 64
	c := coefComp{h: 1, v: 1, bw: bw, bh: bw, rows: bw, c: make([]int16, bw*bw*nfreq)}
	for f := range c.q {
		c.q[f] = uint16(q2)
	}
	for by := range bw {
		for bx := range bw {
			k := thick
			if bx >= 16 && bx < 28 && by >= 16 && by < 28 {
				k = pinned
			}
			for f := 1; f <= 5; f++ {
				c.c[(by*bw+bx)*nfreq+f] = k
			}
		}
	}
	img := &coefImage{width: 8 * bw, height: 8 * bw, hmax: 1, vmax: 1, comps: []coefComp{c}, my: bw}
	for y := range bw {
		img.mcuRows = append(img.mcuRows, y)
	}
	hists := func(*coefComp) [nfreq][]float64 {
		var h [nfreq][]float64
		for f := 1; f < nfreq; f++ {
			h[f] = laplaceHistogram(100000, 40, q1, q2, uint64(f))
		}
		return h
	}
	return img, hists
}

// TestAnalysePinnedRegion: a region whose every value sits in a bin the
// pattern leaves thin has the evidence of one save; on a strong pattern
// (empty bins) its values would bring about as much were it compressed
// once, but on a weak one (n(k) 3 or 2: a save at quality ~55 over a
// camera's small steps) its evidence is many times what one save
// explains: the print pinning the magnitudes, not reported.
func TestAnalysePinnedRegion(t *testing.T) {
	for _, c := range []struct {
		name                 string
		q1, q2               int
		thick, pinned        int16
		found                bool
		minExcess, maxExcess float64
	}{
		// 11/4: bins 1, 3, 4 hold 3 values, bin 2 two.
		{"weak pattern, values pinned to its thin bin", 4, 11, 1, 2, false, dqMaxExcess, math.Inf(1)},
		// 3/5: bins 1, 4, 6 are empty, 2, 3 and 5 hold one value.
		{"empty bins, values in them", 5, 3, 2, 1, true, 0, dqMaxExcess},
	} {
		img, hists := pinnedCoefficients(c.q1, c.q2, c.thick, c.pinned)
		in := Input{Width: img.width, Height: img.height, Scale: 1}
		r := analyseCoefficients(img, in, 1, false, hists)
		if !r.double {
			t.Fatalf("%s: no double compression (%d traces)", c.name, r.traces)
		}
		if x := 9 * r.llr / r.expect; r.found != c.found || x < c.minExcess || x > c.maxExcess {
			t.Errorf("%s: found %v (share %.4f, llr %.1f, expect %.1f: %.1f times), want %v with %v–%v times", c.name, r.found, r.share, r.llr, r.expect, x, c.found, c.minExcess, c.maxExcess)
		}
		// The region is there either way, 9 cells of 32×32 pixels, with
		// the evidence of a region compressed once.
		if r.box != image.Rect(128, 128, 224, 224) || 9*r.llr < dqRegionLLR {
			t.Errorf("%s: region %v, evidence %.1f, want (128,128)-(224,224), at least %d", c.name, r.box, 9*r.llr, dqRegionLLR)
		}
	}
}
