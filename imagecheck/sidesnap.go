package imagecheck

import (
	"cmp"
	"math"
	"slices"
)

// One side of an outline that is otherwise the card's can lie on a line a
// few pixels off the card's edge along its whole length: a tile joint just
// beyond the card, or a printed frame or print just inside it (issue 16,
// development seeds 450–455). Its corners then fail, and rightly for the
// corners they are given: the side is not backed by the card's edge there.
// refitSides does not help, as the side is off at both ends. snapSides is
// the reverse of marginOut: it moves such a side (one end at most snapSkew
// pixels more than the other) onto a line up to snapReach small pixels inwards or
// outwards that is a better card edge along its whole length, judged by
// edge steps (snapStep): a step edge on the line, an even colour just
// inside it (the card's ground), and something unlike that both just beyond
// and twice as far (beyond a printed line inside the card lies the card
// again; inside a side on a joint beyond the card lies a strip of the tile
// and then the card). The new side must be backed from near both its
// corners (snapGap short sides), so a fingertip over a corner, which hides
// the card at that end, leaves the side where it was. The corners are then
// scored again on the moved outline; the caller takes the new scores only
// when they all pass.

const (
	snapReach = 12   // small pixels a side may move either way
	snapMin   = 3    // small pixels it must move by (nearer is refitSides' and the support's tolerance)
	snapSkew  = 4    // small pixels one end may move more than the other (a side fitted askew)
	snapEnd   = 0.1  // share of the side at each end left out of its share backed (the card's rounded corners)
	snapHold  = 0.6  // share of the side, ends left out, the new line must back with edge steps
	snapGain  = 0.3  // by this much more than the side found
	snapGap   = 0.15 // short sides: the new line's steps must start this near both its corners
)

// snapSides returns q with at most one side of a corner scored under pass
// (of the scores cs) moved onto the card's edge next to it (see above);
// changed reports whether a side moved. Nothing moves when a corner scored
// 0 (covered outright, or out of the photo): that is no side fitted off
// the card's edge, and a side moved could take the corner from under a
// fingertip.
func snapSides(q quad, e *edgeMap, w, h int, cs [4]float64, pass float64) (out quad, changed bool) {
	short := shortest(q.c)
	if short < 4*snapReach || min(cs[0], cs[1], cs[2], cs[3]) <= 0 {
		return q, false
	}
	var try [4]bool // the sides of the failing corners
	for i, c := range cs {
		if c < pass {
			try[i], try[(i+3)%4] = true, true
		}
	}
	cx, cy := centroid(q.c)
	type cand struct {
		s      int
		da, db int
		share  float64
	}
	var cands []cand
	topShare := 0.0
	const rows = 2*snapReach + 1
	var ok [rows][]bool
	for s := 0; s < 4; s++ {
		if !try[s] || q.side[s].frame {
			continue
		}
		a, b := q.c[s], q.c[(s+1)%4]
		if outsideFrame(a[0], a[1], w, h) || outsideFrame(b[0], b[1], w, h) {
			continue
		}
		n := int(dist(a, b))
		if n < 2*gapWindow {
			continue
		}
		nx, ny := q.outwardNormal(s, cx, cy)
		// Every sample of every parallel line within reach, judged once:
		// a line turned by snapSkew pixels over the side differs in
		// direction by less than the step test's tolerance.
		for o := range ok {
			d := float64(o - snapReach)
			pa := [2]float64{a[0] + d*nx, a[1] + d*ny}
			pb := [2]float64{b[0] + d*nx, b[1] + d*ny}
			l := lineThrough(pa, pb)
			ok[o] = slices.Grow(ok[o][:0], n+1)[:n+1]
			for k := 0; k <= n; k++ {
				t := float64(k) / float64(n)
				ok[o][k] = l != nil && snapStep(l, e, pa[0]+(pb[0]-pa[0])*t, pa[1]+(pb[1]-pa[1])*t, nx, ny)
			}
		}
		at := func(da, db, k int) bool {
			o := da + int(math.Round(float64((db-da)*k)/float64(n)))
			return ok[o+snapReach][k]
		}
		own, _, _ := snapRun(n, func(k int) bool { return at(0, 0, k) })
		for da := -snapReach; da <= snapReach; da++ {
			for db := max(-snapReach, da-snapSkew); db <= min(snapReach, da+snapSkew); db++ {
				if max(absInt(da), absInt(db)) < snapMin {
					continue
				}
				sh, ga, gb := snapRun(n, func(k int) bool { return at(da, db, k) })
				if sh < snapHold || sh < own+snapGain || sh < topShare {
					continue
				}
				if ga > snapGap*short || gb > snapGap*short {
					continue
				}
				cands = append(cands, cand{s, da, db, sh})
				topShare = sh
			}
		}
	}
	if len(cands) == 0 {
		return q, false
	}
	// Of the best backed (the support's tolerance makes them a run of
	// offsets a few pixels wide), the middle one by offset.
	var ties []cand
	for _, c := range cands {
		if c.share == topShare {
			ties = append(ties, c)
		}
	}
	slices.SortStableFunc(ties, func(x, y cand) int { return cmp.Compare(x.da+x.db, y.da+y.db) })
	top := ties[len(ties)/2]
	a, b := q.c[top.s], q.c[(top.s+1)%4]
	nx, ny := q.outwardNormal(top.s, cx, cy)
	l := lineThrough([2]float64{a[0] + float64(top.da)*nx, a[1] + float64(top.da)*ny}, [2]float64{b[0] + float64(top.db)*nx, b[1] + float64(top.db)*ny})
	if l == nil {
		return q, false
	}
	diag := int(math.Ceil(math.Hypot(float64(e.w), float64(e.h))))
	profile(l, *e, diag)
	out = q
	out.side[top.s] = l
	for _, i := range []int{top.s, (top.s + 1) % 4} {
		x, y, ok := cornerOf(out.side[(i+3)%4], out.side[i], w, h)
		if !ok || dist([2]float64{x, y}, q.c[i]) > 2*snapReach {
			return q, false
		}
		out.c[i] = [2]float64{x, y}
	}
	return out, true
}

// snapRun returns the share of the samples 0..n that are edge steps
// (ok), snapEnd of them left out at each end, and how far from either end
// the steps resume (the first window of gapWindow samples at least half
// backed, as resume judges support; +Inf when they do not before the
// middle).
func snapRun(n int, ok func(k int) bool) (share, ga, gb float64) {
	k0 := int(snapEnd * float64(n))
	sup, all := 0, 0
	for k := k0; k <= n-k0; k++ {
		all++
		if ok(k) {
			sup++
		}
	}
	ga = backedFrom(n/2, ok)
	gb = backedFrom(n/2, func(k int) bool { return ok(n - k) })
	return float64(sup) / float64(all), ga, gb
}

// snapStep reports whether the point (x, y) of l (outward normal nx, ny)
// is a card's edge as far as can be told there: a step edge, the colours
// fitProbe and 2·fitProbe small pixels inside alike (within fitLike), and
// those fitProbe and 2·fitProbe beyond both unlike the inside one (by
// fitStep).
func snapStep(l *line, e *edgeMap, x, y, nx, ny float64) bool {
	const p = fitProbe
	if !e.inside(x-2*p*nx, y-2*p*ny) || !e.inside(x+2*p*nx, y+2*p*ny) {
		return false
	}
	in := e.colour(x-p*nx, y-p*ny)
	if colourDiff(in, e.colour(x-2*p*nx, y-2*p*ny)) > fitLike ||
		colourDiff(in, e.colour(x+p*nx, y+p*ny)) < fitStep ||
		colourDiff(in, e.colour(x+2*p*nx, y+2*p*ny)) < fitStep {
		return false
	}
	return stepBacked(l, e, x, y)
}
