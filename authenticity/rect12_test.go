package authenticity

import (
	"image"
	"math"
	"testing"
)

// TestThirdsStep: across boundary 50, the first two thirds of [0, 60)
// step by 10 levels of Cb and the last third, beside a seal, by −30:
// the mean over the side is −3.3 levels, the median of the thirds 10.
// With the last third stepping by 15, no third is another ink's edge.
func TestThirdsStep(t *testing.T) {
	w, h := 60, 100
	cb, cr := make([]byte, w*h), make([]byte, w*h)
	for y := range h {
		for x := range w {
			cb[y*w+x], cr[y*w+x] = 128, 128
			if y >= 50 {
				cb[y*w+x] = 138
				if x >= 40 {
					cb[y*w+x] = 98
				}
			}
		}
	}
	sums := newChromaSums(cb, cr, w, w, h)
	defer sums.release()
	if db, _, _ := sums.step(true, 0, 60, 50); math.Abs(db-(-10.0/3)) > 1e-9 {
		t.Errorf("mean step = %.3f, want -3.333", db)
	}
	if got := thirdsStep(sums, true, 0, 60, 50, 1, 0); math.Abs(got-10) > 1e-9 {
		t.Errorf("thirdsStep = %.3f, want 10", got)
	}
	if got := thirdsStep(sums, true, 0, 60, 50, -1, 0); math.Abs(got+10) > 1e-9 {
		t.Errorf("thirdsStep projected the other way = %.3f, want -10", got)
	}
	if got := thirdsStep(sums, true, 0, 60, 2, 1, 0); got != 0 {
		t.Errorf("thirdsStep off the planes = %.3f, want 0", got)
	}
	// A third stepping by 15 instead of −30 (print, not a seal's edge):
	// under twice the median, the mean stands alone.
	for y := 50; y < h; y++ {
		for x := 40; x < w; x++ {
			cb[y*w+x] = 143
		}
	}
	sums2 := newChromaSums(cb, cr, w, w, h)
	defer sums2.release()
	if got := thirdsStep(sums2, true, 0, 60, 50, 1, 0); got != 0 {
		t.Errorf("thirdsStep with no foreign third = %.3f, want 0", got)
	}
}

// TestColourRectSealOnTop: a selection of 60 × 20 chroma samples on a
// ground of (8, 6) turned by 120°, with a seal of (−40, 35) across the
// right third of its top side, its part inside turned with the ground
// (as an editor's selection across a seal turns both). Along the top
// side the seal's own step, turned seal inside against seal outside,
// is several times the ground's and points elsewhere, so the mean step
// there does not read as the bottom side's offset back; the median of
// the side's thirds does, and the rectangle is found. The seal alone,
// nothing turned, is not a rectangle.
func TestColourRectSealOnTop(t *testing.T) {
	const x0, x1, y0, y1 = 120, 180, 100, 120
	c, s := math.Cos(2*math.Pi/3), math.Sin(2*math.Pi/3)
	seal := func(x, y int) bool {
		dx, dy := float64(x-172), float64(y-98)
		return dx*dx+dy*dy < 11*11
	}
	for _, turned := range []bool{true, false} {
		img := levelCard(func(x, y int) (float64, float64) {
			b, r := 8.0, 6.0
			if seal(x, y) {
				b, r = -40, 35
			}
			if turned && image.Pt(x, y).In(image.Rect(x0, y0, x1, y1)) {
				b, r = c*b-s*r, s*b+c*r
			}
			return b, r
		})
		blurChroma(img)
		r, ok := rectFound(img, image.Rectangle{}, x0, y0, x1, y1)
		if ok != turned {
			t.Errorf("turned %v: rect %+v at %v, found %v", turned, r.rect, r.box, ok)
		}
	}
}

// TestColourRectLightPrint: a turned selection whose light is the
// ground's is found; the same rectangle 1.45 times as light inside as
// the ground around it (light print on a dark band, whose chroma a
// coarse save pulls towards grey) is not a hue edit's, nor is one 0.7
// times as light (dark print).
func TestColourRectLightPrint(t *testing.T) {
	const x0, x1, y0, y1 = 120, 180, 100, 120
	for _, tc := range []struct {
		light float64
		want  bool
	}{{1, true}, {1.45, false}, {0.7, false}} {
		img := turnCard([2]float64{8, 6}, image.Rect(x0, y0, x1, y1), nil)
		blurChroma(img)
		for y := 2 * y0; y < 2*y1; y++ {
			for x := 2 * x0; x < 2*x1; x++ {
				k := y*img.YStride + x
				img.Y[k] = uint8(math.Round(float64(img.Y[k]) * tc.light))
			}
		}
		if r, ok := rectFound(img, image.Rectangle{}, x0, y0, x1, y1); ok != tc.want {
			t.Errorf("light %.2f: rect %+v at %v, found %v, want %v", tc.light, r.rect, r.box, ok, tc.want)
		}
	}
}

// TestSatKept: a horizontal border after chroma row 99 between a ground
// of (20, −15) and the same ground turned by 120° keeps the saturation
// (25 levels from grey either side); between that ground and a nearly
// grey one 4 levels from grey (a card's edge on a grey table) it does
// not, nor between it and a ground three times as saturated. A ground 2
// levels from grey beside it may be tinted: kept, as is grey either side.
func TestSatKept(t *testing.T) {
	c, s := math.Cos(2*math.Pi/3), math.Sin(2*math.Pi/3)
	for _, tc := range []struct {
		name  string
		below [2]float64
		want  bool
	}{
		{"turned", [2]float64{c*20 + s*15, s*20 - c*15}, true},
		{"nearly grey", [2]float64{0, 4}, false},
		{"tinted grey", [2]float64{0, 2}, true},
		{"three times", [2]float64{60, -45}, false},
	} {
		img := levelCard(func(x, y int) (float64, float64) {
			if y >= 100 {
				return tc.below[0], tc.below[1]
			}
			return 20, -15
		})
		if got := satKept(img, seam{horiz: true, l: 99, a: 50, b: 250}); got != tc.want {
			t.Errorf("%s: satKept = %v, want %v", tc.name, got, tc.want)
		}
	}
	grey := levelCard(func(x, y int) (float64, float64) { return 0, 0 })
	if !satKept(grey, seam{horiz: true, l: 99, a: 50, b: 250}) {
		t.Errorf("grey both sides: satKept = false, want true")
	}
}
