package face

import (
	"context"
	"image"
	"image/color"
	"math/rand"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/kycq/kycq/face/model"
	"github.com/kycq/kycq/face/nn"
	"github.com/kycq/kycq/internal/eval/headmotion"
	"github.com/kycq/kycq/internal/systest/testenv"
)

// benchPhoto loads a real photo from the setup cache; without it the
// benchmark fails under KYCQ_TEST_REQUIRE_SERVICES=1 and skips, saying
// so, otherwise.
func benchPhoto(b *testing.B, name string) *rgbImage {
	b.Helper()
	data, err := os.ReadFile(filepath.Join(photoDir(), name))
	if err != nil {
		testenv.Unavailable(b, "face photos (scripts/setup.d/40-face-photos.sh fetches them)", err)
	}
	var img rgbImage
	if err := decodeImage(data, 40e6, &img); err != nil {
		b.Fatal(err)
	}
	return &img
}

func benchEngine(b *testing.B) *Engine {
	e, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	return e
}

// BenchmarkDetect is the detector on a 640×480 photo at the document input
// size (416) and the video input size (320).
func BenchmarkDetect(b *testing.B) {
	e := benchEngine(b)
	img := benchPhoto(b, "face.jpg")
	for _, size := range []int{416, 320} {
		b.Run(itoa(size), func(b *testing.B) {
			ws := e.get()
			defer e.put(ws)
			b.ReportAllocs()
			s0, c0 := cpuTimes()
			for b.Loop() {
				if d := e.detect(ws, img, size, 0.5); len(d) != 1 {
					b.Fatalf("%d faces", len(d))
				}
			}
			reportCPU(b, s0, c0)
		})
	}
}

func BenchmarkLandmarks(b *testing.B) {
	e := benchEngine(b)
	img := benchPhoto(b, "face.jpg")
	ws := e.get()
	defer e.put(ws)
	d := e.detect(ws, img, 416, 0.5)[0]
	b.ReportAllocs()
	s0, c0 := cpuTimes()
	for b.Loop() {
		e.landmarks(ws, img, d)
	}
	reportCPU(b, s0, c0)
}

// BenchmarkDescriptor is alignment (chip) plus the recognition net.
func BenchmarkDescriptor(b *testing.B) {
	e := benchEngine(b)
	img := benchPhoto(b, "face.jpg")
	ws := e.get()
	defer e.put(ws)
	d := e.detect(ws, img, 416, 0.5)[0]
	lm, _ := e.landmarks(ws, img, d)
	var desc [model.DescriptorLen]float32
	b.Run("chip", func(b *testing.B) {
		b.ReportAllocs()
		s0, c0 := cpuTimes()
		for b.Loop() {
			chip(img, chipTransform(&lm, chipSize), chipSize, ws.chip)
		}
		reportCPU(b, s0, c0)
	})
	b.Run("net", func(b *testing.B) {
		b.ReportAllocs()
		s0, c0 := cpuTimes()
		for b.Loop() {
			ws.ar.Reset()
			in := ws.ar.Tensor(chipSize, chipSize, 3)
			chipTensor(ws.chip, in)
			e.nets.Recognizer.Forward(&ws.ar, in, desc[:])
		}
		reportCPU(b, s0, c0)
	})
}

// BenchmarkMatchVideo is one whole match: the document (a 640×480 photo)
// and a 3-second selfie video of the head turning in 3D, ffmpeg decoding
// included, 6 frames scored. (A moved still would be refused by liveness:
// the benchmark measures an approval.)
func BenchmarkMatchVideo(b *testing.B) {
	needFFmpeg(b)
	e := benchEngine(b)
	doc := readPhoto(b, "face-detect.jpg")
	video := headVideo(b, e, "face.jpg", headmotion.Natural, 1)
	ctx := context.Background()
	b.ReportAllocs()
	s0, c0 := cpuTimes()
	for b.Loop() {
		res, err := e.MatchVideo(ctx, doc, video)
		if err != nil || !res.OK {
			b.Fatalf("%v %+v", err, res)
		}
	}
	reportCPU(b, s0, c0)
}

// BenchmarkMatchFrames is the same match without ffmpeg: the document and
// six already decoded 480×360 frames (what the engine computes itself).
func BenchmarkMatchFrames(b *testing.B) {
	needFFmpeg(b)
	e := benchEngine(b)
	doc := readPhoto(b, "face-detect.jpg")
	video := headVideo(b, e, "face.jpg", headmotion.Natural, 1)
	frames, err := e.extractFrames(context.Background(), video)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	ctx := context.Background()
	s0, c0 := cpuTimes()
	for b.Loop() {
		ws := e.get()
		if err := decodeImage(doc, 40e6, &ws.img); err != nil {
			b.Fatal(err)
		}
		if fi := e.analyzeDocument(ws, &ws.img); !fi.Found {
			b.Fatal("no document face")
		}
		faces, _, err := e.analyzeFrames(ctx, ws, frames, NoChallenge)
		if err != nil || len(faces) != 6 {
			b.Fatalf("%v: %d frames analysed", err, len(faces))
		}
		e.put(ws)
	}
	reportCPU(b, s0, c0)
}

// cpuTimes returns this process's and its reaped children's CPU time.
func cpuTimes() (self, children time.Duration) {
	var s, c syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &s)
	syscall.Getrusage(syscall.RUSAGE_CHILDREN, &c)
	tv := func(r *syscall.Rusage) time.Duration {
		return time.Duration(r.Utime.Nano() + r.Stime.Nano())
	}
	return tv(&s), tv(&c)
}

// reportCPU adds the CPU time per operation (ms) of the process and of
// ffmpeg: on a machine shared with other work, wall time overstates it.
func reportCPU(b *testing.B, s0, c0 time.Duration) {
	s1, c1 := cpuTimes()
	b.ReportMetric(float64((s1-s0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
	if c1 > c0 {
		b.ReportMetric(float64((c1-c0).Microseconds())/1000/float64(b.N), "ffmpeg-cpu-ms/op")
	}
}

// docView is a 416×262 4:2:0 image of face.jpg cut to an ID-1 card's
// shape: what imagecheck shows the detector when it searches a document's
// portrait (the rectified card at the detector's input width).
func docView(b *testing.B) *image.YCbCr {
	src := benchPhoto(b, "face.jpg")
	const w, h = 416, 262
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	sh := int(float64(src.W) / 1.586)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			p := src.Pix[((y*sh/h)*src.W+x*src.W/w)*3:]
			yy, cb, cr := color.RGBToYCbCr(p[0], p[1], p[2])
			img.Y[img.YOffset(x, y)] = yy
			img.Cb[img.COffset(x, y)], img.Cr[img.COffset(x, y)] = cb, cr
		}
	}
	return img
}

// BenchmarkDocumentView is one look at a document's portrait as imagecheck
// takes it through the engine: Detect on the 416×262 view (its input
// trimmed to 416×288), the same with face-api's 416×416 input (square),
// and the landmark layout that confirms the face (Layout).
func BenchmarkDocumentView(b *testing.B) {
	e := benchEngine(b)
	view := docView(b)
	b.Run("trimmed", func(b *testing.B) {
		b.ReportAllocs()
		s0, c0 := cpuTimes()
		for b.Loop() {
			if d, err := e.Detect(view); err != nil || len(d) != 1 {
				b.Fatalf("%d faces, %v", len(d), err)
			}
		}
		reportCPU(b, s0, c0)
	})
	b.Run("square", func(b *testing.B) {
		ws := e.get()
		defer e.put(ws)
		b.ReportAllocs()
		s0, c0 := cpuTimes()
		for b.Loop() {
			ws.img.from(view)
			if d := e.detectWide(ws, &ws.img, 416, e.opts.DetectScore, false); len(d) != 1 {
				b.Fatalf("%d faces", len(d))
			}
		}
		reportCPU(b, s0, c0)
	})
	d, err := e.Detect(view)
	if err != nil || len(d) != 1 {
		b.Fatalf("%d faces, %v", len(d), err)
	}
	b.Run("layout", func(b *testing.B) {
		b.ReportAllocs()
		s0, c0 := cpuTimes()
		for b.Loop() {
			if l, err := e.Layout(view, d[0].Box); err != nil || !l.Plausible {
				b.Fatalf("layout %v, %v", l.Plausible, err)
			}
		}
		reportCPU(b, s0, c0)
	})
}

// BenchmarkFill420 times the detector's input written from a 416×262
// document view's planes (fill420, the trimmed 416×288 input): the loop
// against eight pixels at a time (AVX2, where the CPU has it). The view's
// levels are a document's (luma 40–230, chroma within 24 of grey), so
// that few sums leave 0..255 (the loop's clamp is then well predicted, as
// on a real view).
func BenchmarkFill420(b *testing.B) {
	src := image.NewYCbCr(image.Rect(0, 0, 416, 262), image.YCbCrSubsampleRatio420)
	rng := rand.New(rand.NewSource(1))
	for i := range src.Y {
		src.Y[i] = byte(40 + rng.Intn(191))
	}
	for i := range src.Cb {
		src.Cb[i], src.Cr[i] = byte(104+rng.Intn(49)), byte(104+rng.Intn(49))
	}
	var ar nn.Arena
	dst := ar.TensorUninit(288, 416, 3)
	for _, avx := range []bool{false, true} {
		if avx && !useFillAVX2 {
			continue
		}
		name := "loop"
		if avx {
			name = "avx2"
		}
		b.Run(name, func(b *testing.B) {
			saved := useFillAVX2
			defer func() { useFillAVX2 = saved }()
			useFillAVX2 = avx
			for b.Loop() {
				fill420(src, model.DetectorMean, dst)
			}
		})
	}
}
