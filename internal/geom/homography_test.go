package geom

import (
	"image"
	"math"
	"testing"
)

func TestSolveHomography(t *testing.T) {
	unit := [4][2]float64{{0, 0}, {100, 0}, {100, 60}, {0, 60}}
	tests := []struct {
		name string
		dst  [4][2]float64
	}{
		{"identity", unit},
		{"translation and scale", [4][2]float64{{10, 20}, {210, 20}, {210, 140}, {10, 140}}},
		{"rotation by 90°", [4][2]float64{{60, 0}, {60, 100}, {0, 100}, {0, 0}}},
		{"perspective", [4][2]float64{{412, 388}, {2650, 425}, {2751, 2656}, {1457, 2630}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, ok := SolveHomography(unit, tt.dst)
			if !ok {
				t.Fatal("SolveHomography: degenerate")
			}
			for i := range unit {
				x, y := h.Apply(unit[i][0], unit[i][1])
				if math.Hypot(x-tt.dst[i][0], y-tt.dst[i][1]) > 1e-6 {
					t.Errorf("corner %d → (%.4f, %.4f), want %v", i, x, y, tt.dst[i])
				}
			}
			// The inverse, solved the other way round, takes the centre back.
			inv, ok := SolveHomography(tt.dst, unit)
			if !ok {
				t.Fatal("inverse: degenerate")
			}
			x, y := inv.Apply(h.Apply(37, 21))
			if math.Hypot(x-37, y-21) > 1e-6 {
				t.Errorf("inverse(h(37, 21)) = (%.6f, %.6f)", x, y)
			}
		})
	}
}

func TestSolveHomographyDegenerate(t *testing.T) {
	src := [4][2]float64{{0, 0}, {1, 0}, {2, 0}, {0, 1}} // three on a line
	if h, ok := SolveHomography(src, src); ok {
		t.Errorf("collinear points solved: %v", h)
	}
	if h, ok := SolveHomography([4][2]float64{}, [4][2]float64{}); ok {
		t.Errorf("repeated points solved: %v", h)
	}
}

func TestMapRect(t *testing.T) {
	if got := Identity.MapRect(image.Rect(3, 4, 10, 20)); got != image.Rect(3, 4, 10, 20) {
		t.Errorf("Identity.MapRect = %v", got)
	}
	// Rotation by 90° about the origin, then a shift: (x, y) → (60 - y, x).
	rot := Homography{0, -1, 60, 1, 0, 0, 0, 0, 1}
	if got, want := rot.MapRect(image.Rect(0, 0, 100, 60)), image.Rect(0, 0, 60, 100); got != want {
		t.Errorf("rotated MapRect = %v, want %v", got, want)
	}
	// A half-pixel scale rounds outwards.
	half := Homography{0.5, 0, 0, 0, 0.5, 0, 0, 0, 1}
	if got, want := half.MapRect(image.Rect(1, 1, 5, 5)), image.Rect(0, 0, 3, 3); got != want {
		t.Errorf("scaled MapRect = %v, want %v", got, want)
	}
}
