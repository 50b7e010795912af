package nn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// naiveGemm is the reference: float64 accumulation.
func naiveGemm(m, k, n int, a, b, bias []float32) []float32 {
	c := make([]float32, m*n)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			s := 0.0
			if bias != nil {
				s = float64(bias[j])
			}
			for p := 0; p < k; p++ {
				s += float64(a[i*k+p]) * float64(b[p*n+j])
			}
			c[i*n+j] = float32(s)
		}
	}
	return c
}

func randSlice(r *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(r.NormFloat64())
	}
	return s
}

func TestGemm(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, kern := range []struct {
		name string
		avx  bool
	}{{"go", false}, {"avx2", true}} {
		if kern.avx && !useAVX2 {
			continue
		}
		saved := useAVX2
		useAVX2 = kern.avx
		for _, sz := range []struct{ m, k, n int }{
			{1, 1, 1}, {6, 1, 16}, {7, 3, 17}, {13, 27, 16}, {12, 2304, 256}, {35, 288, 32}, {1, 256, 136}, {5, 9, 25}, {100, 64, 40},
		} {
			a := randSlice(r, sz.m*sz.k)
			b := randSlice(r, sz.k*sz.n)
			bias := randSlice(r, sz.n)
			want := naiveGemm(sz.m, sz.k, sz.n, a, b, bias)
			// Write into a wider C to check the kernel respects ldc.
			ldc := sz.n + 3
			c := make([]float32, sz.m*ldc)
			for i := range c {
				c[i] = -999
			}
			Gemm(sz.m, a, sz.k, Pack(b, sz.k, sz.n, bias), c, ldc)
			for i := 0; i < sz.m; i++ {
				for j := 0; j < ldc; j++ {
					got := c[i*ldc+j]
					if j >= sz.n {
						if got != -999 {
							t.Fatalf("%s %v: wrote past column N at (%d,%d)", kern.name, sz, i, j)
						}
						continue
					}
					w := want[i*sz.n+j]
					if d := math.Abs(float64(got - w)); d > 1e-4*math.Sqrt(float64(sz.k))+1e-5 {
						t.Fatalf("%s %v: C[%d,%d]=%g want %g", kern.name, sz, i, j, got, w)
					}
				}
			}
		}
		useAVX2 = saved
	}
}

func BenchmarkGemm(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, sz := range []struct {
		name    string
		m, k, n int
	}{{"res32_35x35", 1225, 288, 32}, {"res64_17x17", 289, 576, 64}, {"pw_13x13_256_512", 169, 256, 512}, {"res256_3x3", 9, 2304, 256}} {
		a := randSlice(r, sz.m*sz.k)
		p := Pack(randSlice(r, sz.k*sz.n), sz.k, sz.n, nil)
		c := make([]float32, sz.m*sz.n)
		b.Run(sz.name, func(b *testing.B) {
			for b.Loop() {
				Gemm(sz.m, a, sz.k, p, c, sz.n)
			}
			b.ReportMetric(float64(2*sz.m*sz.k*sz.n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}
