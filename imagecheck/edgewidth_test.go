package imagecheck

import (
	"math"
	"testing"
)

func TestEdgeWidths(t *testing.T) {
	for _, c := range []struct {
		name string
		line []byte
		want []float32
	}{
		{"sharp step", []byte{10, 10, 10, 200, 200, 200}, []float32{1}},
		{"falling step", []byte{200, 200, 10, 10}, []float32{1}},
		{"ramp of 4 steps", []byte{0, 0, 50, 100, 150, 150}, []float32{3}},
		{"two-pixel edge", []byte{20, 20, 60, 120, 120}, []float32{1.6667}},
		{"weak step", []byte{100, 100, 130, 130}, nil},
		{"up then down", []byte{0, 100, 100, 0}, []float32{1, 1}},
		{"flat", []byte{90, 90, 90, 90}, nil},
	} {
		got := edgeWidths(c.line, nil)
		if len(got) != len(c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
			continue
		}
		for i := range got {
			if math.Abs(float64(got[i]-c.want[i])) > 1e-3 {
				t.Errorf("%s: %v, want %v", c.name, got, c.want)
			}
		}
	}
}

// stepPlanes returns a w×h luma plane: background bg with dark bars of
// value fg at the given columns and rows (each bar bw pixels wide),
// blurred by a Gaussian of sigma (0: not blurred).
func stepPlanes(w, h, bw int, bg, fg float64, cols, rows []int, sigma float64) (*planes, region) {
	v := make([]float64, w*h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v[y*w+x] = bg
			for _, c := range cols {
				if x >= c && x < c+bw {
					v[y*w+x] = fg
				}
			}
			for _, r := range rows {
				if y >= r && y < r+bw {
					v[y*w+x] = fg
				}
			}
		}
	}
	if sigma > 0 {
		return gaussPlanes(v, w, h, sigma)
	}
	return lumaPlanes(v, w, h)
}

// lumaPlanes is a w×h luma plane of the values v (rounded) and the
// region covering all of it.
func lumaPlanes(v []float64, w, h int) (*planes, region) {
	p := &planes{w: w, h: h, ys: w, y: make([]byte, w*h)}
	for i, f := range v {
		p.y[i] = byte(math.Round(f))
	}
	r := region{area: w * h}
	for y := 0; y < h; y++ {
		r.spans = append(r.spans, span{y: y, x0: 0, x1: w})
	}
	return p, r
}

func TestEdgeWidthGaussian(t *testing.T) {
	// Bars 20 pixels wide: each side is a step edge. A step blurred by a Gaussian of σ has its steepest one-pixel step
	// at contrast × (Φ(0.5/σ) − Φ(−0.5/σ)), about contrast/(√(2π) σ):
	// its width is about 2.5 σ.
	cols := []int{40, 100, 160}
	rows := []int{30, 90}
	for _, c := range []struct {
		sigma, lo, hi float64
	}{
		{0, 1, 1},
		{1.2, 2.5, 3.3},
		{2, 4.6, 5.4},
		{3, 7.0, 8.0},
	} {
		p, r := stepPlanes(200, 120, 20, 200, 40, cols, rows, c.sigma)
		got := edgeWidth(p, r)
		if got < c.lo || got > c.hi {
			t.Errorf("σ %.1f: edge width %.3f, want %.1f–%.1f (2.5 σ = %.2f)", c.sigma, got, c.lo, c.hi, 2.5066*c.sigma)
		}
	}
}

func TestEdgeWidthFlatPanel(t *testing.T) {
	// A flat panel with a few sharp bars: most of the card carries no
	// edge, yet every edge there is is one pixel wide.
	p, r := stepPlanes(240, 160, 3, 220, 60, []int{120}, []int{80}, 0)
	if got := edgeWidth(p, r); got != 1 {
		t.Errorf("sharp flat panel: edge width %.3f, want 1", got)
	}
	// The same card blurred by σ 1.5 (a moderate defocus) is past the
	// threshold.
	p, r = stepPlanes(240, 160, 3, 220, 60, []int{120}, []int{80}, 1.5)
	if got := edgeWidth(p, r); got <= DefaultOptions().Thresholds.MaxEdgeWidth {
		t.Errorf("blurred flat panel: edge width %.3f, want above %.1f", got, DefaultOptions().Thresholds.MaxEdgeWidth)
	}
	// No strong edge at all: nothing vouches for sharpness.
	p, r = stepPlanes(240, 160, 3, 220, 60, nil, nil, 0)
	if got := edgeWidth(p, r); got != noEdgeWidth {
		t.Errorf("plain panel: edge width %.3f, want %d", got, noEdgeWidth)
	}
}

// boxAlong averages each pixel of p with rad neighbours either side along
// the rows (horizontal) or the columns, edges clamped: a motion blur of
// 2*rad+1 pixels.
func boxAlong(p *planes, rad int, horizontal bool) {
	src := append([]byte(nil), p.y...)
	for y := 0; y < p.h; y++ {
		for x := 0; x < p.w; x++ {
			s := 0
			for k := -rad; k <= rad; k++ {
				xx, yy := x, y
				if horizontal {
					xx = min(max(x+k, 0), p.w-1)
				} else {
					yy = min(max(y+k, 0), p.h-1)
				}
				s += int(src[yy*p.ys+xx])
			}
			p.y[y*p.ys+x] = byte((s + rad) / (2*rad + 1))
		}
	}
}

func TestBlurMotion(t *testing.T) {
	// Bars 20 pixels wide across both directions, contrast 180 (200 on
	// 20 would round each step of a ramp). A box blur of 2r+1 pixels
	// along the rows turns every edge the rows cross into a ramp of
	// 2r+1 equal steps (width 2r+1) and leaves the edges the columns
	// cross as sharp as they were (width 1).
	for _, c := range []struct {
		name       string
		rad        int
		horizontal bool
		rows, cols float64 // lower quartiles of the widths
	}{
		{"sharp", 0, true, 1, 1},
		{"motion of 3 along the rows", 1, true, 3, 1},
		{"motion of 5 along the rows", 2, true, 5, 1},
		{"motion of 9 along the rows", 4, true, 9, 1},
		{"motion of 9 along the columns", 4, false, 1, 9},
	} {
		p, r := stepPlanes(200, 120, 20, 200, 20, []int{40, 100, 160}, []int{30, 90}, 0)
		if c.rad > 0 {
			boxAlong(p, c.rad, c.horizontal)
		}
		_, w := blurMeasure(p, r)
		if got := [2]float64{w[0].lowerQuartile(), w[1].lowerQuartile()}; got != [2]float64{c.rows, c.cols} {
			t.Errorf("%s: widths along rows, columns %v, want %v", c.name, got, [2]float64{c.rows, c.cols})
		}
		if got, want := w.motion(), math.Abs(c.rows-c.cols); got != want {
			t.Errorf("%s: motion %.3f, want %.0f", c.name, got, want)
		}
	}
	// A defocus widens both directions alike: σ 2 gives about 5 pixels
	// along both, and no motion.
	p, r := stepPlanes(200, 120, 20, 200, 20, []int{40, 100, 160}, []int{30, 90}, 2)
	if _, w := blurMeasure(p, r); w.motion() > 0.25 {
		t.Errorf("defocus σ 2: motion %.3f, want about 0", w.motion())
	}
	// No strong edge along the columns: the widths along the rows alone
	// say nothing about a direction, however blurred.
	p, r = stepPlanes(200, 120, 20, 200, 20, []int{40, 100}, nil, 0)
	boxAlong(p, 4, true)
	if _, w := blurMeasure(p, r); w[0].lowerQuartile() != 9 || w[1].n != 0 || w.motion() != 0 {
		t.Errorf("vertical bars only: %d edges along the columns, motion %.3f; want 0, 0", w[1].n, w.motion())
	}
}

func TestWidthHist(t *testing.T) {
	for _, c := range []struct {
		name string
		line []byte
		n    int
		q    float64
	}{
		// The runs of TestEdgeWidths, in bins of 1/8 pixel.
		{"sharp step", []byte{10, 10, 10, 200, 200, 200}, 1, 1},
		{"ramp of 4 steps", []byte{0, 0, 50, 100, 150, 150}, 1, 3},
		{"two-pixel edge", []byte{20, 20, 60, 120, 120}, 1, 1.625}, // 5/3
		{"weak step", []byte{100, 100, 130, 130}, 0, 0},
		// Four edges, widths 1, 1, 3, 3: the lower quartile is the
		// first of them in order of width.
		{"two bars", []byte{0, 0, 100, 100, 0, 0, 40, 80, 120, 120, 80, 40, 0}, 4, 1},
	} {
		var h widthHist
		h.addLine(c.line)
		if h.n != c.n {
			t.Errorf("%s: %d edges, want %d", c.name, h.n, c.n)
			continue
		}
		if h.n > 0 && h.lowerQuartile() != c.q {
			t.Errorf("%s: lower quartile %v, want %v", c.name, h.lowerQuartile(), c.q)
		}
	}
}

// widthHist counts the same edges as edgeWidths, by width: on random
// lines (noise, steps, ramps, flats), its bins hold the widths
// edgeWidths gives, each cut down to its eighth of a pixel.
func TestWidthHistMatchesEdgeWidths(t *testing.T) {
	rnd := uint64(1)
	next := func(n int) int {
		rnd = rnd*6364136223846793005 + 1442695040888963407
		return int(rnd>>33) % n
	}
	for k := 0; k < 500; k++ {
		line := make([]byte, 5+next(300))
		v := next(256)
		for i := range line {
			switch next(4) {
			case 0: // a step
				v = next(256)
			case 1: // noise
				v += next(7) - 3
			case 2: // a ramp step
				v += 12
			}
			v = min(max(v, 0), 255)
			line[i] = byte(v)
		}
		var want widthHist
		for _, w := range edgeWidths(line, nil) {
			// the same integer division edgeWidths' float32 rounds
			want.bin[min(int(w*widthBinsPerPx+1e-4), widthBins-1)]++
			want.n++
		}
		var got widthHist
		got.addLine(line)
		if got != want {
			t.Fatalf("line %v: %d edges binned %v, want %d binned %v", line, got.n, got.bin, want.n, want.bin)
		}
	}
}
