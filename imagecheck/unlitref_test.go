package imagecheck

import (
	"image"
	"math"
	"math/rand"
	"runtime"
	"testing"
)

// unlitShadingRef is unlitShading as first written (commit 85cb5da):
// every pixel binned in every direction. The faster unlitShading must
// return the very same float64 (the verdicts it feeds must not move).

// unlitShadingRef: unlitShading returns shading of the box of img once the lighting is
// taken out: the least-squares plane plus the straight soft step
// (smoothstep across a line, any direction, position and softness of
// unlitSoft) that best fit the luma over the box grown by unlitGrow
// (clipped to img) are subtracted, and shading is measured on the
// residual inside the box. 0 for a box too small to judge (as shading).
func unlitShadingRef(img *image.YCbCr, box image.Rectangle) float64 {
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
		t := math.Max(0, math.Min(1, (d-p+soft)/(2*soft)))
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
	for a := 0; a < unlitAngles; a++ {
		ca, sa := math.Cos(float64(a)*math.Pi/unlitAngles), math.Sin(float64(a)*math.Pi/unlitAngles)
		var cnt, sr, sxb, syb [unlitBins]float64
		for y := 0; y < h; y++ {
			dy := float64(y) - cy
			row := r[y*w : y*w+w]
			for x, v := range row {
				dx := float64(x) - cx
				b := max(0, min(unlitBins-1, int((dx*ca+dy*sa+half)*scale)))
				cnt[b]++
				sr[b] += v
				sxb[b] += dx
				syb[b] += dy
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
	if bk != 0 {
		for y := 0; y < h; y++ {
			dy := float64(y) - cy
			for x := 0; x < w; x++ {
				dx := float64(x) - cx
				u := step(dx*bc+dy*bs, bp, bsoft)
				u1 += u
				ux += u * dx
				uy += u * dy
			}
		}
	}
	in := box.Sub(g.Min)
	bw, bh := in.Dx(), in.Dy()
	out := make([]byte, bw*bh)
	for y := 0; y < bh; y++ {
		dy := float64(in.Min.Y+y) - cy
		for x := 0; x < bw; x++ {
			dx := float64(in.Min.X+x) - cx
			v := r[(in.Min.Y+y)*w+in.Min.X+x] + 128
			if bk != 0 {
				v -= bk * (step(dx*bc+dy*bs, bp, bsoft) - u1/fn - ux/sxx*dx - uy/syy*dy)
			}
			out[y*bw+x] = byte(max(0, min(255, v+0.5)))
		}
	}
	res := &image.YCbCr{Y: out, YStride: bw, Rect: image.Rect(0, 0, bw, bh), SubsampleRatio: image.YCbCrSubsampleRatio420}
	return shading(res, res.Rect)
}

// unlitCases are views and boxes of several kinds and sizes: noise, a
// soft face, scribbles under a shadow's edge, boxes clipped by the
// view's edges, odd and even widths (half-pixel and whole-pixel centres).
func unlitCases() []struct {
	img *image.YCbCr
	box image.Rectangle
} {
	rng := rand.New(rand.NewSource(1))
	noise := lumaBox(416, 262, func(x, y int) byte { return byte(rng.Intn(256)) })
	var out []struct {
		img *image.YCbCr
		box image.Rectangle
	}
	add := func(img *image.YCbCr, box image.Rectangle) {
		out = append(out, struct {
			img *image.YCbCr
			box image.Rectangle
		}{img, box})
	}
	for i := 0; i < 40; i++ {
		w, h := 4+rng.Intn(200), 4+rng.Intn(200)
		x, y := rng.Intn(416)-20, rng.Intn(262)-20
		add(noise, image.Rect(x, y, x+w, y+h))
	}
	box := image.Rect(30, 30, 90, 80)
	for _, soft := range []float64{5, 10, 20} {
		for _, a := range []float64{0, 0.6, 1.5707963, 2.2, 3} {
			add(paperScribble(120, 110, box, soft, 0.4, a), box)
		}
	}
	add(softFace(120, 110, 0), box)
	add(softFace(120, 110, 0.6), box)
	add(softFace(121, 111, 0.3), image.Rect(31, 29, 92, 80))
	add(softFace(120, 110, 0.3), image.Rect(0, 0, 120, 110))
	add(softFace(120, 110, 0.3), image.Rect(-10, 50, 70, 130))
	return out
}

// The faster unlitShading returns exactly the first version's value.
func TestUnlitShadingExact(t *testing.T) {
	for i, c := range unlitCases() {
		if got, want := unlitShading(c.img, c.box), unlitShadingRef(c.img, c.box); got != want {
			t.Errorf("case %d (box %v): unlitShading = %v, first version %v", i, c.box, got, want)
		}
	}
}

// unlitBenchView is a portrait-sized box (90×110, about a face engine
// box in a whole view) in a 416×262 view of soft shading and noise.
func unlitBenchView() (*image.YCbCr, image.Rectangle) {
	rng := rand.New(rand.NewSource(2))
	img := lumaBox(416, 262, func(x, y int) byte {
		return byte(100 + 60*math.Sin(float64(x)/17)*math.Cos(float64(y)/23) + float64(rng.Intn(30)))
	})
	return img, image.Rect(160, 70, 250, 180)
}

// benchCPU runs f b.N times on one goroutine locked to its thread and
// reports the thread's CPU time per call (cpu-ns/op), steadier than the
// wall time on a shared machine.
func benchCPU(b *testing.B, f func()) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	t0, ok := threadCPU()
	for i := 0; i < b.N; i++ {
		f()
	}
	if t1, _ := threadCPU(); ok {
		b.ReportMetric(float64(t1-t0)/float64(b.N), "cpu-ns/op")
	}
}

func BenchmarkUnlitShading(b *testing.B) {
	img, box := unlitBenchView()
	benchCPU(b, func() { unlitShading(img, box) })
}

func BenchmarkUnlitShadingRef(b *testing.B) {
	img, box := unlitBenchView()
	benchCPU(b, func() { unlitShadingRef(img, box) })
}
