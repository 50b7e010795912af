package docgen

import (
	"image"
	"testing"
)

// uniform returns a w×h image of one colour.
func uniform(w, h int, c [3]uint8) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for o := 0; o < len(img.Pix); o += 4 {
		img.Pix[o], img.Pix[o+1], img.Pix[o+2], img.Pix[o+3] = c[0], c[1], c[2], 255
	}
	return img
}

func px(img *image.RGBA, x, y int) [3]uint8 {
	o := y*img.Stride + 4*x
	return [3]uint8{img.Pix[o], img.Pix[o+1], img.Pix[o+2]}
}

func TestRetone(t *testing.T) {
	plain := portraitVariety{contrast: 1, gamma: 1, scale: 1}
	for _, tc := range []struct {
		name string
		v    portraitVariety
		in   [3]uint8
		want [3]uint8
	}{
		{"plain keeps the colour", plain, [3]uint8{200, 100, 50}, [3]uint8{200, 100, 50}},
		{"grey: the luma in every channel", portraitVariety{tone: 1, contrast: 1, gamma: 1}, [3]uint8{255, 0, 0}, [3]uint8{76, 76, 76}},
		{"sepia: black is dark brown", portraitVariety{tone: 2, contrast: 1, gamma: 1}, [3]uint8{0, 0, 0}, [3]uint8{48, 30, 14}},
		{"sepia: white is cream", portraitVariety{tone: 2, contrast: 1, gamma: 1}, [3]uint8{255, 255, 255}, [3]uint8{250, 236, 210}},
		{"no contrast: mid-grey", portraitVariety{contrast: 0, gamma: 1}, [3]uint8{0, 255, 30}, [3]uint8{128, 128, 128}},
		{"full lift: white", portraitVariety{contrast: 1, gamma: 1, lift: 1}, [3]uint8{0, 90, 200}, [3]uint8{255, 255, 255}},
		{"half lift of black: mid-grey", portraitVariety{contrast: 1, gamma: 1, lift: 0.5}, [3]uint8{0, 0, 0}, [3]uint8{128, 128, 128}},
		{"gamma 2 of mid-grey: a quarter", portraitVariety{contrast: 1, gamma: 2}, [3]uint8{128, 128, 128}, [3]uint8{64, 64, 64}},
		{"engraving: grey before the screen", portraitVariety{contrast: 1, gamma: 1, engrave: true, tone: 2}, [3]uint8{0, 255, 0}, [3]uint8{150, 150, 150}},
	} {
		img := uniform(1, 1, tc.in)
		tc.v.retone(img)
		if got := px(img, 0, 0); got != tc.want {
			t.Errorf("%s: %v → %v, want %v", tc.name, tc.in, got, tc.want)
		}
	}
}

func TestEngrave(t *testing.T) {
	mean := func(img *image.RGBA) float64 {
		s := 0.0
		for o := 0; o < len(img.Pix); o += 4 {
			s += float64(img.Pix[o])
		}
		return s / float64(len(img.Pix)/4)
	}
	for _, tc := range []struct {
		in       uint8
		min, max float64 // the screen's mean level
	}{
		{255, 255, 255}, // white paper: no line
		{0, 10, 20},     // black: the lines fill the period
		{128, 125, 145}, // mid-grey: lines half the period wide, half and half with the tone
	} {
		img := uniform(40, 40, [3]uint8{tc.in, tc.in, tc.in})
		engrave(img, 4)
		if m := mean(img); m < tc.min || m > tc.max {
			t.Errorf("level %d: screen mean %.1f, want %.0f–%.0f", tc.in, m, tc.min, tc.max)
		}
	}
}

func TestTurnHead(t *testing.T) {
	// A 9×3 image, black but for a white middle column.
	src := uniform(9, 3, [3]uint8{0, 0, 0})
	for y := 0; y < 3; y++ {
		o := y*src.Stride + 4*4
		src.Pix[o], src.Pix[o+1], src.Pix[o+2] = 255, 255, 255
	}
	brightest := func(img *image.RGBA) int {
		best, bx := -1, -1
		for x := 0; x < 9; x++ {
			if v := int(px(img, x, 1)[0]); v > best {
				best, bx = v, x
			}
		}
		return bx
	}
	for _, tc := range []struct {
		yaw, roll float64
		want      int // the column where the middle column is shown
	}{
		{0, 0, 4},
		{0, 180, 4},  // a half turn keeps the middle column
		{0.15, 0, 5}, // the middle moved right: u − 0.15·4u(1−u) = 0.5 at u ≈ 0.61
		{-0.15, 0, 3},
	} {
		if got := brightest(turnHead(src, tc.yaw, tc.roll)); got != tc.want {
			t.Errorf("yaw %v roll %v: middle at column %d, want %d", tc.yaw, tc.roll, got, tc.want)
		}
	}
	if out := turnHead(src, 0, 0); string(out.Pix) != string(src.Pix) {
		t.Error("no turn changed the pixels")
	}
}

func TestDrawGlasses(t *testing.T) {
	// A photo 100×125 pasted at its own size: the eyes at (40, 47.5) and
	// (60, 47.5), the rims 7.5 px across and 5 px down from them.
	img := uniform(100, 125, [3]uint8{255, 255, 255})
	drawGlasses(img, image.Rect(0, 0, 100, 125), 0.012)
	for _, tc := range []struct {
		x, y int
		dark bool
	}{
		{40, 47, false}, {60, 47, false}, // the eyes stay clear
		{32, 47, true}, {47, 47, true}, {52, 47, true}, {67, 47, true}, // the rims' sides
		{40, 42, true}, {40, 52, true}, // a rim's top and bottom
		{20, 47, false}, {50, 90, false}, // the cheek, the chin
	} {
		if d := px(img, tc.x, tc.y)[0] < 128; d != tc.dark {
			t.Errorf("(%d, %d): dark %v, want %v", tc.x, tc.y, d, tc.dark)
		}
	}
}

func TestDevVariety(t *testing.T) {
	for _, d := range DevDesigns {
		if devVariety(Spec{Seed: 3, Design: d}) == nil {
			t.Errorf("%s: no portrait variety", d)
		}
	}
	for _, d := range append([]Design{DesignClassic}, HeldOutDesigns...) {
		if devVariety(Spec{Seed: 3, Design: d}) != nil {
			t.Errorf("%s: a portrait variety outside the development families", d.Name())
		}
	}
}
