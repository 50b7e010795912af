package headmotion

import "math"

// triangle holds three indices into a point list.
type triangle [3]int

// delaunay triangulates pts by Bowyer–Watson insertion: each point in
// turn removes the triangles whose circumcircle holds it and fills the
// hole with a fan from the point. Quadratic, which is fine for the ~100
// control points of a face.
func delaunay(pts [][2]float64) []triangle {
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range pts {
		minX, maxX = math.Min(minX, p[0]), math.Max(maxX, p[0])
		minY, maxY = math.Min(minY, p[1]), math.Max(maxY, p[1])
	}
	d := math.Max(maxX-minX, maxY-minY) * 20
	cx, cy := (minX+maxX)/2, (minY+maxY)/2
	n := len(pts)
	all := append(append([][2]float64(nil), pts...), [2]float64{cx - d, cy - d}, [2]float64{cx + d, cy - d}, [2]float64{cx, cy + d})
	tris := []triangle{{n, n + 1, n + 2}}
	for i := 0; i < n; i++ {
		p := all[i]
		var bad []triangle
		keep := tris[:0:0]
		for _, t := range tris {
			if inCircumcircle(all[t[0]], all[t[1]], all[t[2]], p) {
				bad = append(bad, t)
			} else {
				keep = append(keep, t)
			}
		}
		// The hole's boundary: edges of bad triangles not shared by two.
		type edge [2]int
		count := map[edge]int{}
		key := func(a, b int) edge {
			if a > b {
				a, b = b, a
			}
			return edge{a, b}
		}
		for _, t := range bad {
			for k := 0; k < 3; k++ {
				count[key(t[k], t[(k+1)%3])]++
			}
		}
		for _, t := range bad {
			for k := 0; k < 3; k++ {
				a, b := t[k], t[(k+1)%3]
				if count[key(a, b)] == 1 {
					keep = append(keep, triangle{a, b, i})
				}
			}
		}
		tris = keep
	}
	out := tris[:0]
	for _, t := range tris {
		if t[0] < n && t[1] < n && t[2] < n {
			out = append(out, t)
		}
	}
	return out
}

// inCircumcircle reports whether p lies inside the circumcircle of the
// triangle a, b, c (either orientation).
func inCircumcircle(a, b, c, p [2]float64) bool {
	ax, ay := a[0]-p[0], a[1]-p[1]
	bx, by := b[0]-p[0], b[1]-p[1]
	cx, cy := c[0]-p[0], c[1]-p[1]
	det := (ax*ax+ay*ay)*(bx*cy-cx*by) - (bx*bx+by*by)*(ax*cy-cx*ay) + (cx*cx+cy*cy)*(ax*by-bx*ay)
	orient := (b[0]-a[0])*(c[1]-a[1]) - (b[1]-a[1])*(c[0]-a[0])
	if orient < 0 {
		det = -det
	}
	return det > 0
}
