package face

import (
	"math"
	"testing"
)

// rotation returns Rz(roll) Rx(pitch) Ry(yaw) (degrees): the head turns
// (positive yaw: the nose towards the image's right), nods (positive
// pitch: the nose down), then the picture rolls.
func rotation(yaw, pitch, roll float64) [3][3]float64 {
	d := math.Pi / 180
	cy, sy := math.Cos(yaw*d), math.Sin(yaw*d)
	cp, sp := math.Cos(pitch*d), math.Sin(pitch*d)
	cr, sr := math.Cos(roll*d), math.Sin(roll*d)
	ry := [3][3]float64{{cy, 0, sy}, {0, 1, 0}, {-sy, 0, cy}}
	rx := [3][3]float64{{1, 0, 0}, {0, cp, sp}, {0, -sp, cp}}
	rz := [3][3]float64{{cr, -sr, 0}, {sr, cr, 0}, {0, 0, 1}}
	mul := func(a, b [3][3]float64) (c [3][3]float64) {
		for i := range 3 {
			for j := range 3 {
				for k := range 3 {
					c[i][j] += a[i][k] * b[k][j]
				}
			}
		}
		return c
	}
	return mul(rz, mul(rx, ry))
}

// posedModel projects headModel turned by r, scaled by s pixels per model
// unit, centred on (200, 150), each coordinate moved by up to ±jitter
// pixels (a fixed pseudo-random sequence from seed).
func posedModel(r [3][3]float64, s, jitter float64, seed uint32) *Landmarks {
	var lm Landmarks
	next := func() float64 { // LCG, uniform in [-1, 1)
		seed = seed*1664525 + 1013904223
		return float64(seed>>8)/float64(1<<23) - 1
	}
	for i := poseFirst; i < len(headModel); i++ {
		m := headModel[i]
		x := r[0][0]*m[0] + r[0][1]*m[1] + r[0][2]*m[2]
		y := r[1][0]*m[0] + r[1][1]*m[1] + r[1][2]*m[2]
		lm[i] = Point{200 + s*x + jitter*next(), 150 + s*y + jitter*next()}
	}
	return &lm
}

// TestHeadPose: the model posed at known angles and projected with
// ±0.5 px of landmark jitter (1.6 px per model unit: a face about 230 px
// wide) reads its yaw within 1.5° and its pitch within 2.5°, whatever the
// roll; without jitter, exactly.
func TestHeadPose(t *testing.T) {
	for _, c := range [][3]float64{{0, 0, 0}, {15, 0, 0}, {-15, 0, 0}, {30, 5, 0}, {-35, -7, 3}, {42, 6, -3}, {60, -10, 15}, {-60, 10, -15}, {20, 20, 30}} {
		exact := headPose(posedModel(rotation(c[0], c[1], c[2]), 1.6, 0, 0))
		if !exact.OK || math.Abs(exact.Yaw-c[0]) > 1e-6 || math.Abs(exact.Pitch-c[1]) > 1e-6 ||
			math.Abs(exact.Scale-1.6) > 1e-6 || math.Abs(exact.Squash-1) > 1e-6 || exact.Residual > 1e-6 {
			t.Errorf("pose %v, no jitter: %+v", c, exact)
		}
		for seed := uint32(1); seed <= 5; seed++ {
			p := headPose(posedModel(rotation(c[0], c[1], c[2]), 1.6, 0.5, seed))
			if !p.OK || math.Abs(p.Yaw-c[0]) > 1.5 || math.Abs(p.Pitch-c[1]) > 2.5 {
				t.Errorf("pose %v, jitter seed %d: yaw %.2f pitch %.2f", c, seed, p.Yaw, p.Pitch)
			}
		}
	}
}

// TestHeadPoseOtherHead: a head of another shape than the model (the
// tests' mean head: an ellipsoid 0.7 face half-widths deep, the nose 0.4
// further out) turned 5–42° reads its yaw within 3°, growing with it.
func TestHeadPoseOtherHead(t *testing.T) {
	xy, z := meanHead(200)
	prev := math.Inf(-1)
	for _, yaw := range []float64{-42, -30, -16, -5, 0, 5, 16, 30, 42} {
		p := headPose(turned(xy, z, 200, yaw*math.Pi/180))
		if !p.OK || math.Abs(p.Yaw-yaw) > 3 || p.Yaw <= prev {
			t.Errorf("mean head turned %v°: yaw %.2f (previous %.2f)", yaw, p.Yaw, prev)
		}
		prev = p.Yaw
	}
}

// tiltedPicture is the model's frontal face printed flat (depth 0),
// tilted by alpha degrees about its vertical axis (positive: its side on
// the image's right recedes) and seen by a pinhole camera of focal length
// 450 px at distance dist model units.
func tiltedPicture(alpha, dist float64) *Landmarks {
	a := alpha * math.Pi / 180
	var lm Landmarks
	for i := poseFirst; i < len(headModel); i++ {
		x, y := headModel[i][0], headModel[i][1]
		z := dist + x*math.Sin(a)
		lm[i] = Point{200 + 450*x*math.Cos(a)/z, 150 + 450*y/z}
	}
	return &lm
}

// TestHeadPoseTiltedPicture: a flat frontal face tilted 50° about its
// vertical axis is narrowed one way only. Seen from afar (an affine view)
// it reads yaw 0 and Squash cos 50° exactly; held close (300 model units
// from the camera, about 4 face half-widths) the receding side shrinks
// more and it reads a yaw of 5–12° towards that side, Squash still within
// 0.01 of cos 50°. Either way the rigid model leaves a residual of at
// least 0.08 eye widths, where a head turned 50° leaves none.
func TestHeadPoseTiltedPicture(t *testing.T) {
	c50 := math.Cos(50 * math.Pi / 180)
	far := headPose(tiltedPicture(50, 1e7))
	if !far.OK || math.Abs(far.Yaw) > 0.01 || math.Abs(far.Squash-c50) > 1e-4 || far.Residual < 0.08 {
		t.Errorf("flat face tilted 50°, seen from afar: %+v", far)
	}
	for _, sign := range []float64{1, -1} {
		p := headPose(tiltedPicture(sign*50, 300))
		if !p.OK || sign*p.Yaw < 5 || sign*p.Yaw > 12 || math.Abs(p.Squash-c50) > 0.01 || p.Residual < 0.08 {
			t.Errorf("flat face tilted %v°, held close: %+v", sign*50, p)
		}
	}
	if p := headPose(posedModel(rotation(50, 0, 0), 1.6, 0, 0)); p.Residual > 1e-6 {
		t.Errorf("head turned 50°: residual %v, want 0", p.Residual)
	}
}

// TestHeadPoseDegenerate: landmarks that do not span a face give no pose.
func TestHeadPoseDegenerate(t *testing.T) {
	var same Landmarks
	if p := headPose(&same); p.OK {
		t.Errorf("all landmarks in one place: %+v", p)
	}
	var line Landmarks
	for i := range line {
		line[i] = Point{float64(i), 2 * float64(i)}
	}
	if p := headPose(&line); p.OK {
		t.Errorf("landmarks on a line: %+v", p)
	}
}
