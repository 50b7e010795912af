// Package geom holds the plane geometry that the document checks and the
// document generator share: perspective maps between a card and a photo.
package geom

import (
	"image"
	"math"
)

// Homography maps points of the plane with a 3×3 matrix, row-major, with
// H[8] = 1: (x, y) goes to ((H0·x + H1·y + H2) / w, (H3·x + H4·y + H5) / w)
// where w = H6·x + H7·y + 1.
type Homography [9]float64

// Identity maps every point to itself.
var Identity = Homography{1, 0, 0, 0, 1, 0, 0, 0, 1}

// Apply maps the point (x, y).
func (h Homography) Apply(x, y float64) (float64, float64) {
	w := h[6]*x + h[7]*y + h[8]
	return (h[0]*x + h[1]*y + h[2]) / w, (h[3]*x + h[4]*y + h[5]) / w
}

// MapRect returns the smallest integer rectangle holding r's four corners
// mapped by h.
func (h Homography) MapRect(r image.Rectangle) image.Rectangle {
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range [4]image.Point{r.Min, {r.Max.X, r.Min.Y}, r.Max, {r.Min.X, r.Max.Y}} {
		x, y := h.Apply(float64(p.X), float64(p.Y))
		minX, maxX = math.Min(minX, x), math.Max(maxX, x)
		minY, maxY = math.Min(minY, y), math.Max(maxY, y)
	}
	return image.Rect(int(math.Floor(minX)), int(math.Floor(minY)), int(math.Ceil(maxX)), int(math.Ceil(maxY)))
}

// SolveHomography returns the homography taking src[i] to dst[i] for the
// four point pairs, by Gaussian elimination with partial pivoting on the
// 8×8 linear system. It reports false, with the zero Homography, when the
// points are degenerate (three of them on a line, or repeated).
func SolveHomography(src, dst [4][2]float64) (Homography, bool) {
	var a [8][9]float64
	for i := 0; i < 4; i++ {
		x, y := src[i][0], src[i][1]
		u, v := dst[i][0], dst[i][1]
		a[2*i] = [9]float64{x, y, 1, 0, 0, 0, -u * x, -u * y, u}
		a[2*i+1] = [9]float64{0, 0, 0, x, y, 1, -v * x, -v * y, v}
	}
	for c := 0; c < 8; c++ {
		p := c
		for r := c + 1; r < 8; r++ {
			if math.Abs(a[r][c]) > math.Abs(a[p][c]) {
				p = r
			}
		}
		if math.Abs(a[p][c]) < 1e-12 {
			return Homography{}, false
		}
		a[c], a[p] = a[p], a[c]
		for r := 0; r < 8; r++ {
			if r == c {
				continue
			}
			f := a[r][c] / a[c][c]
			for k := c; k < 9; k++ {
				a[r][k] -= f * a[c][k]
			}
		}
	}
	var h Homography
	for i := 0; i < 8; i++ {
		h[i] = a[i][8] / a[i][i]
	}
	h[8] = 1
	return h, true
}
