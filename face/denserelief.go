package face

import "math"

// The depth cue's relief (faceRelief) is one map for every chip: a
// rounded head and a nose ridge fixed to the mean face's place in the
// chip. landmarkRelief places a head's relief on the face's own
// landmarks instead: each of the 68 points is given the depth of the
// same point on a mean 3D face, and the depth between them is the
// smoothest surface through those depths (a thin-plate spline), so the
// nose, the brows, the eye sockets and the cheeks stand out where this
// face has them in this chip.

// meanShape3D is the mean shape of OpenFace's 68-point in-the-wild
// point-distribution model (T. Baltrušaitis, P. Robinson, L.-P. Morency,
// "Constrained Local Neural Fields for robust facial landmark detection
// in the wild", ICCV Workshops 2013), as circulated for 68-landmark head
// pose estimation; the data only, with credit. Units are about
// millimetres; x runs towards the image's right, y down and z towards
// the camera (the circulated table's z negated): the nose tip stands 37
// in front of the eye corners, the jaw's ends 45–50 behind them.
var meanShape3D = [68][3]float64{
	{-73.393523, -29.801432, -47.667532},
	{-72.775014, -10.949766, -45.909403},
	{-70.533638, 7.929818, -44.842580},
	{-66.850058, 26.074280, -43.141114},
	{-59.790187, 42.564390, -38.635298},
	{-48.368973, 56.481080, -30.750622},
	{-34.121101, 67.246992, -18.456453},
	{-17.875411, 75.056892, -3.609035},
	{0.098749, 77.061286, 0.881698},
	{17.477031, 74.758448, -5.181201},
	{32.648966, 66.929021, -19.176563},
	{46.372358, 56.311389, -30.770570},
	{57.343480, 42.419126, -37.628629},
	{64.388482, 25.455880, -40.886309},
	{68.212038, 6.990805, -42.281449},
	{70.486405, -11.666193, -44.142567},
	{71.375822, -30.365191, -47.140426},
	{-61.119406, -49.361602, -14.254422},
	{-51.287588, -58.769795, -7.268147},
	{-37.804800, -61.996155, -0.442051},
	{-24.022754, -61.033399, 6.606501},
	{-11.635713, -56.686759, 11.967398},
	{12.056636, -57.391033, 12.051204},
	{25.106256, -61.902186, 7.315098},
	{38.338588, -62.777713, 1.022953},
	{51.191007, -59.302347, -5.349435},
	{60.053851, -50.190255, -11.615746},
	{0.653940, -42.193790, 13.380835},
	{0.804809, -30.993721, 21.150853},
	{0.992204, -19.944596, 29.284036},
	{1.226783, -8.414541, 36.948060},
	{-14.772472, 2.598255, 20.132003},
	{-7.180239, 4.751589, 23.536684},
	{0.555920, 6.562900, 25.944448},
	{8.272499, 4.661005, 23.695741},
	{15.214351, 2.643046, 20.858157},
	{-46.047290, -37.471411, -7.037989},
	{-37.674688, -42.730510, -3.021217},
	{-27.883856, -42.711517, -1.353629},
	{-19.648268, -36.754742, 0.111088},
	{-28.272965, -35.134493, 0.147273},
	{-38.082418, -34.919043, -1.476612},
	{19.265868, -37.032306, 0.665746},
	{27.894191, -43.342445, -0.247660},
	{37.437529, -43.110822, -1.696435},
	{45.170805, -38.086515, -4.894163},
	{38.196454, -35.532024, -0.282961},
	{28.764989, -35.484289, 1.172675},
	{-28.916267, 28.612716, 2.240310},
	{-17.533194, 22.172187, 15.934335},
	{-6.684590, 19.029051, 22.611355},
	{0.381001, 20.721118, 23.748437},
	{8.375443, 19.035460, 22.721995},
	{18.876618, 22.394109, 15.610679},
	{28.794412, 28.079924, 3.217393},
	{19.057574, 36.298248, 14.987997},
	{8.956375, 39.634575, 22.554245},
	{0.381549, 40.395647, 23.591626},
	{-7.428895, 39.836405, 22.406106},
	{-18.160634, 36.677899, 15.121907},
	{-24.377490, 28.677771, 4.785684},
	{-6.897633, 25.475976, 20.893742},
	{0.340663, 26.014269, 22.220479},
	{8.444722, 25.326198, 21.025520},
	{24.474473, 28.323008, 5.712776},
	{8.449166, 30.596216, 20.671489},
	{0.205322, 31.408738, 21.903670},
	{-7.198266, 30.844876, 20.328022},
}

// meanDepth is meanShape3D's depth of landmark i in face half-widths
// (half the distance between the brows' outer ends, 17 and 26: the unit
// of faceRelief).
func meanDepth(i int) float64 {
	half := (meanShape3D[26][0] - meanShape3D[17][0]) / 2
	return meanShape3D[i][2] / half
}

// thinPlate is a thin-plate spline through values at points in the plane
// (one or more values per point): f(p) = a0 + a1 x + a2 y + Σ w_k
// U(|p − p_k|), U(r) = r² log r², taking each value at its point with the
// least bending. Coordinates are taken around the points' mean in units
// of their RMS spread.
type thinPlate struct {
	px, py     []float64
	mx, my, sc float64
	w          [][]float64 // per output: n kernel weights, then a0, a1, a2
}

// fitThinPlate is the spline through vals[o][k] at pts[k] for each output
// o; ok is false for points that do not span the plane.
func fitThinPlate(pts []Point, vals ...[]float64) (*thinPlate, bool) {
	n := len(pts)
	t := &thinPlate{px: make([]float64, n), py: make([]float64, n)}
	for _, p := range pts {
		t.mx += p.X
		t.my += p.Y
	}
	t.mx, t.my = t.mx/float64(n), t.my/float64(n)
	var s2 float64
	for _, p := range pts {
		dx, dy := p.X-t.mx, p.Y-t.my
		s2 += dx*dx + dy*dy
	}
	if !(s2 > 1e-6) || math.IsInf(s2, 0) {
		return nil, false
	}
	t.sc = 1 / math.Sqrt(s2/float64(n))
	for k, p := range pts {
		t.px[k], t.py[k] = (p.X-t.mx)*t.sc, (p.Y-t.my)*t.sc
	}
	m := n + 3
	a := make([]float64, m*m)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			dx, dy := t.px[i]-t.px[j], t.py[i]-t.py[j]
			a[i*m+j] = tpsKernel(dx*dx + dy*dy)
		}
		a[i*m+n], a[i*m+n+1], a[i*m+n+2] = 1, t.px[i], t.py[i]
		a[n*m+i], a[(n+1)*m+i], a[(n+2)*m+i] = 1, t.px[i], t.py[i]
	}
	bs := make([][]float64, len(vals))
	for o, v := range vals {
		bs[o] = make([]float64, m)
		copy(bs[o], v)
	}
	if !solveDense(a, bs, m) {
		return nil, false
	}
	t.w = bs
	return t, true
}

// at evaluates every output at (x, y) into out.
func (t *thinPlate) at(x, y float64, out []float64) {
	n := len(t.px)
	qx, qy := (x-t.mx)*t.sc, (y-t.my)*t.sc
	for o, w := range t.w {
		out[o] = w[n] + w[n+1]*qx + w[n+2]*qy
	}
	for k := 0; k < n; k++ {
		dx, dy := qx-t.px[k], qy-t.py[k]
		u := tpsKernel(dx*dx + dy*dy)
		for o, w := range t.w {
			out[o] += w[k] * u
		}
	}
}

// landmarkRelief is the relief (face half-widths, as faceRelief) of a
// side×side chip whose face has the landmarks lm (chip coordinates,
// chipLandmarks): the thin-plate spline through meanShape3D's depths at
// lm's 68 points, less its part affine in x and y over textureRegion (as
// faceRelief's: a plane's warp moves pixels that way already). It is
// computed only at the pixels the fits sample (textureRegion, every
// textureStep; the rest is 0). ok is false when the landmarks do not
// span a face (coincident or collinear points); the caller then keeps
// faceRelief.
func landmarkRelief(lm *Landmarks, side int) (out []float64, ok bool) {
	if lm == nil || side < textureX1+2 || side < textureY1+2 {
		return nil, false
	}
	tp, ok := meanDepthSpline(lm)
	if !ok {
		return nil, false
	}
	out = make([]float64, side*side)
	var v [1]float64
	for y := textureY0; y < textureY1; y += textureStep {
		for x := textureX0; x < textureX1; x += textureStep {
			tp.at(float64(x), float64(y), v[:])
			out[y*side+x] = v[0]
		}
	}
	removeAffineSampled(out, side)
	return out, true
}

// meanDepthSpline is the thin-plate spline taking meanShape3D's depth
// (meanDepth) at each of lm's 68 points.
func meanDepthSpline(lm *Landmarks) (*thinPlate, bool) {
	z := make([]float64, len(lm))
	for i := range z {
		z[i] = meanDepth(i)
	}
	return fitThinPlate(lm[:], z)
}

// tpsKernel is the thin-plate spline's radial function of the squared
// distance r2: r² log r² (0 at 0).
func tpsKernel(r2 float64) float64 {
	if r2 < 1e-300 {
		return 0
	}
	return r2 * math.Log(r2)
}

// removeAffineSampled subtracts from f its least-squares fit by a + b·x
// + c·y over textureRegion's sample points, at those points only (the
// other pixels stay as they are).
func removeAffineSampled(f []float64, side int) {
	var m [10][10]float64
	var r [10]float64
	for y := textureY0; y < textureY1; y += textureStep {
		for x := textureX0; x < textureX1; x += textureStep {
			b := [3]float64{1, float64(x), float64(y)}
			for i := range b {
				for j := range b {
					m[i][j] += b[i] * b[j]
				}
				r[i] += b[i] * f[y*side+x]
			}
		}
	}
	c, ok := solve(&m, r, 3)
	if !ok {
		return
	}
	for y := textureY0; y < textureY1; y += textureStep {
		for x := textureX0; x < textureX1; x += textureStep {
			f[y*side+x] -= c[0] + c[1]*float64(x) + c[2]*float64(y)
		}
	}
}

// solveDense solves the n×n system a·x = b for each right-hand side b
// in bs (a row-major; a overwritten, each b replaced by its x) by
// Gaussian elimination with partial pivoting; ok is false for a
// (numerically) singular system.
func solveDense(a []float64, bs [][]float64, n int) bool {
	var scale float64
	for _, v := range a {
		scale = math.Max(scale, math.Abs(v))
	}
	if scale == 0 || math.IsNaN(scale) || math.IsInf(scale, 0) {
		return false
	}
	for c := 0; c < n; c++ {
		p := c
		for i := c + 1; i < n; i++ {
			if math.Abs(a[i*n+c]) > math.Abs(a[p*n+c]) {
				p = i
			}
		}
		if math.Abs(a[p*n+c]) < 1e-12*scale {
			return false
		}
		if p != c {
			for j := 0; j < n; j++ {
				a[c*n+j], a[p*n+j] = a[p*n+j], a[c*n+j]
			}
			for _, b := range bs {
				b[c], b[p] = b[p], b[c]
			}
		}
		for i := c + 1; i < n; i++ {
			f := a[i*n+c] / a[c*n+c]
			if f == 0 {
				continue
			}
			for j := c; j < n; j++ {
				a[i*n+j] -= f * a[c*n+j]
			}
			for _, b := range bs {
				b[i] -= f * b[c]
			}
		}
	}
	for _, b := range bs {
		for c := n - 1; c >= 0; c-- {
			s := b[c]
			for j := c + 1; j < n; j++ {
				s -= a[c*n+j] * b[j]
			}
			b[c] = s / a[c*n+c]
		}
	}
	return true
}
