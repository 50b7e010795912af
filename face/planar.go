package face

import (
	"math"
	"slices"
)

// A flat picture (a printed photo, a phone or monitor screen) moved in
// front of the camera moves as a plane: whatever the hand does, the image
// of every point of it between two frames is one homography. A head does
// not: as it turns, the nose tip moves across the cheeks and the far side
// of the jaw hides behind them (parallax). planarResidual measures how far
// the landmarks of a pair of frames are from any homography.

// homographyResidual fits the homography taking a's landmarks onto b's by
// linear least squares (on coordinates normalised to their centroid and
// mean distance, which keeps the normal equations well conditioned) and
// returns the RMS distance, in b's pixels, between b's landmarks and a's
// mapped ones. It returns 0 when the fit is degenerate (all points in one
// place).
func homographyResidual(a, b *Landmarks) float64 {
	h, na, nb, ok := fitHomography(a[:], b[:])
	if !ok {
		return 0
	}
	var sum float64
	for i := range a {
		x, y := na.apply(a[i])
		w := h[6]*x + h[7]*y + 1
		if math.Abs(w) < 1e-9 {
			return math.Inf(1)
		}
		u := (h[0]*x + h[1]*y + h[2]) / w
		v := (h[3]*x + h[4]*y + h[5]) / w
		bu, bv := nb.apply(b[i])
		sum += (u-bu)*(u-bu) + (v-bv)*(v-bv)
	}
	// Back to b's pixels: the normalisation scaled distances by nb.s.
	return math.Sqrt(sum/float64(len(a))) / nb.s
}

// fitHomography fits the homography taking the points a onto b (a[i] onto
// b[i]) by linear least squares on coordinates normalised to their centroid
// and mean distance (na, nb), which keeps the normal equations well
// conditioned: unknowns h0..h7 with h8 = 1, u(h6 x + h7 y + 1) = h0 x +
// h1 y + h2 and v(h6 x + h7 y + 1) = h3 x + h4 y + h5 in the normalised
// coordinates. ok is false when the fit is degenerate (all points in one
// place).
func fitHomography(a, b []Point) (h [8]float64, na, nb norm, ok bool) {
	na, ok1 := normaliser(a)
	nb, ok2 := normaliser(b)
	if !ok1 || !ok2 {
		return h, na, nb, false
	}
	var ata [8][8]float64
	var atb [8]float64
	add := func(row [8]float64, rhs float64) {
		for i := 0; i < 8; i++ {
			if row[i] == 0 {
				continue
			}
			for j := 0; j < 8; j++ {
				ata[i][j] += row[i] * row[j]
			}
			atb[i] += row[i] * rhs
		}
	}
	for i := range a {
		x, y := na.apply(a[i])
		u, v := nb.apply(b[i])
		add([8]float64{x, y, 1, 0, 0, 0, -u * x, -u * y}, u)
		add([8]float64{0, 0, 0, x, y, 1, -v * x, -v * y}, v)
	}
	h, ok = solve8(ata, atb)
	return h, na, nb, ok
}

// norm moves points to their centroid and scales them to a mean distance
// of √2 from it.
type norm struct{ cx, cy, s float64 }

func (n norm) apply(p Point) (float64, float64) { return (p.X - n.cx) * n.s, (p.Y - n.cy) * n.s }

func normaliser(p []Point) (norm, bool) {
	var n norm
	for _, q := range p {
		n.cx += q.X
		n.cy += q.Y
	}
	n.cx /= float64(len(p))
	n.cy /= float64(len(p))
	var d float64
	for _, q := range p {
		d += math.Hypot(q.X-n.cx, q.Y-n.cy)
	}
	d /= float64(len(p))
	if d < 1e-9 {
		return n, false
	}
	n.s = math.Sqrt2 / d
	return n, true
}

// solve8 solves the 8×8 system m·x = r by Gaussian elimination with
// partial pivoting; ok is false for a singular system.
func solve8(m [8][8]float64, r [8]float64) (x [8]float64, ok bool) {
	for c := 0; c < 8; c++ {
		p := c
		for i := c + 1; i < 8; i++ {
			if math.Abs(m[i][c]) > math.Abs(m[p][c]) {
				p = i
			}
		}
		if math.Abs(m[p][c]) < 1e-12 {
			return x, false
		}
		m[c], m[p] = m[p], m[c]
		r[c], r[p] = r[p], r[c]
		for i := c + 1; i < 8; i++ {
			f := m[i][c] / m[c][c]
			for j := c; j < 8; j++ {
				m[i][j] -= f * m[c][j]
			}
			r[i] -= f * r[c]
		}
	}
	for c := 7; c >= 0; c-- {
		s := r[c]
		for j := c + 1; j < 8; j++ {
			s -= m[c][j] * x[j]
		}
		x[c] = s / m[c][c]
	}
	return x, true
}

// parallax is the planar-motion score of a track of landmarks (frames in
// time order, eye distances eyes): for every frame, the median over the
// other frames of the homography residual as a fraction of the eye
// distance, and of those the largest. A head that turns leaves at least
// one frame (the most turned) far from every homography of the others; a
// flat picture leaves only the landmark noise. The median makes one
// badly-placed frame count once, not in every pair it belongs to.
func parallax(lms []*Landmarks, eyes []float64) float64 {
	return worstMedianResidual(len(lms), func(i, j int) float64 {
		if (eyes[i]+eyes[j])/2 <= 0 {
			return 0
		}
		// Symmetric: fit both ways and keep the smaller, as the
		// least-squares fit is not symmetric in its two sides.
		return math.Min(homographyResidual(lms[i], lms[j])/eyes[j], homographyResidual(lms[j], lms[i])/eyes[i])
	})
}

// worstMedianResidual evaluates the symmetric residual resid(i, j) of
// every pair of n frames and returns, over the frames, the largest median
// of a frame's residuals to the others (0 for fewer than two frames).
// The median makes one bad frame count once, not in every pair it
// belongs to; the largest finds the frame that no other explains.
func worstMedianResidual(n int, resid func(i, j int) float64) float64 {
	best := 0.0
	for _, m := range frameMedianResiduals(n, resid) {
		best = math.Max(best, m)
	}
	return best
}

// robustMedianResidual is worstMedianResidual with the worst frame set
// aside: over the frames, the second largest median residual to the
// others, when there are at least robustFrames frames (the largest
// otherwise). One frame read wrongly (a chip misplaced by a weak
// detection's landmarks, a frame blurred by a jerk) is far from every
// other and alone lifts the largest; a turning head has two or more
// frames far from the rest (the ends of each swing), so the second
// largest still finds them.
func robustMedianResidual(n int, resid func(i, j int) float64) float64 {
	return secondLargest(frameMedianResiduals(n, resid))
}

// secondLargest is the second largest of the frames' medians m (sorted
// in place), the largest when there are fewer than robustFrames, 0 for
// none: robustMedianResidual's and trackDepth's choice.
func secondLargest(m []float64) float64 {
	if len(m) == 0 {
		return 0
	}
	slices.Sort(m)
	if len(m) < robustFrames {
		return m[len(m)-1]
	}
	return m[len(m)-2]
}

// robustFrames is the fewest frames robustMedianResidual sets the worst
// aside in: with three, one bad frame is in two of the three pairs, so
// every frame's median is lifted and setting one aside does not help.
const robustFrames = 4

// frameMedianResiduals evaluates the symmetric residual resid(i, j) of
// every pair of n frames and returns, for each frame, the median of its
// residuals to the others (nil for fewer than two frames). A residual
// that is NaN is left out (a pair the cue cannot judge), and so is a
// frame left with none.
func frameMedianResiduals(n int, resid func(i, j int) float64) []float64 {
	if n < 2 {
		return nil
	}
	res := make([][]float64, n)
	for i := range res {
		res[i] = make([]float64, n)
	}
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			r := resid(i, j)
			res[i][j], res[j][i] = r, r
		}
	}
	out := make([]float64, 0, n)
	others := make([]float64, 0, n-1)
	for i := 0; i < n; i++ {
		others = others[:0]
		for j := 0; j < n; j++ {
			if j != i && !math.IsNaN(res[i][j]) {
				others = append(others, res[i][j])
			}
		}
		if len(others) > 0 {
			out = append(out, median(others))
		}
	}
	return out
}
