package face

import (
	"math"
	"sync"
)

// The landmark parallax (parallax) counts everything a homography leaves
// of two frames' landmarks as evidence of a head, and the landmarks'
// errors leave plenty: replayed photos reach the parallax of a head that
// barely turns. The landmark relief asks, as the depth cue does of the
// pixels, what part of it a head's shape explains: how much closer the
// second frame's landmarks come once the homography may also move each
// landmark, along one fitted direction, in proportion to how far the mean
// head stands out there (faceRelief at the landmark's place on the mean
// face). Were the landmarks' errors independent from landmark to
// landmark, the two extra parameters would take about √(2/54) of them
// and a flat picture would score about 0.2 whatever its jitter. On the
// landmark network's output they are not: its errors move the nose
// against the eyes as a head's relief would, and replays (the panned and
// zoomed still included) score as high as genuine heads (docs/face.md,
// "Landmark relief"). The cue is reported, not decided on.

// Landmarks the landmark relief fits: the brows, the nose and the eyes
// (17–47), the part of the face that moves rigidly with the head. The jaw
// line is an outline, not points on the head (it slides round as the head
// turns), and the mouth moves on its own when the person talks.
const reliefFirst, reliefLast = 17, 47

// reliefN is the number of landmarks the landmark relief fits.
const reliefN = reliefLast - reliefFirst + 1

var (
	landmarkReliefOnce sync.Once
	landmarkZ          [reliefN]float64
)

// landmarkHeights returns how far the mean head stands out at each
// landmark reliefFirst..reliefLast, in face half-widths (faceRelief at
// the landmark's place in the chip; the part affine in x and y, which
// the homography absorbs anyway, removed).
func landmarkHeights() *[reliefN]float64 {
	landmarkReliefOnce.Do(func() {
		rel := faceRelief(chipSize)
		for k := range landmarkZ {
			x, y := templatePoint(reliefFirst+k, chipSize)
			xi := min(max(int(math.Round(x)), 0), chipSize-1)
			yi := min(max(int(math.Round(y)), 0), chipSize-1)
			landmarkZ[k] = rel[yi*chipSize+xi]
		}
	})
	return &landmarkZ
}

// reliefFit fits the homography taking the points a onto b, plus, when z
// is not nil, a displacement z[k]·d of each point along one direction d
// fitted with it (the plane-plus-parallax model of a turning head), by
// linear least squares on coordinates normalised as homographyResidual
// does. It returns the RMS distance left, in b's pixels, and false for
// a degenerate fit.
func reliefFit(a, b []Point, z []float64) (float64, bool) {
	na, ok1 := normaliser(a)
	nb, ok2 := normaliser(b)
	if !ok1 || !ok2 {
		return 0, false
	}
	n := 8
	if z != nil {
		n = 10
	}
	var ata [10][10]float64
	var atb [10]float64
	add := func(row *[10]float64, rhs float64) {
		for i := 0; i < n; i++ {
			if row[i] == 0 {
				continue
			}
			for j := 0; j < n; j++ {
				ata[i][j] += row[i] * row[j]
			}
			atb[i] += row[i] * rhs
		}
	}
	for i := range a {
		x, y := na.apply(a[i])
		u, v := nb.apply(b[i])
		var zi float64
		if z != nil {
			zi = z[i]
		}
		add(&[10]float64{x, y, 1, 0, 0, 0, -u * x, -u * y, zi, 0}, u)
		add(&[10]float64{0, 0, 0, x, y, 1, -v * x, -v * y, 0, zi}, v)
	}
	h, ok := solve(&ata, atb, n)
	if !ok {
		return 0, false
	}
	var sum float64
	for i := range a {
		x, y := na.apply(a[i])
		w := h[6]*x + h[7]*y + 1
		if math.Abs(w) < 1e-9 {
			return 0, false
		}
		u := (h[0]*x + h[1]*y + h[2]) / w
		v := (h[3]*x + h[4]*y + h[5]) / w
		if z != nil {
			u += h[8] * z[i]
			v += h[9] * z[i]
		}
		bu, bv := nb.apply(b[i])
		sum += (u-bu)*(u-bu) + (v-bv)*(v-bv)
	}
	return math.Sqrt(sum/float64(len(a))) / nb.s, true
}

// landmarkReliefPair returns, for the landmarks of two frames (eye
// distances ea, eb), the rigid landmarks' homography residual plane and
// the part of it the relief explains, explained = √(plane² − left²)
// with left the residual once the relief term is fitted too, both as
// fractions of the eye distance. Both directions are fitted and the one
// with the smaller plane residual kept, as parallax does.
func landmarkReliefPair(a, b *Landmarks, ea, eb float64) (plane, explained float64, ok bool) {
	z := landmarkHeights()[:]
	pa, pb := a[reliefFirst:reliefLast+1], b[reliefFirst:reliefLast+1]
	one := func(p, q []Point, e float64) (float64, float64, bool) {
		r0, ok0 := reliefFit(p, q, nil)
		r1, ok1 := reliefFit(p, q, z)
		if !ok0 || !ok1 || e <= 0 {
			return 0, 0, false
		}
		return r0 / e, math.Sqrt(math.Max(0, r0*r0-r1*r1)) / e, true
	}
	p1, x1, ok1 := one(pa, pb, eb)
	p2, x2, ok2 := one(pb, pa, ea)
	switch {
	case ok1 && ok2 && p2 < p1:
		return p2, x2, true
	case ok1:
		return p1, x1, true
	case ok2:
		return p2, x2, true
	}
	return 0, 0, false
}

// landmarkReliefCap bounds the landmark relief: a track whose landmarks
// the relief explains all but exactly (noise-free synthetic landmarks)
// would otherwise divide by about 0.
const landmarkReliefCap = 10

// landmarkRelief is the landmark relief cue of a track of landmarks
// (frames in time order, eye distances eyes): for every pair of frames,
// the part of the rigid landmarks' homography residual the mean head's
// relief explains (landmarkReliefPair); for every frame the median over
// the others, and of those the second largest (robustMedianResidual, as
// the texture and depth cues take); all in units of the track's own
// landmark noise, the median over the pairs of the residual the relief
// leaves. It is at most landmarkReliefCap, and 0 for fewer than two
// frames.
func landmarkRelief(lms []*Landmarks, eyes []float64) float64 {
	n := len(lms)
	if n < 2 {
		return 0
	}
	explained := make([][]float64, n)
	for i := range explained {
		explained[i] = make([]float64, n)
	}
	var left []float64
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			p, e, ok := landmarkReliefPair(lms[i], lms[j], eyes[i], eyes[j])
			if !ok {
				e = math.NaN() // left out, as frameMedianResiduals does
			} else {
				left = append(left, math.Sqrt(math.Max(0, p*p-e*e)))
			}
			explained[i][j], explained[j][i] = e, e
		}
	}
	if len(left) == 0 {
		return 0
	}
	e := robustMedianResidual(n, func(i, j int) float64 { return explained[i][j] })
	noise := median(left)
	if e <= 0 {
		return 0
	}
	if e >= landmarkReliefCap*noise {
		return landmarkReliefCap
	}
	return e / noise
}
