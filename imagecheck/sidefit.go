package imagecheck

import "math"

// A side of the outline can be fitted a few pixels off the card's edge at
// one end and right at the other: a printed frame line near the edge taken
// for the side, or a tile's joint running almost along it. Its support then
// stops short of the corner at the end that is off, and in that stretch the
// card's own edge inside and the background's edges beyond pair up as a
// crossing: a clean card called cut off (development seeds 417 and 421,
// issue 16). refitSides turns each such side about its far end onto the
// card's own edge near the corner: the line there must be backed by step
// edges with the card's ground just inside them, as it is further along
// the same side, and something else just beyond (the background beyond is
// not compared with the background further along: on tiles it changes from
// tile to tile). A printed line inside the edge has the card's ground on
// both sides; a fingertip over the corner hides the card's ground inside
// the corner's sides, so no line there is backed from near the corner, and
// a line turned onto the finger's own outline leaves the finger's stretch
// of the sides unbacked as before. The corners are then judged again as
// always (cornerScores), and a corner's new score counts only where its
// sides' support now runs on nearer to it (fitCloser).

const (
	fitReach  = 0.1  // short sides the side's end at a corner may move either way (at most fitMax small pixels)
	fitMax    = 10   // small pixels
	fitTurn   = 1    // small pixels the far end may move either way
	fitProbe  = 3    // small pixels either side of the line where the colours are read
	fitLike   = 12   // largest channel difference (as the edge map's planes) to the side's reference colours
	fitStep   = 15   // what lies beyond must differ from the card's ground by at least this much
	fitRef0   = 0.5  // the reference colours are read from this far along the side from the corner
	fitRef1   = 0.9  // to this far
	fitGap    = 0.15 // short sides: the new line's steps must start this near the corner
	fitGain   = 2    // small pixels nearer than the side's own
	fitCloser = 0.02 // short sides: how much nearer a corner its sides' support must come for its score to be taken again
	fitHold   = 0.35 // share of the first half of the side (from the corner) the new line must back as a card/background step
)

// sideRef is a side's card/background step: the median colours just
// inside and just beyond it along its stretch from fitRef0 to fitRef1 of
// the way from corner a to corner b, at the samples backed by a step edge.
type sideRef struct {
	in, out [3]float32
	ok      bool
}

func newSideRef(l *line, e *edgeMap, a, b [2]float64, nx, ny float64) sideRef {
	n := int(dist(a, b))
	var ins, outs [3][]float32
	for k := int(fitRef0 * float64(n)); k <= int(fitRef1*float64(n)); k++ {
		t := float64(k) / float64(max(n, 1))
		x, y := closestOn(l, a[0]+(b[0]-a[0])*t, a[1]+(b[1]-a[1])*t)
		if !e.inside(x-fitProbe*nx, y-fitProbe*ny) || !e.inside(x+fitProbe*nx, y+fitProbe*ny) || !stepBacked(l, e, x, y) {
			continue
		}
		ci, co := e.colour(x-fitProbe*nx, y-fitProbe*ny), e.colour(x+fitProbe*nx, y+fitProbe*ny)
		for c := 0; c < 3; c++ {
			ins[c] = append(ins[c], ci[c])
			outs[c] = append(outs[c], co[c])
		}
	}
	var r sideRef
	if len(ins[0]) < 8 {
		return r
	}
	for c := 0; c < 3; c++ {
		r.in[c], r.out[c] = float32(median32(ins[c])), float32(median32(outs[c]))
	}
	r.ok = colourDiff(r.in, r.out) >= fitStep
	return r
}

// inside reports whether (x, y) lies inside the edge map, off its border.
func (e *edgeMap) inside(x, y float64) bool {
	xi, yi := int(math.Round(x)), int(math.Round(y))
	return xi >= 1 && yi >= 1 && xi < e.w-1 && yi < e.h-1
}

// cardStep reports whether the point (x, y) of l (outward normal nx, ny)
// is backed by a step edge with the card's ground of r just inside and
// something unlike it (by fitStep) just beyond.
func cardStep(l *line, e *edgeMap, r sideRef, x, y, nx, ny float64) bool {
	if !e.inside(x-fitProbe*nx, y-fitProbe*ny) || !e.inside(x+fitProbe*nx, y+fitProbe*ny) {
		return false
	}
	in, out := e.colour(x-fitProbe*nx, y-fitProbe*ny), e.colour(x+fitProbe*nx, y+fitProbe*ny)
	if colourDiff(in, r.in) > fitLike || colourDiff(in, out) < fitStep {
		return false
	}
	return stepBacked(l, e, x, y)
}

// stepGap walks l from p towards q (small pixels, every pixel) and
// returns how far it runs before its card/background steps (cardStep)
// resume, as resume judges support (the first window of gapWindow samples
// at least half backed), and the share of the samples backed.
func stepGap(l *line, e *edgeMap, r sideRef, p, q [2]float64, nx, ny float64) (gap, share float64) {
	n := int(dist(p, q))
	if n < gapWindow {
		return math.Inf(1), 0
	}
	ok := make([]bool, n+1)
	sup := 0
	for k := 0; k <= n; k++ {
		t := float64(k) / float64(n)
		ok[k] = cardStep(l, e, r, p[0]+(q[0]-p[0])*t, p[1]+(q[1]-p[1])*t, nx, ny)
		if ok[k] {
			sup++
		}
	}
	return backedFrom(n, func(k int) bool { return ok[k] }), float64(sup) / float64(n+1)
}

// backedFrom is where support resumes along samples 0 to last (ok says
// which are backed): the start of the first window of gapWindow samples
// at least half backed, +Inf when no window ending by last is.
func backedFrom(last int, ok func(k int) bool) float64 {
	run := 0
	for k := 0; k <= last; k++ {
		if ok(k) {
			run++
		}
		if k >= gapWindow && ok(k-gapWindow) {
			run--
		}
		if k >= gapWindow-1 && 2*run >= gapWindow {
			return float64(k - gapWindow + 1)
		}
	}
	return math.Inf(1)
}

// refitSides returns q with each side whose support stops crossMinGap
// short sides or more short of a corner inside the frame turned about its
// far end (within fitTurn pixels) onto the card's own edge at that corner
// (see above): of the lines whose end there moves at most fitReach short
// sides either way and that back fitHold of the side's first half with
// such steps, those whose steps start nearest the corner (to within a
// pixel), at most fitGap short sides from it and fitGain pixels nearer
// than the side's own; of these the best backed, the least moved among
// equals. The corners are where the new sides meet (each within a few
// pixels of the old). changed reports whether any side moved.
func refitSides(q quad, e *edgeMap, w, h int) (out quad, changed bool) {
	short := shortest(q.c)
	reach := math.Min(fitMax, math.Round(fitReach*short))
	if reach < 2 {
		return q, false
	}
	gaps := cornerGaps(q)
	cx, cy := centroid(q.c)
	diag := int(math.Ceil(math.Hypot(float64(e.w), float64(e.h))))
	ls := q.side
	for s := 0; s < 4; s++ {
		l := q.side[s]
		if l.frame {
			continue
		}
		nx, ny := q.outwardNormal(s, cx, cy)
		// Side s runs from corner s (its gap: gaps[s][0]) to corner s+1
		// (gaps[s+1][1]).
		for end := 0; end < 2; end++ {
			g := gaps[s][0]
			a, b := q.c[s], q.c[(s+1)%4]
			if end == 1 {
				g = gaps[(s+1)%4][1]
				a, b = b, a
			}
			if g < crossMinGap || outsideFrame(a[0], a[1], w, h) {
				continue
			}
			r := newSideRef(l, e, a, b, nx, ny)
			if !r.ok {
				continue
			}
			type cand struct {
				l          *line
				da         float64
				gap, share float64
			}
			var cs []cand
			orig, least := math.Inf(1), math.Inf(1)
			for da := -reach; da <= reach; da++ {
				for db := -fitTurn; db <= fitTurn; db++ {
					pa := [2]float64{a[0] + da*nx, a[1] + da*ny}
					pb := [2]float64{b[0] + float64(db)*nx, b[1] + float64(db)*ny}
					c := lineThrough(pa, pb)
					if c == nil {
						continue
					}
					mid := [2]float64{(pa[0] + pb[0]) / 2, (pa[1] + pb[1]) / 2}
					gap, share := stepGap(c, e, r, pa, mid, nx, ny)
					if da == 0 && db == 0 {
						orig = gap
					}
					if share < fitHold {
						continue
					}
					cs = append(cs, cand{c, da, gap, share})
					least = math.Min(least, gap)
				}
			}
			// Of the lines backed nearest the corner (to within a
			// pixel), the best backed, the least moved among equals. (A
			// printed line inside the edge has the card's ground either
			// side: no card/background step.)
			var best *line
			bestD, bestShare := math.Inf(1), 0.0
			for _, c := range cs {
				if c.gap > least+1 {
					continue
				}
				if c.share > bestShare || (c.share == bestShare && math.Abs(c.da) < bestD) {
					best, bestD, bestShare = c.l, math.Abs(c.da), c.share
				}
			}
			if least > fitGap*short || least+fitGain > orig {
				best = nil
			}
			if best != nil && bestD != 0 {
				profile(best, *e, diag)
				ls[s] = best
				changed = true
				break
			}
		}
	}
	if !changed {
		return q, false
	}
	out = q
	out.side = ls
	for i := 0; i < 4; i++ {
		x, y, ok := cornerOf(ls[(i+3)%4], ls[i], w, h)
		if !ok || dist([2]float64{x, y}, q.c[i]) > reach+fitTurn+2 {
			return q, false
		}
		out.c[i] = [2]float64{x, y}
	}
	return out, true
}

// refitScores merges the corner scores rs of a refitted outline (its gaps
// ng) into those of the outline found (cs, gaps og): a corner takes its new
// score, if higher, only where the new sides' support runs on nearer it by
// fitCloser (a pivot moves the far corner too), and never where it scored
// 0 (covered outright, or out of the photo), as with snapSides and
// swapSide: that is no side fitted askew, and a side turned there can run
// under the fingertip over the corner, whose own outline then backs it
// near the corner (issue 16, development seed 700's 00192: 0 on the
// outline found, 0.86 on the refitted one).
func refitScores(cs, rs [4]float64, og, ng [4][2]float64) [4]float64 {
	for i := range cs {
		if cs[i] <= 0 {
			continue
		}
		if ng[i][0]+ng[i][1] <= og[i][0]+og[i][1]-fitCloser {
			cs[i] = math.Max(cs[i], rs[i])
		}
	}
	return cs
}
