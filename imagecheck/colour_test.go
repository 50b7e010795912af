package imagecheck

import (
	"math"
	"testing"
)

func TestChromaSegmentDist2(t *testing.T) {
	for _, c := range []struct {
		name                   string
		cb, cr, lo, hi, ku, kv float64 // lo, hi: luma; ku, kv: chromaticity
		want                   float64
	}{
		{"flat, on the cast", 10, -5, 100, 100, 0.1, -0.05, 0},
		{"flat, off the cast", 10, 0, 100, 100, 0.04, 0, 0.0036},
		{"edge: the cast within reach", 20, 0, 50, 200, 0.2, 0, 0},        // 20/200..20/50 = 0.1..0.4
		{"edge: beyond the darkest", 20, 0, 50, 200, 0.6, 0, 0.04},        // nearest 0.4
		{"edge: short of the brightest", 20, 0, 50, 200, 0.04, 0, 0.0036}, // nearest 0.1
		{"edge: across the segment", 20, 0, 50, 200, 0.2, 0.1, 0.01},      // nearest (0.2, 0)
		{"no chroma", 0, 0, 40, 120, 0.03, 0.04, 0.0025},
	} {
		if got := chromaSegmentDist2(c.cb, c.cr, 1/c.lo, 1/c.hi, c.ku, c.kv); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

// colourCard is a w×h document: paper of luma 200 with dark print (luma
// 50) in vertical lines 2 pixels wide every 16; chroma is averaged over
// 6 luma pixels across (sampled at half resolution and smoothed, as JPEG
// does): cast × luma everywhere, plus the ink's (inkCb, inkCr) on print.
func colourCard(w, h int, castCb, castCr, inkCb, inkCr float64) *planes {
	p := &planes{w: w, h: h, ys: w, y: make([]byte, w*h), cw: w / 2, ch: h / 2, cs: w / 2}
	p.cb, p.cr = make([]byte, p.cw*p.ch), make([]byte, p.cw*p.ch)
	ink := func(x int) bool { return x%16 < 2 }
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			p.y[y*w+x] = 200
			if ink(x) {
				p.y[y*w+x] = 50
			}
		}
	}
	for cy := 0; cy < p.ch; cy++ {
		for cx := 0; cx < p.cw; cx++ {
			var sb, sr, n float64
			for x := max(0, 2*cx-2); x < min(w, 2*cx+4); x++ {
				l := float64(p.y[2*cy*w+x])
				b, r := castCb*l, castCr*l
				if ink(x) {
					b, r = b+inkCb, r+inkCr
				}
				sb, sr, n = sb+b, sr+r, n+1
			}
			p.cb[cy*p.cs+cx] = byte(math.Round(128 + sb/n))
			p.cr[cy*p.cs+cx] = byte(math.Round(128 + sr/n))
		}
	}
	return p
}

// A grey copy under a warm cast, its tint smeared over the print by the
// chroma's lower resolution, is grey; colour printed in the same fine
// lines is colour, even where the smear dilutes it.
func TestColourfulnessSmear(t *testing.T) {
	const w, h = 160, 96
	r := rasterize([4][2]float64{{4, 4}, {w - 4, 4}, {w - 4, h - 4}, {4, h - 4}}, w, h)
	for _, c := range []struct {
		name                       string
		castCb, castCr, inkCb, ink float64
		grey                       bool
	}{
		{"grey copy, warm cast", -0.10, 0.08, 0, 0, true},
		{"grey copy, cool cast", 0.12, -0.09, 0, 0, true},
		{"grey, no cast", 0, 0, 0, 0, true},
		{"red fine print", 0, 0, -10, 30, false},
		{"blue fine print under a warm cast", -0.10, 0.08, 30, -10, false},
	} {
		got, _, _ := colourfulness(colourCard(w, h, c.castCb, c.castCr, c.inkCb, c.ink), r)
		if grey := got < DefaultOptions().Thresholds.MinColour; grey != c.grey {
			t.Errorf("%s: colour %.2f, grey %v, want %v", c.name, got, grey, c.grey)
		}
	}
}

func TestChromaRayDist2(t *testing.T) {
	for _, c := range []struct {
		name       string
		cb, cr, hi float64 // hi: the brightest luma
		au, av     float64 // the cast's hue, a unit vector
		want       float64
	}{
		{"on the ray", 30, 0, 100, 1, 0, 0},
		{"across the ray", 20, 5, 100, 1, 0, 0.0025},  // 5/100
		{"the opposite hue", -20, 0, 100, 1, 0, 0.04}, // all of 20/100
		{"no cast", 3, 4, 50, 0, 0, 0.01},             // 5/50
		{"a tilted ray", 6, 8, 200, 0.6, 0.8, 0},
	} {
		if got := chromaRayDist2(c.cb, c.cr, 1/c.hi, c.au, c.av); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

// panelCard is a w×h document of two flat panels: the columns left of
// w×share have luma y1 and chroma (cb1, cr1) (Cb−128, Cr−128), the rest
// luma y2 and chroma (cb2, cr2).
func panelCard(w, h int, share float64, y1, cb1, cr1, y2, cb2, cr2 int) *planes {
	p := &planes{w: w, h: h, ys: w, y: make([]byte, w*h), cw: w / 2, ch: h / 2, cs: w / 2}
	p.cb, p.cr = make([]byte, p.cw*p.ch), make([]byte, p.cw*p.ch)
	split := int(float64(w) * share)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			p.y[y*w+x] = byte(y2)
			if x < split {
				p.y[y*w+x] = byte(y1)
			}
		}
	}
	for cy := 0; cy < p.ch; cy++ {
		for cx := 0; cx < p.cw; cx++ {
			b, r := cb2, cr2
			if 2*cx < split {
				b, r = cb1, cr1
			}
			p.cb[cy*p.cs+cx], p.cr[cy*p.cs+cx] = byte(128+b), byte(128+r)
		}
	}
	return p
}

// In colour's doubt band the hue decides: a grey copy whose warm cast
// is weaker and a little yellower on its bright paper (the tone curve's
// shoulder) keeps to about one hue; a card with a second tint off the
// cast's hue does not.
func TestColourHue(t *testing.T) {
	const w, h = 160, 96
	r := rasterize([4][2]float64{{4, 4}, {w - 4, 4}, {w - 4, h - 4}, {4, h - 4}}, w, h)
	th := DefaultOptions().Thresholds
	for _, c := range []struct {
		name string
		p    *planes
		grey bool
	}{
		// A dark stripe over 40 % at (−5, 4) % (hue 141°), paper at
		// (−8, 5) / 230 = (−3.5, 2.2) % (hue 148°): the stripe is 2.4
		// from the paper's cast and 0.75 across its hue, so about 1.4
		// and 0.4 over the samples (about 35 % of them on the stripe,
		// the farthest 2 % set aside).
		{"grey copy, cast weaker on the paper", panelCard(w, h, 0.4, 100, -5, 4, 230, -8, 5), true},
		// The stripe at (−2, 4) % instead (hue 117°): as far from the
		// cast, all of it across its hue (about 1.4).
		{"second tint off the cast's hue", panelCard(w, h, 0.4, 100, -2, 4, 230, -8, 5), false},
	} {
		colour, hue, _ := colourfulness(c.p, r)
		if colour < th.MinColour || colour >= th.MinColourDoubt {
			t.Errorf("%s: colour %.2f, want it in the doubt band %v–%v", c.name, colour, th.MinColour, th.MinColourDoubt)
		}
		if grey := hue < th.MinColourHue; grey != c.grey {
			t.Errorf("%s: colour_hue %.2f, grey %v, want %v", c.name, hue, grey, c.grey)
		}
	}
}
