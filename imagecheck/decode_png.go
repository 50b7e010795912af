package imagecheck

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image/color"
	"io"
)

// PNG decoding streams the pixels into the working-resolution planes: the
// zlib stream is inflated one row at a time, each row unfiltered against
// the previous one and reduced into box-filter accumulators of the working
// size. What a PNG costs is then two rows of the file plus the working
// planes, whatever its depth and channels: a 16-bit RGBA image of 60 MP
// (480 MB once decoded by image/png) is read in a few MB.
//
// The values are those of image/png followed by a box reduction: samples
// of 16 bits keep their high byte, samples of 1, 2 or 4 bits are scaled to
// 8, colours go through color.RGBToYCbCr, and alpha is ignored (the RGB
// values are taken as they are, as for 8-bit images before).

// pngInfo is what the chunks before the pixels say.
type pngInfo struct {
	w, h       int
	depth      int // bits per sample: 1, 2, 4, 8 or 16
	colour     byte
	interlaced bool
	palette    [][3]byte
	trns       bool
	idat       []io.Reader
}

// channels returns the samples per pixel of a PNG colour type.
func (p *pngInfo) channels() int {
	switch p.colour {
	case 2:
		return 3
	case 4:
		return 2
	case 6:
		return 4
	}
	return 1 // 0 gray, 3 palette index
}

// gray reports whether image/png would give an *image.Gray, which the
// checks treat as a source without chroma.
func (p *pngInfo) gray() bool { return p.colour == 0 && p.depth <= 8 && !p.trns }

// parsePNG walks the chunks: IHDR, PLTE, tRNS and the IDAT sequence, with
// their CRCs checked; it keeps the IDAT data in place.
func parsePNG(data []byte) (*pngInfo, error) {
	if !bytes.HasPrefix(data, pngMagic) {
		return nil, unreadable("png: bad signature")
	}
	p := &pngInfo{}
	rest := data[len(pngMagic):]
	seenIHDR, seenIEND := false, false
	for len(rest) > 0 && !seenIEND {
		if len(rest) < 12 {
			return nil, unreadable("png: truncated chunk")
		}
		n := binary.BigEndian.Uint32(rest)
		if n > uint32(len(rest)-12) {
			return nil, unreadable("png: truncated chunk")
		}
		typ, body := string(rest[4:8]), rest[8:8+n]
		if crc32.ChecksumIEEE(rest[4:8+n]) != binary.BigEndian.Uint32(rest[8+n:]) {
			return nil, unreadable("png: bad checksum in %q", typ)
		}
		rest = rest[12+n:]
		if !seenIHDR && typ != "IHDR" {
			return nil, unreadable("png: missing IHDR")
		}
		switch typ {
		case "IHDR":
			if seenIHDR || len(body) != 13 {
				return nil, unreadable("png: bad IHDR")
			}
			seenIHDR = true
			if err := p.header(body); err != nil {
				return nil, err
			}
		case "PLTE":
			if len(body)%3 != 0 || len(body) == 0 || len(body) > 3*256 {
				return nil, unreadable("png: bad palette")
			}
			p.palette = make([][3]byte, len(body)/3)
			for i := range p.palette {
				copy(p.palette[i][:], body[3*i:])
			}
		case "tRNS":
			p.trns = true
		case "IDAT":
			p.idat = append(p.idat, bytes.NewReader(body))
		case "IEND":
			seenIEND = true
		}
	}
	switch {
	case !seenIHDR:
		return nil, unreadable("png: missing IHDR")
	case len(p.idat) == 0:
		return nil, unreadable("png: no image data")
	case p.colour == 3 && len(p.palette) == 0:
		return nil, unreadable("png: palette image without a palette")
	}
	return p, nil
}

// header reads IHDR.
func (p *pngInfo) header(b []byte) error {
	w, h := binary.BigEndian.Uint32(b), binary.BigEndian.Uint32(b[4:])
	if w == 0 || h == 0 || w > 1<<24 || h > 1<<24 {
		return unreadable("png: bad width or height")
	}
	p.w, p.h, p.depth, p.colour = int(w), int(h), int(b[8]), b[9]
	ok := false
	switch p.colour {
	case 0:
		ok = p.depth == 1 || p.depth == 2 || p.depth == 4 || p.depth == 8 || p.depth == 16
	case 3:
		ok = p.depth == 1 || p.depth == 2 || p.depth == 4 || p.depth == 8
	case 2, 4, 6:
		ok = p.depth == 8 || p.depth == 16
	}
	if !ok {
		return unreadable("png: bad colour type %d with depth %d", p.colour, p.depth)
	}
	if b[10] != 0 || b[11] != 0 || b[12] > 1 {
		return unreadable("png: unknown compression, filter or interlace method")
	}
	p.interlaced = b[12] == 1
	return nil
}

// adam7 lists the passes of Adam7 interlacing: the first column and row
// of each pass, and the steps between them.
var adam7 = [7]struct{ x0, y0, dx, dy int }{
	{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2},
}

// pngReducer sums the pixels of a mw×mh image into the bins of a reduction
// by f (luma) and 2f (chroma), and writes the averaged planes.
type pngReducer struct {
	f, mw, mh int
	p         planes
	y, cb, cr []uint16 // sums; a bin has at most (2·8)²·255 < 65536
	bx, cx    []int32  // bin column of each source column, luma and chroma
	gray      bool
}

func newPNGReducer(mw, mh, f int, gray bool, ws *workspace) *pngReducer {
	w, h := (mw+f-1)/f, (mh+f-1)/f
	r := &pngReducer{f: f, mw: mw, mh: mh, gray: gray,
		p: planes{w: w, h: h, ys: w, cw: (w + 1) / 2, ch: (h + 1) / 2}}
	r.p.cs = r.p.cw
	r.y = make([]uint16, w*h)
	r.bx, r.cx = make([]int32, mw), make([]int32, mw)
	for x := range mw {
		r.bx[x], r.cx[x] = int32(x/f), int32(x/(2*f))
	}
	if !gray {
		r.cb, r.cr = make([]uint16, r.p.cw*r.p.ch), make([]uint16, r.p.cw*r.p.ch)
	}
	return r
}

// planes averages the sums into the workspace's planes.
func (r *pngReducer) planes(ws *workspace) planes {
	p := r.p
	p.y = ws.b(bufY, p.w*p.h)
	average(r.y, p.y, p.w, p.h, r.f, r.mw, r.mh)
	if r.gray {
		grayChroma(&p, ws)
		return p
	}
	p.cb = ws.b(bufCb, p.cw*p.ch)
	p.cr = ws.b(bufCr, p.cw*p.ch)
	average(r.cb, p.cb, p.cw, p.ch, 2*r.f, r.mw, r.mh)
	average(r.cr, p.cr, p.cw, p.ch, 2*r.f, r.mw, r.mh)
	return p
}

// average divides the sums of bins of f×f source pixels (fewer at the
// right and bottom edges) by their counts, rounding as boxDown does.
func average(sum []uint16, dst []byte, w, h, f, mw, mh int) {
	for by := range h {
		rows := uint32(min(f, mh-by*f))
		for bx := range w {
			n := rows * uint32(min(f, mw-bx*f))
			dst[by*w+bx] = byte((uint32(sum[by*w+bx]) + n/2) / n)
		}
	}
}

// decodePNG decodes data into planes reduced by f, streaming (see above).
func decodePNG(data []byte, f int, ws *workspace) (planes, error) {
	info, err := parsePNG(data)
	if err != nil {
		return planes{}, err
	}
	z, err := zlib.NewReader(io.MultiReader(info.idat...))
	if err != nil {
		return planes{}, unreadable("png: %v", err)
	}
	defer z.Close()
	r := newPNGReducer(info.w, info.h, f, info.gray(), ws)
	bitsPP := info.channels() * info.depth
	bpp := max(1, bitsPP/8) // bytes per pixel for the filters
	rowMax := (info.w*bitsPP + 7) / 8
	cur, prev := make([]byte, 1+rowMax), make([]byte, 1+rowMax)
	passes := adam7[:]
	if !info.interlaced {
		passes = []struct{ x0, y0, dx, dy int }{{0, 0, 1, 1}}
	}
	for _, ps := range passes {
		pw := (info.w - ps.x0 + ps.dx - 1) / ps.dx
		ph := (info.h - ps.y0 + ps.dy - 1) / ps.dy
		if pw <= 0 || ph <= 0 {
			continue
		}
		n := 1 + (pw*bitsPP+7)/8
		clear(prev[:n])
		for py := range ph {
			if _, err := io.ReadFull(z, cur[:n]); err != nil {
				return planes{}, unreadable("png: truncated image data")
			}
			if err := unfilter(cur[:n], prev[:n], bpp); err != nil {
				return planes{}, err
			}
			r.row(info, cur[1:n], pw, ps.y0+py*ps.dy, ps.x0, ps.dx)
			cur, prev = prev, cur
		}
	}
	return r.planes(ws), nil
}

// unfilter undoes the PNG filter of one row (its first byte) in place,
// given the previous unfiltered row of the same pass.
func unfilter(cur, prev []byte, bpp int) error {
	c, p := cur[1:], prev[1:]
	switch cur[0] {
	case 0:
	case 1: // sub
		for i := bpp; i < len(c); i++ {
			c[i] += c[i-bpp]
		}
	case 2: // up
		for i := range c {
			c[i] += p[i]
		}
	case 3: // average
		for i := range bpp {
			c[i] += p[i] / 2
		}
		for i := bpp; i < len(c); i++ {
			c[i] += byte((int(c[i-bpp]) + int(p[i])) / 2)
		}
	case 4: // Paeth
		for i := range bpp {
			c[i] += p[i]
		}
		for i := bpp; i < len(c); i++ {
			c[i] += paeth(c[i-bpp], p[i], p[i-bpp])
		}
	default:
		return unreadable("png: bad filter type %d", cur[0])
	}
	return nil
}

func paeth(a, b, c byte) byte {
	pa := abs(int(b) - int(c))
	pb := abs(int(a) - int(c))
	pc := abs(int(a) + int(b) - 2*int(c))
	switch {
	case pa <= pb && pa <= pc:
		return a
	case pb <= pc:
		return b
	}
	return c
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// row adds one unfiltered row of pw pixels, image row y, whose pixels sit
// at columns x0, x0+dx, ...
func (r *pngReducer) row(info *pngInfo, px []byte, pw, y, x0, dx int) {
	yr := (y / r.f) * r.p.w
	cr := (y / (2 * r.f)) * r.p.cw
	add := func(x int, rr, gg, bb byte, grayV bool) {
		if grayV || r.gray {
			r.y[yr+int(r.bx[x])] += uint16(rr)
			if !r.gray {
				r.cb[cr+int(r.cx[x])] += 128
				r.cr[cr+int(r.cx[x])] += 128
			}
			return
		}
		yy, cb, cc := color.RGBToYCbCr(rr, gg, bb)
		r.y[yr+int(r.bx[x])] += uint16(yy)
		r.cb[cr+int(r.cx[x])] += uint16(cb)
		r.cr[cr+int(r.cx[x])] += uint16(cc)
	}
	x := x0
	switch {
	case info.depth < 8: // gray or palette, packed
		bits := info.depth
		mask := byte(1<<bits - 1)
		scale := byte(255 / int(mask))
		for i := range pw {
			bit := i * bits
			v := px[bit/8] >> (8 - bits - bit%8) & mask
			if info.colour == 3 {
				c := paletteAt(info, v)
				add(x, c[0], c[1], c[2], false)
			} else {
				add(x, v*scale, 0, 0, true)
			}
			x += dx
		}
	default:
		step := info.depth / 8 // bytes per sample; the high byte comes first
		ch := info.channels()
		for i := range pw {
			s := px[i*ch*step:]
			switch info.colour {
			case 0, 4:
				add(x, s[0], 0, 0, true)
			case 3:
				c := paletteAt(info, s[0])
				add(x, c[0], c[1], c[2], false)
			default: // 2, 6
				add(x, s[0], s[step], s[2*step], false)
			}
			x += dx
		}
	}
}

// paletteAt returns palette entry i; an index past the end reads as
// opaque black, as image/png reads it.
func paletteAt(info *pngInfo, i byte) [3]byte {
	if int(i) < len(info.palette) {
		return info.palette[i]
	}
	return [3]byte{}
}
