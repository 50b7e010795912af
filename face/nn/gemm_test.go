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

// signZeros sets each element of s to +0 with chance 1/oneIn and to −0
// with chance 1/oneIn (one draw of r per element), leaving the rest.
func signZeros(r *rand.Rand, s []float32, oneIn int) {
	for i := range s {
		switch r.IntN(oneIn) {
		case 0:
			s[i] = 0
		case 1:
			s[i] = float32(math.Copysign(0, -1))
		}
	}
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
			{1, 1, 1}, {6, 1, 16}, {7, 3, 17}, {13, 27, 16}, {12, 2304, 256}, {35, 288, 32}, {1, 256, 136}, {5, 9, 25}, {100, 64, 40}, {1000, 16, 40}, {4, 8, 40},
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
	}{{"detector_sep1_207x143", 207 * 143, 16, 32}, {"detector_sep3_52x36", 52 * 36, 64, 128}, {"detector_sep5_13x9", 13 * 9, 256, 512}, {"res32_35x35", 1225, 288, 32}, {"res64_17x17", 289, 576, 64}, {"pw_13x13_256_512", 169, 256, 512}, {"res256_3x3", 9, 2304, 256}} {
		a := randSlice(r, sz.m*sz.k)
		p := Pack(randSlice(r, sz.k*sz.n), sz.k, sz.n, nil)
		c := make([]float32, sz.m*sz.n)
		// avx2: six rows per kernel call; avx512: twelve where the CPU
		// has AVX-512 (the same outputs).
		for _, wide := range []bool{false, true} {
			if wide && !useAVX512 {
				continue
			}
			name := sz.name + "/avx2"
			if wide {
				name = sz.name + "/avx512"
			}
			b.Run(name, func(b *testing.B) {
				saved := useAVX512
				defer func() { useAVX512 = saved }()
				useAVX512 = wide
				for b.Loop() {
					Gemm(sz.m, a, sz.k, p, c, sz.n)
				}
				b.ReportMetric(float64(2*sz.m*sz.k*sz.n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}

// TestKernel12MatchesKernel holds the AVX-512 twelve-row kernel to two
// calls of the AVX2 kernel, bit for bit: every epilogue, k from 1 to 300,
// strides wider than the rows, and inputs with zeros of both signs (which
// the activations' max must order as kernelAVX2 does).
func TestKernel12MatchesKernel(t *testing.T) {
	if !useAVX512 {
		t.Skip("no AVX-512 on this CPU: kernel12 declines (TestKernel12Declines)")
	}
	r := rand.New(rand.NewPCG(5, 6))
	scale, shift := randSlice(r, nr), randSlice(r, nr)
	shift[3], shift[4] = 0, float32(math.Copysign(0, -1))
	eps := []struct {
		name string
		ep   epilogue
	}{
		{"linear", epilogue{}},
		{"relu", epilogue{act: int64(ReLU)}},
		{"leaky", epilogue{act: int64(Leaky), alpha: leakyAlpha}},
		{"scaled leaky", epilogue{scale: &scale[0], shift: &shift[0], act: int64(Leaky), alpha: leakyAlpha}},
		{"scaled relu", epilogue{scale: &scale[0], shift: &shift[0], act: int64(ReLU)}},
	}
	for _, k := range []int{1, 2, 3, 16, 17, 288, 300} {
		for _, e := range eps {
			lda, ldc := k+5, nr+7
			a := randSlice(r, 2*mr*lda)
			a[0], a[lda] = 0, float32(math.Copysign(0, -1))
			b := randSlice(r, k*nr)
			bias := randSlice(r, nr)
			bias[0], bias[1] = 0, float32(math.Copysign(0, -1))
			for p := 0; p < k; p++ {
				b[p*nr] = 0 // column 0: the bias's zero, kept by every product with row 0
			}
			want := make([]float32, 2*mr*ldc)
			got := make([]float32, 2*mr*ldc)
			ep := e.ep
			kernel(k, a, lda, b, bias, want, ldc, &ep)
			kernel(k, a[mr*lda:], lda, b, bias, want[mr*ldc:], ldc, &ep)
			if !kernel12(k, a, lda, b, bias, got, ldc, &ep) {
				t.Fatal("kernel12 declined with AVX-512")
			}
			for i := range want {
				if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
					t.Fatalf("k=%d %s: C[%d,%d] = %g (%#x), kernelAVX2 %g (%#x)", k, e.name, i/ldc, i%ldc,
						got[i], math.Float32bits(got[i]), want[i], math.Float32bits(want[i]))
				}
			}
		}
	}
}

// TestKernel12Declines: without the AVX-512 kernel, kernel12 leaves C as
// it was and reports false, so Gemm takes six rows at a time.
func TestKernel12Declines(t *testing.T) {
	saved := useAVX512
	defer func() { useAVX512 = saved }()
	useAVX512 = false
	r := rand.New(rand.NewPCG(7, 8))
	a, b, bias := randSlice(r, 2*mr*4), randSlice(r, 4*nr), randSlice(r, nr)
	c := make([]float32, 2*mr*nr)
	if kernel12(4, a, 4, b, bias, c, nr, &epilogue{}) {
		t.Fatal("kernel12 ran with useAVX512 off")
	}
	for i, v := range c {
		if v != 0 {
			t.Fatalf("C[%d] written: %g", i, v)
		}
	}
}

// TestGemmAVX512MatchesAVX2: Gemm with the twelve-row kernel gives the
// same bits as with the six-row one, over sizes with ragged rows and
// columns and the detector's epilogues.
func TestGemmAVX512MatchesAVX2(t *testing.T) {
	if !useAVX512 {
		t.Skip("no AVX-512 on this CPU")
	}
	r := rand.New(rand.NewPCG(9, 10))
	for _, sz := range []struct{ m, k, n int }{
		{12, 1, 16}, {13, 27, 16}, {24, 64, 32}, {35, 288, 40}, {100, 64, 40}, {1225, 16, 32}, {7, 5, 16}, {1000, 16, 40}, {4, 8, 40},
	} {
		for _, act := range []Act{Linear, ReLU, Leaky} {
			a := randSlice(r, sz.m*sz.k)
			p := Pack(randSlice(r, sz.k*sz.n), sz.k, sz.n, randSlice(r, sz.n))
			p.SetEpilogue(randSlice(r, sz.n), randSlice(r, sz.n), act)
			ldc := sz.n + 3
			want, got := make([]float32, sz.m*ldc), make([]float32, sz.m*ldc)
			defer func() { useAVX512 = true }()
			useAVX512 = false
			Gemm(sz.m, a, sz.k, p, want, ldc)
			useAVX512 = true
			Gemm(sz.m, a, sz.k, p, got, ldc)
			for i := range want {
				if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
					t.Fatalf("%v act %d: C[%d,%d] = %g, six rows at a time %g", sz, act, i/ldc, i%ldc, got[i], want[i])
				}
			}
		}
	}
}

// TestGemmTilesMatchKernel holds Gemm with a panel's whole tiles in one
// call (kernelAVX2N) to one kernelAVX2 call per tile, bit for bit: one
// and many tiles, bands of rows (B of at most 16 KB), ragged last rows
// and panels, a wider C, and every epilogue. On an AVX-512 CPU the test
// turns the twelve-row kernel off, as a CPU without it runs.
func TestGemmTilesMatchKernel(t *testing.T) {
	if !useAVX2 {
		t.Skip("no AVX2 on this CPU: Gemm runs in Go")
	}
	defer func(was bool) { useAVX512 = was }(useAVX512)
	useAVX512 = false
	r := rand.New(rand.NewPCG(21, 22))
	for _, sz := range []struct{ m, k, n int }{
		{6, 1, 16}, {12, 27, 16}, {13, 16, 32}, {1656, 16, 32}, {100, 64, 40}, {35, 288, 40}, {7, 5, 16}, {1000, 16, 40}, {4, 8, 40}, {90, 3, 48},
	} {
		for _, act := range []Act{Linear, ReLU, Leaky} {
			for _, scaled := range []bool{false, true} {
				a := randSlice(r, sz.m*sz.k)
				signZeros(r, a, 4)
				p := Pack(randSlice(r, sz.k*sz.n), sz.k, sz.n, randSlice(r, sz.n))
				if scaled {
					p.SetEpilogue(randSlice(r, sz.n), randSlice(r, sz.n), act)
				} else {
					p.SetEpilogue(nil, nil, act)
				}
				ldc := sz.n + 3
				want, got := make([]float32, sz.m*ldc), make([]float32, sz.m*ldc)
				for i := range want {
					want[i], got[i] = -999, -999
				}
				useKernelN = false
				Gemm(sz.m, a, sz.k, p, want, ldc)
				useKernelN = true
				Gemm(sz.m, a, sz.k, p, got, ldc)
				for i := range want {
					if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
						t.Fatalf("%v %v scaled %v: C[%d] = %g, a call per tile %g", sz, act, scaled, i, got[i], want[i])
					}
				}
			}
		}
	}
}
