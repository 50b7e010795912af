package docread

import (
	"context"
	"image"
	"math"
	"testing"
)

// gaussBlur returns g blurred by a Gaussian of sigma pixels (separable,
// clamped at the edges): an out-of-focus or laminated print.
func gaussBlur(g *image.Gray, sigma float64) *image.Gray {
	if sigma <= 0 {
		return g
	}
	r := int(math.Ceil(3 * sigma))
	k := make([]float64, 2*r+1)
	var sum float64
	for i := range k {
		d := float64(i - r)
		k[i] = math.Exp(-d * d / (2 * sigma * sigma))
		sum += k[i]
	}
	w, h := g.Rect.Dx(), g.Rect.Dy()
	tmp := make([]float64, w*h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var v float64
			for i, c := range k {
				xx := min(w-1, max(0, x+i-r))
				v += c * float64(g.Pix[y*g.Stride+xx])
			}
			tmp[y*w+x] = v / sum
		}
	}
	out := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var v float64
			for i, c := range k {
				yy := min(h-1, max(0, y+i-r))
				v += c * tmp[yy*w+x]
			}
			out.Pix[y*out.Stride+x] = uint8(math.Round(v / sum))
		}
	}
	return out
}

// TestBestBlur renders the TD3 specimen at 12 pixels per pitch (hard
// print's size), blurs it by known amounts, and checks the template set
// bestBlur reads it with: the small glyphs' own (nil) for sharp print,
// a blurrier one of blurSets for print blurred by 1.2 pixels or more
// (the small glyphs' templates are blurred by 0.9 pixel at this size),
// and nil for glyphs of 32 pixels per pitch however blurred (the sharp
// templates' size). The zone then reads exactly.
func TestBestBlur(t *testing.T) {
	for _, tc := range []struct {
		pitch, sigma float64
		blurrier     bool
	}{
		{12, 0, false},
		{12, 0.5, false},
		{12, 1.5, true},
		{12, 1.2, true},
		{32, 0, false},
		{32, 2, false},
	} {
		p := planeOf(gaussBlur(renderMRZ(t, td3Specimen, tc.pitch), tc.sigma))
		cands := locateMRZ(p)
		if len(cands) != 1 {
			t.Fatalf("pitch %.0f, blur %.1f: %d zones located", tc.pitch, tc.sigma, len(cands))
		}
		l := cands[0].lines[0]
		thr := lineThreshold(p, l)
		ts := bestBlur(p, l, thr, bestScale(p, l, thr, glyphScale(p, l, thr)/refHeight))
		blurrier := ts != nil && &ts[0] != &blurredTemplates[0]
		if blurrier != tc.blurrier || ts != nil && !blurrier {
			t.Errorf("pitch %.0f, blur %.1f: a blurrier set %t, want %t", tc.pitch, tc.sigma, blurrier, tc.blurrier)
		}
		h, ok := bestMRZ(context.Background(), p, testNow, timings{})
		if !ok {
			t.Fatalf("pitch %.0f, blur %.1f: no zone read", tc.pitch, tc.sigma)
		}
		for i := range td3Specimen {
			if h.lines[i] != td3Specimen[i] {
				t.Errorf("pitch %.0f, blur %.1f, line %d:\n got %s\nwant %s", tc.pitch, tc.sigma, i, h.lines[i], td3Specimen[i])
			}
		}
	}
}
