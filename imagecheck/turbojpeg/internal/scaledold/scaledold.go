//go:build cgo && !noturbo

package scaledold

/*
#cgo CFLAGS: -O2
#cgo LDFLAGS: -lm
#include "scaled_old.h"

static int kycq_scaled_old(const unsigned char *data, size_t len, int f,
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

// Small is where DecodeScaledSmall writes the planes reduced once more,
// as turbojpeg.Small.
type Small struct {
	Y, Cb, Cr []byte
	W, H      int
}

// DecodeScaledSmall is turbojpeg's (*Decoder).DecodeScaledSmall with the
// old decoder, on a fresh work area; the arguments are checked as there.
func DecodeScaledSmall(data []byte, f int, y, cb, cr []byte, sy, sc, yw, yh, cw, ch int, s Small) (ok, smallOK bool) {
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
	scratch := make([]byte, len(data)+int(C.KQ_PAD))
	weights := make([]float32, C.KQ_WORK_FLOATS)
	var blocks []uint64
	for {
		var pb *C.uint64_t
		if len(blocks) > 0 {
			pb = (*C.uint64_t)(unsafe.Pointer(&blocks[0]))
		}
		var need C.size_t
		var done C.int
		r := C.kycq_scaled_old((*C.uchar)(unsafe.Pointer(&data[0])), C.size_t(len(data)), C.int(f),
			(*C.uchar)(unsafe.Pointer(&y[0])), pcb, pcr, C.int(sy), C.int(sc),
			C.int(yw), C.int(yh), C.int(cw), C.int(ch),
			(*C.float)(unsafe.Pointer(&weights[0])), (*C.uchar)(unsafe.Pointer(&scratch[0])),
			pb, C.size_t(len(blocks)), &need, psy, psb, psr, C.int(s.W), C.int(s.H), &done)
		if r == C.KYCQ_SCALED_NEED && int(need) > len(blocks) {
			blocks = make([]uint64, int(need))
			continue
		}
		ok = r == C.KYCQ_SCALED_OK
		smallOK = ok && done != 0
		break
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
