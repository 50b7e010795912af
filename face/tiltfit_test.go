package face

import (
	"math"
	"testing"
)

// homog is the map of the 3×3 matrix h on chip coordinates.
func homog(h [3][3]float64) func(x, y float64) (float64, float64) {
	return func(x, y float64) (float64, float64) {
		d := h[2][0]*x + h[2][1]*y + h[2][2]
		return (h[0][0]*x + h[0][1]*y + h[0][2]) / d, (h[1][0]*x + h[1][1]*y + h[1][2]) / d
	}
}

// inverse3 is the inverse of h (by its adjugate).
func inverse3(h [3][3]float64) [3][3]float64 {
	var a [3][3]float64
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			r0, r1 := (j+1)%3, (j+2)%3
			c0, c1 := (i+1)%3, (i+2)%3
			a[i][j] = h[r0][c0]*h[r1][c1] - h[r0][c1]*h[r1][c0]
		}
	}
	det := h[0][0]*a[0][0] + h[0][1]*a[1][0] + h[0][2]*a[2][0]
	for i := range a {
		for j := range a[i] {
			a[i][j] /= det
		}
	}
	return a
}

// tiltWarp is a strong view change of a flat picture, chip a to chip b
// (chip coordinates, side chipSize): foreshortened to sx across about
// the chip centre, with the perspective px of a side receding, shifted by
// (tx, ty).
func tiltWarp(sx, px, tx, ty float64) [3][3]float64 {
	c := float64(chipSize) / 2
	// centred: x' = (sx x + tx)/d, y' = (y + ty)/d, d = 1 + px x/c.
	k := [3][3]float64{{sx, 0, tx}, {0, 1, ty}, {px / c, 0, 1}}
	to := [3][3]float64{{1, 0, -c}, {0, 1, -c}, {0, 0, 1}}
	back := [3][3]float64{{1, 0, c}, {0, 1, c}, {0, 0, 1}}
	return mul3(back, mul3(k, to))
}

// templateLandmarks is the mean face's landmarks in a chip of side
// chipSize moved by m (the jaw, not used, left at the chip centre).
func templateLandmarks(m func(x, y float64) (float64, float64)) *Landmarks {
	lm := new(Landmarks)
	for i := range lm {
		x, y := float64(chipSize)/2, float64(chipSize)/2
		if i >= 17 {
			x, y = templatePoint(i, chipSize)
		}
		lm[i].X, lm[i].Y = m(x, y)
	}
	return lm
}

// TestLandmarkWarp: the landmark homography of two views related by a
// known homography is that homography, in fitFrom's parameters.
func TestLandmarkWarp(t *testing.T) {
	w := tiltWarp(0.5, 0.15, 3, -2)
	a := templateLandmarks(identity)
	b := templateLandmarks(homog(w))
	p, ok := landmarkWarp(a, b, chipSize)
	if !ok {
		t.Fatal("landmarkWarp: not ok")
	}
	c := float64(chipSize) / 2
	want := warpParams{0.5 - 1, 0, 3, 0, 0, -2, 0.15, 0}
	for k := 0; k < 8; k++ {
		if math.Abs(p[k]-want[k]) > 1e-6*math.Max(1, c*math.Abs(want[k])) {
			t.Errorf("p[%d] = %.6f, want %.6f", k, p[k], want[k])
		}
	}
	if _, ok := landmarkWarp(a, nil, chipSize); ok {
		t.Error("no landmarks: ok")
	}
	if _, ok := landmarkWarp(a, new(Landmarks), chipSize); ok {
		t.Error("landmarks all in one place: ok")
	}
}

// TestChipLandmarks: landmarks placed by a similarity from the mean face
// come back to the mean face's places in the chip.
func TestChipLandmarks(t *testing.T) {
	s := similarity{a: 1.8, b: -0.4, tx: 120, ty: 60}
	lm := templateLandmarks(s.apply)
	got := chipLandmarks(lm, chipSize)
	for i := 17; i < 68; i++ {
		x, y := templatePoint(i, chipSize)
		if math.Hypot(got[i].X-x, got[i].Y-y) > 1e-9 {
			t.Fatalf("landmark %d at (%.4f, %.4f), want (%.4f, %.4f)", i, got[i].X, got[i].Y, x, y)
		}
	}
}

// TestTiltedPictureFit: a flat picture foreshortened to half its width
// with perspective (a photo tilted about 60°) is beyond the reach of the
// homography fit started from the identity, which stalls with a head's
// residual; started from the landmarks' homography it reaches one near
// 0, and the relief then explains nothing (depth about 0).
func TestTiltedPictureFit(t *testing.T) {
	for _, tt := range []struct{ sx, px, tx, ty float64 }{{0.5, 0.15, 3, -2}, {0.45, -0.2, -4, 1}, {0.7, 0.1, 0, 0}} {
		w := tiltWarp(tt.sx, tt.px, tt.tx, tt.ty)
		a := texturedChip(chipSize, identity)
		b := texturedChip(chipSize, homog(inverse3(w)))
		fa, fb := normalisedChip(a, chipSize), normalisedChip(b, chipSize)
		la, lb := templateLandmarks(identity), templateLandmarks(homog(w))
		fromID, _ := fitFrom(fa, fb, chipSize, nil, warpParams{})
		plane, q, fit := planeFit(fa, fb, smooth(b, chipSize), la, lb, chipSize)
		rel, _ := fitFrom(fa, fit, chipSize, faceRelief(chipSize), q)
		t.Logf("x %.2f: from the identity %.4f, from the landmarks %.4f, with relief %.4f", tt.sx, fromID, plane, rel)
		if plane > 0.15 {
			t.Errorf("x %.2f: residual from the landmarks %.4f, want ≤ 0.15", tt.sx, plane)
		}
		if tt.sx <= 0.5 && fromID < 0.3 {
			t.Errorf("x %.2f: residual from the identity %.4f: the case no longer tests the start (want ≥ 0.3)", tt.sx, fromID)
		}
		if plane-rel > 0.005 {
			t.Errorf("x %.2f: relief explains %.4f of a flat picture, want ≤ 0.005", tt.sx, plane-rel)
		}
	}
}

// reliefLandmarks are the mean face's landmarks in a chip whose pixel y
// shows the picture's point m(y) + v·relief(y) (texturedChip of
// reliefWarp(v, m)): where the pixel showing each landmark is, found by
// fixed-point iteration from the plane's place w (m's inverse).
func reliefLandmarks(vx, vy float64, w [3][3]float64) *Landmarks {
	rel := faceRelief(chipSize)
	to := homog(w)
	lm := templateLandmarks(identity)
	for i := 17; i < 68; i++ {
		x, y := lm[i].X, lm[i].Y
		u, v := to(x, y)
		for k := 0; k < 20; k++ {
			xi, yi := int(math.Round(u)), int(math.Round(v))
			if xi < 0 || yi < 0 || xi >= chipSize || yi >= chipSize {
				break
			}
			z := rel[yi*chipSize+xi]
			u, v = to(x-vx*z, y-vy*z)
		}
		lm[i] = Point{u, v}
	}
	return lm
}

// TestTiltedSequence: six frames of a flat picture tilted further and
// further (foreshortened to 1, 0.9, …, 0.5 across, with perspective),
// their landmarks exact: from the identity alone the texture cue calls
// it a head; from the landmarks it is under MinTexture and its depth
// about 0. A head turning as far (each frame also moved by the relief,
// 1.5 chip pixels per half-width more each frame, and its landmarks with
// it) keeps a clear depth cue.
func TestTiltedSequence(t *testing.T) {
	var flat, head [][]uint8
	var flatLM, headLM []*Landmarks
	for k := 0; k < 6; k++ {
		w := tiltWarp(1-0.1*float64(k), 0.03*float64(k), 0.5*float64(k), 0)
		m := homog(inverse3(w))
		flat = append(flat, texturedChip(chipSize, m))
		flatLM = append(flatLM, templateLandmarks(homog(w)))
		v := 1.5 * float64(k)
		head = append(head, texturedChip(chipSize, reliefWarp(v, 0.2*v, m)))
		headLM = append(headLM, reliefLandmarks(v, 0.2*v, w))
	}
	tex0, dep0 := textureAndDepth(flat, chipSize)
	tex, dep := textureAndDepthFrom(flat, flatLM, chipSize)
	t.Logf("flat: from the identity texture %.4f depth %.4f; from the landmarks texture %.4f depth %.4f", tex0, dep0, tex, dep)
	if tex0 < 0.3 {
		t.Errorf("flat from the identity: texture %.4f: the case no longer tests the start (want ≥ 0.3)", tex0)
	}
	if tex >= 0.24 || dep > 0.005 {
		t.Errorf("flat from the landmarks: texture %.4f depth %.4f, want texture < 0.24 and depth ≤ 0.005", tex, dep)
	}
	tex0, dep0 = textureAndDepth(head, chipSize)
	tex, dep = textureAndDepthFrom(head, headLM, chipSize)
	t.Logf("head: from the identity texture %.4f depth %.4f; from the landmarks texture %.4f depth %.4f", tex0, dep0, tex, dep)
	if dep < 0.02 {
		t.Errorf("head from the landmarks: texture %.4f depth %.4f, want depth ≥ 0.02 (ReviewDepth)", tex, dep)
	}
}
