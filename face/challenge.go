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
	// ChallengeTurnLeftRight and ChallengeTurnRightLeft are two-step
	// turns: the head turns to the first side named, then, after that
	// turn, to the other side, past where it started (twoStepTurn). A
	// recording made before the instruction was known must have happened
	// to sway both ways, in that order, by turns it seldom makes.
	ChallengeTurnLeftRight Challenge = "turn_left_right"
	ChallengeTurnRightLeft Challenge = "turn_right_left"
)

// Challenges lists the challenges that may be issued.
func Challenges() []Challenge {
	return []Challenge{ChallengeTurnLeft, ChallengeTurnRight, ChallengeBlink, ChallengeTurnLeftRight, ChallengeTurnRightLeft}
}

// IsTurn reports whether c asks for a turn of the head, one-step or
// two-step.
func (c Challenge) IsTurn() bool { return c.firstTurn() != NoChallenge }

// twoStep reports whether c is a two-step turn.
func (c Challenge) twoStep() bool {
	return c == ChallengeTurnLeftRight || c == ChallengeTurnRightLeft
}

// firstTurn is the one-step turn c asks for first: c itself for a
// one-step turn, NoChallenge when c is no turn.
func (c Challenge) firstTurn() Challenge {
	switch c {
	case ChallengeTurnLeft, ChallengeTurnLeftRight:
		return ChallengeTurnLeft
	case ChallengeTurnRight, ChallengeTurnRightLeft:
		return ChallengeTurnRight
	}
	return NoChallenge
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
	s, err := e.analyzeVideo(ctx, path, c, fps)
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
	switch {
	case c.IsTurn():
		// The track is read once, towards the first side; a two-step
		// turn's second turn is the same track going below its start.
		first := c.firstTurn()
		lms := make([]*Landmarks, len(track))
		for i, fi := range track {
			lms[i] = &fi.LM
		}
		landmark, _ := turnToward(lms, first)
		y := reliefTrackOf(track, l)
		relief, _ := reliefToward(y, first)
		v := bothTrack(lms, y, first)
		toward, away := turnFromStart(v)
		l.turn = make([]TurnFrame, len(track))
		for i, fi := range track {
			l.turn[i] = TurnFrame{LM: fi.LM, Yaw: turnYaw(&fi.LM), Relief: math.NaN(), Both: v[i], Followed: fi.tracked > 0, Weak: fi.weak}
			if i < len(y) {
				l.turn[i].Relief = y[i]
			}
		}
		scores["liveness_challenge_turn"] = round4(landmark)
		scores["liveness_challenge_turn_relief"] = round4(relief)
		scores["liveness_challenge_turn_both"] = round4(toward)
		scores["liveness_challenge_turn_early"] = round4(earlyTurn(v, fps))
		if c.twoStep() {
			one, two, met := twoStepTurn(v)
			scores["liveness_challenge_turn_first"] = round4(one)
			scores["liveness_challenge_turn_second"] = round4(two)
			l.ChallengeMet = met
		} else {
			l.ChallengeMet = turnMet(toward, away)
		}
	case c == ChallengeBlink:
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

// JawYaw is yaw, the nose tip's offset along the jaw line in half jaw
// widths, for evaluations that read a generator's known landmarks
// (whose yaw, unlike the net's, nears 1 at profile).
func JawYaw(lm *Landmarks) float64 { return yaw(lm) }

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
// frames. The start must be held over two frames: the turn is measured
// from the larger of the first two, so that one misread first frame
// (recorded heads of the development seeds had their first frame read
// 0.33 and 0.15 off the next) cannot be the low point a turn is measured
// from, and the other way from the smaller of the two, so that it cannot
// be the high point either: a head whose track begins while it is
// already turning the asked way (its first frames lost, or a quick
// start) goes back to where it was, not past it, and that return is not
// a turn the other way. With fewer than three frames there is no turn.
func turnFromStart(v []float64) (toward, away float64) {
	if len(v) < 3 {
		return 0, 0
	}
	hi, lo := math.Max(v[0], v[1]), math.Min(v[0], v[1])
	for _, x := range v[2:] {
		toward = math.Max(toward, x-hi)
		away = math.Max(away, lo-x)
	}
	return toward, away
}

// reliefHalfWidth is the unit of faceRelief in chip pixels for a chip of
// side side: half the mean face's width from brow end to brow end.
func reliefHalfWidth(side int) float64 {
	lx, _ := templatePoint(17, side)
	rx, _ := templatePoint(26, side)
	return (rx - lx) / 2
}

// reliefTurnTrack reads a head's yaw, frame by frame, from the depth
// cue's pair fits (shifts over n frames, textureDepthShifts). A head
// that turns by θ about its vertical axis moves each point of its
// surface across the picture by its depth times sin θ on top of what a
// plane's view explains, so the relief shift of a pair, along x (the
// chip's eye line) and in units of the relief (reliefHalfWidth), is
// about the sine of the yaw between the two frames, positive when the
// nose went towards the image's right (the relief is a mean head's: a
// deeper head reads more, a flatter one less). A flat picture, however
// tilted, has no relief to shift: about 0. Every pair whose chips the
// homography brought together (plane residual under depthMaxPlane) says
// y[j] − y[i] = shift. Only a frame's pairs with the 2·trackDepthReach
// frames nearest it that have such a pair are used (nearPairs): the mean
// head's one shift describes a step of 5–15° of yaw, not the whole
// turn (docs/face.md, "Turn challenge: the depth read between
// neighbouring frames"), and a pair across the turn, which reads its
// shift short, pulled the track towards the frames at rest: the
// least-squares solution weighed such pairs, many, against the few
// between neighbours. The track is the selected pairs' least-squares
// solution with y[0] = 0, over the frames they connect to frame 0 (NaN
// for the others).
func reliefTurnTrack(n int, shifts []pairShift, side int) []float64 {
	y := make([]float64, n)
	if n == 0 {
		return y
	}
	half := reliefHalfWidth(side)
	var good []pairShift
	adj := make([][]int, n)
	for _, s := range shifts {
		if s.i < 0 || s.j < 0 || s.i >= n || s.j >= n || s.i == s.j || !(s.plane < depthMaxPlane) || math.IsNaN(s.v[0]) || math.IsInf(s.v[0], 0) {
			continue
		}
		good = append(good, s)
	}
	good = nearPairs(n, good, trackDepthReach)
	for _, s := range good {
		adj[s.i] = append(adj[s.i], s.j)
		adj[s.j] = append(adj[s.j], s.i)
	}
	// The frames connected to frame 0; k[f] is f's unknown (frame 0 is
	// fixed at 0 and has none).
	k := make([]int, n)
	for f := range k {
		k[f] = -1
	}
	seen := make([]bool, n)
	seen[0] = true
	queue := []int{0}
	m := 0
	for len(queue) > 0 {
		f := queue[0]
		queue = queue[1:]
		for _, g := range adj[f] {
			if !seen[g] {
				seen[g] = true
				k[g] = m
				m++
				queue = append(queue, g)
			}
		}
	}
	for f := range y {
		if !seen[f] {
			y[f] = math.NaN()
		}
	}
	if m == 0 {
		return y
	}
	// Normal equations: the graph's Laplacian without frame 0.
	a := make([][]float64, m)
	for r := range a {
		a[r] = make([]float64, m+1)
	}
	for _, s := range good {
		if !seen[s.i] || !seen[s.j] {
			continue
		}
		d := s.v[0] / half
		ki, kj := k[s.i], k[s.j]
		if ki >= 0 {
			a[ki][ki]++
			a[ki][m] -= d
		}
		if kj >= 0 {
			a[kj][kj]++
			a[kj][m] += d
		}
		if ki >= 0 && kj >= 0 {
			a[ki][kj]--
			a[kj][ki]--
		}
	}
	x, ok := solveDense(a)
	if !ok {
		for f := 1; f < n; f++ {
			y[f] = math.NaN()
		}
		return y
	}
	for f := range y {
		if k[f] >= 0 {
			y[f] = x[k[f]]
		}
	}
	return y
}

// nearPairs keeps, of the pairs over n frames (indices in range, each
// pair of frames at most once), those between each frame and the
// 2·reach frames nearest it in the track that have a pair with it (the
// nearer first, the earlier of two as near), as pairDepth reads them: a
// frame whose neighbours' pairs are missing keeps the next nearest, so
// the track stays tied together.
func nearPairs(n int, pairs []pairShift, reach int) []pairShift {
	at := make(map[[2]int]int, len(pairs))
	for k, s := range pairs {
		at[[2]int{min(s.i, s.j), max(s.i, s.j)}] = k
	}
	keep := make([]bool, len(pairs))
	want := 2 * reach
	for i := 0; i < n; i++ {
		got := 0
		for d := 1; d < n && got < want; d++ {
			for _, j := range [2]int{i - d, i + d} {
				if j < 0 || j >= n || got >= want {
					continue
				}
				if k, ok := at[[2]int{min(i, j), max(i, j)}]; ok {
					keep[k] = true
					got++
				}
			}
		}
	}
	var out []pairShift
	for k, s := range pairs {
		if keep[k] {
			out = append(out, s)
		}
	}
	return out
}

// solveDense solves the m×m system a (each row m coefficients and the
// right-hand side) by Gaussian elimination with partial pivoting, in
// place; ok is false when it is singular.
func solveDense(a [][]float64) (x []float64, ok bool) {
	m := len(a)
	for c := 0; c < m; c++ {
		p := c
		for r := c + 1; r < m; r++ {
			if math.Abs(a[r][c]) > math.Abs(a[p][c]) {
				p = r
			}
		}
		if math.Abs(a[p][c]) < 1e-12 {
			return nil, false
		}
		a[c], a[p] = a[p], a[c]
		for r := c + 1; r < m; r++ {
			f := a[r][c] / a[c][c]
			for q := c; q <= m; q++ {
				a[r][q] -= f * a[c][q]
			}
		}
	}
	x = make([]float64, m)
	for r := m - 1; r >= 0; r-- {
		v := a[r][m]
		for q := r + 1; q < m; q++ {
			v -= a[r][q] * x[q]
		}
		x[r] = v / a[r][r]
	}
	return x, true
}

// reliefToward is turnFromStart on the relief track y (reliefTurnTrack)
// towards the side challenge c asks for: no turn when either start frame
// is missing from the track; later frames missing from it are skipped.
func reliefToward(y []float64, c Challenge) (toward, away float64) {
	if len(y) < 3 || math.IsNaN(y[0]) || math.IsNaN(y[1]) {
		return 0, 0
	}
	sign := 1.0
	if c == ChallengeTurnLeft {
		sign = -1
	}
	v := []float64{sign * y[0], sign * y[1]}
	for _, x := range y[2:] {
		if !math.IsNaN(x) {
			v = append(v, sign*x)
		}
	}
	return turnFromStart(v)
}

// reliefTurn is the relief's reading (reliefTurnTrack: about the sine of
// the yaw turned) that stands for the turn challengeTurn stands for on
// the landmarks, about 20°: sin 20°.
const reliefTurn = 0.342

// bothTrack is the head's yaw in each frame of the track, read two ways
// and averaged, positive towards the side challenge c asks for (its turn
// and the turn the other way are turnFromStart's reading of it), each in
// units of what the challenge needs: the landmarks' turnYaw over challengeTurn and the relief track y
// (reliefTrackOf, the same frames) over reliefTurn, so that a turn is met
// at 1. The two read the same turn with their own errors: the landmarks
// saturate on small or turned faces and read 40–100 % of a turn, the
// relief reads a deeper or flatter head than the mean as more or less,
// and a flat tilted picture, whose landmarks move as a turned head's,
// has no relief. A frame the relief track misses (NaN) counts by its
// landmarks alone; with no relief for either start frame, or for no
// later frame, the landmarks decide alone (turnToward over challengeTurn).
func bothTrack(lms []*Landmarks, y []float64, c Challenge) []float64 {
	sign := 1.0
	if c == ChallengeTurnLeft {
		sign = -1
	}
	use := len(y) == len(lms) && len(y) >= 3 && !math.IsNaN(y[0]) && !math.IsNaN(y[1]) &&
		slices.ContainsFunc(y[2:], func(x float64) bool { return !math.IsNaN(x) })
	v := make([]float64, len(lms))
	for i, lm := range lms {
		v[i] = sign * turnYaw(lm) / challengeTurn
		if use && !math.IsNaN(y[i]) {
			v[i] = (v[i] + sign*y[i]/reliefTurn) / 2
		}
	}
	return v
}

// turnMet reports whether a turn read toward the asked side and away
// from it (turnFromStart over bothTrack) meets the challenge: a turn of at
// least 1, not outdone by a turn the other way (under 0.6 of it).
func turnMet(toward, away float64) bool {
	return toward >= 1 && away < 0.6*toward
}

// twoStepTurn judges a two-step turn on the per-frame yaw v (bothTrack
// towards the first side asked; time order): the first turn and the
// second, the other way, each from the start as turnFromStart measures
// it (up from the larger of the first two frames, down from the
// smaller). The challenge is met at a frame p whose first turn, v[p]
// above the start, is at least 1 and not outdone by a turn the other
// way before it (under 0.6 of it, as turnMet), and after which the
// track goes below the start by at least challengeSecondTurn: the
// second turn comes after the first, and crosses back past where the
// head started. first is the largest first turn so ordered; second the
// largest second turn after a frame that meets the first (after the
// largest first turn when none does).
func twoStepTurn(v []float64) (first, second float64, met bool) {
	if len(v) < 3 {
		return 0, 0, false
	}
	hi, lo := math.Max(v[0], v[1]), math.Min(v[0], v[1])
	// below[i] is the furthest below the start from frame i on.
	below := make([]float64, len(v)+1)
	for i := len(v) - 1; i >= 2; i-- {
		below[i] = math.Max(below[i+1], lo-v[i])
	}
	awayBefore, atBest := 0.0, 0.0
	for p := 2; p < len(v); p++ {
		f := v[p] - hi
		if f > 0 && awayBefore < 0.6*f {
			after := below[p+1]
			if f > first {
				first, atBest = f, after
			}
			if f >= 1 {
				second = math.Max(second, after)
				met = met || after >= challengeSecondTurn
			}
		}
		awayBefore = math.Max(awayBefore, lo-v[p])
	}
	if first < 1 {
		second = atBest
	}
	return first, second, met
}

// challengeSecondTurn is how far below its start (in bothTrack's units,
// 1 being a turn's challengeTurn, about 20°) a two-step turn's second
// turn must go: half a turn, about 10° past where the head started. A
// head swaying on its own, recorded, meets the first turn only from near
// the low end of its sway, and its sway's return is bounded by that low
// end: going half a turn past it takes a swing of 1.5 turns (about 30°),
// which the second turn of a live head asked for it (25–42° past the
// start) makes with room to spare.
const challengeSecondTurn = 0.5

// earlyTurn is how far the per-frame yaw v (bothTrack; time order,
// sampled at fps, positive towards the asked side) already rises towards
// the asked side within its first earlyTurnSeconds: the largest rise
// from a frame to a later one among those frames; a move the other way
// does not count. A recording of a head swaying naturally, made before
// the instruction was known, reads as the turn when it starts at one end
// of its sway, and its swing is under way from the first frame. It is
// reported (liveness_challenge_turn_early), not decided on: a rule on it
// was merged and taken back out (docs/face.md, "Turn challenge: a sway
// under way from the start"). 0 for a track of fewer than twice those
// frames.
func earlyTurn(v []float64, fps float64) float64 {
	n := int(math.Round(fps*earlyTurnSeconds)) + 1
	if n < 2 || len(v) < 2*n {
		return 0
	}
	rise, lo := 0.0, v[0]
	for _, x := range v[1:n] {
		rise = math.Max(rise, x-lo)
		lo = math.Min(lo, x)
	}
	return rise
}

// earlyTurnSeconds is the start of the video that earlyTurn reads: its
// first frames up to 0.75 s at the sampling rate (four at the default
// SampleFPS; the track's first frames, which are later ones when the
// face was not found in some).
const earlyTurnSeconds = 0.75

// reliefTrackOf is reliefTurnTrack over the challenge's track, from its
// pairs' fits (trackShifts; those liveness kept, l.track, when it judged
// the same track). NaN for every frame but the first when nothing could
// be fitted.
func reliefTrackOf(track []*faceInfo, l *Liveness) []float64 {
	if l != nil && l.track != nil && l.trackLen == len(track) {
		return reliefTurnTrack(len(track), l.track, chipSize)
	}
	return reliefTurnTrack(len(track), trackShifts(track, l), chipSize)
}

// trackShifts is the depth cue's pair fits (textureDepthShifts) over the
// challenge's track, in its indices: liveness's own (l.shifts) where both
// frames were judged by it, and the same fit run here for the pairs with
// a frame it did not judge (followed through a lost detection, or failing
// a quality gate: often the frames nearest profile).
func trackShifts(track []*faceInfo, l *Liveness) []pairShift {
	n := len(track)
	at := make(map[*faceInfo]int, n) // track index of a frame
	for i, fi := range track {
		at[fi] = i
	}
	inL := make([]bool, n)
	var shifts []pairShift
	if l != nil {
		for _, fi := range l.frames {
			if i, ok := at[fi]; ok {
				inL[i] = true
			}
		}
		for _, s := range l.shifts {
			if s.i >= len(l.frames) || s.j >= len(l.frames) {
				continue
			}
			i, oki := at[l.frames[s.i]]
			j, okj := at[l.frames[s.j]]
			if !oki || !okj {
				continue
			}
			if i > j {
				i, j = j, i
				s.v = [2]float64{-s.v[0], -s.v[1]}
			}
			s.i, s.j = i, j
			shifts = append(shifts, s)
		}
	}
	lms := make([]*Landmarks, n)
	for i, fi := range track {
		lms[i] = chipLandmarks(&fi.LM, chipSize)
	}
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			if inL[i] && inL[j] {
				continue
			}
			_, _, sh := textureDepthShifts([][]uint8{track[i].gray, track[j].gray}, []*Landmarks{lms[i], lms[j]}, chipSize)
			for _, s := range sh {
				s.i, s.j = i, j
				shifts = append(shifts, s)
			}
		}
	}
	return shifts
}

// trackDepth is the depth cue (robustMedianResidual of what the relief
// explains) over the n frames of a challenge's track, from its pairs'
// fits (trackShifts), each frame judged by its pairs with the frames
// near it in the track (pairDepth, trackDepthReach); pairs left out of
// the depth cue (NaN) and pairs not fitted count as left out.
func trackDepth(n int, shifts []pairShift) float64 {
	return pairDepth(n, shifts, trackDepthReach)
}

// trackDepthReach is how near in the track two frames must be for their
// pair to count towards trackDepth: each frame is judged by its judged
// pairs (not left out at depthMaxPlane) with the 2·trackDepthReach
// frames nearest it in the track that have one, and left out with fewer
// than 2·trackDepthReach − 1 such pairs. A turn is a few frames of
// motion between frames at rest: the pairs at rest have nothing for the
// relief to explain, and across the whole turn (30–42°) the mean head's
// one shift explains a few thousandths of a residual of 0.6–0.7 (the
// real head is not the mean head, its far cheek hides; no other shift
// explains more), so a frame's median over every other frame read a
// still head while its neighbours, 5–15° apart, showed the relief
// plainly (0.02–0.10; docs/face.md, "Turn challenge: the depth read
// between neighbouring frames"). Four pairs per frame, also at the
// track's ends and where pairs are left out, so that one pair a fit got
// wrong does not decide a frame's median.
const trackDepthReach = 2

// pairDepth is robustMedianResidual of the pairs' explained residuals
// over n frames, each frame's median taken over its judged pairs with
// the 2·reach nearest frames that have one, a frame with fewer than
// 2·reach − 1 left out (2·reach ≥ n−1: every pair, as the depth cue).
func pairDepth(n int, shifts []pairShift, reach int) float64 {
	ex := make([][]float64, n)
	for i := range ex {
		ex[i] = make([]float64, n)
		for j := range ex[i] {
			ex[i][j] = math.NaN()
		}
	}
	for _, s := range shifts {
		if s.i >= 0 && s.j >= 0 && s.i < n && s.j < n && s.i != s.j {
			ex[s.i][s.j], ex[s.j][s.i] = s.explained, s.explained
		}
	}
	want := 2 * reach
	var m, others []float64
	for i := 0; i < n; i++ {
		// The nearest frames first (the earlier of two as near), up
		// to want judged pairs.
		others = others[:0]
		for d := 1; d < n && len(others) < want; d++ {
			for _, j := range [2]int{i - d, i + d} {
				if j >= 0 && j < n && len(others) < want && !math.IsNaN(ex[i][j]) {
					others = append(others, ex[i][j])
				}
			}
		}
		// A frame with fewer judged pairs than that, less one, is
		// left out: its median would be one pair's.
		if len(others) > 0 && (want >= n-1 || len(others) >= want-1) {
			m = append(m, median(others))
		}
	}
	return secondLargest(m)
}
