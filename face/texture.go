package face

import "math"

// The landmark test (parallax) sees a flat picture through 68 noisy
// points: on a small face cut from a group photo and upscaled, the points
// jitter by a good part of the parallax a real head shows. The texture cue
// looks at every pixel of the face instead. The face chips of two frames
// are already aligned on the landmarks by a similarity transform; if the
// face is a flat picture, what is left between them is a small global
// warp (the landmark error and the perspective of the plane), and once
// that warp is removed the two chips agree up to noise and compression. A
// head that turns cannot be brought onto itself by one warp: the nose
// moves across the cheeks, the far side of the face narrows.

// textureRegion is the part of the chip compared: the face from the brows
// to the mouth, inside the jaw (chip coordinates, chipSize 150).
const (
	textureX0, textureY0 = 35, 35
	textureX1, textureY1 = 115, 130
	// textureStep subsamples the region (every second pixel).
	textureStep = 2
	// textureIters is the number of Gauss–Newton steps of the alignment.
	textureIters = 12
	// fitConverged is the step (chip pixels, a bound on how far it moves
	// any sample point) under which fitFrom stops iterating.
	fitConverged = 1e-3
)

// warpResidual aligns chip b onto chip a (both side×side luma) by the
// homography that minimises their difference over textureRegion
// (Lucas–Kanade, Gauss–Newton with a's gradients: any view of a flat
// picture, tilted or not), after removing the slow changes of light from
// each (highPass) and bringing each region to zero mean and unit variance
// (so a change of exposure does not count), and returns the RMS
// difference left, in units of the region's standard deviation: well
// under 0.3 for two frames of one flat picture (noise, compression, a
// screen's bands), clearly more for a head that turned. It returns 0 for
// chips of the wrong size or a flat region.
func warpResidual(a, b []uint8, side int) float64 {
	rms, _ := warpFit(a, b, side, nil)
	return rms
}

// warpFit is warpResidual's fit. With relief (a side×side map, see
// faceRelief) the warp also moves every pixel by its relief times a
// fitted parallax vector v (chip pixels per unit of relief): a plane plus
// the parallax of a head's shape (docs/face.md, "Depth cue"). It returns
// the RMS difference left and v (zero without relief).
func warpFit(a, b []uint8, side int, relief []float64) (rms float64, v [2]float64) {
	return fitNormalised(normalisedChip(a, side), normalisedChip(b, side), side, relief)
}

// normalisedChip is a chip as warpFit compares it: smoothed, less the
// slow changes of light (highPass), textureRegion brought to zero mean
// and unit variance. It is nil for a chip of the wrong size, a side too
// small for textureRegion, or a flat region.
func normalisedChip(c []uint8, side int) []float64 {
	f, _ := normalisedAndSmoothed(c, side)
	return f
}

// normalisedAndSmoothed is normalisedChip and the chip smoothed only
// (smooth), from one smoothing; both are nil where normalisedChip is.
func normalisedAndSmoothed(c []uint8, side int) (f, sm []float64) {
	if len(c) != side*side || side < textureX1+2 || side < textureY1+2 {
		return nil, nil
	}
	sm = smooth(c, side)
	f = normaliseSmoothed(append([]float64(nil), sm...), side)
	if f == nil {
		return nil, nil
	}
	return f, sm
}

// normaliseSmoothed is normalisedChip's last steps on a chip smooth made
// (overwritten): less its slow changes of light, textureRegion brought
// to zero mean and unit variance (nil for a flat region).
func normaliseSmoothed(f []float64, side int) []float64 {
	f = highPass(f, side)
	m, sd := regionStats(f, side)
	if sd < 1e-6 {
		return nil
	}
	for i := range f {
		f[i] = (f[i] - m) / sd
	}
	return f
}

// fitNormalised is warpFit on chips normalisedChip made (0 when either
// is nil).
func fitNormalised(fa, fb []float64, side int, relief []float64) (rms float64, v [2]float64) {
	rms, p := fitFrom(fa, fb, side, relief, warpParams{})
	return rms, [2]float64{p[8], p[9]}
}

// warpParams is fitFrom's parameter vector p: the homography x' =
// ((1+p0)x + p1 y + p2)/d, y' = (p3 x + (1+p4) y + p5)/d, d = 1 + p6 x/cx
// + p7 y/cy, in coordinates around the chip centre (cx, cy): any view of
// a flat picture; with relief, x' and y' move on by p8 and p9 times the
// pixel's relief; with a second relief (fitPointsNose), by p10 and p11
// times the pixel's second relief too. The zero value is the identity.
type warpParams [12]float64

// fitFrom is fitNormalised's Gauss–Newton fit started from p0 (the
// relief terms p0[8], p0[9] are used only with relief); it returns the
// RMS difference left and the parameters reached (0 and p0 when either
// chip is nil or nothing could be compared).
func fitFrom(fa, fb []float64, side int, relief []float64, p0 warpParams) (rms float64, p warpParams) {
	return fitPoints(regionPoints(fa, side, relief), fb, side, relief, p0)
}

// fitPoints is fitFrom with chip a's sample points taken already
// (regionPoints; with or without the relief when the fit has none).
func fitPoints(pts []regionPoint, fb []float64, side int, relief []float64, p0 warpParams) (rms float64, p warpParams) {
	return fitPointsUntil(pts, fb, side, relief, p0, fitConverged)
}

// fitPointsUntil is fitPoints stopping once a step moves no sample point
// by stop chip pixels (0: never, every one of the textureIters steps).
func fitPointsUntil(pts []regionPoint, fb []float64, side int, relief []float64, p0 warpParams, stop float64) (rms float64, p warpParams) {
	return fitPointsWith(pts, fb, side, relief, false, p0, stop)
}

// fitPointsNose is fitPoints with two reliefs, each moving the pixels
// along its own fitted direction: pts' z (p8, p9) and z2 (p10, p11), as
// regionPointsNose takes them; relief is the first, to check the size.
func fitPointsNose(pts []regionPoint, fb []float64, side int, relief []float64, p0 warpParams) (rms float64, p warpParams) {
	return fitPointsWith(pts, fb, side, relief, true, p0, fitConverged)
}

// fitPointsWith is fitPointsUntil, with the second relief (pts' z2,
// p10 and p11) when two and relief is given.
func fitPointsWith(pts []regionPoint, fb []float64, side int, relief []float64, two bool, p0 warpParams, stop float64) (rms float64, p warpParams) {
	p = p0
	if pts == nil || fb == nil {
		return 0, p
	}
	np := 8
	if relief != nil {
		if len(relief) != side*side {
			return 0, p
		}
		np = 10
		if two {
			np = 12
		}
	} else {
		p[8], p[9] = 0, 0
	}
	if np < 12 {
		p[10], p[11] = 0, 0
	}
	cx, cy := float64(side)/2, float64(side)/2
	// stepScale turns a step of the parameters into a bound on how far
	// it moves any sample point (chip pixels): the region's largest
	// distance from the centre for the linear terms, that over d's
	// smallest (0.5) for the perspective terms, the largest relief for
	// the parallax.
	var rmax, zmax, z2max float64
	for k := range pts {
		rmax = math.Max(rmax, math.Max(math.Abs(pts[k].xr), math.Abs(pts[k].yr)))
		zmax = math.Max(zmax, math.Abs(pts[k].z))
		z2max = math.Max(z2max, math.Abs(pts[k].z2))
	}
	stepScale := [12]float64{rmax, rmax, 1, rmax, rmax, 1, 4 * rmax * rmax / cx, 4 * rmax * rmax / cy, zmax, zmax, z2max, z2max}
	converged := false
	for it := 0; it <= textureIters; it++ {
		last := it == textureIters || converged
		var h [12][12]float64
		var g [12]float64
		var sum float64
		n := 0
		for k := range pts {
			q := &pts[k]
			xr, yr := q.xr, q.yr
			d := 1 + p[6]*xr/cx + p[7]*yr/cy
			if d < 0.5 {
				continue
			}
			u := (1+p[0])*xr + p[1]*yr + p[2]
			w := p[3]*xr + (1+p[4])*yr + p[5]
			wx, wy := u/d+cx, w/d+cy
			z, z2 := q.z, q.z2
			if relief != nil {
				wx += p[8] * z
				wy += p[9] * z
				if np == 12 {
					wx += p[10] * z2
					wy += p[11] * z2
				}
			}
			s, ok := sampleBilinear(fb, side, wx, wy)
			if !ok {
				continue
			}
			e := s - q.a
			sum += e * e
			n++
			if last {
				// The last pass only measures the residual.
				continue
			}
			gx, gy := q.gx, q.gy
			xd, yd := xr/d, yr/d
			pu := -(gx*u + gy*w) / (d * d)
			j := [12]float64{gx * xd, gx * yd, gx / d, gy * xd, gy * yd, gy / d, pu * xr / cx, pu * yr / cy, gx * z, gy * z, gx * z2, gy * z2}
			// h is symmetric: its upper triangle is summed, then
			// mirrored (the same products in the same order).
			for r := 0; r < np; r++ {
				jr := j[r]
				for c := r; c < np; c++ {
					h[r][c] += jr * j[c]
				}
				g[r] += jr * e
			}
		}
		if n == 0 {
			return 0, p0
		}
		rms = math.Sqrt(sum / float64(n))
		if last {
			break
		}
		for r := 1; r < np; r++ {
			for c := 0; c < r; c++ {
				h[r][c] = h[c][r]
			}
		}
		dp, ok := solve(&h, g, np)
		if !ok {
			break
		}
		var move float64
		for k := 0; k < np; k++ {
			p[k] -= dp[k]
			move += math.Abs(dp[k]) * stepScale[k]
		}
		// A step that moves no sample point by stop pixels leaves
		// nothing to fit: the next pass only measures.
		converged = move < stop
	}
	return rms, p
}

// regionPoint is one of fitFrom's sample points of textureRegion: its
// coordinates around the chip centre, chip a's value and central
// gradients there, and the relief (0 without) and a second relief
// (regionPointsNose; 0 without).
type regionPoint struct {
	xr, yr, a, gx, gy, z, z2 float64
}

// regionPointsNose is regionPoints with relief as z and a second relief,
// nose, as z2 (both side×side).
func regionPointsNose(fa []float64, side int, relief, nose []float64) []regionPoint {
	pts := regionPoints(fa, side, relief)
	if len(nose) != side*side {
		return pts
	}
	k := 0
	for y := textureY0; y < textureY1; y += textureStep {
		for x := textureX0; x < textureX1; x += textureStep {
			pts[k].z2 = nose[y*side+x]
			k++
		}
	}
	return pts
}

// regionPoints lists fitFrom's sample points of textureRegion (every
// textureStep pixels) for chip fa and relief (nil for none, or of the
// wrong size): what does not change between a fit's iterations, taken
// once (nil for fa nil).
func regionPoints(fa []float64, side int, relief []float64) []regionPoint {
	if fa == nil {
		return nil
	}
	if len(relief) != side*side {
		relief = nil
	}
	cx, cy := float64(side)/2, float64(side)/2
	pts := make([]regionPoint, 0, ((textureY1-textureY0+textureStep-1)/textureStep)*((textureX1-textureX0+textureStep-1)/textureStep))
	for y := textureY0; y < textureY1; y += textureStep {
		for x := textureX0; x < textureX1; x += textureStep {
			q := regionPoint{
				xr: float64(x) - cx,
				yr: float64(y) - cy,
				a:  fa[y*side+x],
				gx: (fa[y*side+x+1] - fa[y*side+x-1]) / 2,
				gy: (fa[(y+1)*side+x] - fa[(y-1)*side+x]) / 2,
			}
			if relief != nil {
				q.z = relief[y*side+x]
			}
			pts = append(pts, q)
		}
	}
	return pts
}

// smooth returns the chip as floats blurred by a 3×3 binomial kernel, which
// takes the edge off compression blocks and makes the gradients usable.
func smooth(src []uint8, side int) []float64 {
	out := make([]float64, len(src))
	w := [3]float64{1, 2, 1}
	for y := 0; y < side; y++ {
		for x := 0; x < side; x++ {
			var s, ws float64
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					xx, yy := x+dx, y+dy
					if xx < 0 || yy < 0 || xx >= side || yy >= side {
						continue
					}
					k := w[dx+1] * w[dy+1]
					s += k * float64(src[yy*side+xx])
					ws += k
				}
			}
			out[y*side+x] = s / ws
		}
	}
	return out
}

// regionStats is the mean and standard deviation of textureRegion.
func regionStats(f []float64, side int) (mean, sd float64) {
	var s, s2 float64
	n := 0
	for y := textureY0; y < textureY1; y++ {
		for x := textureX0; x < textureX1; x++ {
			v := f[y*side+x]
			s += v
			s2 += v * v
			n++
		}
	}
	mean = s / float64(n)
	return mean, math.Sqrt(math.Max(s2/float64(n)-mean*mean, 0))
}

// sampleBilinear samples f at (x, y); ok is false outside the image.
func sampleBilinear(f []float64, side int, x, y float64) (float64, bool) {
	if x < 0 || y < 0 || x > float64(side-1) || y > float64(side-1) {
		return 0, false
	}
	x0, y0 := int(x), int(y)
	x1, y1 := min(x0+1, side-1), min(y0+1, side-1)
	fx, fy := x-float64(x0), y-float64(y0)
	top := f[y0*side+x0]*(1-fx) + f[y0*side+x1]*fx
	bot := f[y1*side+x0]*(1-fx) + f[y1*side+x1]*fx
	return top*(1-fy) + bot*fy, true
}

// solve solves the n×n system m·x = r (n ≤ 12, the top left of m and r)
// by Gaussian elimination with partial pivoting; ok is false for a
// singular system. m is overwritten.
func solve(m *[12][12]float64, r [12]float64, n int) (x [12]float64, ok bool) {
	for c := 0; c < n; c++ {
		p := c
		for i := c + 1; i < n; i++ {
			if math.Abs(m[i][c]) > math.Abs(m[p][c]) {
				p = i
			}
		}
		if math.Abs(m[p][c]) < 1e-12 {
			return x, false
		}
		m[c], m[p] = m[p], m[c]
		r[c], r[p] = r[p], r[c]
		for i := c + 1; i < n; i++ {
			f := m[i][c] / m[c][c]
			for j := c; j < n; j++ {
				m[i][j] -= f * m[c][j]
			}
			r[i] -= f * r[c]
		}
	}
	for c := n - 1; c >= 0; c-- {
		s := r[c]
		for j := c + 1; j < n; j++ {
			s -= m[c][j] * x[j]
		}
		x[c] = s / m[c][c]
	}
	return x, true
}

// textureBox is the radius of the box mean highPass removes: light that
// varies slowly over the face (a screen's refresh bands, a reflection on
// its glass, shading) does not count as texture.
const textureBox = 6

// highPass returns f less its (2·textureBox+1)² box mean.
func highPass(f []float64, side int) []float64 {
	m := boxMean(f, side, textureBox)
	for i := range f {
		f[i] -= m[i]
	}
	return f
}

// A photo tilted about its vertical axis by 40–65° and back (the
// replay_tilted_photo attack) foreshortens the face across by 0.4–0.75
// between two frames, and the chips' similarity alignment leaves all of
// that in the pair: from the identity, the fit above stalls far from the
// homography that relates them, and its residual counts as a head. The
// landmarks see that foreshortening already: the homography of their
// rigid points (brows, eyes, nose) from one chip to the other is a start
// the fit converges from (landmarkWarp).

// chipLandmarks is lm (image pixels) in the coordinates of its chip of
// side size (chipTransform's inverse).
func chipLandmarks(lm *Landmarks, size int) *Landmarks {
	t := chipTransform(lm, size)
	k := t.a*t.a + t.b*t.b
	out := new(Landmarks)
	if k == 0 {
		return out
	}
	for i, q := range lm {
		u, v := q.X-t.tx, q.Y-t.ty
		out[i] = Point{(t.a*u + t.b*v) / k, (-t.b*u + t.a*v) / k}
	}
	return out
}

// rigidFirst, rigidLast are the landmarks landmarkWarp fits: brows 17–26,
// nose 27–35, eyes 36–47, which a flat picture carries rigidly and an
// expression moves least (the mouth and the jaw line are left out).
const rigidFirst, rigidLast = 17, 47

// landmarkWarp is the homography taking a's rigid landmarks onto b's
// (both in chip coordinates, side side) by linear least squares on
// normalised coordinates, in fitFrom's parameters; ok is false for a
// degenerate fit or one that folds textureRegion (d ≤ 0.5 somewhere).
func landmarkWarp(a, b *Landmarks, side int) (p warpParams, ok bool) {
	if a == nil || b == nil {
		return p, false
	}
	h, na, nb, ok := fitHomography(a[rigidFirst:rigidLast+1], b[rigidFirst:rigidLast+1])
	if !ok {
		return p, false
	}
	// In centred chip coordinates r (chip point r + c): a's normalised
	// point is sa·(r + c − ma); b's centred point is its normalised one
	// over sb, plus mb − c. m = Nb⁻¹·H·Na.
	c := float64(side) / 2
	H := [3][3]float64{{h[0], h[1], h[2]}, {h[3], h[4], h[5]}, {h[6], h[7], 1}}
	Na := [3][3]float64{{na.s, 0, na.s * (c - na.cx)}, {0, na.s, na.s * (c - na.cy)}, {0, 0, 1}}
	Nb := [3][3]float64{{1 / nb.s, 0, nb.cx - c}, {0, 1 / nb.s, nb.cy - c}, {0, 0, 1}}
	m := mul3(Nb, mul3(H, Na))
	if math.Abs(m[2][2]) < 1e-12 {
		return p, false
	}
	for i := range m {
		for j := range m[i] {
			m[i][j] /= m[2][2]
		}
	}
	p = warpParams{m[0][0] - 1, m[0][1], m[0][2], m[1][0], m[1][1] - 1, m[1][2], m[2][0] * c, m[2][1] * c}
	for _, q := range [4][2]float64{{textureX0, textureY0}, {textureX1, textureY0}, {textureX0, textureY1}, {textureX1, textureY1}} {
		if 1+m[2][0]*(q[0]-c)+m[2][1]*(q[1]-c) <= 0.5 {
			return warpParams{}, false
		}
	}
	for _, v := range p {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return warpParams{}, false
		}
	}
	return p, true
}

func mul3(a, b [3][3]float64) (m [3][3]float64) {
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			for k := 0; k < 3; k++ {
				m[i][j] += a[i][k] * b[k][j]
			}
		}
	}
	return m
}
