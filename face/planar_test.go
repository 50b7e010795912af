package face

import (
	"context"
	"image"
	_ "image/jpeg"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/kycq/kycq/internal/eval/headmotion"
	"github.com/kycq/kycq/kyc/reason"
)

// meanHead returns the template's landmarks (chip coordinates scaled by
// side) with a depth for each: the nose stands out by up to 0.4 of the
// face's half width, the rest lies on a shallow ellipsoid.
func meanHead(side float64) (xy [68]Point, z [68]float64) {
	for i := 17; i < 68; i++ {
		x, y := templatePoint(i, 150)
		xy[i] = Point{x * side / 150, y * side / 150}
	}
	// The jaw is not in the template: put it on an arc below the eyes.
	for i := 0; i < 17; i++ {
		a := math.Pi * float64(i) / 16
		xy[i] = Point{side/2 - 0.4*side*math.Cos(a), 0.45*side + 0.4*side*math.Sin(a)}
	}
	half := 0.4 * side
	for i := range xy {
		dx := (xy[i].X - side/2) / half
		z[i] = 0.7 * half * math.Sqrt(math.Max(0, 1-dx*dx))
		if i >= 27 && i <= 35 {
			z[i] += 0.4 * half
		}
	}
	return xy, z
}

// turned projects the head turned by yaw radians about the vertical axis
// through the face's centre (orthographic).
func turned(xy [68]Point, z [68]float64, side, yaw float64) *Landmarks {
	var lm Landmarks
	for i := range xy {
		dx := xy[i].X - side/2
		lm[i] = Point{side/2 + dx*math.Cos(yaw) + z[i]*math.Sin(yaw), xy[i].Y}
	}
	return &lm
}

// mapped applies a homography (row-major, h[8] = 1) to every landmark.
func mapped(lm *Landmarks, h [9]float64) *Landmarks {
	var out Landmarks
	for i, p := range lm {
		w := h[6]*p.X + h[7]*p.Y + h[8]
		out[i] = Point{(h[0]*p.X + h[1]*p.Y + h[2]) / w, (h[3]*p.X + h[4]*p.Y + h[5]) / w}
	}
	return &out
}

func TestHomographyResidual(t *testing.T) {
	xy, z := meanHead(200)
	front := turned(xy, z, 200, 0)
	tilt := [9]float64{1.05, 0.08, -12, -0.05, 0.97, 9, 0.0004, -0.0003, 1}
	for _, c := range []struct {
		name     string
		a, b     *Landmarks
		min, max float64 // pixels
	}{
		{"the same landmarks", front, front, 0, 1e-6},
		{"a flat picture tilted and moved (a homography)", front, mapped(front, tilt), 0, 1e-6},
		{"the same picture shifted", front, mapped(front, [9]float64{1, 0, 30, 0, 1, -20, 0, 0, 1}), 0, 1e-6},
		{"the head turned 15°", front, turned(xy, z, 200, 15*math.Pi/180), 2, math.Inf(1)},
		{"the head turned 15° then tilted as a picture", front, mapped(turned(xy, z, 200, 15*math.Pi/180), tilt), 2, math.Inf(1)},
	} {
		if r := homographyResidual(c.a, c.b); r < c.min || r > c.max {
			t.Errorf("%s: residual %.4g px, want in [%g, %g]", c.name, r, c.min, c.max)
		}
	}
	var flat Landmarks // all points in one place: no fit, no residual
	if r := homographyResidual(&flat, &flat); r != 0 {
		t.Errorf("degenerate landmarks: residual %v, want 0", r)
	}
}

func TestParallax(t *testing.T) {
	xy, z := meanHead(200)
	front := turned(xy, z, 200, 0)
	eye := math.Hypot(front[42].X-front[39].X, front[42].Y-front[39].Y) * 1.5
	eyes := []float64{eye, eye, eye, eye}
	var head, picture []*Landmarks
	for k, yaw := range []float64{-12, -4, 5, 13} {
		head = append(head, turned(xy, z, 200, yaw*math.Pi/180))
		s := 1 + 0.03*float64(k)
		picture = append(picture, mapped(front, [9]float64{s, 0.02 * float64(k), 8 * float64(k), 0, s, -5 * float64(k), 0.0002 * float64(k), 0, 1}))
	}
	if p := parallax(picture, eyes); p > 1e-6 {
		t.Errorf("a picture moved as a plane: parallax %.4g, want ~0", p)
	}
	if p := parallax(head, eyes); p < DefaultMinParallax {
		t.Errorf("a head turning ±12°: parallax %.4g, want ≥ %v", p, DefaultMinParallax)
	}
	if p := parallax(head[:1], eyes[:1]); p != 0 {
		t.Errorf("one frame: parallax %v, want 0", p)
	}
}

func TestTurnToward(t *testing.T) {
	xy, z := meanHead(200)
	track := func(degs ...float64) []*Landmarks {
		var out []*Landmarks
		for _, d := range degs {
			out = append(out, turned(xy, z, 200, d*math.Pi/180))
		}
		return out
	}
	for _, c := range []struct {
		name                        string
		track                       []*Landmarks
		rightMin, rightMax, leftMax float64
	}{
		{"still", track(0, 0, 0), 0, 1e-9, 1e-9},
		{"a clear turn to the image's right", track(0, 0, 10, 30, 10), challengeTurn, math.Inf(1), 1e-9},
		{"a small sway", track(0, 5, -5, 3), 0, challengeTurn, challengeTurn},
		{"one frame", track(30), 0, 0, 0},
		{"two frames", track(0, 30), 0, 0, 0},
	} {
		right, _ := turnToward(c.track, ChallengeTurnRight)
		left, _ := turnToward(c.track, ChallengeTurnLeft)
		if right < c.rightMin || right > c.rightMax || left > c.leftMax {
			t.Errorf("%s: right %.3f left %.3f, want right in [%v, %v], left ≤ %v", c.name, right, left, c.rightMin, c.rightMax, c.leftMax)
		}
	}
}

// TestTurnFromStart: literal tracks of a measure (positive towards the
// asked side), how far each goes above and below its start.
func TestTurnFromStart(t *testing.T) {
	sway := func(amp float64, n int) []float64 { // from its end -amp, half a period over n frames
		v := make([]float64, n)
		for i := range v {
			v[i] = -amp * math.Cos(math.Pi*float64(i)/float64(n-1))
		}
		return v
	}
	for _, c := range []struct {
		name         string
		v            []float64
		toward, away float64 // ±1e-9
	}{
		{"still", []float64{0.1, 0.1, 0.1, 0.1}, 0, 0},
		{"rest, turn and back", []float64{0, 0.02, -0.01, 0, 0.2, 0.5, 0.6, 0.4, 0.1}, 0.58, 0.01},
		// The start is the larger of the first two frames: a first frame
		// misread 0.35 the other way is not where the turn is measured from.
		{"a still head whose first frame is misread", []float64{-0.35, 0, 0.02, 0, 0.01, 0}, 0.02, 0},
		// Misread the asked way, it raises the start the turn is measured
		// from (the turn reads smaller, an error towards refusing), but
		// not the start the other way is measured from (the smaller of
		// the two frames).
		{"a first frame misread the asked way", []float64{0.35, 0, 0.02, 0, 0.3, 0.5}, 0.15, 0},
		// A track that begins while the head is already turning the asked
		// way (its first frames lost): the head returns to where it was
		// at the first frame, which is no turn the other way; measured
		// from the second frame, it read 0.8, past 0.6 of the turn.
		{"begun mid-turn, back to where it was", []float64{-0.6, 0, 0.4, 0.8, 1.2, 0.9, 0.2, -0.8}, 1.2, 0.2},
		{"two start frames that agree, a rocking track", []float64{0, 0, 0.6, 0, -0.6, 0, 0.6}, 0.6, 0.6},
		{"the other turn", []float64{0, 0, -0.2, -0.5, -0.5, -0.2, 0}, 0, 0.5},
		{"resting turned, turning on", []float64{0.8, 0.78, 0.8, 0.79, 1.1, 1.4, 1.2}, 0.6, 0},
		// A sway that starts at one end goes its whole swing (less what
		// the second frame has already swung) the other way, as a turn
		// from a rest would: the track alone cannot tell them apart.
		{"a sway from one end", sway(0.2, 9), 0.2 + 0.2*math.Cos(math.Pi/8), 0},
		{"one frame at the top", []float64{0, 0, 0, 0.5, 0, 0}, 0.5, 0},
		{"too short", []float64{0, 1}, 0, 0},
	} {
		toward, away := turnFromStart(c.v)
		if math.Abs(toward-c.toward) > 1e-9 || math.Abs(away-c.away) > 1e-9 {
			t.Errorf("%s: toward %.4f away %.4f, want %.4f %.4f", c.name, toward, away, c.toward, c.away)
		}
	}
}

// yawTrack is the mean head (meanHead at 200 px) turned by each of degs
// (degrees; negative: the image's left), one found face a frame.
func yawTrack(degs ...float64) []*faceInfo {
	xy, z := meanHead(200)
	var out []*faceInfo
	for _, d := range degs {
		out = append(out, &faceInfo{Found: true, LM: *turned(xy, z, 200, d*math.Pi/180)})
	}
	return out
}

// TestTurnChallengeTracks: the turn challenge judged on the mean head
// turned by known yaws (degrees, 4 frames a second): the rest, with a
// degree of wobble, then the turn.
func TestTurnChallengeTracks(t *testing.T) {
	track := yawTrack
	for _, c := range []struct {
		name        string
		track       []*faceInfo
		right, left bool // met under turn_right, turn_left
	}{
		{"frontal, a 35° turn to the right and back", track(0, 1, -1, 0, 12, 28, 35, 30, 15, 2), true, false},
		{"resting turned 20°, turning 35° further", track(20, 21, 19, 20, 30, 45, 55, 50, 35, 22), true, false},
		{"the same to the left", track(-20, -21, -19, -20, -30, -45, -55, -50, -35, -22), false, true},
		{"resting turned 20° to the right, turning 35° to the left", track(20, 21, 19, 20, 10, -5, -15, -10, 5, 18), false, true},
		{"a small sway from one end (±5°)", track(-5, -4, -2, 0, 2, 4, 5, 4, 2, 0), false, false},
		{"still, the first frame misread 20° to the left", track(-20, 0, 1, 0, -1, 0, 1, 0), false, false},
		// Resting turned 26° to the left, the track begins as the head
		// turns 48° to the right (the rest's frames lost) and comes back
		// to its rest: measured from the second frame (-8°), the return
		// read as a turn to the left of 0.6 of the turn and refused it.
		{"begun mid-turn, 48° right and back to a rest at -26°", track(-20, -8, 4, 16, 22, 14, 0, -14, -26), true, false},
	} {
		for _, ch := range []Challenge{ChallengeTurnRight, ChallengeTurnLeft} {
			var l Liveness
			scores := map[string]float64{}
			met := verifyChallenge(ch, c.track, 4, &l, scores)
			want := c.right
			if ch == ChallengeTurnLeft {
				want = c.left
			}
			if met != want || l.ChallengeMet != met || scores["liveness_challenge_met"] != b2f(met) {
				t.Errorf("%s, %s: met %v (turn %.3f), want %v", c.name, ch, met, scores["liveness_challenge_turn"], want)
			}
		}
	}
}

// yawed is a face whose yaw is y by construction: the jaw ends at (0, 0)
// and (2, 0), the nose tip at 1+y along the jaw line, below it.
func yawed(y float64) *Landmarks {
	var lm Landmarks
	lm[16] = Point{2, 0}
	lm[30] = Point{1 + y, 0.5}
	return &lm
}

// TestTurnYaw: turnYaw is yaw near frontal and keeps growing towards
// profile, where yaw flattens: a head resting at yaw 0.66 that turns on
// to 0.80 (kycq's landmarks on a rendered head turning 30° further) has
// turned by atanh(0.80) − atanh(0.66) ≈ 0.306, past challengeTurn, where
// yaw's difference, 0.14, is not; a sway from frontal to 0.25 stays under.
func TestTurnYaw(t *testing.T) {
	for _, c := range []struct {
		name        string
		ys          []float64
		right, left float64 // turnToward, ±0.001
	}{
		{"frontal", []float64{0, 0, 0}, 0, 0},
		{"a sway from frontal", []float64{0, 0, 0.25, -0.1}, 0.2554, 0.1003},
		{"a turned head turning on", []float64{0.66, 0.66, 0.75, 0.80, 0.70}, 0.3059, 0},
		{"the same to the left", []float64{-0.66, -0.66, -0.75, -0.80, -0.70}, 0, 0.3059},
		{"a nose past the jaw end", []float64{0, 0, 1.5}, math.Atanh(turnYawMax), 0},
	} {
		var track []*Landmarks
		for _, y := range c.ys {
			track = append(track, yawed(y))
		}
		right, _ := turnToward(track, ChallengeTurnRight)
		left, _ := turnToward(track, ChallengeTurnLeft)
		if math.Abs(right-c.right) > 0.001 || math.Abs(left-c.left) > 0.001 {
			t.Errorf("%s: right %.4f left %.4f, want %.4f %.4f", c.name, right, left, c.right, c.left)
		}
	}
	if y := turnYaw(yawed(0.3)); y < 0.3 || y > 0.3*1.04 {
		t.Errorf("turnYaw at yaw 0.3: %.4f, want within 4 %% above", y)
	}
}

func TestChallengeValid(t *testing.T) {
	for _, c := range []struct {
		c  Challenge
		ok bool
	}{{NoChallenge, true}, {ChallengeTurnLeft, true}, {ChallengeTurnRight, true}, {ChallengeBlink, true}, {"wink", false}, {"TURN_LEFT", false}} {
		if c.c.Valid() != c.ok {
			t.Errorf("Challenge(%q).Valid() = %v, want %v", c.c, !c.ok, c.ok)
		}
	}
}

// headVideo renders a selfie video of the photo's head turning in 3D.
func headVideo(t testing.TB, e *Engine, photo string, m headmotion.Motion, seed int64) string {
	t.Helper()
	f, err := os.Open(filepath.Join(photoDir(), photo))
	if err != nil {
		t.Skipf("face photos missing (scripts/setup.d/40-face-photos.sh fetches them): %v", err)
	}
	img, _, err := image.Decode(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	lm, found, err := e.FindLandmarks(img)
	if err != nil || !found {
		t.Fatalf("landmarks of %s: found=%v err=%v", photo, found, err)
	}
	var pts [68][2]float64
	for i, p := range lm {
		pts[i] = [2]float64{p.X, p.Y}
	}
	data, err := headmotion.Video(context.Background(), "ffmpeg", img, pts, headmotion.Spec{Motion: m, Seed: seed, Vary: headmotion.Plain()})
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "head.mp4")
	if err := os.WriteFile(out, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestLivenessPlanarAndChallenge(t *testing.T) {
	needFFmpeg(t)
	e := testEngine(t, Options{})
	ctx := context.Background()
	doc := readPhoto(t, "face-detect.jpg")

	live := headVideo(t, e, "face.jpg", headmotion.Natural, 1)
	res, err := e.MatchVideo(ctx, doc, live)
	if err != nil {
		t.Fatal(err)
	}
	if !res.OK || res.Liveness == nil || !res.Liveness.Live || len(res.Liveness.Failed) != 0 {
		t.Fatalf("a head turning: ok=%v reasons=%v liveness=%+v", res.OK, res.Reasons, res.Liveness)
	}
	if res.Scores["liveness_parallax"] < DefaultMinParallax {
		t.Errorf("a head turning: parallax %v below %v", res.Scores["liveness_parallax"], DefaultMinParallax)
	}

	replay := makeVideo(t, "face.jpg", zoom, 3)
	res, err = e.MatchVideo(ctx, doc, replay)
	if err != nil {
		t.Fatal(err)
	}
	if res.OK || !hasReason(res, reason.LivenessFailed) || res.Liveness == nil ||
		!slices.Equal(res.Liveness.Failed, []string{SignalPlanarMotion}) || res.Scores["liveness_signal_planar_motion"] != 1 {
		t.Errorf("a still photo panned and zoomed: ok=%v reasons=%v liveness=%+v", res.OK, res.Reasons, res.Liveness)
	}

	still := makeVideo(t, "face.jpg", "scale=480:-2", 3)
	res, err = e.MatchVideo(ctx, doc, still)
	if err != nil {
		t.Fatal(err)
	}
	if res.Liveness == nil || !slices.Equal(res.Liveness.Failed, []string{SignalNoMovement}) {
		t.Errorf("a still picture as video: reasons=%v liveness=%+v", res.Reasons, res.Liveness)
	}

	left := headVideo(t, e, "face.jpg", headmotion.TurnLeft, 2)
	blink := headVideo(t, e, "face.jpg", headmotion.Blink, 3)
	for _, c := range []struct {
		name  string
		video string
		ch    Challenge
		met   bool
	}{
		{"turn left, asked left", left, ChallengeTurnLeft, true},
		{"turn left, asked right", left, ChallengeTurnRight, false},
		{"no turn, asked left", live, ChallengeTurnLeft, false},
		{"a replay, asked left", replay, ChallengeTurnLeft, false},
		{"a blink, asked to blink", blink, ChallengeBlink, true},
		{"a blink, asked left", blink, ChallengeTurnLeft, false},
		{"a replay, asked to blink", replay, ChallengeBlink, false},
		{"a still, asked to blink", still, ChallengeBlink, false},
	} {
		res, err := e.MatchVideoChallenge(ctx, doc, c.video, c.ch)
		if err != nil {
			t.Fatal(err)
		}
		l := res.Liveness
		if l == nil || l.Challenge != c.ch || l.ChallengeMet != c.met || res.Scores["liveness_challenge_met"] != b2f(c.met) {
			t.Errorf("%s: liveness %+v scores %v", c.name, l, res.Scores)
			continue
		}
		failed := slices.Contains(l.Failed, SignalChallenge)
		if failed == c.met || hasReason(res, reason.LivenessFailed) == c.met {
			t.Errorf("%s: met=%v but failed signals %v, reasons %v", c.name, c.met, l.Failed, res.Reasons)
		}
	}
}

// TestRobustMedianResidual: literal residual tables. Six frames of a flat
// picture (0.1 between any two) with one frame read wrongly (0.8 to every
// other): the largest per-frame median is that frame's 0.8, the robust
// score 0.1. Six frames of a head swinging through poses 0..5 (residual
// 0.1 per pose step): the per-frame medians are 0.3, 0.2, 0.2, 0.2, 0.2,
// 0.3, and both ends of the swing keep the robust score at 0.3. Three
// frames: the largest (nothing set aside: the bad frame lifts them all). Fewer than two: 0.
func TestRobustMedianResidual(t *testing.T) {
	bad := func(i, j int) float64 {
		if i == 3 || j == 3 {
			return 0.8
		}
		return 0.1
	}
	swing := func(i, j int) float64 { return 0.1 * math.Abs(float64(i-j)) }
	tests := []struct {
		name          string
		n             int
		resid         func(i, j int) float64
		worst, robust float64
	}{
		{"flat picture, one bad frame", 6, bad, 0.8, 0.1},
		{"head swinging", 6, swing, 0.3, 0.3},
		{"four frames, one bad", 4, bad, 0.8, 0.1},
		{"three frames, one bad", 3, func(i, j int) float64 {
			if i == 0 {
				return 0.8
			}
			return 0.1
		}, 0.8, 0.8},
		{"one frame", 1, swing, 0, 0},
		{"none", 0, swing, 0, 0},
	}
	for _, tt := range tests {
		w, r := worstMedianResidual(tt.n, tt.resid), robustMedianResidual(tt.n, tt.resid)
		if math.Abs(w-tt.worst) > 1e-9 || math.Abs(r-tt.robust) > 1e-9 {
			t.Errorf("%s: worst %.3f robust %.3f, want %.3f and %.3f", tt.name, w, r, tt.worst, tt.robust)
		}
	}
	if m := frameMedianResiduals(6, swing); len(m) != 6 || math.Abs(m[0]-0.3) > 1e-9 || math.Abs(m[2]-0.2) > 1e-9 {
		t.Errorf("per-frame medians of the swing: %v, want 0.3 0.2 0.2 0.2 0.2 0.3", m)
	}
}
