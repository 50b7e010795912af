package face

import (
	"math"
	"sync"
)

// The texture cue asks how far two frames' face chips are from one
// homography, and anything a homography cannot explain counts towards a
// live head: a screen's rolling refresh bands, its moiré shifting as the
// screen moves, a reflection drifting over the glass lift a filmed screen
// as much as a head's parallax does. The depth cue asks a narrower
// question: how much better the chips fit once the warp may also move
// every pixel along one direction in proportion to how far a head's
// surface stands out there (the plane-plus-parallax model of a turning
// head: the nose slides across the cheeks, the far cheek narrows). On a
// flat picture that extra freedom finds nothing to explain, whatever else
// disturbs the frames; on a turning head it finds the turn.

// faceRelief is how far a head's surface stands out, in face half-widths,
// at each pixel of a side×side face chip aligned on the mean face
// (templatePoint): a rounded head (a half-ellipse across the face) and a
// nose ridge rising from the brows to the tip, with the nostrils' base;
// an anthropometric mean, not any one person's face. The part of it that
// is affine in x and y over textureRegion is removed, as a plane's warp
// moves pixels that way already: what is left is what no view of a plane
// explains.
func faceRelief(side int) []float64 {
	reliefOnce.Do(func() { relief = buildRelief(chipSize) })
	if side == chipSize {
		return relief
	}
	return buildRelief(side)
}

var (
	reliefOnce sync.Once
	relief     []float64
	cylOnce    sync.Once
	cylRelief  []float64
)

// cylinderRelief is faceRelief's head-wide curve alone (the half-ellipse
// across the face, without the nose), its affine part removed likewise:
// the relief a sheet bent around a vertical cylinder shares with a head.
// The nose cue (textureDepthNose) counts only what the nose explains
// beyond a fit that may already move the pixels by this curve
// (docs/face.md, "A bent print: the nose beyond a cylinder").
func cylinderRelief(side int) []float64 {
	cylOnce.Do(func() { cylRelief = buildReliefParts(chipSize, false) })
	if side == chipSize {
		return cylRelief
	}
	return buildReliefParts(side, false)
}

// noseRelief is faceRelief less cylinderRelief: the nose ridge and its
// base, what a bent sheet cannot have.
func noseRelief(side int) []float64 {
	noseOnce.Do(func() { noseRel = buildNose(chipSize) })
	if side == chipSize {
		return noseRel
	}
	return buildNose(side)
}

var (
	noseOnce sync.Once
	noseRel  []float64
)

func buildNose(side int) []float64 {
	f, c := faceRelief(side), cylinderRelief(side)
	out := make([]float64, len(f))
	for i := range f {
		out[i] = f[i] - c[i]
	}
	return out
}

func buildRelief(side int) []float64 {
	return buildReliefParts(side, true)
}

// buildReliefParts is buildRelief with the nose ridge and its base
// (withNose) or without them.
func buildReliefParts(side int, withNose bool) []float64 {
	lx, _ := templatePoint(17, side)
	rx, _ := templatePoint(26, side)
	half := (rx - lx) / 2
	cx := (lx + rx) / 2
	bx, by := templatePoint(27, side) // nose bridge
	tx, ty := templatePoint(30, side) // nose tip
	ax, _ := templatePoint(31, side)  // nostril wings
	ex, _ := templatePoint(35, side)
	_, ny := templatePoint(33, side) // under the tip
	out := make([]float64, side*side)
	for y := 0; y < side; y++ {
		for x := 0; x < side; x++ {
			px, py := float64(x), float64(y)
			// The head: a half-ellipse across, 0.75 half-widths deep.
			dx := (px - cx) / (1.1 * half)
			z := 0.75 * math.Sqrt(math.Max(0, 1-dx*dx))
			// The ridge: 0.1 at the bridge to 0.4 at the tip, a
			// Gaussian 0.1 half-widths wide across it.
			t := math.Max(0, math.Min(1, ((px-bx)*(tx-bx)+(py-by)*(ty-by))/((tx-bx)*(tx-bx)+(ty-by)*(ty-by))))
			qx, qy := bx+t*(tx-bx), by+t*(ty-by)
			s := 0.1 * half
			nose := (0.1 + 0.3*t) * math.Exp(-((px-qx)*(px-qx)+(py-qy)*(py-qy))/(2*s*s))
			// The base: a wider, lower bump from wing to wing.
			wx, wy := (ex-ax)/2, 0.12*half
			base := 0.2 * math.Exp(-(px-tx)*(px-tx)/(2*wx*wx)-(py-ny)*(py-ny)/(2*wy*wy))
			if !withNose {
				nose, base = 0, 0
			}
			out[y*side+x] = z + math.Max(nose, base)
		}
	}
	removeAffine(out, side)
	return out
}

// removeAffine subtracts from f its least-squares fit by a + b·x + c·y
// over textureRegion (at textureStep, the pixels the fit samples).
func removeAffine(f []float64, side int) {
	var m [12][12]float64
	var r [12]float64
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
	for y := 0; y < side; y++ {
		for x := 0; x < side; x++ {
			f[y*side+x] -= c[0] + c[1]*float64(x) + c[2]*float64(y)
		}
	}
}

// depthMaxPlane is the texture residual from which a pair is left out of
// the depth cue. Chips the landmarks placed apart (a weak or wrong
// landmark fit) are barely correlated and leave a residual about 1 (1.02
// to 1.11 on a tilted photo of development seed 110); the relief's two
// extra parameters then lead the fit to another poor optimum and shave a
// few per cent off by chance (up to 0.09 there, in the doubt band; 0.14
// in TestDepthMisplacedChips), which is not depth. Aligned pairs of a
// turning head stay under 0.7 (docs/face.md, "Low texture, clear depth").
const depthMaxPlane = 0.8

// textureAndDepth returns the texture cue and the depth cue of a
// sequence of chips (time order; chips missing, nil, are
// skipped). For a pair of frames the texture residual is what is left
// once the best homography has brought one chip onto the other
// (warpResidual); the depth residual is how much less is left when the
// warp may also move the pixels by the head's relief (faceRelief) along
// one fitted direction, in the same units (never below 0). Each cue
// takes, for every frame, the median of its residuals to the other
// frames, and of those the second largest (robustMedianResidual; until
// 3 Dec 2026 the texture cue took the largest, and one frame whose chip
// was misplaced lifted a replayed photo over the threshold). A flat
// picture's frames differ by a homography plus what no warp explains
// (noise, a screen's bands and moiré, a reflection): the relief explains
// none of it, and the depth cue stays near 0 however much is left. A
// turning head's nose and cheeks move as the relief says, and the relief
// explains a good part of its texture residual.
func textureAndDepth(chips [][]uint8, side int) (texture, depth float64) {
	return textureAndDepthFrom(chips, nil, side)
}

// textureAndDepthFrom is textureAndDepth with each chip's landmarks in
// its own chip coordinates (chipLandmarks; lms nil, or an entry nil, for
// none): each pair's homography fit runs from the identity and, where
// both chips have landmarks, from the homography of their rigid points
// too (landmarkWarp), and keeps the lower residual; the fit with relief
// starts from the plane fit kept, and the plane is fitted once more from
// where that fit ended (docs/face.md, "Tilted photos: the chip fit
// started from the landmarks").
func textureAndDepthFrom(chips [][]uint8, lms []*Landmarks, side int) (texture, depth float64) {
	texture, depth, _ = textureDepthShifts(chips, lms, side)
	return texture, depth
}

// pairShift is what the depth cue's fit with relief found for one pair
// of chips (i < j, indices into textureDepthShifts' chips): v, how far
// chip j's pixels moved from chip i's per unit of relief on top of the
// homography (fitFrom's p[8], p[9], chip pixels), and the pair's plane
// residual (the texture cue's; depthMaxPlane and above: chips the
// landmarks misplaced) and what the relief explains of it (the depth
// cue's pair residual: NaN when left out).
type pairShift struct {
	i, j      int
	plane     float64
	v         [2]float64
	explained float64
}

// textureDepthShifts is textureAndDepthFrom, also returning every pair's
// relief shift (the challenge reads a head's turn from them,
// reliefTurnTrack).
func textureDepthShifts(chips [][]uint8, lms []*Landmarks, side int) (texture, depth float64, shifts []pairShift) {
	texture, depth, _, _, shifts = textureDepthNose(chips, lms, side, false)
	return texture, depth, shifts
}

// textureDepthNose is textureDepthShifts, also returning the nose cue:
// for each pair, how much less is left when the nose may move along with
// the head-wide curve than by the plane with that curve's parallax alone
// (cylinderRelief, noseRelief; a sheet bent around a cylinder has the
// curve but no nose), robustMedianResidual of those as the depth cue
// (0 unless withNose: the fits it takes cost as much again); and the
// cylinder cue, read as the depth cue but with the cylinder's parallax
// alone in place of the head's relief (what the nose cue's baseline
// explains beyond the plane): a bent print's frames fit the cylinder
// better than a head's relief, a head's the other way round.
func textureDepthNose(chips [][]uint8, lms []*Landmarks, side int, withNose bool) (texture, depth, nose, cylinder float64, shifts []pairShift) {
	var cs [][]float64 // each chip normalised once, for every pair it is in
	var sm [][]float64 // and smoothed only, to be resampled
	var ls []*Landmarks
	var at []int // each chip's index in chips
	for i, c := range chips {
		if len(c) == side*side {
			f, g := normalisedAndSmoothed(c, side)
			cs = append(cs, f)
			sm = append(sm, g)
			at = append(at, i)
			var l *Landmarks
			if i < len(lms) {
				l = lms[i]
			}
			ls = append(ls, l)
		}
	}
	n := len(cs)
	plane := make([][]float64, n)
	explained := make([][]float64, n)
	nosed := make([][]float64, n)
	cylinders := make([][]float64, n)
	for i := range plane {
		plane[i] = make([]float64, n)
		explained[i] = make([]float64, n)
		nosed[i] = make([]float64, n)
		cylinders[i] = make([]float64, n)
	}
	rel := faceRelief(side)
	cyl := cylinderRelief(side)
	pts := make([][]regionPoint, n)  // each chip's sample points, once
	cpts := make([][]regionPoint, n) // and with the cylinder's and the nose's
	for i := range pts {
		pts[i] = regionPoints(cs[i], side, rel)
		if withNose {
			cpts[i] = regionPointsNose(cs[i], side, cyl, noseRelief(side))
		}
	}
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			p, q, fb := planeFitPoints(pts[i], cs[j], sm[j], ls[i], ls[j], side)
			r, qr := fitPoints(pts[i], fb, side, rel, q)
			v := [2]float64{qr[8], qr[9]}
			// The relief's two extra parameters may have led the fit
			// out of a poor optimum of the plane's; the plane refitted
			// from where that fit ended, without the relief, tells
			// (only what the relief explains beyond the best plane
			// found counts as depth).
			qr[8], qr[9] = 0, 0
			if p2, _ := fitPoints(pts[i], fb, side, nil, qr); p2 < p {
				p = p2
			}
			plane[i][j], plane[j][i] = p, p
			e := math.Max(0, p-r)
			if p >= depthMaxPlane {
				// Chips the landmarks misplaced: what the relief
				// shaves off is chance, not depth (left out).
				e = math.NaN()
			}
			explained[i][j], explained[j][i] = e, e
			if cs[i] != nil && cs[j] != nil {
				shifts = append(shifts, pairShift{at[i], at[j], p, v, e})
			}
			if !withNose {
				continue
			}
			// The nose cue's baseline is the plane with a cylinder's
			// parallax (a bent print's), fitted from the plane fit
			// and from where the relief's ended; the nose, moving
			// along the cylinder's direction, explains the rest.
			base, cq := p, q
			cq[8], cq[9] = 0, 0
			if c, qc := fitPoints(cpts[i], fb, side, cyl, cq); c < base {
				base, cq = c, qc
			}
			qr[8], qr[9] = v[0], v[1]
			if c, qc := fitPoints(cpts[i], fb, side, cyl, qr); c < base {
				base, cq = c, qc
			}
			rn, _ := fitPointsNose(cpts[i], fb, side, cyl, cq)
			en, ec := math.Max(0, base-rn), math.Max(0, p-base)
			if p >= depthMaxPlane {
				en, ec = math.NaN(), math.NaN()
			}
			nosed[i][j], nosed[j][i] = en, en
			cylinders[i][j], cylinders[j][i] = ec, ec
		}
	}
	texture = robustMedianResidual(n, func(i, j int) float64 { return plane[i][j] })
	depth = robustMedianResidual(n, func(i, j int) float64 { return explained[i][j] })
	if withNose {
		nose = robustMedianResidual(n, func(i, j int) float64 { return nosed[i][j] })
		cylinder = robustMedianResidual(n, func(i, j int) float64 { return cylinders[i][j] })
	}
	return texture, depth, nose, cylinder, shifts
}

// planeFit is the homography fit of chip b onto chip a (fa, fb
// normalised, sb b smoothed only) from the identity and, when both have
// landmarks (chip coordinates), from their rigid points' homography
// (landmarkWarp), and keeps the lower residual: it returns that residual,
// the parameters reached and the chip they apply to (fb, or b resampled).
// The landmark start does not run the fit on fb from there: b's own
// high-pass and smoothing, on a face foreshortened to half its width,
// are not a's (a 13-pixel box there spans 26 of a's), and that alone
// leaves a residual of 0.43 on a flat picture (TestTiltedPictureFit).
// b is instead resampled through the landmark homography into a's frame
// while only smoothed, filtered there as a is (normaliseSmoothed), and
// fitted from the identity: what is left to fit is the landmarks' error.
func planeFit(fa, fb, sb []float64, la, lb *Landmarks, side int) (rms float64, p warpParams, fit []float64) {
	return planeFitPoints(regionPoints(fa, side, nil), fb, sb, la, lb, side)
}

// planeFitPoints is planeFit with a's sample points taken already
// (regionPoints).
func planeFitPoints(pa []regionPoint, fb, sb []float64, la, lb *Landmarks, side int) (rms float64, p warpParams, fit []float64) {
	rms, p = fitPoints(pa, fb, side, nil, warpParams{})
	fit = fb
	if s, ok := landmarkWarp(la, lb, side); ok && sb != nil {
		if fw := normaliseSmoothed(warpedChip(sb, side, s), side); fw != nil {
			if r, q := fitPoints(pa, fw, side, nil, warpParams{}); r < rms {
				rms, p, fit = r, q, fw
			}
		}
	}
	return rms, p, fit
}

// warpedChip samples f (side×side) at the homography p's image of every
// pixel (fitFrom's parameters; bilinear, clamped at the border).
func warpedChip(f []float64, side int, p warpParams) []float64 {
	out := make([]float64, side*side)
	c := float64(side) / 2
	hi := float64(side - 1)
	for y := 0; y < side; y++ {
		for x := 0; x < side; x++ {
			xr, yr := float64(x)-c, float64(y)-c
			d := 1 + p[6]*xr/c + p[7]*yr/c
			if d < 0.1 {
				d = 0.1
			}
			u := ((1+p[0])*xr+p[1]*yr+p[2])/d + c
			w := (p[3]*xr+(1+p[4])*yr+p[5])/d + c
			v, _ := sampleBilinear(f, side, math.Max(0, math.Min(hi, u)), math.Max(0, math.Min(hi, w)))
			out[y*side+x] = v
		}
	}
	return out
}
