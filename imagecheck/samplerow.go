package imagecheck

import "github.com/kycq/kycq/internal/geom"

// rowSampler is the state of sampleRow's loop along one row, for its
// assembly (sampleRowAVX2, which reads the fields by offset: keep their
// order): the homography's numerators and denominator at the next point,
// their steps from one point to the next, the plane's working pixels per
// pixel, its last column and row (as floats and integers) and its stride.
type rowSampler struct {
	nx, ny, d    float64
	sx, sy, sd   float64
	div          float64
	maxX, maxY   float64
	lastX, lastY int64
	ps           int64
}

// newRowSampler starts sampleRow's loop at the view's point (x0, y),
// stepping dx view pixels.
func newRowSampler(hom geom.Homography, x0, y, dx float64, pw, ph, ps int, div float64) rowSampler {
	return rowSampler{
		nx: hom[0]*x0 + hom[1]*y + hom[2],
		ny: hom[3]*x0 + hom[4]*y + hom[5],
		d:  hom[6]*x0 + hom[7]*y + hom[8],
		sx: hom[0] * dx, sy: hom[3] * dx, sd: hom[6] * dx,
		div:  div,
		maxX: float64(pw - 1), maxY: float64(ph - 1),
		lastX: int64(pw - 1), lastY: int64(ph - 1),
		ps: int64(ps),
	}
}

// fits reports whether every index the plane's pixels can be read at
// (the last row's last pixel at most) is inside n bytes and fits 31 bits,
// as sampleRowAVX2's 32-bit lanes need.
func (s *rowSampler) fits(n int) bool {
	if s.lastX < 0 || s.lastY < 0 || s.ps <= s.lastX || s.lastX >= 1<<22 || s.lastY >= 1<<22 {
		return false
	}
	last := s.lastY*s.ps + s.lastX
	return last < 1<<31-1 && last < int64(n)
}
