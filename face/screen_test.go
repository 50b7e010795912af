package face

import (
	"math"
	"testing"
)

// rgbChip renders a side×side RGB chip of a skin tone whose brightness
// follows a smooth texture, plus, with stripes, colour bands of the given
// period (pixels) and strength across it, as a filmed screen's moiré.
func rgbChip(side int, period, strength float64) []uint8 {
	c := make([]uint8, side*side*3)
	for y := 0; y < side; y++ {
		for x := 0; x < side; x++ {
			fx, fy := float64(x), float64(y)
			l := 30*math.Sin(fx/3.1+fy/7.0) + 20*math.Cos(fy/2.3-fx/5.0)
			var dr, db float64
			if period > 0 {
				ph := 2 * math.Pi * fx / period
				dr, db = strength*math.Sin(ph), strength*math.Sin(ph+2)
			}
			px := [3]float64{190 + l + dr, 140 + l, 120 + l + db}
			for k, v := range px {
				c[3*(y*side+x)+k] = uint8(math.Max(0, math.Min(255, math.Round(v))))
			}
		}
	}
	return c
}

func TestChromaMoire(t *testing.T) {
	const side = chipSize
	for _, c := range []struct {
		name     string
		chip     []uint8
		min, max float64
	}{
		{"skin with brightness texture only", rgbChip(side, 0, 0), 0, 0.05},
		{"colour bands every 9 px", rgbChip(side, 9, 25), 0.6, math.Inf(1)},
		{"colour bands every 6 px, faint", rgbChip(side, 6, 8), 0.1, 0.4},
		{"slow colour change (light), wider than the box", rgbChip(side, 300, 25), 0, 0.1},
		{"flat gray", make([]uint8, side*side*3), 0, 0},
		{"short", make([]uint8, 10), 0, 0},
	} {
		if got := chromaMoire(c.chip, side); got < c.min || got > c.max {
			t.Errorf("%s: %.4f, want in [%v, %v]", c.name, got, c.min, c.max)
		}
	}
}

func TestBoxMean(t *testing.T) {
	f := []float64{
		1, 2, 3,
		4, 5, 6,
		7, 8, 9,
	}
	got := boxMean(f, 3, 1)
	want := []float64{3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7}
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-12 {
			t.Fatalf("boxMean = %v, want %v", got, want)
		}
	}
}
