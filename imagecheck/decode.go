package imagecheck

import (
	"image"
)

// decoded is an upload decoded to working resolution.
type decoded struct {
	p      planes
	hdr    header
	w, h   int    // original size, upright
	factor int    // original pixels per working pixel (1, 2, 4 or 8)
	data   []byte // the upload, for a closer look at a doubtful portrait
}

// decode checks the header against the limits, then decodes data into
// upright planes at about opts.WorkSize pixels on the long side.
func decode(data []byte, opts Options, ws *workspace) (decoded, error) {
	hdr, err := parseHeader(data)
	if err != nil {
		return decoded{}, err
	}
	if opts.MaxPixels > 0 && int64(hdr.width)*int64(hdr.height) > int64(opts.MaxPixels) {
		return decoded{}, unreadable("%d×%d pixels is over the limit of %d", hdr.width, hdr.height, opts.MaxPixels)
	}
	if hdr.components == 4 {
		return decoded{}, unreadable("CMYK images are not supported")
	}
	f := scaleFor(hdr.width, hdr.height, opts.WorkSize)
	if c := decodeCost(hdr, f, opts.PureGo || decoderName == "go"); opts.MaxDecodeBytes > 0 && c > opts.MaxDecodeBytes {
		return decoded{}, unreadable("decoding %d×%d pixels would take %d MiB, over the budget of %d MiB",
			hdr.width, hdr.height, c>>20, opts.MaxDecodeBytes>>20)
	}
	var p planes
	upload := data
	switch hdr.format {
	case formatJPEG:
		if hdr.progressive && f >= minDropFactor && !opts.ExactProgressive {
			data, _ = dropFinalLuma(data, ws.b(bufScans, len(data)))
		}
		if opts.PureGo {
			p, err = decodeJPEGGo(data, hdr, f, ws)
		} else {
			p, err = decodeJPEG(data, hdr, f, !opts.LibjpegIDCT, ws)
		}
	case formatPNG:
		p, err = decodePNG(data, f, ws)
	}
	if err != nil {
		return decoded{}, err
	}
	p = finish(p, hdr.orientation, ws)
	w, h := orientedSize(hdr.width, hdr.height, hdr.orientation)
	return decoded{p: p, hdr: hdr, w: w, h: h, factor: f, data: upload}, nil
}

// fromYCbCr reduces m by f into canonical planes.
func fromYCbCr(m *image.YCbCr, f int, ws *workspace) (planes, error) {
	mw, mh := m.Rect.Dx(), m.Rect.Dy()
	if m.Rect.Min != (image.Point{}) || mw == 0 || mh == 0 {
		return planes{}, unreadable("unexpected decoder output")
	}
	rx, ry := 1, 1
	switch m.SubsampleRatio {
	case image.YCbCrSubsampleRatio422:
		rx = 2
	case image.YCbCrSubsampleRatio420:
		rx, ry = 2, 2
	case image.YCbCrSubsampleRatio440:
		ry = 2
	case image.YCbCrSubsampleRatio411:
		rx = 4
	case image.YCbCrSubsampleRatio410:
		rx, ry = 4, 2
	}
	w, h := (mw+f-1)/f, (mh+f-1)/f
	p := planes{w: w, h: h, ys: w, cw: (w + 1) / 2, ch: (h + 1) / 2}
	p.cs = p.cw
	p.y = ws.b(bufY, w*h)
	resample(m.Y, mw, mh, m.YStride, p.y, w, h, w, f, 1)
	scw, sch := (mw+rx-1)/rx, (mh+ry-1)/ry
	p.cb = ws.b(bufCb, p.cw*p.ch)
	p.cr = ws.b(bufCr, p.cw*p.ch)
	resample2(m.Cb, scw, sch, m.CStride, p.cb, p.cw, p.ch, p.cs, 2*f, rx, 2*f, ry)
	resample2(m.Cr, scw, sch, m.CStride, p.cr, p.cw, p.ch, p.cs, 2*f, rx, 2*f, ry)
	return p, nil
}

// resample2 is resample with separate horizontal and vertical ratios.
func resample2(src []byte, sw, sh, ss int, dst []byte, dw, dh, ds int, nx, dx, ny, dy int) {
	if nx*dy == ny*dx {
		resample(src, sw, sh, ss, dst, dw, dh, ds, nx, dx)
		return
	}
	// Resample rows first into a temporary, then columns.
	tmp := make([]byte, dw*sh)
	resampleX(src, sw, sh, ss, tmp, dw, nx, dx)
	resampleY(tmp, dw, sh, dw, dst, dh, ds, ny, dy)
}

func resampleX(src []byte, sw, sh, ss int, dst []byte, dw, num, den int) {
	for y := 0; y < sh; y++ {
		resample(src[y*ss:], sw, 1, ss, dst[y*dw:], dw, 1, dw, num, den)
	}
}

func resampleY(src []byte, w, sh, ss int, dst []byte, dh, ds, num, den int) {
	// Transposing is not worth it at these sizes: walk column spans.
	for y := 0; y < dh; y++ {
		a := y * num / den
		b := (y + 1) * num / den
		if a >= sh {
			a = sh - 1
		}
		if b > sh {
			b = sh
		}
		if b <= a {
			b = a + 1
		}
		out := dst[y*ds : y*ds+w]
		for x := range out {
			var s int
			for k := a; k < b; k++ {
				s += int(src[k*ss+x])
			}
			out[x] = byte((s + (b-a)/2) / (b - a))
		}
	}
}

// fromGray reduces a gray image by f.
func fromGray(pix []byte, mw, mh, stride, f int, ws *workspace) planes {
	w, h := (mw+f-1)/f, (mh+f-1)/f
	p := planes{w: w, h: h, ys: w}
	p.y = ws.b(bufY, w*h)
	resample(pix, mw, mh, stride, p.y, w, h, w, f, 1)
	grayChroma(&p, ws)
	return p
}

// DefaultMaxDecodeBytes is the default pixel-memory budget of one decode:
// a worker runs several checks at once in a bounded container.
const DefaultMaxDecodeBytes = 256 << 20

// decodeCost is the pixel memory, in bytes, decoding an image with header
// hdr at reduction f takes:
//   - PNG is streamed (decode_png.go): the working-size sums and planes
//     (2 bytes a sum, 1 a plane byte; luma, plus two chroma planes at a
//     quarter), whatever the depth and channels of the file;
//   - JPEG with libjpeg-turbo is decoded at the reduced size, one byte per
//     component, plus the working planes;
//   - JPEG with image/jpeg (goJPEG) is decoded at full size, one byte per
//     component (an upper bound of its subsampled planes), plus the planes.
func decodeCost(hdr header, f int, goJPEG bool) int64 {
	w, h := int64((hdr.width+f-1)/f), int64((hdr.height+f-1)/f)
	planes := w*h + 2*((w+1)/2)*((h+1)/2)
	comps := int64(max(hdr.components, 1))
	switch {
	case hdr.format == formatPNG:
		return 3 * planes
	case goJPEG:
		return int64(hdr.width)*int64(hdr.height)*comps + planes
	}
	return w*h*comps + planes
}
