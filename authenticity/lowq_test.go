package authenticity

import (
	"image"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// TestQuantScale: libjpeg's table at quality 50 is the standard table
// (scale 1); at other qualities the low-frequency steps scale by
// libjpeg's factor (200 − 2q)/100 up to its rounding; Go's encoder
// writes the same tables; no table reads 0.
func TestQuantScale(t *testing.T) {
	zz := func(q int) []uint16 {
		nat := scaledTable(q)
		out := make([]uint16, 64)
		for k := range out {
			out[k] = uint16(nat[zigzag[k]])
		}
		return out
	}
	if got := QuantScale(zz(50)); got != 1 {
		t.Errorf("quality 50: %v, want 1", got)
	}
	prev := math.Inf(1)
	for q := 50; q <= 95; q += 5 {
		want := float64(200-2*q) / 100
		got := QuantScale(zz(q))
		if math.Abs(got-want) > 0.06 || got >= prev {
			t.Errorf("quality %d: %.3f, want %.2f ± 0.06 and below quality %d's %.3f", q, got, want, q-5, prev)
		}
		prev = got
		if enc := QuantScale(parseMeta(jpegOf(t, noisy(64, 48, 1), q)).luma); enc != got {
			t.Errorf("quality %d: Go's encoder's table reads %.3f, libjpeg's %.3f", q, enc, got)
		}
	}
	if QuantScale(nil) != 0 || QuantScale(make([]uint16, 10)) != 0 {
		t.Error("no table must read 0")
	}
}

// lowQualityCard is a 320×240 working photo (40×30 cells) of what a save
// at a low quality leaves of a card: a textured print (uniform noise of
// ±30 levels) everywhere but a plain band (rows 80–159) with no noise
// whose luma steps up by one level every 4 pixels (one 8×8 JPEG block at
// half resolution), as the quantised DC follows the light across the
// card. paint lays one flat colour (140, the band at the paint's middle)
// over rows 96–143, columns 96–223 of
// the band: its exactly flat cells are rows 13–16 and columns 13–26 (a
// cell's residual also reads the pixels just outside it), 56 of 1,200.
// level makes the band one level instead, its blocks alternating between
// 130 and 131 (noise-free, and one colour: no cell is exactly flat).
func lowQualityCard(paint, level bool) *image.YCbCr {
	img := image.NewYCbCr(image.Rect(0, 0, 320, 240), image.YCbCrSubsampleRatio444)
	r := rand.New(rand.NewPCG(15, 50))
	for y := 0; y < 240; y++ {
		for x := 0; x < 320; x++ {
			v := 100 + r.IntN(61)
			if y >= 80 && y < 160 {
				v = 100 + x/4
				if level {
					v = 130 + x/4%2
				}
			}
			if paint && y >= 96 && y < 144 && x >= 96 && x < 224 {
				v = 140
			}
			img.Y[img.YOffset(x, y)] = uint8(v)
		}
	}
	for i := range img.Cb {
		img.Cb[i], img.Cr[i] = 128, 128
	}
	return img
}

// TestLocalAnomalyCoarseQuantiser: the plain band is noise-free, so it is
// reported as before when the photo's quantiser is fine; on a coarse
// one it is not (its cells step with the light: no exactly flat patch),
// while paint laid over the same band still is, located on the paint,
// and so is a band of one level (the flat-colour rule needs no patch).
func TestLocalAnomalyCoarseQuantiser(t *testing.T) {
	o := Options{}
	o.defaults()
	paint := image.Rect(96, 96, 224, 144)
	for _, c := range []struct {
		name                 string
		paint, level, coarse bool
		found                bool
		patch                float64
	}{
		{"plain band, fine quantiser", false, false, false, true, 0},
		{"plain band, coarse quantiser", false, false, true, false, 0},
		{"paint on the band, fine quantiser", true, false, false, true, 56.0 / 1200},
		{"paint on the band, coarse quantiser", true, false, true, true, 56.0 / 1200},
		{"one level, coarse quantiser", false, true, true, true, 0},
	} {
		lr := localAnomaly(lowQualityCard(c.paint, c.level), nil, 1, c.coarse, nil, o)
		if lr.found != c.found || math.Abs(lr.patch-c.patch) > 1e-9 {
			t.Errorf("%s: found %v patch %.4f (share %.3f, residual %.4f), want %v and %.4f", c.name, lr.found, lr.patch, lr.frac, lr.resid, c.found, c.patch)
		}
		if lr.resid > o.MaxRegionResidual {
			t.Errorf("%s: residual %.4f: the band must be noise-free for the test to mean anything", c.name, lr.resid)
		}
		if c.paint && lr.found && !lr.box.Overlaps(paint) {
			t.Errorf("%s: box %v misses the paint %v", c.name, lr.box, paint)
		}
	}
}

// TestAnalyseCoarseQuantiser: Analyse takes the quantiser from the
// file's own table, so the same working pixels (the plain band) are
// reported with a quality-90 file and not with a quality-55 one, and
// the scores say why.
func TestAnalyseCoarseQuantiser(t *testing.T) {
	work := lowQualityCard(false, false)
	for _, c := range []struct {
		q     int
		found bool
	}{{90, true}, {55, false}} {
		data := jpegOf(t, noisy(64, 48, 1), c.q)
		rep := Analyse(Input{Data: data, Work: work, Scale: 1, Width: 320, Height: 240, Now: time.Now()}, Options{})
		if slices.Contains(rep.Findings, SignalLocal) != c.found {
			t.Errorf("quality %d: findings %v scores %v, local_anomaly wanted %v", c.q, rep.Findings, rep.Scores, c.found)
		}
		if coarse := rep.Scores[SignalQuantScale] >= 0.7; coarse == c.found {
			t.Errorf("quality %d: quant_scale %v", c.q, rep.Scores[SignalQuantScale])
		}
		if _, ok := rep.Scores[SignalLocalPatch]; !ok {
			t.Errorf("quality %d: no %s score", c.q, SignalLocalPatch)
		}
	}
}
