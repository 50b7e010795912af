package imagecheck

import "math"

// A card lying whole on a surface of its own tone (a pale card on cream
// paper, on pale tiles) can show three of its sides as lines and the
// fourth not at all: where card and surface meet at the same colour
// there is no step, so no Hough line, and the card's outline is no
// hypothesis of the ranking. What ranks first is then a box printed on
// the card (its portrait, a panel) or the sheet or floor running out of
// the frame around it, and either calls a clean card cut off. The three
// sides still say where the card ends: its two sides meeting the
// faint one stop there together, their support ending at its corners,
// and a side that ends where its partner ends, both well inside the
// photo, is a document's (a card cut off by the frame shows those sides
// up to the frame; a tile joint or a sheet's edge runs on past them).
// threeSided closes such an outline with the line through the two
// points where the support stops, as frameShort does for a side put on
// the photo's edge.

// Limits on a three-sided outline.
const (
	threeMinSup = 0.35 // support of each of the three sides found (sideMinSup)
	threeMaxExt = 0.25 // support running on past their corners (outerMaxExt)
	threeExtLen = 0.2  // short sides beyond a corner over which that is measured (fillHypothesis)
	threeAngle  = 5    // degrees between the closing line and the side it faces
	// A card's proportions (ID-1 1.586, a passport page 1.42) within a
	// foreshortening of about an eighth either way: the ranking's wider
	// range admits an outline closed short of the card's end.
	threeMinAspect = 1.3
	threeMaxAspect = 1.8
	threeMinStart  = 0.15 // short sides from its corner within which a side's support must start
	threeFrameNear = 4    // small pixels: where the support stops lies at least this far from the photo's edge
	threeFrameFar  = 0.25 // short sides: a closing side with both ends this near one edge of the photo is no card's
	threeLineNear  = 3    // small pixels: a line this near both closing points is the fourth side's
	threeBreak     = 0.1  // short sides of a side unbacked that end its run
)

// threeSided returns the whole outline of a card whose fourth side makes
// no line (see above) that the outline ranked first, q, stands for: a box
// printed on it (q whole, inside it, covering under wholeMinArea of it)
// or a sheet or floor running out of the frame around it (q runs out,
// holds it, and it covers wholeMinArea–wholeMaxArea of what q shows).
// The closing line must lie on no line found (a fourth side that makes
// a line is the ranking's and outerQuad's to judge), and of several
// such outlines the one whose three sides are backed over the most
// samples is taken; false when there is none. (analyse asks only when
// outerQuad finds no outline enclosing q.)
func threeSided(q quad, lines []*line, e edgeMap, w, h int) (quad, bool) {
	if runsOut(q, w, h) || polyArea(q.c) >= wholeMinArea*float64(w*h) {
		return q, false // no outline in the photo is large enough around it
	}
	var best quad
	bestSup, found := 0, false
	for ia, a := range lines {
		for ib := ia + 1; ib < len(lines); ib++ {
			b := lines[ib]
			if angleDiff(a.theta, b.theta) > 30 {
				continue
			}
			for _, c := range lines {
				if c == a || c == b || angleDiff(c.theta, a.theta) < 50 || angleDiff(c.theta, b.theta) < 50 {
					continue
				}
				for _, s := range [2]float64{1, -1} {
					u, sup, ok := closeThree(a, b, c, s, lines, &e, w, h)
					if !ok || sup <= bestSup {
						continue
					}
					if polyArea(q.c) >= wholeMinArea*polyArea(u.c) || insideShare(u.c, q.c) < wholeInsideShare {
						continue
					}
					best, bestSup, found = u, sup, true
				}
			}
		}
	}
	if !found {
		return q, false
	}
	profile(best.side[1], e, int(math.Ceil(math.Hypot(float64(e.w), float64(e.h)))))
	return best, true
}

// closeThree closes the three sides a, b (roughly parallel) and c
// (meeting both) on the side s of c (the sign of the distance from c):
// the outline running c's corners with a and b, along a and b to where
// their support stops, and across between those points. It returns the
// outline (corners: a∩c, a's end, b's end, b∩c; sides a, the closing
// line, b, c), the samples backing its three sides found, and whether
// it is a whole card's (see threeSided).
func closeThree(a, b, c *line, s float64, lines []*line, e *edgeMap, w, h int) (quad, int, bool) {
	ax, ay, ok1 := intersect(a, c)
	bx, by, ok2 := intersect(b, c)
	if !ok1 || !ok2 || outsideFrame(ax, ay, w, h) || outsideFrame(bx, by, w, h) {
		return quad{}, 0, false
	}
	cw := dist([2]float64{ax, ay}, [2]float64{bx, by})
	if cw < 10 {
		return quad{}, 0, false
	}
	// c's support between its corners, not running on past them.
	tca, tcb := c.param(ax, ay), c.param(bx, by)
	supC, inC := c.count(tca, tcb)
	if float64(supC) < threeMinSup*float64(inC) || float64(inC) < 0.75*cw || extension(c, tca, tcb, threeExtLen*cw) > threeMaxExt {
		return quad{}, 0, false
	}
	var ends [2][2]float64
	var te, dirs [2]float64
	sup := supC
	for k, l := range [2]*line{a, b} {
		x0, y0 := ax, ay
		if k == 1 {
			x0, y0 = bx, by
		}
		// Along l away from c, on its side s.
		dir := 1.0
		if (-l.ny*c.nx+l.nx*c.ny)*s < 0 {
			dir = -1
		}
		t0 := l.param(x0, y0)
		if l.gap(t0, t0+dir*cw) > threeMinStart*cw {
			return quad{}, 0, false
		}
		_, from := l.resume(t0, t0+dir*cw)
		t1 := supportEnd(l, from, dir, math.Max(gapWindow, threeBreak*cw))
		x1, y1 := l.point(t1)
		if outsideFrame(x1, y1, w, h) || nearFrame(x1, y1, w, h) < threeFrameNear {
			return quad{}, 0, false
		}
		n, in := l.count(t0, t1)
		if float64(n) < threeMinSup*float64(in) || extension(l, t0, t1, threeExtLen*cw) > threeMaxExt {
			return quad{}, 0, false
		}
		ends[k] = [2]float64{x1, y1}
		te[k], dirs[k] = t1, dir
		sup += n
	}
	short := math.Min(cw, math.Min(dist([2]float64{ax, ay}, ends[0]), dist([2]float64{bx, by}, ends[1])))
	cl, pa, pb := closingLine(a, te[0], dirs[0], b, te[1], dirs[1], short, e)
	if cl == nil || angleDiff(cl.theta, c.theta) > threeAngle {
		return quad{}, 0, false
	}
	ends = [2][2]float64{pa, pb}
	if alongEdge(pa, pb, threeFrameFar*short, w, h) {
		return quad{}, 0, false // the card may run on beyond the photo's edge
	}
	for _, l := range lines {
		if angleDiff(l.theta, cl.theta) <= outerAngle && math.Abs(pa[0]*l.nx+pa[1]*l.ny-l.rho) <= threeLineNear &&
			math.Abs(pb[0]*l.nx+pb[1]*l.ny-l.rho) <= threeLineNear {
			return quad{}, 0, false
		}
	}
	u := quad{c: [4][2]float64{{ax, ay}, ends[0], ends[1], {bx, by}}, side: [4]*line{a, cl, b, c}}
	if a := sideAspect(sideLengths(u.c)); !documentShape(u.c, w, h) || a < threeMinAspect || a > threeMaxAspect {
		return quad{}, 0, false
	}
	return u, sup, true
}

// supportEnd is where the backed run of l that starts at t0 and runs in
// direction dir (±1) ends: its last backed sample before an unbacked
// stretch of maxBreak samples (or the photo's edge).
func supportEnd(l *line, t0, dir, maxBreak float64) float64 {
	last := t0
	for t := t0; ; t += dir {
		sup, in := l.count(t, t+dir)
		if in == 0 {
			return last
		}
		if sup > 0 {
			last = t + dir
		} else if math.Abs(t-last) >= maxBreak {
			return last
		}
	}
}

// extension is the share of the stretches of length ext beyond both ends
// (t1, t2) of a side on l that is backed (fillHypothesis's measure).
func extension(l *line, t1, t2, ext float64) float64 {
	lo, hi := math.Min(t1, t2), math.Max(t1, t2)
	b1, _ := l.count(lo-ext, lo)
	b2, _ := l.count(hi, hi+ext)
	return float64(b1+b2) / (2 * ext)
}

// alongEdge reports whether p and q both lie within far of one edge of
// the w×h photo.
func alongEdge(p, q [2]float64, far float64, w, h int) bool {
	fw, fh := float64(w-1), float64(h-1)
	return p[0] < far && q[0] < far || p[1] < far && q[1] < far ||
		fw-p[0] < far && fw-q[0] < far || fh-p[1] < far && fh-q[1] < far
}

// nearFrame is the distance from (x, y) to the nearest edge of the w×h
// photo.
func nearFrame(x, y float64, w, h int) float64 {
	return math.Min(math.Min(x, y), math.Min(float64(w-1)-x, float64(h-1)-y))
}
