package authenticity

import (
	"bytes"
	"image"
	"image/jpeg"
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
		if localAnomaly(in.Work, in.Document, in.Scale, false, o).found {
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
