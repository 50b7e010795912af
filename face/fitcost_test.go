package face

import (
	"math"
	"testing"
)

// fitFromReference is fitFrom without its convergence test: always
// textureIters steps, as every fit ran until 2543222.
func fitFromReference(fa, fb []float64, side int, relief []float64, p0 warpParams) (rms float64, p warpParams) {
	return fitPointsUntil(regionPoints(fa, side, relief), fb, side, relief, p0, 0)
}

// TestFitFromConverged fits synthetic chips (a smooth pattern, the same
// pattern through a known homography, and with a bump moved by a
// parallax) with and without relief, from the identity and from starts
// far off (sample points fall outside b, some pixels behind the horizon
// d < 0.5). fitFrom stops once a step moves no sample point by
// fitConverged pixels; the reference always runs textureIters steps.
// Their residuals must agree within 1e-6 and their parameters within a
// fiftieth of a pixel of movement.
func TestFitFromConverged(t *testing.T) {
	const side = 150
	a := make([]uint8, side*side)
	bump := make([]uint8, side*side)
	for y := 0; y < side; y++ {
		for x := 0; x < side; x++ {
			fx, fy := float64(x), float64(y)
			v := 128 + 50*math.Sin(fx/4.3)*math.Cos(fy/6.1) + 30*math.Sin((fx+fy)/9.7)
			a[y*side+x] = uint8(v)
			dx, dy := fx-78, fy-80
			v += 40 * math.Exp(-(dx*dx+dy*dy)/200)
			bump[y*side+x] = uint8(math.Min(255, v))
		}
	}
	fa := normalisedChip(a, side)
	sa := smooth(a, side)
	tilt := warpParams{-0.3, 0.02, 1.5, 0.01, -0.05, -2, 0.1, 0.03}
	var b []uint8
	for _, v := range warpedChip(sa, side, tilt) {
		b = append(b, uint8(math.Round(v)))
	}
	fb := normalisedChip(b, side)
	fbump := normalisedChip(bump, side)
	rel := faceRelief(side)
	// scale bounds how far a parameter moves a sample point (the
	// region reaches 55 pixels from the centre; the relief stays under
	// 1.2).
	scale := [12]float64{55, 55, 1, 55, 55, 1, 4 * 55 * 55 / 75.0, 4 * 55 * 55 / 75.0, 1.2, 1.2, 0, 0}
	starts := []warpParams{{}, {0.2, 0.1, 6, -0.1, 0.3, -5, 0.4, -0.3, 2, -1}, {0, 0, 0, 0, 0, 0, -1.2, 0}}
	for i, pair := range [][2][]float64{{fa, fb}, {fa, fbump}, {fb, fa}, {fa, fa}} {
		for _, r := range [][]float64{nil, rel} {
			for k, p0 := range starts {
				got, gp := fitFrom(pair[0], pair[1], side, r, p0)
				want, wp := fitFromReference(pair[0], pair[1], side, r, p0)
				var move float64
				for m := range gp {
					move += math.Abs(gp[m]-wp[m]) * scale[m]
				}
				if math.Abs(got-want) > 1e-6 || move > 0.02 {
					t.Errorf("pair %d relief %v start %d: rms %v %v, want %v %v (parameters %.4f pixels apart)", i, r != nil, k, got, gp, want, wp, move)
				}
				if i < 2 && k == 0 && !(got > 0) {
					t.Errorf("pair %d relief %v: rms %v, want a positive residual", i, r != nil, got)
				}
			}
		}
	}
	// The tilt is recovered from the identity: b samples a at tilt's
	// image of every pixel, so the fit of a onto b finds tilt itself.
	rms, p := fitFrom(fb, fa, side, nil, warpParams{})
	at := func(q warpParams, x, y float64) (float64, float64) {
		xr, yr := x-side/2, y-side/2
		d := 1 + q[6]*xr/(side/2) + q[7]*yr/(side/2)
		return ((1+q[0])*xr + q[1]*yr + q[2]) / d, (q[3]*xr + (1+q[4])*yr + q[5]) / d
	}
	for _, c := range [][2]float64{{textureX0, textureY0}, {textureX1, textureY0}, {textureX0, textureY1}, {textureX1, textureY1}} {
		gx, gy := at(p, c[0], c[1])
		wx, wy := at(tilt, c[0], c[1])
		if math.Hypot(gx-wx, gy-wy) > 0.5 {
			t.Errorf("tilt: corner %v goes to (%.2f, %.2f), want (%.2f, %.2f)", c, gx, gy, wx, wy)
		}
	}
	if rms > 0.2 {
		t.Errorf("tilt: rms %.3f, want under 0.2", rms)
	}
}
