package face

import (
	"math"
	"testing"
)

// texturedChip renders a side×side luma chip of a smooth pattern warped by
// the map m (chip coordinates to pattern coordinates).
func texturedChip(side int, m func(x, y float64) (float64, float64)) []uint8 {
	c := make([]uint8, side*side)
	for y := 0; y < side; y++ {
		for x := 0; x < side; x++ {
			u, v := m(float64(x), float64(y))
			f := 128 + 40*math.Sin(u/5.3+v/11.0) + 30*math.Cos(v/4.1-u/13.0) + 20*math.Sin((u+v)/2.7)
			c[y*side+x] = uint8(math.Max(0, math.Min(255, math.Round(f))))
		}
	}
	return c
}

func identity(x, y float64) (float64, float64) { return x, y }

// TestWarpResidual: one picture under a small affine or projective warp
// (what a flat photo leaves after the landmark alignment) is brought back
// onto itself;
// a local displacement of the middle of the face (a nose moving across the
// cheeks) is not.
func TestWarpResidual(t *testing.T) {
	const side = chipSize
	a := texturedChip(side, identity)
	tests := []struct {
		name     string
		m        func(x, y float64) (float64, float64)
		min, max float64
	}{
		{"same chip", identity, 0, 0.01},
		{"shifted 1.5 px", func(x, y float64) (float64, float64) { return x + 1.5, y - 1 }, 0, 0.05},
		{"scaled 3% and sheared", func(x, y float64) (float64, float64) {
			x, y = x-75, y-75
			return 1.03*x + 0.02*y + 75, -0.01*x + 0.98*y + 75
		}, 0, 0.05},
		{"seen in perspective (a tilted photo)", func(x, y float64) (float64, float64) {
			x, y = x-75, y-75
			d := 1 + 0.06*x/75 - 0.04*y/75
			return (1.02*x+0.01*y+1)/d + 75, (-0.01*x+0.99*y)/d + 75
		}, 0, 0.05},
		{"middle moved 4 px", func(x, y float64) (float64, float64) {
			d := math.Exp(-((x-75)*(x-75) + (y-85)*(y-85)) / (2 * 15 * 15))
			return x + 4*d, y
		}, 0.15, math.Inf(1)},
	}
	for _, tt := range tests {
		r := warpResidual(a, texturedChip(side, tt.m), side)
		if r < tt.min || r > tt.max {
			t.Errorf("%s: residual %.4f, want in [%.2f, %.2f]", tt.name, r, tt.min, tt.max)
		}
	}
	if r := warpResidual(a, a[:10], side); r != 0 {
		t.Errorf("short chip: residual %v, want 0", r)
	}
	if r := warpResidual(make([]uint8, side*side), a, side); r != 0 {
		t.Errorf("flat chip: residual %v, want 0", r)
	}
}

// TestTextureParallax: a sequence of affine copies scores low, one with a
// frame whose middle moved scores high, and fewer than two chips score 0.
func TestTextureParallax(t *testing.T) {
	const side = chipSize
	var flat, head [][]uint8
	for k := 0; k < 5; k++ {
		s := 1 + 0.01*float64(k)
		flat = append(flat, texturedChip(side, func(x, y float64) (float64, float64) {
			return s*(x-75) + 75 + float64(k)*0.5, s*(y-75) + 75
		}))
		amp := 2 * float64(k)
		head = append(head, texturedChip(side, func(x, y float64) (float64, float64) {
			d := math.Exp(-((x-75)*(x-75) + (y-85)*(y-85)) / (2 * 15 * 15))
			return x + amp*d, y
		}))
	}
	f, _ := textureAndDepth(flat, side)
	h, _ := textureAndDepth(head, side)
	if f > 0.05 || h < 0.15 {
		t.Errorf("flat %.4f (want ≤ 0.05), head %.4f (want ≥ 0.15)", f, h)
	}
	if r, _ := textureAndDepth(flat[:1], side); r != 0 {
		t.Errorf("one chip: %v, want 0", r)
	}
}
