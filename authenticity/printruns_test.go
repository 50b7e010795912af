package authenticity

import (
	"image"
	"testing"
)

// TestRectPrintRunsLettering: the rectangle of chroma samples
// [20, 120) × [40, 48) (pixels [40, 240) × [80, 96)) on a 320 × 240
// photo whose luma is plain (100) but where a pattern is drawn: checkers
// of 2-pixel squares, of 60 and 200 or, fainter, of 80 and 160.
//
// Lettering in a plain band: the band's rows [80, 96) carry the fainter
// checker inside the rectangle and the stronger beyond its short ends;
// above and below the band the card is plain. The lines read along the
// long sides (96 samples each) vary by 40 gray levels per pixel inside
// and 0 outside, those along the short ends (4 samples each) by 34 inside
// and 60 outside. A quarter for each side, the outside's texture is 30 to
// the inside's 37 and the ratio holds (main's rule passed it); over the
// sides' whole length the outside is 2 · 4 · 60 / 200 = 2.4, under
// rectTexture: no print runs on across the rectangle.
func TestRectPrintRunsLettering(t *testing.T) {
	const w, h = 320, 240
	checker := func(x, y int, lo, hi uint8) uint8 {
		if (x/2+y/2)%2 == 0 {
			return lo
		}
		return hi
	}
	inRect := func(x, y int) bool { return x >= 40 && x < 240 && y >= 80 && y < 96 }
	inBand := func(_, y int) bool { return y >= 80 && y < 96 }
	for _, tc := range []struct {
		what string
		luma func(x, y int) uint8
		want bool
	}{
		{"print all over", func(x, y int) uint8 { return checker(x, y, 60, 200) }, true},
		{"plain card", func(x, y int) uint8 { return 100 }, false},
		{"print inside only", func(x, y int) uint8 {
			if inRect(x, y) {
				return checker(x, y, 60, 200)
			}
			return 100
		}, false},
		{"lettering in a plain band", func(x, y int) uint8 {
			switch {
			case inRect(x, y):
				return checker(x, y, 80, 160)
			case inBand(x, y):
				return checker(x, y, 60, 200)
			}
			return 100
		}, false},
		{"print all over, a plain margin beyond one short end", func(x, y int) uint8 {
			if x < 40 && inBand(x, y) {
				return 100
			}
			return checker(x, y, 60, 200)
		}, true},
	} {
		img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
		// The same photo transposed, the rectangle's long sides along
		// the columns.
		tr := image.NewYCbCr(image.Rect(0, 0, h, w), image.YCbCrSubsampleRatio420)
		for y := range h {
			for x := range w {
				img.Y[y*img.YStride+x] = tc.luma(x, y)
				tr.Y[x*tr.YStride+y] = tc.luma(x, y)
			}
		}
		if got := rectPrintRuns(img, true, 20, 120, 40, 48); got != tc.want {
			t.Errorf("%s: print runs on %v, want %v", tc.what, got, tc.want)
		}
		if got := rectPrintRuns(tr, false, 20, 120, 40, 48); got != tc.want {
			t.Errorf("%s, transposed: print runs on %v, want %v", tc.what, got, tc.want)
		}
	}
}
