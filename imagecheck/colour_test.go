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
		got, _ := colourTone(c.p, r)
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
		got, _ := colourTone(colourCard(w, h, c.castCb, c.castCr, c.inkCb, c.ink), r)
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

// stripesCard is a w×h document of flat vertical stripes, left to right:
// stripe i covers the share shares[i] of the width, with luma ys[i] and
// chroma (cbs[i], crs[i]) (Cb−128, Cr−128).
func stripesCard(w, h int, shares []float64, ys, cbs, crs []int) *planes {
	p := &planes{w: w, h: h, ys: w, y: make([]byte, w*h), cw: w / 2, ch: h / 2, cs: w / 2}
	p.cb, p.cr = make([]byte, p.cw*p.ch), make([]byte, p.cw*p.ch)
	stripe := func(x int) int {
		end := 0.0
		for i, s := range shares {
			if end += s * float64(w); float64(x) < end {
				return i
			}
		}
		return len(shares) - 1
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			p.y[y*w+x] = byte(ys[stripe(x)])
		}
	}
	for cy := 0; cy < p.ch; cy++ {
		for cx := 0; cx < p.cw; cx++ {
			i := stripe(2 * cx)
			p.cb[cy*p.cs+cx], p.cr[cy*p.cs+cx] = byte(128+cbs[i]), byte(128+crs[i])
		}
	}
	return p
}

// Under a strong light of one colour a grey copy's cast is far weaker and
// turned on its white paper, which the tone curve's shoulder compresses
// toward white, than on its toner and its paper in shadow: colour reads
// it as several colours, above the band grey copies under a mild cast
// keep to (MinColourDoubt), while its chroma keeps to one chromaticity at
// each luma. colour_cast (colour_tone less two chroma levels) decides
// there. A pale card with two tints at its paper's luma strays from them
// by more; a card whose colour has a luma of its own scores as little at
// each luma, so above MinColourStrong colour alone speaks.
func TestColourCast(t *testing.T) {
	const w, h = 160, 96
	r := rasterize([4][2]float64{{4, 4}, {w - 4, 4}, {w - 4, h - 4}, {4, h - 4}}, w, h)
	th := DefaultOptions().Thresholds
	for _, c := range []struct {
		name   string
		p      *planes
		strong bool // colour between MinColourDoubt and MinColourStrong (else at or over MinColourStrong)
		grey   bool
	}{
		// A cool light, gains (0.84, 1, 1.2) on (R, G, B), through a
		// tone curve linear up to 0.85 with a tanh shoulder: (13.0,
		// −9.9) % of luma below the shoulder (toner at luma 90: chroma
		// (12, −9); paper in shadow at 200: (24, −19), (12.0, −9.5) %),
		// (4.0, −7.0) % on the paper lit at 237 (chroma (10, −17)), 8.2
		// apart: colour about 5.8, one chromaticity at each luma.
		{"grey copy under a strong cool light", stripesCard(w, h, []float64{0.2, 0.3, 0.5}, []int{90, 200, 237}, []int{12, 24, 10}, []int{-9, -19, -17}), true, true},
		// Pale blue and pale yellow paper at luma 230 and grey print
		// at 90: (3.5, −1.7) % and (−3.5, 1.7) %, 7.8 apart.
		{"pale card, two tints at the paper's luma", stripesCard(w, h, []float64{0.2, 0.4, 0.4}, []int{90, 230, 230}, []int{0, 8, -8}, []int{0, -4, 4}), true, false},
		// White paper at 230 and a red band at luma 100 over 30 %:
		// (−12, 30) %, on its own luma level.
		{"red band on white paper", stripesCard(w, h, []float64{0.3, 0.7}, []int{100, 230}, []int{-12, 0}, []int{30, 0}), false, false},
	} {
		colour, _ := colourfulness(c.p, r)
		if strong := colour >= th.MinColourDoubt && colour < th.MinColourStrong; strong != c.strong {
			t.Errorf("%s: colour %.2f, between %v and %v %v, want %v", c.name, colour, th.MinColourDoubt, th.MinColourStrong, strong, c.strong)
		}
		_, cast := colourTone(c.p, r)
		if !c.strong {
			// The red band's own luma level: colour_cast cannot see it.
			if cast >= th.MinColourCast {
				t.Errorf("%s: colour_cast %.2f, want under %v (a colour on a luma level of its own)", c.name, cast, th.MinColourCast)
			}
			continue
		}
		if grey := cast < th.MinColourCast; grey != c.grey {
			t.Errorf("%s: colour_cast %.2f, grey %v, want %v", c.name, cast, grey, c.grey)
		}
	}
}

// Which measure decides a colour score, by the score and the document's
// median luma.
func TestColourDoubt(t *testing.T) {
	th := DefaultOptions().Thresholds
	for _, c := range []struct {
		colour, bright float64
		byTone, byCast bool
	}{
		{0.9, 220, false, false}, // grey by colour alone
		{1.5, 120, true, false},  // the doubt band, whatever the light
		{1.5, 230, true, false},
		{2.9, 238, false, true}, // a bright document under a possible strong cast
		{2.9, 160, false, false},
		{5.9, 200, false, true},
		{6.0, 230, false, false}, // colour alone
	} {
		byTone, byCast := colourDoubt(c.colour, c.bright, th)
		if byTone != c.byTone || byCast != c.byCast {
			t.Errorf("colour %v, brightness %v: colour_tone %v, colour_cast %v; want %v, %v", c.colour, c.bright, byTone, byCast, c.byTone, c.byCast)
		}
	}
}

// neutralChroma: a document whose chroma samples (every 8th column of
// every 8th row, 240 on a 160×96 card of luma 200) are all exactly
// neutral holds no colour at all; it still does with 2 of them off
// neutral (under 2 %), not with 8 (over 2 %); nor with chroma that
// is neutral throughout but only 4 samples in the tones colour is read in
// (the rest clipped at 250: too few to vouch for anything).
func TestNeutralChroma(t *testing.T) {
	const w, h = 160, 96
	r := rasterize([4][2]float64{{0, 0}, {w, 0}, {w, h}, {0, h}}, w, h)
	for _, c := range []struct {
		name string
		off  int  // samples whose Cb is 130
		lit  bool // luma 200 everywhere (else only a 16×16 corner: 250 elsewhere)
		want bool
	}{
		{"neutral", 0, true, true},
		{"2 of 240 off neutral", 2, true, true},
		{"8 of 240 off neutral", 8, true, false},
		{"neutral, 4 samples", 0, false, false},
	} {
		p := greyPlanes(w, h, func(x, y int) byte {
			if c.lit || (x < 16 && y < 16) {
				return 200
			}
			return 250
		})
		// The samples are the chroma under (8i, 8j): (4i, 4j).
		for k := 0; k < c.off; k++ {
			p.cb[4*(k/20)*p.cs+4*(k%20)] = 130
		}
		if got := neutralChroma(p, r); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}
