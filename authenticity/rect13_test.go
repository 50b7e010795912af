package authenticity

import (
	"image"
	"math"
	"testing"
)

// blockCard is levelCard (a fine luma checker) with a chroma ground of
// (10, −6) and the chroma samples in r (chroma samples) moved by d
// levels of Cb.
func blockCard(r image.Rectangle, d float64) *image.YCbCr {
	return levelCard(func(x, y int) (float64, float64) {
		if image.Pt(x, y).In(r) {
			return 10 + d, -6
		}
		return 10, -6
	})
}

// gridRect is the best rectangle the rectangle search closes on img's
// chroma planes inside chroma samples [25, 295) × [25, 215), with the
// JPEG's chroma block grid given as period and phase (period 0: none).
func gridRect(img *image.YCbCr, period int, phase [2]int) rectResult {
	cw, ch := 320, 240
	sums := newChromaSums(img.Cb, img.Cr, img.CStride, cw, ch)
	defer sums.release()
	sums.period, sums.phase = period, phase
	lo, hi := make([]int, ch), make([]int, ch)
	for y := 25; y < 215; y++ {
		lo[y], hi[y] = 25, 295
	}
	inside := func(x, y int) bool { return y >= 0 && y < ch && x >= lo[y] && x < hi[y] }
	var best rectResult
	for _, hz := range []bool{true, false} {
		nu, nv := cw, ch
		if !hz {
			nu, nv = ch, cw
		}
		for _, sd := range rectSides(sums, hz, lo, hi, nu, nv) {
			if r := colourRect(img, sums, sd, false, true, inside, 270); r.agree > best.agree {
				best = r
			}
		}
	}
	return best
}

// TestColourRectChromaBlock: a rectangle of 24 × 16 chroma samples, three
// by two blocks of 8 on a grid of phase 7 (its sides on the boundaries
// after samples 119, 143, 95 and 111), one quantiser step of 3 levels
// off the ground, is a block's DC moved by a coarse save: found where no
// grid is known, not on the grid. Off the grid by three samples, or
// stepping by 5 levels (twice rectMinStep and more), it is found.
func TestColourRectChromaBlock(t *testing.T) {
	on := image.Rect(120, 96, 144, 112)
	grid := [2]int{7, 7}
	for _, tc := range []struct {
		what   string
		r      image.Rectangle
		d      float64
		period int
		want   bool
	}{
		{"on the grid, no grid known", on, 3, 0, true},
		{"on the grid", on, 3, 8, false},
		{"off the grid", on.Add(image.Pt(3, 3)), 3, 8, true},
		{"one side off the grid", image.Rect(120, 96, 147, 112), 3, 8, true},
		{"on the grid, 5 levels", on, 5, 8, true},
	} {
		r := gridRect(blockCard(tc.r, tc.d), tc.period, grid)
		if r.ok != tc.want {
			t.Errorf("%s: rect %+v, found %v, want %v", tc.what, r, r.ok, tc.want)
		}
	}
}

// TestGridPhaseLift: chroma planes whose 8-sample blocks each carry a
// DC of their own (0 or 2 levels of Cb, alternating like a checker) step
// on the boundaries after samples 7, 15, … only: the phase is 7 across
// the rows and across the columns, and it stands out (lift ≥
// rectGridLift). With a smooth ramp and noise-like steps on every
// boundary and no blocks, no phase does.
func TestGridPhaseLift(t *testing.T) {
	cw, ch := 160, 120
	lo, hi := make([]int, ch), make([]int, ch)
	for y := range ch {
		lo[y], hi[y] = 0, cw
	}
	mk := func(at func(x, y int) float64) *image.YCbCr {
		img := image.NewYCbCr(image.Rect(0, 0, 2*cw, 2*ch), image.YCbCrSubsampleRatio420)
		for y := range ch {
			for x := range cw {
				img.Cb[y*img.CStride+x] = uint8(math.Round(128 + at(x, y)))
				img.Cr[y*img.CStride+x] = 128
			}
		}
		return img
	}
	blocked := mk(func(x, y int) float64 { return float64(2 * ((x/8 + y/8) % 2)) })
	for _, horiz := range []bool{true, false} {
		p, lift := gridPhaseLift(blocked, lo, hi, ch, 8, horiz)
		if p != 7 || lift < rectGridLift {
			t.Errorf("blocked, horiz %v: phase %d lift %.2f, want 7 and ≥ %.1f", horiz, p, lift, rectGridLift)
		}
	}
	smooth := mk(func(x, y int) float64 { return float64((x*7+y*5)%3) + 0.1*float64(x) })
	for _, horiz := range []bool{true, false} {
		if _, lift := gridPhaseLift(smooth, lo, hi, ch, 8, horiz); lift >= rectGridLift {
			t.Errorf("smooth, horiz %v: lift %.2f, want < %.1f", horiz, lift, rectGridLift)
		}
	}
}
