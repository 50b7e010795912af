package imagecheck

import (
	"math"
)

// A box printed on the card (a portrait's frame, a panel) can be the only
// outline the ranking finds: on an over-exposed card the washed-out
// card's sides make no Hough line, and on a card cut off by a corner of
// the frame two of its sides are the photo's edges. The photo is then
// judged on the box (too small to read, too dark), not on the card. What
// gives the card away is its surface: around a box printed on it lies the
// card's paper, one even colour, in a region much larger than the box,
// which ends where the card does (or at the photo's edge, when the card
// runs out of it). cardRegion grows that region from just outside the
// box and, when it is a card's shape around the box, takes its extent
// along the box's sides as the card's outline.

// Parameters of the card's region (in small pixels and the edge map's
// smoothed units, as colourDiff measures them).
const (
	regionRing   = 0.1          // short sides of the box beyond its sides where the ring is sampled
	regionTol    = 40           // colour difference from the ring's median within which the region grows
	regionStep   = 6            // colour difference between neighbours within which the region grows
	regionEven   = 30           // colour difference from the ring's median within which a ring sample agrees
	regionAgree  = 0.6          // share of the ring's samples that must agree with its median
	regionFrame  = 0.15         // the box covers at most this share of the photo
	regionMaxBox = wholeMinArea // the box covers less than this share of the region's extent
	regionFill   = 0.75         // share of the extent the region's rows and columns must span
	regionTouch  = 0.15         // short sides of the extent along the photo's edge that count as touching it
)

// What cardRegion finds around a box.
type regionKind int

const (
	noRegion     regionKind = iota // no even surface, or none a card's shape
	regionWhole                    // a card whole in the frame
	regionCut                      // a card running on to the photo's edge
	regionAcross                   // an even surface reaching across the photo
)

// cardRegion returns the outline of the card around the whole outline q
// in the w×h edge map e, grown from the even colour around q (see
// above), and whether that card lies whole in the frame or runs on to
// the photo's edge. The outline's sides are straight lines without
// support profiles: its corners are not scored by cornerScores. When the
// even surface around q reaches across the photo (from one edge to the
// opposite one) it returns regionAcross: q may be a document lying on a
// background as well as a box on a washed-out card whose edges are lost.
func cardRegion(q quad, e *edgeMap, w, h int) (quad, regionKind) {
	if runsOut(q, w, h) || polyArea(q.c) > regionFrame*float64(w*h) {
		return quad{}, noRegion
	}
	seed, seeds, ok := ringColour(q, e, w, h)
	if !ok {
		return quad{}, noRegion
	}
	box := rasterize(q.c, w, h)
	mask := make([]byte, w*h) // 1: the box, 2: the region
	for _, s := range box.spans {
		for x := s.x0; x < s.x1; x++ {
			mask[s.y*w+x] = 1
		}
	}
	growRegion(e, mask, seeds, seed)
	u, v := boxAxes(q)
	ext, touch := regionExtent(mask, w, h, u, v)
	if touch[0] > 0 && touch[2] > 0 || touch[1] > 0 && touch[3] > 0 {
		return quad{}, regionAcross
	}
	extArea := (ext[1] - ext[0] + 1) * (ext[3] - ext[2] + 1)
	if float64(box.area) >= regionMaxBox*extArea || float64(spanned(mask, w, h)) < regionFill*extArea {
		return quad{}, noRegion
	}
	short := math.Min(ext[1]-ext[0], ext[3]-ext[2]) + 1
	card := extentQuad(ext, u, v)
	for _, t := range touch {
		if float64(t) >= regionTouch*short {
			return card, regionCut
		}
	}
	if !aspectPlausibleIn(sideAspect(sideLengths(card.c)), false, minAspect, maxAspect) {
		return quad{}, noRegion
	}
	return card, regionWhole
}

// ringColour returns the median colour of samples taken regionRing short
// sides beyond the middle of each side of q, and the pixels of the
// samples within regionEven of it; ok when at least regionAgree of them
// are.
func ringColour(q quad, e *edgeMap, w, h int) (med [3]float32, seeds []int, ok bool) {
	short := shortest(q.c)
	cx, cy := centroid(q.c)
	d := math.Max(2, regionRing*short)
	var cols [][3]float32
	var at []int
	for i := 0; i < 4; i++ {
		a, b := q.c[i], q.c[(i+1)%4]
		nx, ny := q.outwardNormal(i, cx, cy)
		for k := 1; k < 8; k++ {
			t := float64(k) / 8
			x := a[0] + (b[0]-a[0])*t + nx*d
			y := a[1] + (b[1]-a[1])*t + ny*d
			xi, yi := int(math.Round(x)), int(math.Round(y))
			if xi < 0 || yi < 0 || xi >= w || yi >= h {
				continue
			}
			cols = append(cols, e.colour(x, y))
			at = append(at, yi*w+xi)
		}
	}
	if len(cols) == 0 {
		return med, nil, false
	}
	med = medianColour(cols)
	for i, col := range cols {
		if colourDiff(col, med) <= regionEven {
			seeds = append(seeds, at[i])
		}
	}
	return med, seeds, float64(len(seeds)) >= regionAgree*float64(len(cols))
}

// growRegion marks with 2 in mask the pixels 4-connected to seeds
// through steps of at most regionStep whose smoothed colour lies within
// regionTol of col, skipping those already marked and the edges (a
// 4-connected region does not cross a thinned edge), and returns how many
// it marked.
func growRegion(e *edgeMap, mask []byte, seeds []int, col [3]float32) int {
	w := e.w
	at := func(i int) [3]float32 { return [3]float32{e.sm[0][i], e.sm[1][i], e.sm[2][i]} }
	stack := make([]int, 0, 1024)
	n := 0
	push := func(i int, from [3]float32) {
		if mask[i] != 0 || e.dir[i] != noEdge {
			return
		}
		c := at(i)
		if colourDiff(c, from) > regionStep || colourDiff(c, col) > regionTol {
			return
		}
		mask[i] = 2
		n++
		stack = append(stack, i)
	}
	for _, i := range seeds {
		push(i, at(i))
	}
	for len(stack) > 0 {
		i := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		c := at(i)
		x := i % w
		if x > 0 {
			push(i-1, c)
		}
		if x < w-1 {
			push(i+1, c)
		}
		if i >= w {
			push(i-w, c)
		}
		if i+w < len(mask) {
			push(i+w, c)
		}
	}
	return n
}

// spanned returns the lesser of the marked pixels' extents summed over
// the rows of the w×h mask (from each row's first to its last marked
// pixel) and summed over its columns: the area of a convex region with
// its holes (the card's print) filled.
func spanned(mask []byte, w, h int) int {
	lo := make([]int, w)
	hi := make([]int, w)
	for x := range lo {
		lo[x], hi[x] = h, -1
	}
	rows := 0
	for y := 0; y < h; y++ {
		first, last := -1, -1
		for x, m := range mask[y*w : (y+1)*w] {
			if m == 0 {
				continue
			}
			if first < 0 {
				first = x
			}
			last = x
			lo[x], hi[x] = min(lo[x], y), max(hi[x], y)
		}
		if first >= 0 {
			rows += last - first + 1
		}
	}
	cols := 0
	for x := range lo {
		if hi[x] >= 0 {
			cols += hi[x] - lo[x] + 1
		}
	}
	return min(rows, cols)
}

// boxAxes returns unit vectors along q's sides 0 (and 2) and
// perpendicular to it.
func boxAxes(q quad) (u, v [2]float64) {
	c := q.c
	ux := (c[1][0] - c[0][0]) + (c[2][0] - c[3][0])
	uy := (c[1][1] - c[0][1]) + (c[2][1] - c[3][1])
	l := math.Hypot(ux, uy)
	u = [2]float64{ux / l, uy / l}
	return u, [2]float64{-u[1], u[0]}
}

// regionExtent returns the extent (least and greatest coordinate along u,
// then along v) of the marked pixels of mask, and how many of them lie on
// each edge of the w×h frame (top, right, bottom, left).
func regionExtent(mask []byte, w, h int, u, v [2]float64) (ext [4]float64, touch [4]int) {
	ext = [4]float64{math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)}
	for y := 0; y < h; y++ {
		row := mask[y*w : (y+1)*w]
		for x, m := range row {
			if m == 0 {
				continue
			}
			a := float64(x)*u[0] + float64(y)*u[1]
			b := float64(x)*v[0] + float64(y)*v[1]
			ext[0], ext[1] = math.Min(ext[0], a), math.Max(ext[1], a)
			ext[2], ext[3] = math.Min(ext[2], b), math.Max(ext[3], b)
			if y == 0 {
				touch[0]++
			}
			if x == w-1 {
				touch[1]++
			}
			if y == h-1 {
				touch[2]++
			}
			if x == 0 {
				touch[3]++
			}
		}
	}
	return ext, touch
}

// extentQuad returns the rectangle of the extent ext along u and v (half
// a pixel beyond the outermost pixels' centres), its sides as lines
// without support profiles.
func extentQuad(ext [4]float64, u, v [2]float64) quad {
	a0, a1, b0, b1 := ext[0]-0.5, ext[1]+0.5, ext[2]-0.5, ext[3]+0.5
	pt := func(a, b float64) [2]float64 { return [2]float64{a*u[0] + b*v[0], a*u[1] + b*v[1]} }
	var q quad
	q.c = [4][2]float64{pt(a0, b0), pt(a1, b0), pt(a1, b1), pt(a0, b1)}
	for i := 0; i < 4; i++ {
		p0, p1 := q.c[i], q.c[(i+1)%4]
		dx, dy := p1[0]-p0[0], p1[1]-p0[1]
		l := math.Hypot(dx, dy)
		nx, ny := -dy/l, dx/l
		q.side[i] = &line{nx: nx, ny: ny, rho: p0[0]*nx + p0[1]*ny}
	}
	return q
}

// frameMiddle is the middle of a w×h frame (a tenth of it left out on
// every side), measured when no document outline is found.
func frameMiddle(w, h int) [4][2]float64 {
	const m = 0.1
	return [4][2]float64{
		{m * float64(w), m * float64(h)}, {(1 - m) * float64(w), m * float64(h)},
		{(1 - m) * float64(w), (1 - m) * float64(h)}, {m * float64(w), (1 - m) * float64(h)},
	}
}

// washedOut reports whether more than maxClipped of the middle of the
// photo (planes p, measured as exposure measures a document; its small
// copy sw×sh, sf working pixels per small pixel) is at or near white.
func washedOut(p *planes, sw, sh, sf int, maxClipped float64) bool {
	wq := scaleQuad(frameMiddle(sw, sh), float64(sf))
	_, clipped := exposure(p, rasterize(shrink(wq, 0.06), p.w, p.h))
	return clipped > maxClipped
}
