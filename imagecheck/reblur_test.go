package imagecheck

import (
	"math/rand"
	"testing"
)

// reblurRef is reblur as it was before its masks: the loop with a
// branch per test, kept to hold the masked one to it.
func reblurRef(line []byte) (sumF, sumV int64) {
	n := len(line)
	at := func(i int) int32 {
		if i < 0 {
			i = 0
		} else if i >= n {
			i = n - 1
		}
		return int32(line[i])
	}
	var sum int32
	for k := -blurHalf; k <= blurHalf; k++ {
		sum += at(k)
	}
	prevF, prevB := int32(line[0])*9, sum
	for x := 1; x < n; x++ {
		if x+blurHalf < n && x-blurHalf-1 >= 0 {
			sum += int32(line[x+blurHalf]) - int32(line[x-blurHalf-1])
		} else {
			sum += at(x+blurHalf) - at(x-blurHalf-1)
		}
		f := int32(line[x]) * 9
		df := f - prevF
		if df < 0 {
			df = -df
		}
		db := sum - prevB
		if db < 0 {
			db = -db
		}
		if df <= blurNoise {
			prevF, prevB = f, sum
			continue
		}
		sumF += int64(df)
		if df > db {
			sumV += int64(df - db)
		}
		prevF, prevB = f, sum
	}
	return sumF, sumV
}

func TestReblurLiteral(t *testing.T) {
	cases := []struct {
		name       string
		line       []byte
		sumF, sumV int64
	}{
		{"empty", nil, 0, 0},
		// One pixel: no neighbours.
		{"single", []byte{200}, 0, 0},
		{"flat", []byte{90, 90, 90, 90, 90, 90, 90, 90, 90, 90, 90, 90}, 0, 0},
		// Differences of 3 levels (27 ×9) are noise: left out.
		{"noise", []byte{10, 13, 10, 13, 10, 13, 10, 13, 10, 13, 10, 13}, 0, 0},
		// A step of 4 levels at x = 6: 36 (×9); the box's sum moves by
		// line[10] − line[1] = 4 there, so the difference shrinks by 32.
		{"step4", []byte{0, 0, 0, 0, 0, 0, 4, 4, 4, 4, 4, 4}, 36, 32},
		// Four pixels, the ends repeated: the box sums 300 at x = 0
		// (six zeros, three 100s), then 400, 500, 600. Only x = 2
		// differs from its neighbour: 900, the box by 100.
		{"short", []byte{0, 0, 100, 100}, 900, 800},
		// A ramp of 5 a pixel: every difference 45 (×9), 15 of them.
		// Inside (x = 5 … 11) the box moves by 45 too; at x = 1 … 4 it
		// gains 5(x+4) over a repeated 0 (shrinks 20, 15, 10, 5), at
		// x = 12 … 15 it gains 75 − 5(x−5) (shrinks 5, 10, 15, 20).
		{"ramp", []byte{0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75}, 675, 100},
	}
	for _, c := range cases {
		f, v := reblur(c.line)
		if f != c.sumF || v != c.sumV {
			t.Errorf("%s: reblur = %d, %d, want %d, %d", c.name, f, v, c.sumF, c.sumV)
		}
		if len(c.line) == 0 {
			continue
		}
		if f, v := reblurRef(c.line); f != c.sumF || v != c.sumV {
			t.Errorf("%s: reblurRef = %d, %d, want %d, %d", c.name, f, v, c.sumF, c.sumV)
		}
	}
}

// TestReblurMatchesRef holds reblur to the branching loop on random
// lines of every length from 1 to 70: noise around a level, steps and
// ramps, and uniform bytes (every difference beyond the noise).
func TestReblurMatchesRef(t *testing.T) {
	rng := rand.New(rand.NewSource(16))
	for n := 1; n <= 70; n++ {
		for trial := 0; trial < 40; trial++ {
			line := make([]byte, n)
			base := rng.Intn(256)
			for i := range line {
				switch trial % 4 {
				case 0: // sensor noise
					line[i] = byte(min(255, max(0, base+rng.Intn(9)-4)))
				case 1: // print: steps between two levels, with noise
					if rng.Intn(6) == 0 {
						base = rng.Intn(256)
					}
					line[i] = byte(min(255, max(0, base+rng.Intn(5)-2)))
				case 2: // a ramp
					line[i] = byte((base + i*trial) & 255)
				default:
					line[i] = byte(rng.Intn(256))
				}
			}
			f, v := reblur(line)
			rf, rv := reblurRef(line)
			if f != rf || v != rv {
				t.Fatalf("n=%d trial %d: reblur = %d, %d, reblurRef %d, %d (%v)", n, trial, f, v, rf, rv, line)
			}
		}
	}
}
