package face

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/kycq/kycq/face/model"
)

// benchPhoto loads a real photo from the setup cache, or skips.
func benchPhoto(b *testing.B, name string) *rgbImage {
	b.Helper()
	data, err := os.ReadFile(filepath.Join(photoDir(), name))
	if err != nil {
		b.Skipf("face photos missing (run scripts/setup.sh): %v", err)
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
			for b.Loop() {
				if d := e.detect(ws, img, size, 0.5); len(d) != 1 {
					b.Fatalf("%d faces", len(d))
				}
			}
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
	for b.Loop() {
		e.landmarks(ws, img, d)
	}
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
		for b.Loop() {
			chip(img, chipTransform(&lm, chipSize), chipSize, ws.chip)
		}
	})
	b.Run("net", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			ws.ar.Reset()
			in := ws.ar.Tensor(chipSize, chipSize, 3)
			chipTensor(ws.chip, in)
			e.nets.Recognizer.Forward(&ws.ar, in, desc[:])
		}
	})
}
