package imagecheck

import "math"

// A card of two tones — a pale panel with the fields and a coloured band
// along one edge — can be outlined by its panel: the panel's edge is
// crisp, the card's outer edge along the band fainter (faint indeed when
// the band's tone is close to the table's). When the card runs out of the
// frame beyond the band, the panel is the only whole outline in the photo
// and its corners are clean. runsToFrame wants an even band, unlike the
// background, within bandFar of the side; a band printed with the
// issuer's name or an emblem is not even, a band of the table's tone not
// unlike it, a side band not that near. What such a photo still shows is
// the card's own edges: the sides meeting the panel's side facing the
// photo's edge are the card's (the panel runs to the card's edge there),
// and they run on past the panel's corners, straight and backed, to the
// photo's edge. A document lying whole ends its sides at its corners;
// beyond them lies the table, whose lines (a strip, tiles, a wood's
// grain) that happen to run in line with a side run on past its far
// corner as well. (On development seed 708 the bands this catches are of
// strong colours refused by runsToFrame for their print or depth; those
// of the table's tone it has not caught: their outer edge rarely backs
// the run.)

const (
	// The run of the card's edge from the panel's corner to the photo's
	// edge, in the outline's short sides: at least edgeRunMin (a drop
	// shadow or a corner's rounding backs a few pixels past a whole
	// card's corner, and a wood's grain running along a card's side can
	// back a short run: classic seed 713's 00186, a whole card whose
	// header band faced the photo's edge, runs 0.09 and 0.29; the band
	// cut-offs caught on development seed 708 run 0.4–0.6), at most
	// edgeRunMax (a band is a part of the card: on ID-1 cards up to
	// about half of the panel's short side).
	edgeRunMin = 0.15
	edgeRunMax = 0.6
	// Past the far corners a line backed over this share of the run is
	// the table's: a wood's grain along a card's side backs half of it
	// (classic seed 7's over-exposed 00643: 0.55 past a whole card's far
	// corner, its near ends 0.73 and 1.00), the band cut-offs caught on
	// development seed 708 leave 0.37 at most.
	edgeFarMax = 0.5
)

// edgesToFrame returns the side of the whole outline q (every corner in
// the w×h frame, no side on it) beyond which the card's edges run on to
// the photo's edge (edgesRunOut), or -1.
func edgesToFrame(q quad, e *edgeMap, w, h int) int {
	if !wholeInFrame(q, w, h) {
		return -1
	}
	short := shortest(q.c)
	fw, fh := float64(w), float64(h)
	for i := 0; i < 4; i++ {
		if edgesRunOut(q, i, short, fw, fh, e) {
			return i
		}
	}
	return -1
}

// edgesRunOut reports whether, at both ends of side i of q, the side
// meeting it runs on past the corner, in line (up to bandEdgeOff short
// sides further out: a narrow border of the band's colour around the
// panel), as a step edge backed over outerMinSup of its run, to the
// photo's edge, edgeRunMin to edgeRunMax short sides away (bandEnds'
// measure, both ends required), while past the far corner of each side
// meeting it no step edge runs on in line with it, backed over
// edgeFarMax, over at least half that run (lineOnPast).
func edgesRunOut(q quad, i int, short, fw, fh float64, e *edgeMap) bool {
	// The two ends: the corner a on side i, the far corner o of the side
	// meeting it there, the direction on from o to a, the run to the
	// photo's edge (the cheap tests first).
	var a, o [2][2]float64
	var v [2][2]float64
	var far [2]float64
	for end := 0; end < 2; end++ {
		a[end], o[end] = q.c[i], q.c[(i+3)%4]
		if end == 1 {
			a[end], o[end] = q.c[(i+1)%4], q.c[(i+2)%4]
		}
		m := dist(a[end], o[end])
		v[end] = [2]float64{(a[end][0] - o[end][0]) / m, (a[end][1] - o[end][1]) / m}
		far[end] = toFrame(a[end][0], a[end][1], v[end][0], v[end][1], fw, fh)
		if far[end] < edgeRunMin*short || far[end] > edgeRunMax*short {
			return false
		}
	}
	if !bandEnds(q, i, short, fw, fh, e) {
		return false
	}
	for end := 0; end < 2; end++ {
		// Past the side's far corner o, the other way, the card's edge
		// ends; a line of the table in line with it runs on there too.
		// Too little of the photo there to tell: no evidence.
		if on, judged := lineOnPast(o[end], -v[end][0], -v[end][1], far[end], short, fw, fh, e); on || !judged {
			return false
		}
	}
	return true
}

// lineOnPast reports whether a step edge runs on from the corner c along
// (vx, vy), in line with the side ending there (up to bandEdgeOff short
// sides either way across it), backed over edgeFarMax of run small
// pixels or as far as the photo goes; and whether the photo goes far
// enough to tell: half of run, and edgeRunMin short sides (a whole
// document lying at the photo's edge past its far corners, development
// seed 709's clean passport 00030 on tiles, leaves no room).
func lineOnPast(c [2]float64, vx, vy, run, short, fw, fh float64, e *edgeMap) (on, judged bool) {
	start := stepReach + 1
	room := toFrame(c[0], c[1], vx, vy, fw, fh)
	if room < run/2 || room < edgeRunMin*short || room-start < bandMinRun {
		return false, false
	}
	far := math.Min(run, room)
	for d := -bandEdgeOff * short; d <= bandEdgeOff*short; d++ {
		// Across the side: the normal to (vx, vy).
		p0 := [2]float64{c[0] - d*vy + start*vx, c[1] + d*vx + start*vy}
		p1 := [2]float64{c[0] - d*vy + (far-1)*vx, c[1] + d*vx + (far-1)*vy}
		l := lineThrough(p0, p1)
		if l == nil {
			continue
		}
		if sup, in := segmentSupport(l, e, p0, p1); in > 0 && float64(sup) >= edgeFarMax*float64(in) {
			return true, true
		}
	}
	return false, true
}
