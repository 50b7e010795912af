package imagecheck

import (
	"math"
	"slices"
)

// An outline can be a panel printed on the card (a light rounded panel
// with the fields, the inner edge of a colour band along one edge) when
// the card itself runs out of the frame: the panel is then the only whole
// rectangle in the photo, its corners are its own and clean, and
// outerQuad finds no consistent outline around it when the card's edges
// lie a few pixels outside the panel's (a narrow border of another
// colour) or are too faint to be lines. What gives such a photo away is
// what lies beyond the side facing the photo's edge: one even colour all
// the way to the edge of the photo, unlike the background that lies
// beyond the outline's other sides. Beyond the side of a document lying
// whole in the photo lies the background, as beyond its other sides (or
// the document's own band, then its edge and the background before the
// photo's edge). runsToFrame finds such a side.

const (
	bandFar    = 0.35 // short sides: the photo's edge at most this far beyond the side
	bandMinRun = 3    // small pixels of band between the side's blur and the photo's edge, at least
	bandEven   = 16   // colour difference (colourDiff) within which a band sample agrees with the band's median
	bandAgree  = 0.75 // share of the band's samples that must agree
	// The band must be unlike the background beside it: by this much in
	// chroma (the edge map's weighted planes), or in tone by the larger
	// bandUnlikeY (vignetting and a lighting gradient darken a plain
	// background towards the photo's edge, not change its hue).
	bandUnlikeC = 40
	bandUnlikeY = 90
	// Short sides past a corner, along the side, where what lies beside
	// the band is sampled (past the card's own edge and its drop shadow).
	bandSideNear = 0.12
	bandSideFar  = 0.25
	bandEdgeOff  = 0.1 // short sides past a corner the card's edge beside the band may lie
)

// runsToFrame returns the side of the whole outline q (every corner in
// the w×h frame, no side on it) beyond which an even band of a colour
// unlike the background runs on to the photo's edge (see above), or -1.
func runsToFrame(q quad, e *edgeMap, w, h int) int {
	if !wholeInFrame(q, w, h) {
		return -1
	}
	short := shortest(q.c)
	cx, cy := centroid(q.c)
	fw, fh := float64(w), float64(h)
	for i := 0; i < 4; i++ {
		band, ok := bandToEdge(q, i, cx, cy, short, fw, fh, e)
		if !ok {
			continue
		}
		// What lies beside the band, past the side's corners: the
		// background where the card's own sides end, unlike the band;
		// the same colour where the band is rather a table or a sheet
		// running on past the document (a card lying at the sheet's
		// edge).
		seen := 0
		unlike := true
		for end := 0; end < 2; end++ {
			bg, ok := besideBand(q, i, end, cx, cy, short, fw, fh, e)
			if !ok {
				continue
			}
			seen++
			if !bandUnlike(band, bg) {
				unlike = false
			}
		}
		if seen > 0 && unlike && bandEnds(q, i, short, fw, fh, e) {
			return i
		}
	}
	return -1
}

// bandUnlike reports whether the colours a and b (the edge map's planes)
// differ by bandUnlikeC in chroma or bandUnlikeY in tone.
func bandUnlike(a, b [3]float32) bool {
	c := math.Max(math.Abs(float64(a[1]-b[1])), math.Abs(float64(a[2]-b[2])))
	return c >= bandUnlikeC || math.Abs(float64(a[0]-b[0])) >= bandUnlikeY
}

// toFrame is how far from (x, y) along (nx, ny) the photo's edge lies (a
// point inside the fw×fh frame).
func toFrame(x, y, nx, ny, fw, fh float64) float64 {
	d := math.Inf(1)
	if nx > 1e-9 {
		d = math.Min(d, (fw-1-x)/nx)
	} else if nx < -1e-9 {
		d = math.Min(d, -x/nx)
	}
	if ny > 1e-9 {
		d = math.Min(d, (fh-1-y)/ny)
	} else if ny < -1e-9 {
		d = math.Min(d, -y/ny)
	}
	return d
}

// bandToEdge samples the stretch beyond side i of q, from past the side's
// blur to the photo's edge, along the middle of the side; it returns the
// stretch's median colour and whether the photo's edge is near (bandFar)
// and the stretch is of that one colour (bandEven, bandAgree).
func bandToEdge(q quad, i int, cx, cy, short, fw, fh float64, e *edgeMap) ([3]float32, bool) {
	a, b := q.c[i], q.c[(i+1)%4]
	nx, ny := q.outwardNormal(i, cx, cy)
	start := stepReach + 1
	var cs [][3]float32
	const along = 10
	for k := 1; k < along; k++ {
		t := 0.1 + 0.8*float64(k)/along
		x, y := a[0]+(b[0]-a[0])*t, a[1]+(b[1]-a[1])*t
		far := toFrame(x, y, nx, ny, fw, fh)
		if far > bandFar*short || far-start < bandMinRun {
			return [3]float32{}, false
		}
		for d := start; d <= far; d += 2 {
			cs = append(cs, e.colour(x+d*nx, y+d*ny))
		}
		// The last pixel before the photo's edge.
		cs = append(cs, e.colour(x+far*nx, y+far*ny))
	}
	m := medianColour(cs)
	agree := 0
	for _, c := range cs {
		if colourDiff(c, m) <= bandEven {
			agree++
		}
	}
	return m, float64(agree) >= bandAgree*float64(len(cs))
}

// besideBand is the median colour beside the band beyond side i of q,
// past its corner i (end 0) or i+1 (end 1): bandSideNear–bandSideFar
// short sides on along the side, a third to two thirds of the way to the
// photo's edge; and whether enough of it lies in the photo.
func besideBand(q quad, i, end int, cx, cy, short, fw, fh float64, e *edgeMap) ([3]float32, bool) {
	a, b := q.c[i], q.c[(i+1)%4]
	if end == 1 {
		a, b = b, a
	}
	n := dist(a, b)
	ux, uy := (a[0]-b[0])/n, (a[1]-b[1])/n // along the side, away from it, past corner a
	nx, ny := q.outwardNormal(i, cx, cy)
	far := toFrame(a[0], a[1], nx, ny, fw, fh)
	var cs [][3]float32
	k := 0
	for _, s := range []float64{bandSideNear, (bandSideNear + bandSideFar) / 2, bandSideFar} {
		for _, f := range []float64{1.0 / 3, 0.5, 2.0 / 3} {
			k++
			x := a[0] + s*short*ux + f*far*nx
			y := a[1] + s*short*uy + f*far*ny
			if x < 0 || y < 0 || x > fw-1 || y > fh-1 {
				continue
			}
			cs = append(cs, e.colour(x, y))
		}
	}
	if 2*len(cs) < k {
		return [3]float32{}, false
	}
	return medianColour(cs), true
}

// bandEnds reports whether the band beyond side i of q ends, at each of
// its ends that lies in the photo, on a step edge running from near the
// side's corner to the photo's edge roughly in line with the outline's
// side there: the card's own edge, up to bandEdgeOff short sides beyond
// the panel's (a narrow border), backed over outerMinSup of its run. A
// table's or a sheet's edge crossing the stretch beyond a document lying
// on it runs at any angle and place.
func bandEnds(q quad, i int, short, fw, fh float64, e *edgeMap) bool {
	seen := 0
	for end := 0; end < 2; end++ {
		a, b, o := q.c[i], q.c[(i+1)%4], q.c[(i+3)%4] // o: the far corner of the side meeting a
		if end == 1 {
			a, b, o = b, a, q.c[(i+2)%4]
		}
		n := dist(a, b)
		ux, uy := (a[0]-b[0])/n, (a[1]-b[1])/n // past corner a, along side i
		m := dist(a, o)
		vx, vy := (a[0]-o[0])/m, (a[1]-o[1])/m // on from a along the side meeting it
		far := toFrame(a[0], a[1], vx, vy, fw, fh)
		start := stepReach + 1
		if far-start < bandMinRun {
			continue
		}
		seen++
		found := false
		for d := 0.0; d <= bandEdgeOff*short && !found; d++ {
			p0 := [2]float64{a[0] + d*ux + start*vx, a[1] + d*uy + start*vy}
			p1 := [2]float64{a[0] + d*ux + (far-1)*vx, a[1] + d*uy + (far-1)*vy}
			l := lineThrough(p0, p1)
			if l == nil {
				continue
			}
			sup, in := segmentSupport(l, e, p0, p1)
			found = in > 0 && float64(sup) >= outerMinSup*float64(in)
		}
		if !found {
			return false
		}
	}
	return seen > 0
}

// medianColour is the per-channel median of cs (not empty).
func medianColour(cs [][3]float32) [3]float32 {
	var m [3]float32
	v := make([]float32, len(cs))
	for c := 0; c < 3; c++ {
		for k := range cs {
			v[k] = cs[k][c]
		}
		slices.Sort(v)
		m[c] = v[len(v)/2]
	}
	return m
}
