package face

import "math"

// headModel is a generic 3D face: the mean shape of the 68-point
// point-distribution model of OpenFace (T. Baltrušaitis, P. Robinson and
// L.-P. Morency, "Constrained Local Neural Fields for robust facial
// landmark detection in the wild", ICCV Workshops 2013; OpenFace,
// "In-the-wild aligned" 68-point PDM), as circulated for head-pose
// estimation with 68 landmarks. Units are about millimetres (the outer eye
// corners 91 apart); x runs towards the image's right, y down and z
// towards the camera (the nose tip stands 37 in front of the eye corners).
// Only the points a head carries rigidly are kept: brows 17–26, nose 27–35
// and eyes 36–47. The jaw line (0–16) is left out because a turned head's
// far jaw landmarks sit on its silhouette, not on fixed points of the
// head, and the mouth (48–67) because it moves when the person talks or
// smiles.
var headModel = [...][3]float64{
	17: {-61.119406, -49.361602, -14.254422},
	18: {-51.287588, -58.769795, -7.268147},
	19: {-37.804800, -61.996155, -0.442051},
	20: {-24.022754, -61.033399, 6.606501},
	21: {-11.635713, -56.686759, 11.967398},
	22: {12.056636, -57.391033, 12.051204},
	23: {25.106256, -61.902186, 7.315098},
	24: {38.338588, -62.777713, 1.022953},
	25: {51.191007, -59.302347, -5.349435},
	26: {60.053851, -50.190255, -11.615746},
	27: {0.653940, -42.193790, 13.380835},
	28: {0.804809, -30.993721, 21.150853},
	29: {0.992204, -19.944596, 29.284036},
	30: {1.226783, -8.414541, 36.948060},
	31: {-14.772472, 2.598255, 20.132003},
	32: {-7.180239, 4.751589, 23.536684},
	33: {0.555920, 6.562900, 25.944448},
	34: {8.272499, 4.661005, 23.695741},
	35: {15.214351, 2.643046, 20.858157},
	36: {-46.047290, -37.471411, -7.037989},
	37: {-37.674688, -42.730510, -3.021217},
	38: {-27.883856, -42.711517, -1.353629},
	39: {-19.648268, -36.754742, 0.111088},
	40: {-28.272965, -35.134493, 0.147273},
	41: {-38.082418, -34.919043, -1.476612},
	42: {19.265868, -37.032306, 0.665746},
	43: {27.894191, -43.342445, -0.247660},
	44: {37.437529, -43.110822, -1.696435},
	45: {45.170805, -38.086515, -4.894163},
	46: {38.196454, -35.532024, -0.282961},
	47: {28.764989, -35.484289, 1.172675},
}

// poseFirst is the first landmark of headModel (the points before it are
// not fitted).
const poseFirst = 17

// HeadPose is a head's pose read from its landmarks by fitting headModel
// under scaled orthographic projection (headPose).
type HeadPose struct {
	// Yaw is the turn about the head's vertical axis, in degrees:
	// positive when the nose points towards the image's right, 0 frontal.
	Yaw float64
	// Pitch is the nod, in degrees: positive when the nose points down.
	Pitch float64
	// Scale is image pixels per model unit.
	Scale float64
	// Squash is the smaller singular value of the fitted linear map over
	// the larger: 1 when the landmarks are a turned rigid head of the
	// model's shape, down to cos α for a flat frontal face tilted by α
	// (it is narrowed one way only, which no rotation does).
	Squash float64
	// Residual is the RMS distance left between the landmarks and the
	// model posed at Yaw/Pitch (the rigid fit), over the distance between
	// the outer eye corners of the posed model.
	Residual float64
	// OK is false when the landmarks do not span a face (coincident or
	// collinear points).
	OK bool
}

// headPose reads the head pose from the landmarks: the 2×3 linear map A
// taking the model's centred points onto the centred landmarks by least
// squares (an affine camera), then the nearest map with orthonormal rows
// times a scale (from A's singular value decomposition: A = U Σ Vᵀ gives
// the rows U Vᵀ and the scale the mean singular value). The rotation's
// third row is the cross product of the first two.
//
// Why not the full rigid fit (a POSIT-like iteration minimising the
// reprojection error over scale and rotation): that fit also reads yaw
// from the face's width shrinking against its height, which a flat photo
// tilted about its vertical axis does as well, and a narrowing is the
// same for a turn either way. A search over yaw and pitch for the best
// rigid fit of the model to a flat frontal face tilted ±50° found yaws
// from −31° to +4.5° (held 300 and 600 model units from a 450 px
// pinhole), the sign not following the tilt's. Taking the
// rotation from the directions of A's rows leaves a narrowing of one row
// alone to Squash and reads yaw from what needs depth: the nose's slide
// across the eyes and brows (5–12° for the same tilted face held close,
// towards its receding side; see TestHeadPoseTiltedPicture). The fit is
// closed-form: no start, no iteration, no local minimum.
func headPose(lm *Landmarks) HeadPose {
	const n = float64(len(headModel) - poseFirst)
	var pm, mm [3]float64 // centroid of the landmarks, of the model
	for i := poseFirst; i < len(headModel); i++ {
		pm[0] += lm[i].X
		pm[1] += lm[i].Y
		for k := range 3 {
			mm[k] += headModel[i][k]
		}
	}
	for k := range 3 {
		pm[k] /= n
		mm[k] /= n
	}
	// Normal equations: A B = C with B = Σ Q Qᵀ (3×3), C = Σ q Qᵀ (2×3).
	var b [3][3]float64
	var c [2][3]float64
	for i := poseFirst; i < len(headModel); i++ {
		q := [2]float64{lm[i].X - pm[0], lm[i].Y - pm[1]}
		var m [3]float64
		for k := range 3 {
			m[k] = headModel[i][k] - mm[k]
		}
		for r := range 3 {
			for s := range 3 {
				b[r][s] += m[r] * m[s]
			}
			c[0][r] += q[0] * m[r]
			c[1][r] += q[1] * m[r]
		}
	}
	bi, ok := inverse3(b)
	if !ok {
		return HeadPose{}
	}
	var a [2][3]float64
	for r := range 2 {
		for s := range 3 {
			for k := range 3 {
				a[r][s] += c[r][k] * bi[k][s]
			}
		}
	}
	rot, s1, s2, ok := orthonormalRows(a)
	if !ok {
		return HeadPose{}
	}
	r3 := cross(rot[0], rot[1])
	p := HeadPose{
		// R = Rz(roll) Rx(pitch) Ry(yaw): the head turns, then nods, then
		// the picture rolls; R's third row, which roll leaves alone, is
		// (−cos pitch sin yaw, −sin pitch, cos pitch cos yaw).
		Yaw:    math.Atan2(-r3[0], r3[2]) * 180 / math.Pi,
		Pitch:  math.Atan2(-r3[1], math.Hypot(r3[0], r3[2])) * 180 / math.Pi,
		Scale:  (s1 + s2) / 2,
		Squash: s2 / s1,
		OK:     true,
	}
	// The rigid fit's residual: the model posed by rot and scaled, with
	// the translation that best fits it (the centroids').
	var ss float64
	for i := poseFirst; i < len(headModel); i++ {
		var x, y float64
		for k := range 3 {
			m := headModel[i][k] - mm[k]
			x += rot[0][k] * m
			y += rot[1][k] * m
		}
		dx := lm[i].X - pm[0] - p.Scale*x
		dy := lm[i].Y - pm[1] - p.Scale*y
		ss += dx*dx + dy*dy
	}
	var eye float64 // outer eye corners of the posed model, in pixels
	{
		var d [2]float64
		for k := range 3 {
			m := headModel[45][k] - headModel[36][k]
			d[0] += rot[0][k] * m
			d[1] += rot[1][k] * m
		}
		eye = p.Scale * math.Hypot(d[0], d[1])
	}
	if eye > 0 {
		p.Residual = math.Sqrt(ss/n) / eye
	}
	return p
}

// orthonormalRows returns the 2×3 matrix with orthonormal rows nearest to
// a (U Vᵀ of a = U Σ Vᵀ) and a's singular values s1 ≥ s2; ok is false
// when a has rank under 2.
func orthonormalRows(a [2][3]float64) (r [2][3]float64, s1, s2 float64, ok bool) {
	// a aᵀ = U Σ² Uᵀ (2×2, symmetric).
	var g [2][2]float64
	for i := range 2 {
		for j := range 2 {
			for k := range 3 {
				g[i][j] += a[i][k] * a[j][k]
			}
		}
	}
	tr, det := g[0][0]+g[1][1], g[0][0]*g[1][1]-g[0][1]*g[1][0]
	disc := math.Sqrt(math.Max(0, tr*tr/4-det))
	l1, l2 := tr/2+disc, tr/2-disc
	if l2 <= 1e-12*math.Max(l1, 1e-300) {
		return r, 0, 0, false
	}
	s1, s2 = math.Sqrt(l1), math.Sqrt(l2)
	// Eigenvectors of g: u1 for l1 and u2 ⊥ u1.
	var u1 [2]float64
	if math.Abs(g[0][1]) > 1e-12*tr {
		u1 = [2]float64{g[0][1], l1 - g[0][0]}
	} else if g[0][0] >= g[1][1] {
		u1 = [2]float64{1, 0}
	} else {
		u1 = [2]float64{0, 1}
	}
	h := math.Hypot(u1[0], u1[1])
	u1 = [2]float64{u1[0] / h, u1[1] / h}
	u2 := [2]float64{-u1[1], u1[0]}
	// v_k = aᵀ u_k / s_k; r = u1 v1ᵀ + u2 v2ᵀ.
	for k := range 3 {
		v1 := (a[0][k]*u1[0] + a[1][k]*u1[1]) / s1
		v2 := (a[0][k]*u2[0] + a[1][k]*u2[1]) / s2
		r[0][k] = u1[0]*v1 + u2[0]*v2
		r[1][k] = u1[1]*v1 + u2[1]*v2
	}
	return r, s1, s2, true
}

func cross(a, b [3]float64) [3]float64 {
	return [3]float64{a[1]*b[2] - a[2]*b[1], a[2]*b[0] - a[0]*b[2], a[0]*b[1] - a[1]*b[0]}
}

// inverse3 inverts a 3×3 matrix; ok is false when it is singular.
func inverse3(m [3][3]float64) (inv [3][3]float64, ok bool) {
	c := [3][3]float64{
		{m[1][1]*m[2][2] - m[1][2]*m[2][1], m[0][2]*m[2][1] - m[0][1]*m[2][2], m[0][1]*m[1][2] - m[0][2]*m[1][1]},
		{m[1][2]*m[2][0] - m[1][0]*m[2][2], m[0][0]*m[2][2] - m[0][2]*m[2][0], m[0][2]*m[1][0] - m[0][0]*m[1][2]},
		{m[1][0]*m[2][1] - m[1][1]*m[2][0], m[0][1]*m[2][0] - m[0][0]*m[2][1], m[0][0]*m[1][1] - m[0][1]*m[1][0]},
	}
	det := m[0][0]*c[0][0] + m[0][1]*c[1][0] + m[0][2]*c[2][0]
	scale := 0.0
	for i := range 3 {
		for j := range 3 {
			scale = math.Max(scale, math.Abs(m[i][j]))
		}
	}
	if scale == 0 || math.Abs(det) <= 1e-12*scale*scale*scale {
		return inv, false
	}
	for i := range 3 {
		for j := range 3 {
			inv[i][j] = c[i][j] / det
		}
	}
	return inv, true
}
