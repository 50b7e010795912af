package authenticity

import (
	"image"
	"math"
	"testing"
)

// levelCard is a level card of 640 × 480 working pixels whose print is
// a fine luma checker, its chroma (Cb, Cr about grey) given per chroma
// sample by at.
func levelCard(at func(x, y int) (float64, float64)) *image.YCbCr {
	img := image.NewYCbCr(image.Rect(0, 0, 640, 480), image.YCbCrSubsampleRatio420)
	for y := 0; y < 480; y++ {
		for x := 0; x < 640; x++ {
			img.Y[y*img.YStride+x] = uint8(120 + 12*((x/3+y/3)%2))
		}
	}
	for y := 0; y < 240; y++ {
		for x := 0; x < 320; x++ {
			b, r := at(x, y)
			img.Cb[y*img.CStride+x], img.Cr[y*img.CStride+x] = uint8(math.Round(128+b)), uint8(math.Round(128+r))
		}
	}
	return img
}

// TestColourRectSealBeside: a rectangle of 60 × 20 chroma samples
// turned by 120° on a ground of chroma (8, 6), with a seal of a
// saturated ink (−40, 35) beside the top of its right side and over
// that corner. The seal weighs in a least-squares fit of the turn by
// the square of its chroma, 35 times the ground's, and in the mean step
// along the right side by its own edge; fitted on the pieces beside the
// ground and read as the median of its pieces, the rectangle is found.
// The seal alone, nothing turned, is not.
func TestColourRectSealBeside(t *testing.T) {
	const x0, x1, y0, y1 = 120, 180, 100, 120 // chroma samples
	c, s := math.Cos(2*math.Pi/3), math.Sin(2*math.Pi/3)
	seal := func(x, y int) bool { return x >= 180 && x < 200 && y >= 92 && y < 107 }
	for _, turned := range []bool{true, false} {
		img := levelCard(func(x, y int) (float64, float64) {
			b, r := 8.0, 6.0
			switch {
			case seal(x, y):
				b, r = -40, 35
			case turned && x >= x0 && x < x1 && y >= y0 && y < y1:
				b, r = c*b-s*r, s*b+c*r
			}
			return b, r
		})
		quad, scale := rectTestQuad()
		o := Options{}
		o.defaults()
		field := image.Rect(x0*12, y0*12, x1*12, y1*12) // original pixels
		r := colourSeam(img, quad, scale, o)
		if turned && (!r.rect.ok || !r.box.Overlaps(field)) {
			t.Errorf("turned rectangle beside a seal: rect %+v at %v; want the rectangle at %v", r.rect, r.box, field)
		}
		if !turned && r.found {
			t.Errorf("the seal alone: found %+v at %v", r.rect, r.box)
		}
	}
}

// TestColourRectTint: on a coloured ground (chroma 5) whose hue drifts
// by 108° across the field, a rectangle of 60 × 20 chroma samples with
// one offset of 9 levels laid over it (a colour balance or a tinted
// layer: the same shift whatever the ground beneath) steps by that
// offset all round, where the step a turn about grey predicts turns
// with the ground; it is found as a tint.
func TestColourRectTint(t *testing.T) {
	const x0, x1, y0, y1 = 120, 180, 100, 120 // chroma samples
	tb, tr := 9*math.Cos(234*math.Pi/180), 9*math.Sin(234*math.Pi/180)
	img := levelCard(func(x, y int) (float64, float64) {
		phi := math.Pi * 0.6 * math.Min(1, math.Max(0, float64(x-100)/80))
		b, r := 5*math.Cos(phi), 5*math.Sin(phi)
		if x >= x0 && x < x1 && y >= y0 && y < y1 {
			b, r = b+tb, r+tr
		}
		return b, r
	})
	wantRectAt(t, img, x0, y0, x1, y1, "tinted rectangle on a coloured ground")
}

// TestRectTurnSeal: a rectangle of 60 × 20 chroma samples turned by
// 120° on a ground of chroma 4 whose hue drifts by 54° along it, with a
// seal of (−40, 35) beside the top of its right side. Fitted on the
// side pieces beside the ground, the turn agrees (≥ 0.9); fitted on
// every piece, the seal's outweighing the ground's by 200 to 1 each,
// it predicts the steps wrongly (0).
func TestRectTurnSeal(t *testing.T) {
	const u0, u1, v0, v1 = 120, 180, 100, 120
	c, s := math.Cos(2*math.Pi/3), math.Sin(2*math.Pi/3)
	w, h := 320, 240
	cb, cr := make([]byte, w*h), make([]byte, w*h)
	for y := range h {
		for x := range w {
			phi := 0.2*math.Pi + 0.3*math.Pi*math.Min(1, math.Max(0, float64(x-100)/100))
			b, r := 4*math.Cos(phi), 4*math.Sin(phi)
			switch {
			case x >= 181 && x < 200 && y >= 92 && y < 113:
				b, r = -40, 35
			case x >= u0 && x < u1 && y >= v0 && y < v1:
				b, r = c*b-s*r, s*b+c*r
			}
			cb[y*w+x], cr[y*w+x] = uint8(math.Round(128+b)), uint8(math.Round(128+r))
		}
	}
	sums := newChromaSums(cb, cr, w, w, h)
	_, gb, gr := rectRing(sums, true, u0, u1, v0, v1)
	m := 4 * math.Sqrt(3) // |w − 1|·|z|
	if got := rectTurnAgree(sums, true, u0, u1, v0, v1, m, gb, gr); got < 0.9 {
		t.Errorf("turned rectangle beside a seal: agreement %.2f, want ≥ 0.9", got)
	}
}
