package imagecheck

import "math"

// span is the part of row y from x0 (inclusive) to x1 (exclusive) that
// lies inside the document.
type span struct{ y, x0, x1 int }

// region is the document's interior at some resolution, as row spans of
// a convex polygon.
type region struct {
	spans []span
	area  int
}

// shrink moves the corners of c towards their centroid by the fraction f.
func shrink(c [4][2]float64, f float64) [4][2]float64 {
	var mx, my float64
	for _, p := range c {
		mx += p[0] / 4
		my += p[1] / 4
	}
	for i := range c {
		c[i][0] = mx + (c[i][0]-mx)*(1-f)
		c[i][1] = my + (c[i][1]-my)*(1-f)
	}
	return c
}

// rasterize returns the spans of the convex polygon c clipped to w×h.
func rasterize(c [4][2]float64, w, h int) region {
	ymin, ymax := math.Inf(1), math.Inf(-1)
	for _, p := range c {
		ymin = math.Min(ymin, p[1])
		ymax = math.Max(ymax, p[1])
	}
	y0 := max(0, int(math.Ceil(ymin)))
	y1 := min(h-1, int(math.Floor(ymax)))
	var r region
	for y := y0; y <= y1; y++ {
		fy := float64(y)
		lo, hi := math.Inf(1), math.Inf(-1)
		for i := 0; i < 4; i++ {
			a, b := c[i], c[(i+1)%4]
			if (a[1] <= fy && b[1] >= fy) || (b[1] <= fy && a[1] >= fy) {
				var x float64
				if a[1] == b[1] {
					lo = math.Min(lo, math.Min(a[0], b[0]))
					hi = math.Max(hi, math.Max(a[0], b[0]))
					continue
				}
				x = a[0] + (fy-a[1])*(b[0]-a[0])/(b[1]-a[1])
				lo = math.Min(lo, x)
				hi = math.Max(hi, x)
			}
		}
		x0 := max(0, int(math.Ceil(lo)))
		x1 := min(w, int(math.Floor(hi))+1)
		if x1 > x0 {
			r.spans = append(r.spans, span{y, x0, x1})
			r.area += x1 - x0
		}
	}
	return r
}

// scaleQuad maps corners from a grid of cell size f (pixel centres at
// (i+0.5)·f) to the finer grid.
func scaleQuad(c [4][2]float64, f float64) [4][2]float64 {
	for i := range c {
		c[i][0] = (c[i][0]+0.5)*f - 0.5
		c[i][1] = (c[i][1]+0.5)*f - 0.5
	}
	return c
}
