package face

import (
	"math"
	"testing"
)

// TestTurnTrackReadout: verifyChallenge keeps each frame's reading for
// Liveness.TurnTrack: the landmarks' turnYaw, the relief (0 at the first
// frame, NaN at the others without pair fits) and the combined track towards the first side asked, whose
// largest rise over the start is the reported liveness_challenge_turn_both.
func TestTurnTrackReadout(t *testing.T) {
	track := yawTrack(0, 1, 10, 25, 35, 20, 0)
	track[4].tracked = 1
	track[5].weak = true
	for _, ch := range []Challenge{ChallengeTurnRight, ChallengeTurnLeft, ChallengeTurnLeftRight} {
		var l Liveness
		scores := map[string]float64{}
		verifyChallenge(ch, track, 4, &l, scores)
		tt := l.TurnTrack()
		if len(tt) != len(track) {
			t.Fatalf("%s: %d frames read, want %d", ch, len(tt), len(track))
		}
		sign := 1.0
		if ch.firstTurn() == ChallengeTurnLeft {
			sign = -1
		}
		hi := math.Max(tt[0].Both, tt[1].Both)
		rise := 0.0
		for i, f := range tt {
			if f.Yaw != turnYaw(&track[i].LM) || f.LM != track[i].LM || (i == 0) == math.IsNaN(f.Relief) || (i == 0 && f.Relief != 0) {
				t.Errorf("%s frame %d: yaw %.4f relief %.4f, want %.4f", ch, i, f.Yaw, f.Relief, turnYaw(&track[i].LM))
			}
			if math.Abs(f.Both-sign*f.Yaw/challengeTurn) > 1e-12 {
				t.Errorf("%s frame %d: both %.4f, want %.4f", ch, i, f.Both, sign*f.Yaw/challengeTurn)
			}
			if f.Followed != (i == 4) || f.Weak != (i == 5) {
				t.Errorf("%s frame %d: followed %v weak %v", ch, i, f.Followed, f.Weak)
			}
			if i >= 2 {
				rise = math.Max(rise, f.Both-hi)
			}
		}
		if math.Abs(round4(rise)-scores["liveness_challenge_turn_both"]) > 1e-9 {
			t.Errorf("%s: the track rises %.4f, the score says %.4f", ch, rise, scores["liveness_challenge_turn_both"])
		}
	}
	var l Liveness
	verifyChallenge(ChallengeBlink, track, 10, &l, map[string]float64{})
	if l.TurnTrack() != nil {
		t.Error("a blink challenge has no turn track")
	}
}
