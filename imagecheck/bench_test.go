package imagecheck

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/kycq/kycq/internal/docgen"
)

// benchPhoto returns a clean synthetic photo of the given size, cached
// under $KYCQ_CACHE (or the system temp dir): a 12 MP one takes seconds
// to draw.
func benchPhoto(tb testing.TB, size docgen.Size) []byte {
	benchMu.Lock()
	defer benchMu.Unlock()
	if b, ok := benchPhotos[size]; ok {
		return b
	}
	dir := os.Getenv("KYCQ_CACHE")
	if dir == "" {
		dir = os.TempDir()
	}
	path := filepath.Join(dir, "imagecheck-bench-"+string(size)+".jpg")
	b, err := os.ReadFile(path)
	if err != nil {
		img, _ := docgen.Generate(docgen.Spec{Seed: 42, Size: size})
		q := 90
		if size == docgen.Size12MP {
			q = 93
		}
		if b, err = docgen.Encode(img, docgen.Encoding{Quality: q}); err != nil {
			tb.Fatal(err)
		}
		os.WriteFile(path, b, 0o644)
	}
	benchPhotos[size] = b
	return b
}

var (
	benchMu     sync.Mutex
	benchPhotos = map[docgen.Size][]byte{}
)

var benchSizes = []docgen.Size{docgen.Size12MP, docgen.Size2MP}

func BenchmarkCheck(b *testing.B) {
	for _, size := range benchSizes {
		b.Run(string(size), func(b *testing.B) {
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
		b.Run(string(size), func(b *testing.B) {
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
	for _, size := range benchSizes {
		b.Run(string(size), func(b *testing.B) {
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

func benchStage(b *testing.B, size docgen.Size) *stage {
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
		b.Run(string(size)+"/document", func(b *testing.B) {
			ws := new(workspace)
			for b.Loop() {
				_, _, _, chans := smallPlanes(p, ws)
				e := findEdges(chans, st.sw, st.sh, ws)
				q, ok := bestQuad(houghLines(e, ws), e, st.sw, st.sh)
				if ok {
					cornerVisibility(q, st.sw, st.sh)
				}
			}
		})
		b.Run(string(size)+"/blur", func(b *testing.B) {
			for b.Loop() {
				blurMeasure(p, st.inner)
			}
		})
		b.Run(string(size)+"/exposure", func(b *testing.B) {
			for b.Loop() {
				exposure(p, st.inner)
			}
		})
		b.Run(string(size)+"/glare", func(b *testing.B) {
			ws := new(workspace)
			for b.Loop() {
				glareMeasure(st.small, st.sw, st.innerS, ws)
			}
		})
		b.Run(string(size)+"/colour", func(b *testing.B) {
			for b.Loop() {
				colourfulness(p, st.inner)
			}
		})
		b.Run(string(size)+"/recapture", func(b *testing.B) {
			for b.Loop() {
				recaptureMeasure(p, st.wq, st.d.factor)
			}
		})
	}
}
