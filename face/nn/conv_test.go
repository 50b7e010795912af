package nn

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/kycq/kycq/internal/threadcpu"
)

// The fast paths (AVX2 kernel epilogue, depthwise pixel kernel, vector
// max) must agree with straightforward loops.

func randTensor(r *rand.Rand, h, w, c int) Tensor {
	return Tensor{H: h, W: w, C: c, Data: randSlice(r, h*w*c)}
}

func naiveConv(x Tensor, f []float32, kh, kw, cout, stride int, pad Padding, bias []float32) Tensor {
	oh, pt, _ := Geometry(x.H, kh, stride, pad)
	ow, pl, _ := Geometry(x.W, kw, stride, pad)
	out := Tensor{H: oh, W: ow, C: cout, Data: make([]float32, oh*ow*cout)}
	for oy := 0; oy < oh; oy++ {
		for ox := 0; ox < ow; ox++ {
			for co := 0; co < cout; co++ {
				s := float64(bias[co])
				for ky := 0; ky < kh; ky++ {
					for kx := 0; kx < kw; kx++ {
						iy, ix := oy*stride-pt+ky, ox*stride-pl+kx
						if iy < 0 || ix < 0 || iy >= x.H || ix >= x.W {
							continue
						}
						for ci := 0; ci < x.C; ci++ {
							s += float64(x.At(iy, ix, ci)) * float64(f[((ky*kw+kx)*x.C+ci)*cout+co])
						}
					}
				}
				out.Data[(oy*ow+ox)*cout+co] = float32(s)
			}
		}
	}
	return out
}

func closeTo(t *testing.T, name string, got, want []float32, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", name, len(got), len(want))
	}
	for i := range want {
		if d := math.Abs(float64(got[i] - want[i])); d > tol*(1+math.Abs(float64(want[i]))) {
			t.Fatalf("%s: [%d] = %g, want %g", name, i, got[i], want[i])
		}
	}
}

func eachKernel(t *testing.T, f func(t *testing.T)) {
	for _, avx := range []bool{false, true} {
		if avx && !useAVX2 {
			continue
		}
		saved := useAVX2
		useAVX2 = avx
		name := "go"
		if avx {
			name = "avx2"
		}
		t.Run(name, f)
		useAVX2 = saved
	}
}

func TestConvLayer(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	cases := []struct {
		h, w, cin, cout, k, stride int
		pad                        Padding
		act                        Act
		scale                      bool
	}{
		{9, 11, 3, 16, 3, 1, Valid, Leaky, false},
		{8, 8, 3, 32, 3, 2, Same, ReLU, false},
		{15, 15, 3, 32, 7, 2, Valid, ReLU, true},
		{7, 7, 32, 64, 3, 2, Valid, ReLU, true},
		{5, 6, 16, 25, 1, 1, Valid, Linear, false},
		{6, 5, 24, 40, 3, 1, Same, Linear, true},
	}
	eachKernel(t, func(t *testing.T) {
		for _, c := range cases {
			x := randTensor(r, c.h, c.w, c.cin)
			f := randSlice(r, c.k*c.k*c.cin*c.cout)
			bias := randSlice(r, c.cout)
			l := NewConvLayer(f, c.k, c.k, c.cin, c.cout, c.stride, c.pad, bias, c.act)
			want := naiveConv(x, f, c.k, c.k, c.cout, c.stride, c.pad, bias)
			var scale, shift []float32
			if c.scale {
				scale, shift = randSlice(r, c.cout), randSlice(r, c.cout)
				l.SetScale(scale, shift)
			}
			for i := range want.Data {
				v := want.Data[i]
				if scale != nil {
					v = v*scale[i%c.cout] + shift[i%c.cout]
				}
				switch c.act {
				case ReLU:
					v = max(v, 0)
				case Leaky:
					v = max(v, 0.1*v)
				}
				want.Data[i] = v
			}
			var ar Arena
			got := l.Forward(&ar, x)
			if got.H != want.H || got.W != want.W {
				t.Fatalf("%+v: output %v, want %v", c, got.String(), want.String())
			}
			closeTo(t, "conv", got.Data, want.Data, 1e-4)
		}
	})
}

func TestDepthwiseAndPools(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	eachKernel(t, func(t *testing.T) {
		for _, c := range []struct {
			h, w, ch, stride int
			pad              Padding
		}{{9, 7, 16, 1, Pad1}, {8, 8, 32, 2, Same}, {7, 7, 12, 1, Same}, {13, 13, 8, 1, Pad1}} {
			x := randTensor(r, c.h, c.w, c.ch)
			wts := randSlice(r, 9*c.ch)
			d := &Depthwise{KH: 3, KW: 3, Stride: c.stride, Pad: c.pad, C: c.ch, W: wts}
			// The depthwise convolution is a convolution with a
			// block-diagonal filter.
			full := make([]float32, 9*c.ch*c.ch)
			for tap := 0; tap < 9; tap++ {
				for ch := 0; ch < c.ch; ch++ {
					full[(tap*c.ch+ch)*c.ch+ch] = wts[tap*c.ch+ch]
				}
			}
			var ar Arena
			got := d.Forward(&ar, x)
			want := naiveConv(x, full, 3, 3, c.ch, c.stride, c.pad, make([]float32, c.ch))
			closeTo(t, "depthwise", got.Data, want.Data, 1e-5)

			for _, p := range []struct {
				k, s int
				pad  Padding
			}{{2, 2, Same}, {2, 1, Same}, {3, 2, Valid}} {
				mp := MaxPool(&ar, x, p.k, p.s, p.pad)
				oh, pt, _ := Geometry(x.H, p.k, p.s, p.pad)
				ow, pl, _ := Geometry(x.W, p.k, p.s, p.pad)
				for oy := 0; oy < oh; oy++ {
					for ox := 0; ox < ow; ox++ {
						for ch := 0; ch < x.C; ch++ {
							m := float32(math.Inf(-1))
							for ky := 0; ky < p.k; ky++ {
								for kx := 0; kx < p.k; kx++ {
									iy, ix := oy*p.s-pt+ky, ox*p.s-pl+kx
									if iy >= 0 && ix >= 0 && iy < x.H && ix < x.W {
										m = max(m, x.At(iy, ix, ch))
									}
								}
							}
							if got := mp.At(oy, ox, ch); got != m {
								t.Fatalf("maxpool %+v at (%d,%d,%d) = %g, want %g", p, oy, ox, ch, got, m)
							}
						}
					}
				}
			}
			ap := AvgPool(&ar, x, 2, 2)
			if want := (x.At(0, 0, 1) + x.At(0, 1, 1) + x.At(1, 0, 1) + x.At(1, 1, 1)) / 4; math.Abs(float64(ap.At(0, 0, 1)-want)) > 1e-6 {
				t.Fatalf("avgpool = %g, want %g", ap.At(0, 0, 1), want)
			}
		}
	})
}

func TestGeometry(t *testing.T) {
	for _, c := range []struct {
		in, k, s        int
		p               Padding
		out, bef, after int
	}{
		{416, 3, 1, Valid, 414, 0, 0},
		{207, 2, 2, Same, 104, 0, 1},
		{13, 2, 1, Same, 13, 0, 1},
		{112, 3, 2, Same, 56, 0, 1},
		{150, 7, 2, Valid, 72, 0, 0},
		{35, 3, 2, Valid, 17, 0, 0},
		{104, 3, 1, Pad1, 104, 1, 1},
	} {
		o, b, a := Geometry(c.in, c.k, c.s, c.p)
		if o != c.out || b != c.bef || a != c.after {
			t.Errorf("Geometry(%d,%d,%d,%v) = %d,%d,%d want %d,%d,%d", c.in, c.k, c.s, c.p, o, b, a, c.out, c.bef, c.after)
		}
	}
}

func TestArena(t *testing.T) {
	var ar Arena
	a := ar.Alloc(10)
	a[0] = 1
	b := ar.Uninit(arenaChunk) // forces a second chunk
	if len(b) != arenaChunk || len(ar.chunks) != 2 {
		t.Fatalf("chunks %d", len(ar.chunks))
	}
	ar.Reset()
	if c := ar.Alloc(10); c[0] != 0 || &c[0] != &a[0] {
		t.Fatal("Reset did not reuse the first chunk, or Alloc did not zero")
	}
}

func TestActivations(t *testing.T) {
	eachKernel(t, func(t *testing.T) {
		s := []float32{-1, 2, -3, 4, -5, 6, -7, 8, -9, 10, 0, -0.5}
		ReLU.Apply(s)
		want := []float32{0, 2, 0, 4, 0, 6, 0, 8, 0, 10, 0, 0}
		closeTo(t, "relu", s, want, 0)
		l := []float32{-10, 10}
		Leaky.Apply(l)
		closeTo(t, "leaky", l, []float32{-1, 10}, 1e-7)
	})
}

// ForwardMaxPool2 gives what the convolution and the pool give apart, on
// even and odd sizes, with and without an epilogue's scale, and falls
// back where its fast path does not apply.
func TestForwardMaxPool2(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	eachKernel(t, func(t *testing.T) {
		for _, c := range []struct {
			h, w, cin, cout, stride int
			pad                     Padding
			scale                   bool
		}{
			{12, 14, 3, 16, 1, Valid, false}, // even conv output
			{11, 13, 3, 16, 1, Valid, false}, // odd: the last row and column pooled alone
			{9, 20, 3, 24, 1, Valid, true},   // a ragged panel, scaled
			{3, 3, 3, 16, 1, Valid, false},   // one output pixel
			{10, 10, 3, 16, 1, Same, false},  // fallback: padding
			{10, 10, 4, 16, 1, Valid, false}, // fallback: channels
			{10, 10, 3, 16, 2, Valid, false}, // fallback: stride
		} {
			x := randTensor(r, c.h, c.w, c.cin)
			f := randSlice(r, 9*c.cin*c.cout)
			bias := randSlice(r, c.cout)
			l := NewConvLayer(f, 3, 3, c.cin, c.cout, c.stride, c.pad, bias, Leaky)
			if c.scale {
				l.SetScale(randSlice(r, c.cout), randSlice(r, c.cout))
			}
			var ar Arena
			want := MaxPool(&ar, l.Forward(&ar, x), 2, 2, Same)
			got := l.ForwardMaxPool2(&ar, x)
			if got.H != want.H || got.W != want.W || got.C != want.C {
				t.Fatalf("%+v: %v, want %v", c, got.String(), want.String())
			}
			closeTo(t, "conv+maxpool", got.Data, want.Data, 1e-5)
		}
	})
}

// Add gives exactly the scalar sums, whatever the length.
func TestAdd(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	eachKernel(t, func(t *testing.T) {
		for _, n := range []int{0, 1, 7, 8, 9, 64, 203} {
			a, b := randSlice(r, n), randSlice(r, n+3)
			want := make([]float32, n)
			for i := range want {
				want[i] = a[i] + b[i]
			}
			Add(a, b)
			for i := range want {
				if a[i] != want[i] {
					t.Fatalf("n %d: [%d] = %g, want %g", n, i, a[i], want[i])
				}
			}
		}
	})
}

// TestSumReLU checks SumReLU on values whose answer is known: the ReLU
// of the terms' sum.
func TestSumReLU(t *testing.T) {
	eachKernel(t, func(t *testing.T) {
		for _, c := range []struct {
			name       string
			a, b, c, d []float32
			want       []float32
		}{
			{"two", []float32{1, -2, 0.5, 3}, []float32{2, 1, -0.5, -4}, nil, nil, []float32{3, 0, 0, 0}},
			{"three", []float32{1, -2, 0.5}, []float32{2, 1, -1}, []float32{0.25, 4, 0.5}, nil, []float32{3.25, 3, 0}},
			{"four", []float32{1, 1, 1, 1, 1, 1, 1, 1, -9}, []float32{1, 2, 3, 4, 5, 6, 7, 8, 1}, []float32{1, 1, 1, 1, 1, 1, 1, 1, 1}, []float32{-1, -2, -3, -4, -5, -6, -7, -8, 1}, []float32{2, 2, 2, 2, 2, 2, 2, 2, 0}},
		} {
			got := make([]float32, len(c.want))
			SumReLU(got, c.a, c.b, c.c, c.d)
			for i := range got {
				if got[i] != c.want[i] {
					t.Errorf("%s: [%d] = %g, want %g", c.name, i, got[i], c.want[i])
				}
			}
		}
	})
}

// TestSumReLUMatchesAddThenReLU checks that SumReLU gives the bits of
// what the landmark net's dense blocks computed before it: each partial
// sum copied and added with Add, right to left, then ReLU applied in
// place, for 2, 3 and 4 terms, with zeros of both signs and sums that
// cancel (whose zero's sign the maximum decides).
func TestSumReLUMatchesAddThenReLU(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	eachKernel(t, func(t *testing.T) {
		for _, n := range []int{0, 1, 7, 8, 9, 16, 64, 203} {
			for terms := 2; terms <= 4; terms++ {
				ts := make([][]float32, 4)
				for k := 0; k < terms; k++ {
					ts[k] = randSlice(r, n+k)
					signZeros(r, ts[k], 6)
				}
				if terms == 2 && n > 4 {
					for i := 0; i < n; i += 3 {
						ts[1][i] = -ts[0][i]
					}
				}
				// The reference: the right-hand sum first, then a + it.
				rest := append([]float32(nil), ts[terms-1][:n]...)
				for k := terms - 2; k >= 1; k-- {
					s := append([]float32(nil), ts[k][:n]...)
					Add(s, rest)
					rest = s
				}
				want := append([]float32(nil), ts[0][:n]...)
				Add(want, rest)
				ReLU.Apply(want)
				got := make([]float32, n)
				SumReLU(got, ts[0], ts[1], ts[2], ts[3])
				for i := range want {
					if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
						t.Fatalf("n %d, %d terms: [%d] = %g, want %g", n, terms, i, got[i], want[i])
					}
				}
			}
		}
	})
}

// TestDepthwiseRowMatchesPixel checks that the rows of interior pixels
// (dwRow, one call per row) give the very bits of one dwPixel call per
// pixel, and that the edge pixels are left to the portable loop.
func TestDepthwiseRowMatchesPixel(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	if !useAVX2 {
		// Without AVX2 there is no fast path: both decline.
		o, in := make([]float32, 8), randSlice(r, 9*8)
		if dwRow(o, in, in, in, in, 8, 1) || dwPixel(o, in, in, in, in, 8) {
			t.Fatal("a fast path without AVX2")
		}
		return
	}
	for _, c := range []struct{ h, w, ch int }{{5, 3, 8}, {9, 7, 16}, {6, 20, 32}, {4, 4, 64}} {
		x := randTensor(r, c.h, c.w, c.ch)
		wts := randSlice(r, 9*c.ch)
		d := &Depthwise{KH: 3, KW: 3, Stride: 1, Pad: Pad1, C: c.ch, W: wts}
		var ar Arena
		got := d.Forward(&ar, x)
		want := make([]float32, c.ch)
		for oy := 1; oy < c.h-1; oy++ {
			for ox := 1; ox < c.w-1; ox++ {
				row := func(dy int) []float32 {
					p := ((oy-1+dy)*c.w + ox - 1) * c.ch
					return x.Data[p : p+3*c.ch]
				}
				if !dwPixel(want, row(0), row(1), row(2), wts, c.ch) {
					t.Fatal("dwPixel declined")
				}
				for ch, v := range want {
					if g := got.At(oy, ox, ch); math.Float32bits(g) != math.Float32bits(v) {
						t.Fatalf("%+v at (%d,%d,%d): %g, dwPixel %g", c, oy, ox, ch, g, v)
					}
				}
			}
		}
	}
}

// TestMulAdd checks that mulAdd gives the bits of the scalar loop (each
// product rounded, then added), whatever the length.
func TestMulAdd(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	eachKernel(t, func(t *testing.T) {
		for _, n := range []int{1, 7, 8, 16, 29} {
			o, a, b := randSlice(r, n), randSlice(r, n), randSlice(r, n)
			want := make([]float32, n)
			for i := range want {
				p := a[i] * b[i]
				want[i] = o[i] + p
			}
			mulAdd(o, a, b)
			for i := range o {
				if math.Float32bits(o[i]) != math.Float32bits(want[i]) {
					t.Fatalf("n %d, [%d]: %g, want %g", n, i, o[i], want[i])
				}
			}
		}
	})
}

// TestMaxPool2MatchesMaxInto checks that MaxPool's 2×2, stride-2 rows
// (maxPool2, one call per row) give the bits of copying each window's
// first pixel and taking maxInto of the other three in window order,
// zeros of either sign included (whose maximum depends on that order).
func TestMaxPool2MatchesMaxInto(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for _, c := range []struct{ h, w, ch int }{{4, 6, 8}, {5, 7, 16}, {6, 9, 32}} {
		x := randTensor(r, c.h, c.w, c.ch)
		signZeros(r, x.Data, 4)
		var ar Arena
		got := MaxPool(&ar, x, 2, 2, Same)
		want := make([]float32, c.ch)
		for oy := 0; oy < got.H; oy++ {
			for ox := 0; ox < got.W; ox++ {
				first := true
				for ky := 0; ky < 2; ky++ {
					for kx := 0; kx < 2; kx++ {
						iy, ix := 2*oy+ky, 2*ox+kx
						if iy >= c.h || ix >= c.w {
							continue
						}
						in := x.Data[(iy*c.w+ix)*c.ch : (iy*c.w+ix+1)*c.ch]
						if first {
							copy(want, in)
							first = false
						} else {
							maxInto(want, in)
						}
					}
				}
				for ch, v := range want {
					if g := got.At(oy, ox, ch); math.Float32bits(g) != math.Float32bits(v) {
						t.Fatalf("%+v at (%d,%d,%d): %g, want %g", c, oy, ox, ch, g, v)
					}
				}
			}
		}
	}
}

// TestMaxPairsMatchesMaxInto checks maxPairs (ForwardMaxPool2's
// horizontal pooling, one call per row) against copying pixel 2x and
// taking maxInto of pixel 2x+1, bit for bit, zeros of either sign
// included.
func TestMaxPairsMatchesMaxInto(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	for _, c := range []int{8, 16, 32} {
		const n = 5
		in := randSlice(r, 2*n*c)
		signZeros(r, in, 4)
		got := make([]float32, n*c)
		if !maxPairs(got, in, c, n) {
			if useAVX2 {
				t.Fatal("maxPairs declined with AVX2")
			}
			continue // no fast path: ForwardMaxPool2 pools pixel by pixel
		}
		want := make([]float32, c)
		for x := 0; x < n; x++ {
			copy(want, in[2*x*c:])
			maxInto(want, in[(2*x+1)*c:(2*x+2)*c])
			for ch, v := range want {
				if g := got[x*c+ch]; math.Float32bits(g) != math.Float32bits(v) {
					t.Fatalf("c %d at (%d,%d): %g, want %g", c, x, ch, g, v)
				}
			}
		}
	}
}

// TestDepthwiseRowAVX512MatchesAVX2 holds the sixteen-channel depthwise
// row to the eight-channel one, bit for bit, and dwRow to taking it only
// for a multiple of 16 channels.
func TestDepthwiseRowAVX512MatchesAVX2(t *testing.T) {
	if !useAVX512 {
		t.Skip("no AVX-512 on this CPU: dwRow keeps the AVX2 row")
	}
	r := rand.New(rand.NewPCG(11, 12))
	for _, c := range []int{16, 32, 48, 64, 512} {
		for _, n := range []int{1, 5, 17} {
			r0, r1, r2 := randSlice(r, (n+2)*c), randSlice(r, (n+2)*c), randSlice(r, (n+2)*c)
			w := randSlice(r, 9*c)
			want, got := make([]float32, n*c), make([]float32, n*c)
			dwRowAVX2(&want[0], &r0[0], &r1[0], &r2[0], &w[0], c, n)
			dwRowAVX512(&got[0], &r0[0], &r1[0], &r2[0], &w[0], c, n)
			for i := range want {
				if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
					t.Fatalf("c=%d n=%d: output %d = %g, dwRowAVX2 %g", c, n, i, got[i], want[i])
				}
			}
			clear(got)
			if !dwRow(got, r0, r1, r2, w, c, n) {
				t.Fatalf("c=%d: dwRow declined", c)
			}
			for i := range want {
				if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
					t.Fatalf("c=%d n=%d: dwRow output %d = %g, dwRowAVX2 %g", c, n, i, got[i], want[i])
				}
			}
		}
	}
	// 8 channels: the AVX2 row (16 would read past them).
	r0, w := randSlice(r, 3*8), randSlice(r, 9*8)
	o := make([]float32, 8)
	if !dwRow(o, r0, r0, r0, w, 8, 1) {
		t.Fatal("dwRow declined 8 channels")
	}
}

// TestConvPool12MatchesStack holds ForwardMaxPool2's columns convolved
// and pooled in registers (convPool12, AVX-512 and AVX2) to its stack
// path, bit for bit: widths leaving no column, six and seven columns to
// the stack, an odd row to pool alone, and inputs, weights and biases with
// zeros of both signs (the pools' operand order decides between them).
// Without AVX2 the kernel must decline.
func TestConvPool12MatchesStack(t *testing.T) {
	for _, wide := range []bool{false, true} {
		if !useAVX2 || (wide && !useAVX512) {
			continue
		}
		name := "avx2"
		if wide {
			name = "avx512"
		}
		t.Run(name, func(t *testing.T) {
			saved := useAVX512
			defer func() { useAVX512 = saved }()
			useAVX512 = wide
			testConvPool12MatchesStack(t)
		})
	}
	o := make([]float32, 6*16)
	in, w, b := make([]float32, 42), make([]float32, 27*16), make([]float32, 16)
	ep := epilogue{act: int64(Leaky), alpha: leakyAlpha}
	if got := convPool12(in, in, in, in, w, b, o, &ep); got != useAVX2 {
		t.Fatalf("convPool12 took the block: %v, AVX2 on: %v", got, useAVX2)
	}
	useConvPool = false
	defer func() { useConvPool = true }()
	if convPool12(in, in, in, in, w, b, o, &ep) {
		t.Fatal("convPool12 took the block with useConvPool off")
	}
}

// stackForwardMaxPool2 is l.ForwardMaxPool2 with every column through
// the interleaved stack.
func stackForwardMaxPool2(ar *Arena, l *ConvLayer, x Tensor) Tensor {
	useConvPool = false
	defer func() { useConvPool = true }()
	return l.ForwardMaxPool2(ar, x)
}

func testConvPool12MatchesStack(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	for _, c := range []struct{ h, w int }{
		{4, 14},    // one twelve-column block, nothing left
		{6, 26},    // two blocks
		{5, 20},    // a block, six columns left, the last row alone
		{9, 21},    // a block and seven columns left (the last pooled alone)
		{3, 40},    // one row: the stack only
		{288, 416}, // the detector's trimmed input
	} {
		x := randTensor(r, c.h, c.w, 3)
		f := randSlice(r, 27*16)
		bias := randSlice(r, 16)
		signZeros(r, x.Data, 6)
		signZeros(r, f, 6)
		signZeros(r, bias, 6)
		l := NewConvLayer(f, 3, 3, 3, 16, 1, Valid, bias, Leaky)
		var ar Arena
		want := stackForwardMaxPool2(&ar, l, x)
		got := l.ForwardMaxPool2(&ar, x)
		if got.H != want.H || got.W != want.W || got.C != want.C {
			t.Fatalf("%dx%d: %v, want %v", c.h, c.w, got.String(), want.String())
		}
		for i := range want.Data {
			if math.Float32bits(got.Data[i]) != math.Float32bits(want.Data[i]) {
				t.Fatalf("%dx%d: output %d = %g, the stack's %g", c.h, c.w, i, got.Data[i], want.Data[i])
			}
		}
	}
	// Zeros only, so that every convolved value is a zero whose sign the
	// products' signs decide: rows of -0 above a row of +0 (the vertical
	// max between -0 and +0), and a column of +0 among columns of -0
	// (the horizontal one).
	negZero := float32(math.Copysign(0, -1))
	ones, negBias := make([]float32, 27*16), make([]float32, 16)
	for i := range ones {
		ones[i] = 1
	}
	for i := range negBias {
		negBias[i] = negZero
	}
	l := NewConvLayer(ones, 3, 3, 3, 16, 1, Valid, negBias, Leaky)
	for _, pos := range []func(y, x int) bool{
		func(y, x int) bool { return y == 3 },
		func(y, x int) bool { return x == 3 },
	} {
		x := Tensor{H: 4, W: 14, C: 3, Data: make([]float32, 4*14*3)}
		for i := range x.Data {
			if !pos(i/(14*3), i/3%14) {
				x.Data[i] = negZero
			}
		}
		var ar Arena
		want := stackForwardMaxPool2(&ar, l, x)
		got := l.ForwardMaxPool2(&ar, x)
		for i := range want.Data {
			if math.Float32bits(got.Data[i]) != math.Float32bits(want.Data[i]) {
				t.Fatalf("signed zeros: output %d = %g, the stack's %g", i, got.Data[i], want.Data[i])
			}
		}
	}

}

// TestSeparableMaxPool2MatchesLayers holds the banded block to the
// depthwise layer, the pointwise layer and the pool run one after the
// other, bit for bit: bands that end inside the rows, an odd last row and
// column pooled alone, and channels for the AVX-512, AVX2 and portable
// paths.
func TestSeparableMaxPool2MatchesLayers(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	eachKernel(t, func(t *testing.T) {
		for _, c := range []struct{ h, w, cin, cout int }{
			{2, 2, 16, 32},
			{7, 9, 16, 32},
			{17, 13, 32, 64},
			{19, 25, 16, 32},
			{8, 8, 8, 24},
			{9, 11, 3, 5},
			{143, 207, 16, 32}, // the detector's first block
		} {
			x := randTensor(r, c.h, c.w, c.cin)
			dw := &Depthwise{KH: 3, KW: 3, Stride: 1, Pad: Pad1, C: c.cin, W: randSlice(r, 9*c.cin)}
			pw := NewConvLayer(randSlice(r, c.cin*c.cout), 1, 1, c.cin, c.cout, 1, Valid, randSlice(r, c.cout), Leaky)
			var ar Arena
			want := MaxPool(&ar, pw.Forward(&ar, dw.Forward(&ar, x)), 2, 2, Same)
			got := SeparableMaxPool2(&ar, x, dw, pw)
			if got.H != want.H || got.W != want.W || got.C != want.C {
				t.Fatalf("%+v: %v, want %v", c, got.String(), want.String())
			}
			for i := range want.Data {
				if math.Float32bits(got.Data[i]) != math.Float32bits(want.Data[i]) {
					t.Fatalf("%+v: output %d = %g, the layers' %g", c, i, got.Data[i], want.Data[i])
				}
			}
		}
	})
}

// BenchmarkDetectorFirstLayers times the tiny face detector's first layer
// with its pool and its first separable block with its pool on the
// 416×288 input imagecheck gives it: the interleaved stack against the
// columns in registers (conv0: AVX2, and AVX-512 where the CPU has it), and the three layers
// one after the other against the banded block (sep1). cpu-ms/op is the
// CPU time of the benchmark's thread (one core's work, whatever else
// runs).
func BenchmarkDetectorFirstLayers(b *testing.B) {
	loop := func(b *testing.B, f func()) {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		t0 := threadcpu.Now()
		for b.Loop() {
			f()
		}
		if threadcpu.Supported {
			b.ReportMetric(float64(threadcpu.Now()-t0)/1e6/float64(b.N), "cpu-ms/op")
		}
	}
	r := rand.New(rand.NewPCG(17, 18))
	x := randTensor(r, 288, 416, 3)
	conv0 := NewConvLayer(randSlice(r, 27*16), 3, 3, 3, 16, 1, Valid, randSlice(r, 16), Leaky)
	for _, k := range []struct {
		name       string
		cols, wide bool
	}{{"conv0/stack", false, false}, {"conv0/avx2", true, false}, {"conv0/avx512", true, true}} {
		if (k.cols && !useAVX2) || (k.wide && !useAVX512) {
			continue
		}
		b.Run(k.name, func(b *testing.B) {
			saved := useAVX512
			defer func() { useAVX512, useConvPool = saved, true }()
			useAVX512, useConvPool = k.wide, k.cols
			var ar Arena
			loop(b, func() {
				ar.Reset()
				conv0.ForwardMaxPool2(&ar, x)
			})
		})
	}
	in := randTensor(r, 143, 207, 16)
	dw := &Depthwise{KH: 3, KW: 3, Stride: 1, Pad: Pad1, C: 16, W: randSlice(r, 9*16)}
	pw := NewConvLayer(randSlice(r, 16*32), 1, 1, 16, 32, 1, Valid, randSlice(r, 32), Leaky)
	b.Run("sep1/layers", func(b *testing.B) {
		var ar Arena
		loop(b, func() {
			ar.Reset()
			MaxPool(&ar, pw.Forward(&ar, dw.Forward(&ar, in)), 2, 2, Same)
		})
	})
	b.Run("sep1/banded", func(b *testing.B) {
		var ar Arena
		loop(b, func() {
			ar.Reset()
			SeparableMaxPool2(&ar, in, dw, pw)
		})
	})
}
