package authenticity

import (
	"bytes"
	"encoding/binary"
	"errors"
	"sync"
)

// nfreq is how many coefficients of each 8×8 block (in zig-zag order, DC
// first) the coefficient reader keeps: the low frequencies, where a
// previous compression leaves its clearest trace.
const nfreq = 16

// coefComp is one component's quantised DCT coefficients.
type coefComp struct {
	// h, v are the sampling factors; bw, bh the blocks per row and
	// column the scan covers.
	h, v, bw, bh int
	// q is the quantisation table, zig-zag order.
	q [64]uint16
	// c holds, per block in raster order, its first nfreq coefficients
	// (quantised, zig-zag order).
	c []int16
	// rows is how many block rows are held in c (the reader stops at its
	// budget); coefImage.mcuRows says which rows of the photo they are.
	rows int
	// hist counts the AC magnitudes of the blocks held, as they are read
	// (dqHistograms).
	hist coefHist
}

// coefImage is what readCoefficients returns.
type coefImage struct {
	width, height int // stored (not EXIF-turned) size
	hmax, vmax    int
	comps         []coefComp
	// mcuRows are the photo's MCU rows held, in order: the first ones
	// when the scan is read from the top, rows spread over the photo
	// when restart markers let the reader seek (sampled).
	mcuRows []int
	my      int // MCU rows in the photo
	sampled bool
	junk    coefHist // the counts of the blocks read past
}

// coefBuffers keeps the coefficient slices of finished reads
// (coefImage.release) for the next: every block read is written whole,
// so they need no clearing, and a 12 MP photo's 1.5 MB are not
// allocated (and zeroed) anew for each photo.
var coefBuffers sync.Pool

// coefBuffer returns a slice of n values, from coefBuffers when one is
// large enough.
func coefBuffer(n int) []int16 {
	if p, ok := coefBuffers.Get().(*[]int16); ok && cap(*p) >= n {
		return (*p)[:n]
	}
	return make([]int16, n)
}

// release hands the coefficient slices back to coefBuffers: img must
// not be read after.
func (img *coefImage) release() {
	for k := range img.comps {
		if c := img.comps[k].c; cap(c) > 0 {
			coefBuffers.Put(&c)
		}
		img.comps[k].c = nil
	}
}

// rowPicker chooses, for a scan with restart markers, which MCU rows
// (each mcuh stored pixels high, my in all) to read when the budget
// holds only budget of them; sorted, without repeats.
type rowPicker func(mcuh, my, budget int) []int

// errUnsupported reports a JPEG the coefficient reader does not read
// (progressive, arithmetic, 12-bit, multi-scan baseline).
var errUnsupported = errors.New("authenticity: unsupported JPEG for coefficient analysis")

// huff is a Huffman decoding table: a tabBits-bit lookup that decodes a
// whole coefficient (its code and, when they fit, its extra bits) at
// once, and, for longer codes, a 9-bit lookup and the canonical limits.
type huff struct {
	// tab is indexed by the next tabBits bits.
	tab     [1 << tabBits]uint32 // see tabEntry
	fast    [1 << 9]uint16       // (length << 8) | symbol, 0 when longer
	maxcode [18]int32            // largest code of each length, -1 when none
	valptr  [17]int32
	mincode [17]int32
	vals    []uint8
}

// tabBits is the width of the coefficient lookup (4 KiB a table).
const tabBits = 10

// A lookup entry packs, from the low bits: the bits it consumes (4
// bits: the code, plus the extra bits when they fit), entRare (the
// value is not packed: the code is longer than tabBits, or its extra
// bits do not fit), the extra bits still to read (4 bits), how far the
// coefficient index moves (7 bits: run+1, 16 for a run of 16 zeros, 64
// for the end of the block) and the value (16 bits, signed).
func tabEntry(consumed, pending, step int, v int32) uint32 {
	e := uint32(consumed) | uint32(pending)<<5 | uint32(step)<<9 | uint32(v)<<16
	if pending > 0 {
		e |= entRare
	}
	return e
}

// entRare marks an entry the slow path reads; an entry of only entRare
// starts no code of at most tabBits bits.
const entRare = 1 << 4

// extend turns s received bits into the coefficient they code (T.81
// F.2.2.1).
func extend(x uint64, s uint) int32 {
	v := int32(x)
	if v < 1<<(s-1) {
		v -= 1<<s - 1
	}
	return v
}

// buildHuff builds the table of a DHT entry (counts per length 1..16,
// then the symbols) of class dc or AC. It returns no table (nil, nil)
// when the codes overflow their lengths: that is not a Huffman table,
// and a scan that uses it is not read.
func buildHuff(counts []byte, vals []byte, dc bool) (*huff, error) {
	h := &huff{vals: append([]uint8(nil), vals...)}
	for p := range h.tab {
		h.tab[p] = entRare
	}
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
				return nil, nil
			}
			for i := int32(0); i < n; i++ {
				c, sym := code+i, vals[k+i]
				if l <= 9 {
					for f := c << (9 - l); f < (c+1)<<(9-l); f++ {
						h.fast[f] = uint16(l)<<8 | uint16(sym)
					}
				}
				if l <= tabBits {
					for p := c << (tabBits - l); p < (c+1)<<(tabBits-l); p++ {
						h.tab[p] = lookupEntry(int(p), l, sym, dc)
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
	return h, nil
}

// lookupEntry is the entry of the tabBits-bit prefix p that starts with
// a code of l bits for symbol sym.
func lookupEntry(p, l int, sym uint8, dc bool) uint32 {
	run, size, step := int(sym>>4), int(sym&15), int(sym>>4)+1
	if dc {
		if sym > 15 {
			return entRare // not a DC category: the slow path reports it
		}
		run, size, step = 0, int(sym), 1
	} else if size == 0 {
		step = 64 // end of block
		if run == 15 {
			step = 16 // sixteen zeros
		}
	}
	if size == 0 {
		return tabEntry(l, 0, step, 0)
	}
	if l+size > tabBits {
		return tabEntry(l, size, step, 0)
	}
	x := uint64(p>>(tabBits-l-size)) & (1<<size - 1)
	return tabEntry(l+size, 0, step, extend(x, uint(size)))
}

// decodeSlow decodes the symbol at the top of acc (T.81 F.2.2.3): its
// value and code length.
func (h *huff) decodeSlow(acc uint64) (uint8, uint, bool) {
	if e := h.fast[acc>>55]; e != 0 {
		return uint8(e), uint(e >> 8), true
	}
	for l := 10; l <= 16; l++ {
		c := int32(acc >> (64 - uint(l)))
		if c <= h.maxcode[l] {
			return h.vals[h.valptr[l]+c-h.mincode[l]], uint(l), true
		}
	}
	return 0, 0, false
}

// bits reads the entropy-coded data: acc holds n bits, most significant
// first; a marker stops the reading (zeros are fed after it). Past the n
// bits, acc may hold the first bits of the byte at p (never 0xFF): a
// refill ORs the same bits there again.
type bits struct {
	d      []byte
	p      int
	acc    uint64
	n      uint
	marker bool
}

// refill returns acc and n with at least 56 bits. When the next 8 bytes
// hold no 0xFF (no stuffing, no marker), the whole bytes that fit go in
// at once.
func (b *bits) refill(acc uint64, n uint) (uint64, uint) {
	if b.p+8 <= len(b.d) {
		w := binary.BigEndian.Uint64(b.d[b.p:])
		if x := ^w; (x-0x0101010101010101)&^x&0x8080808080808080 == 0 {
			b.p += int((63 - n) >> 3)
			return acc | w>>n, n | 56
		}
	}
	b.acc, b.n = acc, n
	b.fill()
	return b.acc, b.n
}

// fill adds bytes one at a time until acc holds more than 56 bits,
// unstuffing 0xFF00 and stopping at a marker.
func (b *bits) fill() {
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

// restart skips to the data after the next RSTn marker.
func (b *bits) restart() {
	b.acc, b.n, b.marker = 0, 0, false
	for b.p+1 < len(b.d) {
		if b.d[b.p] == 0xFF && b.d[b.p+1] >= 0xD0 && b.d[b.p+1] <= 0xD7 {
			b.p += 2
			return
		}
		b.p++
	}
}

// readCoefficients reads the quantised DCT coefficients of a baseline
// (sequential, Huffman) JPEG with one interleaved scan, stopping after
// maxBlocks blocks of all components (0: no limit). It does no IDCT.
// When the budget does not hold the whole photo and the scan has restart
// markers, pick (when not nil) chooses the MCU rows to read and the
// reader seeks to them from marker to marker.
func readCoefficients(data []byte, maxBlocks int, pick rowPicker) (*coefImage, error) {
	if len(data) < 4 || data[0] != 0xFF || data[1] != 0xD8 {
		return nil, errUnsupported
	}
	var qt [4][64]uint16
	var dc, ac [4]*huff
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
				h, err := buildHuff(seg[1:17], seg[17:17+total], class == 0)
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
			return img, img.scan(data[i+n:], seg, ids, tq, qt, dc, ac, restartInterval, maxBlocks, pick)
		}
		i += n
	}
	return nil, errUnsupported
}

// scan decodes the one scan, which must hold every component.
func (img *coefImage) scan(d, sos []byte, ids []byte, tq []int, qt [4][64]uint16, dc, ac [4]*huff, ri, maxBlocks int, pick rowPicker) error {
	if len(sos) < 1 || int(sos[0]) != len(img.comps) || len(sos) < 1+2*len(img.comps)+3 {
		return errUnsupported
	}
	if sos[1+2*len(img.comps)] != 0 || sos[2+2*len(img.comps)] != 63 {
		return errUnsupported
	}
	tabs := make([][2]*huff, len(img.comps)) // per component: DC, AC
	for k := range img.comps {
		id, t := sos[1+2*k], sos[2+2*k]
		if id != ids[k] || dc[t>>4&3] == nil || ac[t&3] == nil {
			return errUnsupported
		}
		tabs[k] = [2]*huff{dc[t>>4&3], ac[t&3]}
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
		c.c = coefBuffer(c.bw * len(rows) * c.v * nfreq)
		c.rows = len(rows) * c.v
	}
	pred := make([]int32, len(img.comps))
	if !img.sampled {
		return img.decodeMCUs(&bits{d: d}, tabs, pred, 0, len(rows)*mx, ri, true, ownRow)
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
	var b *bits
	next := -1 // the next MCU b would read
	for si, y := range rows {
		first := y * mx
		s := first / ri
		if s >= len(starts) {
			return errUnsupported
		}
		if b == nil || next < s*ri || next > first {
			// Seek to the segment holding the row's first MCU.
			b = &bits{d: d[starts[s]:]}
			clear(pred)
			if err := img.decodeMCUs(b, tabs, pred, s*ri, first-s*ri, ri, true, skipRow); err != nil {
				return err
			}
			if err := img.decodeMCUs(b, tabs, pred, first, mx, ri, first == s*ri, si); err != nil {
				return err
			}
		} else {
			// The row follows in the segment b is reading.
			if err := img.decodeMCUs(b, tabs, pred, next, first-next, ri, false, skipRow); err != nil {
				return err
			}
			if err := img.decodeMCUs(b, tabs, pred, first, mx, ri, false, si); err != nil {
				return err
			}
		}
		next = first + mx
	}
	return nil
}

// Where decodeMCUs stores a row's blocks: at its own row (a read from
// the top), nowhere (read past), else at that held row.
const (
	ownRow  = -1
	skipRow = -2
)

// decodeMCUs reads n MCUs from b, the first being MCU number at of the
// photo, and stores them as store says. At a multiple of the restart
// interval ri it skips to the next marker, except before the first MCU
// when fresh (b starts just after that marker).
func (img *coefImage) decodeMCUs(b *bits, tabs [][2]*huff, pred []int32, at, n, ri int, fresh bool, store int) error {
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
			hist := &c.hist
			if sy < 0 {
				hist = &img.junk
			}
			for v := 0; v < c.v; v++ {
				for h := 0; h < c.h; h++ {
					dst := &scratch
					if sy >= 0 {
						o := ((sy*c.v+v)*c.bw + x*c.h + h) * nfreq
						dst = (*[nfreq]int16)(c.c[o : o+nfreq])
					}
					if !b.block(tabs[k][0], tabs[k][1], &pred[k], dst, hist) {
						return errUnsupported
					}
				}
			}
		}
	}
	return nil
}

// block decodes one 8×8 block's coefficients, keeps the first nfreq
// (zig-zag order) in blk and counts their AC magnitudes in hist.
func (b *bits) block(dct, act *huff, pred *int32, blk *[nfreq]int16, hist *coefHist) bool {
	// Every symbol starts with at least 32 bits at hand: a code (≤ 16)
	// and its extra bits (≤ 15) need no refill.
	if b.n < 32 {
		b.acc, b.n = b.refill(b.acc, b.n)
	}
	acc, n, ok := b.acc, b.n, true
	var d int32
	if e := dct.tab[acc>>(64-tabBits)]; e&entRare == 0 {
		l := uint(e & 15)
		acc <<= l
		n -= l
		d = int32(e) >> 16
	} else {
		var step int
		acc, n, d, step, ok = dct.rare(e, acc, n, true)
		if !ok || step != 1 {
			return false
		}
	}
	*pred += d
	blk[0] = int16(*pred)
	// The AC coefficients: k is the index of the next one.
	var kept [nfreq + 1]int16
	for k := 1; k < 64; {
		if n < 32 {
			// The refill of bits.refill, inline.
			if b.p+8 <= len(b.d) {
				w := binary.BigEndian.Uint64(b.d[b.p:])
				if x := ^w; (x-0x0101010101010101)&^x&0x8080808080808080 == 0 {
					acc |= w >> n
					b.p += int((63 - n) >> 3)
					n |= 56
					goto decode
				}
			}
			b.acc, b.n = acc, n
			b.fill()
			acc, n = b.acc, b.n
		}
	decode:
		e := act.tab[acc>>(64-tabBits)]
		v, step := int32(e)>>16, int(e>>9)&127
		if e&entRare == 0 {
			l := uint(e & 15)
			acc <<= l
			n -= l
		} else if acc, n, v, step, ok = act.rare(e, acc, n, false); !ok {
			return false
		}
		k += step
		// The value is at k-1: kept below nfreq, else (and for the
		// zeros of a run of sixteen, and the end of the block) set
		// aside in the last row, without a branch (the compiler turns
		// min into one, which mispredicts).
		d := k - 1 - nfreq
		f := nfreq + d&(d>>63)
		kept[f] = int16(v)
		m := v >> 31
		hist[f][min(uint32((v^m)-m), dqHistMax+1)]++
	}
	copy(blk[1:], kept[1:nfreq])
	b.acc, b.n = acc, n
	return true
}

// rare decodes a symbol whose lookup entry e is marked entRare: a code
// longer than tabBits bits, or one whose extra bits did not fit. It
// returns acc and n past the symbol, the value and how far the index
// moves (see tabEntry; for DC, 1); ok is false for a code that is none
// or a DC category above 15.
func (h *huff) rare(e uint32, acc uint64, n uint, dc bool) (uint64, uint, int32, int, bool) {
	if s := uint(e>>5) & 15; s != 0 {
		l := uint(e & 15)
		acc <<= l
		v := extend(acc>>(64-s), s)
		return acc << s, n - l - s, v, int(e>>9) & 127, true
	}
	sym, l, ok := h.decodeSlow(acc)
	if !ok {
		return acc, n, 0, 0, false
	}
	acc <<= l
	n -= l
	run, s, step := int(sym>>4), uint(sym&15), int(sym>>4)+1
	if dc {
		if sym > 15 {
			return acc, n, 0, 0, false
		}
		run, s, step = 0, uint(sym), 1
	}
	if s == 0 {
		if dc {
			return acc, n, 0, 1, true
		}
		if run == 15 {
			return acc, n, 0, 16, true
		}
		return acc, n, 0, 64, true
	}
	return acc << s, n - s, extend(acc>>(64-s), s), step, true
}

// coefHist counts, per kept AC coefficient, the blocks holding each
// magnitude 1..dqHistMax at it; the last bin counts larger ones and bin
// 0 is not used (a block's zeros are the rest). The last row counts
// what the reader sets aside (block.kept).
type coefHist [nfreq + 1][dqHistMax + 2]int32
