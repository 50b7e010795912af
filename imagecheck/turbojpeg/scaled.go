//go:build cgo && !noturbo

package turbojpeg

/*
#cgo CFLAGS: -O2
#cgo LDFLAGS: -lm
#include "scaled.h"

static int kycq_scaled(const unsigned char *data, size_t len, int f,
	unsigned char *y, unsigned char *cb, unsigned char *cr,
	int sy, int sc, int yw, int yh, int cw, int ch, float *weights, unsigned char *scratch,
	uint64_t *blocks, size_t nblocks, size_t *need,
	unsigned char *sy4, unsigned char *scb, unsigned char *scr, int sw, int sh, int *small_done) {
	uint8_t *planes[3] = {y, cb, cr};
	int st[3] = {sy, sc, sc}, pw[3] = {yw, cw, cw}, ph[3] = {yh, ch, ch};
	uint8_t *small[3] = {sy4, scb, scr};
	return kycq_scaled_decode_small(data, len, f, planes, st, pw, ph, weights, scratch, blocks, nblocks, need,
		sy4 ? small : NULL, sw, sh, small_done);
}
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// scaledPad is the zero padding the scaled decoder needs after a segment.
const scaledPad = int(C.KQ_PAD)

// maxKeptBlocks is the most block memory (uint64s) a decoder keeps for
// the next progressive JPEG: 32 MB, a 12 MP 4:2:0 photo's 18 MB and more.
const maxKeptBlocks = 4 << 20

// DecodeScaled decodes data like DecodePlanes, at 1/f (f = 2, 4 or 8) of
// its header's size, with the reduced decoder of scaled.h: a faster
// Huffman decoder that computes each block's f-reduced outputs directly
// from its coefficients (each output the mean of the full IDCT over its
// f×f pixels). It takes only well-formed single-scan baseline JPEGs, and
// progressive ones at ¼ and ⅛, whose chroma is not subsampled beyond 2×2,
// and returns false for anything else (the planes then hold garbage): the caller decodes with
// DecodePlanes, which gives libjpeg-turbo's answer or error. The plane
// sizes are those of PlaneSize for the scaled size; cb and cr are nil for
// a grayscale JPEG.
func (d *Decoder) DecodeScaled(data []byte, f int, y, cb, cr []byte, sy, sc, yw, yh, cw, ch int) (ok bool) {
	ok, _ = d.DecodeScaledSmall(data, f, y, cb, cr, sy, sc, yw, yh, cw, ch, Small{})
	return ok
}

// Small is where DecodeScaledSmall writes the planes reduced once more:
// Y by 4 and Cb, Cr by 2 from the ¼-scale planes, W × H bytes each
// (row stride W), each byte the rounded mean of its block of plane
// bytes, (sum + n/2) / n.
type Small struct {
	Y, Cb, Cr []byte
	W, H      int
}

// DecodeScaledSmall is DecodeScaled that, for a 4:2:0 JPEG at ¼ whose
// MCUs (16×16 pixels, 4×4 of the luma plane) all lie wholly inside the
// planes and number s.W × s.H, also writes s's planes from the bytes it
// stores (smallOK), a pass over the planes saved. Without s.Y, or for any
// other JPEG, s is not written, or holds garbage when smallOK is false.
func (d *Decoder) DecodeScaledSmall(data []byte, f int, y, cb, cr []byte, sy, sc, yw, yh, cw, ch int, s Small) (ok, smallOK bool) {
	var psy, psb, psr *C.uchar
	if s.Y != nil {
		if s.W <= 0 || s.H <= 0 || len(s.Y) < s.W*s.H || len(s.Cb) < s.W*s.H || len(s.Cr) < s.W*s.H {
			return false, false
		}
		psy = (*C.uchar)(unsafe.Pointer(&s.Y[0]))
		psb = (*C.uchar)(unsafe.Pointer(&s.Cb[0]))
		psr = (*C.uchar)(unsafe.Pointer(&s.Cr[0]))
	}
	if len(data) == 0 || yw <= 0 || yh <= 0 || sy < yw || len(y) < sy*(yh-1)+yw {
		return false, false
	}
	var pcb, pcr *C.uchar
	if cb != nil || cr != nil {
		if cw <= 0 || ch <= 0 || sc < cw || len(cb) < sc*(ch-1)+cw || len(cr) < sc*(ch-1)+cw {
			return false, false
		}
		pcb = (*C.uchar)(unsafe.Pointer(&cb[0]))
		pcr = (*C.uchar)(unsafe.Pointer(&cr[0]))
	} else {
		cw, ch = 0, 0
	}
	if cap(d.scratch) < len(data)+scaledPad {
		d.scratch = make([]byte, len(data)+scaledPad, len(data)+len(data)/4+scaledPad)
	}
	if d.weights == nil {
		d.weights = make([]float32, C.KQ_WORK_FLOATS)
	}
	for {
		var blocks *C.uint64_t
		if len(d.blocks) > 0 {
			blocks = (*C.uint64_t)(unsafe.Pointer(&d.blocks[0]))
		}
		var need C.size_t
		var done C.int
		r := C.kycq_scaled((*C.uchar)(unsafe.Pointer(&data[0])), C.size_t(len(data)), C.int(f),
			(*C.uchar)(unsafe.Pointer(&y[0])), pcb, pcr, C.int(sy), C.int(sc),
			C.int(yw), C.int(yh), C.int(cw), C.int(ch),
			(*C.float)(unsafe.Pointer(&d.weights[0])), (*C.uchar)(unsafe.Pointer(&d.scratch[0])),
			blocks, C.size_t(len(d.blocks)), &need, psy, psb, psr, C.int(s.W), C.int(s.H), &done)
		if r == C.KYCQ_SCALED_NEED && int(need) > len(d.blocks) {
			d.blocks = make([]uint64, int(need))
			continue
		}
		ok = r == C.KYCQ_SCALED_OK
		smallOK = ok && done != 0
		break
	}
	if len(d.blocks) > maxKeptBlocks {
		d.blocks = nil // a very large progressive photo's: not kept in the pool
	}
	runtime.KeepAlive(data)
	runtime.KeepAlive(y)
	runtime.KeepAlive(cb)
	runtime.KeepAlive(cr)
	runtime.KeepAlive(s.Y)
	runtime.KeepAlive(s.Cb)
	runtime.KeepAlive(s.Cr)
	return ok, smallOK
}
