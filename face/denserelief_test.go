package face

import (
	"math"
	"testing"
)

// testHead is the tests' rounded head in chip coordinates (side
// chipSize, the face where the mean face puts it): depth in chip pixels,
// towards the camera, at the frontal point (x, y). A half-ellipsoid 0.7
// face half-widths deep, a nose ridge rising from 0.1 at the bridge to
// 0.4 at the tip, the eyes set back 0.08 in their sockets and the lips
// 0.05 forward. It is not meanShape3D (another shape, as a person's
// head is not the mean one).
func testHead(x, y float64) float64 {
	lx, _ := templatePoint(17, chipSize)
	rx, _ := templatePoint(26, chipSize)
	half := (rx - lx) / 2
	cx, cy := float64(chipSize)/2, 0.58*float64(chipSize)
	dx, dy := (x-cx)/(1.2*half), (y-cy)/(1.6*half)
	z := 0.7 * half * math.Sqrt(math.Max(0, 1-dx*dx-dy*dy))
	bx, by := templatePoint(27, chipSize)
	tx, ty := templatePoint(30, chipSize)
	t := math.Max(0, math.Min(1, ((x-bx)*(tx-bx)+(y-by)*(ty-by))/((tx-bx)*(tx-bx)+(ty-by)*(ty-by))))
	qx, qy := bx+t*(tx-bx), by+t*(ty-by)
	s := 0.14 * half
	z += (0.1 + 0.3*t) * half * math.Exp(-((x-qx)*(x-qx)+(y-qy)*(y-qy))/(2*s*s))
	for _, e := range [2][2]int{{36, 39}, {42, 45}} {
		ax, ay := templatePoint(e[0], chipSize)
		ex, ey := templatePoint(e[1], chipSize)
		mx, my := (ax+ex)/2, (ay+ey)/2
		r := 0.25 * half
		z -= 0.08 * half * math.Exp(-((x-mx)*(x-mx)+(y-my)*(y-my))/(2*r*r))
	}
	mx, my := templatePoint(62, chipSize)
	z += 0.05 * half * math.Exp(-((x-mx)*(x-mx)/(2*0.3*half*0.3*half) + (y-my)*(y-my)/(2*0.12*half*0.12*half)))
	return z
}

// testHeadLandmarks are the 68 landmarks of testHead at rest (frontal):
// the mean face's 17–67, and the jaw on an arc from the ears' height to
// the chin.
func testHeadLandmarks() [68]Point {
	var lm [68]Point
	for i := 17; i < 68; i++ {
		lm[i].X, lm[i].Y = templatePoint(i, chipSize)
	}
	lx, _ := templatePoint(17, chipSize)
	rx, _ := templatePoint(26, chipSize)
	half := (rx - lx) / 2
	_, ey := templatePoint(36, chipSize)
	for i := 0; i < 17; i++ {
		a := math.Pi * float64(i) / 16
		lm[i] = Point{float64(chipSize)/2 - 1.05*half*math.Cos(a), ey + 1.6*half*math.Sin(a)}
	}
	return lm
}

// posedHead is testHead turned by yaw and then pitched (radians, about
// the chip's centre, orthographic): the textured chip a camera sees and
// the landmarks, moved on by the shift (dx, dy). Each pixel shows the
// point of the frontal surface that lands on it (fixed-point iteration;
// no part of the surface hides another at these angles).
func posedHead(yaw, pitch, dx, dy float64) ([]uint8, *Landmarks) {
	return posedSurface(testHead, testHeadLandmarks(), yaw, pitch, dx, dy)
}

// meanHeadSurface is planar_test.go's meanHead (side chipSize) as a
// surface: the thin-plate spline through its 68 depths, and its
// landmarks.
func meanHeadSurface() (func(x, y float64) float64, [68]Point) {
	xy, z := meanHead(chipSize)
	tp, ok := fitThinPlate(xy[:], z[:])
	if !ok {
		panic("meanHead: no spline")
	}
	// Tabulated once per pixel (the chip renderer asks for it 40 times a
	// pixel), read bilinearly.
	grid := make([]float64, chipSize*chipSize)
	var v [1]float64
	for y := 0; y < chipSize; y++ {
		for x := 0; x < chipSize; x++ {
			tp.at(float64(x), float64(y), v[:])
			grid[y*chipSize+x] = v[0]
		}
	}
	hi := float64(chipSize - 1)
	return func(x, y float64) float64 {
		z, _ := sampleBilinear(grid, chipSize, math.Max(0, math.Min(hi, x)), math.Max(0, math.Min(hi, y)))
		return z
	}, xy
}

func posedSurface(head func(x, y float64) float64, rest [68]Point, yaw, pitch, dx, dy float64) ([]uint8, *Landmarks) {
	testHead := head
	c := float64(chipSize) / 2
	cy, sy := math.Cos(yaw), math.Sin(yaw)
	cp, sp := math.Cos(pitch), math.Sin(pitch)
	fwd := func(x, y, z float64) (float64, float64) {
		X, Y := x-c, y-c
		X1, Z1 := X*cy+z*sy, -X*sy+z*cy
		Y2 := Y*cp - Z1*sp
		return c + X1 + dx, c + Y2 + dy
	}
	back := func(u, v float64) (float64, float64) {
		x, y := u, v
		for k := 0; k < 40; k++ {
			z := testHead(x, y)
			X := (u - dx - c - z*sy) / cy
			Z1 := -X*sy + z*cy
			Y := (v - dy - c + Z1*sp) / cp
			x, y = X+c, Y+c
		}
		return x, y
	}
	chip := texturedChip(chipSize, back)
	lm := new(Landmarks)
	for i, p := range rest {
		lm[i].X, lm[i].Y = fwd(p.X, p.Y, testHead(p.X, p.Y))
	}
	return chip, lm
}

// flatPicture is testHead's texture and landmarks on a flat picture seen
// through the homography w (chip a to this chip).
func flatPicture(w [3][3]float64) ([]uint8, *Landmarks) {
	chip := texturedChip(chipSize, homog(inverse3(w)))
	to := homog(w)
	lm := new(Landmarks)
	for i, p := range testHeadLandmarks() {
		lm[i].X, lm[i].Y = to(p.X, p.Y)
	}
	return chip, lm
}

// swayingHead is six frames of a head surface (its rest landmarks)
// resting at yaw rest and swaying ±amp about it (degrees), pitched 5°,
// drifting a third of a pixel a frame: the chips and the landmarks.
func swayingHead(head func(x, y float64) float64, lm [68]Point, rest, amp float64) ([][]uint8, []*Landmarks) {
	deg := math.Pi / 180
	var chips [][]uint8
	var lms []*Landmarks
	for k := 0; k < 6; k++ {
		ph := 2 * math.Pi * float64(k) / 6
		c, l := posedSurface(head, lm, (rest+amp*math.Sin(ph))*deg, 5*deg, 0.3*float64(k), -0.2*float64(k))
		chips = append(chips, c)
		lms = append(lms, l)
	}
	return chips, lms
}

// TestLandmarkReliefAtLandmarks: the spline takes meanShape3D's depth at
// every landmark (the nose tip 0.61 face half-widths in front of the
// inner eye corners, the jaw's ends 0.77–0.79 behind them); on a chip the
// relief's peak is at the nose tip where this face has it, moved with
// its landmarks, and nothing affine is left in it.
func TestLandmarkReliefAtLandmarks(t *testing.T) {
	// meanShape3D frontal, scaled and placed so that its brows' ends fall
	// on the mean face's (templatePoint 17 and 26).
	lx, ly := templatePoint(17, chipSize)
	rx, _ := templatePoint(26, chipSize)
	k := (rx - lx) / (meanShape3D[26][0] - meanShape3D[17][0])
	place := func(dx, dy float64) *Landmarks {
		lm := new(Landmarks)
		for i, p := range meanShape3D {
			lm[i] = Point{lx + k*(p[0]-meanShape3D[17][0]) + dx, ly + k*(p[1]-meanShape3D[17][1]) + dy}
		}
		return lm
	}
	lm := place(0, 0)
	tp, ok := meanDepthSpline(lm)
	if !ok {
		t.Fatal("no spline through the mean shape")
	}
	var v [1]float64
	for i, p := range lm {
		tp.at(p.X, p.Y, v[:])
		if math.Abs(v[0]-meanDepth(i)) > 1e-9 {
			t.Errorf("landmark %d: spline %.12f, want %.12f", i, v[0], meanDepth(i))
		}
	}
	if d := meanDepth(30) - meanDepth(39); math.Abs(d-0.6080) > 1e-3 {
		t.Errorf("nose tip over the inner eye corner: %.4f half-widths, want 0.608", d)
	}
	if d := meanDepth(39) - meanDepth(0); math.Abs(d-0.7886) > 1e-3 {
		t.Errorf("inner eye corner over the jaw's end: %.4f half-widths, want 0.789", d)
	}
	// The peak of the relief round the nose, on the face as placed and
	// moved by (6, 4) chip pixels (a multiple of textureStep): it sits on
	// the sample point nearest the nose tip, and moves with it.
	for _, sh := range [][2]float64{{0, 0}, {6, 4}} {
		lm := place(sh[0], sh[1])
		rel, ok := landmarkRelief(lm, chipSize)
		if !ok {
			t.Fatalf("shift %v: no relief", sh)
		}
		tip := lm[30]
		bx, by, best := 0, 0, math.Inf(-1)
		for y := textureY0; y < textureY1; y += textureStep {
			for x := textureX0; x < textureX1; x += textureStep {
				if math.Hypot(float64(x)-tip.X, float64(y)-tip.Y) < 20 && rel[y*chipSize+x] > best {
					bx, by, best = x, y, rel[y*chipSize+x]
				}
			}
		}
		t.Logf("shift %v: nose tip (%.1f, %.1f), relief's peak (%d, %d) %.3f", sh, tip.X, tip.Y, bx, by, best)
		if math.Abs(float64(bx)-tip.X) > textureStep || math.Abs(float64(by)-tip.Y) > textureStep {
			t.Errorf("shift %v: relief's peak at (%d, %d), want within %d px of the nose tip (%.1f, %.1f)", sh, bx, by, textureStep, tip.X, tip.Y)
		}
		// Nothing affine left: its least-squares plane over the sample
		// points is 0.
		var m [10][10]float64
		var r [10]float64
		for y := textureY0; y < textureY1; y += textureStep {
			for x := textureX0; x < textureX1; x += textureStep {
				b := [3]float64{1, float64(x), float64(y)}
				for i := range b {
					for j := range b {
						m[i][j] += b[i] * b[j]
					}
					r[i] += b[i] * rel[y*chipSize+x]
				}
			}
		}
		c, _ := solve(&m, r, 3)
		if math.Abs(c[0]) > 1e-9 || math.Abs(c[1]) > 1e-11 || math.Abs(c[2]) > 1e-11 {
			t.Errorf("shift %v: affine part left %v", sh, c[:3])
		}
	}
}

// TestLandmarkReliefDegenerate: landmarks missing, all in one place or on
// a line give no placed relief, and the depth cue keeps the fixed one.
func TestLandmarkReliefDegenerate(t *testing.T) {
	line := new(Landmarks)
	for i := range line {
		line[i] = Point{40 + float64(i), 60 + 0.5*float64(i)}
	}
	one := new(Landmarks)
	for i := range one {
		one[i] = Point{75, 75}
	}
	for name, lm := range map[string]*Landmarks{"none": nil, "one place": one, "a line": line} {
		if _, ok := landmarkRelief(lm, chipSize); ok {
			t.Errorf("%s: relief placed", name)
		}
	}
	if _, ok := landmarkRelief(place0(), 100); ok {
		t.Error("chip too small for textureRegion: relief placed")
	}
	chips, _ := swayingHead(testHead, testHeadLandmarks(), 0, 3)
	lms := []*Landmarks{one, line, nil, one, line, nil}
	t0, d0 := textureAndDepthRelief(chips, lms, chipSize, false)
	t1, d1 := textureAndDepthRelief(chips, lms, chipSize, true)
	if t0 != t1 || d0 != d1 {
		t.Errorf("degenerate landmarks: placed %.6f %.6f, fixed %.6f %.6f, want the same", t1, d1, t0, d0)
	}
}

// place0 is meanShape3D frontal in a chip (any placement will do).
func place0() *Landmarks {
	lm := new(Landmarks)
	for i, p := range meanShape3D {
		lm[i] = Point{75 + 0.8*p[0], 80 + 0.8*p[1]}
	}
	return lm
}

// TestPlacedReliefHeads: the tests' heads (testHead, and planar_test.go's
// meanHead as a surface) swaying by a few degrees, and a flat picture
// of the same texture and landmarks tilted further and further with
// perspective. The picture's depth stays about 0 with the relief placed
// on its landmarks as with the fixed one. A head swaying about a pose
// turned 20° has its nose a fifth of a face off the chip's middle, where
// the fixed relief has none: the placed relief finds 1.7 to 3 times the
// depth there. A frontal head sways as the fixed relief was drawn for (a
// rounded head with a narrow ridge, both heads here); the placed relief
// alone (OpenFace's mean, a broader nose) explains 0.6 of what the fixed
// one does, and the pair keeps the better of the two: as much as the
// fixed relief.
func TestPlacedReliefHeads(t *testing.T) {
	mh, mlm := meanHeadSurface()
	heads := []struct {
		name string
		z    func(x, y float64) float64
		lm   [68]Point
	}{{"testHead", testHead, testHeadLandmarks()}, {"meanHead", mh, mlm}}
	for _, h := range heads {
		for _, tt := range []struct {
			rest, amp float64
			minPlaced float64 // depth with the placed relief at least
			minRatio  float64 // placed over fixed at least
		}{
			{0, 4, DefaultReviewDepth, 0.95},
			{20, 4, DefaultMinDepth, 1.5},
		} {
			chips, lms := swayingHead(h.z, h.lm, tt.rest, tt.amp)
			_, fixed := textureAndDepthRelief(chips, lms, chipSize, false)
			tex, placed := textureAndDepthRelief(chips, lms, chipSize, true)
			t.Logf("%s at %v° ±%v°: texture %.4f, depth fixed %.4f, placed %.4f", h.name, tt.rest, tt.amp, tex, fixed, placed)
			if placed < tt.minPlaced || placed < tt.minRatio*fixed {
				t.Errorf("%s at %v° ±%v°: depth placed %.4f, fixed %.4f: want ≥ %.3f and ≥ %.1f times the fixed", h.name, tt.rest, tt.amp, placed, fixed, tt.minPlaced, tt.minRatio)
			}
		}
	}
	var chips [][]uint8
	var lms []*Landmarks
	for k := 0; k < 6; k++ {
		c, l := flatPicture(tiltWarp(1-0.08*float64(k), 0.03*float64(k), 0.5*float64(k), -0.3*float64(k)))
		chips = append(chips, c)
		lms = append(lms, l)
	}
	tex, placed := textureAndDepthRelief(chips, lms, chipSize, true)
	_, fixed := textureAndDepthRelief(chips, lms, chipSize, false)
	t.Logf("flat picture tilted to 0.6: texture %.4f, depth fixed %.4f, placed %.4f", tex, fixed, placed)
	if placed > 0.001 || fixed > 0.001 {
		t.Errorf("flat picture: depth placed %.4f, fixed %.4f, want ≤ 0.001", placed, fixed)
	}
}

// BenchmarkLandmarkRelief is the placed relief of one chip (the spline's
// fit through 68 points and its values at textureRegion's sample points).
func BenchmarkLandmarkRelief(b *testing.B) {
	lm := place0()
	for b.Loop() {
		if _, ok := landmarkRelief(lm, chipSize); !ok {
			b.Fatal("no relief")
		}
	}
}
