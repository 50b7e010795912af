package authenticity

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/kycq/kycq/internal/eval/docgen"
)

func TestDQCount(t *testing.T) {
	for _, c := range []struct{ q1, q2, k, want int }{
		{4, 4, 3, 1},  // one save: every bin one value
		{2, 4, 3, 2},  // q2 a multiple of q1: two values a bin, no pattern
		{6, 2, 3, 1},  // c=1 → 3
		{6, 2, 4, 0},  // no c gives 4: the bins between multiples of 3 stay empty
		{6, 2, -4, 0}, // symmetric
		{3, 5, 1, 2},  // c=1 (0.6) and c=2 (1.2) → 1
		{3, 5, 2, 2},  // c=3 (1.8) and c=4 (2.4) → 2
		{5, 3, 0, 1},  // only c=0
	} {
		if got := dqCount(c.q1, c.q2, c.k); got != c.want {
			t.Errorf("dqCount(%d, %d, %d) = %d, want %d", c.q1, c.q2, c.k, got, c.want)
		}
	}
}

// laplaceHistogram draws n Laplacian coefficients of scale b, quantises
// them with step q1 (0: no first save), dequantises, adds the rounding
// noise of a decode (±0.5 uniform in the DCT domain) and quantises with
// q2; it returns the histogram of |k| up to dqHistMax.
func laplaceHistogram(n int, b float64, q1, q2 int, seed uint64) []float64 {
	r := rand.New(rand.NewPCG(seed, 3))
	h := make([]float64, dqHistMax+1)
	for i := 0; i < n; i++ {
		x := r.ExpFloat64() * b
		if r.IntN(2) == 0 {
			x = -x
		}
		if q1 > 0 {
			x = math.Round(x/float64(q1))*float64(q1) + r.Float64() - 0.5
		}
		k := int(math.Abs(math.Round(x / float64(q2))))
		if k <= dqHistMax {
			h[k]++
		}
	}
	return h
}

func TestDQFit(t *testing.T) {
	for _, c := range []struct {
		name       string
		q1, q2     int
		wantTrace  bool
		wantPeriod int // q1/gcd pattern period in bins the fit must reproduce (0: any)
	}{
		{"one save", 0, 4, false, 0},
		{"one save, coarse", 0, 10, false, 0},
		{"first coarser (gaps)", 7, 3, true, 0},
		{"first finer (peaks)", 2, 3, true, 0},
		{"first much coarser", 12, 2, true, 0},
		{"q2 a multiple of q1: no trace", 2, 6, false, 0},
	} {
		h := laplaceHistogram(40000, 25, c.q1, c.q2, 7)
		q1, beta, chi2 := dqFit(h, c.q2)
		trace := q1 > 0 && chi2 >= dqMinChi2 && beta >= dqMinBeta && beta <= dqMaxBeta
		if trace != c.wantTrace {
			t.Errorf("%s: trace %v (q1 %d, beta %.2f, chi2 %.0f), want %v", c.name, trace, q1, beta, chi2, c.wantTrace)
		}
		if trace {
			// The fitted first step must give the same pattern as the true one.
			for k := 1; k <= 20; k++ {
				if dqCount(q1, c.q2, k) == 0 != (dqCount(c.q1, c.q2, k) == 0) {
					t.Errorf("%s: fitted q1 %d leaves other bins empty than %d (k=%d)", c.name, q1, c.q1, k)
					break
				}
			}
		}
	}
}

func TestReadCoefficients(t *testing.T) {
	// 8×8 blocks of known gray levels: each block's DC is 8·(v−128)/q.
	levels := []uint8{40, 128, 200, 90, 255, 0}
	img := image.NewGray(image.Rect(0, 0, 8*len(levels), 16))
	for i, v := range levels {
		for y := 0; y < 16; y++ {
			for x := 0; x < 8; x++ {
				img.SetGray(8*i+x, y, color.Gray{v})
			}
		}
	}
	data := jpegOf(t, img, 50)
	ci, err := readCoefficients(data, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(ci.comps) != 1 || ci.width != 48 || ci.height != 16 {
		t.Fatalf("read %d components, %d×%d", len(ci.comps), ci.width, ci.height)
	}
	c := ci.comps[0]
	if c.rows != 2 || c.bw != 6 {
		t.Fatalf("rows %d, blocks per row %d", c.rows, c.bw)
	}
	for row := 0; row < 2; row++ {
		for i, v := range levels {
			want := int16(math.Round(8 * (float64(v) - 128) / float64(c.q[0])))
			if got := c.c[(row*6+i)*nfreq]; got != want {
				t.Errorf("block %d,%d: DC %d, want %d", i, row, got, want)
			}
			for f := 1; f < nfreq; f++ {
				if got := c.c[(row*6+i)*nfreq+f]; got != 0 {
					t.Errorf("block %d,%d: AC[%d] = %d, want 0", i, row, f, got)
				}
			}
		}
	}
	// A colour photo: three components, 4:2:0, the budget stops early.
	col := jpegOf(t, noisy(256, 128, 3), 90)
	ci, err = readCoefficients(col, 96, nil) // one row of 16 MCUs of 6 blocks
	if err != nil {
		t.Fatal(err)
	}
	if len(ci.comps) != 3 || ci.comps[0].h != 2 || ci.comps[1].h != 1 || ci.comps[0].rows != 2 || ci.comps[1].rows != 1 {
		for _, c := range ci.comps {
			t.Errorf("component %d×%d sampled, %d rows read", c.h, c.v, c.rows)
		}
	}
	if _, err := readCoefficients([]byte("not a jpeg"), 0, nil); err == nil {
		t.Error("read a non-JPEG")
	}
}

// resaved returns a photo saved at q1, optionally edited, saved at q2.
func resaved(t *testing.T, img image.Image, q1, q2 int, edit func(*image.RGBA)) []byte {
	t.Helper()
	src, err := jpeg.Decode(bytes.NewReader(jpegOf(t, img, q1)))
	if err != nil {
		t.Fatal(err)
	}
	rgba := image.NewRGBA(src.Bounds())
	draw.Draw(rgba, rgba.Rect, src, image.Point{}, draw.Src)
	if edit != nil {
		edit(rgba)
	}
	return jpegOf(t, rgba, q2)
}

func TestAnalyseDoubleJPEG(t *testing.T) {
	// A card photo (docgen, 1600×1200); between the two saves a field's
	// colours are turned and its contrast raised (which moves its AC
	// coefficients off the first save's lattice; a change of the mean
	// alone would not).
	base, _ := docgen.Generate(docgen.Spec{Seed: 2, Size: docgen.Size2MP})
	box := image.Rect(704, 512, 1024, 608)
	brighten := recolourField(box)
	for _, c := range []struct {
		name       string
		data       []byte
		wantDouble bool
		wantRegion bool
	}{
		{"one save", jpegOf(t, base, 90), false, false},
		{"saved twice, no edit", resaved(t, base, 60, 90, nil), true, false},
		{"saved twice around a recoloured box", resaved(t, base, 60, 90, brighten), true, true},
	} {
		rep := Analyse(Input{Data: c.data, Width: 1600, Height: 1200, Scale: 1}, Options{})
		double := rep.Scores[SignalDoubleJPEG] >= dqMinTraces
		region := false
		for _, r := range rep.Regions {
			region = region || r.Overlaps(box)
		}
		if double != c.wantDouble || region != c.wantRegion {
			t.Errorf("%s: double %v (%v traces), region %v %v, want %v, %v", c.name, double, rep.Scores[SignalDoubleJPEG], region, rep.Regions, c.wantDouble, c.wantRegion)
		}
		if c.wantRegion && rep.Verdict != Review {
			t.Errorf("%s: verdict %s, want review", c.name, rep.Verdict)
		}
		if !c.wantRegion && rep.Verdict != Clean {
			t.Errorf("%s: verdict %s (%v), want clean", c.name, rep.Verdict, rep.Findings)
		}
	}
}

func TestPhotoshopTables(t *testing.T) {
	base := jpegOf(t, noisy(64, 48, 4), 90)
	// The same file with its luminance table replaced by Photoshop's
	// "high" setting (the decoder is not involved: the table is read).
	ps := bytes.Clone(base)
	i := bytes.Index(ps, []byte{0xFF, 0xDB})
	copy(ps[i+5:i+5+64], photoshopLuma[7].table[:])
	for _, c := range []struct {
		name string
		data []byte
		want Verdict
	}{
		{"libjpeg tables", base, Clean},
		{"Photoshop's tables", ps, Edited},
	} {
		rep := Analyse(Input{Data: c.data, Width: 64, Height: 48, Scale: 1}, Options{MaxDCTBlocks: -1})
		if rep.Verdict != c.want {
			t.Errorf("%s: %s %v, want %s", c.name, rep.Verdict, rep.Findings, c.want)
		}
	}
}

// recolourField returns an edit that turns the colours of box (R→B, G→R,
// B→G) and raises their contrast by 7/5, which moves its AC coefficients
// off an earlier save's lattice (a change of the mean alone would not).
func recolourField(box image.Rectangle) func(*image.RGBA) {
	l := func(v uint8) uint8 { return uint8(max(0, min(255, 128+(int(v)-128)*7/5))) }
	return func(img *image.RGBA) {
		for y := box.Min.Y; y < box.Max.Y; y++ {
			for x := box.Min.X; x < box.Max.X; x++ {
				c := img.RGBAAt(x, y)
				img.SetRGBA(x, y, color.RGBA{l(c.G), l(c.B), l(c.R), 255})
			}
		}
	}
}
