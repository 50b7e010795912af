package imagecheck

import "math"

// An outline with a side on the photo's edge says the document runs out
// of the frame there. A document cut off by the frame shows the two sides
// that meet the frame up to the frame; when both stop well short of it,
// the document ends inside the photo, and its side there is too faint to
// have been found (a pale card on a pale desk, on white tiles or on a
// sheet of paper), so the outline ranked first is the one that puts that
// side on the photo's edge. frameShort then puts the side back where the
// two sides stop: the line through the two points where their support
// resumes, coming from the frame.
//
// The outline can also be the part of a card below a band across it (a
// header band, a machine-readable zone on a back), the band's edge taken
// for a side: on pale tiles the card's sides then run on along joints in
// line with them and the outline takes the photo's edge for its far side
// (development seeds 521 and 522, issue 16: two clean backs called cut
// off). Closed where the sides stop, such an outline is longer than a
// document (2.36 and 2.41 there), and frameShort refuses it. In analyse,
// panelShort also takes a closed outline up to panelMaxAspect: the card
// ends where its sides stop either way, and its corners there are its
// own.

// frameShortGap is how far (in short sides of the outline) one of the
// two sides meeting the frame must stop short of it; the other must stop
// crossMinGap short. A card lying at a slant near the photo's edge can
// have one corner a few pixels from it (development seed 356's clean
// 00082, on marble: 0.06 and 0.14 short sides), while a card running out
// of the frame shows both sides up to it.
const frameShortGap = 0.08

// frameShort returns q with a side on the photo's edge replaced by the
// line joining where the two sides meeting it stop (see above), when
// they stop short of the frame (see frameShortGap) and the result has
// a document's shape; q itself otherwise, and when two of its sides are
// the photo's edges (those were only made of sides reaching the frame:
// reachesFrame).
func frameShort(q quad, e *edgeMap, w, h int) quad {
	return closeShort(q, e, w, h, documentShape)
}

// panelShort is frameShort, also taking a closed outline longer than a
// document (panelShape): the part of a card below a band (see above).
func panelShort(q quad, e *edgeMap, w, h int) quad {
	return closeShort(q, e, w, h, func(c [4][2]float64, w, h int) bool {
		return documentShape(c, w, h) || panelShape(c, w, h)
	})
}

// closeShort is frameShort with the closed outline taken when shape
// accepts its corners.
func closeShort(q quad, e *edgeMap, w, h int, shape func(c [4][2]float64, w, h int) bool) quad {
	i, n := -1, 0
	for k, l := range q.side {
		if l.frame {
			i = k
			n++
		}
	}
	if n != 1 {
		return q
	}
	// Side i runs from corner i to corner i+1 (both beyond the frame);
	// side i-1 arrives at corner i, side i+1 leaves corner i+1.
	a, b := q.side[(i+3)%4], q.side[(i+1)%4]
	ca, cb := q.c[i], q.c[(i+1)%4]
	fa, fb := q.c[(i+3)%4], q.c[(i+2)%4] // the far ends of sides a and b
	short := shortest(q.c)
	ga, ta := a.resume(a.param(ca[0], ca[1]), a.param(fa[0], fa[1]))
	gb, tb := b.resume(b.param(cb[0], cb[1]), b.param(fb[0], fb[1]))
	if math.Min(ga, gb) < crossMinGap*short || math.Max(ga, gb) < frameShortGap*short {
		return q
	}
	// Where the support resumes is where a side's straight run starts
	// (to within half a gap window): a rounded corner lies a little
	// further towards the frame. Of the lines joining points from half a
	// gap window back to frameShortReach short sides further out on each
	// side, the one best backed by step edges between them.
	ua := unitTowards(a, ta, ca)
	ub := unitTowards(b, tb, cb)
	l, pa, pb := closingLine(a, ta, ua, b, tb, ub, short, e)
	if l == nil {
		return q
	}
	out := q
	out.c[i], out.c[(i+1)%4] = pa, pb
	out.side[i] = l
	if !shape(out.c, w, h) {
		return q
	}
	profile(l, *e, int(math.Ceil(math.Hypot(float64(e.w), float64(e.h)))))
	return out
}

// closingLine is the line best backed by step edges between its points
// on a (from half a gap window back from ta, towards ua, to
// frameShortReach short sides beyond it) and on b (likewise from tb
// towards ub), with those points; nil when there is none.
func closingLine(a *line, ta, ua float64, b *line, tb, ub, short float64, e *edgeMap) (*line, [2]float64, [2]float64) {
	reach := int(math.Round(frameShortReach * short))
	var pa, pb [2]float64
	var l *line
	best := -1
	for da := -gapWindow / 2; da <= reach; da++ {
		for db := -gapWindow / 2; db <= reach; db++ {
			xa, ya := a.point(ta + float64(da)*ua)
			xb, yb := b.point(tb + float64(db)*ub)
			c := lineThrough([2]float64{xa, ya}, [2]float64{xb, yb})
			if c == nil {
				continue
			}
			if s, _ := segmentSupport(c, e, [2]float64{xa, ya}, [2]float64{xb, yb}); s > best {
				best, l = s, c
				pa, pb = [2]float64{xa, ya}, [2]float64{xb, yb}
			}
		}
	}
	return l, pa, pb
}

// frameShortReach is how far (in short sides) beyond where a side's
// support resumes its corner may lie (a rounded corner's radius is 0.06
// short sides on an ID-1 card).
const frameShortReach = 0.1

// unitTowards is +1 or -1: the direction of l's parameter from t
// towards the point c.
func unitTowards(l *line, t float64, c [2]float64) float64 {
	if l.param(c[0], c[1]) < t {
		return -1
	}
	return 1
}

// segmentSupport counts the samples of l between the points p and q
// (every small pixel) backed by a step edge, as profile judges them, and
// the samples it could judge (inside the edge map's border).
func segmentSupport(l *line, e *edgeMap, p, q [2]float64) (sup, in int) {
	n := int(dist(p, q))
	for k := 0; k <= n; k++ {
		t := float64(k) / float64(max(n, 1))
		x, y := p[0]+(q[0]-p[0])*t, p[1]+(q[1]-p[1])*t
		xi, yi := int(math.Round(x)), int(math.Round(y))
		if xi < 1 || yi < 1 || xi >= e.w-1 || yi >= e.h-1 {
			continue
		}
		in++
		if stepBacked(l, e, x, y) {
			sup++
		}
	}
	return sup, in
}

// lineThrough is the line through the points p and q (nil when they
// coincide), in the Hough lines' convention: θ in 0..179, rho of either
// sign; its support profile is not filled in.
func lineThrough(p, q [2]float64) *line {
	dx, dy := q[0]-p[0], q[1]-p[1]
	n := math.Hypot(dx, dy)
	if n < 1 {
		return nil
	}
	nx, ny := -dy/n, dx/n
	deg := math.Atan2(ny, nx) * 180 / math.Pi
	if deg < 0 {
		deg += 360
	}
	if deg >= 180 {
		deg -= 180
		nx, ny = -nx, -ny
	}
	return &line{theta: int(math.Round(deg)) % 180, nx: nx, ny: ny, rho: p[0]*nx + p[1]*ny}
}

// panelMaxAspect is the longest aspect of a part of a card below a band
// across it (a header band, a machine-readable zone) of up to two fifths
// of the card: an ID-1 card's 1.586 over 0.6.
const panelMaxAspect = 2.65

// panelShape reports whether the corners c make a convex quadrilateral
// of a document's shape but for its aspect, which is longer than a
// document's (maxAspect) and at most panelMaxAspect.
func panelShape(c [4][2]float64, w, h int) bool {
	_, _, aspect, ok := quadShape(c, w, h)
	return ok && aspect > maxAspect && aspect <= panelMaxAspect
}

// documentShape reports whether the corners c make a convex quadrilateral
// of a document's shape (aspect minAspect–maxAspect, opposite sides
// within 0.55 of each other) covering at least 4 % of the w×h frame, as
// the ranking's hypotheses must.
func documentShape(c [4][2]float64, w, h int) bool {
	_, _, aspect, ok := quadShape(c, w, h)
	return ok && aspect >= minAspect && aspect <= maxAspect
}
