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

	stack := ar.Uninit(x.W * 9)
	rows := ar.Uninit(2 * ow * c)
	rowLen := x.W * 3
	for py := 0; py < ph; py++ {
		n := min(2, oh-2*py)
		for r := 0; r < n; r++ {
			oy := 2*py + r
			// One pass over the pixels, nine values each (as arrays: one
			// bounds check per row's three values).
			src0 := x.Data[oy*rowLen : (oy+1)*rowLen]
			src1 := x.Data[(oy+1)*rowLen : (oy+2)*rowLen]
			src2 := x.Data[(oy+2)*rowLen : (oy+3)*rowLen]
			for ix := 0; ix < x.W; ix++ {
				d := (*[9]float32)(stack[ix*9:])
				s0, s1, s2 := (*[3]float32)(src0[ix*3:]), (*[3]float32)(src1[ix*3:]), (*[3]float32)(src2[ix*3:])
				d[0], d[1], d[2] = s0[0], s0[1], s0[2]
				d[3], d[4], d[5] = s1[0], s1[1], s1[2]
				d[6], d[7], d[8] = s2[0], s2[1], s2[2]
			}
			Gemm(ow, stack, 9, &w, rows[r*ow*c:(r+1)*ow*c], c)
		}
		if n == 2 {
			maxInto(rows[:ow*c], rows[ow*c:2*ow*c])
		}
		o := out.Data[py*pw*c : (py+1)*pw*c]
		px := 0
		if maxPairs(o, rows[:ow*c], c, ow/2) { // the whole pairs in one call
			px = ow / 2
		}
		for ; px < pw; px++ {
			dst := o[px*c : (px+1)*c]
			copy(dst, rows[2*px*c:])
			if 2*px+1 < ow {
				maxInto(dst, rows[(2*px+1)*c:(2*px+2)*c])
			}
		}
	}
	return out
}
