package face

import (
	"math"
	"testing"
)

// shortFarShifts is every pair's shift over a track of yaws (degrees,
// in units of the relief as reliefTurnTrack reads them: the sine of the
// yaw from frame 0), pairs more than four frames apart (a second, at
// 4 fps: from the rest to the turn's top and back) reading only frac of
// their shift, as the mean head's one shift reads a pair across a turn
// short (docs/face.md, "Turn challenge: the depth read between
// neighbouring frames").
func shortFarShifts(yaws []float64, frac float64) (want []float64, shifts []pairShift) {
	half := reliefHalfWidth(chipSize)
	want = make([]float64, len(yaws))
	for k, y := range yaws {
		want[k] = math.Sin(y*math.Pi/180) - math.Sin(yaws[0]*math.Pi/180)
	}
	for i := range yaws {
		for j := i + 1; j < len(yaws); j++ {
			d := want[j] - want[i]
			if j-i > 4 {
				d *= frac
			}
			shifts = append(shifts, pairShift{i: i, j: j, plane: 0.3, v: [2]float64{half * d, 0}})
		}
	}
	return want, shifts
}

// TestReliefTurnTrackNear: a 33° turn to the right from rest and back
// whose pairs between frames up to four apart read their shift whole and
// farther pairs (across the turn) a third of it. The track is read from
// each frame's pairs with its four nearest frames, none more than four
// apart: every frame within 1e-9 of its yaw's sine, the turn
// sin 33° − sin 1° = 0.527, over reliefTurn. Over every pair the least
// squares read the turn 0.33, under reliefTurn.
func TestReliefTurnTrackNear(t *testing.T) {
	yaws := []float64{1, 0, 1, 2, 12, 24, 33, 30, 20, 8, 2, 1}
	want, shifts := shortFarShifts(yaws, 1.0/3)
	y := reliefTurnTrack(len(yaws), shifts, chipSize)
	for k := range want {
		if math.Abs(y[k]-want[k]) > 1e-9 {
			t.Errorf("frame %d: %.4f, want %.4f", k, y[k], want[k])
		}
	}
	right, _ := reliefToward(y, ChallengeTurnRight)
	if w := want[6] - want[0]; math.Abs(right-w) > 1e-9 || right < reliefTurn {
		t.Errorf("turn right %.4f, want %.4f (over reliefTurn %.3f)", right, w, reliefTurn)
	}
	if left, _ := reliefToward(y, ChallengeTurnLeft); left > 1e-9 {
		t.Errorf("turn left %.4f, want 0", left)
	}
}

// TestReliefTurnTrackNearMissing: when a frame's pairs with its
// neighbours are missing (plane residual at depthMaxPlane), its pairs
// with the next nearest frames that have one tie it to the track: frame
// 6 of 12, its pairs with frames 4–8 misplaced, is read from frames 2,
// 3, 9 and 10, not left out (NaN), and every frame reads its yaw's sine
// within 1e-9.
func TestReliefTurnTrackNearMissing(t *testing.T) {
	yaws := []float64{1, 0, 1, 2, 12, 24, 33, 30, 20, 8, 2, 1}
	want, shifts := shortFarShifts(yaws, 0.5)
	for k, s := range shifts {
		if (s.i == 6 || s.j == 6) && s.i >= 4 && s.j <= 8 {
			shifts[k].plane = depthMaxPlane
			shifts[k].v[0] = -40 // misplaced chips: left out whatever they say
		}
	}
	y := reliefTurnTrack(len(yaws), shifts, chipSize)
	for k := range want {
		if math.IsNaN(y[k]) || math.Abs(y[k]-want[k]) > 1e-9 {
			t.Errorf("frame %d: %.4f, want %.4f", k, y[k], want[k])
		}
	}
}

// TestNearPairs: over 8 frames with every pair, reach 2 keeps the pairs
// at most two frames apart and, at the track's ends, the next nearest
// (frame 0's four nearest are 1–4, frame 1's 0, 2, 3 and 4, frame 6's 5,
// 7, 4 and 3, frame 7's 3–6); a frame without pairs to its neighbours
// keeps its nearest others.
func TestNearPairs(t *testing.T) {
	var all []pairShift
	for i := 0; i < 8; i++ {
		for j := i + 1; j < 8; j++ {
			all = append(all, pairShift{i: i, j: j})
		}
	}
	kept := map[[2]int]bool{}
	for _, s := range nearPairs(8, all, 2) {
		kept[[2]int{s.i, s.j}] = true
	}
	for _, s := range all {
		d := s.j - s.i
		ends := map[[2]int]bool{{0, 3}: true, {0, 4}: true, {1, 4}: true, {3, 6}: true, {3, 7}: true, {4, 7}: true}
		want := d <= 2 || ends[[2]int{s.i, s.j}]
		if kept[[2]int{s.i, s.j}] != want {
			t.Errorf("pair %d-%d kept %v, want %v", s.i, s.j, kept[[2]int{s.i, s.j}], want)
		}
	}
	// Frame 4 has pairs only with frames 0 and 7.
	var cut []pairShift
	for _, s := range all {
		if (s.i == 4 || s.j == 4) && s.i != 0 && s.j != 7 {
			continue
		}
		cut = append(cut, s)
	}
	kept = map[[2]int]bool{}
	for _, s := range nearPairs(8, cut, 2) {
		kept[[2]int{s.i, s.j}] = true
	}
	if !kept[[2]int{0, 4}] || !kept[[2]int{4, 7}] {
		t.Errorf("frame 4's only pairs (0-4, 4-7) not kept: %v", kept)
	}
}
