package imagecheck

import (
	"image"
	"math"
	"sync"
)

// unlitPool holds unlitShading's residual buffers.
var unlitPool = sync.Pool{New: func() any { return new([]float64) }}

// The lighting of a scene is smooth over a card but for the edge of a
// cast shadow (a hand, the phone), a straight soft step across the whole
// card; a panel printed on the card has straight edges too. Over a
// signature or a line of text such an edge puts a step into the box's
// luma: its windowed means vary, so shading counts it as a photo's
// shading, and its levels spread, so twoTone falls. unlitShading takes
// the light out first: it fits a plane plus one straight soft step over
// the box grown by unlitGrow of its size on every side (the edge goes on
// beyond the box; a face's own contours do not) and judges shading on
// what is left inside the box.
//
// On the development families' seeds 761–764 (120 fronts without a
// portrait each, half of them blank, and 450 clean photos) the faces found on
// blank fronts that had a photo's tones lay on signatures and field
// labels beside a panel's edge or under a shadow's edge; taken out,
// 18 of 31 such boxes kept less than minShading (0.04–0.15). The 226
// portrait boxes with a photo's tones on the clean fronts kept
// 0.17–0.66. Fitted over the box alone the step took real portraits'
// shading down to 0.08; a plane alone left most of those boxes above
// minShading.
const (
	// unlitGrow: the share of the box's width and height the fit
	// reaches beyond each of its sides.
	unlitGrow = 0.25
	// unlitAngles: the directions of the step tried (over 180°),
	// unlitBins the bins of the projection along each, unlitSteps the
	// positions of the step across the region.
	unlitAngles = 12
	unlitBins   = 64
	unlitSteps  = 16
)

// unlitSoft: the step's softness tried, the half width of its ramp as a
// share of the region's width.
var unlitSoft = [3]float64{1.0 / 32, 1.0 / 12, 1.0 / 5}

// unlitShading returns shading of the box of img once the lighting is
// taken out: the least-squares plane plus the straight soft step
// (smoothstep across a line, any direction, position and softness of
// unlitSoft) that best fit the luma over the box grown by unlitGrow
// (clipped to img) are subtracted, and shading is measured on the
// residual inside the box. 0 for a box too small to judge (as shading).
func unlitShading(img *image.YCbCr, box image.Rectangle) float64 {
	rp := unlitPool.Get().(*[]float64)
	defer unlitPool.Put(rp)
	u, ok := newUnlitRegion(img, box, rp)
	if !ok {
		return 0
	}
	r, w, h, cx, cy := u.r, u.w, u.h, u.cx, u.cy
	// The step: for each direction the residual is summed in bins along
	// it; a step is a function of that projection only, so its fit needs
	// the bins' sums, not the pixels. The step is made orthogonal to the
	// plane, and the one that takes out the most of the residual's
	// squares is kept.
	var us unlitTable
	u.steps(&us)
	var fit unlitFit
	scale := unlitBins / (2 * u.half)
	// Each row's bins in one direction, and each column's part of the
	// projection (dx·cos, as the sum below would compute it).
	bins := make([]uint8, w)
	dxc := make([]float64, w)
	for a := 0; a < unlitAngles; a++ {
		ca, sa := math.Cos(float64(a)*math.Pi/unlitAngles), math.Sin(float64(a)*math.Pi/unlitAngles)
		for x := range dxc {
			dxc[x] = (float64(x) - cx) * ca
		}
		var cnt, sr, sxb, syb [unlitBins]float64
		for y := 0; y < h; y++ {
			dy := float64(y) - cy
			dys := dy * sa
			for x, d := range dxc {
				bins[x] = uint8(max(0, min(unlitBins-1, int((d+dys+u.half)*scale))))
			}
			// Each run of pixels in one bin (runs are long: along a
			// row the bin moves one way only) is summed in a register,
			// in the same order as pixel by pixel (the same float64). A
			// run's count and its sums of dx and dy are exact (whole
			// and half pixels), as the pixel-by-pixel sums were.
			row := r[y*w : y*w+w]
			for x := 0; x < w; {
				b, x0 := bins[x], x
				acc := sr[b]
				for ; x < w && bins[x] == b; x++ {
					acc += row[x]
				}
				sr[b] = acc
				n := float64(x - x0)
				cnt[b] += n
				sxb[b] += n * float64(x0+x-w) / 2
				syb[b] += n * dy
			}
		}
		u.fit(&fit, &us, ca, sa, &cnt, &sr, &sxb, &syb)
	}
	// The residual inside the box, the step taken out pixel by pixel
	// (the fit above placed each pixel at its bin's middle; the step's
	// own plane part is measured over the whole region), kept about
	// mid-grey as the luma bytes shading reads.
	var u1, ux, uy float64
	var us2 []float64 // the step at each pixel of the region
	if fit.k != 0 {
		n := w * h
		up := unlitPool.Get().(*[]float64)
		defer unlitPool.Put(up)
		if cap(*up) < n {
			*up = make([]float64, n)
		}
		us2 = (*up)[:n]
		for y := 0; y < h; y++ {
			dy := float64(y) - cy
			for x := 0; x < w; x++ {
				dx := float64(x) - cx
				s := unlitStep(dx*fit.c+dy*fit.s, fit.p, fit.soft)
				us2[y*w+x] = s
				u1 += s
				ux += s * dx
				uy += s * dy
			}
		}
	}
	in := u.box.Sub(u.g.Min)
	bw, bh := in.Dx(), in.Dy()
	out := make([]byte, bw*bh)
	m1, mx, my := u1/u.fn, ux/u.sxx, uy/u.syy
	for y := 0; y < bh; y++ {
		dy := float64(in.Min.Y+y) - cy
		o := (in.Min.Y+y)*w + in.Min.X
		for x := 0; x < bw; x++ {
			v := r[o+x] + 128
			if fit.k != 0 {
				dx := float64(in.Min.X+x) - cx
				v -= fit.k * (us2[o+x] - m1 - mx*dx - my*dy)
			}
			out[y*bw+x] = byte(max(0, min(255, v+0.5)))
		}
	}
	return lumaShading(out, bw, bh)
}

// unlitRegion is the box of an image grown by unlitGrow (g, clipped to
// the image), w×h pixels, with the least-squares plane taken out of its
// luma: r the residual row by row, cx and cy its middle, fn its pixels,
// sxx and syy the sums of dx² and dy² about the middle, half half its
// diagonal (the reach of a step's projection).
type unlitRegion struct {
	g, box                     image.Rectangle
	r                          []float64
	w, h                       int
	cx, cy, fn, sxx, syy, half float64
}

// newUnlitRegion fits the plane over the box of img grown by unlitGrow,
// its residual in *buf (grown as needed: the only buffer the size of the
// region); false for no image or a box under 4 pixels either way.
func newUnlitRegion(img *image.YCbCr, box image.Rectangle, buf *[]float64) (unlitRegion, bool) {
	if img == nil {
		return unlitRegion{}, false
	}
	box = box.Intersect(img.Rect)
	gx, gy := int(float64(box.Dx())*unlitGrow), int(float64(box.Dy())*unlitGrow)
	g := image.Rect(box.Min.X-gx, box.Min.Y-gy, box.Max.X+gx, box.Max.Y+gy).Intersect(img.Rect)
	w, h := g.Dx(), g.Dy()
	if box.Dx() < 4 || box.Dy() < 4 {
		return unlitRegion{}, false
	}
	n := w * h
	if cap(*buf) < n {
		*buf = make([]float64, n)
	}
	r := (*buf)[:n]
	cx, cy := float64(w-1)/2, float64(h-1)/2
	var s, sx, sy, sxx, syy float64
	for y := 0; y < h; y++ {
		row := img.Y[img.YOffset(g.Min.X, g.Min.Y+y):]
		dy := float64(y) - cy
		for x := 0; x < w; x++ {
			v := float64(row[x])
			dx := float64(x) - cx
			r[y*w+x] = v
			s += v
			sx += v * dx
			sy += v * dy
			sxx += dx * dx
			syy += dy * dy
		}
	}
	// The plane: on a grid centred on its middle, 1, x and y are
	// orthogonal, so each coefficient is a projection of its own.
	fn := float64(n)
	m, px, py := s/fn, sx/sxx, sy/syy
	for y := 0; y < h; y++ {
		dy := float64(y) - cy
		for x := 0; x < w; x++ {
			r[y*w+x] -= m + px*(float64(x)-cx) + py*dy
		}
	}
	half := math.Hypot(float64(w), float64(h)) / 2
	return unlitRegion{g: g, box: box, r: r, w: w, h: h, cx: cx, cy: cy, fn: fn, sxx: sxx, syy: syy, half: half}, true
}

// unlitStep is the soft step at projection d of a step placed at p with
// a ramp of half width soft (smoothstep), clamped by comparisons: the
// same value as with math.Max(0, math.Min(1, t)) for any t but NaN.
func unlitStep(d, p, soft float64) float64 {
	t := (d - p + soft) / (2 * soft)
	if t < 0 {
		t = 0
	} else if t > 1 {
		t = 1
	}
	return t * t * (3 - 2*t)
}

// unlitTable holds the steps tried, each at every bin's middle (the same
// in every direction): by position across the region, then softness.
type unlitTable [unlitSteps - 1][len(unlitSoft)][unlitBins]float64

// steps fills us with the region's steps.
func (u *unlitRegion) steps(us *unlitTable) {
	for k := range us {
		p := -u.half + 2*u.half*float64(k+1)/unlitSteps
		for j, f := range unlitSoft {
			for b := range us[k][j] {
				us[k][j][b] = unlitStep(-u.half+2*u.half*(float64(b)+0.5)/unlitBins, p, f*float64(u.w))
			}
		}
	}
}

// unlitFit is the best step found so far: the squares it takes out
// (best), its amplitude k (0: none), direction (c, s), position p and
// ramp soft.
type unlitFit struct{ best, k, c, s, p, soft float64 }

// fit tries every step of us in direction (ca, sa), given the residual's
// per-bin counts and sums of value, dx and dy along it, each made
// orthogonal to the plane, and keeps in f the one that takes out the
// most of the residual's squares, if it beats f's.
func (u *unlitRegion) fit(f *unlitFit, us *unlitTable, ca, sa float64, cnt, sr, sxb, syb *[unlitBins]float64) {
	for k := range us {
		for j := range us[k] {
			t := &us[k][j]
			var u1, ux, uy, uu, ur float64
			for b := 0; b < unlitBins; b++ {
				if cnt[b] == 0 {
					continue
				}
				u1 += t[b] * cnt[b]
				ux += t[b] * sxb[b]
				uy += t[b] * syb[b]
				uu += t[b] * t[b] * cnt[b]
				ur += t[b] * sr[b]
			}
			nn := uu - u1*u1/u.fn - ux*ux/u.sxx - uy*uy/u.syy
			if nn <= 1e-9 {
				continue
			}
			if red := ur * ur / nn; red > f.best {
				*f = unlitFit{best: red, k: ur / nn, c: ca, s: sa, p: -u.half + 2*u.half*float64(k+1)/unlitSteps, soft: unlitSoft[j] * float64(u.w)}
			}
		}
	}
}

// lumaShading is shading over the whole of a w×h luma plane.
func lumaShading(y []byte, w, h int) float64 {
	res := &image.YCbCr{Y: y, YStride: w, Rect: image.Rect(0, 0, w, h), SubsampleRatio: image.YCbCrSubsampleRatio420}
	return shading(res, res.Rect)
}
