package imagecheck

import "math"

// A side off the card's edge (issue 16, branch cleanside): three sides of
// the outline on the card and the fourth on a longer line next to it (a
// sheet's edge under the card, a shadow, a printed frame), so that one
// or two corners lie off the card and score low. swapSide tries each
// Hough line nearly parallel to a failing corner's side and lying inside
// the outline in its place; the card's own side is such a line, and its
// corners, the card's, then pass. The line must be a step edge over half
// the new side (stepShare: a thin line printed on the card is none), have
// the ground beyond it (like the ground beyond the other sides: a band or
// panel edge has the card's print) and beyond both its corners (cornersBare: a fingertip that drew
// the side found off the card's edge stays over the corner).
const (
	swapAngle = 8    // degrees a replacing line may turn from the side
	swapMove  = 2.0  // small pixels a corner must move by (nearer is snapSides')
	swapStep  = 0.5  // share of the new side between its corners its line backs with step edges
	swapLike  = 0.75 // share of the new side's samples beyond it like the ground beyond the others
)

// swapSide returns the outline q with one side of a corner scored under
// pass replaced by a Hough line inside the outline, and its corner scores,
// when every corner of the new outline passes. Nothing moves when a
// corner scored 0.
func swapSide(q quad, lines []*line, w, h, sf int, p *planes, e *edgeMap, cs [4]float64, pass float64) (out quad, ns [4]float64, changed bool) {
	if min(cs[0], cs[1], cs[2], cs[3]) <= 0 {
		return q, cs, false
	}
	var try [4]bool
	for i, c := range cs {
		if c < pass {
			try[i], try[(i+3)%4] = true, true
		}
	}
	best, bestLike := -1.0, 0.0
	for s := 0; s < 4; s++ {
		if !try[s] || q.side[s].frame {
			continue
		}
		for _, l := range lines {
			if l == q.side[s] || l.frame || angleDiff(l.theta, q.side[s].theta) > swapAngle {
				continue
			}
			nq := q
			nq.side[s] = l
			ok := true
			for _, i := range [2]int{s, (s + 1) % 4} {
				x, y, good := cornerOf(nq.side[(i+3)%4], nq.side[i], w, h)
				if !good || outsideFrame(x, y, w, h) || !withinOutline(q.c, x, y, 0.5) {
					ok = false
					break
				}
				nq.c[i] = [2]float64{x, y}
			}
			if !ok || math.Max(dist(nq.c[s], q.c[s]), dist(nq.c[(s+1)%4], q.c[(s+1)%4])) < swapMove {
				continue
			}
			var length [4]float64
			for i := range length {
				length[i] = sideLength(nq.c[i], nq.c[(i+1)%4])
			}
			_, aspect, good := quadShapeOf(nq.c, length, w, h)
			if !good || !aspectPlausibleIn(aspect, false, minAspect, maxAspect) {
				continue
			}
			// The cheapest test first: the line's own step support.
			if stepShare(nq, s) < swapStep {
				continue
			}
			own, ref := groundBeyond(nq, s, e)
			bl := likeShare(own, ref)
			if bl < swapLike || !cornersBare(nq, s, ref, e) {
				continue
			}
			sc := cornerScores(nq, w, h, sf, p, e)
			m := min(sc[0], sc[1], sc[2], sc[3])
			// The best scored; of those alike, the ground most alike beyond.
			if m >= pass && (m > best || m == best && bl > bestLike) {
				best, bestLike, out, ns = m, bl, nq, sc
			}
		}
	}
	if best < 0 {
		return q, cs, false
	}
	return out, ns, true
}

// withinOutline reports whether (x, y) lies inside the convex outline c or
// no further than tol beyond any of its sides.
func withinOutline(c [4][2]float64, x, y, tol float64) bool {
	cx, cy := centroid(c)
	for i := 0; i < 4; i++ {
		a, b := c[i], c[(i+1)%4]
		ex, ey := b[0]-a[0], b[1]-a[1]
		n := math.Hypot(ex, ey)
		if n == 0 {
			return false
		}
		side := func(px, py float64) float64 { return (ex*(py-a[1]) - ey*(px-a[0])) / n }
		sc, sp := side(cx, cy), side(x, y)
		if sc*sp < 0 && math.Abs(sp) > tol {
			return false
		}
	}
	return true
}

// groundBeyond returns the colours 2·fitProbe beyond side s of q (its
// middle 0.15–0.85, every pixel) and those beyond the other three sides.
func groundBeyond(q quad, s int, e *edgeMap) (own, ref [][3]float32) {
	cx, cy := centroid(q.c)
	const d = 2 * fitProbe
	for i := 0; i < 4; i++ {
		a, b := q.c[i], q.c[(i+1)%4]
		nx, ny := q.outwardNormal(i, cx, cy)
		n := int(dist(a, b))
		for k := int(0.15 * float64(n)); k <= int(0.85*float64(n)); k++ {
			t := float64(k) / float64(max(n, 1))
			x, y := a[0]+(b[0]-a[0])*t+d*nx, a[1]+(b[1]-a[1])*t+d*ny
			if !e.inside(x, y) {
				continue
			}
			if c := e.colour(x, y); i == s {
				own = append(own, c)
			} else {
				ref = append(ref, c)
			}
		}
	}
	return own, ref
}

// likeShare returns the share of the colours cs within fitLike of some
// colour of ref (0 when either is empty).
func likeShare(cs, ref [][3]float32) float64 {
	if len(cs) == 0 || len(ref) == 0 {
		return 0
	}
	like := 0
	for _, c := range cs {
		for _, r := range ref {
			if colourDiff(c, r) <= fitLike {
				like++
				break
			}
		}
	}
	return float64(like) / float64(len(cs))
}

// cornersBare reports whether beyond both corners of side s of q (on
// their bisector, 2–4 fitProbe out, those inside the photo, at least
// one) lies the ground that lies beyond q's other sides, ref
// (groundBeyond; swapLike of the samples): a fingertip over a card's
// corner that drew the side found off the card's edge lies there still
// when the side is moved onto it.
func cornersBare(q quad, s int, ref [][3]float32, e *edgeMap) bool {
	cx, cy := centroid(q.c)
	for _, i := range [2]int{s, (s + 1) % 4} {
		n1x, n1y := q.outwardNormal(i, cx, cy)
		n2x, n2y := q.outwardNormal((i+3)%4, cx, cy)
		bx, by := n1x+n2x, n1y+n2y
		if n := math.Hypot(bx, by); n > 0 {
			bx, by = bx/n, by/n
		}
		var cs [][3]float32
		for d := 2 * fitProbe; d <= 4*fitProbe; d++ {
			x, y := q.c[i][0]+float64(d)*bx, q.c[i][1]+float64(d)*by
			if e.inside(x, y) {
				cs = append(cs, e.colour(x, y))
			}
		}
		// None inside the photo: the card may run out there, nothing
		// tells the corner bare.
		if likeShare(cs, ref) < swapLike {
			return false
		}
	}
	return true
}

// stepShare returns the share of side s of q, between its corners, that
// its line's profile backs with step edges (stepBacked): a thin printed
// line (a frame printed on the card, a panel's border) is no step.
func stepShare(q quad, s int) float64 {
	l := q.side[s]
	a, b := q.c[s], q.c[(s+1)%4]
	sup, in := l.count(l.param(a[0], a[1]), l.param(b[0], b[1]))
	if in == 0 {
		return 0
	}
	return float64(sup) / float64(in)
}
