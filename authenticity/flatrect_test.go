package authenticity

import (
	"bytes"
	"image"
	"image/jpeg"
	"math"
	"testing"

	"github.com/kycq/kycq/imagecheck"
	"github.com/kycq/kycq/internal/eval/docgen"
)

// checkerCard is a w×h working picture whose every pixel alternates
// between 100 and 120 (a print texture of residual exactly 20 per pixel,
// cellResidual's scale), with fill's rectangles painted in their value.
func checkerCard(w, h int, fill map[image.Rectangle]byte) *image.YCbCr {
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := byte(100)
			if (x+y)%2 == 1 {
				v = 120
			}
			for r, c := range fill {
				if image.Pt(x, y).In(r) {
					v = c
				}
			}
			img.Y[y*img.YStride+x] = v
		}
	}
	return img
}

// cellMap is localAnomaly's map of cells (no document outline: every
// usable cell) and the median residual.
func cellMap(img *image.YCbCr) (res []float64, in []bool, cw, ch int, med float64, n int) {
	cw, ch = img.Rect.Dx()/block, img.Rect.Dy()/block
	res, in = make([]float64, cw*ch), make([]bool, cw*ch)
	var all []float64
	for k := range res {
		r, _, ok := cellResidual(img, k%cw*block, k/cw*block)
		res[k], in[k] = r, ok
		if ok {
			all = append(all, r)
		}
	}
	return res, in, cw, ch, nth(all, len(all)/2), len(all)
}

// TestFlatRect: on a 320×240 print texture (residual 20 everywhere, 1200
// cells), paint of one value is found by its flat pixels, the pixels on
// its border excepted (their outer neighbour is the print), and reported
// when it is large enough and the print runs up to all four sides.
func TestFlatRect(t *testing.T) {
	o := Options{}
	o.defaults()
	paint := image.Rect(96, 96, 224, 144) // 128×48: flat pixels 126×46
	for _, c := range []struct {
		name            string
		fill            map[image.Rectangle]byte
		measured, found bool
		share           float64
		box             image.Rectangle
		ringLo, ringHi  float64
	}{
		{"print only: no flat cell, not searched", nil, false, false, 0, image.Rectangle{}, 0, 0},
		{"paint on the print", map[image.Rectangle]byte{paint: 110}, true, true, 126.0 * 46 / (1200 * 64), image.Rect(97, 97, 223, 143), 0.8, 1.0},
		{"paint too small (flat 30×18: 0.0070 of the card)", map[image.Rectangle]byte{image.Rect(96, 96, 128, 116): 110}, true, false, 30.0 * 18 / (1200 * 64), image.Rect(97, 97, 127, 115), 0.8, 1.0},
		// A plain print of another value along its left side, as wide
		// as the ring: that side's band is plain (residual 20 only on
		// the column next to the paint, 7.5 there, and its top and
		// bottom rows), so the flat area is not paint cutting the
		// print off on every side.
		{"paint with a plain print beside it", map[image.Rectangle]byte{paint: 110, image.Rect(84, 96, 96, 144): 140}, true, false, 126.0 * 46 / (1200 * 64), image.Rect(97, 97, 223, 143), 0, 0.15},
		// 126×14 flat pixels: no whole cell is flat (nor under
		// flatRectMin high), so the photo is not searched.
		{"a flat strip under two cells high", map[image.Rectangle]byte{image.Rect(96, 96, 224, 112): 110}, false, false, 0, image.Rectangle{}, 0, 0},
	} {
		img := checkerCard(320, 240, c.fill)
		res, in, cw, ch, med, n := cellMap(img)
		if med != 20 || n != 1200 {
			t.Fatalf("%s: median %v of %d cells: the texture is not what the test assumes", c.name, med, n)
		}
		fr := flatRect(img, res, in, cw, ch, med, n, o)
		if fr.measured != c.measured || fr.found != c.found || math.Abs(fr.share-c.share) > 1e-9 || fr.box != c.box || fr.ring < c.ringLo || fr.ring > c.ringHi {
			t.Errorf("%s: measured %v found %v share %.5f box %v ring %.3f; want %v %v %.5f %v ring %.2f–%.2f", c.name, fr.measured, fr.found, fr.share, fr.box, fr.ring, c.measured, c.found, c.share, c.box, c.ringLo, c.ringHi)
		}
	}
}

// TestLocalAnomalyFlatRect: paint that is not the card's largest smooth
// region (a plain band elsewhere is larger, and too noisy for the region
// rules) is still reported by its flat rectangle, with the rectangle as
// the box (original pixels, scale 2).
func TestLocalAnomalyFlatRect(t *testing.T) {
	o := Options{}
	o.defaults()
	// The band (rows 8–72) alternates 108/110: residual 2, a tenth of
	// the print's, so its 304 cells are smooth, but not noise-free.
	img := checkerCard(320, 240, map[image.Rectangle]byte{image.Rect(96, 128, 224, 176): 110})
	for y := 8; y < 72; y++ {
		for x := 8; x < 312; x++ {
			img.Y[y*img.YStride+x] = byte(108 + 2*((x+y)%2))
		}
	}
	for _, rect := range []bool{false, true} {
		oo := o
		if !rect {
			oo.MinFlatRect = 2 // no rectangle is that large: the region rules alone
		}
		lr := localAnomaly(img, nil, 2, false, nil, oo)
		want := image.Rect(194, 258, 446, 350)
		if lr.found != rect || !lr.rectMeasured || (rect && lr.box != want) {
			t.Errorf("flat rectangle on %v: found %v (region share %.4f residual %.4f), rectangle %.4f ring %.3f box %v; want found %v, box %v", rect, lr.found, lr.frac, lr.resid, lr.rect, lr.ring, lr.box, rect, want)
		}
	}
}

// BenchmarkFlatRect12MPLowQ measures flatRect where it runs in full: the
// 12 MP benchmark card saved at quality 55 (its plain print decodes to
// exactly flat cells, so the rectangle search scans the document).
func BenchmarkFlatRect12MPLowQ(b *testing.B) {
	img, _ := docgen.Generate(docgen.Spec{Seed: 3, Size: docgen.Size12MP})
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 55}); err != nil {
		b.Fatal(err)
	}
	var in Input
	imagecheck.CheckInspect(buf.Bytes(), imagecheck.DefaultOptions(), func(work *image.YCbCr, rep *imagecheck.Report) {
		c := *work
		c.Y, c.Cb, c.Cr = bytes.Clone(work.Y), bytes.Clone(work.Cb), bytes.Clone(work.Cr)
		in = Input{Work: &c, Scale: rep.Scale}
		for _, p := range rep.Document {
			in.Document = append(in.Document, [2]float64{p.X, p.Y})
		}
	})
	if in.Work == nil {
		b.Fatal("not decoded")
	}
	o := Options{}
	o.defaults()
	var lr localResult
	b.ReportAllocs()
	b.ResetTimer()
	cpuLoop(b, 1, func() {
		lr = localAnomaly(in.Work, in.Document, in.Scale, true, nil, o)
	})
	if !lr.rectMeasured {
		b.Fatal("no exactly flat cell: the rectangle search did not run")
	}
	b.ReportMetric(lr.rect, "flat_rect")
}
