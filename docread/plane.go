package docread

import "math"

// plane is an 8-bit gray image, stride w.
type plane struct {
	w, h int
	pix  []byte
}

func newPlane(w, h int) *plane { return &plane{w: w, h: h, pix: make([]byte, w*h)} }

// at returns the bilinear interpolation of p at (x, y); outside the plane
// the nearest edge pixel.
func (p *plane) at(x, y float64) float64 {
	mx, my := float64(p.w-1), float64(p.h-1)
	if x >= 0 && y >= 0 && x < mx && y < my {
		// Inside: the four neighbours exist (the same arithmetic as
		// below, without the clamps).
		x0, y0 := int(x), int(y)
		fx, fy := x-float64(x0), y-float64(y0)
		i := y0*p.w + x0
		a := float64(p.pix[i])*(1-fx) + float64(p.pix[i+1])*fx
		b := float64(p.pix[i+p.w])*(1-fx) + float64(p.pix[i+p.w+1])*fx
		return a*(1-fy) + b*fy
	}
	if x < 0 {
		x = 0
	}
	if y < 0 {
		y = 0
	}
	if x > mx {
		x = mx
	}
	if y > my {
		y = my
	}
	x0, y0 := int(x), int(y)
	fx, fy := x-float64(x0), y-float64(y0)
	x1, y1 := min(x0+1, p.w-1), min(y0+1, p.h-1)
	r0, r1 := y0*p.w, y1*p.w
	a := float64(p.pix[r0+x0])*(1-fx) + float64(p.pix[r0+x1])*fx
	b := float64(p.pix[r1+x0])*(1-fx) + float64(p.pix[r1+x1])*fx
	return a*(1-fy) + b*fy
}

// half reduces p by 2 in each direction with a box filter.
func (p *plane) half() *plane {
	w, h := p.w/2, p.h/2
	q := newPlane(w, h)
	for y := 0; y < h; y++ {
		a := p.pix[2*y*p.w:]
		b := p.pix[(2*y+1)*p.w:]
		o := q.pix[y*w : (y+1)*w]
		for x := range o {
			o[x] = byte((int(a[2*x]) + int(a[2*x+1]) + int(b[2*x]) + int(b[2*x+1]) + 2) / 4)
		}
	}
	return q
}

// rot90 returns p rotated by k quarter turns clockwise.
func (p *plane) rot90(k int) *plane {
	k = ((k % 4) + 4) % 4
	if k == 0 {
		return p
	}
	var q *plane
	if k == 2 {
		q = newPlane(p.w, p.h)
	} else {
		q = newPlane(p.h, p.w)
	}
	for y := 0; y < p.h; y++ {
		for x := 0; x < p.w; x++ {
			v := p.pix[y*p.w+x]
			switch k {
			case 1:
				q.pix[x*q.w+(p.h-1-y)] = v
			case 2:
				q.pix[(p.h-1-y)*q.w+(p.w-1-x)] = v
			case 3:
				q.pix[(p.w-1-x)*q.w+y] = v
			}
		}
	}
	return q
}

// crop returns the part of p in [x0,x1)×[y0,y1), clipped to p.
func (p *plane) crop(x0, y0, x1, y1 int) *plane {
	x0, y0 = max(0, x0), max(0, y0)
	x1, y1 = min(p.w, x1), min(p.h, y1)
	if x1 <= x0 || y1 <= y0 {
		return newPlane(1, 1)
	}
	q := newPlane(x1-x0, y1-y0)
	for y := y0; y < y1; y++ {
		copy(q.pix[(y-y0)*q.w:(y-y0+1)*q.w], p.pix[y*p.w+x0:y*p.w+x1])
	}
	return q
}

// homography maps the unit square's corners (0,0),(1,0),(1,1),(0,1) to a
// quadrilateral: (x, y) = (a·s + b·t + c, d·s + e·t + f) / (g·s + h·t + 1).
type homography [8]float64

// squareTo returns the homography taking the unit square to q (top-left,
// top-right, bottom-right, bottom-left).
func squareTo(q [4][2]float64) homography {
	x0, y0 := q[0][0], q[0][1]
	x1, y1 := q[1][0], q[1][1]
	x2, y2 := q[2][0], q[2][1]
	x3, y3 := q[3][0], q[3][1]
	dx1, dy1 := x1-x2, y1-y2
	dx2, dy2 := x3-x2, y3-y2
	sx, sy := x0-x1+x2-x3, y0-y1+y2-y3
	var g, h float64
	if den := dx1*dy2 - dx2*dy1; math.Abs(den) > 1e-12 {
		g = (sx*dy2 - dx2*sy) / den
		h = (dx1*sy - sx*dy1) / den
	}
	return homography{
		x1 - x0 + g*x1, x3 - x0 + h*x3, x0,
		y1 - y0 + g*y1, y3 - y0 + h*y3, y0,
		g, h,
	}
}

func (m homography) apply(s, t float64) (float64, float64) {
	d := m[6]*s + m[7]*t + 1
	if d == 0 {
		d = 1e-12
	}
	return (m[0]*s + m[1]*t + m[2]) / d, (m[3]*s + m[4]*t + m[5]) / d
}

// warp samples src inside quad q into a w×h plane.
func warp(src *plane, q [4][2]float64, w, h int) *plane {
	m := squareTo(q)
	out := newPlane(w, h)
	for y := 0; y < h; y++ {
		t := (float64(y) + 0.5) / float64(h)
		row := out.pix[y*w : (y+1)*w]
		for x := range row {
			s := (float64(x) + 0.5) / float64(w)
			sx, sy := m.apply(s, t)
			row[x] = byte(src.at(sx-0.5, sy-0.5) + 0.5)
		}
	}
	return out
}
