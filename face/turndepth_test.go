package face

import (
	"math"
	"testing"
)

// TestTrackDepthNeighbours: the track's depth is read between frames near
// each other in the track. A turn of four frames (6–9) between frames at
// rest (0–5 and 10–11) whose relief explains 0.04 of the pairs of turning
// frames at most two places apart and 0.004 of those farther apart (the
// mean head's one shift no longer fits across the whole turn, as measured
// on the development turns), and 0.002 of the pairs at rest: over every
// pair each frame's median is a rest or far pair's and the cue read a
// still head (0.004, under MinDepth); over the neighbours' pairs the
// turning frames read 0.04, a clear head. A flat picture whose relief
// explains 0.001 of every pair but where one frame's plane fit did not
// converge (its pairs with the two frames before it "explained" 0.08,
// with the two after it left out at depthMaxPlane) stays a flat picture:
// that frame alone is lifted, and the cue takes the second largest frame.
// Two places either side would not do where the track ends: a flat
// picture whose frame 9 of 12 fits none of the frames 6–11 (0.03
// "explained", as a replayed still of development seed 157) would lift
// frame 11, which has only frames 9 and 10 that near;
// frame 11 is judged by frames 7–10 instead. Nor where pairs are left
// out: a tilted photo (development seed 161's face#1) whose frames 6 and
// 7 fit only each other and a frame or two after them (the rest at
// depthMaxPlane), the pair 6–7 "explaining" 0.018, lifted both to 0.009;
// frame 7, with two judged pairs, is now left out, and frame 6 takes its
// three.
func TestTrackDepthNeighbours(t *testing.T) {
	var o Options
	o.defaults()
	const n = 12
	turning := func(f int) bool { return f >= 6 && f <= 9 }
	var head, flat, end, thin []pairShift
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			e := 0.002
			if turning(i) || turning(j) {
				e = 0.004
				if j-i <= 2 {
					e = 0.04
				}
			}
			head = append(head, pairShift{i: i, j: j, plane: 0.6, explained: e})
			f := pairShift{i: i, j: j, plane: 0.15, explained: 0.001}
			switch {
			case j == 5 && i >= 3:
				f.plane, f.explained = 0.65, 0.08
			case i == 5 && j <= 7:
				f.plane, f.explained = 0.9, math.NaN()
			}
			flat = append(flat, f)
			g := pairShift{i: i, j: j, plane: 0.15, explained: 0.001}
			if (i == 9 && j >= 6) || (j == 9 && i >= 6) {
				g.plane, g.explained = 0.65, 0.03
			}
			end = append(end, g)
			h := pairShift{i: i, j: j, plane: 0.15, explained: 0.001}
			switch {
			case i == 6 && j == 7:
				h.plane, h.explained = 0.51, 0.018
			case (i == 6 || i == 7 || j == 6 || j == 7) && !(i == 6 && j == 8) && !(i == 7 && j == 8) && !(i == 6 && j == 9):
				h.plane, h.explained = 1.05, math.NaN()
			}
			thin = append(thin, h)
		}
	}
	all := everyPair(n, head)
	near := trackDepth(n, head)
	t.Logf("a turn between frames at rest: every pair %.4f, neighbours %.4f", all, near)
	if all >= o.MinDepth {
		t.Errorf("every pair: %.4f, want under MinDepth %.2f (the case the neighbours are for)", all, o.MinDepth)
	}
	if near < o.ReviewDepth {
		t.Errorf("neighbours: %.4f, want at least ReviewDepth %.2f", near, o.ReviewDepth)
	}
	if d := trackDepth(n, flat); d > 0.002 {
		t.Errorf("a flat picture with one frame's fit astray: %.4f, want its pairs' 0.001", d)
	}
	if d := trackDepth(n, end); d > 0.002 {
		t.Errorf("a flat picture whose frame 9 of 12 went astray with its neighbours: %.4f, want its pairs' 0.001", d)
	}
	if d := trackDepth(n, thin); d > 0.002 {
		t.Errorf("a flat picture whose frames 6 and 7 have two and three judged pairs: %.4f, want its pairs' 0.001", d)
	}
}

// everyPair is the depth cue over every pair given (robustMedianResidual
// of what the relief explains; pairs not given are left out).
func everyPair(n int, shifts []pairShift) float64 {
	ex := make(map[[2]int]float64)
	for _, s := range shifts {
		ex[[2]int{s.i, s.j}], ex[[2]int{s.j, s.i}] = s.explained, s.explained
	}
	return robustMedianResidual(n, func(i, j int) float64 {
		if e, ok := ex[[2]int{i, j}]; ok {
			return e
		}
		return math.NaN()
	})
}
