package nn

import "math"

// Padding is how a convolution or pooling window treats the borders, as
// TensorFlow defines it.
type Padding int

const (
	// Valid uses only windows that fit inside the input.
	Valid Padding = iota
	// Same pads so the output is ceil(input/stride), the extra row or
	// column going to the bottom/right when the padding is odd.
	Same
	// Pad1 pads one row/column on every side (tf.pad by 1 then Valid).
	Pad1
)

// Geometry gives the output size and the padding before and after along
// one axis for an input of size in, a window of k and a stride of s.
func Geometry(in, k, s int, p Padding) (out, before, after int) {
	switch p {
	case Same:
		out = (in + s - 1) / s
		total := max((out-1)*s+k-in, 0)
		before = total / 2
		return out, before, total - before
	case Pad1:
		return (in+2-k)/s + 1, 1, 1
	default:
		return (in-k)/s + 1, 0, 0
	}
}

// Act is an activation applied to a layer's output.
type Act int

const (
	// Linear leaves the output as it is.
	Linear Act = iota
	// ReLU is max(x, 0).
	ReLU
	// Leaky is max(x, 0.1x), the leaky ReLU of the tiny face detector.
	Leaky
)

// Apply applies the activation to s in place.
func (a Act) Apply(s []float32) {
	switch a {
	case ReLU:
		relu(s)
	case Leaky:
		for i, v := range s {
			if v < 0 {
				s[i] = v * 0.1
			}
		}
	}
}

// ConvLayer is a convolution whose weights are packed for the GEMM.
// Filters come in TensorFlow's [KH][KW][Cin][Cout] order, which is exactly
// the K×N matrix the im2col rows multiply.
type ConvLayer struct {
	KH, KW, Stride int
	Pad            Padding
	Cin, Cout      int
	Act            Act
	W              *Packed
}

// SetScale adds y = y*scale[c] + shift[c] per output channel after the
// bias and before the activation (the recognition net's "scale" layers).
func (l *ConvLayer) SetScale(scale, shift []float32) {
	l.W.SetEpilogue(scale, shift, l.Act)
}

// NewConvLayer packs filters ([kh][kw][cin][cout]) and bias (cout, or nil).
func NewConvLayer(filters []float32, kh, kw, cin, cout, stride int, pad Padding, bias []float32, act Act) *ConvLayer {
	p := Pack(filters, kh*kw*cin, cout, bias)
	p.SetEpilogue(nil, nil, act)
	return &ConvLayer{KH: kh, KW: kw, Stride: stride, Pad: pad, Cin: cin, Cout: cout, Act: act, W: p}
}

// im2colBlock is the target size of one block of im2col rows, in floats;
// blocks keep the patch matrix in cache while the GEMM runs over it.
const im2colBlock = 1 << 15

// Forward runs the layer on x, allocating the output from ar.
func (l *ConvLayer) Forward(ar *Arena, x Tensor) Tensor {
	if x.C != l.Cin {
		panic("nn: ConvLayer: channel mismatch")
	}
	oh, pt, _ := Geometry(x.H, l.KH, l.Stride, l.Pad)
	ow, pl, _ := Geometry(x.W, l.KW, l.Stride, l.Pad)
	out := ar.TensorUninit(oh, ow, l.Cout)
	m := oh * ow
	if l.KH == 1 && l.KW == 1 && l.Stride == 1 && pt == 0 && pl == 0 {
		Gemm(m, x.Data, x.C, l.W, out.Data, l.Cout)
		return out
	}
	k := l.KH * l.KW * l.Cin
	rows := max(mr, im2colBlock/k/mr*mr)
	rows = min(rows, (m+mr-1)/mr*mr)
	patches := ar.Uninit(rows * k)
	for r0 := 0; r0 < m; r0 += rows {
		n := min(rows, m-r0)
		im2col(x, l.KH, l.KW, l.Stride, pt, pl, ow, r0, n, patches)
		dst := out.Data[r0*l.Cout : (r0+n)*l.Cout]
		Gemm(n, patches, k, l.W, dst, l.Cout)
	}
	return out
}

// im2col writes the patches of output pixels r0..r0+n-1 (row-major over an
// output of width ow) as rows of dst, zero where the window leaves the input.
func im2col(x Tensor, kh, kw, stride, pt, pl, ow, r0, n int, dst []float32) {
	c := x.C
	k := kh * kw * c
	seg := kw * c // one kernel row of a patch: contiguous in x
	oy, ox := r0/ow, r0%ow
	for r := 0; r < n; r++ {
		row := dst[r*k : (r+1)*k]
		ix0 := ox*stride - pl
		inside := ix0 >= 0 && ix0+kw <= x.W
		for ky := 0; ky < kh; ky++ {
			iy := oy*stride - pt + ky
			d := row[ky*seg : (ky+1)*seg]
			if iy < 0 || iy >= x.H {
				clear(d)
				continue
			}
			if inside {
				src := x.Data[(iy*x.W+ix0)*c:][:seg]
				switch {
				case seg == 9: // 3×3 over 3 channels: the first layer of every net
					d, src := d[:9], src[:9]
					d[0], d[1], d[2] = src[0], src[1], src[2]
					d[3], d[4], d[5] = src[3], src[4], src[5]
					d[6], d[7], d[8] = src[6], src[7], src[8]
				case seg <= 32: // a call to memmove costs more
					for i := range d {
						d[i] = src[i]
					}
				default:
					copy(d, src)
				}
				continue
			}
			for kx := 0; kx < kw; kx++ {
				ix := ix0 + kx
				dd := d[kx*c : (kx+1)*c]
				if ix < 0 || ix >= x.W {
					clear(dd)
					continue
				}
				copy(dd, x.Data[(iy*x.W+ix)*c:(iy*x.W+ix+1)*c])
			}
		}
		if ox++; ox == ow {
			ox = 0
			oy++
		}
	}
}

// Depthwise is a depthwise convolution (one filter per channel, no bias).
type Depthwise struct {
	KH, KW, Stride int
	Pad            Padding
	C              int
	W              []float32 // [KH][KW][C]
}

// Forward runs the depthwise convolution on x.
func (d *Depthwise) Forward(ar *Arena, x Tensor) Tensor {
	if x.C != d.C {
		panic("nn: Depthwise: channel mismatch")
	}
	oh, _, _ := Geometry(x.H, d.KH, d.Stride, d.Pad)
	ow, _, _ := Geometry(x.W, d.KW, d.Stride, d.Pad)
	out := ar.TensorUninit(oh, ow, d.C)
	d.rows(x, out.Data, 0, oh)
	return out
}

// rows computes the output rows oy0..oy1-1 of the depthwise convolution
// of x into dst (row oy0 first), each value as Forward computes it.
func (d *Depthwise) rows(x Tensor, dst []float32, oy0, oy1 int) {
	_, pt, _ := Geometry(x.H, d.KH, d.Stride, d.Pad)
	ow, pl, _ := Geometry(x.W, d.KW, d.Stride, d.Pad)
	c := d.C
	k3 := d.KH == 3 && d.KW == 3
	// With stride 1 the interior pixels of a row, ox in [oxa, oxb), go
	// to dwRow in one call (each computed as dwPixel would).
	oxa, oxb := pl, min(ow, x.W-3+pl+1)
	for oy := oy0; oy < oy1; oy++ {
		iy0 := oy*d.Stride - pt
		row := dst[(oy-oy0)*ow*c : (oy-oy0+1)*ow*c]
		for ox := 0; ox < ow; ox++ {
			o := row[ox*c : (ox+1)*c]
			ix0 := ox*d.Stride - pl
			if k3 && d.Stride == 1 && ox == oxa && oxb-oxa > 1 && iy0 >= 0 && iy0+3 <= x.H {
				p := (iy0*x.W + ix0) * c
				r0, r1, r2 := x.Data[p:], x.Data[p+x.W*c:], x.Data[p+2*x.W*c:]
				if dwRow(row[ox*c:oxb*c], r0, r1, r2, d.W, c, oxb-oxa) {
					ox = oxb - 1
					continue
				}
			}
			if k3 && iy0 >= 0 && iy0+3 <= x.H && ix0 >= 0 && ix0+3 <= x.W {
				row := func(dy int) []float32 {
					p := ((iy0+dy)*x.W + ix0) * c
					return x.Data[p : p+3*c]
				}
				if dwPixel(o, row(0), row(1), row(2), d.W, c) {
					continue
				}
			}
			clear(o)
			for ky := 0; ky < d.KH; ky++ {
				iy := iy0 + ky
				if iy < 0 || iy >= x.H {
					continue
				}
				for kx := 0; kx < d.KW; kx++ {
					ix := ix0 + kx
					if ix < 0 || ix >= x.W {
						continue
					}
					in := x.Data[(iy*x.W+ix)*c : (iy*x.W+ix+1)*c]
					w := d.W[(ky*d.KW+kx)*c : (ky*d.KW+kx+1)*c]
					mulAdd(o, in, w)
				}
			}
		}
	}
}

// MaxPool takes the maximum over k×k windows with stride s; padded cells
// never win (TensorFlow pads with -Inf).
func MaxPool(ar *Arena, x Tensor, k, s int, p Padding) Tensor {
	oh, _, _ := Geometry(x.H, k, s, p)
	ow, _, _ := Geometry(x.W, k, s, p)
	out := ar.TensorUninit(oh, ow, x.C)
	maxPoolRows(x, out.Data, k, s, p, 0, oh)
	return out
}

// maxPoolRows computes the output rows oy0..oy1-1 of MaxPool(x, k, s, p)
// into dst (row oy0 first), each value as MaxPool computes it.
func maxPoolRows(x Tensor, dst []float32, k, s int, p Padding, oy0, oy1 int) {
	_, pt, _ := Geometry(x.H, k, s, p)
	ow, pl, _ := Geometry(x.W, k, s, p)
	c := x.C
	for oy := oy0; oy < oy1; oy++ {
		row := dst[(oy-oy0)*ow*c : (oy-oy0+1)*ow*c]
		for ox := 0; ox < ow; ox++ {
			o := row[ox*c : (ox+1)*c]
			// 2×2 windows with stride 2 inside the input: the rest of the
			// row's in one call (the same maxima in the same order).
			if k == 2 && s == 2 && ox == 0 && pt == 0 && pl == 0 && 2*oy+1 < x.H && x.W >= 2 {
				n := x.W / 2
				r0 := x.Data[2*oy*x.W*c : (2*oy+1)*x.W*c]
				r1 := x.Data[(2*oy+1)*x.W*c : (2*oy+2)*x.W*c]
				if maxPool2(row[:n*c], r0, r1, c, n) {
					ox = n - 1
					continue
				}
			}
			first := true
			for ky := 0; ky < k; ky++ {
				iy := oy*s - pt + ky
				if iy < 0 || iy >= x.H {
					continue
				}
				for kx := 0; kx < k; kx++ {
					ix := ox*s - pl + kx
					if ix < 0 || ix >= x.W {
						continue
					}
					in := x.Data[(iy*x.W+ix)*c : (iy*x.W+ix+1)*c]
					if first {
						copy(o, in)
						first = false
					} else {
						maxInto(o, in)
					}
				}
			}
			if first { // a window entirely in the padding
				for i := range o {
					o[i] = float32(math.Inf(-1))
				}
			}
		}
	}
}

// AvgPool averages k×k windows with stride s, without padding (Valid).
func AvgPool(ar *Arena, x Tensor, k, s int) Tensor {
	oh, _, _ := Geometry(x.H, k, s, Valid)
	ow, _, _ := Geometry(x.W, k, s, Valid)
	out := ar.Tensor(oh, ow, x.C)
	c := x.C
	div := float32(k * k)
	for oy := 0; oy < oh; oy++ {
		for ox := 0; ox < ow; ox++ {
			o := out.Data[(oy*ow+ox)*c : (oy*ow+ox+1)*c]
			for ky := 0; ky < k; ky++ {
				for kx := 0; kx < k; kx++ {
					iy, ix := oy*s+ky, ox*s+kx
					in := x.Data[(iy*x.W+ix)*c : (iy*x.W+ix+1)*c]
					for i, v := range in {
						o[i] += v
					}
				}
			}
			for i := range o {
				o[i] /= div
			}
		}
	}
	return out
}

// Add computes dst[i] += src[i].
func Add(dst, src []float32) {
	add(dst, src)
}

// SumReLU writes dst[i] = max(a[i] + (b[i] + (c[i] + d[i])), 0) with the
// terms given: c and d may be nil (then dst[i] = max(a[i] + b[i], 0)),
// and d must be nil where c is. The sums are added right to left, each
// rounded to float32, and the maximum is ReLU's: the same values as
// copying the terms, adding them with Add and applying ReLU, in one pass.
// The terms have dst's length at least.
func SumReLU(dst, a, b, c, d []float32) {
	sumReLU(dst, a, b, c, d)
}

// sumReLUGo is SumReLU in Go.
func sumReLUGo(o, a, b, c, d []float32) {
	a, b = a[:len(o)], b[:len(o)]
	switch {
	case d != nil:
		c, d = c[:len(o)], d[:len(o)]
		for i := range o {
			o[i] = max(a[i]+(b[i]+(c[i]+d[i])), 0)
		}
	case c != nil:
		c = c[:len(o)]
		for i := range o {
			o[i] = max(a[i]+(b[i]+c[i]), 0)
		}
	default:
		for i := range o {
			o[i] = max(a[i]+b[i], 0)
		}
	}
}

// Mean averages x over height and width into dst (length C).
func Mean(x Tensor, dst []float32) {
	clear(dst[:x.C])
	for p := 0; p < x.H*x.W; p++ {
		Add(dst[:x.C], x.Data[p*x.C:(p+1)*x.C])
	}
	div := float32(x.H * x.W)
	for i := range dst[:x.C] {
		dst[i] /= div
	}
}
