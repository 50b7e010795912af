package docread

import "math"

// warpArea samples src inside quad q (top-left, top-right, bottom-right,
// bottom-left; pixel edges at integers) into a w×h plane like warp, but
// averages n×n bilinear samples per output pixel when the quad is more
// than about 1.4 source pixels per output pixel, n the rounded-up ratio
// (at most 4): a straightening that shrinks the card keeps thin strokes
// instead of skipping them.
func warpArea(src *plane, q [4][2]float64, w, h int) *plane {
	d := func(a, b [2]float64) float64 { return math.Hypot(b[0]-a[0], b[1]-a[1]) }
	ratio := math.Max((d(q[0], q[1])+d(q[3], q[2]))/2/float64(w), (d(q[0], q[3])+d(q[1], q[2]))/2/float64(h))
	n := 1
	if ratio > 1.4 {
		n = min(4, int(math.Ceil(ratio)))
	}
	if n == 1 {
		return warp(src, q, w, h)
	}
	m := squareTo(q)
	out := newPlane(w, h)
	inv := 1 / float64(n*n)
	for y := 0; y < h; y++ {
		row := out.pix[y*w : (y+1)*w]
		for x := range row {
			var sum float64
			for j := 0; j < n; j++ {
				t := (float64(y) + (float64(j)+0.5)/float64(n)) / float64(h)
				for i := 0; i < n; i++ {
					s := (float64(x) + (float64(i)+0.5)/float64(n)) / float64(w)
					sx, sy := m.apply(s, t)
					sum += src.at(sx-0.5, sy-0.5)
				}
			}
			row[x] = byte(sum*inv + 0.5)
		}
	}
	return out
}

// quarterTurn returns quad q turned a quarter clockwise: the corner that
// was bottom-left becomes top-left, so a portrait card is read landscape.
func quarterTurn(q [4][2]float64) [4][2]float64 {
	return [4][2]float64{q[3], q[0], q[1], q[2]}
}
