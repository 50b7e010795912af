package docread

import (
	"math"
	"testing"

	"github.com/kycq/kycq/kyc"
)

// TestSpanGap gives spanGap literal column counts (20 columns a pitch,
// the first at −0.5): a glyph inside the window, a window holding the
// halves of two glyphs with the gap between them at known places, and
// a window of ink from end to end.
func TestSpanGap(t *testing.T) {
	cols := func(s string) []int {
		out := make([]int, len(s))
		for i, c := range s {
			out[i] = int(c - '0')
		}
		return out
	}
	cases := []struct {
		name   string
		cols   string
		span   bool
		gap    float64
		hasGap bool
	}{
		{"a glyph inside", "00099999999999990000", false, 0, false},
		{"ink at one end only", "99999999990000000000", false, 0, false},
		{"a gap at the centre", "99999999000099999999", true, 0, true},
		{"a gap left of the centre", "99900009999999999999", true, -0.25, true},
		{"two gaps, the nearer kept", "90099999999990000999", true, 0.25, true},
		{"one free column is no gap", "99999999909999999999", true, 0, false},
		{"ink from end to end", "99999999999999999999", true, 0, false},
	}
	for _, c := range cases {
		span, gap, ok := spanGap(cols(c.cols), 20, 0.5)
		if span != c.span || ok != c.hasGap || math.Abs(gap-c.gap) > 1e-9 {
			t.Errorf("%s: span %v gap %.3f %v, want %v %.3f %v", c.name, span, gap, ok, c.span, c.gap, c.hasGap)
		}
	}
}

// TestTrackCells reads the TD2 specimen's first line on a grid whose
// pitch is 2 % short of the print's: by the line's middle its cells lie
// half a pitch off their glyphs (a run of windows holding two halves,
// spanRun), and the grid's reading is garbled; the tracked reading
// carries the phase from glyph to glyph and reads the line exactly.
func TestTrackCells(t *testing.T) {
	p, lines, fit, _ := readSpecimen(t, td2Specimen, 16)
	l := lines[0]
	short := l
	short.ux, short.uy = l.ux*0.98, l.uy*0.98
	short.n = l.n + 1
	thr := lineThreshold(p, short)
	if !spanRun(p, short, 0, short.n, thr) {
		t.Fatal("the short grid has no run of cells whose ink spans the window")
	}
	gsc, _, gs, _ := scoreLineAt(p, short, len(td2Specimen[0]), fit)
	tsc, ts, ok := scoreLineTracked(p, short, len(td2Specimen[0]), fit)
	if !ok {
		t.Fatal("the short grid was not tracked")
	}
	read := func(sc []cellScores) string {
		text, _ := decodeMRZ(kyc.ReadTD2, [][]cellScores{sc, sc}, false)
		return text[0]
	}
	if got := read(gsc); got == td2Specimen[0] {
		t.Fatalf("the short grid read the line exactly (%.3f): no test", gs)
	}
	if got := read(tsc); got != td2Specimen[0] || ts <= gs {
		t.Errorf("tracked: %q at %.3f (grid %.3f), want %q", got, ts, gs, td2Specimen[0])
	}
	// On the specimen's own grid no cell spans its window: not tracked.
	if _, _, ok := scoreLineTracked(p, l, len(td2Specimen[0]), fit); ok {
		t.Error("the specimen's own grid was tracked")
	}
}

// BenchmarkTrackCells is the tracked reading of TestTrackCells' short
// grid (spanRun and trackCells), in thread CPU.
func BenchmarkTrackCells(b *testing.B) {
	p, lines, fit, _ := readSpecimen(b, td2Specimen, 12)
	short := lines[0]
	short.ux, short.uy = short.ux*0.98, short.uy*0.98
	short.n++
	m := newCPUMeter()
	for b.Loop() {
		m.begin()
		scoreLineTracked(p, short, len(td2Specimen[0]), fit)
		m.end()
	}
	m.report(b)
}
