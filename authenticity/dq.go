package authenticity

import (
	"image"
	"math"
	"slices"
	"sync"
)

// Double JPEG compression. A photo that was a JPEG (quantisation steps
// q1) and is saved again on the same 8×8 grid (steps q2) carries, in the
// histogram of each coefficient's quantised values k, the pattern of the
// double quantisation: the number of first-compression values c that
// round to k, n(k) = #{c : round(c·q1/q2) = k}, is periodic, so bins go
// empty (q1 > q2) or collect twice as much (q1 < q2) at a fixed period
// (Lukáš & Fridrich 2003; Popescu & Farid 2004). A region edited between
// the two saves was compressed once: its coefficients fall in the bins
// the pattern leaves empty or thin, which locates it (Lin et al. 2009
// read the same effect block by block). The implementation here is
// kycq's own: per coefficient it fits the histogram's log second
// difference to the pattern's, and it scores each block by the
// likelihood ratio of its values under the fitted pattern.

// dqTrace is the double-quantisation trace found at one coefficient of
// one component.
type dqTrace struct {
	comp, f int     // component, zig-zag index
	q1, q2  int     // first and second quantisation steps
	beta    float64 // the pattern's fitted amplitude (1: sharp)
	chi2    float64 // the fit's chi-square gain over a smooth histogram
	mean    float64 // log of the mean of n+dqEps over a period
	// expect is the evidence a non-zero value brings on average in a
	// block compressed once: dqTerm's mean over whole periods of the
	// pattern (values spread evenly over its bins), β times the gap of
	// Jensen's inequality between the log of the mean of n+dqEps and the
	// mean of its log, so never negative. A weak pattern (n(k) 2 or 3, as
	// a save at quality 50–60 over a camera's fine steps leaves) brings
	// ~0.02 nats a value; one with empty bins, several.
	expect float64
	// terms[k] is dqTerm's value for |k| < len(terms).
	terms [dqHistMax + 1]float64
}

// dqEps keeps log n finite where the pattern leaves a bin empty: the
// second compression's rounding of the decoded pixels still puts a few
// values there.
const dqEps = 0.15

// dqCount is n(k) for |k|: how many integers c round to k when scaled by
// q1/q2.
func dqCount(q1, q2, k int) int {
	if k < 0 {
		k = -k
	}
	r := float64(q2) / float64(q1)
	a, b := (float64(k)-0.5)*r, (float64(k)+0.5)*r
	if k == 0 {
		a = -b
	}
	return int(math.Ceil(b-1e-9) - math.Ceil(a-1e-9))
}

// dqHistograms is the histogram of |k| (0..dqHistMax) of each AC
// coefficient over the decoded blocks of c, from the counts the reader
// kept as it read them (coefComp.hist); the zeros are the blocks left.
func dqHistograms(c *coefComp) [nfreq][]float64 {
	n := c.rows * c.bw
	var h [nfreq][]float64
	for f := range h {
		h[f] = make([]float64, dqHistMax+1)
		if f == 0 {
			continue // DC is not counted
		}
		nz := 0
		for k := 1; k <= dqHistMax+1; k++ {
			nz += int(c.hist[f][k])
		}
		h[f][0] = float64(n - nz)
		for k := 1; k <= dqHistMax; k++ {
			h[f][k] = float64(c.hist[f][k])
		}
	}
	return h
}

// dqFit looks for the double-quantisation pattern in the histogram h of
// |k| for a coefficient saved with step q2. It returns the best first
// step q1 with its fitted amplitude and chi-square gain; q1 is 0 when
// the histogram is too small to tell.
func dqFit(h []float64, q2 int) (q1 int, beta, chi2 float64) {
	kmax := 0
	for k := 1; k < len(h); k++ {
		if h[k] >= 20 {
			kmax = k
		}
	}
	if kmax < 6 {
		return 0, 0, 0
	}
	// a(k): the log histogram's second difference, with its variance.
	n := kmax - 2
	a, w := make([]float64, n), make([]float64, n)
	for i := range a {
		k := i + 2
		l := func(j int) float64 { return math.Log(h[j] + 1) }
		a[i] = l(k) - (l(k-1)+l(k+1))/2
		w[i] = 1 / (1/(h[k]+1) + (1/(h[k-1]+1)+1/(h[k+1]+1))/4)
	}
	center(a, w)
	b := make([]float64, n)
	ln := make([]float64, kmax+1)
	for c := 1; c <= min(max(3*q2, 24), 64); c++ {
		if c == q2 {
			continue
		}
		for k := 1; k <= kmax; k++ {
			ln[k] = logs[min(dqCount(c, q2, k), len(logs)-1)]
		}
		for i := range b {
			k := i + 2
			b[i] = ln[k] - (ln[k-1]+ln[k+1])/2
		}
		center(b, w)
		var ab, bb float64
		for i := range a {
			ab += w[i] * a[i] * b[i]
			bb += w[i] * b[i] * b[i]
		}
		if bb < 1e-9 {
			continue // a constant pattern: indistinguishable from one save
		}
		if g := ab * ab / bb; ab > 0 && g > chi2 {
			q1, beta, chi2 = c, ab/bb, g
		}
	}
	return q1, beta, chi2
}

// logs[n] is log(n + dqEps).
var logs = func() []float64 {
	l := make([]float64, 128)
	for i := range l {
		l[i] = math.Log(float64(i) + dqEps)
	}
	return l
}()

// center subtracts the weighted mean.
func center(x, w []float64) {
	var s, sw float64
	for i := range x {
		s += w[i] * x[i]
		sw += w[i]
	}
	if sw == 0 {
		return
	}
	for i := range x {
		x[i] -= s / sw
	}
}

// Thresholds of a double-quantisation trace at one coefficient: the
// fit's chi-square gain (one fitted amplitude, the best of up to ~100
// first steps: a smooth histogram rarely gains more than ~15) and the
// amplitude range of a real pattern (rounding blurs it below 1).
const (
	dqMinChi2              = 40
	dqMinBeta, dqMaxBeta   = 0.5, 5
	dqMinTraces            = 3 // luma coefficients with a trace for a double-compressed photo
	dqHistMax              = 64
	dqFirstF, dqLastF      = 1, nfreq - 1
	dqMinBlocksPerHistgram = 2000
)

// dqTraces finds the double-quantisation traces of every component's low
// AC coefficients, from their histograms hists (dqHistograms).
func dqTraces(img *coefImage, hists func(*coefComp) [nfreq][]float64) []dqTrace {
	var out []dqTrace
	for ci := range img.comps {
		c := &img.comps[ci]
		if c.rows*c.bw < dqMinBlocksPerHistgram {
			continue
		}
		hs := hists(c)
		for f := dqFirstF; f <= dqLastF; f++ {
			q2 := int(c.q[f])
			if q2 < 2 || q2 > 40 {
				continue
			}
			h := hs[f]
			q1, beta, chi2 := dqFit(h, q2)
			if q1 == 0 || chi2 < dqMinChi2 || beta < dqMinBeta || beta > dqMaxBeta {
				continue
			}
			out = append(out, newTrace(ci, f, q1, q2, beta, chi2))
		}
	}
	return out
}

// newTrace is the trace of a pattern q1/q2 fitted with amplitude beta
// and gain chi2 at coefficient f of component comp, its terms filled.
func newTrace(comp, f, q1, q2 int, beta, chi2 float64) dqTrace {
	// log of the mean of n+dqEps over whole periods of the pattern (q1
	// bins hold every residue): a value in bin k is (n(k)+dqEps)/mean
	// times as likely after two saves as after one.
	m := 0.0
	for k := 1; k <= 4*q1; k++ {
		m += float64(dqCount(q1, q2, k)) + dqEps
	}
	t := dqTrace{comp: comp, f: f, q1: q1, q2: q2, beta: beta, chi2: chi2, mean: math.Log(m / float64(4*q1))}
	for k := 1; k < len(t.terms); k++ {
		t.terms[k] = t.beta * (t.mean - math.Log(float64(dqCount(q1, q2, k))+dqEps))
	}
	t.expect = dqExpect(&t)
	return t
}

// dqExpect is trace t's expect: dqTerm's mean over the bins 1..4·q1
// (whole periods, the bins mean is taken over).
func dqExpect(t *dqTrace) float64 {
	e := 0.0
	for k := 1; k <= 4*t.q1; k++ {
		e += dqTerm(t, k)
	}
	return max(0, e/float64(4*t.q1))
}

// dqTerm is the evidence one quantised value k brings that its block was
// compressed once (positive) rather than twice (negative), under trace t.
// Zero values carry none.
func dqTerm(t *dqTrace, k int) float64 {
	if k < 0 {
		k = -k
	}
	if k < len(t.terms) {
		return t.terms[k]
	}
	return t.beta * (t.mean - math.Log(float64(dqCount(t.q1, t.q2, k))+dqEps))
}

// dqCell is the side, in stored photo pixels, of the cells the block
// evidence is pooled over (a multiple of every block's footprint).
const dqCell = 32

// dqResult is what the compression-history analysis found.
type dqResult struct {
	measured bool // the coefficients could be read
	// traces counts the luma coefficients with a double-quantisation
	// trace; chroma the chroma ones.
	traces, chroma int
	double         bool // a double-compressed photo
	// share is the largest single-compressed region's share of the
	// measured cells (inside the document), llr its mean evidence per
	// cell, box its bounds in upright original pixels.
	share, llr float64
	// expect is the evidence the region's non-zero values would bring,
	// on average, were its blocks compressed once (dqTrace.expect summed
	// over them).
	expect float64
	box    image.Rectangle
	found  bool
	// covered is the share of the photo's block rows the budget let the
	// reader decode.
	covered float64
}

// Region thresholds: a cell whose pooled evidence is above dqCellLLR is
// single-compressed; a region of at least dqMinCells such cells, whose
// evidence totals dqRegionLLR, is reported when it is at most
// dqMaxShare of the document (a photo compressed once all over is not
// an edit but no double compression) and its evidence is at most
// dqMaxExcess times what its values would bring, on average, were its
// blocks compressed once (dqResult.expect). Evidence far beyond that is
// explained by neither save: the region's content breaks the model. A
// fine periodic print (a guilloche ground) pins a coefficient's
// magnitudes to a few bins, and where those are the thin bins of a weak
// pattern (n(k) 2 or 3, as a save over a camera's steps of 1–3 leaves),
// every block there reads as compressed once (issue 15: the genuine
// regions of development seeds 157–158 and the diagnosed photos of fraud
// seed 7439 carry 5.6–7.6 times their expectation, the colour changes,
// pasted portraits and painted fields found there 0.2–3.7 times, one
// colour change 5.6, also found by colour_seam).
const (
	dqCellLLR   = 4
	dqMinTerms  = 6
	dqMinCells  = 3
	dqRegionLLR = 40
	dqMaxExcess = 4.5
	dqMaxShare  = 0.35
)

// analyseCompression reads the coefficients of a JPEG (up to maxBlocks
// blocks), finds double-quantisation traces and, in a double-compressed
// photo, the largest region inside the document compressed only once;
// coarse says the photo's own quantiser is coarse (QuantScale at least
// CoarseQuant: see finerFirst).
func analyseCompression(data []byte, in Input, orientation, maxBlocks int, coarse bool) (dqResult, *blockMap) {
	img, err := readCoefficients(data, maxBlocks, documentRows(in, orientation))
	if err != nil || len(img.comps) == 0 {
		return dqResult{}, nil
	}
	defer img.release()
	return analyseCoefficients(img, in, orientation, coarse, dqHistograms), lumaBlocks(img, orientation)
}

// blockMap says, for each luma block of the stored photo, whether the
// reader read it and whether the quantiser left it flat: every AC
// coefficient the reader keeps (the 15 lowest) zero, the block one
// level in the decoded photo.
type blockMap struct {
	w, h        int // stored size, pixels
	bw, bh      int // blocks per row and column
	px, py      int // stored pixels per block
	orientation int
	state       []uint8 // per block: 0 not read, blockAC, blockFlat
}

const (
	blockAC   = 1
	blockFlat = 2
)

// lumaBlocks maps the luma blocks img holds.
func lumaBlocks(img *coefImage, orientation int) *blockMap {
	c := &img.comps[0]
	m := &blockMap{w: img.width, h: img.height, bw: c.bw, bh: img.my * c.v, px: 8 * img.hmax / c.h, py: 8 * img.vmax / c.v, orientation: orientation}
	if p, ok := blockStates.Get().(*[]uint8); ok {
		m.state = cleared(*p, m.bw*m.bh)
	} else {
		m.state = make([]uint8, m.bw*m.bh)
	}
	for by := 0; by < c.rows; by++ {
		y := img.mcuRows[by/c.v]*c.v + by%c.v
		if y >= m.bh {
			break
		}
		blocks := c.c[by*c.bw*nfreq : (by+1)*c.bw*nfreq]
		states := m.state[y*m.bw:][:c.bw]
		for bx := range states {
			// The OR of the 15 AC values, without a branch per value.
			b := (*[nfreq]int16)(blocks[bx*nfreq:])
			ac := b[1] | b[2] | b[3] | b[4] | b[5] | b[6] | b[7] | b[8] |
				b[9] | b[10] | b[11] | b[12] | b[13] | b[14] | b[15]
			st := uint8(blockFlat)
			if ac != 0 {
				st = blockAC
			}
			states[bx] = st
		}
	}
	return m
}

// blockStates keeps the state maps of released block maps for the next
// photo's (a 12 MP photo's is 190 kB).
var blockStates sync.Pool

// release hands m's state map back to blockStates: m must not be read
// after. A nil m is fine.
func (m *blockMap) release() {
	if m == nil || m.state == nil {
		return
	}
	st := m.state
	m.state = nil
	blockStates.Put(&st)
}

// flat reports, for a rectangle of the upright photo (original pixels),
// whether every luma block under it was read (known) and whether all of
// them are flat.
func (m *blockMap) flat(r image.Rectangle) (known, flat bool) {
	if m == nil {
		return false, false
	}
	// The upright photo back to the stored one: orientations 6 and 8
	// undo each other, the others undo themselves.
	o, w, h := m.orientation, m.w, m.h
	if o >= 5 && o <= 8 {
		w, h = h, w
	}
	switch o {
	case 6:
		o = 8
	case 8:
		o = 6
	}
	s := orientRect(r, w, h, o)
	x0, y0 := max(0, s.Min.X/m.px), max(0, s.Min.Y/m.py)
	x1, y1 := min(m.bw, (s.Max.X+m.px-1)/m.px), min(m.bh, (s.Max.Y+m.py-1)/m.py)
	if x0 >= x1 || y0 >= y1 {
		return false, false
	}
	flat = true
	for y := y0; y < y1; y++ {
		for _, st := range m.state[y*m.bw+x0 : y*m.bw+x1] {
			if st == 0 {
				return false, false
			}
			flat = flat && st == blockFlat
		}
	}
	return true, flat
}

// analyseCoefficients is analyseCompression on the coefficients read,
// with hists giving each component's histograms.
func analyseCoefficients(img *coefImage, in Input, orientation int, coarse bool, hists func(*coefComp) [nfreq][]float64) dqResult {
	var r dqResult
	r.measured = true
	r.covered = float64(len(img.mcuRows)) / float64(max(1, img.my))
	traces := dqTraces(img, hists)
	if coarse {
		traces = finerFirst(traces)
	}
	for _, t := range traces {
		if t.comp == 0 {
			r.traces++
		} else {
			r.chroma++
		}
	}
	r.double = r.traces >= dqMinTraces
	if !r.double {
		return r
	}
	// Pool each block's evidence into cells of the stored photo.
	cw, ch := (img.width+dqCell-1)/dqCell, (img.height+dqCell-1)/dqCell
	sum := make([]float64, cw*ch)
	exp := make([]float64, cw*ch)
	cnt := make([]int32, cw*ch)
	for ti := range traces {
		t := &traces[ti]
		c := &img.comps[t.comp]
		px, py := 8*img.hmax/c.h, 8*img.vmax/c.v // pixels per block
		for by := 0; by < c.rows; by++ {
			cy := (img.mcuRows[by/c.v]*c.v + by%c.v) * py / dqCell
			if cy >= ch {
				break
			}
			row := by * c.bw
			for bx := 0; bx < c.bw; bx++ {
				k := c.c[(row+bx)*nfreq+t.f]
				if k == 0 {
					continue
				}
				cx := bx * px / dqCell
				if cx >= cw {
					break
				}
				sum[cy*cw+cx] += dqTerm(t, int(k))
				exp[cy*cw+cx] += t.expect
				cnt[cy*cw+cx]++
			}
		}
	}
	// Cells to judge: read whole, inside the document, not clipped.
	mcuh := 8 * img.vmax
	if len(img.comps) == 1 {
		mcuh = 8
	}
	held := make([]bool, img.my)
	for _, y := range img.mcuRows {
		held[y] = true
	}
	use := make([]bool, cw*ch)
	bad := make([]bool, cw*ch)
	nuse := 0
	for cy := 0; cy < ch; cy++ {
		whole := true
		for y := cy * dqCell / mcuh; y <= min(img.my-1, ((cy+1)*dqCell-1)/mcuh); y++ {
			whole = whole && held[y]
		}
		if !whole {
			continue
		}
		for cx := 0; cx < cw; cx++ {
			k := cy*cw + cx
			if cnt[k] < dqMinTerms {
				continue
			}
			up := orientRect(image.Rect(cx*dqCell, cy*dqCell, (cx+1)*dqCell, (cy+1)*dqCell), img.width, img.height, orientation)
			if !cellInside(in, up) || clippedCell(in, up) {
				continue
			}
			if sum[k] > dqCellLLR && gamutCell(in, up) {
				continue // looked at only where it would count
			}
			use[k] = true
			nuse++
			bad[k] = sum[k] > dqCellLLR
		}
	}
	if nuse < 16 {
		return r
	}
	n, tot, bb, ex := largestRegion(bad, cw, ch, sum, exp)
	if n == 0 {
		return r
	}
	r.share = float64(n) / float64(nuse)
	r.llr = tot / float64(n)
	r.expect = ex
	r.box = orientRect(image.Rect(bb.Min.X*dqCell, bb.Min.Y*dqCell, min(img.width, bb.Max.X*dqCell), min(img.height, bb.Max.Y*dqCell)), img.width, img.height, orientation)
	r.found = reportRegion(n, tot, r.share, ex, coarse)
	return r
}

// reportRegion says whether a single-compressed region of n cells, with
// evidence tot, share of the document and expectation ex (dqResult), is
// reported: the rules of dqRegionLLR above and, for a photo saved last
// with a coarse quantiser, an expectation of at least dqRegionLLR too.
// There the first save's steps are small beside the last's, the pattern
// is weak (~0.01–0.03 nats a value) and a region compressed once would
// bring less than the evidence asked of it: one that has it anyway owes
// it to its content or to chance (issue 15: a genuine save at quality 57
// from development seed 210 expects 19 nats and carries 4.8 a cell over
// its cells; no colour change or pasted portrait saved at 50–60 over a
// camera's JPEG, of 116 made from development seeds 200–205, had a
// region reported, with this rule or without).
func reportRegion(n int, tot, share, ex float64, coarse bool) bool {
	return n >= dqMinCells && tot >= dqRegionLLR && share <= dqMaxShare && tot <= dqMaxExcess*ex && (!coarse || ex >= dqRegionLLR)
}

// documentRows picks the MCU rows to read when restart markers let the
// reader seek: bands of whole cells (dqCell pixels) over the stored rows
// the document covers (all rows when none was found), all of them when
// the budget holds them, else spread evenly over the document.
func documentRows(in Input, orientation int) rowPicker {
	return func(mcuh, my, budget int) []int {
		per := max(1, dqCell/mcuh) // MCU rows per band
		nb := (my + per - 1) / per
		sw, sh := in.Width, in.Height
		if orientation >= 5 && orientation <= 8 {
			sw, sh = sh, sw
		}
		var cand []int
		for b := range nb {
			if len(in.Document) == 4 && sw > 0 && sh > 0 {
				up := orientRect(image.Rect(0, b*per*mcuh, sw, min(sh, (b+1)*per*mcuh)), sw, sh, orientation)
				if !up.Overlaps(quadBounds(in.Document)) {
					continue
				}
			}
			cand = append(cand, b)
		}
		take := max(1, budget/per)
		var rows []int
		for i := range min(take, len(cand)) {
			b := cand[i]
			if len(cand) > take {
				b = cand[(2*i+1)*len(cand)/(2*take)]
			}
			for y := b * per; y < min(my, (b+1)*per); y++ {
				rows = append(rows, y)
			}
		}
		return rows
	}
}

// quadBounds is the bounding box of a quadrilateral.
func quadBounds(q [][2]float64) image.Rectangle {
	r := image.Rectangle{Min: image.Pt(math.MaxInt32, math.MaxInt32), Max: image.Pt(math.MinInt32, math.MinInt32)}
	for _, p := range q {
		r.Min.X, r.Min.Y = min(r.Min.X, int(p[0])), min(r.Min.Y, int(p[1]))
		r.Max.X, r.Max.Y = max(r.Max.X, int(math.Ceil(p[0]))), max(r.Max.Y, int(math.Ceil(p[1])))
	}
	return r
}

// largestRegion finds the largest 4-connected region of set cells (the
// largest sum of val); it returns its size, the sum of val over it, its
// bounds in cells and the sum of val2 over it.
func largestRegion(set []bool, cw, ch int, val, val2 []float64) (int, float64, image.Rectangle, float64) {
	seen := make([]bool, len(set))
	bestN, bestSum, bestSum2 := 0, 0.0, 0.0
	var best image.Rectangle
	var stack []int
	for k := range set {
		if !set[k] || seen[k] {
			continue
		}
		n, s, s2 := 0, 0.0, 0.0
		bb := image.Rectangle{Min: image.Point{cw, ch}, Max: image.Point{-1, -1}}
		stack = append(stack[:0], k)
		seen[k] = true
		for len(stack) > 0 {
			c := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			n++
			s += val[c]
			s2 += val2[c]
			x, y := c%cw, c/cw
			bb.Min.X, bb.Min.Y = min(bb.Min.X, x), min(bb.Min.Y, y)
			bb.Max.X, bb.Max.Y = max(bb.Max.X, x+1), max(bb.Max.Y, y+1)
			for _, d := range [4][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}} {
				nx, ny := x+d[0], y+d[1]
				if nx < 0 || ny < 0 || nx >= cw || ny >= ch {
					continue
				}
				if j := ny*cw + nx; set[j] && !seen[j] {
					seen[j] = true
					stack = append(stack, j)
				}
			}
		}
		if s > bestSum || (s == bestSum && n > bestN) {
			bestN, bestSum, best, bestSum2 = n, s, bb, s2
		}
	}
	return bestN, bestSum, best, bestSum2
}

// orientRect maps a rectangle of the stored w×h photo to the upright
// photo the EXIF orientation o (1..8) describes.
func orientRect(r image.Rectangle, w, h, o int) image.Rectangle {
	p := func(x, y int) image.Point {
		switch o {
		case 2:
			return image.Pt(w-x, y)
		case 3:
			return image.Pt(w-x, h-y)
		case 4:
			return image.Pt(x, h-y)
		case 5:
			return image.Pt(y, x)
		case 6:
			return image.Pt(h-y, x)
		case 7:
			return image.Pt(h-y, w-x)
		case 8:
			return image.Pt(y, w-x)
		}
		return image.Pt(x, y)
	}
	a, b := p(r.Min.X, r.Min.Y), p(r.Max.X, r.Max.Y)
	return image.Rect(a.X, a.Y, b.X, b.Y) // image.Rect orders the corners
}

// cellInside reports whether the centre of r (upright original pixels) is
// inside the document (anywhere when none was found).
func cellInside(in Input, r image.Rectangle) bool {
	if len(in.Document) != 4 {
		return true
	}
	return insideQuad(in.Document, float64(r.Min.X+r.Max.X)/2, float64(r.Min.Y+r.Max.Y)/2)
}

// clippedCell reports whether the working image has clipped (near black
// or white) pixels in r (upright original pixels): clipping breaks the
// double-quantisation pattern of an untouched block.
func clippedCell(in Input, r image.Rectangle) bool {
	if in.Work == nil {
		return false
	}
	wr := workRect(in, r)
	for y := wr.Min.Y; y < wr.Max.Y; y++ {
		row := in.Work.Y[(y-in.Work.Rect.Min.Y)*in.Work.YStride:]
		for x := wr.Min.X; x < wr.Max.X; x++ {
			if v := row[x-in.Work.Rect.Min.X]; v <= 4 || v >= 251 {
				return true
			}
		}
	}
	return false
}

// workRect is r (upright original pixels) on the working image, the
// pixels it touches, clipped to the working image (in.Work not nil).
func workRect(in Input, r image.Rectangle) image.Rectangle {
	s := in.Scale
	if s <= 0 {
		s = 1
	}
	return image.Rect(int(float64(r.Min.X)/s), int(float64(r.Min.Y)/s), int(math.Ceil(float64(r.Max.X)/s)), int(math.Ceil(float64(r.Max.Y)/s))).Intersect(in.Work.Rect)
}

// gamutCell reports whether a pixel of the working image in r (upright
// original pixels) has a colour at the end of an RGB channel (≤ 2 or ≥
// 253): a saturated print, or white text on it, whose chroma the first
// save smeared out of the RGB cube. The app that saved the photo again
// decoded it to RGB, clipped those pixels and took the luma again from
// the clipped colour, so their blocks' luma left the first save's
// lattice without any edit (a red band's lettering saved at quality 52
// and then 88 read as compressed once). clippedCell is the same for the
// luma alone.
func gamutCell(in Input, r image.Rectangle) bool {
	w := in.Work
	if w == nil {
		return false
	}
	wr := workRect(in, r)
	for y := wr.Min.Y; y < wr.Max.Y; y++ {
		for x := wr.Min.X; x < wr.Max.X; x++ {
			yy := int32(w.Y[w.YOffset(x, y)]) << 16
			ci := w.COffset(x, y)
			cb, cr := int32(w.Cb[ci])-128, int32(w.Cr[ci])-128
			// image/color's YCbCrToRGB constants (16.16 fixed point),
			// unclipped.
			r := yy + 91881*cr
			g := yy - 22554*cb - 46802*cr
			b := yy + 116130*cb
			const lo, hi = 2<<16 + 1<<15, 253<<16 - 1<<15
			if r < lo || r > hi || g < lo || g > hi || b < lo || b > hi {
				return true
			}
		}
	}
	return false
}

// finerFirst keeps the traces whose first step is finer than the second
// (q1 < q2), for a photo saved last with a coarse quantiser (about
// quality 65 or lower). A first save coarser still, at the same
// frequency, is not a camera's (phones save at 85–97, steps of 1–3 at
// the low frequencies): such a fit is the print's own histogram, not a
// first save. It leaves empty bins, whose values bring a nat or more
// each, so a fine print whose magnitudes sit there reads as compressed
// once (issue 15: two of the three genuine saves at quality 50–60 that
// single_compressed_region flagged on development seeds 200–213 had
// two such traces, fitted as 13–22 against 11–17, beside three finer
// ones, and their regions drew half their evidence or more from them).
// A forger's edit saved at 50–60 over a camera's JPEG leaves finer
// first steps only; one saved over a photo coarser still is not seen.
func finerFirst(traces []dqTrace) []dqTrace {
	return slices.DeleteFunc(traces, func(t dqTrace) bool { return t.q1 > t.q2 })
}
