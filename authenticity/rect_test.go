package authenticity

import (
	"image"
	"math"
	"testing"
)

// TestColourRect: on a level card whose print (a luma checker of 12
// levels) runs along both axes, a recoloured rectangle of 60 × 20 chroma
// samples (Cb +8 inside) is too short for the seam searches (0.22 of the
// card's side, under seamLevelMin) and is closed by colourRect from its
// sides. Not found: the same offset in a disc, in a plain panel (no
// print inside), on a flat card, and in a rectangle with another ground
// along one side (as a face has its hair above). (With the corner and
// ring rules off, the disc and the other ground are still refused here:
// the synthetic disc's sides are not sharp; the photos' discs and faces
// that those rules refuse are in docs/imagecheck.md.)
func TestColourRect(t *testing.T) {
	const x0, x1, y0, y1 = 120, 180, 100, 120 // chroma samples
	build := func(inside func(x, y int) bool, plain bool, above uint8) (*image.YCbCr, [][2]float64, float64) {
		img := image.NewYCbCr(image.Rect(0, 0, 640, 480), image.YCbCrSubsampleRatio420)
		for y := 0; y < 480; y++ {
			for x := 0; x < 640; x++ {
				v := uint8(120 + 12*((x/3+y/3)%2))
				if plain && inside(x/2, y/2) {
					v = 126
				}
				img.Y[y*img.YStride+x] = v
			}
		}
		for y := 0; y < 240; y++ {
			for x := 0; x < 320; x++ {
				cb, cr := uint8(128), uint8(128)
				if inside(x, y) {
					cb = 136
				} else if y < y0 && y >= y0-12 && x >= x0-4 && x < x1+4 {
					cr = above
				}
				img.Cb[y*img.CStride+x], img.Cr[y*img.CStride+x] = cb, cr
			}
		}
		const scale = 6
		var quad [][2]float64
		for _, p := range [][2]float64{{50, 50}, {590, 50}, {590, 430}, {50, 430}} {
			quad = append(quad, [2]float64{p[0] * scale, p[1] * scale})
		}
		return img, quad, scale
	}
	rect := func(x, y int) bool { return x >= x0 && x < x1 && y >= y0 && y < y1 }
	disc := func(x, y int) bool { return (x-150)*(x-150)+(y-110)*(y-110) < 15*15 }
	none := func(x, y int) bool { return false }
	o := Options{}
	o.defaults()
	img, quad, scale := build(rect, false, 128)
	r := colourSeam(img, quad, scale, o)
	field := image.Rect(x0*12, y0*12, x1*12, y1*12) // original pixels
	if !r.found || !r.rect.ok || !r.box.Overlaps(field) || r.rel >= seamLevelMin {
		t.Errorf("recoloured rectangle: seam %.3f, rect %+v, found %v at %v; want the rectangle at %v", r.rel, r.rect, r.found, r.box, field)
	}
	for name, c := range map[string]struct {
		inside func(x, y int) bool
		plain  bool
		above  uint8
	}{
		"disc":                 {disc, false, 128},
		"plain panel":          {rect, true, 128},
		"flat card":            {none, false, 128},
		"another ground above": {rect, false, 140},
	} {
		img, quad, scale := build(c.inside, c.plain, c.above)
		if r := colourSeam(img, quad, scale, o); r.found || r.rect.ok {
			t.Errorf("%s: seam %.3f, rect %+v, found %v at %v; want nothing", name, r.rel, r.rect, r.found, r.box)
		}
	}
}

// TestColourRectTurn: on a coloured card ground whose hue drifts across
// the field (z = 8·e^{iφ}, φ rising from 0 at chroma column 100 to 108°
// at 180, as a guilloche of two inks blends), a rectangle of 60 × 20
// chroma samples whose chroma is turned by 120° about grey (a hue
// adjustment of a selection) steps in a direction that turns by 81°
// along its long sides, and is found (the one-offset model of a tint,
// rectAgree, does not find it, and passes the seal below). Not found on the same ground: a
// square seal printed in a saturated ink (five times the ground's
// chroma), a grey panel (a portrait's plain background), and the turned
// rectangle with no print inside or outside.
func TestColourRectTurn(t *testing.T) {
	const x0, x1, y0, y1 = 120, 180, 100, 120 // chroma samples
	ground := func(x int) (float64, float64) {
		phi := math.Pi * 0.6 * math.Min(1, math.Max(0, float64(x-100)/80))
		return 8 * math.Cos(phi), 8 * math.Sin(phi)
	}
	build := func(inside func(x, y int) bool, edit func(b, r float64) (float64, float64), print bool) *image.YCbCr {
		img := image.NewYCbCr(image.Rect(0, 0, 640, 480), image.YCbCrSubsampleRatio420)
		for y := 0; y < 480; y++ {
			for x := 0; x < 640; x++ {
				v := uint8(126)
				if print {
					v = uint8(120 + 12*((x/3+y/3)%2))
				}
				img.Y[y*img.YStride+x] = v
			}
		}
		for y := 0; y < 240; y++ {
			for x := 0; x < 320; x++ {
				b, r := ground(x)
				if inside(x, y) {
					b, r = edit(b, r)
				}
				img.Cb[y*img.CStride+x], img.Cr[y*img.CStride+x] = uint8(math.Round(128+b)), uint8(math.Round(128+r))
			}
		}
		return img
	}
	quad, scale := rectTestQuad()
	rect := func(x, y int) bool { return x >= x0 && x < x1 && y >= y0 && y < y1 }
	sq := func(x, y int) bool { return x >= 140 && x < 160 && y >= y0 && y < y1 }
	c, s := math.Cos(2*math.Pi/3), math.Sin(2*math.Pi/3)
	turn := func(b, r float64) (float64, float64) { return c*b - s*r, s*b + c*r }
	seal := func(b, r float64) (float64, float64) { return 40, -5 }
	grey := func(b, r float64) (float64, float64) { return 0, 0 }
	o := Options{}
	o.defaults()
	field := image.Rect(x0*12, y0*12, x1*12, y1*12) // original pixels
	r := colourSeam(build(rect, turn, true), quad, scale, o)
	if !r.found || !r.rect.ok || !r.box.Overlaps(field) {
		t.Errorf("turned rectangle: seam %.3f, rect %+v, found %v at %v; want the rectangle at %v", r.rel, r.rect, r.found, r.box, field)
	}
	for name, c := range map[string]struct {
		inside func(x, y int) bool
		edit   func(b, r float64) (float64, float64)
		print  bool
	}{
		"saturated seal":   {sq, seal, true},
		"grey panel":       {rect, grey, true},
		"turned, no print": {rect, turn, false},
	} {
		if r := colourSeam(build(c.inside, c.edit, c.print), quad, scale, o); r.found || r.rect.ok {
			t.Errorf("%s: seam %.3f, rect %+v, found %v at %v; want nothing", name, r.rel, r.rect, r.found, r.box)
		}
	}
}

// TestRectStraight: a chroma step along a boundary is a candidate side,
// the same step tilted by 5° (a printed edge of a tilted card, which the
// bands of rectBand lines let run on one boundary for a while) is not.
func TestRectStraight(t *testing.T) {
	for _, c := range []struct {
		tilt float64
		want bool
	}{{0, true}, {5, false}} {
		w, h := 200, 100
		cb, cr := make([]byte, w*h), make([]byte, w*h)
		k := math.Tan(c.tilt * math.Pi / 180)
		for y := range h {
			for x := range w {
				cb[y*w+x], cr[y*w+x] = 128, 128
				if float64(y) >= 50+k*float64(x-100) {
					cb[y*w+x] = 136
				}
			}
		}
		sums := newChromaSums(cb, cr, w, w, h)
		got := rectStraight(sums, true, 70, 130, 50, 1, 0)
		if got != c.want {
			t.Errorf("tilt %.0f°: straight %v, want %v", c.tilt, got, c.want)
		}
	}
}

// TestColourRectDarkBlock: a block printed over a tinted card in a dark
// ink (a two-dimensional code, a halftone photo: the back of the sample
// card, whose code colour_rect once sent to review at 0.99) dims the
// ground's chroma inside by its share of ink, as a desaturation of a
// selection does; but the ink takes the light with it, and a hue or
// saturation edit does not. On a ground 8 levels of chroma from grey,
// with print (a luma checker) running on across it, a rectangle of 60 ×
// 30 chroma samples whose chroma is scaled by 0.6 is found when its
// light is left alone (the edit) and not when its luma is scaled by 0.55
// too (the ink).
func TestColourRectDarkBlock(t *testing.T) {
	const x0, x1, y0, y1 = 120, 180, 100, 130 // chroma samples
	in := func(x, y int) bool { return x >= x0 && x < x1 && y >= y0 && y < y1 }
	build := func(light float64) *image.YCbCr {
		img := image.NewYCbCr(image.Rect(0, 0, 640, 480), image.YCbCrSubsampleRatio420)
		for y := 0; y < 480; y++ {
			for x := 0; x < 640; x++ {
				v := float64(190 + 24*((x/3+y/3)%2))
				if in(x/2, y/2) {
					v *= light
				}
				img.Y[y*img.YStride+x] = uint8(math.Round(v))
			}
		}
		for y := 0; y < 240; y++ {
			for x := 0; x < 320; x++ {
				b, r := 6.4, 4.8
				if in(x, y) {
					b, r = 0.6*b, 0.6*r
				}
				img.Cb[y*img.CStride+x], img.Cr[y*img.CStride+x] = uint8(math.Round(128+b)), uint8(math.Round(128+r))
			}
		}
		return img
	}
	wantRectAt(t, build(1), x0, y0, x1, y1, "desaturated selection")
	quad, scale := rectTestQuad()
	o := Options{}
	o.defaults()
	if r := colourSeam(build(0.55), quad, scale, o); r.found || r.rect.ok {
		t.Errorf("dark ink: seam %.3f, rect %+v, found %v at %v; want nothing", r.rel, r.rect, r.found, r.box)
	}
}

// rectTestQuad is the document outline of the 640 × 480 synthetic photos
// of the rectangle tests, in original pixels at scale 6 (the working
// pixels' scale).
func rectTestQuad() ([][2]float64, float64) {
	const scale = 6
	var quad [][2]float64
	for _, p := range [][2]float64{{50, 50}, {590, 50}, {590, 430}, {50, 430}} {
		quad = append(quad, [2]float64{p[0] * scale, p[1] * scale})
	}
	return quad, scale
}

// wantRectAt fails the test unless the seam search of img (on
// rectTestQuad, default options) finds a closed rectangle overlapping
// chroma samples [x0, x1) × [y0, y1); what names the case.
func wantRectAt(t *testing.T, img *image.YCbCr, x0, y0, x1, y1 int, what string) {
	t.Helper()
	if r, ok := rectFound(img, image.Rectangle{}, x0, y0, x1, y1); !ok {
		t.Errorf("%s: rect %+v at %v; want the rectangle at %v", what, r.rect, r.box, image.Rect(x0*12, y0*12, x1*12, y1*12))
	}
}

// rectFound runs the seam search of img on rectTestQuad with the default
// options, beside the portrait's face box face (original pixels; empty:
// none), and reports whether it found a closed rectangle overlapping
// chroma samples [x0, x1) × [y0, y1).
func rectFound(img *image.YCbCr, face image.Rectangle, x0, y0, x1, y1 int) (seamResult, bool) {
	quad, scale := rectTestQuad()
	o := Options{}
	o.defaults()
	r := colourSeamBeside(img, quad, face, scale, o)
	return r, r.rect.ok && r.box.Overlaps(image.Rect(x0*12, y0*12, x1*12, y1*12))
}
