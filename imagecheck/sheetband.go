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

// sideDist is the signed distance of (x, y) from side i of q, positive
// beyond it (away from q's centre cx, cy).
func sideDist(q *quad, i int, cx, cy, x, y float64) float64 {
	nx, ny := q.outwardNormal(i, cx, cy)
	a := q.c[i]
	return (x-a[0])*nx + (y-a[1])*ny
}

const (
	bandStep   = 2.0           // small pixels between the band's samples
	bandClear  = stepReach + 1 // small pixels kept clear of an outline's side (its blur)
	bandInNear = stepReach + 1.5
	bandInFar  = bandInNear + 4
	// Where the table is sampled beyond the outer outline's sides, in the
	// inner one's short sides: past a printed border's margin (marginOut
	// looks up to 0.09 out) and a drop shadow.
	bandBgNear = 0.12
	bandBgFar  = 0.2
)

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
		return 0, 0
	}
	mb, mi := medianColour(bg), medianColour(ins)
	if colourDiff(mb, mi) <= bandEven {
		return 0, 0
	}
	like, n := 0, 0
	for y := bandStep / 2; y < fh; y += bandStep {
		for x := bandStep / 2; x < fw; x += bandStep {
			if !inSheetBand(&inner, &outer, icx, icy, ocx, ocy, x, y) {
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

// inSheetBand reports whether (x, y) lies inside outer and outside inner,
// bandClear from their sides found in the photo.
func inSheetBand(inner, outer *quad, icx, icy, ocx, ocy, x, y float64) bool {
	for i, l := range outer.side {
		d := sideDist(outer, i, ocx, ocy, x, y)
		if d > 0 || (!l.frame && d > -bandClear) {
			return false
		}
	}
	for i := range inner.side {
		if sideDist(inner, i, icx, icy, x, y) > bandClear {
			return true
		}
	}
	return false
}
