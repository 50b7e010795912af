package authenticity

import (
	"image"
	"testing"
)

// TestRectPrintRunsLettering: the rectangle of chroma samples
// [20, 120) × [40, 52) (pixels [40, 240) × [80, 104)) on a 320 × 240
// photo whose luma is plain (100) but where a pattern is drawn. A checker
// of 2-pixel squares (60 and 200) varies by 70 gray levels per pixel
// along any line, one of 1-pixel squares by 140.
//
// Lettering in a plain band: the band's rows [80, 104) carry the 2-pixel
// checker inside the rectangle and, beyond its short ends, the 1-pixel
// one; above and below the band the card is plain. The long sides (96
// samples each) are plain outside, so the print does not run on across
// the rectangle, though the two short ends (8 samples each) are busy on
// both sides: a quarter of the texture each, they would make the
// outside 70 to the inside's 70. Each side weighing by its length, the
// outside is 10.8 and the rectangle is refused.
func TestRectPrintRunsLettering(t *testing.T) {
	const w, h = 320, 240
	checker := func(x, y, s int) uint8 {
		if (x/s+y/s)%2 == 0 {
			return 60
		}
		return 200
	}
	inRect := func(x, y int) bool { return x >= 40 && x < 240 && y >= 80 && y < 104 }
	inBand := func(_, y int) bool { return y >= 80 && y < 104 }
	for _, tc := range []struct {
		what string
		luma func(x, y int) uint8
		want bool
	}{
		{"print all over", func(x, y int) uint8 { return checker(x, y, 2) }, true},
		{"plain card", func(x, y int) uint8 { return 100 }, false},
		{"print inside only", func(x, y int) uint8 {
			if inRect(x, y) {
				return checker(x, y, 2)
			}
			return 100
		}, false},
		{"lettering in a plain band", func(x, y int) uint8 {
			switch {
			case inRect(x, y):
				return checker(x, y, 2)
			case inBand(x, y):
				return checker(x, y, 1)
			}
			return 100
		}, false},
		{"print all over, a plain margin beyond one short end", func(x, y int) uint8 {
			if x < 40 && inBand(x, y) {
				return 100
			}
			return checker(x, y, 2)
		}, true},
	} {
		img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
		for y := range h {
			for x := range w {
				img.Y[y*img.YStride+x] = tc.luma(x, y)
			}
		}
		if got := rectPrintRuns(img, true, 20, 120, 40, 52); got != tc.want {
			t.Errorf("%s: print runs on %v, want %v", tc.what, got, tc.want)
		}
		// The same photo transposed, the rectangle's long sides along
		// the columns.
		tr := image.NewYCbCr(image.Rect(0, 0, h, w), image.YCbCrSubsampleRatio420)
		for y := range h {
			for x := range w {
				tr.Y[x*tr.YStride+y] = tc.luma(x, y)
			}
		}
		if got := rectPrintRuns(tr, false, 20, 120, 40, 52); got != tc.want {
			t.Errorf("%s, transposed: print runs on %v, want %v", tc.what, got, tc.want)
		}
	}
}
