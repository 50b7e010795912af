package authenticity

import (
	"image"
	"slices"
	"testing"
)

// TestFinerFirst: a photo saved last with a coarse quantiser keeps only
// the traces whose first step is finer than the second.
func TestFinerFirst(t *testing.T) {
	tr := func(q1, q2 int) dqTrace { return dqTrace{q1: q1, q2: q2} }
	for _, c := range []struct {
		name     string
		in, want []dqTrace
	}{
		{"none", nil, nil},
		{"all finer", []dqTrace{tr(4, 11), tr(3, 10)}, []dqTrace{tr(4, 11), tr(3, 10)}},
		{"two coarser among three finer", []dqTrace{tr(4, 11), tr(16, 13), tr(5, 14), tr(22, 17), tr(12, 16)}, []dqTrace{tr(4, 11), tr(5, 14), tr(12, 16)}},
		{"all coarser", []dqTrace{tr(16, 13), tr(19, 15)}, nil},
	} {
		got := finerFirst(slices.Clone(c.in))
		if !slices.EqualFunc(got, c.want, func(a, b dqTrace) bool { return a.q1 == b.q1 && a.q2 == b.q2 }) {
			t.Errorf("%s: kept %v, want %v", c.name, got, c.want)
		}
	}
}

// TestAnalyseCoarseFirst: the pinned region of TestAnalysePinnedRegion
// on a pattern whose first step (16) is coarser than the second (13):
// bins 3 and 8 are empty, and a print whose magnitudes sit in bin 3
// reads as compressed once (a region of 9 cells, its evidence far over
// dqRegionLLR). Saved last with a coarse quantiser, such a first save is
// not a camera's: no trace is kept, no region is measured. A finer first
// step (4 against 11) keeps its traces and its region either way.
func TestAnalyseCoarseFirst(t *testing.T) {
	region := image.Rect(128, 128, 224, 224)
	for _, c := range []struct {
		name          string
		q1, q2        int
		thick, pinned int16
		coarse        bool
		double        bool
		box           image.Rectangle
	}{
		{"first step coarser, fine last save", 16, 13, 1, 3, false, true, region},
		{"first step coarser, coarse last save", 16, 13, 1, 3, true, false, image.Rectangle{}},
		{"first step finer, fine last save", 4, 11, 1, 2, false, true, region},
		{"first step finer, coarse last save", 4, 11, 1, 2, true, true, region},
	} {
		img, hists := pinnedCoefficients(c.q1, c.q2, c.thick, c.pinned)
		in := Input{Width: img.width, Height: img.height, Scale: 1}
		r := analyseCoefficients(img, in, 1, c.coarse, hists)
		if r.double != c.double || r.box != c.box || r.box == region && 9*r.llr < dqRegionLLR {
			t.Errorf("%s: double %v (%d traces), region %v (evidence %.1f), want %v, %v", c.name, r.double, r.traces, r.box, 9*r.llr, c.double, c.box)
		}
	}
}

// TestReportRegion: the region rules by their numbers; a coarse last
// save asks the expectation to reach dqRegionLLR as well.
func TestReportRegion(t *testing.T) {
	for _, c := range []struct {
		name             string
		n                int
		tot, share, ex   float64
		fine, coarseSave bool
	}{
		{"strong evidence, well expected", 12, 120, 0.03, 60, true, true},
		{"a weak pattern's region: expects 19 nats, carries 58", 12, 58, 0.024, 19, true, false},
		{"expectation exactly the evidence asked", 12, 58, 0.024, dqRegionLLR, true, true},
		{"too few cells", 2, 120, 0.03, 60, false, false},
		{"too little evidence", 12, 39, 0.03, 60, false, false},
		{"most of the document", 300, 2000, 0.4, 1000, false, false},
		{"evidence beyond 4.5 times the expectation", 12, 300, 0.03, 60, false, false},
	} {
		if got := reportRegion(c.n, c.tot, c.share, c.ex, false); got != c.fine {
			t.Errorf("%s, fine last save: %v, want %v", c.name, got, c.fine)
		}
		if got := reportRegion(c.n, c.tot, c.share, c.ex, true); got != c.coarseSave {
			t.Errorf("%s, coarse last save: %v, want %v", c.name, got, c.coarseSave)
		}
	}
}
