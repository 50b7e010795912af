package face

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// ringTexture returns a w×h texture of random gray cells of 3×3 pixels
// (seeded): every shift of a few pixels changes its blocks.
func ringTexture(w, h int, seed uint64) []uint8 {
	r := rand.New(rand.NewPCG(seed, 1))
	cw, ch := w/3+1, h/3+1
	cells := make([]uint8, cw*ch)
	for i := range cells {
		cells[i] = uint8(40 + r.IntN(176))
	}
	pix := make([]uint8, w*h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			pix[y*w+x] = cells[(y/3)*cw+x/3]
		}
	}
	return pix
}

// ringFace returns landmarks (frame pixels: twice the scene's) of a face
// centred at (cx, cy) scene pixels with a half-width of hw scene pixels:
// the jaw's ends 0 and 16 on either side, the other points spread
// inside the face.
func ringFace(cx, cy, hw float64) Landmarks {
	var lm Landmarks
	for i := range lm {
		a := 2 * math.Pi * float64(i) / 68
		r := 0.3 + 0.6*float64(i%5)/4
		lm[i] = Point{2 * (cx + hw*r*math.Cos(a)), 2 * (cy + 1.2*hw*r*math.Sin(a))}
	}
	lm[0] = Point{2 * (cx - hw), 2 * cy}
	lm[16] = Point{2 * (cx + hw), 2 * cy}
	return lm
}

// ringFrames renders n frames (w×h scenes) of a face of half-width hw
// moving by (dx, dy) scene pixels per frame in front of a wall. A pixel
// within within (in face half-widths, ringFollow's ellipse) of the face's
// place moves with the face; the rest stays. wall and held are the
// textures of what stays and what moves (nil: flat gray).
func ringFrames(n, w, h int, hw, dx, dy, within float64, wall, held []uint8) []*faceInfo {
	flat := make([]uint8, w*h)
	for i := range flat {
		flat[i] = 128
	}
	if wall == nil {
		wall = flat
	}
	if held == nil {
		held = flat
	}
	cx, cy := float64(w)/2, float64(h)/2
	var out []*faceInfo
	for k := 0; k < n; k++ {
		ox, oy := float64(k)*dx, float64(k)*dy
		s := scene{w: w, h: h, pix: make([]uint8, w*h)}
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				// Where this pixel was in the first frame, had it moved
				// with the face.
				ux, uy := x-int(ox), y-int(oy)
				in := ux >= 0 && uy >= 0 && ux < w && uy < h &&
					math.Hypot((float64(ux)-cx)/hw, (float64(uy)-cy)/(ringTall*hw)) < within
				if in {
					s.pix[y*w+x] = held[uy*w+ux]
				} else {
					s.pix[y*w+x] = wall[y*w+x]
				}
			}
		}
		out = append(out, &faceInfo{Found: true, LM: ringFace(cx+ox, cy+oy, hw), scene: s})
	}
	return out
}

func TestRingFollow(t *testing.T) {
	const w, h, hw = 240, 320, 25.0
	wall, print := ringTexture(w, h, 1), ringTexture(w, h, 2)
	for _, c := range []struct {
		name       string
		within     float64 // what moves with the face, in face half-widths
		wall, held []uint8
		lo, hi     float64 // follow expected in [lo, hi]
		abstain    bool
	}{
		// A print held in front of a wall: the print reaches past the
		// ring and moves with the face, the wall stays.
		{"print before a wall", 3.6, wall, print, 0.95, 1, false},
		// A head before the wall: only the head (to 1.3 half-widths)
		// moves; the ring shows the wall.
		{"head before a wall", 1.3, wall, print, 0, 0.05, false},
		// A head before a blank wall: nothing around the face to read.
		{"head before a blank wall", 1.3, nil, print, 0, 0, true},
		// A print whose surroundings are blank: nothing to read either.
		{"print with a blank background", 3.6, wall, nil, 0, 0, true},
	} {
		frames := ringFrames(5, w, h, hw, 4, 3, c.within, c.wall, c.held)
		f, pairs := ringFollow(frames)
		if c.abstain {
			if pairs != 0 || f != 0 {
				t.Errorf("%s: follow %.3f over %d pairs, want the cue to abstain", c.name, f, pairs)
			}
			continue
		}
		if pairs < ringMinPairs || f < c.lo || f > c.hi {
			t.Errorf("%s: follow %.3f over %d pairs, want %.2f–%.2f over at least %d", c.name, f, pairs, c.lo, c.hi, ringMinPairs)
		}
	}
}

// TestRingFollowCameraShake: a hand-held camera moves the whole frame,
// wall and head alike; the head moves on top of that. The border's shift
// is the camera's, and the ring still reads the wall.
func TestRingFollowCameraShake(t *testing.T) {
	const w, h, hw = 240, 320, 25.0
	wall, skin := ringTexture(w+40, h+40, 3), ringTexture(w, h, 4)
	head := ringFrames(5, w, h, hw, 4, 3, 1.3, nil, skin)
	for k, fi := range head {
		// The camera shifts everything by (-2k, k) pixels: the wall is
		// cut from a larger texture, the head's frame shifted too.
		s := scene{w: w, h: h, pix: make([]uint8, w*h)}
		cx, cy := float64(w)/2, float64(h)/2
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				wx, wy := x+2*k+20, y-k+20
				s.pix[y*w+x] = wall[wy*(w+40)+wx]
				hx, hy := x+2*k, y-k
				if hx >= 0 && hy >= 0 && hx < w && hy < h &&
					math.Hypot((float64(hx)-cx-4*float64(k))/hw, (float64(hy)-cy-3*float64(k))/(ringTall*hw)) < 1.3 {
					s.pix[y*w+x] = fi.scene.pix[hy*w+hx]
				}
			}
		}
		fi.scene = s
		fi.LM = ringFace(cx+4*float64(k)-2*float64(k), cy+3*float64(k)+float64(k), hw)
	}
	f, pairs := ringFollow(head)
	if pairs < ringMinPairs || f > 0.05 {
		t.Errorf("shaken camera: follow %.3f over %d pairs, want under 0.05 over at least %d", f, pairs, ringMinPairs)
	}
}

// TestRingFollowJudged: a selfie that passed, whose ring cue reads at or
// above MaxRingFollow, is in doubt; under it, abstained (RingPairs 0) or
// with the rule off it passes; a selfie refused stays refused and gets no
// doubt.
func TestRingFollowJudged(t *testing.T) {
	var off Options
	off.defaults()
	o := off
	o.MaxRingFollow = RingFollowReview
	head := func(follow float64, pairs int) *Liveness {
		l := movingHead(0.5, 0.06)
		l.NoseDepth = 0.02
		l.RingFollow, l.RingPairs = follow, pairs
		return l
	}
	for _, c := range []struct {
		name        string
		o           Options
		l           *Liveness
		live, doubt bool
	}{
		{"ring moved with the face", o, head(0.9, 10), true, true},
		{"ring at MaxRingFollow", o, head(RingFollowReview, 10), true, true},
		{"ring just under", o, head(0.95*RingFollowReview, 10), true, false},
		{"background stayed", o, head(0.05, 10), true, false},
		{"too few pairs", o, head(0.9, ringMinPairs-1), true, false},
		{"abstained", o, head(0, 0), true, false},
		{"rule off (the default)", off, head(0.9, 10), true, false},
		{"refused otherwise", o, func() *Liveness { l := head(0.9, 10); l.Depth, l.NoseDepth = 0, 0.001; return l }(), false, false},
	} {
		c.o.judge(c.l, 5)
		if c.l.Live != c.live || c.l.Doubtful() != c.doubt || (c.doubt && !slices.Equal(c.l.Doubts, []string{SignalPlanarMotion})) {
			t.Errorf("%s: live %v failed %v doubts %v, want live %v, doubt %v", c.name, c.l.Live, c.l.Failed, c.l.Doubts, c.live, c.doubt)
		}
	}
}

// BenchmarkRingFollow is the ring cue of six 360×480 frames (scenes of
// 180×240) of a head before a textured wall, every block of its ring
// voting: the cue's cost when it does not abstain.
func BenchmarkRingFollow(b *testing.B) {
	const w, h, hw = 180, 240, 18.0
	frames := ringFrames(6, w, h, hw, 3, 2, 1.3, ringTexture(w, h, 1), ringTexture(w, h, 2))
	s0, c0 := cpuTimes()
	for b.Loop() {
		ringFollow(frames)
	}
	reportCPU(b, s0, c0)
}
