package imagecheck

import (
	"math"
	"testing"
)

// framedPaleCard is a w×h photo of a pale card under a light whose cast
// is (castCb, castCr) × luma: paper of luma 215 whose tint is the
// cast's, grey print (luma 70) in horizontal lines 3 pixels thick every
// 20, and a pale rule at the paper's luma (212) from 1.6 % to 3 % of the
// card's size in from each edge, whose chroma adds (ruleCb, ruleCr) to
// the cast's (0, 0: a grey copy's rule). When edge is over 0 the outer
// band of edge × the size on each side is a red table (luma 120, chroma
// (−10, 30)) inside the outline (the whole photo).
func framedPaleCard(w, h int, castCb, castCr, ruleCb, ruleCr, edge float64) *planes {
	p := &planes{w: w, h: h, ys: w, y: make([]byte, w*h), cw: w / 2, ch: h / 2, cs: w / 2}
	p.cb, p.cr = make([]byte, p.cw*p.ch), make([]byte, p.cw*p.ch)
	inBand := func(v, n int, lo, hi float64) bool {
		f := (float64(v) + 0.5) / float64(n)
		return f >= lo && f < hi || f >= 1-hi && f < 1-lo
	}
	kind := func(x, y int) int { // 0 paper, 1 print, 2 rule, 3 table
		switch {
		case inBand(x, w, 0, edge) || inBand(y, h, 0, edge):
			return 3
		case inBand(x, w, 0.016, 0.03) && !inBand(y, h, 0, 0.016) || inBand(y, h, 0.016, 0.03) && !inBand(x, w, 0, 0.016):
			return 2
		case y%20 < 3 && x > w/10 && x < w*9/10 && y > h/10 && y < h*9/10:
			return 1
		}
		return 0
	}
	luma := [4]float64{215, 70, 212, 120}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			p.y[y*w+x] = byte(luma[kind(x, y)])
		}
	}
	for cy := 0; cy < p.ch; cy++ {
		for cx := 0; cx < p.cw; cx++ {
			k := kind(2*cx, 2*cy)
			l := luma[k]
			b, r := castCb*l, castCr*l
			switch k {
			case 2:
				b, r = b+ruleCb, r+ruleCr
			case 3:
				b, r = -10, 30
			}
			p.cb[cy*p.cs+cx] = byte(math.Round(128 + b))
			p.cr[cy*p.cs+cx] = byte(math.Round(128 + r))
		}
	}
	return p
}

// A pale card whose only colour is a rule printed 1.6–3 % of its size in
// from its edge, under a strong cool or warm light, is colour: the
// region colour is read in (colourRegion) reaches the rule, which the
// region the other measures read (inner) does not. A grey copy of it
// under the same light is grey; so is a grey copy on a coloured table
// whose outline is 1 % too wide on each side (the table's sliver stays
// outside the region; from 1.5 % on it is read, and a saturated table
// makes it colour).
func TestColourRegionFramedCard(t *testing.T) {
	const w, h = 1000, 630
	quad := [4][2]float64{{0, 0}, {w, 0}, {w, h}, {0, h}}
	th := DefaultOptions().Thresholds
	for _, c := range []struct {
		name                           string
		castCb, castCr, ruleCb, ruleCr float64
		edge                           float64
		grey                           bool
	}{
		{"green rule, cool light", 0.10, -0.08, -20, -15, 0, false},
		{"green rule, warm light", -0.10, 0.08, -20, -15, 0, false},
		{"pink rule, cool light", 0.10, -0.08, -6, 18, 0, false},
		{"grey copy, cool light", 0.10, -0.08, 0, 0, 0, true},
		{"grey copy, warm light", -0.10, 0.08, 0, 0, 0, true},
		{"grey copy, outline 1 % too wide on a coloured table", 0.10, -0.08, 0, 0, 0.01, true},
	} {
		p := framedPaleCard(w, h, c.castCb, c.castCr, c.ruleCb, c.ruleCr, c.edge)
		inner := rasterize(shrink(quad, 0.06), w, h)
		bright, _ := exposure(p, inner)
		if grey, colour := greyVerdict(p, colourRegion(quad, w, h), bright, th); grey != c.grey {
			t.Errorf("%s: colour %.2f, grey %v, want %v", c.name, colour, grey, c.grey)
		}
		// The region of the other measures misses the rule: grey
		// whatever was printed (what colourRegion is for).
		if grey, colour := greyVerdict(p, inner, bright, th); !grey {
			t.Errorf("%s: colour %.2f over inner, grey false, want true", c.name, colour)
		}
	}
}

// greyVerdict is analyse's colour verdict on a photo that passes its
// exposure, its document of median luma bright read in region r: grey
// below MinColour, colour_tone deciding in the doubt band, colour_cast
// from MinColourDoubt up to MinColourStrong on a bright document.
func greyVerdict(p *planes, r region, bright float64, th Thresholds) (grey bool, colour float64) {
	colour, _ = colourfulness(p, r)
	if colour < th.MinColour {
		return true, colour
	}
	byTone, byCast := colourDoubt(colour, bright, th)
	tone, cast := colourTone(p, r)
	switch {
	case byTone:
		return tone < th.MinColourTone, colour
	case byCast:
		return cast < th.MinColourCast, colour
	}
	return false, colour
}
