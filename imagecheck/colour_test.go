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
		got, _ := colourfulness(colourCard(w, h, c.castCb, c.castCr, c.inkCb, c.ink), r)
		if grey := got < DefaultOptions().Thresholds.MinColour; grey != c.grey {
			t.Errorf("%s: colour %.2f, grey %v, want %v", c.name, got, grey, c.grey)
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

// In colour's doubt band the cast at each luma decides: a grey copy
// whose warm cast is weaker and turned on its bright paper (the tone
// curve's shoulder) and on part of it in shadow keeps one chromaticity at
// each luma; a card with a second tint at the paper's luma does not.
func TestColourTone(t *testing.T) {
	const w, h = 160, 96
	r := rasterize([4][2]float64{{4, 4}, {w - 4, 4}, {w - 4, h - 4}, {4, h - 4}}, w, h)
	th := DefaultOptions().Thresholds
	for _, c := range []struct {
		name string
		p    *planes
		want float64 // colourTone, about
		grey bool
	}{
		// Paper in shadow over 40 % at luma 150, (−8, 6) / 150 =
		// (−5.3, 4.0) % (hue 143°); in the light at 230, (−8, 5) /
		// 230 = (−3.5, 2.2) % (hue 148°): 2.6 apart (colour about
		// 1.6), one chromaticity at each luma (0).
		{"grey copy, cast weaker on the bright paper", panelCard(w, h, 0.4, 150, -8, 6, 230, -8, 5), 0, true},
		// A second tint at the paper's own luma: (−0.5, 2.2) % over
		// 40 % of the card, 3 from the paper's, all of it at one luma
		// level (about 3 × √0.4 ≈ 1.9 with the farthest 2 % aside).
		{"second tint at the paper's luma", panelCard(w, h, 0.4, 230, -1, 5, 230, -8, 5), 1.9, false},
	} {
		colour, _ := colourfulness(c.p, r)
		if colour < th.MinColour || colour >= th.MinColourDoubt {
			t.Errorf("%s: colour %.2f, want it in the doubt band %v–%v", c.name, colour, th.MinColour, th.MinColourDoubt)
		}
		got := colourTone(c.p, r)
		if math.Abs(got-c.want) > 0.15 {
			t.Errorf("%s: colour_tone %.2f, want about %.2f", c.name, got, c.want)
		}
		if grey := got < th.MinColourTone; grey != c.grey {
			t.Errorf("%s: colour_tone %.2f, grey %v, want %v", c.name, got, grey, c.grey)
		}
	}
}

// On fine print, whose chroma the lower resolution smears, colourTone
// reads as colourfulness does: the paper's cast on a grey copy's print is
// grey, colour printed in fine lines is colour.
func TestColourToneSmear(t *testing.T) {
	const w, h = 160, 96
	r := rasterize([4][2]float64{{4, 4}, {w - 4, 4}, {w - 4, h - 4}, {4, h - 4}}, w, h)
	th := DefaultOptions().Thresholds
	for _, c := range []struct {
		name                       string
		castCb, castCr, inkCb, ink float64
		grey                       bool
	}{
		{"grey copy, warm cast", -0.10, 0.08, 0, 0, true},
		{"red fine print", 0, 0, -10, 30, false},
		{"blue fine print under a warm cast", -0.10, 0.08, 30, -10, false},
	} {
		got := colourTone(colourCard(w, h, c.castCb, c.castCr, c.inkCb, c.ink), r)
		if grey := got < th.MinColourTone; grey != c.grey {
			t.Errorf("%s: colour_tone %.2f, grey %v, want %v", c.name, got, grey, c.grey)
		}
	}
}

// fillNearest gives a level without samples the nearest level's
// chromaticity, the darker on a tie.
func TestFillNearest(t *testing.T) {
	var ku, kv [toneBins]float64
	var have [toneBins]bool
	ku[3], kv[3], have[3] = 1, -1, true
	ku[7], kv[7], have[7] = 2, -2, true
	fillNearest(&ku, &kv, have)
	want := [toneBins]float64{1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2}
	if ku != want {
		t.Errorf("ku %v, want %v", ku, want)
	}
	for b := range want {
		if kv[b] != -want[b] {
			t.Errorf("kv[%d] %v, want %v", b, kv[b], -want[b])
		}
	}
}
