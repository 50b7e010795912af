package authenticity

import (
	"image"
	"math"
	"math/rand/v2"
	"testing"
)

// noiseCard is a 320×240 working photo: uniform luma noise of ±30 levels
// (the card's textured print) everywhere but flat, a rectangle of one
// value (paint), and half, a rectangle whose noise is half as strong.
func noiseCard(flat, half image.Rectangle) *image.YCbCr {
	img := image.NewYCbCr(image.Rect(0, 0, 320, 240), image.YCbCrSubsampleRatio444)
	r := rand.New(rand.NewPCG(15, 60))
	for y := 0; y < 240; y++ {
		for x := 0; x < 320; x++ {
			v := 100 + r.IntN(61)
			p := image.Pt(x, y)
			switch {
			case p.In(flat):
				v = 130
			case p.In(half):
				v = 115 + (v-100)/2
			}
			img.Y[img.YOffset(x, y)] = uint8(v)
		}
	}
	for i := range img.Cb {
		img.Cb[i], img.Cr[i] = 128, 128
	}
	return img
}

// TestRegionNoise: a box on the card's print reads about 1 (its cells
// are the median's kind), a box on paint 0 (every cell inside it whole,
// on the block grid: the box is cell-aligned), one on print half as
// noisy about 0.5; original pixels at scale 2 read the same cells; a
// box outside the document, or no document cell, is not measured.
func TestRegionNoise(t *testing.T) {
	flat := image.Rect(96, 96, 224, 144)
	half := image.Rect(16, 160, 112, 224)
	img := noiseCard(flat, half)
	// The document: all but a 16-pixel margin (original pixels at scale 2).
	quad := [][2]float64{{32, 32}, {608, 32}, {608, 448}, {32, 448}}
	for _, c := range []struct {
		name     string
		box      image.Rectangle
		scale    float64
		quad     [][2]float64
		lo, hi   float64
		measured bool
	}{
		{"print", image.Rect(240, 40, 304, 88), 1, nil, 0.9, 1.1, true},
		// The flat rectangle's inner cells: their residual reads the
		// pixels next to them, all inside the paint.
		{"paint", image.Rect(104, 104, 216, 136), 1, nil, 0, 0, true},
		{"print half as noisy", image.Rect(24, 168, 104, 216), 1, nil, 0.4, 0.6, true},
		{"paint, original pixels at scale 2", image.Rect(208, 208, 432, 272), 2, quad, 0, 0, true},
		{"print, original pixels at scale 2", image.Rect(480, 80, 608, 176), 2, quad, 0.9, 1.1, true},
		{"outside the document", image.Rect(0, 0, 24, 24), 2, quad, 0, 0, false},
	} {
		scale := c.scale
		got, ok := regionNoise(img, c.quad, scale, c.box)
		if ok != c.measured || got < c.lo || got > c.hi || math.IsNaN(got) {
			t.Errorf("%s: %.3f (measured %v), want %.2f–%.2f (measured %v)", c.name, got, ok, c.lo, c.hi, c.measured)
		}
	}
	if _, ok := regionNoise(image.NewYCbCr(image.Rect(0, 0, 24, 24), image.YCbCrSubsampleRatio444), nil, 1, image.Rect(0, 0, 8, 8)); ok {
		t.Error("a photo of 3×3 cells must not be measured")
	}
}

// TestCoarseDQKept: at a coarse last save a single-compressed region is
// kept only when it is smoother than the card's print.
func TestCoarseDQKept(t *testing.T) {
	o := Options{}
	o.defaults()
	for _, c := range []struct {
		name     string
		noise    float64
		measured bool
		kept     bool
	}{
		{"paint", 0, true, true},
		{"a pasted picture, smoother than the print", 0.3, true, true},
		{"at the cut", o.MaxCoarseDQNoise, true, true},
		{"a seal's rings, as textured as the card", 0.99, true, false},
		{"just over the cut", o.MaxCoarseDQNoise + 0.01, true, false},
		{"not measured: kept", 0, false, true},
	} {
		if got := coarseDQKept(c.noise, c.measured, o); got != c.kept {
			t.Errorf("%s: kept %v, want %v", c.name, got, c.kept)
		}
	}
}
