package face

import (
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

// frameFace decodes the test photo name as a video frame (img, its
// own copy of the pixels) and finds its face as a frame's is found.
func frameFace(t *testing.T, e *Engine, ws *workspace, name string) (rgbImage, faceInfo) {
	t.Helper()
	if err := decodeImage(readPhoto(t, name), 40e6, &ws.img); err != nil {
		t.Fatal(err)
	}
	img := ws.img
	img.Pix = append([]uint8(nil), ws.img.Pix...)
	fi := e.analyzeVideoFrame(ws, &img, nil)
	if !fi.Found {
		t.Fatalf("no face in %s", name)
	}
	return img, fi
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
	img, fi := frameFace(t, e, ws, "face.jpg")
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
