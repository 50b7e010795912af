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
		k := int(math.Ceil(4 * sigma))
		g := make([]float64, 2*k+1)
		s := 0.0
		for i := range g {
			d := float64(i - k)
			g[i] = math.Exp(-d * d / (2 * sigma * sigma))
			s += g[i]
		}
		for i := range g {
			g[i] /= s
		}
		at := func(a []float64, x, y int) float64 {
			x, y = min(max(x, 0), w-1), min(max(y, 0), h-1)
			return a[y*w+x]
		}
		tmp := make([]float64, w*h)
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				for i, gi := range g {
					tmp[y*w+x] += gi * at(v, x+i-k, y)
				}
			}
		}
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				s := 0.0
				for i, gi := range g {
					s += gi * at(tmp, x, y+i-k)
				}
				v[y*w+x] = s
			}
		}
	}
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
