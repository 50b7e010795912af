package imagecheck

import (
	"encoding/binary"
	"image"
	"math/bits"
	"sync"
)

// planes is a decoded photo at working resolution, upright (EXIF
// orientation applied), as a luma plane and two chroma planes at half
// resolution in each direction (4:2:0), whatever the source's subsampling.
// The buffers belong to a pooled workspace.
type planes struct {
	w, h   int
	y      []byte
	ys     int // luma stride
	cw, ch int // (w+1)/2, (h+1)/2
	cb, cr []byte
	cs     int  // chroma stride
	gray   bool // the source had no chroma (the planes hold 128)
	// small holds smallPlanes' luma and chroma planes when the decoder
	// wrote them along with these (nil otherwise): for a smallFactor of
	// 4 and planes of whole 4×4 luma blocks (see decodeJPEG).
	small [3][]byte
}

// view returns the planes as an image sharing their buffers.
func (p *planes) view() *image.YCbCr {
	return &image.YCbCr{
		Y: p.y, Cb: p.cb, Cr: p.cr, YStride: p.ys, CStride: p.cs,
		SubsampleRatio: image.YCbCrSubsampleRatio420,
		Rect:           image.Rect(0, 0, p.w, p.h),
	}
}

// workspace holds the reusable buffers of one Check call.
type workspace struct {
	bytes [17][]byte
	f32   [8][]float32
	i32   [3][]int32
}

// Indexes of the byte buffers of a workspace.
const (
	bufY = iota
	bufCb
	bufCr
	bufY2
	bufCb2
	bufCr2
	bufSmall
	bufMask
	bufSmallCb
	bufSmallCr
	bufFaceY
	bufFaceCb
	bufFaceCr
	bufScans // a progressive JPEG without the scans the decode skips
	bufSmall2
	bufSmallCb2
	bufSmallCr2
)

func (ws *workspace) b(i, n int) []byte {
	if cap(ws.bytes[i]) < n {
		ws.bytes[i] = make([]byte, n, n+n/8)
	}
	return ws.bytes[i][:n]
}

func (ws *workspace) f(i, n int) []float32 {
	if cap(ws.f32[i]) < n {
		ws.f32[i] = make([]float32, n, n+n/8)
	}
	s := ws.f32[i][:n]
	clear(s)
	return s
}

// fDirty is f without the clearing: for a buffer whose every value read
// is first written (what a previous user left in it stays).
func (ws *workspace) fDirty(i, n int) []float32 {
	if cap(ws.f32[i]) < n {
		ws.f32[i] = make([]float32, n, n+n/8)
	}
	return ws.f32[i][:n]
}

func (ws *workspace) i(i, n int) []int32 {
	if cap(ws.i32[i]) < n {
		ws.i32[i] = make([]int32, n, n+n/8)
	}
	s := ws.i32[i][:n]
	clear(s)
	return s
}

var workspaces = sync.Pool{New: func() any { return new(workspace) }}

// scaleFor picks the reduction 1, 2, 4 or 8 that brings the long side of
// a w×h image closest (in ratio) to target pixels.
func scaleFor(w, h, target int) int {
	long := max(w, h)
	best, bestErr := 1, 0.0
	for _, f := range []int{1, 2, 4, 8} {
		l := float64((long + f - 1) / f)
		e := l / float64(target)
		if e < 1 {
			e = 1 / e
		}
		if f == 1 || e < bestErr {
			best, bestErr = f, e
		}
	}
	return best
}

// resample box-filters the sw×sh plane src (stride ss) into the dw×dh
// plane dst (stride ds). Destination pixel i covers source pixels
// [i*num/den, (i+1)*num/den), at least one; num/den is the source pixels
// per destination pixel (below 1 it repeats source pixels).
func resample(src []byte, sw, sh, ss int, dst []byte, dw, dh, ds int, num, den int) {
	if den == 1 && num > 1 && dw == (sw+num-1)/num && dh == (sh+num-1)/num {
		boxDown(src, sw, sh, ss, dst, dw, dh, ds, num)
		return
	}
	if num == den && sw >= dw && sh >= dh {
		for y := 0; y < dh; y++ {
			copy(dst[y*ds:y*ds+dw], src[y*ss:y*ss+dw])
		}
		return
	}
	span := func(i, n int) (int, int) {
		a := i * num / den
		b := (i + 1) * num / den
		if a >= n {
			a = n - 1
		}
		if b > n {
			b = n
		}
		if b <= a {
			b = a + 1
		}
		return a, b
	}
	acc := make([]uint32, dw)
	xs := make([]int32, 2*dw)
	for dx := 0; dx < dw; dx++ {
		a, b := span(dx, sw)
		xs[2*dx], xs[2*dx+1] = int32(a), int32(b)
	}
	for dy := 0; dy < dh; dy++ {
		y0, y1 := span(dy, sh)
		clear(acc)
		for sy := y0; sy < y1; sy++ {
			row := src[sy*ss : sy*ss+sw]
			for dx := range acc {
				var s uint32
				for _, v := range row[xs[2*dx]:xs[2*dx+1]] {
					s += uint32(v)
				}
				acc[dx] += s
			}
		}
		out := dst[dy*ds : dy*ds+dw]
		rows := uint32(y1 - y0)
		for dx := range out {
			n := rows * uint32(xs[2*dx+1]-xs[2*dx])
			out[dx] = byte((acc[dx] + n/2) / n)
		}
	}
}

// orientedSize returns the displayed size of a w×h image stored with EXIF
// orientation o.
func orientedSize(w, h, o int) (int, int) {
	if o >= 5 && o <= 8 {
		return h, w
	}
	return w, h
}

// orient writes into dst (stride ds) the displayed form of the sw×sh plane
// src (stride ss) stored with EXIF orientation o.
func orient(src []byte, sw, sh, ss int, o int, dst []byte, ds int) {
	dw, dh := orientedSize(sw, sh, o)
	// The source index of displayed (x, y) is a + y·dy + x·step.
	var a, dy, step int
	switch o {
	case 2:
		a, dy, step = sw-1, ss, -1
	case 3:
		a, dy, step = (sh-1)*ss+sw-1, -ss, -1
	case 4:
		a, dy, step = (sh-1)*ss, -ss, 1
	case 5:
		a, dy, step = 0, 1, ss
	case 6:
		a, dy, step = (sh-1)*ss, 1, -ss
	case 7:
		a, dy, step = (sh-1)*ss+sw-1, -1, -ss
	case 8:
		a, dy, step = sw-1, -1, ss
	default:
		a, dy, step = 0, ss, 1
	}
	if o < 5 || o > 8 {
		for y := 0; y < dh; y++ {
			row := dst[y*ds : y*ds+dw]
			k := a + y*dy
			for x := range row {
				row[x] = src[k]
				k += step
			}
		}
		return
	}
	// A turn by 90°: a displayed row is a source column. Bands of 16
	// displayed rows read 16 neighbouring source bytes at a time.
	const band = 16
	for y0 := 0; y0 < dh; y0 += band {
		n := min(band, dh-y0)
		for x := 0; x < dw; x++ {
			k := a + y0*dy + x*step
			o := y0*ds + x
			for j := 0; j < n; j++ {
				dst[o] = src[k]
				k += dy
				o += ds
			}
		}
	}
}

// finish applies orientation o to p (whose buffers are bufY/bufCb/bufCr of
// ws) and returns the upright planes.
func finish(p planes, o int, ws *workspace) planes {
	if o <= 1 || o > 8 {
		return p
	}
	w, h := orientedSize(p.w, p.h, o)
	cw, ch := orientedSize(p.cw, p.ch, o)
	q := planes{w: w, h: h, ys: w, cw: cw, ch: ch, cs: cw, gray: p.gray}
	q.y = ws.b(bufY2, w*h)
	orient(p.y, p.w, p.h, p.ys, o, q.y, q.ys)
	q.cb = ws.b(bufCb2, cw*ch)
	q.cr = ws.b(bufCr2, cw*ch)
	orient(p.cb, p.cw, p.ch, p.cs, o, q.cb, q.cs)
	orient(p.cr, p.cw, p.ch, p.cs, o, q.cr, q.cs)
	if p.small[0] != nil {
		// Whole 4×4 blocks turn into whole blocks: the reduced planes
		// turn with the planes.
		sw, sh := p.w/4, p.h/4
		dw, dh := orientedSize(sw, sh, o)
		for i, b := range []int{bufSmall2, bufSmallCb2, bufSmallCr2} {
			q.small[i] = ws.b(b, dw*dh)
			orient(p.small[i], sw, sh, sw, o, q.small[i], dw)
		}
	}
	return q
}

// grayChroma fills p's chroma with the neutral value for a gray source.
func grayChroma(p *planes, ws *workspace) {
	p.cw, p.ch = (p.w+1)/2, (p.h+1)/2
	p.cs = p.cw
	p.cb = ws.b(bufCb, p.cw*p.ch)
	p.cr = ws.b(bufCr, p.cw*p.ch)
	for i := range p.cb {
		p.cb[i] = 128
	}
	copy(p.cr, p.cb)
	p.gray = true
}

// boxDown averages f×f blocks (the last row and column of blocks may be
// partial): resample for an integer factor, without the generic spans.
// For f = 2 and 4 the whole blocks are summed eight source bytes at a
// time over all of a block's rows (boxSums); the sums, and so the
// averages, are the integers a byte-by-byte loop gives.
func boxDown(src []byte, sw, sh, ss int, dst []byte, dw, dh, ds int, f int) {
	acc := make([]uint32, dw)
	full := sw / f // output columns made of f whole source columns
	for dy := 0; dy < dh; dy++ {
		y0 := dy * f
		y1 := min(y0+f, sh)
		done := boxSums(src[y0*ss:], ss, y1-y0, full, f, acc)
		clear(acc[done:])
		for y := y0; y < y1; y++ {
			row := src[y*ss : y*ss+sw]
			for dx := done; dx < full; dx++ {
				var s uint32
				for _, v := range row[dx*f : dx*f+f] {
					s += uint32(v)
				}
				acc[dx] += s
			}
			if full < dw {
				var s uint32
				for _, v := range row[full*f:] {
					s += uint32(v)
				}
				acc[full] += s
			}
		}
		rows := uint32(y1 - y0)
		out := dst[dy*ds : dy*ds+dw]
		n := rows * uint32(f)
		if n&(n-1) == 0 {
			// A power of two (every whole row of blocks for f = 2, 4 and
			// 8): the same quotients by a shift.
			shift := uint(bits.TrailingZeros32(n))
			for dx, a := range acc[:full] {
				out[dx] = byte((a + n/2) >> shift)
			}
		} else {
			for dx := 0; dx < full; dx++ {
				out[dx] = byte((acc[dx] + n/2) / n)
			}
		}
		if full < dw {
			m := rows * uint32(sw-full*f)
			out[full] = byte((acc[full] + m/2) / m)
		}
	}
}

// boxSums sets acc[dx] to the sum of the block of rows (at most 4) rows
// of src (stride ss) and f (2 or 4) columns from dx*f, for the columns
// dx < full it can take eight source bytes at a time, and returns how
// many it set (0 for another f). Each eight bytes are added as four
// 16-bit lanes of neighbour pairs (at most 4 × 510 a lane: no carry
// between lanes), the lanes then folded into the blocks' sums.
func boxSums(src []byte, ss, rows, full, f int, acc []uint32) int {
	const m = 0x00FF00FF00FF00FF
	if rows > 4 {
		return 0
	}
	switch f {
	case 2:
		dx := 0
		for ; dx+4 <= full; dx += 4 {
			var s uint64
			for y := 0; y < rows; y++ {
				v := binary.LittleEndian.Uint64(src[y*ss+2*dx:])
				s += v&m + v>>8&m
			}
			a := acc[dx : dx+4 : dx+4]
			a[0], a[1], a[2], a[3] = uint32(s&0xFFFF), uint32(s>>16&0xFFFF), uint32(s>>32&0xFFFF), uint32(s>>48)
		}
		return dx
	case 4:
		dx := 0
		for ; dx+2 <= full; dx += 2 {
			var s uint64
			for y := 0; y < rows; y++ {
				v := binary.LittleEndian.Uint64(src[y*ss+4*dx:])
				s += v&m + v>>8&m
			}
			s += s >> 16 // lanes 0 and 2: the two blocks' sums
			acc[dx], acc[dx+1] = uint32(s&0xFFFF), uint32(s>>32&0xFFFF)
		}
		return dx
	}
	return 0
}

// levelRange returns the grey levels that cut the darkest and the
// brightest 1/tail of the samples of y off: lo is the highest level with
// at most len(y)/tail samples at or below it (0 when none), hi one more
// than the highest level with fewer than len(y) - len(y)/tail samples at
// or below it.
func levelRange(y []byte, tail int) (lo, hi int) {
	var hist [256]int
	for _, v := range y {
		hist[v]++
	}
	n := len(y)
	lo, hi = 0, 255
	acc := 0
	for v := 0; v < 256; v++ {
		acc += hist[v]
		if acc <= n/tail {
			lo = v
		}
		if acc < n-n/tail {
			hi = v + 1
		}
	}
	return lo, hi
}
