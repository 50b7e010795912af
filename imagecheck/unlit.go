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
	if img == nil {
		return 0
	}
	box = box.Intersect(img.Rect)
	gx, gy := int(float64(box.Dx())*unlitGrow), int(float64(box.Dy())*unlitGrow)
	g := image.Rect(box.Min.X-gx, box.Min.Y-gy, box.Max.X+gx, box.Max.Y+gy).Intersect(img.Rect)
	w, h := g.Dx(), g.Dy()
	if box.Dx() < 4 || box.Dy() < 4 {
		return 0
	}
	// The residual of the plane, pixel by pixel (pooled: the only
	// buffer the size of the region).
	n := w * h
	rp := unlitPool.Get().(*[]float64)
	defer unlitPool.Put(rp)
	if cap(*rp) < n {
		*rp = make([]float64, n)
	}
	r := (*rp)[:n]
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
	// The step: for each direction the residual is summed in bins along
	// it; a step is a function of that projection only, so its fit needs
	// the bins' sums, not the pixels. The step is made orthogonal to the
	// plane, and the one that takes out the most of the residual's
	// squares is kept.
	half := math.Hypot(float64(w), float64(h)) / 2
	scale := unlitBins / (2 * half)
	step := func(d, p, soft float64) float64 {
		// Clamped by comparisons: the same value as math.Max(0,
		// math.Min(1, t)) for any t but NaN, cheaper.
		t := (d - p + soft) / (2 * soft)
		if t < 0 {
			t = 0
		} else if t > 1 {
			t = 1
		}
		return t * t * (3 - 2*t)
	}
	// The steps tried, at each bin's middle (the same in every
	// direction).
	var us [unlitSteps - 1][len(unlitSoft)][unlitBins]float64
	for k := range us {
		p := -half + 2*half*float64(k+1)/unlitSteps
		for j, f := range unlitSoft {
			for b := range us[k][j] {
				us[k][j][b] = step(-half+2*half*(float64(b)+0.5)/unlitBins, p, f*float64(w))
			}
		}
	}
	best, bk := 0.0, 0.0
	var bc, bs, bp, bsoft float64
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
				bins[x] = uint8(max(0, min(unlitBins-1, int((d+dys+half)*scale))))
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
		for k := range us {
			for j := range us[k] {
				u := &us[k][j]
				var u1, ux, uy, uu, ur float64
				for b := 0; b < unlitBins; b++ {
					if cnt[b] == 0 {
						continue
					}
					u1 += u[b] * cnt[b]
					ux += u[b] * sxb[b]
					uy += u[b] * syb[b]
					uu += u[b] * u[b] * cnt[b]
					ur += u[b] * sr[b]
				}
				nn := uu - u1*u1/fn - ux*ux/sxx - uy*uy/syy
				if nn <= 1e-9 {
					continue
				}
				if red := ur * ur / nn; red > best {
					best, bk, bc, bs = red, ur/nn, ca, sa
					bp, bsoft = -half+2*half*float64(k+1)/unlitSteps, unlitSoft[j]*float64(w)
				}
			}
		}
	}
	// The residual inside the box, the step taken out pixel by pixel
	// (the fit above placed each pixel at its bin's middle; the step's
	// own plane part is measured over the whole region), kept about
	// mid-grey as the luma bytes shading reads.
	var u1, ux, uy float64
	var us2 []float64 // the step at each pixel of the region
	if bk != 0 {
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
				u := step(dx*bc+dy*bs, bp, bsoft)
				us2[y*w+x] = u
				u1 += u
				ux += u * dx
				uy += u * dy
			}
		}
	}
	in := box.Sub(g.Min)
	bw, bh := in.Dx(), in.Dy()
	out := make([]byte, bw*bh)
	m1, mx, my := u1/fn, ux/sxx, uy/syy
	for y := 0; y < bh; y++ {
		dy := float64(in.Min.Y+y) - cy
		o := (in.Min.Y+y)*w + in.Min.X
		for x := 0; x < bw; x++ {
			v := r[o+x] + 128
			if bk != 0 {
				dx := float64(in.Min.X+x) - cx
				v -= bk * (us2[o+x] - m1 - mx*dx - my*dy)
			}
			out[y*bw+x] = byte(max(0, min(255, v+0.5)))
		}
	}
	res := &image.YCbCr{Y: out, YStride: bw, Rect: image.Rect(0, 0, bw, bh), SubsampleRatio: image.YCbCrSubsampleRatio420}
	return shading(res, res.Rect)
}
