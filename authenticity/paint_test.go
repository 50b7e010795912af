package authenticity

import (
	"image"
	"testing"
)

// TestLocalAnomalyPaint: a flat painted field inside a smooth patch of the
// card's ground (noise of ±1 level against the card's ±8) joins the patch
// at the usual cut, and the joined region is as noisy as the ground
// (not reported); the noise-free cells alone are the paint, found and
// located. The smooth ground without the paint is not reported.
func TestLocalAnomalyPaint(t *testing.T) {
	build := func(paint bool) *image.YCbCr {
		img := image.NewYCbCr(image.Rect(0, 0, 640, 480), image.YCbCrSubsampleRatio420)
		for y := 0; y < 480; y++ {
			for x := 0; x < 640; x++ {
				h := uint32(x)*0x9e3779b1 ^ uint32(y)*0x85ebca77
				h ^= h >> 15
				h *= 0x2c1b3c6d
				h ^= h >> 12
				v := 120 + int(h%17) - 8
				switch {
				case paint && x >= 300 && x < 380 && y >= 200 && y < 232:
					v = 140
				case x >= 240 && x < 440 && y >= 160 && y < 288:
					v = 140 + int(h%3) - 1
				}
				img.Y[y*img.YStride+x] = uint8(v)
			}
		}
		return img
	}
	quad := [][2]float64{{40, 40}, {600, 40}, {600, 440}, {40, 440}}
	o := Options{}
	o.defaults()
	paint := image.Rect(300, 200, 380, 232)
	if _, resid, _, box, ok := localAnomaly(build(true), quad, 1, o); !ok || !box.Overlaps(paint) || resid > paintResidual {
		t.Errorf("painted field in a smooth ground: residual %.4f found %v at %v, want ≤ %.3f at %v", resid, ok, box, paintResidual, paint)
	}
	if frac, resid, _, box, ok := localAnomaly(build(false), quad, 1, o); ok {
		t.Errorf("smooth ground alone: share %.4f residual %.4f found at %v, want nothing", frac, resid, box)
	}
}
