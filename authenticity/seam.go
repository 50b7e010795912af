package authenticity

import (
	"image"
	"math"
	"sync"
)

// A field recoloured in an editor (a hue turned, channels swapped, a
// colour laid over a selection) leaves the selection's border in the
// photo: a chroma step along a straight line that runs exactly along the
// photo's rows or columns, because selections are drawn on the pixel
// grid, while everything printed on a tilted card runs at the card's
// angle. colourSeam looks for the longest such step inside the document.
//
// The chroma planes are searched at their own resolution (half the
// working resolution): a sample is a hit on the boundary between two
// rows (columns) when the chroma step across it (the Euclidean length
// of the Cb and Cr differences) is at least SeamStep, no smaller than
// across the two neighbouring boundaries, and still at least SeamStep
// between the samples two before and two after it (a step, not a thin
// printed line). A border that falls inside a chroma sample splits its
// step over two neighbouring boundaries, the larger of the two changing
// from sample to sample, so a run follows a pair of neighbouring
// boundaries, taking the larger hit of the two at each sample. Hits with
// gaps of at most seamGap samples make a run, which counts when hits
// cover at least seamDensity of it and its sub-sample position (the
// boundary's, plus a parabola's vertex through the three steps) is
// fitted by a line whose slope is at most MaxSeamSlope (a printed edge
// tilted by 0.1° or more drifts more). The boundaries of the JPEG's chroma blocks (an encoder's
// blocking, on a grid whose phase is found as the boundaries with the
// largest mean step) need twice the step. On an axis that a family of the
// card's lines comes within MinSeamTilt of (cardTilt), a printed edge may
// run along the photo's axis too: there a run counts only when the print
// texture continues on both sides of it (textured), as it does across a
// recoloured selection and not across the card's own colour edges. On
// every axis a run counts only when it steps as a hue/saturation edit's
// border does (hueBorder: one way all along it, and luma moved no more
// than chroma allows; satKept: about as saturated on either side). A fine run along a side of the portrait's frame
// (frameSide) does not count where imagecheck found the portrait. The
// run is measured against the document's longest side.

// seamDensity is the least share of a run's samples that must be hits:
// noise and texture hits, joined across the gaps, are sparser.
const seamDensity = 0.85

// seamGap is how many samples a run may skip (a glyph crossing the
// border, noise).
const seamGap = 2

// seamMargin keeps the search this many chroma samples inside the
// document's outline (the card's edge, its rounded corners).
const seamMargin = 3

// seam is a run of hits along the boundaries after rows (columns) l
// and l+1, from sample a to b inclusive.
type seam struct {
	horiz   bool
	l, a, b int
}

func (s seam) n() int { return s.b - s.a + 1 }

// seamResult is colourSeam's outcome: the longest straight seam on a
// searched axis over the document's longest side (rel), its box in
// original pixels, and whether it is long enough to report.
type seamResult struct {
	measured bool
	rel      float64
	box      image.Rectangle
	found    bool
	// coarse is the longest run that counts of the coarse search on the
	// card's tilted axes (coarseSeam), over the document's longest side.
	coarse float64
	// rect is the best rectangle closed from a run (colourRect): the
	// weakest piece's share of its chroma offset.
	rect rectResult
}

// colourSeam is colourSeamBeside with no portrait known.
func colourSeam(img *image.YCbCr, quad [][2]float64, scale float64, o Options) seamResult {
	return colourSeamBeside(img, quad, image.Rectangle{}, scale, o)
}

// colourSeamBeside finds the longest straight chroma seam along the
// photo's axes inside the document quad (original pixels; nil: no
// search, the card's angle is unknown). portrait is the box imagecheck
// found the portrait's face in (original pixels; empty: none): a fine
// run along a side of the portrait's frame does not count (frameSide).
func colourSeamBeside(img *image.YCbCr, quad [][2]float64, portrait image.Rectangle, scale float64, o Options) seamResult {
	var res seamResult
	w, h := img.Rect.Dx(), img.Rect.Dy()
	cw, ch := (w+1)/2, (h+1)/2
	if img.SubsampleRatio != image.YCbCrSubsampleRatio420 || len(quad) != 4 || cw < 16 || ch < 16 {
		return res
	}
	if scale <= 0 {
		scale = 1
	}
	var poly [4][2]float64
	long := 0.0
	for i, p := range quad {
		poly[i] = [2]float64{p[0] / scale / 2, p[1] / scale / 2}
	}
	for i := range poly {
		a, b := poly[i], poly[(i+1)%4]
		long = math.Max(long, math.Hypot(b[0]-a[0], b[1]-a[1]))
	}
	tiltH, tiltV := cardTilt(poly, 0), cardTilt(poly, 90)
	if long < 16 {
		return res
	}
	res.measured = true
	lo, hi := quadSpans(poly[:], cw, ch, seamMargin)
	period := int(math.Round(8 / scale)) // a chroma block: 16 pixels, 8/scale samples
	face := chromaBox(portrait, scale)
	rule := func(tilt float64) *runRule {
		r := &runRule{maxSlope: o.MaxSeamSlope, fine: img, portrait: face, step: o.SeamStep}
		if tilt < o.MinSeamTilt {
			r.img = img
		}
		return r
	}
	// Each axis's longest run, and whether it is long enough: a run on
	// an axis the card's lines run along needs seamLevelMin.
	cut := func(tilt float64) float64 {
		if tilt < o.MinSeamTilt {
			return math.Max(o.MinSeam, seamLevelMin)
		}
		return o.MinSeam
	}
	row := rowSeam(img, lo, hi, cw, ch, period, o, rule(tiltH))
	col := columnSeam(img, lo, hi, cw, ch, period, o, rule(tiltV))
	rowOK := float64(row.n())/long >= cut(tiltH)
	colOK := float64(col.n())/long >= cut(tiltV)
	best := row
	if (colOK && !rowOK) || (colOK == rowOK && col.n() > row.n()) {
		best = col
	}
	s := 2 * scale
	toPixels := func(b image.Rectangle) image.Rectangle { return scaleRect(b, s) }
	if best.n() > 1 {
		res.rel = float64(best.n()) / long
		res.found = rowOK || colOK
		// The box: the seam, two samples either side of it.
		var b image.Rectangle
		if best.horiz {
			b = image.Rect(best.a, best.l-1, best.b+1, best.l+4)
		} else {
			b = image.Rect(best.l-1, best.a, best.l+4, best.b+1)
		}
		res.box = toPixels(b)
	}
	// The coarse search, on the tilted axes only.
	var cs seam
	if tiltH >= o.MinSeamTilt {
		cs = coarseSeam(img, poly[:], cw, ch, period, o, true)
	}
	if tiltV >= o.MinSeamTilt {
		if c := coarseSeam(img, poly[:], cw, ch, period, o, false); c.n() > cs.n() {
			cs = c
		}
	}
	if cs.n() > 1 {
		res.coarse = float64(cs.n()) / long
		if res.coarse >= max(o.MinSeam, coarseMin) && !res.found {
			res.found = true
			// Coarse boundary l lies between fine lines 2l+1 and 2l+2.
			if cs.horiz {
				res.box = toPixels(image.Rect(cs.a, 2*cs.l-1, cs.b+1, 2*cs.l+6))
			} else {
				res.box = toPixels(image.Rect(2*cs.l-1, cs.a, 2*cs.l+6, cs.b+1))
			}
		}
	}
	if !res.found {
		inside := func(x, y int) bool { return y >= 0 && y < ch && x >= lo[y] && x < hi[y] }
		var sums *chromaSums
		grid := func() {
			sums.face = face
			if period >= 2 {
				pr, lr := gridPhaseLift(img, lo, hi, ch, period, true)
				pc, lc := gridPhaseLift(img, lo, hi, ch, period, false)
				if max(lr, lc) >= rectGridLift {
					sums.period, sums.phase = period, [2]int{pr, pc}
				}
			}
		}
		for _, sd := range []struct {
			s      seam
			coarse bool
		}{{row, false}, {col, false}, {cs, true}} {
			if float64(sd.s.n())/long < rectMinSeed {
				continue
			}
			if sums == nil {
				sums = newChromaSums(img.Cb, img.Cr, img.CStride, cw, ch)
				grid()
			}
			if r := colourRect(img, sums, sd.s, sd.coarse, false, inside, long); r.agree > res.rect.agree {
				res.rect = r
			}
		}
		if sums == nil {
			sums = newChromaSums(img.Cb, img.Cr, img.CStride, cw, ch)
			grid()
		}
		for _, hz := range []bool{true, false} {
			nu, nv := cw, ch
			if !hz {
				nu, nv = ch, cw
			}
			for _, sd := range rectSides(sums, hz, lo, hi, nu, nv) {
				if r := colourRect(img, sums, sd, false, true, inside, long); r.agree > res.rect.agree {
					res.rect = r
				}
			}
		}
		sums.release()
		if r := res.rect; r.ok {
			res.found = true
			if r.horiz {
				res.box = toPixels(image.Rect(r.u0, r.v0, r.u1, r.v1))
			} else {
				res.box = toPixels(image.Rect(r.v0, r.u0, r.v1, r.u1))
			}
		}
	}
	return res
}

// A recoloured field's border on a pale, printed ground can be too faint
// for the search above: the second save's chroma quantisation spreads a
// change of 5–8 levels over three to five chroma samples (steps of about
// 2–3 levels each), and a guilloche that varies by ±5 levels along the border hides
// it sample by sample. The coarse search looks again at half the chroma
// resolution across the axis (two chroma lines averaged) and averages
// coarseReach samples either side along it, where the selection's border
// is the same at every sample and a print's texture is not; its steps need
// only coarseStep. It runs on the card's tilted axes only (on a level card
// a printed band's or a portrait's edge runs along the axis and, averaged,
// passes as a border), and a run there counts only when it is straight (half
// MaxSeamSlope per coarse sample), at least coarseMin of the document's long
// side (genuine photos of the development seeds reached 0.21) and, as on
// level axes, with the print texture on both sides of it
// (textured): a portrait's frame on a card in perspective is a chroma edge
// close to the axis with a plain ground on one side.
const (
	coarseStep  = 2.5
	coarseReach = 4
	coarseMin   = 0.26
)

// coarseSeam is the longest run that counts on the coarse chroma planes
// of one axis (horiz: the rows'). poly is the document in chroma samples.
func coarseSeam(img *image.YCbCr, poly [][2]float64, cw, ch, period int, o Options, horiz bool) seam {
	lo, hi := quadSpans(poly, cw, ch, 2*seamMargin)
	ccw, cch := cw, ch/2
	if !horiz {
		ccw, cch = cw/2, ch
	}
	if ccw < 16 || cch < 16 {
		return seam{}
	}
	// The coarse spans: both fine samples of a coarse one inside.
	clo, chi := make([]int, cch), make([]int, cch)
	for j := range cch {
		if horiz {
			clo[j], chi[j] = max(lo[2*j], lo[2*j+1]), min(hi[2*j], hi[2*j+1])
		} else {
			clo[j], chi[j] = (lo[j]+1)/2, hi[j]/2
		}
	}
	c, buf := coarseChroma(img, cw, ch, ccw, cch, clo, chi, horiz)
	defer coarsePool.Put(buf)
	oc := o
	oc.SeamStep = coarseStep
	rule := &runRule{maxSlope: o.MaxSeamSlope / 2, img: img, coarse: true}
	if horiz {
		return rowSeam(c, clo, chi, ccw, cch, period/2, oc, rule)
	}
	return columnSeam(c, clo, chi, ccw, cch, period/2, oc, rule)
}

// coarsePool keeps the coarse planes' memory of finished searches for
// the next (coarseChroma).
var coarsePool sync.Pool

// coarseChroma returns the coarse chroma planes (ccw × cch samples, in
// Cb, Cr and CStride): pairs of chroma rows (horiz) or columns averaged,
// then each sample the mean of the 2·coarseReach+1 along the axis (fewer at
// the photo's edges). Only the samples inside the spans clo, chi are
// computed (the searches read no others: the rest hold whatever the
// memory did). The planes live in buf, from coarsePool, which goes back
// there once they are no longer read.
func coarseChroma(img *image.YCbCr, cw, ch, ccw, cch int, clo, chi []int, horiz bool) (*image.YCbCr, *[]byte) {
	n := ccw * cch
	buf, _ := coarsePool.Get().(*[]byte)
	if buf == nil || cap(*buf) < 3*n {
		b := make([]byte, 3*n)
		buf = &b
	}
	mem := (*buf)[:3*n]
	out := &image.YCbCr{CStride: ccw, Cb: mem[:n:n], Cr: mem[n : 2*n : 2*n]}
	pair := mem[2*n:]
	// The rows and columns the spans cover.
	j0, j1, i0, i1 := cch, 0, ccw, 0
	for j := range cch {
		if chi[j] > clo[j] {
			j0, j1 = min(j0, j), j+1
			i0, i1 = min(i0, clo[j]), max(i1, chi[j])
		}
	}
	if j1 <= j0 {
		return out, buf
	}
	for p, src := range [][]byte{img.Cb, img.Cr} {
		dst := out.Cb
		if p == 1 {
			dst = out.Cr
		}
		if horiz {
			for j := j0; j < j1; j++ {
				if chi[j] <= clo[j] {
					continue
				}
				// The pairs the span's means reach.
				a0, a1 := max(0, clo[j]-coarseReach), min(ccw, chi[j]+coarseReach)
				r0, r1 := src[2*j*img.CStride:][:a1], src[(2*j+1)*img.CStride:][:a1]
				d := pair[:a1]
				for i := a0; i < a1; i++ {
					d[i] = byte((int(r0[i]) + int(r1[i]) + 1) >> 1)
				}
				boxMeanSpan(dst[j*ccw:][:ccw], d, ccw, clo[j], chi[j])
			}
			continue
		}
		// Columns: pairs averaged (on the rows the box reaches), then a
		// running sum of each column down the rows.
		for j := max(0, j0-coarseReach); j < min(cch, j1+coarseReach); j++ {
			row := src[j*img.CStride:][:2*ccw]
			d := pair[j*ccw:][:ccw]
			for i := i0; i < i1; i++ {
				d[i] = byte((int(row[2*i]) + int(row[2*i+1]) + 1) >> 1)
			}
		}
		boxMeanColumns(dst, pair, ccw, cch, j0, j1, i0, i1)
	}
	return out, buf
}

// boxMeanSpan writes to dst[i0:i1] the rounded mean of src over
// coarseReach samples either side, clipped to the n samples of the line
// (fewer at its ends); it reads src only where those means reach.
func boxMeanSpan(dst, src []byte, n, i0, i1 int) {
	const r = coarseReach
	// Before sample i the sum holds samples i-1-r .. i-1+r.
	sum := 0
	for i := max(0, i0-1-r); i < min(n, i0+r); i++ {
		sum += int(src[i])
	}
	edge := func(i int) {
		if i+r < n {
			sum += int(src[i+r])
		}
		if i-r-1 >= 0 {
			sum -= int(src[i-r-1])
		}
		k := min(i+r, n-1) - max(i-r, 0) + 1
		dst[i] = byte((sum + k/2) / k)
	}
	// Whole boxes from m0 to m1: a sample in, a sample out and a
	// division by a constant.
	m0 := min(max(i0, r+1), i1)
	m1 := max(min(i1, n-r), m0)
	for i := i0; i < m0; i++ {
		edge(i)
	}
	if m1 > m0 {
		in, out, d := src[m0+r:m1+r], src[m0-r-1:m1-r-1], dst[m0:m1]
		for i, v := range in {
			sum += int(v) - int(out[i])
			d[i] = byte((sum + (2*r+1)/2) / (2*r + 1))
		}
	}
	for i := m1; i < i1; i++ {
		edge(i)
	}
}

// boxMeanColumns is boxMean down each column of the w × h plane src,
// for rows j0..j1-1 and columns i0..i1-1.
func boxMeanColumns(dst, src []byte, w, h, j0, j1, i0, i1 int) {
	const r = coarseReach
	sum := make([]int32, w)
	// Before row j the sum holds rows max(0, j-1-r) .. min(h, j+r)-1.
	for j := max(0, j0-1-r); j < min(h, j0+r); j++ {
		for i, v := range src[j*w:][i0:i1] {
			sum[i0+i] += int32(v)
		}
	}
	for j := j0; j < j1; j++ {
		if j+r < h && j-r-1 >= 0 {
			// A whole box: the row in, the row out and a division by
			// a constant in one pass.
			add, sub := src[(j+r)*w:][i0:i1], src[(j-r-1)*w:][i0:i1]
			sm, d := sum[i0:i1], dst[j*w:][i0:i1]
			sub, sm, d = sub[:len(add)], sm[:len(add)], d[:len(add)]
			for i, v := range add {
				s := sm[i] + int32(v) - int32(sub[i])
				sm[i] = s
				d[i] = byte((s + (2*r+1)/2) / (2*r + 1))
			}
			continue
		}
		if j+r < h {
			for i, v := range src[(j+r)*w:][i0:i1] {
				sum[i0+i] += int32(v)
			}
		}
		if j-r-1 >= 0 {
			for i, v := range src[(j-r-1)*w:][i0:i1] {
				sum[i0+i] -= int32(v)
			}
		}
		k := int32(min(j+r, h-1) - max(j-r, 0) + 1)
		d := dst[j*w:][i0:i1]
		for i, s := range sum[i0:i1] {
			d[i] = byte((s + k/2) / k)
		}
	}
}

// cardTilt is how close (degrees) the lines printed on the card come to
// the photo's axis at angle axis (0: rows, 90: columns). Under
// perspective a family of the card's parallel lines fans out between two
// opposite sides (sides 0 and 2, or 1 and 3, taken the same way round),
// so the lines between them run at every angle between the two sides':
// when the two sides lean to either side of the axis, some printed line
// runs along it (0).
func cardTilt(poly [4][2]float64, axis float64) float64 {
	off := func(a, b [2]float64) float64 {
		d := math.Atan2(b[1]-a[1], b[0]-a[0])*180/math.Pi - axis
		for d > 90 {
			d -= 180
		}
		for d <= -90 {
			d += 180
		}
		return d
	}
	tilt := 90.0
	for i := 0; i < 2; i++ {
		d1 := off(poly[i], poly[i+1])
		d2 := off(poly[(i+3)%4], poly[i+2])
		if math.Abs(d1) >= 45 || math.Abs(d2) >= 45 {
			continue // this family runs across the axis
		}
		if (d1 < 0) != (d2 < 0) {
			return 0
		}
		tilt = math.Min(tilt, math.Min(math.Abs(d1), math.Abs(d2)))
	}
	return tilt
}

// step2 is the squared chroma step between samples k and k2 of the
// chroma planes.
func step2(img *image.YCbCr, k, k2 int) int32 {
	db := int32(img.Cb[k2]) - int32(img.Cb[k])
	dr := int32(img.Cr[k2]) - int32(img.Cr[k])
	return db*db + dr*dr
}

// gridPhase is the boundary index (mod period) of the chroma block grid
// along one axis: the boundaries with the largest mean step, from every
// fourth sample along them. -1 when period < 2.
func gridPhase(img *image.YCbCr, lo, hi []int, ch, period int, horiz bool) int {
	p, _ := gridPhaseLift(img, lo, hi, ch, period, horiz)
	return p
}

// gridPhaseLift is gridPhase and how far the grid stands out: the mean
// squared step on its phase over the largest mean of the other phases
// (0 with no grid).
func gridPhaseLift(img *image.YCbCr, lo, hi []int, ch, period int, horiz bool) (int, float64) {
	if period < 2 {
		return -1, 0
	}
	// Integer sums: the float64 sums of these integers were exact (far
	// below 2^53), so the means are the same.
	sums := make([]int64, period)
	cnts := make([]int64, period)
	for j := 0; j+1 < ch; j++ {
		if horiz {
			i0, i1 := max(lo[j], lo[j+1]), min(hi[j], hi[j+1])
			if i1 <= i0 {
				continue
			}
			cb0, cr0 := img.Cb[j*img.CStride:][:i1], img.Cr[j*img.CStride:][:i1]
			cb1, cr1 := img.Cb[(j+1)*img.CStride:][:i1], img.Cr[(j+1)*img.CStride:][:i1]
			s, n := int64(0), int64(0)
			for i := i0; i < i1; i += 4 {
				db := int32(cb1[i]) - int32(cb0[i])
				dr := int32(cr1[i]) - int32(cr0[i])
				s += int64(db*db + dr*dr)
				n++
			}
			sums[j%period] += s
			cnts[j%period] += n
		} else if j%4 == 0 {
			if hi[j] <= lo[j]+1 {
				continue
			}
			cb, cr := img.Cb[j*img.CStride:][:hi[j]], img.Cr[j*img.CStride:][:hi[j]]
			k := lo[j] % period
			for i := lo[j]; i+1 < len(cb); i++ {
				db := int32(cb[i+1]) - int32(cb[i])
				dr := int32(cr[i+1]) - int32(cr[i])
				sums[k] += int64(db*db + dr*dr)
				cnts[k]++
				if k++; k == period {
					k = 0
				}
			}
		}
	}
	phase, top, next := -1, -1.0, -1.0
	for p := range sums {
		m := float64(sums[p]) / math.Max(float64(cnts[p]), 1)
		if m > top {
			top, next, phase = m, top, p
		} else if m > next {
			next = m
		}
	}
	if next <= 0 {
		return phase, math.Inf(1)
	}
	return phase, top / next
}

// seamScratch is rowSeam's and columnSeam's memory: lines of steps and
// hits, and columnSeam's runs. seamPool keeps it from one search to the
// next; the searches set every value they read.
type seamScratch struct {
	i32  [5][]int32
	f32  [2][]float32
	runs []runState
}

var seamPool sync.Pool

// getSeamScratch returns scratch memory whose lines hold n values (their
// contents left over from an earlier search).
func getSeamScratch(n int) *seamScratch {
	sc, _ := seamPool.Get().(*seamScratch)
	if sc == nil {
		sc = &seamScratch{}
	}
	for k := range sc.i32 {
		sc.i32[k] = grown(sc.i32[k], n)
	}
	for k := range sc.f32 {
		sc.f32[k] = grown(sc.f32[k], n)
	}
	sc.runs = grown(sc.runs, n)
	return sc
}

// grown returns s resized to n values, its contents unspecified.
func grown[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// runState follows one pair of boundaries' current run: its first and last hit
// and the sums of the line fitted to its hits' sub-sample positions.
type runState struct {
	a, b                 int
	sx, sy, sxx, sxy, sn float64
}

// subOffset is the sub-sample position of a step v between the steps p
// and q of the boundaries either side (a parabola's vertex, -0.5..0.5).
func subOffset(v, p, q int32) float64 {
	m0, mp, mq := math.Sqrt(float64(v)), math.Sqrt(float64(max(p, 0))), math.Sqrt(float64(max(q, 0)))
	if den := mp - 2*m0 + mq; den < 0 {
		return 0.5 * (mp - mq) / den
	}
	return 0
}

// hitAt adds a hit at a whose step lies off samples across the run's
// first boundary.
func (r *runState) hitAt(a int, off float64) {
	if r.a < 0 {
		r.a = a
	}
	r.b = a
	x := float64(a)
	r.sx, r.sy, r.sxx, r.sxy, r.sn = r.sx+x, r.sy+off, r.sxx+x*x, r.sxy+x*off, r.sn+1
}

// flush ends the run, keeping it in best when longer, dense (hits on
// at least seamDensity of its samples), straight and, where rule asks
// for it, textured on both sides.
func (r *runState) flush(best *seam, horiz bool, l int, rule *runRule) {
	if r.a >= 0 && r.b-r.a+1 > best.n() && r.sn >= 3 && r.sn >= seamDensity*float64(r.b-r.a+1) {
		if d := r.sn*r.sxx - r.sx*r.sx; d > 0 && math.Abs((r.sn*r.sxy-r.sx*r.sy)/d) <= rule.maxSlope {
			if s := (seam{horiz: horiz, l: l, a: r.a, b: r.b}); (rule.img == nil || textured(rule.img, s, rule.coarse)) && (rule.fine == nil || hueBorder(rule.fine, s) && satKept(rule.fine, s) && !shoulder(rule.fine, s)) && !frameSide(rule.fine, s, rule.portrait, rule.step) {
				*best = s
			}
		}
	}
	*r = runState{a: -1}
}

// persists reports whether the chroma step at sample a of the boundary
// after line l holds further out: at least SeamStep between the samples
// two before and two after it. A thin printed line (a guilloche's wave
// running along the axis for a while) steps up and back down; a
// recoloured field's border stays stepped.
func persists(img *image.YCbCr, lo, hi []int, a, l int, horiz bool, o Options) bool {
	const reach = 2
	l0, l1 := l-reach, l+1+reach
	var k0, k1 int
	if horiz {
		if l0 < 0 || l1 >= len(lo) || a < lo[l0] || a >= hi[l0] || a < lo[l1] || a >= hi[l1] {
			return false
		}
		k0, k1 = l0*img.CStride+a, l1*img.CStride+a
	} else {
		if l0 < lo[a] || l1 >= hi[a] {
			return false
		}
		k0, k1 = a*img.CStride+l0, a*img.CStride+l1
	}
	return float64(step2(img, k0, k1)) >= o.SeamStep*o.SeamStep
}

// thresholds are the squared least steps off and on the block grid.
func thresholds(o Options) (int32, int32) {
	return int32(math.Ceil(o.SeamStep * o.SeamStep)), int32(math.Ceil(4 * o.SeamStep * o.SeamStep))
}

// rowSeam is the longest straight run on a pair of boundaries between
// chroma rows, keeping three boundaries' steps at a time.
func rowSeam(img *image.YCbCr, lo, hi []int, cw, ch, period int, o Options, rule *runRule) seam {
	phase := gridPhase(img, lo, hi, ch, period, true)
	t2, tg2 := thresholds(o)
	// Three boundaries' steps; each buffer holds -1 outside the span it
	// was last filled on (span[k]).
	sc := getSeamScratch(cw)
	defer seamPool.Put(sc)
	bufs := [3][]int32{sc.i32[0], sc.i32[1], sc.i32[2]}
	for _, b := range bufs {
		for i := range b {
			b[i] = -1
		}
	}
	var spans [3][2]int
	fill := func(k, j int) {
		dst := bufs[k]
		for i := spans[k][0]; i < spans[k][1]; i++ {
			dst[i] = -1
		}
		spans[k] = [2]int{0, 0}
		if j < 0 || j+1 >= ch {
			return
		}
		i0, i1 := max(lo[j], lo[j+1]), min(hi[j], hi[j+1])
		if i1 <= i0 {
			return
		}
		spans[k] = [2]int{i0, i1}
		cb0, cr0 := img.Cb[j*img.CStride:][:i1], img.Cr[j*img.CStride:][:i1]
		cb1, cr1 := img.Cb[(j+1)*img.CStride:][:i1], img.Cr[(j+1)*img.CStride:][:i1]
		for i := i0; i < i1; i++ {
			db := int32(cb1[i]) - int32(cb0[i])
			dr := int32(cr1[i]) - int32(cr0[i])
			dst[i] = db*db + dr*dr
		}
	}
	p, c, n := 0, 1, 2
	fill(p, 0)
	fill(c, 1)
	var best seam
	// The hits (step, or -1, and sub-sample offset) of this boundary and
	// the previous one; pa0, pa1 the previous one's span.
	var hitV [2][]int32
	var hitO [2][]float32
	for k := range hitV {
		hitV[k], hitO[k] = sc.i32[3+k], sc.f32[k]
		for i := range hitV[k] {
			hitV[k][i] = -1
		}
	}
	pa0, pa1 := 0, 0
	for l := 1; l+1 < ch; l++ {
		fill(n, l+1)
		prev, cur, next := bufs[p], bufs[c], bufs[n]
		a0, a1 := max(lo[l], lo[l+1]), min(hi[l], hi[l+1])
		th := t2
		if period >= 2 && l%period == phase {
			th = tg2
		}
		hv, ho := hitV[l%2], hitO[l%2]
		// Band l-1: boundaries l-1 and l, the larger hit of the two;
		// one pass finds this boundary's hits, follows the band's run
		// and clears the previous boundary's hits.
		pv, po := hitV[(l+1)%2], hitO[(l+1)%2]
		b0, b1 := a0, a1
		if pa1 > pa0 {
			b0, b1 = min(a0, pa0), max(a1, pa1)
		}
		scan := b1-b0 > best.n()
		r := runState{a: -1}
		for a := b0; a < b1; a++ {
			if a >= a0 && a < a1 {
				if v := cur[a]; v >= th && v >= prev[a] && v >= next[a] && persists(img, lo, hi, a, l, true, o) {
					hv[a], ho[a] = v, float32(subOffset(v, prev[a], next[a]))
				}
			}
			if scan {
				if hv[a] >= 0 && hv[a] >= pv[a] {
					r.hitAt(a, 1+float64(ho[a]))
				} else if pv[a] >= 0 {
					r.hitAt(a, float64(po[a]))
				} else if r.a >= 0 && a-r.b > seamGap {
					r.flush(&best, true, l-1, rule)
				}
			}
			pv[a] = -1
		}
		r.flush(&best, true, l-1, rule)
		pa0, pa1 = a0, max(a0, a1)
		p, c, n = c, n, p
	}
	return best
}

// columnSeam is the longest straight run on a pair of boundaries
// between chroma columns, reading row by row with a run per pair.
func columnSeam(img *image.YCbCr, lo, hi []int, cw, ch, period int, o Options, rule *runRule) seam {
	phase := gridPhase(img, lo, hi, ch, period, false)
	t2, tg2 := thresholds(o)
	sc := getSeamScratch(cw + 1)
	defer seamPool.Put(sc)
	g := sc.i32[0]
	for i := range g {
		g[i] = -1
	}
	runs := sc.runs[:cw]
	for i := range runs {
		runs[i] = runState{a: -1}
	}
	var best seam
	// This row's hits on each boundary: the step (-1: none) and its
	// sub-sample offset.
	hv, ho := sc.i32[1], sc.f32[0]
	for i := range hv {
		hv[i] = -1
	}
	g0, g1 := 0, 0 // g's filled span
	for j := 0; j < ch; j++ {
		for i := g0; i < g1; i++ {
			g[i] = -1
		}
		g0, g1 = lo[j], max(lo[j], hi[j]-1)
		if g1 > g0 {
			cb, cr := img.Cb[j*img.CStride:][:g1+1], img.Cr[j*img.CStride:][:g1+1]
			for i := g0; i < g1; i++ {
				db := int32(cb[i+1]) - int32(cb[i])
				dr := int32(cr[i+1]) - int32(cr[i])
				g[i] = db*db + dr*dr
			}
		}
		// Runs of columns outside the span end there: flushed at the
		// end, as a run cannot grow once its column leaves the
		// (convex) document.
		i0, i1 := max(1, g0), min(cw-1, g1)
		hv[i0-1] = -1
		k := i0 % max(period, 1)
		for i := i0; i < i1; i++ {
			v := g[i]
			th := t2
			if period >= 2 && k == phase {
				th = tg2
			}
			if k++; k == period {
				k = 0
			}
			hv[i] = -1
			if v >= th && v >= g[i-1] && v >= g[i+1] && persists(img, lo, hi, j, i, false, o) {
				hv[i], ho[i] = v, float32(subOffset(v, g[i-1], g[i+1]))
			}
			// Band i: boundaries i-1 and i, the larger hit of the two.
			if hv[i] >= 0 || hv[i-1] >= 0 || runs[i].a >= 0 {
				bandHit(&runs[i], &best, j, i, hv, ho, rule)
			}
		}
		if i1 > i0 {
			hv[i1] = -1
			bandHit(&runs[i1], &best, j, i1, hv, ho, rule)
		}
	}
	for i := 1; i < len(runs); i++ {
		runs[i].flush(&best, false, i-1, rule)
	}
	return best
}

// bandHit follows band i's run (boundaries i-1 and i) at row j from
// the row's hits hv, ho.
func bandHit(r *runState, best *seam, j, i int, hv []int32, ho []float32, rule *runRule) {
	if hv[i] >= 0 && hv[i] >= hv[i-1] {
		r.hitAt(j, 1+float64(ho[i]))
	} else if hv[i-1] >= 0 {
		r.hitAt(j, float64(ho[i-1]))
	} else if r.a >= 0 && j-r.b > seamGap {
		r.flush(best, false, i-1, rule)
	}
}

// quadSpans returns, for each chroma row, the span [lo, hi) of samples
// inside the polygon shrunk by margin (lo ≥ hi: none).
func quadSpans(poly [][2]float64, cw, ch int, margin float64) (lo, hi []int) {
	lo, hi = make([]int, ch), make([]int, ch)
	span := func(y float64) (float64, float64) {
		l, h := math.Inf(1), math.Inf(-1)
		for i := range poly {
			a, b := poly[i], poly[(i+1)%len(poly)]
			if (a[1] <= y) == (b[1] <= y) {
				continue
			}
			x := a[0] + (y-a[1])*(b[0]-a[0])/(b[1]-a[1])
			l, h = math.Min(l, x), math.Max(h, x)
		}
		return l, h
	}
	for j := 0; j < ch; j++ {
		y := float64(j) + 0.5
		l1, h1 := span(y - margin)
		l2, h2 := span(y + margin)
		l, h := math.Max(l1, l2)+margin, math.Min(h1, h2)-margin
		if math.IsInf(l, 0) || math.IsInf(h, 0) || h <= l {
			continue
		}
		lo[j], hi[j] = max(0, int(math.Ceil(l-0.5))), min(cw, int(math.Floor(h-0.5))+1)
	}
	return lo, hi
}

// runRule is what a run must satisfy to count: a drift of at most
// maxSlope and, on an axis the card's printed lines run along (img set),
// the same print texture on both sides (textured).
type runRule struct {
	maxSlope float64
	img      *image.YCbCr
	// fine: the fine chroma planes (and luma) a run of the fine search
	// is checked on for a hue/saturation edit's border (hueBorder); nil:
	// no check.
	fine *image.YCbCr
	// coarse: the runs are the coarse search's (coarseSeam), whose line
	// l lies between the fine lines 2l+1 and 2l+2.
	coarse bool
	// portrait: the portrait's face box in the fine chroma planes'
	// samples (empty: none); a run of the fine search along a side of
	// its frame does not count (frameSide, with step the least chroma
	// step of a border, Options.SeamStep).
	portrait image.Rectangle
	step     float64
}

// A run on an axis the card's printed lines run along counts only when
// the luma beside it, seamReach pixels out from its pair of boundaries,
// varies along it by at least seamTexture gray levels per pixel (mean
// absolute difference of neighbours) on both sides, the quieter side at
// least seamTextureRatio of the busier one: a selection recoloured on
// the card's ground leaves its print (guilloche, text) running across
// the border, while the card's own straight colour edges (a portrait's
// frame, a band) have a plain area on one side.
// Such a run must also be at least seamLevelMin of the document's long
// side: the frame of a portrait with a textured ground passed the texture
// test with runs of up to 0.303 on development seed 101.
const (
	seamTexture      = 3
	seamTextureRatio = 0.5
	seamReach        = 3
	seamLevelMin     = 0.31
)

// textured reports whether the print texture on either side of seam s
// is alike (seamTexture, seamTextureRatio). A coarse seam's pair of
// boundaries lies at luma lines 4l+4 and 4l+8; its texture is read on
// lines 4l-2 and 4l+12.
func textured(img *image.YCbCr, s seam, coarse bool) bool {
	// The pair of boundaries lies at luma lines 2l+2 and 2l+4.
	l0, l1 := 2*s.l+2-seamReach, 2*s.l+4+seamReach-1
	if coarse {
		l0, l1 = 4*s.l+4-2*seamReach, 4*s.l+6+2*seamReach
	}
	eo, ei := seamTexturesAt(img, s, l0, l1)
	lo, hi := math.Min(eo, ei), math.Max(eo, ei)
	return lo >= seamTexture && lo >= seamTextureRatio*hi
}

// seamTextures is the mean absolute luma difference between neighbouring
// pixels along seam s, on the luma lines dist pixels outside its pair of
// boundaries on either side.
func seamTextures(img *image.YCbCr, s seam, dist int) (float64, float64) {
	// The pair of boundaries lies at luma lines 2l+2 and 2l+4.
	return seamTexturesAt(img, s, 2*s.l+2-dist, 2*s.l+4+dist-1)
}

// seamTexturesAt is that difference on luma lines l0 and l1.
func seamTexturesAt(img *image.YCbCr, s seam, l0, l1 int) (float64, float64) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	x0, x1 := 2*s.a, 2*s.b+1
	mean := func(line int) float64 {
		sum, n := 0, 0
		for x := x0; x < x1; x++ {
			var p, q byte
			if s.horiz {
				if line < 0 || line >= h || x+1 >= w {
					continue
				}
				p, q = img.Y[line*img.YStride+x], img.Y[line*img.YStride+x+1]
			} else {
				if line < 0 || line >= w || x+1 >= h {
					continue
				}
				p, q = img.Y[x*img.YStride+line], img.Y[(x+1)*img.YStride+line]
			}
			d := int(p) - int(q)
			sum += max(d, -d)
			n++
		}
		if n == 0 {
			return 0
		}
		return float64(sum) / float64(n)
	}
	return mean(l0), mean(l1)
}

// A hue/saturation edit maps each pixel's chroma about grey, z → w·z
// (rect.go, Hue turns), and keeps its lightness (HSV's value, HSL's
// lightness) or swaps its channels, so the luma beside the selection's
// border moves by no more than the chroma does: a channel swap of a
// ground of chroma z moves luma by ≤ 0.94·|z| and chroma by ~1.7·|z|, a
// turn by 54° or more (the eval's edits) chroma by ≥ 0.9·|z|. The
// card's own straight edges are inks of their own: the top of the MRZ
// band or a portrait's lower edge on a pale ground step by 100 gray
// levels or more in luma for 12–23 levels of chroma. And the border's
// step points much the same way all along it (the ground beside a field
// changes slowly; a channel swap over a ground of two inks turns the step
// between them: 0.50 on development seed 132), while a row of print or a
// wave pattern that steps by SeamStep here and there steps to and fro
// (0.07 and 0.27 on the genuine photos of seeds 121–126 it passed as a
// border). hueBorder keeps a run as a possible edit's border when its
// mean chroma step vector (chroma lines l-1 and l+2, either side of its
// pair of boundaries) is at least seamCoherence of the mean length of
// the steps, and its mean luma step (seamReach pixels out on either
// side) is at most seamLumaRatio times the mean chroma step plus
// seamLumaSlack gray levels.
const (
	seamCoherence = 0.35
	seamLumaRatio = 3
	seamLumaSlack = 8
)

// hueBorder reports whether fine run s steps as a hue/saturation edit's
// border would (seamCoherence, seamLumaRatio).
func hueBorder(img *image.YCbCr, s seam) bool {
	cw, ch := (img.Rect.Dx()+1)/2, (img.Rect.Dy()+1)/2
	w, h := img.Rect.Dx(), img.Rect.Dy()
	c0, c1 := s.l-1, s.l+2
	y0, y1 := 2*s.l+2-seamReach, 2*s.l+4+seamReach-1
	lines, cn, yn := ch, cw, w
	if !s.horiz {
		lines, cn, yn = cw, ch, h
	}
	if c0 < 0 || c1 >= lines || y0 < 0 || y1 >= 2*lines {
		return true
	}
	var sb, sr, sm float64
	for a := s.a; a <= min(s.b, cn-1); a++ {
		k0, k1 := c0*img.CStride+a, c1*img.CStride+a
		if !s.horiz {
			k0, k1 = a*img.CStride+c0, a*img.CStride+c1
		}
		db := float64(img.Cb[k1]) - float64(img.Cb[k0])
		dr := float64(img.Cr[k1]) - float64(img.Cr[k0])
		sb, sr, sm = sb+db, sr+dr, sm+math.Hypot(db, dr)
	}
	dy, n := 0, 0
	for x := 2 * s.a; x <= min(2*s.b+1, yn-1); x++ {
		k0, k1 := y0*img.YStride+x, y1*img.YStride+x
		if !s.horiz {
			k0, k1 = x*img.YStride+y0, x*img.YStride+y1
		}
		dy += int(img.Y[k1]) - int(img.Y[k0])
		n++
	}
	if sm == 0 || n == 0 {
		return true
	}
	m := float64(s.b - s.a + 1)
	dc := math.Hypot(sb, sr) / m
	if dc < seamCoherence*sm/m {
		return false
	}
	return math.Abs(float64(dy))/float64(n) <= seamLumaRatio*dc+seamLumaSlack
}

// A hue/saturation edit keeps the ground's saturation or scales it a
// little (rect.go, rectMaxSat: the eval's edits scale it by 1–1.6), so
// the chroma either side of its border is about as far from grey on
// both sides. The card's own edge against a grey background (a table,
// paper), which a detected outline that strays past the card's side
// leaves inside the searched document, steps from a coloured ground to
// nearly grey. satKept reads the mean distance from grey of the chroma
// samples along a fine run seamSatReach lines beyond hueBorder's lines
// on either side (out of the border's blur and the JPEG's ringing) and
// keeps the run when the larger, plus rectSatFloor, is at most
// rectMaxSat times the smaller plus rectSatFloor, or when the smaller is
// under rectTintGround: a nearly grey ground can only be tinted (one
// offset laid over it, whatever it was), as colourRect reads it too.
const seamSatReach = 2

// satKept reports whether fine run s keeps the saturation on either
// side within rectMaxSat of each other.
func satKept(img *image.YCbCr, s seam) bool {
	cw, ch := (img.Rect.Dx()+1)/2, (img.Rect.Dy()+1)/2
	c0, c1 := s.l-1-seamSatReach, s.l+2+seamSatReach
	lines, cn := ch, cw
	if !s.horiz {
		lines, cn = cw, ch
	}
	if c0 < 0 || c1 >= lines {
		return true
	}
	var z0, z1 float64
	for a := s.a; a <= min(s.b, cn-1); a++ {
		k0, k1 := c0*img.CStride+a, c1*img.CStride+a
		if !s.horiz {
			k0, k1 = a*img.CStride+c0, a*img.CStride+c1
		}
		z0 += math.Hypot(float64(img.Cb[k0])-128, float64(img.Cr[k0])-128)
		z1 += math.Hypot(float64(img.Cb[k1])-128, float64(img.Cr[k1])-128)
	}
	n := float64(min(s.b, cn-1) - s.a + 1)
	if n <= 0 {
		return true
	}
	z0, z1 = z0/n, z1/n
	if min(z0, z1) < rectTintGround {
		return true // a tint laid over a nearly grey ground
	}
	z0, z1 = z0+rectSatFloor, z1+rectSatFloor
	return max(z0, z1) <= rectMaxSat*min(z0, z1)
}

// A strong printed colour edge tilted a little off the axis (a band's
// side on a card photographed within a few degrees of level) is, once
// saved, a staircase of the JPEG's chroma blocks: each block renders its
// piece of the edge, with the quantiser's ringing beside it, as one
// profile across the block, the same for all its samples along the axis.
// Where the edge's position changes little from block to block, the
// ringing's weaker steps a sample or two beside it line up straight
// along the axis for several blocks, and the edge itself passes them the
// tests that look a little further out (persists, hueBorder). On a
// photo smaller than the working resolution (an app's downscale) a
// block is 8 samples of the search, so a few blocks make a long run
// (issue 15: genuine 7439507 of fraud seed 7439, a band's side at ~1°
// saved at quality 81, a run of 0.224 two samples beside it). A
// recoloured field's border is the strongest chroma step around it,
// its own blur and ringing weaker. So a fine run does not count when,
// summed along it, the largest step across the seamShoulder boundaries
// either side of its pair is larger than its own (shoulder).
const seamShoulder = 3

// shoulder reports whether fine run s lies beside a stronger chroma step
// (seamShoulder).
func shoulder(img *image.YCbCr, s seam) bool {
	lines := (img.Rect.Dy() + 1) / 2
	if !s.horiz {
		lines = (img.Rect.Dx() + 1) / 2
	}
	// step is the squared chroma step across boundary j (between lines
	// j and j+1) at sample a; 0 off the planes.
	step := func(j, a int) int32 {
		if j < 0 || j+1 >= lines {
			return 0
		}
		k0, k1 := j*img.CStride+a, (j+1)*img.CStride+a
		if !s.horiz {
			k0, k1 = a*img.CStride+j, a*img.CStride+j+1
		}
		return step2(img, k0, k1)
	}
	var own, side float64
	for a := s.a; a <= s.b; a++ {
		own += math.Sqrt(float64(max(step(s.l, a), step(s.l+1, a))))
		var m int32
		for d := 1; d <= seamShoulder; d++ {
			m = max(m, step(s.l-d, a), step(s.l+1+d, a))
		}
		side += math.Sqrt(float64(m))
	}
	return side > own
}

// The printed portrait sits in a frame of its own ground (a plain
// colour behind the head), and on a card photographed level the frame's
// sides run along the photo's axes: a straight chroma step, one way all
// along it, with the photo's noise on the plain side (3.3–4.3 gray levels
// per pixel on fraud seed 7409, enough for textured). imagecheck finds
// the portrait's face (its detector's box, inside the frame), so a run
// is taken for a side of the frame when it lies across the axis within
// frameReach of the box's size outside a side of the box (or up to
// frameInside inside it), runs along frameOverlap or more of the box's
// extent and no further than frameExtend of it past either end (a frame
// is not much taller than the head it holds) — a side of the frame
// (vertical) past one end by at most frameExtend and past the other by
// at most frameBody (a head-and-shoulders photo reaching down to the
// card's lower band: on a genuine front of a fresh fraud seed the side
// ran from the frame's top to the MRZ band, past the shoulders; the
// card may lie upside down) — and the strip between the
// box and the run is the frame's ground: the chroma of the strip's
// columns (rows), their median over the rows (columns) the run and the
// box share, stays within the least step of a border (Options.SeamStep) of
// the column (row) nearest the run. The strip starts frameInside of the
// box's size beyond its side (hair, an ear at the box's edge) and stops
// frameGap samples short of the run (the step, spread by the chroma
// subsampling). A field recoloured beside the portrait leaves its
// border with the frame's own edge between it and the face, in the
// strip, so it still counts; a field whose selection ends exactly on
// the frame's side loses that one side, not the others. On genuine
// 7409008 of fraud seed 7409 the frame's side lay 0.26 box widths
// outside the box.
const (
	frameReach   = 0.5
	frameInside  = 0.1
	frameOverlap = 0.5
	frameExtend  = 1.0
	frameBody    = 2.0
	frameGap     = 2
)

// frameSide reports whether fine run s on img lies along a side of the
// frame of the portrait whose face box is face (chroma samples; empty:
// none, false), its strip no more than step from plain.
func frameSide(img *image.YCbCr, s seam, face image.Rectangle, step float64) bool {
	if img == nil || face.Empty() {
		return false
	}
	// u across the run, v along it.
	u0, u1, v0, v1 := face.Min.X, face.Max.X, face.Min.Y, face.Max.Y
	lines := (img.Rect.Dx() + 1) / 2
	if s.horiz {
		u0, u1, v0, v1 = face.Min.Y, face.Max.Y, face.Min.X, face.Max.X
		lines = (img.Rect.Dy() + 1) / 2
	}
	fu, fv := float64(u1-u0), float64(v1-v0)
	// Along: the run covers enough of the box and does not run far past.
	a, b := s.a, s.b+1
	// The head sits near one end of the frame; towards the other the
	// frame holds the neck and shoulders, so a side (a vertical run) may
	// run on further past the box's other end (its bottom on a card
	// photographed upright, its top on one upside down).
	head, foot := float64(v0-a), float64(b-v1)
	if head > foot {
		head, foot = foot, head
	}
	body := frameExtend
	if !s.horiz {
		body = frameBody
	}
	if float64(min(b, v1)-max(a, v0)) < frameOverlap*fv || head > frameExtend*fv || foot > body*fv {
		return false
	}
	// Across: the run's pair of boundaries lies at l+1 and l+2; the
	// strip [x0, x1) runs from the box's side towards it.
	pos := float64(s.l) + 1.5
	in := int(math.Ceil(frameInside * fu))
	var x0, x1 int
	right := pos >= float64(u1)-frameInside*fu && pos <= float64(u1)+frameReach*fu
	switch {
	case right:
		x0, x1 = u1+in, s.l+1-frameGap
	case pos <= float64(u0)+frameInside*fu && pos >= float64(u0)-frameReach*fu:
		x0, x1 = s.l+2+frameGap, u0-in
	default:
		return false
	}
	x0, x1 = max(x0, 0), min(x1, lines)
	if x1 <= x0 {
		return true // the run is the box's side: no room for another edge
	}
	near := x0
	if right {
		near = x1 - 1
	}
	// The strip's chroma, line by line across, its median along (the
	// shoulders or hair may reach into the strip over part of the box's
	// extent; a field's colour beside the frame lies all along the run).
	r0, r1 := max(a, v0), min(b, v1)
	var hb, hr [256]int
	median := func(x int) (float64, float64) {
		hb, hr = [256]int{}, [256]int{}
		for v := r0; v < r1; v++ {
			k := v*img.CStride + x
			if s.horiz {
				k = x*img.CStride + v
			}
			hb[img.Cb[k]]++
			hr[img.Cr[k]]++
		}
		return histMedian(&hb, r1-r0), histMedian(&hr, r1-r0)
	}
	nb, nr := median(near)
	plain := true
	for x := x0; x < x1; x++ {
		if cb, cr := median(x); math.Hypot(cb-nb, cr-nr) > step {
			plain = false
			break
		}
	}
	return plain || !stripEdge(img, s.horiz, x0, x1, r0, r1, step)
}

// A head's outline often reaches past the detector's box into the strip
// (hair falling past the cheek over the upper rows of the box, an ear):
// then the strip's columns nearest the box read the hair on most of the
// box's rows and the strip is not plain, though the run is still the
// frame's side. What frameSide must not pass is a run with the frame's
// own side between it and the face: a straight edge along the run,
// across the strip, on nearly all of the rows they share, where a head's
// curved outline crosses any one column on a few rows only. stripEdge
// looks for it: a line across the strip where the chroma steps by at
// least step between the samples either side of it (the step spread
// over two boundaries by the subsampling) on frameEdgeRows of the rows.
const frameEdgeRows = 0.6

// stripEdge reports whether some line between lines x0 and x1 (exclusive)
// across the strip steps by step or more on frameEdgeRows of the rows
// r0 to r1 (exclusive) along it (horiz: the strip's lines are rows).
// A strip under three lines wide has no line with a sample either side
// inside it: an edge is assumed (the plain test's verdict stands).
func stripEdge(img *image.YCbCr, horiz bool, x0, x1, r0, r1 int, step float64) bool {
	if x1-x0 < 3 {
		return true
	}
	need := int(math.Ceil(frameEdgeRows * float64(r1-r0)))
	s2 := int32(math.Ceil(step * step))
	for x := x0 + 1; x < x1-1; x++ {
		n := 0
		for v := r0; v < r1; v++ {
			k0, k1 := v*img.CStride+x-1, v*img.CStride+x+1
			if horiz {
				k0, k1 = (x-1)*img.CStride+v, (x+1)*img.CStride+v
			}
			if step2(img, k0, k1) >= s2 {
				n++
			}
		}
		if n >= need {
			return true
		}
	}
	return false
}

// histMedian is the median of the n values counted in h (the mean of
// the two middle ones when n is even).
func histMedian(h *[256]int, n int) float64 {
	lo, hi := -1, -1
	c := 0
	for v, k := range h {
		c += k
		if lo < 0 && c > (n-1)/2 {
			lo = v
		}
		if c > n/2 {
			hi = v
			break
		}
	}
	return float64(lo+hi) / 2
}

// chromaBox is r (original pixels) in the chroma planes' samples of a
// photo at scale original pixels per working pixel: the samples it
// touches.
func chromaBox(r image.Rectangle, scale float64) image.Rectangle {
	if r.Empty() {
		return image.Rectangle{}
	}
	if scale <= 0 {
		scale = 1
	}
	return scaleRect(r, 1/(2*scale))
}

// scaleRect is r with every coordinate multiplied by s, the pixels it
// touches: its minimum rounded down, its maximum up.
func scaleRect(r image.Rectangle, s float64) image.Rectangle {
	return image.Rect(int(float64(r.Min.X)*s), int(float64(r.Min.Y)*s), int(math.Ceil(float64(r.Max.X)*s)), int(math.Ceil(float64(r.Max.Y)*s)))
}
