package face

import (
	"math"
	"testing"
)

// fitFromReference is fitFrom as it was before its sample points were
// taken once per call, the normal matrix's upper triangle alone was
// summed and the iterations stopped at a step under fitConverged (main
// at 2543222): always textureIters steps.
func fitFromReference(fa, fb []float64, side int, relief []float64, p0 warpParams) (rms float64, p warpParams) {
	p = p0
	if fa == nil || fb == nil {
		return 0, p
	}
	np := 8
	if relief != nil {
		if len(relief) != side*side {
			return 0, p
		}
		np = 10
	} else {
		p[8], p[9] = 0, 0
	}
	cx, cy := float64(side)/2, float64(side)/2
	for it := 0; it <= textureIters; it++ {
		var h [10][10]float64
		var g [10]float64
		var sum float64
		n := 0
		for y := textureY0; y < textureY1; y += textureStep {
			for x := textureX0; x < textureX1; x += textureStep {
				xr, yr := float64(x)-cx, float64(y)-cy
				d := 1 + p[6]*xr/cx + p[7]*yr/cy
				if d < 0.5 {
					continue
				}
				u := (1+p[0])*xr + p[1]*yr + p[2]
				w := p[3]*xr + (1+p[4])*yr + p[5]
				wx, wy := u/d+cx, w/d+cy
				var z float64
				if relief != nil {
					z = relief[y*side+x]
					wx += p[8] * z
					wy += p[9] * z
				}
				s, ok := sampleBilinear(fb, side, wx, wy)
				if !ok {
					continue
				}
				e := s - fa[y*side+x]
				sum += e * e
				n++
				gx := (fa[y*side+x+1] - fa[y*side+x-1]) / 2
				gy := (fa[(y+1)*side+x] - fa[(y-1)*side+x]) / 2
				xd, yd := xr/d, yr/d
				pu := -(gx*u + gy*w) / (d * d)
				j := [10]float64{gx * xd, gx * yd, gx / d, gy * xd, gy * yd, gy / d, pu * xr / cx, pu * yr / cy, gx * z, gy * z}
				for r := 0; r < np; r++ {
					for c := 0; c < np; c++ {
						h[r][c] += j[r] * j[c]
					}
					g[r] += j[r] * e
				}
			}
		}
		if n == 0 {
			return 0, p0
		}
		rms = math.Sqrt(sum / float64(n))
		if it == textureIters {
			break
		}
		dp, ok := solve(&h, g, np)
		if !ok {
			break
		}
		for k := 0; k < np; k++ {
			p[k] -= dp[k]
		}
	}
	return rms, p
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
	scale := [10]float64{55, 55, 1, 55, 55, 1, 4 * 55 * 55 / 75.0, 4 * 55 * 55 / 75.0, 1.2, 1.2}
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
