package face

import (
	"math"
	"testing"
)

// TestTwoStepTurn: literal per-frame yaw tracks (bothTrack's units, 1 a
// turn, positive towards the first side asked) and whether a two-step
// turn is met on them: the first turn from the start, then, after it, a
// turn the other way at least challengeSecondTurn below the start.
func TestTwoStepTurn(t *testing.T) {
	// A head swaying on its own, recorded from the low end of its sway,
	// one whole period: a one-step turn (turnMet) reads it as met.
	sway := make([]float64, 13)
	for i := range sway {
		sway[i] = -0.7 * math.Cos(2*math.Pi*float64(i)/12)
	}
	for _, c := range []struct {
		name          string
		v             []float64
		first, second float64 // ±1e-9
		met           bool
	}{
		{"first side then the other", []float64{0, 0, 0.1, 0.6, 1.3, 1.5, 0.8, 0, -0.8, -1.4, -1.2, -0.5}, 1.5, 1.4, true},
		{"the other side first, then the first", []float64{0, 0, -0.6, -1.4, -1.5, -0.8, 0, 0.8, 1.4, 1.3, 0.5, 0}, 0, 0, false},
		{"only the first turn, and back", []float64{0, 0, 0.2, 0.8, 1.4, 1.3, 0.7, 0.2, 0, 0.1}, 1.4, 0, false},
		{"the second turn too small", []float64{0, 0, 0.5, 1.2, 1.1, 0.4, -0.3, -0.2}, 1.2, 0.3, false},
		{"the first turn too small", []float64{0, 0, 0.4, 0.8, 0.9, 0, -1, -1.4, -0.5}, 0.9, 1.4, false},
		{"the second turn just enough", []float64{0, 0, 1.2, 0, -0.5}, 1.2, 0.5, true},
		{"the second turn just short", []float64{0, 0, 1.2, 0, -0.45}, 1.2, 0.45, false},
		// A move the other way before the first turn, past 0.6 of it,
		// makes it no first turn (as turnMet): the order is wrong.
		{"a turn the other way before the first", []float64{0, 0, -0.8, 0, 1.2, 0.5, -0.6}, 0, 0, false},
		{"still, with noise", []float64{0.05, -0.05, 0.1, -0.1, 0.08, -0.12, 0.1, -0.06}, 0.05, 0.07, false},
		{"a recorded sway from its low end", sway, 1.4 - 0.7*(1-math.Cos(math.Pi/6)), 0, false},
		// The start is the larger of the first two frames for the first
		// turn and the smaller for the second (turnFromStart): a first
		// frame misread the second way makes the second turn read
		// shorter, an error towards refusing.
		{"a first frame misread the second way", []float64{-1, 0, 0.5, 1.3, 0.4, -0.4, -0.8, -0.3}, 1.3, 0, false},
		{"too short", []float64{0, 1}, 0, 0, false},
	} {
		first, second, met := twoStepTurn(c.v)
		if math.Abs(first-c.first) > 1e-9 || math.Abs(second-c.second) > 1e-9 || met != c.met {
			t.Errorf("%s: first %.4f second %.4f met %v, want %.4f %.4f %v", c.name, first, second, met, c.first, c.second, c.met)
		}
	}
	if toward, away := turnFromStart(sway); !turnMet(toward, away) {
		t.Errorf("the recorded sway: one-step turn %.3f away %.3f not met; the case no longer shows what two steps add", toward, away)
	}
}

// TestTwoStepChallengeTracks: the challenges judged on the mean head
// turned by known yaws (degrees, 4 frames a second; negative: the
// image's left).
func TestTwoStepChallengeTracks(t *testing.T) {
	track := yawTrack
	all := []Challenge{ChallengeTurnLeft, ChallengeTurnRight, ChallengeTurnLeftRight, ChallengeTurnRightLeft}
	for _, c := range []struct {
		name  string
		track []*faceInfo
		met   []Challenge
	}{
		{"35° left, then 30° right", track(0, 1, -1, 0, -15, -30, -35, -20, 0, 15, 28, 30, 20, 5), []Challenge{ChallengeTurnLeftRight}},
		{"35° right, then 30° left", track(0, 1, -1, 0, 15, 30, 35, 20, 0, -15, -28, -30, -20, -5), []Challenge{ChallengeTurnRightLeft}},
		{"35° left and back", track(0, 1, -1, 0, -15, -30, -35, -20, -5, 2, 0, 1), []Challenge{ChallengeTurnLeft}},
		{"35° right and back", track(0, 1, -1, 0, 15, 30, 35, 20, 5, -2, 0, 1), []Challenge{ChallengeTurnRight}},
		// Back past the start by 4°: no second turn.
		{"35° left, back to 4° right", track(0, 0, -15, -30, -35, -20, 0, 4, 2), []Challenge{ChallengeTurnLeft}},
		{"a sway of ±8°", track(-8, -6, 0, 6, 8, 6, 0, -6, -8, -6, 0), nil},
	} {
		for _, ch := range all {
			var l Liveness
			scores := map[string]float64{}
			met := verifyChallenge(ch, c.track, 4, &l, scores)
			want := false
			for _, m := range c.met {
				want = want || m == ch
			}
			if met != want || l.ChallengeMet != met || l.Challenge != ch || scores["liveness_challenge_met"] != b2f(met) {
				t.Errorf("%s, %s: met %v (first %.3f second %.3f), want %v", c.name, ch, met, scores["liveness_challenge_turn_first"], scores["liveness_challenge_turn_second"], want)
			}
			if _, ok := scores["liveness_challenge_turn_second"]; ok != ch.twoStep() {
				t.Errorf("%s, %s: turn_second reported %v, want %v", c.name, ch, ok, ch.twoStep())
			}
		}
	}
}

func TestTwoStepChallengeValid(t *testing.T) {
	for _, c := range []struct {
		c                Challenge
		valid, turn, two bool
		first            Challenge
	}{
		{ChallengeTurnLeftRight, true, true, true, ChallengeTurnLeft},
		{ChallengeTurnRightLeft, true, true, true, ChallengeTurnRight},
		{ChallengeTurnLeft, true, true, false, ChallengeTurnLeft},
		{ChallengeTurnRight, true, true, false, ChallengeTurnRight},
		{ChallengeBlink, true, false, false, NoChallenge},
		{NoChallenge, true, false, false, NoChallenge},
		{"turn_left_left", false, false, false, NoChallenge},
		{"turn_right_left_right", false, false, false, NoChallenge},
	} {
		if c.c.Valid() != c.valid || c.c.IsTurn() != c.turn || c.c.twoStep() != c.two || c.c.firstTurn() != c.first {
			t.Errorf("%q: valid %v turn %v two-step %v first %q, want %v %v %v %q", c.c, c.c.Valid(), c.c.IsTurn(), c.c.twoStep(), c.c.firstTurn(), c.valid, c.turn, c.two, c.first)
		}
	}
}

// TestFollowTwoStep: under a two-step turn a face the detector lost is
// followed for 2·trackMax frames in a row, under the other challenges
// for trackMax; a two-step turn follows within the turn's radius.
func TestFollowTwoStep(t *testing.T) {
	for _, c := range []struct {
		c      Challenge
		most   int
		radius float64
	}{
		{ChallengeTurnLeftRight, 2 * trackMax, identitySpreadMax},
		{ChallengeTurnRightLeft, 2 * trackMax, identitySpreadMax},
		{ChallengeTurnLeft, trackMax, identitySpreadMax},
		{ChallengeTurnRight, trackMax, identitySpreadMax},
		{ChallengeBlink, trackMax, identitySpreadMax / 2},
	} {
		if got, r := followMax(c.c), followRadius(c.c); got != c.most || r != c.radius {
			t.Errorf("%q: follows %d frames within %v, want %d within %v", c.c, got, r, c.most, c.radius)
		}
	}
	e := testEngine(t, Options{})
	ws := e.get()
	defer e.put(ws)
	img, fi := frameFace(t, e, ws, "face.jpg")
	// A face already followed trackMax frames in a row.
	for _, c := range []struct {
		tracked   int
		one, both bool // followed under turn_left, turn_left_right
	}{{trackMax - 1, true, true}, {trackMax, false, true}, {2*trackMax - 1, false, true}, {2 * trackMax, false, false}} {
		prev := fi
		prev.tracked = c.tracked
		one := e.trackFaceUpTo(ws, &img, &prev, followRadius(ChallengeTurnLeft), followMax(ChallengeTurnLeft))
		two := e.trackFaceUpTo(ws, &img, &prev, followRadius(ChallengeTurnLeftRight), followMax(ChallengeTurnLeftRight))
		if one.Found != c.one || two.Found != c.both || (two.Found && two.tracked != c.tracked+1) {
			t.Errorf("followed %d already: one-step %v, two-step %v (tracked %d), want %v %v", c.tracked, one.Found, two.Found, two.tracked, c.one, c.both)
		}
	}
}
