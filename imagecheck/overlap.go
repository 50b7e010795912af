package imagecheck

import "math"

// Overlap is the intersection over union of the parts of two convex
// quadrilaterals that lie inside a w×h photo. Of a card cut off by the
// frame, a found outline is what the photo shows, so both sides are
// clipped to the frame before they are compared. It is 0 when either
// quadrilateral lies wholly outside the photo.
//
// Overlap is for evaluations: it compares a Report's Document outline
// with a labelled one.
func Overlap(a, b [4][2]float64, w, h float64) float64 {
	frame := [][2]float64{{0, 0}, {w, 0}, {w, h}, {0, h}}
	pa := clipConvex(counterClockwise(a[:]), frame)
	pb := clipConvex(counterClockwise(b[:]), frame)
	if pa == nil || pb == nil {
		return 0
	}
	ia, ib := math.Abs(signedArea(pa)), math.Abs(signedArea(pb))
	in := math.Abs(signedArea(clipConvex(pa, pb)))
	if u := ia + ib - in; u > 0 {
		return in / u
	}
	return 0
}

// signedArea is the shoelace area of a polygon: positive when its
// vertices run counter-clockwise in x-right, y-down image coordinates
// seen as a right-handed plane.
func signedArea(p [][2]float64) float64 {
	s := 0.0
	for i := range p {
		j := (i + 1) % len(p)
		s += p[i][0]*p[j][1] - p[j][0]*p[i][1]
	}
	return s / 2
}

// counterClockwise returns a copy of p with a positive signed area.
func counterClockwise(p [][2]float64) [][2]float64 {
	q := append([][2]float64(nil), p...)
	if signedArea(q) < 0 {
		for i, j := 0, len(q)-1; i < j; i, j = i+1, j-1 {
			q[i], q[j] = q[j], q[i]
		}
	}
	return q
}

// clipConvex clips the polygon subject by the convex polygon clip, both
// with positive area (Sutherland–Hodgman). It returns nil when nothing of
// subject is left.
func clipConvex(subject, clip [][2]float64) [][2]float64 {
	out := subject
	for i := range clip {
		a, b := clip[i], clip[(i+1)%len(clip)]
		side := func(p [2]float64) float64 { return (b[0]-a[0])*(p[1]-a[1]) - (b[1]-a[1])*(p[0]-a[0]) }
		in := out
		out = nil
		for j := range in {
			p, q := in[j], in[(j+1)%len(in)]
			sp, sq := side(p), side(q)
			if sp >= 0 {
				out = append(out, p)
			}
			if (sp >= 0) != (sq >= 0) {
				t := sp / (sp - sq)
				out = append(out, [2]float64{p[0] + t*(q[0]-p[0]), p[1] + t*(q[1]-p[1])})
			}
		}
		if len(out) == 0 {
			return nil
		}
	}
	return out
}
