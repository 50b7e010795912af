package authenticity

import (
	"image"
	"math/rand/v2"
	"testing"
)

// terraceCard is a 320×240 working photo (40×30 cells) of a card saved
// with a coarse quantiser: a textured print (uniform noise of ±30 levels)
// everywhere but a plain band (rows 80–127) without noise, which the
// quantiser has cut into terraces of the light falling on it: 100 left of
// column 96, 101 up to column 255, 102 beyond (risers of one level). Its
// exactly flat cells are the middle terrace's, rows 11–14 and columns
// 13–30 (72 of 1,200, 0.32 of the band's region). paint, when asked, lays
// one colour over rows 160–231, columns 24–295 of the print (a region of
// its own, larger than the band). blocks says the band's and the paint's
// JPEG blocks are flat, and so are those of rows 200–215 (the card's
// other plain print, which the same quantiser flattened: 4 % of the
// document's other cells).
func terraceCard(paint bool) (*image.YCbCr, func(image.Rectangle) (bool, bool)) {
	img := image.NewYCbCr(image.Rect(0, 0, 320, 240), image.YCbCrSubsampleRatio444)
	r := rand.New(rand.NewPCG(15, 248))
	for y := range 240 {
		for x := range 320 {
			v := 100 + r.IntN(61)
			if y >= 80 && y < 128 {
				v = 100
				if x >= 96 {
					v++
				}
				if x >= 256 {
					v++
				}
			}
			if paint && y >= 160 && y < 232 && x >= 24 && x < 296 {
				v = 140
			}
			img.Y[img.YOffset(x, y)] = uint8(v)
		}
	}
	for i := range img.Cb {
		img.Cb[i], img.Cr[i] = 128, 128
	}
	return img, func(b image.Rectangle) (bool, bool) {
		band := b.Min.Y >= 80 && b.Max.Y <= 128
		painted := paint && b.Min.Y >= 160 && b.Max.Y <= 232 && b.Min.X >= 24 && b.Max.X <= 296
		rest := b.Min.Y >= 200 && b.Max.Y <= 216
		return true, band || painted || rest
	}
}

// TestLocalAnomalyTerrace: the band's middle terrace is an exactly flat
// patch large enough to pass for paint on flattened blocks; with a fine
// quantiser it is still reported (a terrace needs a coarse one), with a
// coarse one it is not, since its rectangle ends in one-level risers on
// the left and right (one pixel column of residual 1/4 in the band of 8
// outside each side); paint laid over the print, on the same coarse
// photo, ends in the print on every side and is reported, located on it.
func TestLocalAnomalyTerrace(t *testing.T) {
	o := Options{}
	o.defaults()
	paint := image.Rect(24, 160, 296, 232)
	for _, c := range []struct {
		name             string
		paint, coarse    bool
		found, terrace   bool
		riserLo, riserHi float64
		wantRiser, flat  bool
	}{
		{"terraced band, fine quantiser", false, false, true, false, 0, 0, false, true},
		{"terraced band, coarse quantiser", false, true, false, true, 0, 0.02, true, true},
		{"paint on the print, coarse quantiser", true, true, true, false, 0.5, 99, true, true},
	} {
		img, blocks := terraceCard(c.paint)
		lr := localAnomaly(img, nil, 1, c.coarse, blocks, o)
		if lr.found != c.found || lr.terrace != c.terrace || lr.riserMeasured != c.wantRiser || lr.flattened(o) != c.flat {
			t.Errorf("%s: found %v terrace %v riser measured %v flattened %v (share %.3f, residual %.4f, patch %.4f, riser %.4f), want %v %v %v %v",
				c.name, lr.found, lr.terrace, lr.riserMeasured, lr.flattened(o), lr.frac, lr.resid, lr.patch, lr.riser, c.found, c.terrace, c.wantRiser, c.flat)
		}
		if c.wantRiser && (lr.riser < c.riserLo || lr.riser > c.riserHi) {
			t.Errorf("%s: riser %.4f, want %.2f–%.2f", c.name, lr.riser, c.riserLo, c.riserHi)
		}
		if lr.patch < o.MinFlatPatch || lr.patch < o.MinFlatShare*lr.frac {
			t.Errorf("%s: patch %.4f of a region of %.4f: the flat patch must pass the flattened rule for the test to mean anything", c.name, lr.patch, lr.frac)
		}
		if c.paint && lr.found && !lr.box.Overlaps(paint) {
			t.Errorf("%s: box %v misses the paint %v", c.name, lr.box, paint)
		}
	}
}

// BenchmarkLocalAnomalyTerrace: localAnomaly on terraceCard's band,
// with a fine quantiser (the band reported, no terrace search) and a
// coarse one (the region's flat rectangle searched and its sides read:
// the cost the terrace rule adds to a low-quality photo whose region
// would be reported).
func BenchmarkLocalAnomalyTerrace(b *testing.B) {
	o := Options{}
	o.defaults()
	img, blocks := terraceCard(false)
	for _, c := range []struct {
		name   string
		coarse bool
	}{{"fine", false}, {"coarse", true}} {
		b.Run(c.name, func(b *testing.B) {
			var lr localResult
			b.ReportAllocs()
			cpuLoop(b, 8, func() {
				lr = localAnomaly(img, nil, 1, c.coarse, blocks, o)
			})
			if lr.riserMeasured != c.coarse {
				b.Fatalf("riser measured %v", lr.riserMeasured)
			}
		})
	}
}
