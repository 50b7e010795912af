package imagecheck

import (
	"image"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/kycq/kycq/internal/eval/docgen"
)

// benchCase is a benchmark photo: a clean synthetic photo of the given
// size, JPEG quality and EXIF orientation.
type benchCase struct {
	name        string
	size        docgen.Size
	quality     int
	orientation int
}

var (
	bench12MP  = benchCase{"12mp", docgen.Size12MP, 93, 1}       // 3.2 MB
	bench12Q85 = benchCase{"12mp-q85", docgen.Size12MP, 85, 1}   // 1.7 MB
	bench12Rot = benchCase{"12mp-exif6", docgen.Size12MP, 93, 6} // stored turned, EXIF orientation 6
	bench2MP   = benchCase{"2mp", docgen.Size2MP, 90, 1}         // 0.44 MB
	benchSizes = []benchCase{bench12MP, bench12Q85, bench2MP}
)

// benchPhoto returns the photo of c, cached under $KYCQ_CACHE (or the
// system temp dir): a 12 MP one takes seconds to draw.
func benchPhoto(tb testing.TB, c benchCase) []byte {
	benchMu.Lock()
	defer benchMu.Unlock()
	if b, ok := benchPhotos[c.name]; ok {
		return b
	}
	dir := os.Getenv("KYCQ_CACHE")
	if dir == "" {
		dir = os.TempDir()
	}
	path := filepath.Join(dir, "imagecheck-bench-"+c.name+".jpg")
	b, err := os.ReadFile(path)
	if err != nil {
		img, _ := docgen.Generate(docgen.Spec{Seed: 42, Size: c.size})
		if b, err = docgen.Encode(img, docgen.Encoding{Quality: c.quality, Orientation: c.orientation}); err != nil {
			tb.Fatal(err)
		}
		os.WriteFile(path, b, 0o644)
	}
	benchPhotos[c.name] = b
	return b
}

var (
	benchMu     sync.Mutex
	benchPhotos = map[string][]byte{}
)

func BenchmarkCheck(b *testing.B) {
	for _, size := range benchSizes {
		b.Run(size.name, func(b *testing.B) {
			data := benchPhoto(b, size)
			opts := DefaultOptions()
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				Check(data, opts)
			}
		})
	}
}

// BenchmarkCheckParallel measures throughput with GOMAXPROCS workers
// (run with -cpu 1,2,4 to see the scaling).
func BenchmarkCheckParallel(b *testing.B) {
	for _, size := range benchSizes {
		b.Run(size.name, func(b *testing.B) {
			data := benchPhoto(b, size)
			opts := DefaultOptions()
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					Check(data, opts)
				}
			})
		})
	}
}

func BenchmarkDecode(b *testing.B) {
	for _, size := range append(benchSizes, bench12Rot) {
		b.Run(size.name, func(b *testing.B) {
			data := benchPhoto(b, size)
			opts := DefaultOptions()
			ws := new(workspace)
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := decode(data, opts, ws); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// stage holds what the per-check benchmarks start from.
type stage struct {
	d      decoded
	ws     *workspace
	small  []byte
	sw, sh int
	wq     [4][2]float64
	inner  region
	innerS region
}

func benchStage(b *testing.B, size benchCase) *stage {
	data := benchPhoto(b, size)
	st := &stage{ws: new(workspace)}
	d, err := decode(data, DefaultOptions(), st.ws)
	if err != nil {
		b.Fatal(err)
	}
	st.d = d
	p := &d.p
	sf, sw, sh, chans := smallPlanes(p, st.ws)
	st.sw, st.sh = sw, sh
	st.small = append([]byte(nil), chans[0]...)
	e := findEdges(chans, st.sw, st.sh, st.ws)
	q, ok := bestQuad(houghLines(e, st.ws), e, st.sw, st.sh)
	if !ok {
		b.Fatal("no document found in the benchmark photo")
	}
	sq := q.ordered()
	st.wq = scaleQuad(sq, float64(sf))
	st.inner = rasterize(shrink(st.wq, 0.06), p.w, p.h)
	st.innerS = rasterize(shrink(sq, 0.04), st.sw, st.sh)
	return st
}

func BenchmarkChecks(b *testing.B) {
	for _, size := range benchSizes {
		st := benchStage(b, size)
		p := &st.d.p
		b.Run(size.name+"/document", func(b *testing.B) {
			ws := new(workspace)
			for b.Loop() {
				sf, _, _, chans := smallPlanes(p, ws)
				e := findEdges(chans, st.sw, st.sh, ws)
				q, ok := bestQuad(houghLines(e, ws), e, st.sw, st.sh)
				if ok {
					cornerScores(q, st.sw, st.sh, sf, p, &e)
				}
			}
		})
		b.Run(size.name+"/blur", func(b *testing.B) {
			// With the edge widths' histograms blur_motion reads.
			for b.Loop() {
				blurMeasure(p, st.inner)
			}
		})
		b.Run(size.name+"/blur_edge_width", func(b *testing.B) {
			// Measured only when blur is in its doubt band.
			for b.Loop() {
				edgeWidth(p, st.inner)
			}
		})
		b.Run(size.name+"/exposure", func(b *testing.B) {
			for b.Loop() {
				exposure(p, st.inner)
			}
		})
		b.Run(size.name+"/glare", func(b *testing.B) {
			ws := new(workspace)
			for b.Loop() {
				glareMeasure(st.small, st.sw, st.innerS, ws)
			}
		})
		b.Run(size.name+"/colour", func(b *testing.B) {
			for b.Loop() {
				colourfulness(p, st.inner)
			}
		})
		b.Run(size.name+"/colour_tone", func(b *testing.B) {
			for b.Loop() {
				colourTone(p, st.inner) // colour_tone and colour_cast
			}
		})
		b.Run(size.name+"/rectify", func(b *testing.B) {
			// The whole document's view the face detector is shown first.
			ws := new(workspace)
			aspect := quadAspect(st.wq)
			r := image.Rect(0, 0, faceSide, int(faceSide/aspect))
			for b.Loop() {
				rectify(p, uprightCorners(st.wq, 0), aspect, faceSide, r, 0, ws)
			}
		})
		b.Run(size.name+"/recapture", func(b *testing.B) {
			for b.Loop() {
				recaptureMeasure(p, st.wq, st.d.factor)
			}
		})
	}
}

// BenchmarkOrient is the re-layout of the planes of an EXIF-rotated photo
// at working resolution (756×1008 luma).
func BenchmarkOrient(b *testing.B) {
	ws := new(workspace)
	p := planes{w: 1008, h: 756, ys: 1008, cw: 504, ch: 378, cs: 504}
	p.y = make([]byte, p.w*p.h)
	p.cb = make([]byte, p.cw*p.ch)
	p.cr = make([]byte, p.cw*p.ch)
	for _, o := range []int{3, 6} {
		b.Run("exif"+strconv.Itoa(o), func(b *testing.B) {
			for b.Loop() {
				finish(p, o, ws)
			}
		})
	}
}
