package face

import (
	"math"
	"testing"
)

// fitFromReference is fitFrom as it was before its sample points were
// taken once per call and the normal matrix's upper triangle alone was
// summed (main at 2543222): the test below holds the faster fit to the
// same numbers, bit for bit.
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

// TestFitFromSameNumbers fits synthetic chips (a smooth pattern, the same
// pattern through a known homography, and with a bump moved by a
// parallax) with and without relief, from the identity and from a
// start far off (sample points fall outside b, some pixels behind the
// horizon d < 0.5): rms and parameters must equal the reference's
// exactly.
func TestFitFromSameNumbers(t *testing.T) {
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
	starts := []warpParams{{}, {0.2, 0.1, 6, -0.1, 0.3, -5, 0.4, -0.3, 2, -1}, {0, 0, 0, 0, 0, 0, -1.2, 0}}
	for i, pair := range [][2][]float64{{fa, fb}, {fa, fbump}, {fb, fa}, {fa, fa}} {
		for _, r := range [][]float64{nil, rel} {
			for k, p0 := range starts {
				got, gp := fitFrom(pair[0], pair[1], side, r, p0)
				want, wp := fitFromReference(pair[0], pair[1], side, r, p0)
				if got != want || gp != wp {
					t.Errorf("pair %d relief %v start %d: rms %v %v, want %v %v", i, r != nil, k, got, gp, want, wp)
				}
				if i < 2 && k == 0 && !(got > 0) {
					t.Errorf("pair %d relief %v: rms %v, want a positive residual", i, r != nil, got)
				}
			}
		}
	}
}
