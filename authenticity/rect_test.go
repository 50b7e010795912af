package authenticity

import (
	"image"
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
