package face

import (
	"math"
	"testing"
)

// eyeLandmarks returns landmarks whose two eyes are 30 px wide with lids
// gap px apart (the rest of the face at the origin).
func eyeLandmarks(gap float64) *Landmarks {
	var lm Landmarks
	for k, x0 := range []float64{100, 160} {
		o := 36 + 6*k
		lm[o] = Point{x0, 100}
		lm[o+1] = Point{x0 + 10, 100 - gap/2}
		lm[o+2] = Point{x0 + 20, 100 - gap/2}
		lm[o+3] = Point{x0 + 30, 100}
		lm[o+4] = Point{x0 + 20, 100 + gap/2}
		lm[o+5] = Point{x0 + 10, 100 + gap/2}
	}
	return &lm
}

func TestEyeAspectRatio(t *testing.T) {
	for _, c := range []struct {
		gap, want float64
	}{{9, 0.3}, {3, 0.1}, {0, 0}} {
		if got := eyeAspectRatio(eyeLandmarks(c.gap)); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("lid gap %v over width 30: EAR %v, want %v", c.gap, got, c.want)
		}
	}
	var flat Landmarks
	if got := eyeAspectRatio(&flat); got != 0 {
		t.Errorf("degenerate eye: %v", got)
	}
}

func TestBriefDip(t *testing.T) {
	for _, c := range []struct {
		name string
		v    []float64
		w    int
		want float64
	}{
		{"a blink that reopens", []float64{1, 1, 1, 0.5, 1, 1}, 2, 0.5},
		{"shut to the end: no reopening", []float64{1, 1, 1, 0.5, 0.5, 0.5}, 2, 0},
		{"shut longer than the window", []float64{1, 0.4, 0.4, 0.4, 0.4, 1}, 1, 0},
		{"the level is the lower side", []float64{1, 0.8, 0.4, 0.5, 0.5}, 1, 0.2},
		{"a slow drift", []float64{1, 0.9, 0.8, 0.7, 0.6, 0.5}, 2, 0},
		{"flat", []float64{0.3, 0.3, 0.3}, 1, 0},
		{"too short", []float64{1, 0}, 1, 0},
	} {
		if got := briefDip(c.v, c.w); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestBlinkMet(t *testing.T) {
	for _, c := range []struct {
		b    Blink
		want bool
	}{
		{Blink{}, false},
		{Blink{EARDrop: blinkEARDrop}, true},
		{Blink{Peak: blinkPeak, Change: blinkChange}, true},
		{Blink{Dark: 0.9, Peak: 10, Change: blinkChange / 2}, false}, // a peak of noise: a still
		{Blink{Peak: blinkPeak / 2, Change: 0.3}, false},             // every frame changes alike
	} {
		if got := c.b.Met(); got != c.want {
			t.Errorf("%+v: Met() = %v, want %v", c.b, got, c.want)
		}
	}
}

// eyeChip is a chip of skin (gray 180) with, when open, a dark iris
// (gray 40, radius r) in the middle of each eye box, and when shut a
// one-pixel lash line (gray 60) across it.
func eyeChip(open bool, r int) []uint8 {
	c := make([]uint8, chipSize*chipSize)
	for i := range c {
		c[i] = 180 + uint8(i*7%5) // a little texture so no patch is flat
	}
	for _, b := range eyeBoxes {
		cx, cy := b.x0+b.w/2, b.y0+b.h/2
		for y := b.y0; y < b.y0+b.h; y++ {
			for x := b.x0; x < b.x0+b.w; x++ {
				dx, dy := x-cx, y-cy
				switch {
				case open && dx*dx+dy*dy <= r*r:
					c[y*chipSize+x] = 40
				case !open && y == cy && dx*dx <= 4*r*r:
					c[y*chipSize+x] = 60
				}
			}
		}
	}
	return c
}

func TestEyeDark(t *testing.T) {
	open, shut := eyeDark(eyeChip(true, 4)), eyeDark(eyeChip(false, 4))
	if open < 0.7 || shut > 0.6*open {
		t.Errorf("open eyes %.3f, shut %.3f: want open ≥ 0.7 and shut well below", open, shut)
	}
	black := make([]uint8, chipSize*chipSize)
	if got := eyeDark(black); got != 0 {
		t.Errorf("black chip: %v", got)
	}
}

// blinkTrack is a track of n faces sampled at 10 fps whose eyes are shut
// in frames [from, to), the landmark lids following when lids is set.
func blinkTrack(n, from, to int, lids bool) []*faceInfo {
	out := make([]*faceInfo, n)
	for i := range out {
		shut := i >= from && i < to
		gap := 9.0
		if shut && lids {
			gap = 2
		}
		out[i] = &faceInfo{Found: true, LM: *eyeLandmarks(gap), gray: eyeChip(!shut, 4)}
	}
	return out
}

func TestBlinkOf(t *testing.T) {
	for _, c := range []struct {
		name        string
		track       []*faceInfo
		met         bool
		ear, change bool // whether each cue is expected to see it
	}{
		{"a blink, lids tracked", blinkTrack(30, 12, 15, true), true, true, true},
		{"a blink, lids not tracked", blinkTrack(30, 12, 15, false), true, false, true},
		{"no blink", blinkTrack(30, 0, 0, true), false, false, false},
		{"eyes shut to the end", blinkTrack(30, 20, 30, true), false, false, false},
		{"eyes shut 2 s", blinkTrack(30, 5, 25, false), false, false, false},
	} {
		b := blinkOf(c.track, 10)
		if b.Met() != c.met || (b.EARDrop >= blinkEARDrop) != c.ear || (b.Peak >= blinkPeak && b.Change >= blinkChange) != c.change {
			t.Errorf("%s: %+v, want met=%v ear=%v change=%v", c.name, b, c.met, c.ear, c.change)
		}
	}
}

// A face followed from an earlier box is only ever used by the challenge's
// track: matching and the motion cues see it as a problem frame, and the
// following stops after trackMax frames or when there is nothing to follow.
func TestTrackedFace(t *testing.T) {
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	good := &faceInfo{Found: true, Quality: Quality{EyeDistance: 60, Brightness: 120, Background: 120, Sharpness: 1e3}}
	if p := e.problem(good); p != "" {
		t.Fatalf("a good face has problem %q", p)
	}
	tracked := *good
	tracked.tracked = 1
	if p := e.problem(&tracked); p != "tracked" {
		t.Errorf("a tracked face has problem %q, want tracked", p)
	}
	ws := e.get()
	defer e.put(ws)
	img := rgbImage{W: 64, H: 64, Pix: make([]uint8, 64*64*3)}
	for _, prev := range []*faceInfo{{}, {Found: true, tracked: trackMax}} {
		if fi := e.trackFace(ws, &img, prev, identitySpreadMax); fi.Found {
			t.Errorf("followed a face from %+v", prev.tracked)
		}
	}
}

// TestBlinkSustained: a blink shut over three frames holds its peak over
// two consecutive frames; eyes unlike their neighbours' in one frame only
// stand out in that frame, and their sustained peak is far below it.
func TestBlinkSustained(t *testing.T) {
	long := blinkOf(blinkTrack(30, 12, 15, false), BlinkFPS)
	one := blinkOf(blinkTrack(30, 12, 13, false), BlinkFPS)
	t.Logf("three shut frames: %.3f / %.3f; one frame: %.3f / %.3f", long.Sustained, long.Peak, one.Sustained, one.Peak)
	if long.Sustained <= 0 || long.Sustained > long.Peak || long.Sustained < 0.5*long.Peak {
		t.Errorf("three shut frames: sustained %.3f, peak %.3f", long.Sustained, long.Peak)
	}
	if one.Peak <= 0 || one.Sustained > 0.5*one.Peak {
		t.Errorf("one odd frame: sustained %.3f, peak %.3f", one.Sustained, one.Peak)
	}
}
