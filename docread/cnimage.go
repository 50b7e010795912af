package docread

import "math"

// warpArea samples src inside quad q (top-left, top-right, bottom-right,
// bottom-left; pixel edges at integers) into a w×h plane like warp; when
// the quad is two source pixels or more per output pixel, the part of
// src under it is first halved (a 2×2 box filter) until it is not, so a
// straightening that shrinks the card keeps thin strokes instead of
// skipping them (bilinear sampling at less than two pixels per sample
// weighs every source pixel).
func warpArea(src *plane, q [4][2]float64, w, h int) *plane {
	d := func(a, b [2]float64) float64 { return math.Hypot(b[0]-a[0], b[1]-a[1]) }
	for {
		ratio := math.Max((d(q[0], q[1])+d(q[3], q[2]))/2/float64(w), (d(q[0], q[3])+d(q[1], q[2]))/2/float64(h))
		if ratio < 2 || src.w < 4 || src.h < 4 {
			break
		}
		x0, y0 := src.w, src.h
		x1, y1 := 0, 0
		for _, c := range q {
			x0, y0 = min(x0, int(math.Floor(c[0]))-2), min(y0, int(math.Floor(c[1]))-2)
			x1, y1 = max(x1, int(math.Ceil(c[0]))+2), max(y1, int(math.Ceil(c[1]))+2)
		}
		x0, y0 = max(0, x0&^1), max(0, y0&^1)
		x1, y1 = min(src.w, x1), min(src.h, y1)
		if x1-x0 < 4 || y1-y0 < 4 {
			break
		}
		src = src.crop(x0, y0, x1, y1).half()
		for i := range q {
			q[i] = [2]float64{(q[i][0] - float64(x0)) / 2, (q[i][1] - float64(y0)) / 2}
		}
	}
	return warpBilinear(src, squareTo(q), w, h)
}

// quarterTurn returns quad q turned a quarter clockwise: the corner that
// was bottom-left becomes top-left, so a portrait card is read landscape.
func quarterTurn(q [4][2]float64) [4][2]float64 {
	return [4][2]float64{q[3], q[0], q[1], q[2]}
}

// warpBilinear samples src at the centre of each of the w×h pixels of
// the unit square mapped by m, bilinearly; it is warp with the
// interpolation inlined where the four neighbours are inside src.
func warpBilinear(src *plane, m homography, w, h int) *plane {
	out := newPlane(w, h)
	sw, sh := src.w, src.h
	for y := 0; y < h; y++ {
		t := (float64(y) + 0.5) / float64(h)
		row := out.pix[y*w : (y+1)*w]
		for x := range row {
			s := (float64(x) + 0.5) / float64(w)
			d := m[6]*s + m[7]*t + 1
			if d == 0 {
				d = 1e-12
			}
			fx := (m[0]*s+m[1]*t+m[2])/d - 0.5
			fy := (m[3]*s+m[4]*t+m[5])/d - 0.5
			x0, y0 := int(fx), int(fy)
			if fx < 0 || fy < 0 || x0 >= sw-1 || y0 >= sh-1 {
				row[x] = byte(src.at(fx, fy) + 0.5)
				continue
			}
			ax, ay := fx-float64(x0), fy-float64(y0)
			i := y0*sw + x0
			a := float64(src.pix[i]) + ax*(float64(src.pix[i+1])-float64(src.pix[i]))
			b := float64(src.pix[i+sw]) + ax*(float64(src.pix[i+sw+1])-float64(src.pix[i+sw]))
			row[x] = byte(a + ay*(b-a) + 0.5)
		}
	}
	return out
}
