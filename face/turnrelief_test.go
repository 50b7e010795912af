package face

import (
	"math"
	"testing"
)

// TestReliefTurnTrack: pair shifts made from a known track (the sine of
// each frame's yaw times the relief's unit, reliefHalfWidth) give the
// track back from frame 0, whichever pairs are kept: a pair whose chips
// were misplaced (plane residual at depthMaxPlane) and says something
// else is left out; a frame no kept pair reaches is NaN; the shifts'
// vertical part (a nod) is not a turn.
func TestReliefTurnTrack(t *testing.T) {
	half := reliefHalfWidth(chipSize)
	if math.Abs(half-49.0) > 0.1 {
		t.Fatalf("reliefHalfWidth(%d) = %.3f, want about 49 (brow end to brow end over 2)", chipSize, half)
	}
	deg := math.Pi / 180
	yaws := []float64{2, 1, 3, 12, 25, 33, 20, 5} // degrees
	want := make([]float64, len(yaws))
	for k, y := range yaws {
		want[k] = math.Sin(y*deg) - math.Sin(yaws[0]*deg)
	}
	var shifts []pairShift
	for i := range yaws {
		for j := i + 1; j < len(yaws); j++ {
			s := pairShift{i: i, j: j, plane: 0.3, v: [2]float64{half * (want[j] - want[i]), 4}}
			if i == 2 && j == 5 {
				s.plane, s.v[0] = depthMaxPlane, -30 // misplaced chips
			}
			shifts = append(shifts, s)
		}
	}
	y := reliefTurnTrack(len(yaws), shifts, chipSize)
	for k := range want {
		if math.Abs(y[k]-want[k]) > 1e-9 {
			t.Errorf("frame %d: %.6f, want %.6f", k, y[k], want[k])
		}
	}
	// Frame 3 reached by no kept pair.
	var cut []pairShift
	for _, s := range shifts {
		if s.i != 3 && s.j != 3 {
			cut = append(cut, s)
		}
	}
	y = reliefTurnTrack(len(yaws), cut, chipSize)
	for k := range want {
		switch {
		case k == 3 && !math.IsNaN(y[k]):
			t.Errorf("frame 3 without pairs: %.4f, want NaN", y[k])
		case k != 3 && math.Abs(y[k]-want[k]) > 1e-9:
			t.Errorf("without frame 3, frame %d: %.6f, want %.6f", k, y[k], want[k])
		}
	}
	right, away := reliefToward(y, ChallengeTurnRight)
	if w := want[5] - want[0]; math.Abs(right-w) > 1e-9 || away != 0 {
		t.Errorf("turn right: %.4f away %.4f, want %.4f and 0", right, away, w)
	}
	// Turning left, the turn's start is the larger of the first two
	// frames towards the left, frame 1 (1° against frame 0's 2°), and
	// the other way's the smaller, frame 0.
	if left, away := reliefToward(y, ChallengeTurnLeft); left != 0 || math.Abs(away-(want[5]-want[0])) > 1e-9 {
		t.Errorf("turn left: %.4f away %.4f, want 0 and %.4f", left, away, want[5]-want[0])
	}
	// No pairs: only frame 0 is known, and there is no turn.
	y = reliefTurnTrack(4, nil, chipSize)
	if y[0] != 0 || !math.IsNaN(y[1]) {
		t.Errorf("no pairs: %v, want 0 then NaN", y)
	}
	if to, aw := reliefToward(y, ChallengeTurnRight); to != 0 || aw != 0 {
		t.Errorf("no pairs: turn %.4f away %.4f, want 0", to, aw)
	}
}

// turnChips renders a textured face chip for each shift s (chip pixels
// per unit of relief; positive: the nose towards the image's right):
// each pixel shows the pattern its relief moved it from, as a head
// turning by asin(s/reliefHalfWidth) from the first frame does on top of
// a plane's view (the chips' alignment takes the rest); m is that view.
func turnChips(m func(x, y float64) (float64, float64), s ...float64) [][]uint8 {
	var out [][]uint8
	for _, v := range s {
		out = append(out, texturedChip(chipSize, reliefWarp(-v, 0, m)))
	}
	return out
}

// TestReliefTurnChips: the track read from the depth cue's own pair
// fits. A head turning to the right and back (shifts of 0 to 14 chip
// pixels per half-width, up to sin θ = 0.29: about 17°) reads its turn
// in the right direction within 15 %; the same turned to the left reads
// the mirror image; a flat picture tilted further and further in
// perspective (foreshortened to 0.6 across, TestTiltedSequence's views,
// exact landmarks) reads no turn either way.
func TestReliefTurnChips(t *testing.T) {
	half := reliefHalfWidth(chipSize)
	shifts := []float64{0, 0.5, 4, 9, 14, 10, 3}
	for _, c := range []struct {
		name string
		sign float64
		ch   Challenge
	}{{"to the right", 1, ChallengeTurnRight}, {"to the left", -1, ChallengeTurnLeft}} {
		var s []float64
		for _, v := range shifts {
			s = append(s, c.sign*v)
		}
		chips := turnChips(identity, s...)
		_, _, sh := textureDepthShifts(chips, nil, chipSize)
		y := reliefTurnTrack(len(chips), sh, chipSize)
		toward, away := reliefToward(y, c.ch)
		other, _ := reliefToward(y, map[Challenge]Challenge{ChallengeTurnRight: ChallengeTurnLeft, ChallengeTurnLeft: ChallengeTurnRight}[c.ch])
		want := 14 / half
		t.Logf("%s: track %.3f, toward %.4f away %.4f", c.name, y, toward, away)
		if math.Abs(toward-want) > 0.15*want || away > 0.02 || other > 0.02 {
			t.Errorf("%s: toward %.4f (want %.4f ± 15 %%), away %.4f, the other way %.4f (want ≤ 0.02)", c.name, toward, want, away, other)
		}
	}
	var flat [][]uint8
	var lms []*Landmarks
	for k := 0; k < 5; k++ {
		w := tiltWarp(1-0.1*float64(k), 0.03*float64(k), 0.5*float64(k), 0)
		flat = append(flat, texturedChip(chipSize, homog(inverse3(w))))
		lms = append(lms, templateLandmarks(homog(w)))
	}
	_, _, sh := textureDepthShifts(flat, lms, chipSize)
	y := reliefTurnTrack(len(flat), sh, chipSize)
	r, _ := reliefToward(y, ChallengeTurnRight)
	l, _ := reliefToward(y, ChallengeTurnLeft)
	t.Logf("flat tilted: track %.4f", y)
	if r > 0.02 || l > 0.02 {
		t.Errorf("a flat picture tilted: turn right %.4f, left %.4f, want ≤ 0.02 (no relief)", r, l)
	}
}

// TestTurnChallengeRelief: the turn challenge on tracks whose chips and
// landmarks are known by construction. A head at rest, then turning 36°
// to the right (a turn under way from the first frame is
// TestTurnEarlySway's), whose landmarks read 35 % of it (the mean head turned 0.35 times as
// far: a small or turned face) and whose chips shift by its relief
// (sin θ times the relief's unit) meets turn_right, where the landmarks
// alone (under challengeTurn) did not; it does not meet turn_left. A
// flat picture tilted in perspective whose landmarks read a turn past
// challengeTurn (the mean head turned 20°) but whose chips are views of
// one plane has no relief and does not meet it, where the landmarks
// alone did (landmarks reading twice challengeTurn would meet it on
// their own). A head swaying 8° each way meets neither.
func TestTurnChallengeRelief(t *testing.T) {
	xy, z := meanHead(200)
	half := reliefHalfWidth(chipSize)
	deg := math.Pi / 180
	head := func(lmGain float64, yaws ...float64) []*faceInfo {
		var out []*faceInfo
		for _, y := range yaws {
			gray := turnChips(identity, half*(math.Sin(y*deg)-math.Sin(yaws[0]*deg)))[0]
			out = append(out, &faceInfo{Found: true, LM: *turned(xy, z, 200, lmGain*y*deg), gray: gray})
		}
		return out
	}
	var tilted []*faceInfo
	for k, y := range []float64{0, 0, 4, 10, 16, 20, 14, 5} {
		s := 1 - 0.35*y/20
		w := tiltWarp(s, 0.04*y/20, 0.3*float64(k), 0)
		tilted = append(tilted, &faceInfo{Found: true, LM: *turned(xy, z, 200, y*deg), gray: texturedChip(chipSize, homog(inverse3(w)))})
	}
	for _, c := range []struct {
		name          string
		track         []*faceInfo
		right, left   bool // met under turn_right, turn_left
		landmarkRight bool // the landmarks alone, turn_right
	}{
		{"a 36° turn the landmarks read 35 % of", head(0.35, 0, 0, 1, 4, 14, 28, 36, 30, 12), true, false, false},
		{"a flat picture tilted, its landmarks turned 20°", tilted, false, false, true},
		{"a sway of 8° each way", head(1, 0, 1, 5, 8, 4, -3, -8, -4), false, false, false},
	} {
		var lms []*Landmarks
		for _, fi := range c.track {
			lms = append(lms, &fi.LM)
		}
		if lt, la := turnToward(lms, ChallengeTurnRight); (lt >= challengeTurn && la < 0.6*lt) != c.landmarkRight {
			t.Errorf("%s: the landmarks alone read %.3f (away %.3f): the case no longer tests what it says", c.name, lt, la)
		}
		for _, ch := range []Challenge{ChallengeTurnRight, ChallengeTurnLeft} {
			// Liveness judged every frame: its shifts are the depth cue's.
			l := &Liveness{frames: c.track}
			chips := make([][]uint8, len(c.track))
			clm := make([]*Landmarks, len(c.track))
			for i, fi := range c.track {
				chips[i], clm[i] = fi.gray, chipLandmarks(&fi.LM, chipSize)
			}
			_, _, l.shifts = textureDepthShifts(chips, clm, chipSize)
			scores := map[string]float64{}
			met := verifyChallenge(ch, c.track, 4, l, scores)
			t.Logf("%s, %s: landmarks %.3f relief %.3f both %.3f met %v", c.name, ch, scores["liveness_challenge_turn"], scores["liveness_challenge_turn_relief"], scores["liveness_challenge_turn_both"], met)
			want := c.right
			if ch == ChallengeTurnLeft {
				want = c.left
			}
			if met != want {
				t.Errorf("%s, %s: met %v, want %v", c.name, ch, met, want)
			}
			// The same judged with no liveness frames: every pair is
			// fitted by the challenge itself, to the same answer.
			scores2 := map[string]float64{}
			if met2 := verifyChallenge(ch, c.track, 4, &Liveness{}, scores2); met2 != met || math.Abs(scores2["liveness_challenge_turn_both"]-scores["liveness_challenge_turn_both"]) > 1e-9 {
				t.Errorf("%s, %s: without liveness's fits met %v both %.4f, with them %v %.4f", c.name, ch, met2, scores2["liveness_challenge_turn_both"], met, scores["liveness_challenge_turn_both"])
			}
		}
	}
}
