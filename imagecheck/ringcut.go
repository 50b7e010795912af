package imagecheck

// An outline can be a panel printed on the card (a light rounded panel
// around the fields, or the panel up to a colour band) whose four corners
// are clean while the card itself runs out of the frame: the photo's edge
// cuts off the card's edge, or one of its corners, beyond the panel but
// not the panel. runsToFrame finds such a card when one even band runs
// from a whole side to the photo's edge; headBand when the card's long
// sides run on, backed, to a header band's edge. Neither needs to hold
// when the photo's edge crosses the card at a slant past a panel's
// corner, or the band beyond the panel carries print. What still gives
// the card away is the card's own colour: around a panel the card shows
// a ring of its ground (unlike the table) just beyond every side whose
// surroundings lie in the photo, and where the card runs out of the
// frame that colour reaches the photo's edge beyond the panel, while
// beyond a card lying whole in the photo the photo's edge shows the
// table. ringToFrame finds such a side.

const (
	ringMinRays   = 3 // rays of a side ending at the photo's edge near it (bandFar), at least
	ringMinSample = 8 // ring and table samples of a side beyond which the photo runs on, at least
	ringMinSides  = 2 // sides showing the ring, at least
	// A ring side's rays that must show the ring (the card's margin runs
	// the panel's whole side; a sheet's edge beside a card lying on it
	// crosses at a slant, leaving the table right beyond part of the side).
	ringAlong = bandAgree
)

// ringToFrame returns a side of the whole outline q beyond which the
// photo's edge shows the card's colour ringing q on its other sides (see
// above), or -1. A side whose rays (19 along it) reach the photo's edge
// within bandFar short sides on at least ringMinRays of them is near the
// edge; the colour at the edge there (the last pixel on each such ray)
// must be within bandEven of the ring's colour and unlike the table
// (bandUnlike). Every other side whose surroundings lie in the photo must
// show a ring: the colour just past its blur (bandClear) unlike, by more
// than bandEven, the table bandBgNear–bandBgFar short sides out, as a
// median and on ringAlong of its rays; at least
// ringMinSides of the rings alike, within bandEven of the median of them
// all (the card's ground: a colour band along one side may differ).
func ringToFrame(q quad, e *edgeMap, w, h int) int {
	if !wholeInFrame(q, w, h) {
		return -1
	}
	short := shortest(q.c)
	cx, cy := centroid(q.c)
	fw, fh := float64(w), float64(h)
	if !ringNearFrame(q, cx, cy, short, fw, fh) {
		return -1
	}
	in := func(x, y float64) bool { return x >= 0 && y >= 0 && x <= fw-1 && y <= fh-1 }
	var near [4]int
	var edge, ring, table [4][][3]float32
	for i := 0; i < 4; i++ {
		a, b := q.c[i], q.c[(i+1)%4]
		nx, ny := q.outwardNormal(i, cx, cy)
		for k := 1; k < 20; k++ {
			t := float64(k) / 20
			x, y := a[0]+(b[0]-a[0])*t, a[1]+(b[1]-a[1])*t
			far := toFrame(x, y, nx, ny, fw, fh)
			if far <= bandFar*short {
				near[i]++
				if far >= 1 {
					edge[i] = append(edge[i], e.colour(x+far*nx, y+far*ny))
				}
			}
			ts := table[i]
			for _, d := range []float64{bandBgNear * short, bandBgFar * short} {
				if px, py := x+d*nx, y+d*ny; in(px, py) {
					ts = append(ts, e.colour(px, py))
				}
			}
			if len(ts) == len(table[i])+2 {
				// The table seen on this ray: the ring before it too.
				table[i] = ts
				for _, d := range []float64{bandClear, bandClear + 1} {
					ring[i] = append(ring[i], e.colour(x+d*nx, y+d*ny))
				}
			}
		}
	}
	var rm, tm [4][3]float32
	for j := 0; j < 4; j++ {
		if len(ring[j]) >= ringMinSample {
			rm[j], tm[j] = medianColour(ring[j]), medianColour(table[j])
		}
	}
	for i := 0; i < 4; i++ {
		if near[i] >= ringMinRays && len(edge[i]) >= ringMinRays && ringHolds(i, ring, table, rm, tm, medianColour(edge[i])) {
			return i
		}
	}
	return -1
}

// ringHolds reports whether the colour m at the photo's edge beyond side
// i is the card's ground ringing the outline's other sides (their ring
// and table samples and medians rm, tm) and unlike the table beyond them.
func ringHolds(i int, ring, table [4][][3]float32, rm, tm [4][3]float32, m [3]float32) bool {
	var rs, ts [][3]float32
	sides := 0
	for j := 0; j < 4; j++ {
		if j == i || len(ring[j]) < ringMinSample {
			continue
		}
		if colourDiff(rm[j], tm[j]) <= bandEven || !ringAlongSide(ring[j], tm[j]) {
			return false // the table right beyond a side, or part of it: no ring
		}
		sides++
		rs = append(rs, ring[j]...)
		ts = append(ts, table[j]...)
	}
	if sides < ringMinSides {
		return false
	}
	r := medianColour(rs)
	alike := 0 // sides whose ring is the card's ground (a colour band along one side is not)
	for j := 0; j < 4; j++ {
		if j != i && len(ring[j]) >= ringMinSample && colourDiff(rm[j], r) <= bandEven {
			alike++
		}
	}
	return alike >= ringMinSides && colourDiff(m, r) <= bandEven && bandUnlike(m, medianColour(ts))
}

// ringAlongSide reports whether at least ringAlong of a side's rays (two
// ring samples each, in order) show a ring: the first sample unlike the
// side's table colour t by more than bandEven.
func ringAlongSide(ring [][3]float32, t [3]float32) bool {
	n, on := 0, 0
	for k := 0; k < len(ring); k += 2 {
		n++
		if colourDiff(ring[k], t) > bandEven {
			on++
		}
	}
	return float64(on) >= ringAlong*float64(n)
}

// ringNearFrame reports whether some side of q has ringMinRays of its 19
// rays (ringToFrame's) ending at the photo's edge within bandFar short
// sides.
func ringNearFrame(q quad, cx, cy, short, fw, fh float64) bool {
	for i := 0; i < 4; i++ {
		a, b := q.c[i], q.c[(i+1)%4]
		nx, ny := q.outwardNormal(i, cx, cy)
		n := 0
		for k := 1; k < 20; k++ {
			t := float64(k) / 20
			if toFrame(a[0]+(b[0]-a[0])*t, a[1]+(b[1]-a[1])*t, nx, ny, fw, fh) <= bandFar*short {
				n++
			}
		}
		if n >= ringMinRays {
			return true
		}
	}
	return false
}
