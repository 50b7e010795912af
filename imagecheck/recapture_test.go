package imagecheck

import (
	"math"
	"testing"
)

// recapturePlanes is a 256×256 photo whose chroma planes are f(x, y) at
// chroma resolution (128×128), the document filling the frame.
func recapturePlanes(f func(x, y int) float64) *planes {
	const w, cw = 256, 128
	p := &planes{w: w, h: w, ys: w, y: make([]byte, w*w), cw: cw, ch: cw, cs: cw,
		cb: make([]byte, cw*cw), cr: make([]byte, cw*cw)}
	for y := range cw {
		for x := range cw {
			v := byte(math.Round(max(0, min(255, f(x, y)))))
			p.cb[y*cw+x], p.cr[y*cw+x] = v, v
		}
	}
	return p
}

func TestRecaptureMeasure(t *testing.T) {
	whole := [4][2]float64{{0, 0}, {256, 0}, {256, 256}, {0, 256}}
	// Shading of 1.6 levels, 2 cycles per 32-pixel window (a period of
	// 32 luma pixels), in every window: its power lies below the band,
	// where a print's panels and outlines put theirs, and its leak into
	// the band's first bins is under a level. Not a screen.
	coarse := func(x, y int) float64 {
		return 128 + 1.6*math.Cos(2*math.Pi*2*float64(x)/fftN)
	}
	// A moiré of 6 levels, 6 cycles across and 3 down per 32-pixel window.
	moire := func(x, y int) float64 {
		return 6 * math.Cos(2*math.Pi*(6*float64(x)+3*float64(y))/fftN)
	}
	for _, tc := range []struct {
		name     string
		f        func(x, y int) float64
		min, max float64
	}{
		{"flat", func(x, y int) float64 { return 128 }, 0, 0},
		{"moiré", func(x, y int) float64 { return 128 + moire(x, y) }, 15, math.Inf(1)},
		{"coarse shading", coarse, 0, 15},
		{"coarse shading and moiré", func(x, y int) float64 { return coarse(x, y) + moire(x, y) }, 15, math.Inf(1)},
	} {
		got := recaptureMeasure(recapturePlanes(tc.f), whole, 1)
		if got < tc.min || got > tc.max {
			t.Errorf("%s: recapture %.2f, want %g–%g", tc.name, got, tc.min, tc.max)
		}
	}
}
