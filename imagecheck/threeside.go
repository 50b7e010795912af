package imagecheck

import (
	"math"
	"sort"
)

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
// threeSided closes such an outline around a box printed on it with the
// line best backed where the support stops, as frameShort does for a side
// put on the photo's edge. (Not inside a sheet running out of the frame:
// a panel printed on a card running out of the frame is the same picture,
// development seed 490's frame2 cut-off 00042.)

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
// no line (see above) around q, the outline ranked first, when q is a box
// printed on it: q whole in the photo, inside the outline, covering under
// wholeMinArea of it. The three sides found leave q wholly on their
// inner side; the closing line must lie on no line found (a fourth side
// that makes a line is the ranking's and outerQuad's to judge). Of several
// such outlines, the one whose three sides are backed over the most
// samples is taken; false when there is none. (analyse asks only when
// outerQuad finds no outline enclosing q.)
func threeSided(q quad, lines []*line, e edgeMap, w, h int) (quad, bool) {
	if runsOut(q, w, h) || polyArea(q.c) >= wholeMinArea*float64(w*h) {
		return q, false // no outline in the photo is large enough around it
	}
	// The lines that leave q on one side (to within threeLineNear), and
	// that side.
	var ls []*line
	var side []float64
	for _, l := range lines {
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, c := range q.c {
			d := c[0]*l.nx + c[1]*l.ny - l.rho
			lo, hi = math.Min(lo, d), math.Max(hi, d)
		}
		switch { // (a box printed along the card's edge may touch it)
		case lo > -threeLineNear:
			ls, side = append(ls, l), append(side, 1)
		case hi < threeLineNear:
			ls, side = append(ls, l), append(side, -1)
		}
	}
	var cands []threeCand
	for ic, c := range ls {
		for ia, a := range ls {
			if angleDiff(c.theta, a.theta) < 50 {
				continue
			}
			for ib := ia + 1; ib < len(ls); ib++ {
				b := ls[ib]
				if angleDiff(a.theta, b.theta) > 30 || angleDiff(c.theta, b.theta) < 50 {
					continue
				}
				// q lies between a and b, on c's side side[ic].
				if u, ok := threeCorners(a, b, c, side[ic], &e, w, h); ok {
					cands = append(cands, u)
				}
			}
		}
	}
	// The best backed first; the closing line (a search) only for those
	// that hold q as a box printed on them.
	sort.Slice(cands, func(i, j int) bool { return cands[i].sup > cands[j].sup })
	for _, u := range cands {
		if polyArea(q.c) >= wholeMinArea*polyArea(u.q.c) || insideShare(u.q.c, q.c) < wholeInsideShare {
			continue
		}
		if out, ok := u.close(lines, &e, w, h); ok {
			profile(out.side[1], e, int(math.Ceil(math.Hypot(float64(e.w), float64(e.h)))))
			return out, true
		}
	}
	return q, false
}

// threeCand is an outline of three sides found, closed for now by the
// line through where the two sides meeting the fourth stop (q: corners
// a∩c, a's end, b's end, b∩c; sides a, that line, b, c), with the
// samples backing the three sides and what closing it needs.
type threeCand struct {
	q     quad
	sup   int
	te    [2]float64 // where a's and b's support stops, on each
	dir   [2]float64 // the direction along a and b away from c
	short float64
}

// threeCorners makes the three sides a, b (roughly parallel) and c
// (meeting both) into a candidate on the side s of c (the sign of the
// distance from c): c backed between its corners with a and b and not
// beyond, a and b backed from those corners to where their support stops,
// not beyond, well inside the photo. False when they are not a card's
// three sides so (see threeSided).
func threeCorners(a, b, c *line, s float64, e *edgeMap, w, h int) (threeCand, bool) {
	ax, ay, ok1 := intersect(a, c)
	bx, by, ok2 := intersect(b, c)
	if !ok1 || !ok2 || outsideFrame(ax, ay, w, h) || outsideFrame(bx, by, w, h) {
		return threeCand{}, false
	}
	cw := dist([2]float64{ax, ay}, [2]float64{bx, by})
	if cw < 10 {
		return threeCand{}, false
	}
	// c's support between its corners, not running on past them.
	tca, tcb := c.param(ax, ay), c.param(bx, by)
	supC, inC := c.count(tca, tcb)
	if float64(supC) < threeMinSup*float64(inC) || float64(inC) < 0.75*cw || extension(c, tca, tcb, threeExtLen*cw) > threeMaxExt {
		return threeCand{}, false
	}
	u := threeCand{sup: supC}
	u.q.c[0], u.q.c[3] = [2]float64{ax, ay}, [2]float64{bx, by}
	u.q.side = [4]*line{a, nil, b, c}
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
			return threeCand{}, false
		}
		_, from := l.resume(t0, t0+dir*cw)
		t1 := supportEnd(l, from, dir, math.Max(gapWindow, threeBreak*cw))
		x1, y1 := l.point(t1)
		if outsideFrame(x1, y1, w, h) || nearFrame(x1, y1, w, h) < threeFrameNear {
			return threeCand{}, false
		}
		n, in := l.count(t0, t1)
		if float64(n) < threeMinSup*float64(in) || extension(l, t0, t1, threeExtLen*cw) > threeMaxExt {
			return threeCand{}, false
		}
		u.q.c[1+k] = [2]float64{x1, y1}
		u.te[k], u.dir[k] = t1, dir
		u.sup += n
	}
	u.short = math.Min(cw, math.Min(dist(u.q.c[0], u.q.c[1]), dist(u.q.c[3], u.q.c[2])))
	return u, true
}

// close closes u with the line best backed by step edges near where its
// two sides stop (closingLine), and reports whether that is a whole
// card's outline: the line within threeAngle of the side it faces (a
// card's two sides end together), on no line found, not along an edge of
// the photo (the card may run on beyond it), and a card's proportions.
func (u threeCand) close(lines []*line, e *edgeMap, w, h int) (quad, bool) {
	a, b, c := u.q.side[0], u.q.side[2], u.q.side[3]
	cl, pa, pb := closingLine(a, u.te[0], u.dir[0], b, u.te[1], u.dir[1], u.short, e)
	if cl == nil || angleDiff(cl.theta, c.theta) > threeAngle {
		return quad{}, false
	}
	if alongEdge(pa, pb, threeFrameFar*u.short, w, h) {
		return quad{}, false
	}
	for _, l := range lines {
		if angleDiff(l.theta, cl.theta) <= outerAngle && math.Abs(pa[0]*l.nx+pa[1]*l.ny-l.rho) <= threeLineNear &&
			math.Abs(pb[0]*l.nx+pb[1]*l.ny-l.rho) <= threeLineNear {
			return quad{}, false
		}
	}
	out := u.q
	out.c[1], out.c[2] = pa, pb
	out.side[1] = cl
	if a := sideAspect(sideLengths(out.c)); !documentShape(out.c, w, h) || a < threeMinAspect || a > threeMaxAspect {
		return quad{}, false
	}
	return out, true
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
