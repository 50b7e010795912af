package imagecheck

import (
	"bytes"
	"math/rand"
	"runtime"
	"testing"

	"github.com/kycq/kycq/internal/geom"
)

// withSampleAVX2 runs f with the assembly path on, then off (once, where
// the CPU has no AVX2), naming each run.
func withSampleAVX2(t *testing.T, f func(t *testing.T, name string)) {
	saved := useSampleAVX2
	defer func() { useSampleAVX2 = saved }()
	for _, on := range []bool{true, false} {
		if on && !saved {
			continue
		}
		useSampleAVX2 = on
		name := "go"
		if on {
			name = "avx2"
		}
		f(t, name)
	}
}

// Literal rows whose bytes are known by construction: pixel centres
// read back, halfway points, clamping past the plane's edges, and a
// length that leaves points after the last group of four.
func TestSampleRowLiteral(t *testing.T) {
	// A 6×2 plane, stride 8 (the padding never read): row 0 is 0, 10,
	// ..., 50; row 1 is 100, 110, ..., 150.
	pix := []byte{
		0, 10, 20, 30, 40, 50, 255, 255,
		100, 110, 120, 130, 140, 150,
	}
	cases := []struct {
		name string
		hom  geom.Homography
		x0   float64
		y    float64
		dx   float64
		n    int
		want []byte
	}{
		{"pixel centres of row 0", geom.Identity, 0.5, 0.5, 1, 6, []byte{0, 10, 20, 30, 40, 50}},
		{"pixel centres of row 1", geom.Identity, 0.5, 1.5, 1, 6, []byte{100, 110, 120, 130, 140, 150}},
		{"halfway between the rows", geom.Identity, 0.5, 1, 1, 6, []byte{50, 60, 70, 80, 90, 100}},
		{"halfway between columns", geom.Identity, 1, 0.5, 1, 5, []byte{5, 15, 25, 35, 45}},
		{"past the right edge", geom.Identity, 4.5, 0.5, 1, 5, []byte{40, 50, 50, 50, 50}},
		{"past the left edge, above", geom.Identity, -2.5, -3, 1, 4, []byte{0, 0, 0, 0}},
		{"twice as large a step", geom.Homography{2, 0, 0, 0, 2, 0, 0, 0, 1}, 0.25, 0.25, 1, 3, []byte{0, 20, 40}},
		{"a denominator of 2 halves the step", geom.Homography{1, 0, 0, 0, 1, 0, 0, 0, 2}, 1, 1, 2, 5, []byte{0, 10, 20, 30, 40}},
	}
	withSampleAVX2(t, func(t *testing.T, path string) {
		for _, c := range cases {
			got := make([]byte, c.n)
			sampleRow(got, c.hom, c.x0, c.y, c.dx, pix, 6, 2, 8, 1)
			if !bytes.Equal(got, c.want) {
				t.Errorf("%s (%s): got %v, want %v", c.name, path, got, c.want)
			}
		}
	})
}

// The assembly path must give the bytes of sampleRow's former loop
// (sampleRowRef) for any homography and row length: every group of four
// and the points left after it, positions clamped at every edge.
func TestSampleRowMatchesRef(t *testing.T) {
	const pw, ph, ps = 53, 31, 57
	rng := rand.New(rand.NewSource(7))
	a, b := make([]byte, ps*(ph-1)+pw), make([]byte, ps*(ph-1)+pw)
	rng.Read(a)
	rng.Read(b)
	withSampleAVX2(t, func(t *testing.T, path string) {
		for i := 0; i < 400; i++ {
			hom := geom.Homography{
				0.5 + rng.Float64()*2, rng.Float64() - 0.5, rng.Float64()*20 - 10,
				rng.Float64() - 0.5, 0.5 + rng.Float64()*2, rng.Float64()*20 - 10,
				(rng.Float64() - 0.5) * 0.01, (rng.Float64() - 0.5) * 0.01, 1,
			}
			n := rng.Intn(70)
			x0, y := rng.Float64()*30-5, rng.Float64()*40-5
			dx, div := 1.0, 1.0
			if i%2 == 1 {
				dx, div = 2, 2
			}
			want1, want2 := make([]byte, n), make([]byte, n)
			sampleRowRef(want1, hom, x0, y, dx, a, pw, ph, ps, div)
			sampleRowRef(want2, hom, x0, y, dx, b, pw, ph, ps, div)
			got1, got2 := make([]byte, n), make([]byte, n)
			sampleRow(got1, hom, x0, y, dx, a, pw, ph, ps, div)
			if !bytes.Equal(got1, want1) {
				t.Fatalf("%s: row %d (n %d): sampleRow gives %v, want %v", path, i, n, got1, want1)
			}
			sampleRow2(got1, got2, hom, x0, y, dx, a, b, pw, ph, ps, div)
			if !bytes.Equal(got1, want1) || !bytes.Equal(got2, want2) {
				t.Fatalf("%s: row %d (n %d): sampleRow2 gives %v / %v, want %v / %v", path, i, n, got1, got2, want1, want2)
			}
		}
	})
}

// A position that is not a number (a zero denominator over a zero
// numerator) is left to the loop, which fails on it as it always did: an
// index out of range, recovered by faceCheck, not a read outside the
// plane.
func TestSampleRowNaNPanics(t *testing.T) {
	pix := make([]byte, 16)
	hom := geom.Homography{0, 0, 0, 0, 0, 0, 0, 0, 0}
	withSampleAVX2(t, func(t *testing.T, path string) {
		defer func() {
			if recover() == nil {
				t.Errorf("%s: no panic", path)
			}
		}()
		sampleRow(make([]byte, 8), hom, 0.5, 0.5, 1, pix, 4, 4, 4, 1)
	})
}

// sampleRowFast reads no plane whose indices do not fit (rowSampler.fits).
func TestRowSamplerFits(t *testing.T) {
	cases := []struct {
		pw, ph, ps, n int
		want          bool
	}{
		{4, 4, 4, 16, true},
		{4, 4, 6, 22, true},
		{4, 4, 6, 21, false}, // the last pixel outside
		{4, 4, 3, 16, false}, // stride narrower than the row
		{0, 4, 4, 16, false},
		{4, 1 << 23, 4, 1 << 25, false},
	}
	for _, c := range cases {
		s := newRowSampler(geom.Identity, 0.5, 0.5, 1, c.pw, c.ph, c.ps, 1)
		if got := s.fits(c.n); got != c.want {
			t.Errorf("%d×%d stride %d in %d bytes: got %v, want %v", c.pw, c.ph, c.ps, c.n, got, c.want)
		}
	}
}

// BenchmarkSampleRow samples the luma rows of a 416×262 portrait view
// from a 1008×756 plane (a 12 MP photo's working size) through a
// perspective homography, as rectify does, with sampleRow's loop alone
// ("go") and with the assembly path ("avx2", where the CPU has AVX2);
// cpu-ms is the CPU time of the benchmark's thread per view:
//
//	go test ./imagecheck -run '^$' -bench SampleRow -count 6 -cpu 1
func BenchmarkSampleRow(b *testing.B) {
	const pw, ph, vw, vh = 1008, 756, 416, 262
	pix := make([]byte, pw*ph)
	rand.New(rand.NewSource(1)).Read(pix)
	// The view's corners on a card taking most of the photo, seen a
	// little from one side.
	hom := rectifyMap(tiltedRect(vw, vh, 0), [4][2]float64{{120, 90}, {900, 130}, {880, 640}, {140, 690}})
	out := make([]byte, vw*vh)
	saved := useSampleAVX2
	defer func() { useSampleAVX2 = saved }()
	for _, on := range []bool{false, true} {
		if on && !saved {
			continue
		}
		name := "go"
		if on {
			name = "avx2"
		}
		b.Run(name, func(b *testing.B) {
			useSampleAVX2 = on
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			c0 := cpuNow()
			for b.Loop() {
				for y := 0; y < vh; y++ {
					sampleRow(out[y*vw:(y+1)*vw], hom, 0.5, float64(y)+0.5, 1, pix, pw, ph, pw, 1)
				}
			}
			b.ReportMetric(float64(cpuNow()-c0)/1e6/float64(b.N), "cpu-ms")
		})
	}
}
