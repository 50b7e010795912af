package face

import (
	"math"
	"testing"
)

// TestTurnEarlySway: a recorded head swaying naturally (0.45 Hz, sampled
// at 4 fps) that starts at one end of its sway has risen 0.99 towards the
// asked side over its first 0.75 s (four frames), most of its 1.1 turn; a
// head at rest for its first second that then turns has risen only its
// rest's jitter, 0.05, or its rest's sway, 0.3; a drift the other way
// before the turn is no rise; a track too short to hold a start and a turn
// reads 0; a larger sway reads its own rise. Each is still a turn met by
// turnMet: earlyTurn tells them apart, it does not decide.
func TestTurnEarlySway(t *testing.T) {
	sway := make([]float64, 12)
	for k := range sway {
		sway[k] = 0.65 * (1 - math.Cos(2*math.Pi*0.45*float64(k)/4))
	}
	big := make([]float64, len(sway))
	for k, x := range sway {
		big[k] = x * 1.8 / 0.65
	}
	turn := func(rest []float64, peak float64) []float64 {
		v := append([]float64(nil), rest...)
		for k := 1; k <= 8; k++ {
			v = append(v, peak*math.Sin(math.Pi*float64(k)/8))
		}
		return v
	}
	cases := []struct {
		name  string
		v     []float64
		early float64
	}{
		{"sway from its end", sway, 0.65 * (1 - math.Cos(2*math.Pi*0.45*3/4))},
		{"turn from rest", turn([]float64{0, 0.05, -0.05, 0}, 1.4), 0.05},
		{"turn from a swaying rest", turn([]float64{0, 0.15, 0.3, 0.15}, 1.4), 0.3},
		{"turn after a drift away", turn([]float64{0.5, 0.3, 0.1, 0}, 1.8), 0},
		{"short track", sway[:7], 0},
		{"a turn past a sway's reach, under way", big, 1.8 / 0.65 * sway[3]},
	}
	for _, c := range cases {
		toward, away := turnFromStart(c.v)
		early := earlyTurn(c.v, 4)
		if math.Abs(early-c.early) > 1e-12 {
			t.Errorf("%s: early %.4f, want %.4f", c.name, early, c.early)
		}
		if toward < 1 || away > 0.6*toward {
			t.Errorf("%s: toward %.4f away %.4f, want a turn of at least 1, under 0.6 of it the other way", c.name, toward, away)
		}
		if !turnMet(toward, away) {
			t.Errorf("%s: turn not met (toward %.4f, away %.4f)", c.name, toward, away)
		}
	}
}
