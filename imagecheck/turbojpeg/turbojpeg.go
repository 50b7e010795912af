//go:build cgo && !noturbo

// Package turbojpeg is a small cgo wrapper over the TurboJPEG API of
// libjpeg-turbo (Debian package libturbojpeg0-dev): header parsing,
// decoding straight into Y/Cb/Cr planes with DCT-domain scaling, and
// RGB encoding (used by the synthetic-photo generator).
//
// Handles are not safe for concurrent use; callers pool them. A handle
// dropped by a pool is freed by a cleanup.
package turbojpeg

/*
#cgo LDFLAGS: -lturbojpeg
#include <stdlib.h>
#include <turbojpeg.h>

static int kycq_decode_planes(tjhandle h, const unsigned char *buf, unsigned long size,
	unsigned char *y, unsigned char *u, unsigned char *v,
	int sy, int su, int sv, int width, int height, int flags) {
	unsigned char *planes[3] = {y, u, v};
	int strides[3] = {sy, su, sv};
	return tjDecompressToYUVPlanes(h, buf, size, planes, width, strides, height, flags);
}
*/
import "C"

import (
	"errors"
	"fmt"
	"runtime"
	"unsafe"
)

// Available reports whether this build decodes with libjpeg-turbo.
const Available = true

// Chroma subsampling, as TurboJPEG numbers it.
const (
	Samp444  = int(C.TJSAMP_444)
	Samp422  = int(C.TJSAMP_422)
	Samp420  = int(C.TJSAMP_420)
	SampGray = int(C.TJSAMP_GRAY)
	Samp440  = int(C.TJSAMP_440)
	Samp411  = int(C.TJSAMP_411)
)

// JPEG colour spaces, as TurboJPEG numbers them.
const (
	CSRGB   = int(C.TJCS_RGB)
	CSYCbCr = int(C.TJCS_YCbCr)
	CSGray  = int(C.TJCS_GRAY)
	CSCMYK  = int(C.TJCS_CMYK)
	CSYCCK  = int(C.TJCS_YCCK)
)

// Header is what the JPEG header says about the image.
type Header struct {
	Width, Height int
	Subsamp       int // Samp*
	Colorspace    int // CS*
}

// Decoder is one TurboJPEG decompressor handle.
type Decoder struct {
	h *handle
	// buffers of DecodeScaled
	scratch []byte
	weights []float32
	blocks  []uint64 // a progressive JPEG's coefficients (64 bytes a block)
}

type handle struct{ p C.tjhandle }

// NewDecoder returns a decompressor.
func NewDecoder() (*Decoder, error) {
	p := C.tjInitDecompress()
	if p == nil {
		return nil, errors.New("turbojpeg: cannot create a decompressor")
	}
	h := &handle{p: p}
	d := &Decoder{h: h}
	runtime.AddCleanup(d, func(h *handle) { C.tjDestroy(h.p) }, h)
	return d, nil
}

func (d *Decoder) err() error {
	msg := C.GoString(C.tjGetErrorStr2(d.h.p))
	return fmt.Errorf("turbojpeg: %s", msg)
}

// Header reads the JPEG header of data.
func (d *Decoder) Header(data []byte) (Header, error) {
	if len(data) == 0 {
		return Header{}, errors.New("turbojpeg: empty input")
	}
	var w, h, ss, cs C.int
	r := C.tjDecompressHeader3(d.h.p, (*C.uchar)(unsafe.Pointer(&data[0])), C.ulong(len(data)), &w, &h, &ss, &cs)
	runtime.KeepAlive(data)
	if r != 0 {
		return Header{}, d.err()
	}
	return Header{Width: int(w), Height: int(h), Subsamp: int(ss), Colorspace: int(cs)}, nil
}

// ScaledSize is the size of dim decoded at 1/denom (TJSCALED).
func ScaledSize(dim, denom int) int { return (dim + denom - 1) / denom }

// PlaneSize returns the width and height of plane comp (0 = Y, 1 = Cb,
// 2 = Cr) of a width×height image with the given subsampling.
func PlaneSize(comp, width, height, subsamp int) (int, int) {
	w := C.tjPlaneWidth(C.int(comp), C.int(width), C.int(subsamp))
	h := C.tjPlaneHeight(C.int(comp), C.int(height), C.int(subsamp))
	return int(w), int(h)
}

// DecodePlanes decodes data, scaled in the DCT domain to width×height
// (each dimension of the header divided by 1, 2, 4 or 8 and rounded up),
// into the planes y, cb, cr with the given strides. Each plane must hold
// stride × plane height bytes (see PlaneSize); for a grayscale JPEG cb and
// cr are not written and may be nil. Warnings (a truncated or corrupt
// stream) are errors, and progressive JPEGs are limited to 500 scans.
func (d *Decoder) DecodePlanes(data []byte, width, height int, y, cb, cr []byte, sy, sc int, subsamp int) error {
	if len(data) == 0 {
		return errors.New("turbojpeg: empty input")
	}
	pw, ph := PlaneSize(0, width, height, subsamp)
	if pw <= 0 || sy < pw || len(y) < sy*ph {
		return errors.New("turbojpeg: Y plane too small")
	}
	var pcb, pcr *C.uchar
	if subsamp != SampGray {
		cw, ch := PlaneSize(1, width, height, subsamp)
		if sc < cw || len(cb) < sc*ch || len(cr) < sc*ch {
			return errors.New("turbojpeg: chroma plane too small")
		}
		pcb = (*C.uchar)(unsafe.Pointer(&cb[0]))
		pcr = (*C.uchar)(unsafe.Pointer(&cr[0]))
	}
	flags := C.int(C.TJFLAG_STOPONWARNING | C.TJFLAG_LIMITSCANS)
	r := C.kycq_decode_planes(d.h.p, (*C.uchar)(unsafe.Pointer(&data[0])), C.ulong(len(data)),
		(*C.uchar)(unsafe.Pointer(&y[0])), pcb, pcr, C.int(sy), C.int(sc), C.int(sc),
		C.int(width), C.int(height), flags)
	runtime.KeepAlive(data)
	runtime.KeepAlive(y)
	runtime.KeepAlive(cb)
	runtime.KeepAlive(cr)
	if r != 0 {
		return d.err()
	}
	return nil
}

// Pixel formats of Encode's input.
const (
	PixRGB  = int(C.TJPF_RGB)
	PixGray = int(C.TJPF_GRAY)
	PixCMYK = int(C.TJPF_CMYK)
	PixRGBX = int(C.TJPF_RGBX) // RGBA with the alpha byte ignored
)

// EncodeOptions set the JPEG Encode writes.
type EncodeOptions struct {
	Quality     int // 1..100
	Subsamp     int // Samp*; ignored for gray input
	Progressive bool
}

// Encode compresses a packed 8-bit image (stride bytes per row) in pixel
// format pf (Pix*) to a JPEG. CMYK input makes a 4-component (YCCK) JPEG.
func Encode(pix []byte, width, height, stride, pf int, o EncodeOptions) ([]byte, error) {
	ps := map[int]int{PixRGB: 3, PixGray: 1, PixCMYK: 4, PixRGBX: 4}[pf]
	if ps == 0 || width <= 0 || height <= 0 || stride < ps*width || len(pix) < stride*(height-1)+ps*width {
		return nil, errors.New("turbojpeg: bad pixel buffer")
	}
	if pf == PixGray {
		o.Subsamp = SampGray
	}
	h := C.tjInitCompress()
	if h == nil {
		return nil, errors.New("turbojpeg: cannot create a compressor")
	}
	defer C.tjDestroy(h)
	flags := C.int(C.TJFLAG_ACCURATEDCT)
	if o.Progressive {
		flags |= C.TJFLAG_PROGRESSIVE
	}
	var out *C.uchar
	var size C.ulong
	r := C.tjCompress2(h, (*C.uchar)(unsafe.Pointer(&pix[0])), C.int(width), C.int(stride), C.int(height),
		C.int(pf), &out, &size, C.int(o.Subsamp), C.int(o.Quality), flags)
	runtime.KeepAlive(pix)
	if r != 0 {
		msg := C.GoString(C.tjGetErrorStr2(h))
		if out != nil {
			C.tjFree(out)
		}
		return nil, fmt.Errorf("turbojpeg: %s", msg)
	}
	b := C.GoBytes(unsafe.Pointer(out), C.int(size))
	C.tjFree(out)
	return b, nil
}
