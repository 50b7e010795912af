package face

import (
	"context"
	"math"
	"slices"
	"time"
)

// Challenge is an instruction given to the applicant with the selfie's
// upload URL, which the video must show carried out: a replayed recording
// made before the instruction was known is unlikely to. Directions are as
// the camera sees them, in the recorded (not the mirrored preview) video:
// TurnLeft turns the nose towards the image's left, which is the
// applicant's right.
type Challenge string

// The challenges kycq issues.
const (
	NoChallenge        Challenge = ""
	ChallengeTurnLeft  Challenge = "turn_left"
	ChallengeTurnRight Challenge = "turn_right"
	// ChallengeBlink asks for one blink: the eyes close and reopen.
	ChallengeBlink Challenge = "blink"
)

// Challenges lists the challenges that may be issued.
func Challenges() []Challenge {
	return []Challenge{ChallengeTurnLeft, ChallengeTurnRight, ChallengeBlink}
}

// Valid reports whether c is NoChallenge or one of Challenges.
func (c Challenge) Valid() bool { return c == NoChallenge || slices.Contains(Challenges(), c) }

// Challenge thresholds, on the landmark track.
const (
	// challengeTurn is the turn a turn challenge needs: the nose tip's
	// move along the jaw line from the start (turnFromStart), in face
	// half-widths (about 0.2 for 15°, 0.45 for 30° of yaw from frontal),
	// as turnYaw measures it.
	challengeTurn = 0.3
)

// MatchVideoChallenge is MatchVideo for a selfie recorded under a
// challenge: every sampled frame is analysed and the landmark track must show the instruction carried out,
// or liveness fails with the signal SignalChallenge.
func (e *Engine) MatchVideoChallenge(ctx context.Context, docImage []byte, videoPath string, c Challenge) (*Result, error) {
	if c == NoChallenge {
		return e.MatchVideo(ctx, docImage, videoPath)
	}
	start := time.Now()
	res := e.newResult()
	ref := e.documentRef(docImage, res)
	if ref == nil {
		return e.finish(res, start), nil
	}
	s, err := e.AnalyzeSelfieChallenge(ctx, videoPath, c)
	if err != nil {
		return nil, err
	}
	return e.compare(ref, s, res, start), nil
}

// AnalyzeSelfieChallenge analyses a selfie video recorded under challenge
// c: all its sampled frames, so that the instruction can be seen (for a
// blink, sampled at BlinkFPS rather than Options.SampleFPS).
func (e *Engine) AnalyzeSelfieChallenge(ctx context.Context, path string, c Challenge) (*Selfie, error) {
	fps := e.opts.SampleFPS
	if c == ChallengeBlink {
		fps = math.Max(fps, BlinkFPS)
	}
	s, err := e.analyzeVideo(ctx, path, c != NoChallenge, fps)
	if s != nil {
		s.challenge = c
	}
	return s, err
}

// verifyChallenge judges the challenge from the faces found in the
// selfie's frames (time order, sampled at fps), records it in l and the scores, and
// reports whether it was met.
func verifyChallenge(c Challenge, track []*faceInfo, fps float64, l *Liveness, scores map[string]float64) bool {
	l.Challenge = c
	switch c {
	case ChallengeTurnLeft, ChallengeTurnRight:
		lms := make([]*Landmarks, len(track))
		for i, fi := range track {
			lms[i] = &fi.LM
		}
		toward, away := turnToward(lms, c)
		scores["liveness_challenge_turn"] = round4(toward)
		l.ChallengeMet = toward >= challengeTurn && away < 0.6*toward
	case ChallengeBlink:
		b := blinkOf(track, fps)
		scores["liveness_challenge_blink_ear"] = round4(b.EARDrop)
		scores["liveness_challenge_blink_dark"] = round4(b.Dark)
		scores["liveness_challenge_blink_change"] = round4(b.Change)
		scores["liveness_challenge_blink_peak"] = round4(b.Peak)
		scores["liveness_challenge_blink_sustained"] = round4(b.Sustained)
		l.ChallengeMet = b.Met()
	}
	scores["liveness_challenge_met"] = b2f(l.ChallengeMet)
	return l.ChallengeMet
}

// yaw is the nose tip's offset from the middle of the jaw line, along it,
// in half jaw widths: 0 frontal, positive when the nose points towards the
// image's right. Measuring along the jaw line makes it ignore roll.
func yaw(lm *Landmarks) float64 {
	ux, uy := lm[16].X-lm[0].X, lm[16].Y-lm[0].Y
	w := math.Hypot(ux, uy)
	if w == 0 {
		return 0
	}
	mx, my := (lm[0].X+lm[16].X)/2, (lm[0].Y+lm[16].Y)/2
	return ((lm[30].X-mx)*ux + (lm[30].Y-my)*uy) / w / (w / 2)
}

// turnYaw is yaw made to keep growing as the head nears profile: half
// the log of the ratio of the nose's distances to the two jaw ends (the
// inverse hyperbolic tangent of yaw, clamped to ±turnYawMax). Near
// frontal it is yaw (at most 4 % more up to 0.3); towards profile the far half
// of the face shrinks to nothing in the picture, and yaw, a difference of
// the two halves over their sum, flattens out short of 1 (about 0.7–0.8
// for kycq's landmarks), so that a head already turned 25° which turns
// 30° further read as a turn of 0.14–0.25 (docs/face.md, "Turn challenge
// on varied heads").
func turnYaw(lm *Landmarks) float64 {
	return math.Atanh(math.Max(-turnYawMax, math.Min(turnYawMax, yaw(lm))))
}

// turnYawMax bounds yaw in turnYaw: the nose at or past a jaw end is a
// profile, not a measure.
const turnYawMax = 0.98

// turnToward returns how far the track turns towards the side challenge c
// asks for, and the other way, in turnYaw, from where it starts
// (turnFromStart).
func turnToward(track []*Landmarks, c Challenge) (toward, away float64) {
	sign := 1.0
	if c == ChallengeTurnLeft {
		sign = -1
	}
	v := make([]float64, len(track))
	for i, lm := range track {
		v[i] = sign * turnYaw(lm)
	}
	return turnFromStart(v)
}

// turnFromStart is how far a per-frame measure v (time order, positive
// towards the asked side) goes above and below its start in the later
// frames. The start is the larger of the first two frames: it must be
// held over two frames, so that one misread first frame (recorded heads
// of the development seeds had their first frame read 0.33 and 0.15 off
// the next) cannot be the low point a turn is measured from. A misread
// the other way only makes the turn smaller. With fewer than three frames
// there is no turn.
func turnFromStart(v []float64) (toward, away float64) {
	if len(v) < 3 {
		return 0, 0
	}
	start := math.Max(v[0], v[1])
	for _, x := range v[2:] {
		toward = math.Max(toward, x-start)
		away = math.Max(away, start-x)
	}
	return toward, away
}
