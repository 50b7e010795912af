package face

import (
	"image"
	"math"
	"testing"
)

// TestFollowRadius: under a turn challenge a face followed through a lost
// detection may be as far from the frame before it as the video's
// same-person radius; under a blink, half of it as before.
func TestFollowRadius(t *testing.T) {
	for _, c := range []struct {
		c    Challenge
		want float64
	}{
		{ChallengeTurnLeft, identitySpreadMax},
		{ChallengeTurnRight, identitySpreadMax},
		{ChallengeBlink, identitySpreadMax / 2},
		{NoChallenge, identitySpreadMax / 2},
	} {
		if got := followRadius(c.c); got != c.want {
			t.Errorf("%q: %v, want %v", c.c, got, c.want)
		}
	}
}

// TestFollowTurnedFace follows a real face (face.jpg) from a previous
// frame whose descriptor lies 0.45 from the face's own, as a head turned
// towards profile reads against its frame before: within the turn's
// radius it is followed, within the blink's it is not; at 0.7 (beyond
// the same-person radius) neither follows it.
func TestFollowTurnedFace(t *testing.T) {
	e := testEngine(t, Options{})
	ws := e.get()
	defer e.put(ws)
	if err := decodeImage(readPhoto(t, "face.jpg"), 40e6, &ws.img); err != nil {
		t.Fatal(err)
	}
	img := ws.img
	img.Pix = append([]uint8(nil), ws.img.Pix...)
	fi := e.analyzeVideoFrame(ws, &img, nil)
	if !fi.Found {
		t.Fatal("no face in face.jpg")
	}
	self := e.trackFace(ws, &img, &fi, 0)
	if !self.Found {
		t.Fatal("the face itself was not followed")
	}
	for _, c := range []struct {
		dist       float64
		turn, blnk bool
	}{{0.45, true, false}, {0.7, false, false}} {
		prev := fi
		prev.Desc = self.Desc
		// Move the descriptor by dist along its first axis.
		prev.Desc[0] += float32(c.dist)
		got := distance(prev.Desc[:], self.Desc[:])
		if math.Abs(got-c.dist) > 1e-6 {
			t.Fatalf("moved by %v, want %v", got, c.dist)
		}
		if f := e.trackFace(ws, &img, &prev, followRadius(ChallengeTurnLeft)); f.Found != c.turn || (f.Found && f.tracked != 1) {
			t.Errorf("%.2f: turn followed %v (tracked %d), want %v", c.dist, f.Found, f.tracked, c.turn)
		}
		if f := e.trackFace(ws, &img, &prev, followRadius(ChallengeBlink)); f.Found != c.blnk {
			t.Errorf("%.2f: blink followed %v, want %v", c.dist, f.Found, c.blnk)
		}
	}
}

// TestTrackDepthJudged: under a turn challenge the depth rule judges the
// larger of liveness's depth cue and the track's (TrackDepth): a track
// depth at or above ReviewDepth passes a video whose liveness frames
// read under MinDepth, one in [MinDepth, ReviewDepth) sends it to review,
// one under MinDepth fails it; it never waives the texture floor.
func TestTrackDepthJudged(t *testing.T) {
	var o Options
	o.defaults()
	head := func(texture, depth, track float64) *Liveness {
		l := movingHead(texture, depth)
		l.TrackDepth = track
		return l
	}
	for _, c := range []struct {
		name           string
		l              *Liveness
		live, doubtful bool
	}{
		{"track depth clear", head(0.5, 0.005, 0.03), true, false},
		{"track depth in the band", head(0.5, 0.005, 0.015), true, true},
		{"track depth low too", head(0.5, 0.005, 0.008), false, false},
		{"no track (no turn challenge)", head(0.5, 0.005, 0), false, false},
		{"frames' depth clear, track lower", head(0.5, 0.03, 0.005), true, false},
		{"texture under MinTexture, track depth clear", head(0.2, 0.005, 0.05), false, false},
	} {
		o.judge(c.l, 5)
		if c.l.Live != c.live || c.l.Doubtful() != c.doubtful {
			t.Errorf("%s: live %v doubtful %v (failed %v), want %v %v", c.name, c.l.Live, c.l.Doubtful(), c.l.Failed, c.live, c.doubtful)
		}
	}
}

// TestTrackDepthChips: a head turning 36° whose turn frames liveness did
// not judge (only the rest frames and the last) has its relief read over
// the challenge's whole track; a flat picture tilted as far has none in
// any frame. Over a track liveness judged whole, its pairs are the depth
// cue's own (every pair gives the cue's figure).
func TestTrackDepthChips(t *testing.T) {
	xy, z := meanHead(200)
	half := reliefHalfWidth(chipSize)
	deg := math.Pi / 180
	yaws := []float64{0, 1, 4, 14, 28, 36, 30, 12}
	var head, tilted []*faceInfo
	for k, y := range yaws {
		gray := turnChips(identity, half*(math.Sin(y*deg)-math.Sin(yaws[0]*deg)))[0]
		head = append(head, &faceInfo{Found: true, LM: *turned(xy, z, 200, 0.35*y*deg), gray: gray})
		s := 1 - 0.35*y/36
		w := tiltWarp(s, 0.04*y/36, 0.3*float64(k), 0)
		tilted = append(tilted, &faceInfo{Found: true, LM: *turned(xy, z, 200, y*deg), gray: texturedChip(chipSize, homog(inverse3(w)))})
	}
	depthOf := func(track []*faceInfo) (float64, []pairShift) {
		chips := make([][]uint8, len(track))
		lms := make([]*Landmarks, len(track))
		for i, fi := range track {
			chips[i], lms[i] = fi.gray, chipLandmarks(&fi.LM, chipSize)
		}
		_, d, sh := textureDepthShifts(chips, lms, chipSize)
		return d, sh
	}
	for _, c := range []struct {
		name  string
		track []*faceInfo
		head  bool
	}{{"a 36° turn", head, true}, {"a flat picture tilted", tilted, false}} {
		judged := []*faceInfo{c.track[0], c.track[1], c.track[2], c.track[7]}
		l := &Liveness{frames: judged}
		chips := make([][]uint8, len(judged))
		lms := make([]*Landmarks, len(judged))
		for i, fi := range judged {
			chips[i], lms[i] = fi.gray, chipLandmarks(&fi.LM, chipSize)
		}
		_, l.Depth, l.shifts = textureDepthShifts(chips, lms, chipSize)
		td := trackDepth(len(c.track), trackShifts(c.track, l))
		t.Logf("%s: liveness's frames %.4f, the track %.4f", c.name, l.Depth, td)
		if c.head && (td < 0.02 || td <= l.Depth) {
			t.Errorf("%s: track depth %.4f (frames %.4f), want ≥ 0.02 and above the frames'", c.name, td, l.Depth)
		}
		if !c.head && td >= 0.005 {
			t.Errorf("%s: track depth %.4f, want < 0.005", c.name, td)
		}
		// With no liveness fits the track's pairs are the depth cue's
		// own over the track: every pair gives the cue's figure, the
		// neighbours' pairs trackDepth's.
		d, sh := depthOf(c.track)
		if all := pairDepth(len(c.track), trackShifts(c.track, &Liveness{}), len(c.track)); math.Abs(all-d) > 1e-12 {
			t.Errorf("%s: every pair of the track with no liveness fits %.6f, the depth cue over the track %.6f", c.name, all, d)
		}
		if near, want := trackDepth(len(c.track), trackShifts(c.track, &Liveness{})), pairDepth(len(c.track), sh, trackDepthReach); math.Abs(near-want) > 1e-12 {
			t.Errorf("%s: track depth with no liveness fits %.6f, the depth cue's pairs over the track %.6f", c.name, near, want)
		}
	}
}

// TestFollowBox: the box moves by the landmarks' mean move from the
// frame before, within the picture; a move under followMinMove of the
// box's width leaves it where it was.
func TestFollowBox(t *testing.T) {
	var prev faceInfo
	prev.Det = Detection{X: 100, Y: 80, W: 200, H: 220}
	prev.Det.Box = image.Rect(100, 80, 300, 300)
	for k := range prev.LM {
		prev.LM[k] = Point{150 + float64(k%9)*10, 140 + float64(k/9)*12}
	}
	moved := func(dx, dy float64) *Landmarks {
		lm := prev.LM
		for k := range lm {
			lm[k].X += dx
			lm[k].Y += dy
		}
		return &lm
	}
	d, ok := followBox(&prev, moved(30, -12), 640, 480)
	if !ok || math.Abs(d.X-130) > 1e-9 || math.Abs(d.Y-68) > 1e-9 || d.W != 200 || d.H != 220 || d.Box != image.Rect(130, 68, 330, 288) {
		t.Errorf("moved by (30, -12): %+v moved %v, want the box at (130, 68) 200×220", d, ok)
	}
	if d, ok := followBox(&prev, moved(1, 1), 640, 480); ok || d != prev.Det {
		t.Errorf("moved by (1, 1): %+v moved %v, want prev's box kept", d, ok)
	}
	if d, _ := followBox(&prev, moved(-150, 0), 640, 480); d.Box != image.Rect(0, 80, 150, 300) {
		t.Errorf("moved past the left edge: box %v, want it cut at 0", d.Box)
	}
}

// TestTrackFaceRecentred: a real face (face.jpg) followed from a frame
// before in which it stood a quarter of its box's width to the side (the
// head moved across the picture while the detector lost it). In that
// stale box the landmarks are drawn towards the box's middle; moved with
// them (followBox) and found again, they are within 1 % of the box's
// width of where the detector's own box puts them.
func TestTrackFaceRecentred(t *testing.T) {
	e := testEngine(t, Options{})
	ws := e.get()
	defer e.put(ws)
	if err := decodeImage(readPhoto(t, "face.jpg"), 40e6, &ws.img); err != nil {
		t.Fatal(err)
	}
	img := ws.img
	img.Pix = append([]uint8(nil), ws.img.Pix...)
	fi := e.analyzeVideoFrame(ws, &img, nil)
	if !fi.Found {
		t.Fatal("no face in face.jpg")
	}
	meanErr := func(lm *Landmarks) float64 {
		s := 0.0
		for k := range lm {
			s += math.Hypot(lm[k].X-fi.LM[k].X, lm[k].Y-fi.LM[k].Y)
		}
		return s / float64(len(lm)) / fi.Det.W
	}
	for _, side := range []float64{-0.25, 0.25} {
		prev := fi
		dx := side * fi.Det.W
		prev.Det.X += dx
		prev.Det.Box = prev.Det.Box.Add(image.Pt(int(math.Round(dx)), 0))
		for k := range prev.LM {
			prev.LM[k].X += dx
		}
		stale := e.describe(ws, &img, []Detection{prev.Det}, true)
		got := e.trackFace(ws, &img, &prev, followRadius(ChallengeTurnLeft))
		if !got.Found {
			t.Fatalf("%+.2f: not followed", side)
		}
		t.Logf("%+.2f of the box: landmarks off by %.4f of its width in the stale box, %.4f followed", side, meanErr(&stale.LM), meanErr(&got.LM))
		if m := meanErr(&got.LM); m > 0.01 {
			t.Errorf("%+.2f of the box: followed landmarks off by %.4f of the box's width, want ≤ 0.01 (%.4f in the stale box)", side, m, meanErr(&stale.LM))
		}
	}
}
