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
