package authenticity

import (
	"image"
	"math"
	"math/cmplx"
	"testing"
)

// texImage is seamImage's photo with a pale ground (chroma z0 about
// grey) printed with diagonal lines of two inks (z0 ± c, a sinusoid
// across the lines, plus ±1 level of noise) and a fine luma texture (a
// checker of ±6 gray levels: 12 per pixel along any line, the same mean
// in every chroma sample); inside the field x in [60,260), y in
// [100,140) (chroma samples) inside(z) replaces the chroma z. luma
// 'dark' makes the field's luma print-dark (the same checker 68 levels
// darker), 'plain' plain; 'box' puts a box of plain chroma (z0, no
// lines: the portrait's ground) over the field's rows [76,134), the
// field's turned lines showing only in the 6 rows below it.
func texImage(inside func(z complex128) complex128, luma string) (*image.YCbCr, [][2]float64, float64) {
	z0 := complex(1.2, 0.8)
	c := cmplx.Rect(6, 40*math.Pi/180)
	field := func(x, y int) bool { return x >= 60 && x < 260 && y >= 100 && y < 140 }
	chroma := func(x, y int) complex128 {
		z := z0 + c*complex(math.Sin(2*math.Pi*float64(x+2*y)/9), 0)
		if field(x, y) {
			z = inside(z)
		}
		if luma == "box" && x >= 60 && x < 260 && y >= 76 && y < 134 {
			z = z0
		}
		return z
	}
	cb := func(x, y int) uint8 { return uint8(math.Round(128 + real(chroma(x, y)) + float64(noise(x, y)))) }
	cr := func(x, y int) uint8 { return uint8(math.Round(128 + imag(chroma(x, y)) + float64(noise(y, x)))) }
	img, quad, scale := seamImage(cb, cr)
	for y := 0; y < 480; y++ {
		for x := 0; x < 640; x++ {
			v := uint8(122 + 12*((x+y)%2))
			if x >= 120 && x < 520 && y >= 200 && y < 280 {
				switch luma {
				case "dark":
					v -= 68
				case "plain":
					v = 128
				}
			}
			img.Y[y*img.YStride+x] = v
		}
	}
	return img, quad, scale
}

// TestColourSeamTexture: a hue turn of 70° over a field of a pale ground
// printed with two inks' lines moves the mean chroma by 1.7 levels, too
// little for the seam searches and colourRect, but turns the axis of the
// lines' chroma by 140°, twice the mean's turn: textureSeam finds the
// field's border (its 200 samples of the 270 of the document's long
// side). The same card unedited, a card whose lines alone change ink
// over the field (their axis turned, the ground's mean not: no edit
// does that), the edit over dark print (left out) and the edit on a
// field whose luma is plain (the print does not run on across its
// border, as beside a portrait's plain background) are not found; nor
// is a turn of a strip of lines no wider than the bands, between a
// plain box and the ground (the lines' texture does not run on past
// the band on the box's side: beyond).
func TestColourSeamTexture(t *testing.T) {
	o := Options{}
	o.defaults()
	w := cmplx.Rect(1, 70*math.Pi/180)
	z0 := complex(1.2, 0.8)
	top, bottom := image.Rect(60*12, 100*12, 260*12, 101*12), image.Rect(60*12, 139*12, 260*12, 140*12) // original pixels
	img, quad, scale := texImage(func(z complex128) complex128 { return w * z }, "")
	r := colourSeam(img, quad, scale, o)
	if !r.found || r.texture < texMinRun || !r.box.Overlaps(top) && !r.box.Overlaps(bottom) {
		t.Errorf("turned field: seam %.3f coarse %.3f rect %.3f texture %.3f found %v at %v, want the texture run at %v or %v",
			r.rel, r.coarse, r.rect.agree, r.texture, r.found, r.box, top, bottom)
	}
	if r.rel >= o.MinSeam || r.coarse >= coarseMin || r.rect.ok {
		t.Errorf("turned field: seam %.3f coarse %.3f rect %.3f: the test wants a field the other searches miss", r.rel, r.coarse, r.rect.agree)
	}
	for _, c := range []struct {
		name   string
		inside func(z complex128) complex128
		luma   string
	}{
		{"unedited", func(z complex128) complex128 { return z }, ""},
		{"the lines' ink alone", func(z complex128) complex128 { return z0 + w*(z-z0) }, ""},
		{"the edit over dark print", func(z complex128) complex128 { return w * z }, "dark"},
		{"the edit on a plain field", func(z complex128) complex128 { return w * z }, "plain"},
		{"a turned strip beside a plain box", func(z complex128) complex128 { return w * z }, "box"},
	} {
		img, quad, scale := texImage(c.inside, c.luma)
		if r := colourSeam(img, quad, scale, o); r.found || r.texture >= texMinRun {
			t.Errorf("%s: texture %.3f, found %v at %v; want none", c.name, r.texture, r.found, r.box)
		}
	}
}
