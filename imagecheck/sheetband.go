package imagecheck

// outerQuad can take, around a card lying whole on a sheet of paper (or
// a tray, a screen's bezel), an outline of the sheet's edges and the
// photo's edges: consistent, and cut off by the frame. When the sheet
// does not reach the photo's edge everywhere along that outline, the
// table shows inside it, between the sheet and the photo's edge (the
// sheet's own edges run across the outline's inside, development seed
// 452's clean 00090). A document hides what it lies on: the band between
// a panel printed on a card and the card's edges holds the card's ground
// and print, never the table around the card. bandBackground measures
// how much of that band has the table's colour.

// halfPlane is {(x, y): x·nx + y·ny ≤ c}.
type halfPlane struct{ nx, ny, c float64 }

// sideHalfPlane is the half-plane on q's side of its side i (q's centre
// at cx, cy).
func sideHalfPlane(q *quad, i int, cx, cy float64) halfPlane {
	nx, ny := q.outwardNormal(i, cx, cy)
	a := q.c[i]
	return halfPlane{nx, ny, a[0]*nx + a[1]*ny}
}

const (
	bandStep  = 2.0           // small pixels between the band's samples
	bandClear = stepReach + 1 // small pixels kept clear of an outline's side (its blur)
	// Where the ground just inside the outer outline's sides is sampled
	// (small pixels in, past the side's blur).
	bandInNear = stepReach + 1.5
	bandInFar  = bandInNear + 4
	// Where the table is sampled beyond the outer outline's sides, in the
	// inner one's short sides: past a printed border's margin (marginOut
	// looks up to 0.09 out) and a drop shadow.
	bandBgNear = 0.12
	bandBgFar  = 0.2
)

// bandColours returns the median colour of the table beyond outer's
// sides found in the photo and of the ground just inside them (inner's
// short side setting how far beyond); ok is false when there is too
// little of either in the photo, or the two are within bandEven of each
// other (the document has the table's colour).
func bandColours(inner, outer quad, e *edgeMap, w, h int) (mb, mi [3]float32, ok bool) {
	fw, fh := float64(w), float64(h)
	ocx, ocy := centroid(outer.c)
	short := shortest(inner.c)
	in := func(x, y float64) bool { return x >= 0 && y >= 0 && x <= fw-1 && y <= fh-1 }
	var bg, ins [][3]float32
	for i, l := range outer.side {
		if l.frame {
			continue
		}
		a, b := outer.c[i], outer.c[(i+1)%4]
		nx, ny := outer.outwardNormal(i, ocx, ocy)
		for k := 1; k < 20; k++ {
			t := float64(k) / 20
			x, y := a[0]+(b[0]-a[0])*t, a[1]+(b[1]-a[1])*t
			for _, d := range []float64{bandBgNear * short, bandBgFar * short} {
				if px, py := x+d*nx, y+d*ny; in(px, py) {
					bg = append(bg, e.colour(px, py))
				}
			}
			for _, d := range []float64{bandInNear, bandInFar} {
				if px, py := x-d*nx, y-d*ny; in(px, py) && in(x, y) {
					ins = append(ins, e.colour(px, py))
				}
			}
		}
	}
	if len(bg) < 8 || len(ins) < 8 {
		return mb, mi, false
	}
	mb, mi = medianColour(bg), medianColour(ins)
	return mb, mi, colourDiff(mb, mi) > bandEven
}

// bandBackground returns the share of the band between inner and outer
// (inside outer, outside inner, bandClear from both outlines' sides found
// in the photo) whose colour is the table's: within bandEven of the
// median colour beyond outer's sides found in the photo, and nearer it
// than the median colour just inside them (the document's own ground if
// outer is a document's edge). The second result is how many band
// samples were judged; 0 when there is no verdict: too little of the
// photo beyond outer's sides, or the two colours within bandEven of each
// other (the document has the table's colour).
func bandBackground(inner, outer quad, e *edgeMap, w, h int) (float64, int) {
	fw, fh := float64(w), float64(h)
	ocx, ocy := centroid(outer.c)
	icx, icy := centroid(inner.c)
	mb, mi, ok := bandColours(inner, outer, e, w, h)
	if !ok {
		return 0, 0
	}
	// The band: inside every side of outer (bandClear inside those found
	// in the photo), beyond a side of inner by bandClear.
	var oh, ih [4]halfPlane
	for i := range outer.side {
		oh[i] = sideHalfPlane(&outer, i, ocx, ocy)
		if !outer.side[i].frame {
			oh[i].c -= bandClear
		}
		ih[i] = sideHalfPlane(&inner, i, icx, icy)
		ih[i].c += bandClear
	}
	x0, y0, x1, y1 := fw, fh, 0.0, 0.0
	for _, c := range outer.c {
		x0, y0 = min(x0, c[0]), min(y0, c[1])
		x1, y1 = max(x1, c[0]), max(y1, c[1])
	}
	like, n := 0, 0
	for y := bandStep / 2; y < fh; y += bandStep {
		if y < y0 || y > y1 {
			continue
		}
	sample:
		for x := bandStep / 2; x < fw; x += bandStep {
			if x < x0 || x > x1 {
				continue
			}
			for _, p := range oh {
				if x*p.nx+y*p.ny > p.c {
					continue sample
				}
			}
			if !(x*ih[0].nx+y*ih[0].ny > ih[0].c || x*ih[1].nx+y*ih[1].ny > ih[1].c ||
				x*ih[2].nx+y*ih[2].ny > ih[2].c || x*ih[3].nx+y*ih[3].ny > ih[3].c) {
				continue
			}
			n++
			c := e.colour(x, y)
			if d := colourDiff(c, mb); d <= bandEven && d < colourDiff(c, mi) {
				like++
			}
		}
	}
	if n == 0 {
		return 0, 0
	}
	return float64(like) / float64(n), n
}

// frameStripWalk calls visit for every sample of the strip between inner
// and the photo's edge beyond each side of inner (index side) faced by a
// side of outer on the photo's edge: bandClear beyond the side, within
// the middle of its span, up to the photo's edge.
func frameStripWalk(inner, outer quad, w, h int, visit func(side int, x, y float64)) {
	fw, fh := float64(w), float64(h)
	icx, icy := centroid(inner.c)
	for i := range outer.side {
		if !outer.side[i].frame || inner.side[i].frame {
			continue
		}
		a, b := inner.c[i], inner.c[(i+1)%4]
		nx, ny := inner.outwardNormal(i, icx, icy)
		for k := 2; k <= 18; k++ {
			t := float64(k) / 20
			x, y := a[0]+(b[0]-a[0])*t, a[1]+(b[1]-a[1])*t
			far := toFrame(x, y, nx, ny, fw, fh)
			for d := bandClear; d < far; d++ {
				px, py := x+d*nx, y+d*ny
				if px < 0 || py < 0 || px > fw-1 || py > fh-1 {
					break
				}
				visit(i, px, py)
			}
		}
	}
}

// frameStripBackground returns, over the sides of outer on the photo's
// edge that face a side of inner found in the photo, the largest share
// of the strip between that side of inner and the photo's edge
// (frameStripWalk) whose colour is the table's, judged as bandBackground
// judges the band; the second result is how many samples that strip had
// (0: no verdict).
func frameStripBackground(inner, outer quad, e *edgeMap, w, h int) (float64, int) {
	mb, mi, ok := bandColours(inner, outer, e, w, h)
	if !ok {
		return 0, 0
	}
	var like, n [4]int
	frameStripWalk(inner, outer, w, h, func(i int, px, py float64) {
		n[i]++
		c := e.colour(px, py)
		if dd := colourDiff(c, mb); dd <= bandEven && dd < colourDiff(c, mi) {
			like[i]++
		}
	})
	best, bestN := 0.0, 0
	for i := range n {
		if n[i] > 0 && float64(like[i])/float64(n[i]) >= best {
			best, bestN = float64(like[i])/float64(n[i]), n[i]
		}
	}
	return best, bestN
}
