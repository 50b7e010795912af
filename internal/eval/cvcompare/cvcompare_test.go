package cvcompare

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/kycq/kycq/face"
	"github.com/kycq/kycq/imagecheck"
	"github.com/kycq/kycq/internal/eval/docgen"
	"github.com/kycq/kycq/workers"
)

// frontOptions are the production options for a card front, with the
// face engine as the portrait's detector.
func frontOptions(tb testing.TB) imagecheck.Options {
	engineOnce.Do(func() { engine, engineErr = face.New(face.Options{}) })
	if engineErr != nil {
		tb.Fatal(engineErr)
	}
	opts := imagecheck.DefaultOptions()
	opts.Side = imagecheck.Front
	opts.FaceDetector = workers.FaceDetector{Engine: engine}
	return opts
}

var (
	engineOnce sync.Once
	engine     *face.Engine
	engineErr  error
)

// quadIoU is the intersection over union of the bounding boxes of two
// outlines.
func quadIoU(a, b [][2]float64) float64 {
	box := func(q [][2]float64) [4]float64 {
		r := [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
		for _, p := range q {
			r[0], r[1] = math.Min(r[0], p[0]), math.Min(r[1], p[1])
			r[2], r[3] = math.Max(r[2], p[0]), math.Max(r[3], p[1])
		}
		return r
	}
	ra, rb := box(a), box(b)
	iw := math.Min(ra[2], rb[2]) - math.Max(ra[0], rb[0])
	ih := math.Min(ra[3], rb[3]) - math.Max(ra[1], rb[1])
	if iw <= 0 || ih <= 0 {
		return 0
	}
	in := iw * ih
	return in / ((ra[2]-ra[0])*(ra[3]-ra[1]) + (rb[2]-rb[0])*(rb[3]-rb[1]) - in)
}

// TestBothEnginesOnPhotos runs both engines for real on a sharp and a
// blurred card front: each must time every photo, find the sharp card
// where the generator put it, read about the same brightness, and rank
// the two photos' sharpness the same way (by construction the blurred one
// is the blurrier).
func TestBothEnginesOnPhotos(t *testing.T) {
	dir := t.TempDir()
	photos := []Photo{
		{Seed: 2101, Size: docgen.Size2MP, Quality: 90},
		{Seed: 2101, Size: docgen.Size2MP, Quality: 90, Defect: docgen.Blur},
	}
	files, err := Write(dir, photos)
	if err != nil {
		t.Fatal(err)
	}
	spec, err := photos[0].Spec()
	if err != nil {
		t.Fatal(err)
	}
	_, label := docgen.Generate(spec)
	truth := label.Quad[:]
	cv, err := OpenCV(context.Background(), files, Options{Iterations: 1, Face: true})
	if err != nil {
		t.Fatal(err)
	}
	kq, err := Kycq(files, frontOptions(t), 1)
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range files {
		name := filepath.Base(f)
		if len(cv[i].CPU) != 1 || cv[i].CPU[0] <= 0 || len(kq[i].CPU) != 1 || kq[i].CPU[0] <= 0 ||
			len(cv[i].DecodeCPU) != 1 || cv[i].DecodeCPU[0] <= 0 || cv[i].DecodeCPU[0] >= cv[i].CPU[0] ||
			len(kq[i].DecodeCPU) != 1 || kq[i].DecodeCPU[0] <= 0 || kq[i].DecodeCPU[0] >= kq[i].CPU[0] {
			t.Errorf("%s: untimed (opencv %v decode %v, kycq %v decode %v)", name, cv[i].CPU, cv[i].DecodeCPU, kq[i].CPU, kq[i].DecodeCPU)
		}
		t.Logf("%s: opencv %v %v faces %d; kycq %v %v faces %d", name, cv[i].CPU, cv[i].Scores, cv[i].Faces, kq[i].CPU, kq[i].Scores, kq[i].Faces)
	}
	sharpCV, blurCV := cv[0].Scores["blur"], cv[1].Scores["blur"]
	if sharpCV <= 1.5*blurCV {
		t.Errorf("opencv: variance of the Laplacian %.1f (sharp) vs %.1f (blurred)", sharpCV, blurCV)
	}
	if s, b := kq[0].Scores["blur"], kq[1].Scores["blur"]; s >= b {
		t.Errorf("kycq: blur %.3f (sharp) vs %.3f (blurred)", s, b)
	}
	if d := math.Abs(cv[0].Scores["brightness"] - kq[0].Scores["brightness"]); d > 20 {
		t.Errorf("brightness: opencv %v, kycq %v", cv[0].Scores["brightness"], kq[0].Scores["brightness"])
	}
	if cv[0].Quad == nil || kq[0].Quad == nil {
		t.Fatalf("outline of the sharp card: opencv %v, kycq %v", cv[0].Quad, kq[0].Quad)
	}
	for _, e := range []struct {
		name string
		quad [][2]float64
	}{{"opencv", cv[0].Quad}, {"kycq", kq[0].Quad}} {
		iou := quadIoU(e.quad, truth)
		if iou < 0.8 {
			t.Errorf("%s's outline %v overlaps the card %v by %.2f", e.name, e.quad, truth, iou)
		}
		t.Logf("%s's outline overlaps the card by %.3f", e.name, iou)
	}
}

// BenchmarkCompare checks the comparison set (Set(8): 12 MP clean fronts,
// JPEG q 85–95, cached under $KYCQ_CACHE/cvcompare) b.N times with each
// engine, without and with the portrait search, and the same photos
// written as progressive JPEGs without it, and reports each engine's
// per-photo CPU time of one thread (kycq-p50-ms ... cv-max-ms), the
// ratio of the medians (cv/kycq-p50) and each engine's median decode:
//
//	KYCQ_CACHE=$PWD/.cache go test ./internal/eval/cvcompare -run '^$' -bench Compare -benchtime 3x -cpu 1
func BenchmarkCompare(b *testing.B) {
	cache := os.Getenv("KYCQ_CACHE")
	if cache == "" {
		cache = os.TempDir()
	}
	set := Set(8)
	baseline, err := Write(filepath.Join(cache, "cvcompare"), set)
	if err != nil {
		b.Fatal(err)
	}
	for i := range set {
		set[i].Progressive = true
	}
	progressive, err := Write(filepath.Join(cache, "cvcompare"), set)
	if err != nil {
		b.Fatal(err)
	}
	for _, run := range []struct {
		name     string
		files    []string
		withFace bool
	}{{"checks", baseline, false}, {"with-portrait", baseline, true}, {"progressive-checks", progressive, false}} {
		files, withFace := run.files, run.withFace
		b.Run(run.name, func(b *testing.B) {
			opts := imagecheck.DefaultOptions()
			if withFace {
				opts = frontOptions(b)
			}
			b.ResetTimer()
			kq, err := Kycq(files, opts, b.N)
			if err != nil {
				b.Fatal(err)
			}
			cv, err := OpenCV(context.Background(), files, Options{Iterations: b.N, Face: withFace})
			if err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			k, c := Summarise(kq, CPUTime), Summarise(cv, CPUTime)
			for _, m := range []struct {
				engine string
				s      Stats
			}{{"kycq", k}, {"cv", c}} {
				b.ReportMetric(m.s.P50, m.engine+"-p50-ms")
				b.ReportMetric(m.s.P90, m.engine+"-p90-ms")
				b.ReportMetric(m.s.P99, m.engine+"-p99-ms")
				b.ReportMetric(m.s.Max, m.engine+"-max-ms")
			}
			b.ReportMetric(c.P50/k.P50, "cv/kycq-p50")
			b.ReportMetric(Summarise(kq, WallTime).P50, "kycq-wall-p50-ms")
			b.ReportMetric(Summarise(cv, WallTime).P50, "cv-wall-p50-ms")
			b.ReportMetric(Summarise(kq, DecodeCPUTime).P50, "kycq-decode-p50-ms")
			b.ReportMetric(Summarise(cv, DecodeCPUTime).P50, "cv-decode-p50-ms")
		})
	}
}
