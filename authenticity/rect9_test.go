package authenticity

import (
	"image"
	"math"
	"testing"
)

// TestColourRectSealAcross: a rectangle of 60 × 20 chroma samples on a
// ground of chroma (8, 6), with a seal of a saturated ink (−40, 35)
// over x in [170, 196) and y in [94, 126), across its right side from
// above the top to below the bottom. When the selection turned the
// ground and the part of the seal inside it by 120° alike, the band
// outside the right side is the seal and the one inside it the seal
// turned: the turn fitted on the ground carries it over, and the
// rectangle is found. When only the ground inside was turned and the
// seal left as it was (not an edit of a selection), or nothing was
// turned, it is not.
func TestColourRectSealAcross(t *testing.T) {
	const x0, x1, y0, y1 = 120, 180, 100, 120 // chroma samples
	seal := func(x, y int) bool { return x >= 170 && x < 196 && y >= 94 && y < 126 }
	for _, tc := range sealTurns {
		img := sealCard([2]float64{8, 6}, [2]float64{-40, 35}, seal, image.Rect(x0, y0, x1, y1), 2*math.Pi/3, tc.ground, tc.ink)
		if r, got := rectFound(img, image.Rectangle{}, x0, y0, x1, y1); got != tc.want {
			t.Errorf("%s: found %v (rect %+v at %v), want %v", tc.name, got, r.rect, r.box, tc.want)
		}
	}
}

// TestColourRectInFace: a rectangle of 24 × 12 chroma samples turned by
// 120° on a ground of chroma (8, 6) is found; inside the portrait's face
// box (chroma samples [100, 160) × [80, 140)) it is not, as the face's
// own features are not a field of the card.
func TestColourRectInFace(t *testing.T) {
	const x0, x1, y0, y1 = 118, 142, 100, 112 // chroma samples
	c, s := math.Cos(2*math.Pi/3), math.Sin(2*math.Pi/3)
	img := levelCard(func(x, y int) (float64, float64) {
		b, r := 8.0, 6.0
		if x >= x0 && x < x1 && y >= y0 && y < y1 {
			b, r = c*b-s*r, s*b+c*r
		}
		return b, r
	})
	for _, tc := range []struct {
		face image.Rectangle // original pixels
		want bool
	}{
		{image.Rectangle{}, true},
		{image.Rect(100*12, 80*12, 160*12, 140*12), false},
		{image.Rect(20*12, 80*12, 80*12, 140*12), true}, // a face elsewhere
	} {
		if r, got := rectFound(img, tc.face, x0, y0, x1, y1); got != tc.want {
			t.Errorf("face box %v: found %v (rect %+v at %v), want %v", tc.face, got, r.rect, r.box, tc.want)
		}
	}
}

// sealCard paints a levelCard of chroma ground with a seal of chroma ink
// where seal holds, and turns by angle the chroma inside sel of the ground
// (when ground) and of the seal (when ink), as an editor's hue change of
// a selection drawn across the seal does when both are true.
func sealCard(ground, ink [2]float64, seal func(x, y int) bool, sel image.Rectangle, angle float64, turnGround, turnInk bool) *image.YCbCr {
	c, s := math.Cos(angle), math.Sin(angle)
	return levelCard(func(x, y int) (float64, float64) {
		b, r := ground[0], ground[1]
		in := seal(x, y)
		if in {
			b, r = ink[0], ink[1]
		}
		if image.Pt(x, y).In(sel) && (in && turnInk || !in && turnGround) {
			b, r = c*b-s*r, s*b+c*r
		}
		return b, r
	})
}

// sealTurns are the seal-across tests' cases: what an editor's hue
// change turned inside the selection, and whether the rectangle must be
// found (only an edit of the selection, seal and ground alike, is).
var sealTurns = []struct {
	name        string
	ground, ink bool // turned inside the selection
	want        bool
}{
	{"ground and seal turned", true, true, true},
	{"ground turned, seal not", true, false, false},
	{"nothing turned", false, false, false},
}
