package authenticity

import (
	"image"
	"math"
	"math/cmplx"
	"sync"
)

// A hue turn on a pale ground printed with fine lines of two or more
// inks (a guilloche) barely moves the ground's mean chroma, by 1–3
// levels: red and cyan lines average to about the same as the green and
// purple lines they turn into, so neither the seam searches nor
// colourRect see a step. What the turn does move is the axis along which
// the chroma varies. An edit maps each pixel's chroma z about grey to
// w·z, so the mean m goes to w·m and the second central moment M2 =
// E[(z−m)²] (a complex number whose argument is twice the axis of the
// chroma's spread) goes to w²·M2. Across a selection's border, M2 on the
// side inside is turned against M2 outside by the square of the turn of
// the mean. textureSeam looks for a long run of windows along one
// boundary of the chroma rows (columns) where both hold: M2 steps by a
// turn of at least texMinArg, and that turn is the mean's turn squared
// within texMeanAgree. A card's own change of line inks does not keep
// that relation. Dark print (text, the portrait) is left out of the
// moments, with texDilate samples around it: its ink is a colour of its
// own, and the JPEG spreads it around the glyphs.

// Texture-turn thresholds (chroma samples, levels and radians).
const (
	texBand      = 6    // lines either side of a boundary
	texWin       = 24   // samples along it per window
	texStep      = 4    // window stride along it (8 lost 3 of 13 catches)
	texLine      = 1    // boundary stride across (divides texBand; 2 lost 3 of 13 catches)
	texMinM2     = 1.5  // least |M2| on either side (levels²)
	texMinCoh    = 0.3  // least |M2| over the chroma variance on either side
	texMinD      = 0.45 // least |M2a−M2b| / (|M2a|+|M2b|)
	texMaxMag    = 3.0  // most |M2| ratio either way
	texMinArg    = 1.0  // least turn of M2 (twice the hue turn: ~29° of hue)
	texMinShare  = 0.5  // least share of a side's samples on the light ground
	texMeanAgree = 0.6  // most difference between M2's turn and the mean's squared
	texMinMean   = 1.0  // least mean chroma either side (levels from grey)
	texDark      = 0.9  // a sample darker than this share of the ground's luma is print
	texDilate    = 3    // samples around print left out
	texDensity   = 0.8  // least share of a run's windows that are hits
	texPhase     = 0.7  // least cos of a window's M2 turn against the run's so far
	// texMinRun is the least run (over the document's longest side) that
	// is a finding: genuine photos of development seeds 300–303 reached
	// 0.137, the colour changes the other searches missed 0.10–0.22.
	texMinRun = 0.16
	// texBeyond is the least share of a run's windows with the lines'
	// texture on both sides past its bands (beyond).
	texBeyond = 0.5
)

// texSums are integral images of a = Cb−128, b = Cr−128, a²−b², 2ab,
// a²+b² and the count over the chroma samples of the light ground
// (int32, wrapping: box sums are small).
type texSums struct {
	w, h int
	p    []texCell
	lum  []uint8
	mask []bool
	tmp  []bool    // the rows' marks of print
	band []texCell // textureSeam's band sums, line by window
	cnt  []int32   // the print mask's marks down each column
}

// texCell holds the six sums at one corner of the integral images.
type texCell [6]int32

var texPool sync.Pool

func newTexSums(img *image.YCbCr, w, h int, lo, hi []int) *texSums {
	n := (w + 1) * (h + 1)
	t, _ := texPool.Get().(*texSums)
	if t == nil || cap(t.p) < n || cap(t.mask) < w*h {
		t = &texSums{p: make([]texCell, n), lum: make([]uint8, w*h), mask: make([]bool, w*h), tmp: make([]bool, w*h)}
	}
	t.w, t.h, t.p = w, h, t.p[:n]
	lum, mask, tmp := t.lum[:w*h], t.mask[:w*h], t.tmp[:w*h]
	// Only the document's bounding box is read: rows y0..y1-1, columns
	// x0..x1-1 (the searches read no sample outside its spans).
	y0, y1, x0, x1 := h, 0, w, 0
	for y := range h {
		if lo[y] < hi[y] {
			y0, y1 = min(y0, y), max(y1, y+1)
			x0, x1 = min(x0, max(lo[y], 0)), max(x1, min(hi[y], w))
		}
	}
	if y1 <= y0 || x1 <= x0 {
		y0, y1, x0, x1 = 0, 0, 0, 0
	}
	// The luma of each chroma sample (the mean of its 2×2 pixels) and
	// the ground's: the 75th percentile inside the document.
	yw, yh := img.Rect.Dx(), img.Rect.Dy()
	var hist [256]int
	total := 0
	for y := y0; y < y1; y++ {
		r0, r1 := img.Y[2*y*img.YStride:], img.Y[min(2*y+1, yh-1)*img.YStride:]
		row := lum[y*w:][:w]
		for x := x0; x < x1; x++ {
			xa, xb := 2*x, min(2*x+1, yw-1)
			v := (int(r0[xa]) + int(r0[xb]) + int(r1[xa]) + int(r1[xb]) + 2) / 4
			row[x] = uint8(v)
			if x >= lo[y] && x < hi[y] {
				hist[v]++
				total++
			}
		}
	}
	g, acc := 255, 0
	for v := range 256 {
		acc += hist[v]
		if 4*acc >= 3*total {
			g = v
			break
		}
	}
	dark := uint8(texDark * float64(g))
	// mask: print, or within texDilate of it (along the rows, then the
	// columns).
	for y := y0; y < y1; y++ {
		row, m := lum[y*w:][:w], tmp[y*w:][:w]
		last := -1 << 30
		for x := x0; x < x1; x++ {
			if row[x] < dark {
				last = x
			}
			m[x] = x-last <= texDilate
		}
		last = 1 << 30
		for x := x1 - 1; x >= x0; x-- {
			if row[x] < dark {
				last = x
			}
			if last-x <= texDilate {
				m[x] = true
			}
		}
	}
	// Down the columns, line by line: a sample is marked when a row
	// within texDilate above or below marked it (cnt counts the marks of
	// rows y-texDilate..y+texDilate in each column).
	if cap(t.cnt) < w {
		t.cnt = make([]int32, w)
	}
	cnt := t.cnt[:w]
	clear(cnt)
	add := func(y int, d int32) {
		r := tmp[y*w:][:w]
		for x := x0; x < x1; x++ {
			if r[x] {
				cnt[x] += d
			}
		}
	}
	for y := y0; y < min(y1, y0+texDilate); y++ {
		add(y, 1)
	}
	for y := y0; y < y1; y++ {
		if y+texDilate < y1 {
			add(y+texDilate, 1)
		}
		m := mask[y*w:][:w]
		for x := x0; x < x1; x++ {
			m[x] = cnt[x] > 0
		}
		if y-texDilate >= y0 {
			add(y-texDilate, -1)
		}
	}
	// Integral rows up to y0 and columns up to x0 are zero.
	clear(t.p[:(y0+1)*(w+1)])
	for y := y0; y < y1; y++ {
		cb, cr := img.Cb[y*img.CStride:][:w], img.Cr[y*img.CStride:][:w]
		prev, row := t.p[y*(w+1):][:w+1], t.p[(y+1)*(w+1):][:w+1]
		clear(row[:x0+1])
		// Scalar sums over subslices of one length: no bounds checks
		// and no texCell temporaries in the loop.
		pr, rw, m := prev[x0+1:x1+1], row[x0+1:x1+1], mask[y*w+x0:y*w+x1]
		cb, cr = cb[x0:x1][:len(rw)], cr[x0:x1][:len(rw)]
		m = m[:len(rw)]
		var r0, r1, r2, r3, r4, r5 int32
		for i := range rw {
			if !m[i] {
				a, b := int32(cb[i])-128, int32(cr[i])-128
				r0 += a
				r1 += b
				r2 += a*a - b*b
				r3 += 2 * a * b
				r4 += a*a + b*b
				r5++
			}
			p, q := &pr[i], &rw[i]
			q[0], q[1], q[2], q[3], q[4], q[5] = p[0]+r0, p[1]+r1, p[2]+r2, p[3]+r3, p[4]+r4, p[5]+r5
		}
	}
	return t
}

func (t *texSums) release() { texPool.Put(t) }

// box is the sums over x in [x0,x1), y in [y0,y1).
func (t *texSums) box(x0, x1, y0, y1 int) texCell {
	w := t.w + 1
	a, b, c, d := &t.p[y0*w+x0], &t.p[y0*w+x1], &t.p[y1*w+x0], &t.p[y1*w+x1]
	var s texCell
	for k := range s {
		s[k] = d[k] - b[k] - c[k] + a[k]
	}
	return s
}

// moments are the mean, the second central moment and the variance of
// the ground's chroma of a box's sums s over n samples, and the ground's
// share of them.
func moments(s texCell, n int) (m, m2 complex128, v, share float64) {
	share = float64(s[5]) / float64(n)
	if s[5] < 1 {
		return
	}
	c := float64(s[5])
	m = complex(float64(s[0])/c, float64(s[1])/c)
	m2 = complex(float64(s[2])/c, float64(s[3])/c) - m*m
	v = float64(s[4])/c - real(m)*real(m) - imag(m)*imag(m)
	return
}

// moments are those of the box x in [x0,x1), y in [y0,y1).
func (t *texSums) moments(x0, x1, y0, y1 int) (m, m2 complex128, v, share float64) {
	return moments(t.box(x0, x1, y0, y1), (x1-x0)*(y1-y0))
}

// texHit is one window's reading at a boundary: whether it steps as a
// turn does, how far M2 steps (d), and M2's turn (unit).
type texHit struct {
	ok bool
	d  float64
	r  complex128
}

// Cosines of the angle thresholds.
var (
	texCosArg   = math.Cos(texMinArg)
	texCosAgree = math.Cos(texMeanAgree)
)

// window reads the window [u0,u1) along boundary b (between lines b-1
// and b) of the rows (horiz) or the columns.
func (t *texSums) window(horiz bool, u0, u1, b int) texHit {
	if horiz {
		return texWindow(t.box(u0, u1, b-texBand, b), t.box(u0, u1, b, b+texBand), (u1-u0)*texBand)
	}
	return texWindow(t.box(b-texBand, b, u0, u1), t.box(b, b+texBand, u0, u1), (u1-u0)*texBand)
}

// texWindow reads a window from the sums of its two sides, n samples
// each.
func texWindow(a, b texCell, n int) texHit {
	if float64(a[5]) < texMinShare*float64(n) || float64(b[5]) < texMinShare*float64(n) {
		return texHit{}
	}
	ma, m2a, va, _ := moments(a, n)
	mb, m2b, vb, _ := moments(b, n)
	qa := real(m2a)*real(m2a) + imag(m2a)*imag(m2a) // |M2|²
	qb := real(m2b)*real(m2b) + imag(m2b)*imag(m2b)
	if qa < texMinM2*texMinM2 || qb < texMinM2*texMinM2 || qa < texMinCoh*texMinCoh*va*va || qb < texMinCoh*texMinCoh*vb*vb ||
		qa > texMaxMag*texMaxMag*qb || qb > texMaxMag*texMaxMag*qa {
		return texHit{}
	}
	aa, ab := math.Sqrt(qa), math.Sqrt(qb)
	d := cmplx.Abs(m2a-m2b) / (aa + ab)
	rc := m2b * cmplx.Conj(m2a) // M2's turn, times |M2a|²
	r := rc / complex(aa*ab, 0)
	na, nb := cmplx.Abs(ma), cmplx.Abs(mb)
	ok := d >= texMinD && real(r) <= texCosArg &&
		min(na, nb) >= texMinMean && max(na, nb)+rectSatFloor <= rectMaxSat*(min(na, nb)+rectSatFloor)
	if ok {
		// The mean turns by w = mb/ma, M2 by w²: the two must agree.
		e := rc * (ma * ma) * cmplx.Conj(mb*mb)
		ok = real(e) >= texCosAgree*cmplx.Abs(e)
	}
	return texHit{ok: ok, d: d, r: r}
}

// texPrint reports whether the print runs on across texture run s: the
// luma texture along it (seamTexturesAt), averaged over the luma lines
// 2, 4, … 2·texBand−2 pixels either side of its boundary, is at least
// seamTexture on the quieter side and at least seamTextureRatio of the
// busier, as the card's lines continue across a selection's border. A
// plain side (the portrait's background beside the card's printed ground,
// its chroma blocky after a coarse save) is no field's border.
func texPrint(img *image.YCbCr, s seam) bool {
	var eo, ei float64
	n := 0
	for d := 2; d <= 2*texBand-2; d += 2 {
		o, i := seamTexturesAt(img, s, 2*s.l-d, 2*s.l+d-1)
		eo, ei, n = eo+o, ei+i, n+1
	}
	eo, ei = eo/float64(n), ei/float64(n)
	return min(eo, ei) >= seamTexture && min(eo, ei) >= seamTextureRatio*max(eo, ei)
}

// beyond reports whether the line inks' texture runs on past the
// bands of run s on both sides: in the bands of texBand lines from
// texBand to 2·texBand out, at least texBeyond of the run's windows
// (texWin samples, side by side) that lie inside the document have
// coherent texture on the light ground (as texWindow asks of each
// side) on both sides. A selection's border inside a printed ground has
// the lines on both sides beyond it; the edge of a plain region (the
// portrait's ground beside the printed ground, a box) has them on one.
func (t *texSums) beyond(s seam, lo, hi []int) bool {
	nv := t.h
	if !s.horiz {
		nv = t.w
	}
	v0, v1 := s.l-2*texBand, s.l+2*texBand
	if v0 < 0 || v1 > nv {
		return false
	}
	n, ok := 0, 0
	for u0 := s.a; u0+texWin <= s.b+1; u0 += texWin {
		u1 := u0 + texWin
		in := true
		if s.horiz {
			for _, y := range [2]int{v0, v1 - 1} {
				in = in && u0 >= lo[y] && u1 <= hi[y]
			}
		} else {
			for _, y := range [2]int{u0, u1 - 1} {
				in = in && v0 >= lo[y] && v1 <= hi[y]
			}
		}
		if !in {
			continue
		}
		n++
		var a, b texCell
		if s.horiz {
			a, b = t.box(u0, u1, v0, v0+texBand), t.box(u0, u1, v1-texBand, v1)
		} else {
			a, b = t.box(v0, v0+texBand, u0, u1), t.box(v1-texBand, v1, u0, u1)
		}
		if texCoherent(a, texWin*texBand) && texCoherent(b, texWin*texBand) {
			ok++
		}
	}
	return n > 0 && float64(ok) >= texBeyond*float64(n)
}

// texCoherent reports whether one side's sums s over n samples hold
// coherent texture on the light ground, as texWindow asks.
func texCoherent(s texCell, n int) bool {
	if float64(s[5]) < texMinShare*float64(n) {
		return false
	}
	_, m2, v, _ := moments(s, n)
	q := real(m2)*real(m2) + imag(m2)*imag(m2)
	return q >= texMinM2*texMinM2 && q >= texMinCoh*texMinCoh*v*v
}

// textureSeam is the longest run along one boundary of windows that are
// hits and the sharpest of their boundary and the two texLine either side, with
// one turn of M2 all along it (each window within texPhase of the run's
// mean so far), gaps of at most two windows and hits on texDensity of
// them, across which the print runs on (texPrint). lo, hi are the
// document's spans of the chroma rows.
func textureSeam(t *texSums, img *image.YCbCr, lo, hi []int, horiz bool) seam {
	var best seam
	nu, nv := t.w, t.h
	if !horiz {
		nu, nv = t.h, t.w
	}
	nk := (nu - texWin) / texStep
	if nk <= 0 || nv < 2*texBand+2 {
		return best
	}
	// Which windows lie inside the document at boundary b: along the
	// rows, window k's samples [u0,u1) inside the spans of lines
	// b-texBand, b and b+texBand-1; down the columns, the lines
	// b-texBand..b+texBand-1 inside the spans of the window's first,
	// middle and last rows (their bounds colL, colH, per window).
	colL, colH := make([]int, nk), make([]int, nk)
	if !horiz {
		for k := range nk {
			u0, u1 := k*texStep, k*texStep+texWin
			colL[k] = max(lo[u0], lo[(u0+u1)/2], lo[u1-1])
			colH[k] = min(hi[u0], hi[(u0+u1)/2], hi[u1-1])
		}
	}
	inside := func(b int, dst []bool) {
		if b < texBand || b+texBand > nv {
			clear(dst)
			return
		}
		if horiz {
			l := max(lo[b-texBand], lo[b], lo[b+texBand-1])
			h := min(hi[b-texBand], hi[b], hi[b+texBand-1])
			for k := range dst {
				u0 := k * texStep
				dst[k] = u0 >= l && u0+texWin <= h
			}
			return
		}
		for k := range dst {
			dst[k] = b-texBand >= colL[k] && b+texBand <= colH[k]
		}
	}
	inA, inB := make([]bool, nk), make([]bool, nk)
	// The sums of the band of lines [v, v+texBand) over each window,
	// computed once: band v is the after side of boundary v and the
	// before side of boundary v+texBand. Boundaries are read every
	// texLine lines (texBand, texBand+texLine, …), so bands too.
	nb := nv - texBand + 1
	if cap(t.band) < nb*nk {
		t.band = make([]texCell, nb*nk)
	}
	band := t.band[:nb*nk]
	for v := 0; v < nb; v += texLine {
		// Band v is read at boundaries v and v+texBand only.
		inside(v, inA)
		inside(v+texBand, inB)
		for k := range nk {
			if !inA[k] && !inB[k] {
				continue
			}
			u0 := k * texStep
			if horiz {
				band[v*nk+k] = t.box(u0, u0+texWin, v, v+texBand)
			} else {
				band[v*nk+k] = t.box(v, v+texBand, u0, u0+texWin)
			}
		}
	}
	prev, cur, next := make([]texHit, nk), make([]texHit, nk), make([]texHit, nk)
	line := func(b int, dst []texHit) {
		inside(b, inA)
		for k := range dst {
			dst[k] = texHit{}
			if inA[k] {
				dst[k] = texWindow(band[(b-texBand)*nk+k], band[b*nk+k], texWin*texBand)
			}
		}
	}
	line(texBand, cur)
	line(texBand+texLine, next)
	for b := texBand + texLine; b+texBand <= nv; b += texLine {
		// prev is boundary b-texLine, cur b, next b+texLine.
		prev, cur, next = cur, next, prev
		line(b+texLine, next)
		a, e, hits := -1, -1, 0
		var sum complex128
		flush := func() {
			if a >= 0 && float64(hits) >= texDensity*float64(e-a+1) {
				if s := (seam{horiz: horiz, l: b, a: a * texStep, b: e*texStep + texWin - 1}); s.n() > best.n() && texPrint(img, s) && t.beyond(s, lo, hi) {
					best = s
				}
			}
			a, e, hits, sum = -1, -1, 0, 0
		}
		for k, h := range cur {
			if !h.ok || h.d < prev[k].d || h.d < next[k].d {
				if a >= 0 && k-e > 2 {
					flush()
				}
				continue
			}
			if hits > 0 && real(h.r*cmplx.Conj(sum))/cmplx.Abs(sum) < texPhase {
				flush()
			}
			if a < 0 {
				a = k
			}
			e = k
			sum += h.r
			hits++
		}
		flush()
	}
	return best
}
