package docread

import (
	"context"
	"math"
	"slices"
	"testing"
	"time"

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
	tsc, _, ts, ok := scoreLineTracked(p, short, len(td2Specimen[0]), fit)
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
	if _, _, _, ok := scoreLineTracked(p, l, len(td2Specimen[0]), fit); ok {
		t.Error("the specimen's own grid was tracked")
	}
}

// TestTrackedZone reads the TD2 specimen with TestTrackCells' short grid
// for its first line. The tracked line carries where its cells were
// read: classified again there, as the later rules of Readable sample
// them (floorScores, secondLook), the cells read the line exactly, and
// the zone, every rule holding on those cells, is Readable and exact.
// Without vouchTracked it is read exactly but as a retake.
func TestTrackedZone(t *testing.T) {
	p, lines, fit, _ := readSpecimen(t, td2Specimen, 16)
	short := lines[0]
	short.ux, short.uy = short.ux*0.98, short.uy*0.98
	short.n++
	_, tl, _, ok := scoreLineTracked(p, short, len(td2Specimen[0]), fit)
	if !ok || tl.placed == nil || tl.n != len(td2Specimen[0]) || len(tl.placed.at) != tl.n {
		t.Fatalf("the short grid was not tracked to a placed line of %d cells: %v %+v", len(td2Specimen[0]), ok, tl)
	}
	thr := lineThreshold(p, tl)
	again := make([]cellScores, tl.n)
	for k := range again {
		x, y, ux, uy := tl.centre(float64(k))
		ux, uy = fit.scale*ux, fit.scale*uy
		classifyWith(p, cellFrame{cx: x, cy: y, ux: ux, uy: uy, vx: -uy, vy: ux}, thr, fit.ts, &again[k])
	}
	if text, _ := decodeMRZ(kyc.ReadTD2, [][]cellScores{again, again}, false); text[0] != td2Specimen[0] {
		t.Errorf("the placed cells read %q, want %q", text[0], td2Specimen[0])
	}
	c := mrzCandidate{lines: []textLine{short, lines[1]}}
	now := time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)
	for _, vouch := range []bool{true, false} {
		old := vouchTracked
		vouchTracked = vouch
		h, ok := recogniseCells(context.Background(), p, c, len(td2Specimen[0]), now)
		vouchTracked = old
		if !ok || !slices.Equal(h.lines, td2Specimen) || h.data.Readable != vouch {
			t.Errorf("vouchTracked %v: read %q, Readable %v; want the specimen, Readable %v", vouch, h.lines, h.data.Readable, vouch)
		}
	}
}

// TestPlacedCentre places the three cells of a line literally and asks
// for cell centres: a placed cell, a fraction of a pitch along the line
// from the nearest one, beyond either end, and the same cells after sub
// and reversed (a sub not starting on a whole cell is fitted from where
// the placed line puts its start). A fitted line (placed nil) keeps its
// curve.
func TestPlacedCentre(t *testing.T) {
	fitted := textLine{x0: 10, y0: 20, ux: 10, uy: 0, n: 3}
	placed := fitted
	placed.placed = &placement{[]cellPlace{{11, 20, 10, 0}, {23, 21, 10, 0}, {30, 20, 10, 1}}}
	cases := []struct {
		name         string
		l            textLine
		i            float64
		x, y, ux, uy float64
	}{
		{"fitted", fitted, 1.5, 25, 20, 10, 0},
		{"a placed cell", placed, 1, 23, 21, 10, 0},
		{"a fifth of a pitch after", placed, 1.2, 25, 21, 10, 0},
		{"four tenths before", placed, 1.6, 26, 19.6, 10, 1},
		{"before the first", placed, -0.5, 6, 20, 10, 0},
		{"after the last", placed, 2.5, 35, 20.5, 10, 1},
		{"sub from cell 1", placed.sub(1, 2), 0, 23, 21, 10, 0},
		{"sub half a cell in is fitted", placed.sub(0.5, 2), 1, 28, 21, 10, 0},
		{"reversed", placed.reversed(), 0, 30, 20, -10, -1},
		{"reversed, a fifth along", placed.reversed(), 2.2, 9, 20, -10, 0},
	}
	for _, c := range cases {
		x, y, ux, uy := c.l.centre(c.i)
		if math.Abs(x-c.x) > 1e-9 || math.Abs(y-c.y) > 1e-9 || ux != c.ux || uy != c.uy {
			t.Errorf("%s: centre(%g) = (%g, %g) (%g, %g), want (%g, %g) (%g, %g)", c.name, c.i, x, y, ux, uy, c.x, c.y, c.ux, c.uy)
		}
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
