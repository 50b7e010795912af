package imagecheck

import (
	"image"
	"math"
	"math/rand"
	"runtime"
	"testing"
)

// unlitShadingRef is unlitShading as first written (commit 85cb5da):
// every pixel binned in every direction, the step computed again for
// every pixel of the box. The faster unlitShading must return the very
// same float64 (the verdicts it feeds must not move). The plane's fit,
// the steps' table and each direction's fit were not changed and are
// shared (newUnlitRegion, steps, fit).
func unlitShadingRef(img *image.YCbCr, box image.Rectangle) float64 {
	rp := unlitPool.Get().(*[]float64)
	defer unlitPool.Put(rp)
	u, ok := newUnlitRegion(img, box, rp)
	if !ok {
		return 0
	}
	r, w, h, cx, cy := u.r, u.w, u.h, u.cx, u.cy
	scale := unlitBins / (2 * u.half)
	step := func(d, p, soft float64) float64 {
		t := math.Max(0, math.Min(1, (d-p+soft)/(2*soft)))
		return t * t * (3 - 2*t)
	}
	var us unlitTable
	u.steps(&us)
	var fit unlitFit
	for a := 0; a < unlitAngles; a++ {
		ca, sa := math.Cos(float64(a)*math.Pi/unlitAngles), math.Sin(float64(a)*math.Pi/unlitAngles)
		var cnt, sr, sxb, syb [unlitBins]float64
		for y := 0; y < h; y++ {
			dy := float64(y) - cy
			row := r[y*w : y*w+w]
			for x, v := range row {
				dx := float64(x) - cx
				b := max(0, min(unlitBins-1, int((dx*ca+dy*sa+u.half)*scale)))
				cnt[b]++
				sr[b] += v
				sxb[b] += dx
				syb[b] += dy
			}
		}
		u.fit(&fit, &us, ca, sa, &cnt, &sr, &sxb, &syb)
	}
	var u1, ux, uy float64
	if fit.k != 0 {
		for y := 0; y < h; y++ {
			dy := float64(y) - cy
			for x := 0; x < w; x++ {
				dx := float64(x) - cx
				v := step(dx*fit.c+dy*fit.s, fit.p, fit.soft)
				u1 += v
				ux += v * dx
				uy += v * dy
			}
		}
	}
	in := u.box.Sub(u.g.Min)
	bw, bh := in.Dx(), in.Dy()
	out := make([]byte, bw*bh)
	for y := 0; y < bh; y++ {
		dy := float64(in.Min.Y+y) - cy
		for x := 0; x < bw; x++ {
			dx := float64(in.Min.X+x) - cx
			v := r[(in.Min.Y+y)*w+in.Min.X+x] + 128
			if fit.k != 0 {
				v -= fit.k * (step(dx*fit.c+dy*fit.s, fit.p, fit.soft) - u1/u.fn - ux/u.sxx*dx - uy/u.syy*dy)
			}
			out[y*bw+x] = byte(max(0, min(255, v+0.5)))
		}
	}
	return lumaShading(out, bw, bh)
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
