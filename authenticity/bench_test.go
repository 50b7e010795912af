package authenticity

import (
	"bytes"
	"image"
	"image/jpeg"
	"math"
	"testing"
	"time"

	"github.com/kycq/kycq/imagecheck"
	"github.com/kycq/kycq/internal/eval/docgen"
)

// BenchmarkAnalyse12MP measures what authenticity adds to the document
// check of a 12 MP camera photo: Analyse on the pixels imagecheck already
// decoded (the metadata parse and the coefficient reading, up to its
// default budget, included), not the decode. It reports the CPU time of
// the working thread per photo (cpu_p50/p90/p99/max_ms).
func BenchmarkAnalyse12MP(b *testing.B) {
	in := input12MP(b)
	b.ReportAllocs()
	b.ResetTimer()
	cpuLoop(b, 1, func() {
		if r := Analyse(in, Options{}); r.Verdict != Clean {
			b.Fatalf("a clean photo judged %s: %v", r.Verdict, r.Findings)
		}
	})
}

// BenchmarkAnalyse12MPRestarts is BenchmarkAnalyse12MP on the same photo
// with a restart marker at every MCU row (as many phone cameras write
// them): the coefficient reader seeks to bands spread over the
// document instead of reading the top of the photo.
func BenchmarkAnalyse12MPRestarts(b *testing.B) {
	in := input12MP(b)
	in.Data = withRestarts(b, in.Data, "1")
	b.ReportAllocs()
	b.ResetTimer()
	var cov float64
	cpuLoop(b, 1, func() {
		r := Analyse(in, Options{})
		if r.Verdict != Clean {
			b.Fatalf("a clean photo judged %s: %v", r.Verdict, r.Findings)
		}
		cov = r.Scores[SignalDQCoverage]
	})
	b.ReportMetric(cov, "dct_coverage")
}

// BenchmarkAnalyse12MPNoDCT is BenchmarkAnalyse12MP without the
// compression history (MaxDCTBlocks < 0): the difference is that
// signal's cost.
func BenchmarkAnalyse12MPNoDCT(b *testing.B) {
	in := input12MP(b)
	b.ReportAllocs()
	b.ResetTimer()
	cpuLoop(b, 1, func() {
		if r := Analyse(in, Options{MaxDCTBlocks: -1}); r.Verdict != Clean {
			b.Fatalf("a clean photo judged %s: %v", r.Verdict, r.Findings)
		}
	})
}

// BenchmarkLocalAnomaly12MP measures the local noise map alone
// (local_anomaly, local_residual, local_spread) on a 12 MP photo's
// working pixels.
func BenchmarkLocalAnomaly12MP(b *testing.B) {
	in := input12MP(b)
	o := Options{}
	o.defaults()
	b.ReportAllocs()
	b.ResetTimer()
	cpuLoop(b, 1, func() {
		if localAnomaly(in.Work, in.Document, in.Scale, false, nil, o).found {
			b.Fatal("a clean photo has a local anomaly")
		}
	})
}

// input12MP is a 12 MP camera-like JPEG of a generated card with the
// working pixels imagecheck decoded from it.
func input12MP(b *testing.B) Input {
	b.Helper()
	img, _ := docgen.Generate(docgen.Spec{Seed: 3, Size: docgen.Size12MP})
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	var in Input
	rep := imagecheck.CheckInspect(data, imagecheck.DefaultOptions(), func(work *image.YCbCr, rep *imagecheck.Report) {
		// Keep a copy: the pooled planes go back after the call.
		c := *work
		c.Y, c.Cb, c.Cr = bytes.Clone(work.Y), bytes.Clone(work.Cb), bytes.Clone(work.Cr)
		in = Input{Data: data, Work: &c, Scale: rep.Scale, Width: rep.Width, Height: rep.Height, Now: time.Now()}
		for _, p := range rep.Document {
			in.Document = append(in.Document, [2]float64{p.X, p.Y})
		}
	})
	if rep.Width != 4032 || in.Work == nil {
		b.Fatalf("decoded %d×%d", rep.Width, rep.Height)
	}
	return in
}

// BenchmarkColourSeam12MP measures the recoloured-field search alone
// (colour_seam) on a 12 MP photo's working pixels.
func BenchmarkColourSeam12MP(b *testing.B) {
	in := input12MP(b)
	o := Options{}
	o.defaults()
	b.ReportAllocs()
	b.ResetTimer()
	var rel float64
	cpuLoop(b, 1, func() {
		s := colourSeam(in.Work, in.Document, in.Scale, o)
		if s.found {
			b.Fatal("a clean photo has a colour seam")
		}
		rel = s.rel
	})
	b.ReportMetric(rel, "colour_seam")
}

// BenchmarkCompression12MP measures the compression history alone
// (analyseCompression at the default MaxDCTBlocks budget) on a 12 MP
// photo: the coefficient reader and the double-quantisation analysis.
func BenchmarkCompression12MP(b *testing.B) {
	in := input12MP(b)
	o := Options{}
	o.defaults()
	b.ReportAllocs()
	b.ResetTimer()
	var cov float64
	cpuLoop(b, 1, func() {
		r, _ := analyseCompression(in.Data, in, in.Orientation, o.MaxDCTBlocks, false)
		if !r.measured || r.found {
			b.Fatalf("a clean photo's compression history: measured %v, found %v", r.measured, r.found)
		}
		cov = r.covered
	})
	b.ReportMetric(cov, "dct_coverage")
}

// BenchmarkFlatBlocks12MP measures the screenshot's flat-block count
// alone on a 12 MP photo's working pixels.
func BenchmarkFlatBlocks12MP(b *testing.B) {
	in := input12MP(b)
	b.ReportAllocs()
	b.ResetTimer()
	cpuLoop(b, 1, func() {
		if f := flatBlocks(in.Work); f >= 0.08 {
			b.Fatalf("a camera photo with %.3f flat blocks", f)
		}
	})
}

// seamStage is what colourSeam sets up before its searches: the
// document in chroma samples (poly), its spans shrunk by seamMargin,
// the chroma planes' size, the block period and the document's long
// side.
type seamStage struct {
	img          *image.YCbCr
	poly         [4][2]float64
	lo, hi       []int
	cw, ch, per  int
	long         float64
	tiltH, tiltV float64
}

func newSeamStage(in Input) seamStage {
	s := seamStage{img: in.Work}
	w, h := in.Work.Rect.Dx(), in.Work.Rect.Dy()
	s.cw, s.ch = (w+1)/2, (h+1)/2
	for i, p := range in.Document {
		s.poly[i] = [2]float64{p[0] / in.Scale / 2, p[1] / in.Scale / 2}
	}
	for i := range s.poly {
		a, b := s.poly[i], s.poly[(i+1)%4]
		s.long = math.Max(s.long, math.Hypot(b[0]-a[0], b[1]-a[1]))
	}
	s.tiltH, s.tiltV = cardTilt(s.poly, 0), cardTilt(s.poly, 90)
	s.lo, s.hi = quadSpans(s.poly[:], s.cw, s.ch, seamMargin)
	s.per = int(math.Round(8 / in.Scale))
	return s
}

// BenchmarkFineSeam12MP measures colour_seam's searches along the rows
// and the columns at the chroma planes' resolution (rowSeam,
// columnSeam) on a 12 MP photo.
func BenchmarkFineSeam12MP(b *testing.B) {
	in := input12MP(b)
	o := Options{}
	o.defaults()
	s := newSeamStage(in)
	rule := func(tilt float64) *runRule {
		r := &runRule{maxSlope: o.MaxSeamSlope, fine: s.img}
		if tilt < o.MinSeamTilt {
			r.img = s.img
		}
		return r
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpuLoop(b, 1, func() {
		row := rowSeam(s.img, s.lo, s.hi, s.cw, s.ch, s.per, o, rule(s.tiltH))
		col := columnSeam(s.img, s.lo, s.hi, s.cw, s.ch, s.per, o, rule(s.tiltV))
		if float64(max(row.n(), col.n()))/s.long >= o.MinSeam {
			b.Fatal("a clean photo has a colour seam")
		}
	})
}

// BenchmarkCoarseSeam12MP measures colour_seam's coarse search
// (coarseSeam) on the axes colourSeam runs it on (the card's tilted
// ones) of a 12 MP photo.
func BenchmarkCoarseSeam12MP(b *testing.B) {
	in := input12MP(b)
	o := Options{}
	o.defaults()
	s := newSeamStage(in)
	axes := 0
	b.ReportAllocs()
	b.ResetTimer()
	cpuLoop(b, 1, func() {
		axes = 0
		for _, hz := range []bool{true, false} {
			if t := map[bool]float64{true: s.tiltH, false: s.tiltV}[hz]; t < o.MinSeamTilt {
				continue
			}
			axes++
			if c := coarseSeam(s.img, s.poly[:], s.cw, s.ch, s.per, o, hz); float64(c.n())/s.long >= coarseMin {
				b.Fatal("a clean photo has a coarse colour seam")
			}
		}
	})
	b.ReportMetric(float64(axes), "axes")
}

// BenchmarkRectSides12MP measures what colour_rect costs on every photo
// where no seam was found: the chroma planes' integral images and the
// candidate sides along both axes (rectSides), on a 12 MP photo.
func BenchmarkRectSides12MP(b *testing.B) {
	in := input12MP(b)
	s := newSeamStage(in)
	b.ReportAllocs()
	b.ResetTimer()
	sides := 0
	cpuLoop(b, 1, func() {
		sums := newChromaSums(s.img.Cb, s.img.Cr, s.img.CStride, s.cw, s.ch)
		sides = len(rectSides(sums, true, s.lo, s.hi, s.cw, s.ch)) + len(rectSides(sums, false, s.lo, s.hi, s.ch, s.cw))
		sums.release()
	})
	b.ReportMetric(float64(sides), "sides")
}
