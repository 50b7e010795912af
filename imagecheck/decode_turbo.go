//go:build cgo && !noturbo

package imagecheck

import (
	"sync"

	"github.com/kycq/kycq/imagecheck/turbojpeg"
)

// decoderName names the JPEG decoder of this build.
const decoderName = "turbojpeg"

var turboDecoders = sync.Pool{New: func() any {
	d, err := turbojpeg.NewDecoder()
	if err != nil {
		return nil
	}
	return d
}}

// minReducedFactor is the smallest scale the reduced decoder is used at:
// at ½ each coefficient feeds 16 output pixels and it is no faster than
// libjpeg-turbo (BenchmarkDistribution, 2mp-q85-95 against
// 2mp-q85-95-libjpeg); at ¼ it feeds 4 and the decode takes about a
// quarter less CPU.
const minReducedFactor = 4

// decodeJPEG decodes with libjpeg-turbo, scaled by 1/f in the DCT domain,
// straight into Y/Cb/Cr planes (no colour conversion). With reduced, a
// baseline JPEG scaled by minReducedFactor or more goes through the
// reduced decoder first (turbojpeg.DecodeScaled), libjpeg-turbo taking
// what it refuses.
func decodeJPEG(data []byte, hdr header, f int, reduced bool, ws *workspace) (planes, error) {
	// Only a JPEG reduced enough goes through the reduced decoder
	// (baseline or progressive).
	reduced = reduced && f >= minReducedFactor
	d, _ := turboDecoders.Get().(*turbojpeg.Decoder)
	if d == nil {
		return planes{}, unreadable("jpeg: decoder unavailable")
	}
	defer turboDecoders.Put(d)
	th, err := d.Header(data)
	if err != nil {
		return planes{}, unreadable("jpeg: %v", err)
	}
	if th.Width != hdr.width || th.Height != hdr.height {
		return planes{}, unreadable("jpeg: inconsistent header")
	}
	var rx, ry int
	switch th.Subsamp {
	case turbojpeg.Samp444:
		rx, ry = 1, 1
	case turbojpeg.Samp422:
		rx, ry = 2, 1
	case turbojpeg.Samp420:
		rx, ry = 2, 2
	case turbojpeg.Samp440:
		rx, ry = 1, 2
	case turbojpeg.Samp411:
		rx, ry = 4, 1
	case turbojpeg.SampGray:
	default:
		return planes{}, unreadable("jpeg: unsupported subsampling")
	}
	switch th.Colorspace {
	case turbojpeg.CSYCbCr, turbojpeg.CSGray:
	default:
		return planes{}, unreadable("jpeg: unsupported colour space")
	}
	w, h := turbojpeg.ScaledSize(hdr.width, f), turbojpeg.ScaledSize(hdr.height, f)
	yw, yh := turbojpeg.PlaneSize(0, w, h, th.Subsamp)
	p := planes{w: w, h: h, ys: yw}
	p.y = ws.b(bufY, yw*yh)
	if th.Subsamp == turbojpeg.SampGray {
		if reduced && d.DecodeScaled(data, f, p.y, nil, nil, yw, 0, yw, yh, 0, 0) {
			grayChroma(&p, ws)
			return p, nil
		}
		if err := d.DecodePlanes(data, w, h, p.y, nil, nil, yw, 0, th.Subsamp); err != nil {
			return planes{}, unreadable("jpeg: %v", err)
		}
		grayChroma(&p, ws)
		return p, nil
	}
	cw, ch := turbojpeg.PlaneSize(1, w, h, th.Subsamp)
	p.cw, p.ch = (w+1)/2, (h+1)/2
	if th.Subsamp == turbojpeg.Samp420 && cw == p.cw {
		p.cs = cw
		p.cb = ws.b(bufCb, cw*ch)
		p.cr = ws.b(bufCr, cw*ch)
		if reduced {
			// Planes of whole 16×16 MCUs at ¼ reduced by 4 are the
			// MCUs' means: the decoder writes smallPlanes' planes too.
			var s turbojpeg.Small
			if f == 4 && w%4 == 0 && h%4 == 0 && yw == w && smallFactor(w, h) == 4 {
				s = turbojpeg.Small{W: w / 4, H: h / 4}
				s.Y, s.Cb, s.Cr = ws.b(bufSmall, s.W*s.H), ws.b(bufSmallCb, s.W*s.H), ws.b(bufSmallCr, s.W*s.H)
			}
			if ok, smallOK := d.DecodeScaledSmall(data, f, p.y, p.cb, p.cr, yw, cw, yw, yh, cw, ch, s); ok {
				if smallOK {
					p.small = [3][]byte{s.Y, s.Cb, s.Cr}
				}
				return p, nil
			}
		}
		if err := d.DecodePlanes(data, w, h, p.y, p.cb, p.cr, yw, cw, th.Subsamp); err != nil {
			return planes{}, unreadable("jpeg: %v", err)
		}
		return p, nil
	}
	rawCb, rawCr := ws.b(bufCb2, cw*ch), ws.b(bufCr2, cw*ch)
	if !reduced || !d.DecodeScaled(data, f, p.y, rawCb, rawCr, yw, cw, yw, yh, cw, ch) {
		if err := d.DecodePlanes(data, w, h, p.y, rawCb, rawCr, yw, cw, th.Subsamp); err != nil {
			return planes{}, unreadable("jpeg: %v", err)
		}
	}
	p.cs = p.cw
	p.cb = ws.b(bufCb, p.cw*p.ch)
	p.cr = ws.b(bufCr, p.cw*p.ch)
	// Source chroma dimensions of the scaled image, as the decoder wrote them.
	scw, sch := (w+rx-1)/rx, (h+ry-1)/ry
	resample2(rawCb, scw, sch, cw, p.cb, p.cw, p.ch, p.cs, 2, rx, 2, ry)
	resample2(rawCr, scw, sch, cw, p.cr, p.cw, p.ch, p.cs, 2, rx, 2, ry)
	return p, nil
}
