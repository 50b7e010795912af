package imagecheck

import "math"

// A vertical card's header band can be left outside the outline: the
// outline is then the card without its band (the step edge where the
// band meets the card's ground runs across the card), when a fingertip
// lies on the band's corner (outerQuad finds a long side unbacked under
// it and keeps the panel) or the frame cuts the band (the band's corner
// lies beyond the photo's edge, too near for runsToFrame). The panel's
// own corners are clean, so nothing is judged where the card is covered
// or cut off. What gives such an outline away lies beyond one of its
// short sides: the card's long sides run on, backed, past the panel's
// corners to a line roughly parallel to that short side a band's height
// further out, and the stretch between them is unlike the table beside
// the card. headBand finds such a band; its corners are the card's, and
// analyse judges them as well as the panel's.

const (
	// Short sides: the band's outer edge at most this far beyond the side
	// (0.18-0.21 on the four misses of development seeds 460 and 466;
	// as runsToFrame's bandFar).
	headMaxGap = 0.35
	// A long side must be backed over this share of its run from the
	// panel's corner to the band's (outerMinSup, as any side outerQuad
	// moves out), over a run of at least headMinRun small pixels.
	headMinRun = 4
	// Small pixels left out at each end of that run: the panel's edge
	// blur (stepReach) at one end, the card's rounded corner at the other.
	headTrim       = 3
	headMinSamples = 9 // colour samples of the band, at least
	headMinBeside  = 5 // of the 9 samples of the table beside a long side in the photo, at least
)

// headBand returns the outline q with its short side i moved out to the
// outer edge of a header band beyond it (see above), and i; or -1 when
// no such band lies beyond either short side. q lies whole in the w×h
// frame.
func headBand(q quad, lines []*line, e *edgeMap, w, h int) (quad, int) {
	if !wholeInFrame(q, w, h) {
		return q, -1
	}
	cx, cy := centroid(q.c)
	short := shortest(q.c)
	fw, fh := float64(w), float64(h)
	for i := 0; i < 4; i++ {
		a, b := q.c[i], q.c[(i+1)%4]
		if dist(a, b) > dist(b, q.c[(i+2)%4]) {
			continue // a long side
		}
		nx, ny := q.outwardNormal(i, cx, cy)
		for _, c := range linesBeyond(q, i, lines, cx, cy, headMaxGap*short) {
			l := c.l
			prev, next := q.side[(i+3)%4], q.side[(i+1)%4]
			x0, y0, ok0 := intersect(prev, l)
			x1, y1, ok1 := intersect(l, next)
			if !ok0 || !ok1 {
				continue
			}
			bq := q
			bq.side[i] = l
			bq.c[i] = [2]float64{x0, y0}
			bq.c[(i+1)%4] = [2]float64{x1, y1}
			if headBandHolds(q, bq, i, e, fw, fh, short, nx, ny) {
				return bq, i
			}
		}
	}
	return q, -1
}

// headBandHolds reports whether bq, q with its side i moved out (outward
// normal nx, ny), outlines a header band: a long side backed past q's
// corner to bq's (the other may lie under a fingertip), no long side
// unbacked in the photo on its way to a band corner beyond the photo's
// edge, and the stretch between the two short sides unlike the table
// beside each long side (bandUnlike: a drop shadow or the table itself
// beyond a whole card's edge is not).
func headBandHolds(q, bq quad, i int, e *edgeMap, fw, fh, short, nx, ny float64) bool {
	backed := false
	for _, k := range [2]int{i, (i + 1) % 4} {
		l := q.side[(k+3)%4] // the long side meeting corner k
		if k != i {
			l = q.side[k]
		}
		t1 := l.param(q.c[k][0], q.c[k][1])
		t2 := l.param(bq.c[k][0], bq.c[k][1])
		// Past the panel's edge blur at t1 and the card's rounded
		// corner at t2.
		dir := math.Copysign(1, t2-t1)
		t1 += dir * headTrim
		t2 -= dir * headTrim
		run := (t2 - t1) * dir
		sup, in := 0, 0
		if run > 0 {
			sup, in = l.count(t1, t2)
		}
		ok := in > 0 && float64(sup) >= outerMinSup*float64(in)
		if outsideFrame(bq.c[k][0], bq.c[k][1], int(fw), int(fh)) && in > 0 && !ok {
			// A band corner beyond the photo's edge: the card's side
			// runs on to the photo's edge, seen wherever it is in the
			// photo, or the band does not reach that far.
			return false
		}
		if run >= headMinRun && ok {
			backed = true
		}
	}
	if !backed {
		return false
	}
	// The band's outer edge is the card's own: backed between the band's
	// corners (past their rounding, headTrim) as any side outerQuad moves
	// out, where it lies in the photo. A tile joint beyond a whole card's
	// short side, the tiles there unlike those beside it, is backed
	// elsewhere and hardly across the card (development seed 691's clean
	// 00334, a card on tiles: 8 of 59 samples; 0.76-1.00 on the 14 other
	// bands found on development seeds 691-694, 5 of them cut-offs).
	l := bq.side[i]
	if t1, t2 := l.param(bq.c[i][0], bq.c[i][1]), l.param(bq.c[(i+1)%4][0], bq.c[(i+1)%4][1]); math.Abs(t2-t1) > 2*headTrim {
		sup, in := l.count(math.Min(t1, t2)+headTrim, math.Max(t1, t2)-headTrim)
		if in > 0 && float64(sup) < outerMinSup*float64(in) {
			return false
		}
	}
	// The band, along the middle of the side, between the two sides'
	// blurs.
	var band [][3]float32
	in := func(x, y float64) bool { return x >= 0 && y >= 0 && x <= fw-1 && y <= fh-1 }
	a, b := q.c[i], q.c[(i+1)%4]
	den := nx*l.nx + ny*l.ny
	for k := 1; k < 10; k++ {
		t := 0.1 + 0.8*float64(k)/10
		x, y := a[0]+(b[0]-a[0])*t, a[1]+(b[1]-a[1])*t
		d := (l.rho - (x*l.nx + y*l.ny)) / den // to the band's outer edge
		for u := bandClear; u <= d-bandClear; u++ {
			if px, py := x+u*nx, y+u*ny; in(px, py) {
				band = append(band, e.colour(px, py))
			}
		}
	}
	if len(band) < headMinSamples {
		return false
	}
	m := medianColour(band)
	// The table beside each of the panel's long sides near the band.
	cx, cy := centroid(q.c)
	seen := 0
	for _, k := range [2]int{(i + 3) % 4, (i + 1) % 4} {
		c0, c1 := q.c[k], q.c[(k+1)%4] // side k, from corner k to k+1
		if k != (i+1)%4 {
			c0, c1 = c1, c0 // from the band's end
		}
		sx, sy := q.outwardNormal(k, cx, cy)
		var beside [][3]float32
		for _, t := range []float64{0.1, 0.2, 0.3} {
			x, y := c0[0]+(c1[0]-c0[0])*t, c0[1]+(c1[1]-c0[1])*t
			for _, f := range []float64{bandBgNear, (bandBgNear + bandBgFar) / 2, bandBgFar} {
				if px, py := x+f*short*sx, y+f*short*sy; in(px, py) {
					beside = append(beside, e.colour(px, py))
				}
			}
		}
		if len(beside) < headMinBeside {
			continue // mostly beyond the photo's edge
		}
		seen++
		if !bandUnlike(m, medianColour(beside)) {
			return false
		}
	}
	return seen > 0
}
