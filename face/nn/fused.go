package nn

// A network's first layer, a 3×3 convolution of the 3-channel input
// followed by a 2×2 max pool (the tiny face detector's conv0), costs as
// much as the rest of the detector when done as a layer of its own: its
// im2col copies every input pixel nine times, and the full-resolution
// output (16 channels, 7.6 MB for a 416×288 input) is written out only to
// be read again by the pool. ForwardMaxPool2 does both per pair of output
// rows instead. The three input rows under an output row are interleaved
// once (stack: pixel x holds rows y, y+1 and y+2 of column x, 9 values),
// so that the 27 inputs of output pixel x are the 27 consecutive values
// from stack[9x] and the GEMM reads them in place (rows 9 apart, with the
// weights' rows reordered to match), and the two convolved rows are
// pooled while in cache.

// ForwardMaxPool2 is MaxPool(ar, l.Forward(ar, x), 2, 2, Same): the same
// values up to the order in which each output's 27 products are summed.
func (l *ConvLayer) ForwardMaxPool2(ar *Arena, x Tensor) Tensor {
	if l.KH != 3 || l.KW != 3 || l.Stride != 1 || l.Pad != Valid || l.Cin != 3 || x.C != 3 || x.H < 3 || x.W < 3 {
		return MaxPool(ar, l.Forward(ar, x), 2, 2, Same)
	}
	const k = 27
	c := l.Cout
	oh, ow := x.H-2, x.W-2
	ph, pw := (oh+1)/2, (ow+1)/2 // Same pooling: the odd last row or column pooled alone
	out := ar.TensorUninit(ph, pw, c)

	// The weights with their rows in (kx, ky, channel) order instead of
	// (ky, kx, channel), as stack lays the inputs out.
	w := *l.W
	w.Data = ar.Uninit(len(l.W.Data))
	for q := 0; q < len(w.Data)/(k*nr); q++ {
		src, dst := l.W.Data[q*k*nr:(q+1)*k*nr], w.Data[q*k*nr:(q+1)*k*nr]
		for ky := 0; ky < 3; ky++ {
			for kx := 0; kx < 3; kx++ {
				for ch := 0; ch < 3; ch++ {
					copy(dst[((kx*3+ky)*3+ch)*nr:][:nr], src[((ky*3+kx)*3+ch)*nr:][:nr])
				}
			}
		}
	}

	// Where the AVX-512 or AVX2 kernels run, twelve columns of a pair of
	// rows at a time are convolved straight from the input rows and pooled
	// in registers (convPool12: the same bits as below); the stack takes
	// the columns left over, and everything elsewhere.
	fast := c == nr && l.W.Scale == nil && l.W.Act == Leaky
	ep := epilogue{act: int64(l.W.Act), alpha: leakyAlpha}
	stack := ar.Uninit(x.W * 9)
	rows := ar.Uninit(2 * ow * c)
	rowLen := x.W * 3
	for py := 0; py < ph; py++ {
		n := min(2, oh-2*py)
		o := out.Data[py*pw*c : (py+1)*pw*c]
		x0 := 0 // the first column left to the stack
		if n == 2 && fast {
			in := func(dy int) []float32 { return x.Data[(2*py+dy)*rowLen : (2*py+dy+1)*rowLen] }
			r0, r1, r2, r3 := in(0), in(1), in(2), in(3)
			for ; x0+12 <= ow; x0 += 12 {
				if !convPool12(r0[3*x0:], r1[3*x0:], r2[3*x0:], r3[3*x0:], w.Data, l.W.Bias, o[x0/2*c:], &ep) {
					break
				}
			}
		}
		m := ow - x0 // columns left
		if m == 0 {
			continue
		}
		for r := 0; r < n; r++ {
			oy := 2*py + r
			// One pass over the pixels, nine values each (as arrays: one
			// bounds check per row's three values).
			src0 := x.Data[oy*rowLen : (oy+1)*rowLen]
			src1 := x.Data[(oy+1)*rowLen : (oy+2)*rowLen]
			src2 := x.Data[(oy+2)*rowLen : (oy+3)*rowLen]
			for ix := x0; ix < x.W; ix++ {
				d := (*[9]float32)(stack[(ix-x0)*9:])
				s0, s1, s2 := (*[3]float32)(src0[ix*3:]), (*[3]float32)(src1[ix*3:]), (*[3]float32)(src2[ix*3:])
				d[0], d[1], d[2] = s0[0], s0[1], s0[2]
				d[3], d[4], d[5] = s1[0], s1[1], s1[2]
				d[6], d[7], d[8] = s2[0], s2[1], s2[2]
			}
			Gemm(m, stack, 9, &w, rows[r*ow*c:r*ow*c+m*c], c)
		}
		if n == 2 {
			maxInto(rows[:m*c], rows[ow*c:ow*c+m*c])
		}
		o = o[x0/2*c:]
		pm := (m + 1) / 2 // Same pooling: the odd last column pooled alone
		px := 0
		if maxPairs(o, rows[:m*c], c, m/2) { // the whole pairs in one call
			px = m / 2
		}
		for ; px < pm; px++ {
			dst := o[px*c : (px+1)*c]
			copy(dst, rows[2*px*c:])
			if 2*px+1 < m {
				maxInto(dst, rows[(2*px+1)*c:(2*px+2)*c])
			}
		}
	}
	return out
}

// A depthwise-separable block followed by a 2×2 max pool (the tiny face
// detector's first four blocks) writes two full planes only to read them
// again: on the detector's 416×288 input the first block's depthwise
// output is 1.9 MB and its pointwise output 3.8 MB, more than a core's
// level-2 cache. SeparableMaxPool2 computes a band of sepBand pooled rows
// at a time instead: the depthwise rows under it, the pointwise GEMM over
// them and the pool, while they are cached.

// sepBand is how many pooled rows SeparableMaxPool2 computes per band
// (twice as many convolved rows: about 100 KB of depthwise and 200 KB of
// pointwise output for the detector's first block).
const sepBand = 4

// SeparableMaxPool2 is MaxPool(ar, pw.Forward(ar, dw.Forward(ar, x)), 2,
// 2, Same) for a pointwise pw (a 1×1 convolution with stride 1): the same
// values bit for bit, each computed by the same code on the same inputs.
func SeparableMaxPool2(ar *Arena, x Tensor, dw *Depthwise, pw *ConvLayer) Tensor {
	if x.C != dw.C || pw.Cin != dw.C || pw.KH != 1 || pw.KW != 1 || pw.Stride != 1 || pw.Pad != Valid {
		return MaxPool(ar, pw.Forward(ar, dw.Forward(ar, x)), 2, 2, Same)
	}
	oh, _, _ := Geometry(x.H, dw.KH, dw.Stride, dw.Pad)
	ow, _, _ := Geometry(x.W, dw.KW, dw.Stride, dw.Pad)
	ph, _, _ := Geometry(oh, 2, 2, Same)
	pwid, _, _ := Geometry(ow, 2, 2, Same)
	c := pw.Cout
	out := ar.TensorUninit(ph, pwid, c)
	dwBuf := ar.Uninit(2 * sepBand * ow * dw.C)
	pwBuf := ar.Uninit(2 * sepBand * ow * c)
	for p0 := 0; p0 < ph; p0 += sepBand {
		p1 := min(ph, p0+sepBand)
		y0, y1 := 2*p0, min(oh, 2*p1) // the convolved rows under pooled rows p0..p1-1
		n := y1 - y0
		dw.rows(x, dwBuf, y0, y1)
		Gemm(n*ow, dwBuf, dw.C, pw.W, pwBuf, c) // as pw.Forward does
		conv := Tensor{H: n, W: ow, C: c, Data: pwBuf[:n*ow*c]}
		maxPoolRows(conv, out.Data[p0*pwid*c:p1*pwid*c], 2, 2, Same, 0, p1-p0)
	}
	return out
}
