package authenticity

// The coefficient reader as it was before it was made faster (commit
// 3ca8f0f, authenticity/dct.go), kept as the reference that
// TestReaderMatchesReference and FuzzReadCoefficients compare the reader
// with. Two changes: refBuildHuff returns no table when the codes
// overflow their lengths (that is no Huffman table, and libjpeg refuses
// one too), where the original indexed past its 9-bit lookup and
// panicked, or for longer codes decoded as if the unreachable ones were
// not there; and the list of restart markers reserves room for at most
// as many as the data can hold (the original reserved one per MCU of
// the header's size, hundreds of megabytes for a forged header).

import (
	"bytes"
	"encoding/binary"
)

// refHuff is a Huffman decoding table: a 9-bit lookup for short codes and
// the canonical limits for the rest.
type refHuff struct {
	fast    [1 << 9]uint16 // (length << 8) | symbol, 0 when longer
	maxcode [18]int32      // largest code of each length, -1 when none
	valptr  [17]int32
	mincode [17]int32
	vals    []uint8
	// ac is, for AC tables, a 10-bit lookup of whole coefficients: a
	// code and its extra refBits that fit in 10 refBits. An entry packs the
	// value (refBits 16..31, signed), the run (8..11) and the total length
	// (0..7); 0 when they do not fit.
	ac [1 << refACBits]int32
}

// refACBits is the width of the AC coefficient lookup.
const refACBits = 10

// refBuildHuff builds the table of a DHT entry (counts per length 1..16,
// then the symbols).
func refBuildHuff(counts []byte, vals []byte) (*refHuff, error) {
	h := &refHuff{vals: append([]uint8(nil), vals...)}
	code, k := int32(0), int32(0)
	for l := 1; l <= 16; l++ {
		n := int32(counts[l-1])
		h.valptr[l] = k
		h.mincode[l] = code
		if n == 0 {
			h.maxcode[l] = -1
		} else {
			h.maxcode[l] = code + n - 1
			if h.maxcode[l] >= 1<<l {
				return nil, nil // the fix: no table (the original panicked for l ≤ 9)
			}
			if l <= 9 {
				for i := int32(0); i < n; i++ {
					c := code + i
					sh := uint(9 - l)
					for f := c << sh; f < (c+1)<<sh; f++ {
						h.fast[f] = uint16(l)<<8 | uint16(vals[k+i])
					}
				}
			}
		}
		code = (code + n) << 1
		k += n
		if int(k) > len(vals) {
			return nil, errUnsupported
		}
	}
	h.maxcode[17] = 1 << 30
	// The coefficient lookup: for each 10-bit prefix whose code is short
	// enough to leave room for its extra refBits.
	for p := 0; p < 1<<refACBits; p++ {
		e := h.fast[p>>(refACBits-9)]
		if e == 0 {
			continue
		}
		l, rs := int(e>>8), int(e&0xFF)
		run, size := rs>>4, rs&15
		if size == 0 || l+size > refACBits {
			continue
		}
		v := (p >> (refACBits - l - size)) & (1<<size - 1)
		if v < 1<<(size-1) {
			v -= 1<<size - 1
		}
		h.ac[p] = int32(v)<<16 | int32(run)<<8 | int32(l+size)
	}
	return h, nil
}

// refBits reads the entropy-coded data: acc holds n refBits, most significant
// first; a marker stops the reading (zeros are fed after it).
type refBits struct {
	d      []byte
	p      int
	acc    uint64
	n      uint
	marker bool
}

func (b *refBits) fill() {
	// Fast path: the next 8 bytes hold no 0xFF (no stuffing, no marker),
	// so the whole bytes that fit go in at once.
	if !b.marker && b.n <= 56 && b.p+8 <= len(b.d) {
		w := binary.BigEndian.Uint64(b.d[b.p:])
		if x := ^w; (x-0x0101010101010101)&^x&0x8080808080808080 == 0 {
			k := (64 - b.n) / 8
			b.acc |= w >> (64 - 8*k) << (64 - 8*k - b.n)
			b.p += int(k)
			b.n += 8 * k
			return
		}
	}
	for b.n <= 56 {
		var c byte
		if !b.marker && b.p < len(b.d) {
			c = b.d[b.p]
			if c == 0xFF {
				if b.p+1 < len(b.d) && b.d[b.p+1] == 0 {
					b.p += 2
				} else {
					b.marker, c = true, 0
				}
			} else {
				b.p++
			}
		}
		b.acc |= uint64(c) << (56 - b.n)
		b.n += 8
	}
}

// decode reads one Huffman symbol.
func (b *refBits) decode(h *refHuff) (uint8, bool) {
	if b.n < 16 {
		b.fill()
	}
	if e := h.fast[b.acc>>55]; e != 0 {
		l := uint(e >> 8)
		b.acc <<= l
		b.n -= l
		return uint8(e), true
	}
	for l := 10; l <= 16; l++ {
		c := int32(b.acc >> (64 - uint(l)))
		if c <= h.maxcode[l] {
			b.acc <<= uint(l)
			b.n -= uint(l)
			return h.vals[h.valptr[l]+c-h.mincode[l]], true
		}
	}
	return 0, false
}

// receive reads s refBits and extends their sign (T.81 F.2.2.1).
func (b *refBits) receive(s uint8) int32 {
	if s == 0 {
		return 0
	}
	if b.n < uint(s) {
		b.fill()
	}
	v := int32(b.acc >> (64 - uint(s)))
	b.acc <<= s
	b.n -= uint(s)
	if v < 1<<(s-1) {
		v -= 1<<s - 1
	}
	return v
}

// restart skips to the data after the next RSTn marker.
func (b *refBits) restart() {
	b.acc, b.n, b.marker = 0, 0, false
	for b.p+1 < len(b.d) {
		if b.d[b.p] == 0xFF && b.d[b.p+1] >= 0xD0 && b.d[b.p+1] <= 0xD7 {
			b.p += 2
			return
		}
		b.p++
	}
}

// refReadCoefficients reads the quantised DCT coefficients of a baseline
// (sequential, Huffman) JPEG with one interleaved scan, stopping after
// maxBlocks blocks of all components (0: no limit). It does no IDCT.
// When the budget does not hold the whole photo and the scan has restart
// markers, pick (when not nil) chooses the MCU rows to read and the
// reader seeks to them from marker to marker.
func refReadCoefficients(data []byte, maxBlocks int, pick rowPicker) (*coefImage, error) {
	if len(data) < 4 || data[0] != 0xFF || data[1] != 0xD8 {
		return nil, errUnsupported
	}
	var qt [4][64]uint16
	var dc, ac [4]*refHuff
	var img *coefImage
	var ids []byte
	var tq []int
	restartInterval := 0
	i := 2
	for i+4 <= len(data) {
		if data[i] != 0xFF {
			return nil, errUnsupported
		}
		mk := data[i+1]
		if mk == 0xFF {
			i++
			continue
		}
		i += 2
		if mk == 0xD8 || mk == 0x01 || (mk >= 0xD0 && mk <= 0xD7) {
			continue
		}
		if mk == 0xD9 {
			break
		}
		n := int(binary.BigEndian.Uint16(data[i:]))
		if n < 2 || i+n > len(data) {
			return nil, errUnsupported
		}
		seg := data[i+2 : i+n]
		switch {
		case mk == 0xDB:
			for len(seg) > 0 {
				prec, id := seg[0]>>4, seg[0]&3
				size := 65
				if prec == 1 {
					size = 129
				}
				if len(seg) < size {
					return nil, errUnsupported
				}
				for k := 0; k < 64; k++ {
					if prec == 1 {
						qt[id][k] = binary.BigEndian.Uint16(seg[1+2*k:])
					} else {
						qt[id][k] = uint16(seg[1+k])
					}
				}
				seg = seg[size:]
			}
		case mk == 0xC4:
			for len(seg) >= 17 {
				class, id := seg[0]>>4, seg[0]&3
				total := 0
				for _, c := range seg[1:17] {
					total += int(c)
				}
				if len(seg) < 17+total || total > 256 {
					return nil, errUnsupported
				}
				h, err := refBuildHuff(seg[1:17], seg[17:17+total])
				if err != nil {
					return nil, err
				}
				if class == 0 {
					dc[id] = h
				} else {
					ac[id] = h
				}
				seg = seg[17+total:]
			}
		case mk == 0xDD:
			if len(seg) >= 2 {
				restartInterval = int(binary.BigEndian.Uint16(seg))
			}
		case mk == 0xC0 || mk == 0xC1:
			if len(seg) < 6 || seg[0] != 8 {
				return nil, errUnsupported
			}
			img = &coefImage{height: int(binary.BigEndian.Uint16(seg[1:])), width: int(binary.BigEndian.Uint16(seg[3:]))}
			nc := int(seg[5])
			if nc < 1 || nc > 4 || len(seg) < 6+3*nc || img.width == 0 || img.height == 0 {
				return nil, errUnsupported
			}
			for k := 0; k < nc; k++ {
				c := seg[6+3*k:]
				h, v := int(c[1]>>4), int(c[1]&15)
				if h < 1 || h > 4 || v < 1 || v > 4 {
					return nil, errUnsupported
				}
				ids = append(ids, c[0])
				tq = append(tq, int(c[2]&3))
				img.comps = append(img.comps, coefComp{h: h, v: v})
				img.hmax, img.vmax = max(img.hmax, h), max(img.vmax, v)
			}
		case mk >= 0xC2 && mk <= 0xCF && mk != 0xC4 && mk != 0xC8 && mk != 0xCC:
			return nil, errUnsupported // progressive, lossless, arithmetic
		case mk == 0xDA:
			if img == nil {
				return nil, errUnsupported
			}
			return img, img.refScan(data[i+n:], seg, ids, tq, qt, dc, ac, restartInterval, maxBlocks, pick)
		}
		i += n
	}
	return nil, errUnsupported
}

// scan decodes the one scan, which must hold every component.
func (img *coefImage) refScan(d, sos []byte, ids []byte, tq []int, qt [4][64]uint16, dc, ac [4]*refHuff, ri, maxBlocks int, pick rowPicker) error {
	if len(sos) < 1 || int(sos[0]) != len(img.comps) || len(sos) < 1+2*len(img.comps)+3 {
		return errUnsupported
	}
	if sos[1+2*len(img.comps)] != 0 || sos[2+2*len(img.comps)] != 63 {
		return errUnsupported
	}
	tabs := make([][2]*refHuff, len(img.comps)) // per component: DC, AC
	for k := range img.comps {
		id, t := sos[1+2*k], sos[2+2*k]
		if id != ids[k] || dc[t>>4&3] == nil || ac[t&3] == nil {
			return errUnsupported
		}
		tabs[k] = [2]*refHuff{dc[t>>4&3], ac[t&3]}
	}
	single := len(img.comps) == 1
	mcuw, mcuh := 8*img.hmax, 8*img.vmax
	mx, my := (img.width+mcuw-1)/mcuw, (img.height+mcuh-1)/mcuh
	if single {
		img.comps[0].h, img.comps[0].v = 1, 1
		mcuw, mcuh = 8, 8
		mx, my = (img.width+7)/8, (img.height+7)/8
	}
	perMCU := 0
	for k := range img.comps {
		perMCU += img.comps[k].h * img.comps[k].v
	}
	// Keep room only for the MCU rows the budget lets us read.
	rowsRead := my
	if maxBlocks > 0 {
		rowsRead = min(my, (maxBlocks+mx*perMCU-1)/(mx*perMCU))
	}
	img.my = my
	rows := make([]int, 0, rowsRead)
	if rowsRead < my && ri > 0 && ri <= 2*mx && pick != nil {
		for _, y := range pick(mcuh, my, rowsRead) {
			if y >= 0 && y < my && (len(rows) == 0 || y > rows[len(rows)-1]) {
				rows = append(rows, y)
			}
		}
		img.sampled = true
	} else {
		for y := range rowsRead {
			rows = append(rows, y)
		}
	}
	img.mcuRows = rows
	for k := range img.comps {
		c := &img.comps[k]
		c.q = qt[tq[k]]
		c.bw, c.bh = mx*c.h, my*c.v
		c.c = make([]int16, c.bw*len(rows)*c.v*nfreq)
		c.rows = len(rows) * c.v
	}
	pred := make([]int32, len(img.comps))
	if !img.sampled {
		return img.refDecodeMCUs(&refBits{d: d}, tabs, pred, 0, len(rows)*mx, ri, true, ownRow)
	}
	// Restart markers: segment s holds MCUs s·ri … (s+1)·ri-1 and starts
	// after the s-th marker. Find the markers once, then read each chosen
	// row from the segment holding its first MCU.
	starts := make([]int, 1, min((mx*my+ri-1)/ri, len(d)/2+1)) // a marker takes 2 bytes
	for p := 0; p+1 < len(d); p += 2 {
		j := bytes.IndexByte(d[p:len(d)-1], 0xFF)
		if j < 0 {
			break
		}
		p += j
		if m := d[p+1]; m >= 0xD0 && m <= 0xD7 {
			starts = append(starts, p+2)
		} else if m != 0 && m != 0xFF {
			break // the end of the scan
		} else if m == 0xFF {
			p-- // fill bytes: look at the next one again
		}
	}
	var b *refBits
	next := -1 // the next MCU b would read
	for si, y := range rows {
		first := y * mx
		s := first / ri
		if s >= len(starts) {
			return errUnsupported
		}
		if b == nil || next < s*ri || next > first {
			// Seek to the segment holding the row's first MCU.
			b = &refBits{d: d[starts[s]:]}
			clear(pred)
			if err := img.refDecodeMCUs(b, tabs, pred, s*ri, first-s*ri, ri, true, skipRow); err != nil {
				return err
			}
			if err := img.refDecodeMCUs(b, tabs, pred, first, mx, ri, first == s*ri, si); err != nil {
				return err
			}
		} else {
			// The row follows in the segment b is reading.
			if err := img.refDecodeMCUs(b, tabs, pred, next, first-next, ri, false, skipRow); err != nil {
				return err
			}
			if err := img.refDecodeMCUs(b, tabs, pred, first, mx, ri, false, si); err != nil {
				return err
			}
		}
		next = first + mx
	}
	return nil
}

// refDecodeMCUs reads n MCUs from b, the first being MCU number at of the
// photo, and stores them as store says. At a multiple of the restart
// interval ri it skips to the next marker, except before the first MCU
// when fresh (b starts just after that marker).
func (img *coefImage) refDecodeMCUs(b *refBits, tabs [][2]*refHuff, pred []int32, at, n, ri int, fresh bool, store int) error {
	mx := img.comps[0].bw / img.comps[0].h
	var scratch [nfreq]int16 // the blocks read past
	for m := at; m < at+n; m++ {
		if ri > 0 && m > 0 && m%ri == 0 && !(fresh && m == at) {
			b.restart()
			clear(pred)
		}
		x, sy := m%mx, m/mx
		if store != ownRow {
			sy = store
		}
		for k := range img.comps {
			c := &img.comps[k]
			for v := 0; v < c.v; v++ {
				for h := 0; h < c.h; h++ {
					dst := &scratch
					if sy >= 0 {
						o := ((sy*c.v+v)*c.bw + x*c.h + h) * nfreq
						dst = (*[nfreq]int16)(c.c[o : o+nfreq])
					}
					if !b.refBlock(tabs[k][0], tabs[k][1], &pred[k], dst) {
						return errUnsupported
					}
				}
			}
		}
	}
	return nil
}

// block decodes one 8×8 block's coefficients and keeps the first nfreq
// (zig-zag order) in blk.
func (b *refBits) refBlock(dct, act *refHuff, pred *int32, blk *[nfreq]int16) bool {
	*blk = [nfreq]int16{}
	s, ok := b.decode(dct)
	if !ok || s > 15 {
		return false
	}
	*pred += b.receive(s)
	blk[0] = int16(*pred)
	for k := 1; k < 64; {
		if b.n < 16 {
			b.fill()
		}
		if e := act.ac[b.acc>>(64-refACBits)]; e != 0 {
			l := uint(e & 0xFF)
			b.acc <<= l
			b.n -= l
			k += int(e>>8) & 15
			if k < nfreq {
				blk[k] = int16(e >> 16)
			}
			k++
			continue
		}
		rs, ok := b.decode(act)
		if !ok {
			return false
		}
		r, s := int(rs>>4), rs&15
		if s == 0 {
			if r != 15 {
				return true
			}
			k += 16
			continue
		}
		k += r
		v := b.receive(s)
		if k < nfreq {
			blk[k] = int16(v)
		}
		k++
	}
	return true
}

// refDQHistograms is dqHistograms as it was: a pass over the kept
// coefficients.
func refDQHistograms(c *coefComp) [nfreq][]float64 {
	var cnt [nfreq][dqHistMax + 1]int32
	n := c.rows * c.bw
	for b := 0; b < n; b++ {
		blk := c.c[b*nfreq : b*nfreq+nfreq]
		for f := 1; f < nfreq; f++ {
			v := int(blk[f])
			if v < 0 {
				v = -v
			}
			if v <= dqHistMax {
				cnt[f][v]++
			}
		}
	}
	var h [nfreq][]float64
	for f := range h {
		h[f] = make([]float64, dqHistMax+1)
		for k, v := range cnt[f] {
			h[f][k] = float64(v)
		}
	}
	return h
}
