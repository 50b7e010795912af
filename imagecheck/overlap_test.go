package imagecheck

import (
	"math"
	"testing"
)

func TestOverlap(t *testing.T) {
	sq := func(x0, y0, x1, y1 float64) [4][2]float64 {
		return [4][2]float64{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}
	}
	rev := func(q [4][2]float64) [4][2]float64 { return [4][2]float64{q[3], q[2], q[1], q[0]} }
	tests := []struct {
		name string
		a, b [4][2]float64
		want float64
	}{
		{"same", sq(10, 10, 50, 40), sq(10, 10, 50, 40), 1},
		{"same, other winding", sq(10, 10, 50, 40), rev(sq(10, 10, 50, 40)), 1},
		{"half shifted", sq(0, 0, 40, 40), sq(20, 0, 60, 40), 800.0 / 2400},
		{"disjoint", sq(0, 0, 10, 10), sq(20, 20, 30, 30), 0},
		{"inside", sq(0, 0, 40, 40), sq(10, 10, 30, 30), 400.0 / 1600},
		// The parts beyond the 100×100 frame do not count: both show the
		// same 50×100 strip of the photo.
		{"cut off by the frame", sq(50, 0, 150, 100), sq(50, -20, 130, 120), 1},
		{"outside the frame", sq(200, 200, 300, 300), sq(200, 200, 300, 300), 0},
		{"rotated square in its box", [4][2]float64{{50, 10}, {90, 50}, {50, 90}, {10, 50}}, sq(10, 10, 90, 90), 3200.0 / 6400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Overlap(tt.a, tt.b, 100, 100)
			if math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("Overlap = %.6f, want %.6f", got, tt.want)
			}
			if back := Overlap(tt.b, tt.a, 100, 100); math.Abs(back-got) > 1e-9 {
				t.Errorf("not symmetric: %.6f then %.6f", got, back)
			}
		})
	}
}
