package face

import (
	"image"
	"math"
	"slices"

	"github.com/kycq/kycq/face/nn"
)

// canvas describes the square (or rectangular) tensor face-api builds
// before resizing a network input: a W×H black canvas holding the crop
// [X0, X0+CW) × [Y0, Y0+CH) of the image with its top-left corner at
// (OffX, OffY).
type canvas struct {
	W, H       int
	X0, Y0     int
	CW, CH     int
	OffX, OffY int
}

// letterboxCanvas is the detector's input canvas: the whole image padded
// with black on the right or bottom to a square.
func letterboxCanvas(img *rgbImage) canvas {
	s := max(img.W, img.H)
	return canvas{W: s, H: s, CW: img.W, CH: img.H}
}

// centeredCanvas is the landmark net's input canvas: the crop padded to a
// square on both sides of its short axis, the larger half (rounded) after
// it, as face-api's padToSquare does.
func centeredCanvas(x, y, w, h int) canvas {
	s := max(w, h)
	c := canvas{W: s, H: s, X0: x, Y0: y, CW: w, CH: h}
	diff := s - min(w, h)
	before := diff - int(math.Floor(float64(diff)*0.5+0.5))
	if w < h {
		c.OffX = before
	} else {
		c.OffY = before
	}
	return c
}

// axisTable holds the per-axis sample positions of a resize.
type axisTable struct {
	lo, hi []int // byte offsets into the image's pixels, -1 where the canvas is black
	frac   []float64
}

// makeAxis fills t for one axis: stride is the bytes per image index
// along it (3 for a column, 3·width for a row).
func makeAxis(t *axisTable, canvasLen, side, off, x0, cropLen, imgLen, stride int) {
	t.lo = t.lo[:0]
	t.hi = t.hi[:0]
	t.frac = t.frac[:0]
	ratio := float64(canvasLen) / float64(side)
	src := func(c int) int {
		p := c - off
		if p < 0 || p >= cropLen {
			return -1
		}
		i := x0 + p
		if i < 0 || i >= imgLen {
			return -1
		}
		return i * stride
	}
	for o := 0; o < side; o++ {
		f := ratio * float64(o)
		lo := max(0, int(math.Floor(f)))
		hi := min(canvasLen-1, int(math.Ceil(f)))
		t.lo = append(t.lo, src(lo))
		t.hi = append(t.hi, src(hi))
		t.frac = append(t.frac, f-float64(lo))
	}
}

// resizer holds reusable tables.
type resizer struct {
	x, y axisTable
	// Two source rows interpolated along x (resize), and their byte
	// offsets into the image (-1 for a black row).
	rows  [2][]float64
	rowAt [2]int
}

// row returns the source row at byte offset off (-1: black) interpolated
// along x for every output column, as resize's top and bottom terms: from
// the two rows kept when one of them is that row, else computed into the
// one that is not keep (the offset of the other row an output row needs).
func (r *resizer) row(pix []byte, off, keep int) []float64 {
	for i, at := range r.rowAt {
		if at == off {
			return r.rows[i]
		}
	}
	i := 0
	if r.rowAt[0] == keep {
		i = 1
	}
	r.rowAt[i] = off
	out := r.rows[i]
	for ox := range len(out) / 3 {
		lx, rx, fx := r.x.lo[ox], r.x.hi[ox], r.x.frac[ox]
		var tl, tr [3]float64
		if off >= 0 {
			if lx >= 0 {
				tl = [3]float64{float64(pix[off+lx]), float64(pix[off+lx+1]), float64(pix[off+lx+2])}
			}
			if rx >= 0 {
				tr = [3]float64{float64(pix[off+rx]), float64(pix[off+rx+1]), float64(pix[off+rx+2])}
			}
		}
		o := (*[3]float64)(out[ox*3:])
		for ch := 0; ch < 3; ch++ {
			o[ch] = tl[ch] + (tr[ch]-tl[ch])*fx
		}
	}
	return out
}

// resize samples the canvas, resized to side×side, into dst with TF.js's
// legacy bilinear resize (alignCorners and halfPixelCenters false: output
// pixel i reads input position i*in/out; arithmetic in float64, rounded to
// float32) and normalizes each value as (v - mean)/255 in float32. dst is
// the top-left dst.H×dst.W×3 of that square (the whole of it, or a trimmed
// detector input: see trimmedInput).
func (r *resizer) resize(img *rgbImage, c canvas, side int, mean [3]float32, dst nn.Tensor) {
	makeAxis(&r.x, c.W, side, c.OffX, c.X0, c.CW, img.W, 3)
	makeAxis(&r.y, c.H, side, c.OffY, c.Y0, c.CH, img.H, 3*img.W)
	pix := img.Pix
	ow := dst.W
	if c.W == side && c.H == side {
		// No scaling (imagecheck's document views): every output pixel is
		// one canvas pixel, as the interpolation below gives it. Its
		// normalized values are looked up: (v - mean)/255 for each byte
		// v, computed once per channel (the same float32 operations).
		norm := normTable(mean)
		for oy := 0; oy < dst.H; oy++ {
			ty := r.y.lo[oy]
			out := dst.Data[oy*ow*3 : (oy+1)*ow*3]
			for ox := 0; ox < ow; ox++ {
				var v [3]uint8 // black outside the image
				if lx := r.x.lo[ox]; ty >= 0 && lx >= 0 {
					p := pix[ty+lx : ty+lx+3]
					v = [3]uint8{p[0], p[1], p[2]}
				}
				o := out[ox*3 : ox*3+3]
				o[0] = norm[0][v[0]]
				o[1] = norm[1][v[1]]
				o[2] = norm[2][v[2]]
			}
		}
		return
	}
	// Each source row's interpolation along x is computed once for the
	// output rows that read it (an enlarged crop's rows are read by
	// several), with the same float64 operations as per output value.
	for i := range r.rows {
		r.rows[i] = slices.Grow(r.rows[i][:0], ow*3)[:ow*3]
		r.rowAt[i] = -2 // (no row)
	}
	for oy := 0; oy < dst.H; oy++ {
		ty, by, fy := r.y.lo[oy], r.y.hi[oy], r.y.frac[oy]
		top := r.row(pix, ty, by)
		bot := r.row(pix, by, ty)
		out := dst.Data[oy*ow*3 : (oy+1)*ow*3]
		for ox := range ow {
			t, b, o := (*[3]float64)(top[ox*3:]), (*[3]float64)(bot[ox*3:]), (*[3]float32)(out[ox*3:])
			for ch := 0; ch < 3; ch++ {
				v := float32(t[ch] + (b[ch]-t[ch])*fy)
				o[ch] = (v - mean[ch]) / 255
			}
		}
	}
}

// clip16 is ycbcrToRGB's rounding of a sum in 16.16 fixed point to a byte,
// clamped.
func clip16(v int32) uint8 {
	if uint32(v)&0xff000000 == 0 {
		return uint8(v >> 16)
	}
	return uint8(^(v >> 31))
}

// normTable returns (v - mean)/255 in float32 for each byte v of each
// channel: the normalised input values of unscaled pixels.
func normTable(mean [3]float32) *[3][256]float32 {
	var norm [3][256]float32
	for ch := range norm {
		for v := range norm[ch] {
			norm[ch][v] = (float32(v) - mean[ch]) / 255
		}
	}
	return &norm
}

// fill420 writes the detector's normalised input for src, a 4:2:0 image
// whose long side is the input's side (no scaling), straight from its
// planes: the values resize gives for the RGB image from420 converts src
// to, without that image. dst's pixels right of or below src are black,
// as the letterbox canvas pads them.
func fill420(src *image.YCbCr, mean [3]float32, dst nn.Tensor) {
	norm := normTable(mean)
	b := src.Rect
	w, h := min(b.Dx(), dst.W), min(b.Dy(), dst.H)
	black := [3]float32{norm[0][0], norm[1][0], norm[2][0]}
	cx0 := b.Min.X / 2
	for oy := 0; oy < dst.H; oy++ {
		out := dst.Data[oy*dst.W*3 : (oy+1)*dst.W*3]
		x := 0
		if oy < h {
			yrow := src.Y[src.YOffset(b.Min.X, b.Min.Y+oy):][:w]
			c0 := ((b.Min.Y+oy)/2 - b.Min.Y/2) * src.CStride
			cb, cr := src.Cb[c0:], src.Cr[c0:]
			if b.Min.X&1 == 0 {
				// Eight pixels at a time where the CPU allows: the
				// same values (fill420Row).
				x = fill420Row(out, yrow, cb, cr, &mean)
			}
			for x < w {
				// One chroma sample's terms of ycbcrToRGB for the (up to)
				// two pixels sharing it: the same integer sums.
				ci := (b.Min.X+x)/2 - cx0
				cb1, cr1 := int32(cb[ci])-128, int32(cr[ci])-128
				dr, dg, db := 91881*cr1, -22554*cb1-46802*cr1, 116130*cb1
				for n := 2 - (b.Min.X+x)&1; n > 0 && x < w; n-- {
					yy1 := int32(yrow[x]) * 0x10101
					o := (*[3]float32)(out[x*3:])
					o[0], o[1], o[2] = norm[0][clip16(yy1+dr)], norm[1][clip16(yy1+dg)], norm[2][clip16(yy1+db)]
					x++
				}
			}
		}
		for ; x < dst.W; x++ {
			*(*[3]float32)(out[x*3:]) = black
		}
	}
}
