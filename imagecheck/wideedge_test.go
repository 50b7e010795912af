package imagecheck

import (
	"math"
	"math/rand/v2"
	"testing"
)

// grain adds to every pixel of p a uniform noise of up to ±amp grey
// levels (a fixed seed): the paper's and sensor's grain, which a camera
// lays on the card after its optics blur it.
func grain(p *planes, amp int, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 1))
	for i, v := range p.y {
		p.y[i] = byte(min(max(int(v)+rng.IntN(2*amp+1)-amp, 0), 255))
	}
}

// wideVerdict is how analyse reads a document's blur scores (planes at
// full resolution): blurred by the re-blur measure and its doubt bands
// (blurVerdict), or by the width of the strong edges met in its pass.
func wideVerdict(p *planes, r region, th Thresholds) (blur, wide float64, byReblur, blurred bool) {
	blur, _, _, byReblur = blurVerdict(p, r, th)
	_, w := blurMeasure(p, r)
	wide = w.median()
	return blur, wide, byReblur, byReblur || wide > th.MaxEdgeWidthSharp
}

// textCard is a card of dark text strokes (30) 3 pixels wide on a plain
// ground (190), every 60 pixels in both directions, defocused by a
// Gaussian of σ and then grained by ±grainAmp grey levels.
func textCard(sigma float64, grainAmp int) (*planes, region) {
	var cols, rows []int
	for x := 20; x < 300; x += 60 {
		cols = append(cols, x)
	}
	for y := 20; y < 200; y += 60 {
		rows = append(rows, y)
	}
	p, r := stepPlanes(320, 220, 3, 190, 30, cols, rows, sigma)
	if grainAmp > 0 {
		grain(p, grainAmp, 7)
	}
	return p, r
}

func TestBlurWideEdges(t *testing.T) {
	th := DefaultOptions().Thresholds
	// A defocus of σ 2 or 2.5 under the grain (±6 grey levels): the
	// grain's fine steps over the plain ground, which a re-blur
	// flattens, keep the re-blur measure in its sharp zone (0.24, 0.26),
	// but the print's strong edges are wide (3.3, 3.6 px).
	for _, sigma := range []float64{2, 2.5} {
		p, r := textCard(sigma, 6)
		blur, wide, byReblur, blurred := wideVerdict(p, r, th)
		if byReblur || blur > th.MaxBlur {
			t.Fatalf("σ %.1f: blur %.4f, want it read sharp by the re-blur measure (≤ %.3f) for this test", sigma, blur, th.MaxBlur)
		}
		if !blurred {
			t.Errorf("σ %.1f: blur %.4f, strong edges %.3f px (limit %.1f): called sharp", sigma, blur, wide, th.MaxEdgeWidthSharp)
		}
	}
	// The same card as a camera sharp at full resolution sees it (σ 0.9):
	// edges about 2.2 px, sharp.
	p, r := textCard(0.9, 6)
	if blur, wide, _, blurred := wideVerdict(p, r, th); blurred {
		t.Errorf("sharp card (σ 0.9): blur %.4f, strong edges %.3f px: called blurred", blur, wide)
	}
}

// gaussPlanes blurs v (w×h grey levels) by a Gaussian of σ pixels and
// returns it as a document's planes and region.
func gaussPlanes(v []float64, w, h int, sigma float64) (*planes, region) {
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
	tmp, out := make([]float64, w*h), make([]float64, w*h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			for i, gi := range g {
				tmp[y*w+x] += gi * v[y*w+min(max(x+i-k, 0), w-1)]
			}
		}
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			for i, gi := range g {
				out[y*w+x] += gi * tmp[min(max(y+i-k, 0), h-1)*w+x]
			}
		}
	}
	return lumaPlanes(out, w, h)
}

func TestBlurWideEdgesSoftDesign(t *testing.T) {
	th := DefaultOptions().Thresholds
	// A card whose right part is a soft design (a tone in waves 80 pixels
	// long along both directions: along a line each half wave is a
	// monotone ramp of 60 grey levels, a strong edge some 19 px wide) and
	// whose left part carries lines of text (glyph strokes 2 px wide and
	// 9 px tall every 10 px, a crossbar every 20), all softened by σ 0.9
	// as a sharp camera does. The waves give a quarter of the strong
	// edges along the rows and over a third along the columns; the
	// print's edges, the rest, hold the median.
	const w, h = 360, 240
	v := make([]float64, w*h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v[y*w+x] = 200
			if x >= 150 {
				v[y*w+x] = 160 + 30*math.Sin(2*math.Pi*float64(x)/80) + 30*math.Cos(2*math.Pi*float64(y)/80)
			} else if x >= 16 && x < 134 && y%16 >= 4 && y%16 < 13 && (x%10 < 2 || y%16 == 8 && x%20 < 8) {
				v[y*w+x] = 40
			}
		}
	}
	p, r := gaussPlanes(v, w, h, 0.9)
	_, wd := blurMeasure(p, r)
	for d := range wd {
		wide := 0
		for b := 8 * widthBinsPerPx; b < widthBins; b++ {
			wide += int(wd[d].bin[b])
		}
		if wide*10 < wd[d].n*2 {
			t.Fatalf("soft design: %d of %d strong edges 8 px or wider along direction %d, want 20 %% or more: nothing tested", wide, wd[d].n, d)
		}
	}
	if blur, wide, _, blurred := wideVerdict(p, r, th); blurred {
		t.Errorf("sharp print on a soft design: blur %.4f, strong edges %.3f px: called blurred", blur, wide)
	}
	// The same card defocused (σ 2.5): blurred.
	p, r = gaussPlanes(v, w, h, 2.5)
	if blur, wide, _, blurred := wideVerdict(p, r, th); !blurred {
		t.Errorf("soft design defocused (σ 2.5): blur %.4f, strong edges %.3f px: called sharp", blur, wide)
	}
}

func TestDirWidthsMedian(t *testing.T) {
	// Bars 20 pixels wide, contrast 180: a box of 2r+1 along the rows
	// makes every edge the rows cross 2r+1 wide (its bin's middle, +1/16)
	// and leaves the columns' at 1.
	p, r := stepPlanes(200, 120, 20, 200, 20, []int{40, 100, 160}, []int{30, 90}, 0)
	boxAlong(p, 2, true)
	_, w := blurMeasure(p, r)
	if got, want := w.median(), 5+0.5/widthBinsPerPx; got != want {
		t.Errorf("motion of 5 along the rows: median %.4f, want %.4f", got, want)
	}
	// A direction with too few strong edges is left out; with both, 0.
	var few dirWidths
	few[0].bin[8*widthBinsPerPx] = minMotionEdges - 1
	few[0].n = minMotionEdges - 1
	few[1].bin[2*widthBinsPerPx] = minMotionEdges
	few[1].n = minMotionEdges
	if got, want := few.median(), 2+0.5/widthBinsPerPx; got != want {
		t.Errorf("8 px along the rows on too few edges, 2 px along the columns: median %.4f, want %.4f", got, want)
	}
	few[1].n, few[1].bin[2*widthBinsPerPx] = 3, 3
	if got := few.median(); got != 0 {
		t.Errorf("too few edges both ways: median %.4f, want 0", got)
	}
}
