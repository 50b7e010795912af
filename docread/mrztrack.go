package docread

import "math"

// Cells a line's grid cannot centre (issue 11, hard print, fourteenth
// pass). A zone's lines are fitted as straight lines of evenly spaced
// cells; a page bent in the photo (a passport's data page rarely lies
// flat) curves the line and varies its pitch, so the printed glyphs
// drift off the grid along it. Where the drift nears half a pitch, a
// cell's window holds the halves of two glyphs: its ink spans the
// window, inkCentre centres it on the gap between them, and the run of
// such cells is read garbled (dev seed 120's TD3 0013: the cells 1–11
// of its name line). trackCells reads such a line again with each cell
// placed one pitch after the glyph of the cell before it, the phase
// carried along the line instead of taken from the grid.

// Tracking a line (trackCells).
const (
	// minSpanRun is the run of cells whose ink spans the window that
	// makes a line tracked.
	minSpanRun = 3
	// maxDrift bounds, in pitches along the line, how far a tracked cell
	// may lie from its grid cell; beyond it the grid cell is used.
	maxDrift = 1.25
	// maxAcross bounds, in pitches across the line, how far a tracked
	// glyph's centre may lie from the line.
	maxAcross = 0.3
	// minAdvance and maxAdvance bound, in pitches, the distance along
	// the line from one tracked glyph to the next.
	minAdvance, maxAdvance = 0.7, 1.3
	// centreGap bounds, in pitches from a cell's place, a gap between
	// two glyphs that moves the cell half a pitch from it; a gap
	// farther out is the edge of a glyph near its place, which the
	// cell keeps.
	centreGap = 0.25
)

// inkSpan samples cell f as inkCentre does and reports whether its ink
// spans the window along the line (no column at either end is free of
// ink), and then the centre, in pitches from the cell's centre, of the
// run of columns free of ink nearest the centre (at least two columns,
// a tenth of a pitch), if any: the gap between two glyphs.
func inkSpan(p *plane, f cellFrame, thr float64) (span bool, gap float64, hasGap bool) {
	cols, _ := cellInk(p, f, thr)
	return spanGap(cols[:], cellN, cellSpanS)
}

// spanGap is inkSpan on the counts of ink samples of the window's
// columns, n columns a pitch, the first at −spanS pitches.
func spanGap(cols []int, n int, spanS float64) (span bool, gap float64, hasGap bool) {
	s0, s1 := bounds(cols, 2)
	if s0 != 0 || s1 != len(cols)-1 {
		return false, 0, false
	}
	best := math.Inf(1)
	for i := 0; i < len(cols); {
		if cols[i] >= 2 {
			i++
			continue
		}
		j := i
		for j < len(cols) && cols[j] < 2 {
			j++
		}
		if j-i >= 2 {
			c := -spanS + float64(i+j)/2/float64(n)
			if math.Abs(c) < math.Abs(best) {
				best = c
			}
		}
		i = j
	}
	if math.IsInf(best, 1) {
		return true, 0, false
	}
	return true, best, true
}

// spanRun reports whether at least minSpanRun consecutive cells of the
// n cells of l from lo on have ink spanning their window.
func spanRun(p *plane, l textLine, lo, n int, thr float64) bool {
	run := 0
	for k := 0; k < n; k++ {
		x, y, ux, uy := l.centre(float64(k + lo))
		if span, _, _ := inkSpan(p, cellFrame{cx: x, cy: y, ux: ux, uy: uy, vx: -uy, vy: ux}, thr); span {
			run++
			if run >= minSpanRun {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}

// trackCells scores the n cells of l from lo on as scoreLineAt does
// (glyph scale g, templates ts), each cell placed one pitch along the
// line after the glyph of the cell before it: that glyph's ink centre,
// or, where its ink spans the window, half a pitch from the gap between
// the two glyphs the window holds, on the side of the cell's place. A
// cell placed farther than maxDrift from its grid cell is placed on the
// grid. It returns the scores, each cell's best score (0: no contrast)
// and where each cell was read.
func trackCells(p *plane, l textLine, lo, n int, thr, g float64, ts []template) ([]cellScores, []float64, []cellPlace) {
	all := make([]cellScores, n)
	best := make([]float64, n)
	at := make([]cellPlace, n)
	var px, py float64
	for k := 0; k < n; k++ {
		gx, gy, ux, uy := l.centre(float64(k + lo))
		cx, cy := gx, gy
		if k > 0 {
			cx, cy = px+ux, py+uy
			pp := ux*ux + uy*uy
			along := ((cx-gx)*ux + (cy-gy)*uy) / pp
			across := ((cx-gx)*-uy + (cy-gy)*ux) / pp
			if math.Abs(along) > maxDrift {
				along = 0
			}
			if math.Abs(across) > maxAcross {
				across = 0
			}
			cx, cy = gx+along*ux-across*uy, gy+along*uy+across*ux
		}
		u := cellFrame{cx: cx, cy: cy, ux: ux, uy: uy, vx: -uy, vy: ux}
		// The glyph's offset along the line from the cell's place: one
		// whose advance from the glyph before is within minAdvance and
		// maxAdvance pitches (a glyph is never read twice nor skipped).
		s, t := 0.0, 0.0
		if span, gap, ok := inkSpan(p, u, thr); span && ok && math.Abs(gap) < centreGap {
			s = gap + 0.5
			if gap > 0 {
				s = gap - 0.5
			}
		} else if !span {
			if cs, ct, ok := inkCentre(p, u, thr); ok {
				s, t = cs, ct
			}
		}
		if k > 0 {
			pp := ux*ux + uy*uy
			adv := ((cx+s*ux-px)*ux + (cy+s*uy-py)*uy) / pp
			if adv < minAdvance || adv > maxAdvance {
				s, t = 0, 0
			}
		}
		mx, my := u.point(s, t)
		f := cellFrame{cx: mx, cy: my, ux: g * ux, uy: g * uy, vx: -g * uy, vy: g * ux}
		if classifyWith(p, f, thr, ts, &all[k]) {
			best[k] = float64(max32(all[k][:]))
		}
		px, py = mx, my
		at[k] = cellPlace{mx, my, ux, uy}
	}
	return all, best, at
}

func max32(v []float32) float32 {
	m := v[0]
	for _, x := range v[1:] {
		m = max(m, x)
	}
	return m
}

// scoreLineTracked is scoreLineAt with the print fit fit (measured on
// the zone's first line) for a line with a run of cells the grid cannot
// centre (spanRun), read by trackCells: the scores of the window of
// cells with the best mean score, the line of those cells placed where
// they were read (textLine.placed), and the mean. It returns false when
// the line has no such run.
func scoreLineTracked(p *plane, l textLine, cells int, fit printFit) ([]cellScores, textLine, float64, bool) {
	lo, hi := min(0, l.n-cells), max(0, l.n-cells)
	n := cells + hi - lo
	thr := lineThreshold(p, l)
	if fit.scale <= 0 || !spanRun(p, l, lo, n, thr) {
		return nil, textLine{}, 0, false
	}
	all, best, at := trackCells(p, l, lo, n, thr, fit.scale, fit.ts)
	bo, bs := bestWindow(best, cells)
	out := l.sub(float64(bo+lo), cells)
	out.placed = &placement{at[bo : bo+cells]}
	return all[bo : bo+cells], out, bs / float64(cells), true
}
