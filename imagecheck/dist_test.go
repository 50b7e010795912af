package imagecheck

import (
	"fmt"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kycq/kycq/face"
	"github.com/kycq/kycq/internal/eval/docgen"
)

// The whole distribution of the check's time, not only its mean: a set of
// photos per class (size, baseline or progressive JPEG, a spread of
// qualities, a different clean card on each), every photo checked once per
// iteration on one goroutine locked to its thread, the per-photo CPU
// times pooled over the iterations and reported as p50, p90, p99 and max
// (ms of one core per photo; see reportDistribution):
//
//	KYCQ_CACHE=$PWD/.cache go test ./imagecheck -run '^$' -bench Distribution -benchtime 3x -cpu 1
//
// The photos are drawn once and cached under $KYCQ_CACHE.

// distClass is one class of photos of the distribution benchmark.
type distClass struct {
	name        string
	size        docgen.Size
	qualities   []int
	progressive bool
	photos      int
	// exact decodes every scan of a progressive JPEG
	// (Options.ExactProgressive), to measure what dropping the final luma
	// refinement saves; its photos are those of the class without it.
	exact bool
	// libjpeg decodes baseline JPEGs with libjpeg-turbo's scaled decode
	// (Options.LibjpegIDCT), to measure what the reduced decoder saves;
	// its photos too are those of the class without the suffix.
	libjpeg bool
	// front draws card fronts carrying the bundled portraits, printed
	// (as internal/eval/cvcompare does: the drawn faces of the other
	// classes are not photographs), and checks them as fronts with the
	// face engine as the portrait's detector (the production options):
	// the whole report, portrait search included.
	front bool
}

var distClasses = []distClass{
	{"12mp-q85-95", docgen.Size12MP, []int{85, 88, 90, 92, 95}, false, 10, false, false, false},
	{"12mp-q85-95-front", docgen.Size12MP, []int{85, 88, 90, 92, 95}, false, 10, false, false, true},
	{"12mp-q85-95-libjpeg", docgen.Size12MP, []int{85, 88, 90, 92, 95}, false, 10, false, true, false},
	{"12mp-q96-98", docgen.Size12MP, []int{96, 98}, false, 4, false, false, false},
	{"12mp-progressive", docgen.Size12MP, []int{85, 92, 95}, true, 6, false, false, false},
	{"12mp-progressive-front", docgen.Size12MP, []int{85, 92, 95}, true, 6, false, false, true},
	{"12mp-progressive-exact", docgen.Size12MP, []int{85, 92, 95}, true, 6, true, false, false},
	{"2mp-q85-95", docgen.Size2MP, []int{85, 90, 95}, false, 12, false, false, false},
	{"2mp-q85-95-libjpeg", docgen.Size2MP, []int{85, 90, 95}, false, 12, false, true, false},
	{"2mp-progressive", docgen.Size2MP, []int{90}, true, 6, false, false, false},
}

// distPhotos returns the photos of class c (drawn once, then cached).
func distPhotos(tb testing.TB, c distClass) [][]byte {
	dir := os.Getenv("KYCQ_CACHE")
	if dir == "" {
		dir = os.TempDir()
	}
	var out [][]byte
	for i := 0; i < c.photos; i++ {
		q := c.qualities[i%len(c.qualities)]
		enc := docgen.Encoding{Quality: q, Progressive: c.progressive}
		path := filepath.Join(dir, fmt.Sprintf("imagecheck-dist-%s-%d.jpg", strings.TrimSuffix(strings.TrimSuffix(c.name, "-exact"), "-libjpeg"), i))
		b, err := os.ReadFile(path)
		if err != nil {
			spec := docgen.Spec{Seed: int64(1000 + i), Size: c.size}
			if c.front {
				portrait, err := samplePortrait(i)
				if err != nil {
					tb.Fatal(err)
				}
				spec.Side, spec.Portrait, spec.PrintedPortrait = docgen.Front, portrait, true
			}
			img, _ := docgen.Generate(spec)
			if b, err = docgen.Encode(img, enc); err != nil {
				tb.Fatal(err)
			}
			os.WriteFile(path, b, 0o644)
		}
		out = append(out, b)
	}
	return out
}

// samplePortrait returns the i-th of internal/eval/sample's bundled
// portraits, in name order, cycling (read from its directory: that
// package imports imagecheck).
func samplePortrait(i int) (image.Image, error) {
	names, err := filepath.Glob("../internal/eval/sample/faces/*.jpg")
	if err != nil || len(names) == 0 {
		return nil, fmt.Errorf("no bundled portraits (%v)", err)
	}
	slices.Sort(names)
	f, err := os.Open(names[i%len(names)])
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return jpeg.Decode(f)
}

// percentile returns the p-th percentile (0..100) of sorted durations
// (nearest rank), in milliseconds.
func percentile(sorted []time.Duration, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	k := int(p/100*float64(len(sorted))+0.999999) - 1
	k = max(0, min(len(sorted)-1, k))
	return float64(sorted[k].Microseconds()) / 1000
}

// reportDistribution runs check over every photo once per iteration and
// reports the percentiles of the per-photo times: CPU time of the thread
// running it (p50-ms ... max-ms: what one core spends, whatever else the
// machine runs), and the wall-clock median and maximum (wall-p50-ms,
// wall-max-ms, which a loaded machine inflates). Garbage collection done
// on other threads is not counted in the CPU figures.
func reportDistribution(b *testing.B, photos [][]byte, check func([]byte)) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var cpu, wall []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, p := range photos {
			c0, t := cpuNow(), time.Now()
			check(p)
			wall = append(wall, time.Since(t))
			cpu = append(cpu, cpuNow()-c0)
		}
	}
	b.StopTimer()
	slices.Sort(cpu)
	slices.Sort(wall)
	b.ReportMetric(percentile(cpu, 50), "p50-ms")
	b.ReportMetric(percentile(cpu, 90), "p90-ms")
	b.ReportMetric(percentile(cpu, 99), "p99-ms")
	b.ReportMetric(percentile(cpu, 100), "max-ms")
	b.ReportMetric(percentile(wall, 50), "wall-p50-ms")
	b.ReportMetric(percentile(wall, 100), "wall-max-ms")
	b.ReportMetric(float64(len(photos)), "photos")
}

// cpuNow is threadCPU, 0 where the platform has none.
func cpuNow() time.Duration {
	d, _ := threadCPU()
	return d
}

// distStages are the stages of Report.Timings reported on their own.
var distStages = []string{"decode", "document", "blur", "exposure", "glare", "colour", "recapture", "face", "total"}

// engineDetector is the face engine as imagecheck's portrait detector,
// as workers.FaceDetector adapts it in production (imagecheck's tests
// cannot import workers).
type engineDetector struct{ e *face.Engine }

func (d engineDetector) DetectFaces(img image.Image) ([]FaceBox, error) {
	dets, err := d.e.Detect(img)
	out := make([]FaceBox, len(dets))
	for i, f := range dets {
		out[i] = FaceBox{Rect: f.Box, Score: f.Score}
	}
	return out, err
}

func (d engineDetector) ConfirmFace(img image.Image, box image.Rectangle) (bool, error) {
	l, err := d.e.Layout(img, box)
	return l.Plausible, err
}

var (
	benchEngineOnce sync.Once
	benchEngine     *face.Engine
	benchEngineErr  error
)

// benchFaceEngine returns the face engine with its default options.
func benchFaceEngine(tb testing.TB) FaceDetector {
	benchEngineOnce.Do(func() { benchEngine, benchEngineErr = face.New(face.Options{}) })
	if benchEngineErr != nil {
		tb.Fatal(benchEngineErr)
	}
	return engineDetector{benchEngine}
}

func BenchmarkDistribution(b *testing.B) {
	for _, c := range distClasses {
		b.Run(c.name, func(b *testing.B) {
			photos := distPhotos(b, c)
			opts := DefaultOptions()
			opts.ExactProgressive = c.exact
			opts.LibjpegIDCT = c.libjpeg
			if c.front {
				opts.Side = Front
				opts.FaceDetector = benchFaceEngine(b)
			}
			stages := map[string][]time.Duration{}
			over := map[string]int{}
			reportDistribution(b, photos, func(p []byte) {
				rep := Check(p, opts)
				if rep.Format == "" {
					b.Fatalf("unreadable: %s", rep.Error)
				}
				spent := rep.CPU
				if spent == nil {
					spent = rep.Timings
				}
				for _, st := range distStages {
					stages[st] = append(stages[st], time.Duration(spent[st]*float64(time.Millisecond)))
				}
				for _, st := range rep.OverBudget {
					over[st]++
				}
			})
			// How often each stage went over its budget.
			for st, n := range over {
				b.ReportMetric(float64(n)/float64(b.N*len(photos)), st+"-over-budget")
			}
			// The stages' own medians and maxima (CPU time of the check's
			// thread, Report.CPU; wall time where it is not measured): what
			// each stage's budget is set from (DefaultBudgets).
			for _, st := range distStages {
				slices.Sort(stages[st])
				b.ReportMetric(percentile(stages[st], 50), st+"-p50-ms")
				b.ReportMetric(percentile(stages[st], 100), st+"-max-ms")
			}
		})
	}
}

func TestPercentile(t *testing.T) {
	ms := func(v ...int) []time.Duration {
		var out []time.Duration
		for _, x := range v {
			out = append(out, time.Duration(x)*time.Millisecond)
		}
		return out
	}
	cases := []struct {
		d    []time.Duration
		p    float64
		want float64
	}{
		{ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 50, 5},
		{ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 90, 9},
		{ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 99, 10},
		{ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 100, 10},
		{ms(7), 50, 7},
		{nil, 50, 0},
	}
	for _, c := range cases {
		if got := percentile(c.d, c.p); got != c.want {
			t.Errorf("p%v of %v: got %v, want %v", c.p, c.d, got, c.want)
		}
	}
}

func (d engineDetector) FaceFit(img image.Image, box image.Rectangle) (bool, float64, error) {
	l, err := d.e.Layout(img, box)
	return l.Plausible, l.Misfit, err
}
