package imagecheck

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
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
	var p planes
	switch hdr.format {
	case formatJPEG:
		if opts.PureGo {
			p, err = decodeJPEGGo(data, hdr, f, ws)
		} else {
			p, err = decodeJPEG(data, hdr, f, ws)
		}
	case formatPNG:
		p, err = decodePNG(data, f, ws)
	}
	if err != nil {
		return decoded{}, err
	}
	p = finish(p, hdr.orientation, ws)
	w, h := orientedSize(hdr.width, hdr.height, hdr.orientation)
	return decoded{p: p, hdr: hdr, w: w, h: h, factor: f, data: data}, nil
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

func decodePNG(data []byte, f int, ws *workspace) (p planes, err error) {
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		return planes{}, unreadable("png: %v", err)
	}
	b := img.Bounds()
	mw, mh := b.Dx(), b.Dy()
	if mw == 0 || mh == 0 {
		return planes{}, unreadable("png: empty image")
	}
	if g, ok := img.(*image.Gray); ok && b.Min == (image.Point{}) {
		return fromGray(g.Pix, mw, mh, g.Stride, f, ws), nil
	}
	// Convert to full-resolution 4:4:4 planes, then reduce.
	full := &image.YCbCr{
		Y: ws.b(bufY2, mw*mh), Cb: ws.b(bufCb2, mw*mh), Cr: ws.b(bufCr2, mw*mh),
		YStride: mw, CStride: mw, SubsampleRatio: image.YCbCrSubsampleRatio444,
		Rect: image.Rect(0, 0, mw, mh),
	}
	toYCbCr(img, full)
	return fromYCbCr(full, f, ws)
}

// toYCbCr converts img into the 4:4:4 image dst of the same size.
func toYCbCr(img image.Image, dst *image.YCbCr) {
	b := img.Bounds()
	w := b.Dx()
	switch m := img.(type) {
	case *image.NRGBA:
		for y := 0; y < b.Dy(); y++ {
			row := m.Pix[y*m.Stride : y*m.Stride+4*w]
			o := y * dst.YStride
			for x := 0; x < w; x++ {
				yy, cb, cr := color.RGBToYCbCr(row[4*x], row[4*x+1], row[4*x+2])
				dst.Y[o+x], dst.Cb[o+x], dst.Cr[o+x] = yy, cb, cr
			}
		}
	case *image.RGBA:
		for y := 0; y < b.Dy(); y++ {
			row := m.Pix[y*m.Stride : y*m.Stride+4*w]
			o := y * dst.YStride
			for x := 0; x < w; x++ {
				yy, cb, cr := color.RGBToYCbCr(row[4*x], row[4*x+1], row[4*x+2])
				dst.Y[o+x], dst.Cb[o+x], dst.Cr[o+x] = yy, cb, cr
			}
		}
	default:
		for y := 0; y < b.Dy(); y++ {
			o := y * dst.YStride
			for x := 0; x < w; x++ {
				r, g, bb, _ := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
				yy, cb, cr := color.RGBToYCbCr(uint8(r>>8), uint8(g>>8), uint8(bb>>8))
				dst.Y[o+x], dst.Cb[o+x], dst.Cr[o+x] = yy, cb, cr
			}
		}
	}
}
