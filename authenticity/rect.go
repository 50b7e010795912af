package authenticity

import (
	"cmp"
	"image"
	"math"
	"slices"
	"sync"
)

// A recoloured selection is a closed rectangle on the photo's pixel grid:
// whatever the editor did inside it (a hue turned, channels swapped), the
// card's ground and print inside moved by the same chroma offset against
// the ground just outside, on all four sides. One side alone can be too
// faint or too short to tell from the card's print (the seam searches
// above), and a level card's printed frames run along the axes too; but a
// card's own elements do not change colour by one offset all round an
// axis-aligned rectangle while their print runs on across it.
//
// colourRect starts from a candidate side (rectSides: a run of windows
// that keep one chroma offset, or a seam search's run too short to report
// on its own), finds the three other sides as the boundaries where the
// mean chroma shifts back by the same offset, and measures the offset
// along every side in short pieces and in the corners (rectAgree). The
// rectangle counts when the pieces and corners agree, the print runs on
// across its sides (rectTextured) and the ground outside is one ground
// (rectRing).

// Rectangle thresholds (chroma samples and levels).
const (
	rectBand        = 3    // chroma samples averaged on either side of a boundary
	rectMinStep     = 2.0  // least mean chroma offset (Euclidean Cb/Cr levels)
	rectMinSide     = 5    // least side length, samples
	rectPiece       = 6    // samples per piece of a side
	rectMinAgree    = 0.5  // least agreement (share of the offset) of a rectangle, and of its opposite and crossing sides
	rectMaxOff      = 0.5  // most the piece may stray off the offset's direction, as a share of it
	rectMinSeed     = 0.08 // least seed run, over the document's long side
	rectMinRun      = 24   // least candidate side, samples
	rectMinSize     = 0.04 // least side of the rectangle, over the document's long side
	rectSideSkip    = 0.2  // share of the side pieces let off
	rectCornerRatio = 0.7  // least mean corner share over the median side piece's
	rectMaxRing     = 0.4  // most the ground outside the four sides may differ, over the offset
	rectTexture     = 1.5  // least print texture beside each side (gray levels per pixel)
	rectShift       = 4    // lines either side a piece's step is compared with
	rectSharp       = 0.8  // a piece's step at the side must be at least this share of any within rectShift
	rectMaxSeeds    = 12   // candidate sides tried per axis
)

// rectResult is the best rectangle closed, in chroma samples
// [u0,u1)×[v0,v1) (u along the seed side's axis: the rows' when horiz):
// the offset inside minus outside (dcb, dcr; length mag), its agreement
// (rectAgree; 0 when a physical check failed) and whether it counts.
type rectResult struct {
	ok                   bool
	horiz                bool
	u0, u1, v0, v1       int
	dcb, dcr, agree, mag float64
	// ring is how far apart (Cb/Cr) the ground just outside the four
	// sides is, over the offset.
	ring float64
}

// chromaSums are the integral images of the chroma planes.
type chromaSums struct {
	w, h   int
	cb, cr []int32
}

func newChromaSums(cbp, crp []byte, stride, w, h int) *chromaSums {
	n := (w + 1) * (h + 1)
	s, _ := chromaPool.Get().(*chromaSums)
	if s == nil || cap(s.cb) < n {
		s = &chromaSums{cb: make([]int32, n), cr: make([]int32, n)}
	}
	s.w, s.h, s.cb, s.cr = w, h, s.cb[:n], s.cr[:n]
	for _, p := range [2]struct {
		src []byte
		dst []int32
	}{{cbp, s.cb}, {crp, s.cr}} {
		// Row 0 and column 0 are zero; every other entry is written.
		clear(p.dst[:w+1])
		for y := 0; y < h; y++ {
			src := p.src[y*stride:][:w]
			prev, row := p.dst[y*(w+1):][:w+1], p.dst[(y+1)*(w+1):][:w+1]
			row[0] = 0
			var r int32
			for x, v := range src {
				r += int32(v)
				row[x+1] = prev[x+1] + r
			}
		}
	}
	return s
}

// chromaPool keeps the integral images of finished searches (release)
// for the next: a 12 MP photo's are 1.5 MB.
var chromaPool sync.Pool

// release hands s back to chromaPool: it must not be read after.
func (s *chromaSums) release() { chromaPool.Put(s) }

// mean is the mean Cb, Cr over x in [x0,x1), y in [y0,y1) (clipped; ok
// false when empty).
func (s *chromaSums) mean(x0, x1, y0, y1 int) (float64, float64, bool) {
	x0, x1, y0, y1 = max(x0, 0), min(x1, s.w), max(y0, 0), min(y1, s.h)
	if x1 <= x0 || y1 <= y0 {
		return 0, 0, false
	}
	at := func(p []int32) float64 {
		return float64(p[y1*(s.w+1)+x1] - p[y0*(s.w+1)+x1] - p[y1*(s.w+1)+x0] + p[y0*(s.w+1)+x0])
	}
	n := float64((x1 - x0) * (y1 - y0))
	return at(s.cb) / n, at(s.cr) / n, true
}

// box is mean over u in [u0,u1), v in [v0,v1) with u along the rows
// (horiz) or the columns.
func (s *chromaSums) box(horiz bool, u0, u1, v0, v1 int) (float64, float64, bool) {
	if horiz {
		return s.mean(u0, u1, v0, v1)
	}
	return s.mean(v0, v1, u0, u1)
}

// step is the mean chroma beyond boundary b (between lines b-1 and b
// across the axis) minus before it, over u in [u0,u1): rectBand lines on
// either side, skipping the two lines next to the boundary where the
// second save spreads the change.
func (s *chromaSums) step(horiz bool, u0, u1, b int) (float64, float64, bool) {
	ob, or, ok1 := s.box(horiz, u0, u1, b-1-rectBand, b-1)
	ib, ir, ok2 := s.box(horiz, u0, u1, b+1, b+1+rectBand)
	return ib - ob, ir - or, ok1 && ok2
}

// rectWindow is the length (samples) of the windows a side is followed in.
const rectWindow = 12

// rectSides are the candidate sides along one axis: for every boundary
// between lines (across), the runs of windows whose chroma step keeps
// one offset, at least rectMinRun samples long, strongest first. lo, hi
// are the document's spans (quadSpans): a window counts when its four
// corners, rectBand+2 lines before the boundary and rectBand+1 after,
// lie inside them.
func rectSides(sums *chromaSums, hz bool, lo, hi []int, nu, nv int) []seam {
	type cand struct {
		s     seam
		score float64
	}
	var cs []cand
	// The integral images at (u, v): along u by su, across by sv.
	su, sv := 1, sums.w+1
	if !hz {
		su, sv = sv, su
	}
	const area = rectWindow * rectBand // samples in each band of a window
	for b := rectBand + 2; b < nv-rectBand-1; b++ {
		var mb, mr float64
		start, n := -1, 0
		end := func(u int) {
			if start >= 0 && u-start >= rectMinRun {
				m := math.Hypot(mb/float64(n), mr/float64(n))
				cs = append(cs, cand{seam{horiz: hz, l: b, a: start, b: u - 1}, m * float64(u-start)})
			}
			start, n, mb, mr = -1, 0, 0, 0
		}
		vb, va := b-rectBand-2, b+rectBand+1 // the lines the corners lie on
		// The bands' lines: before the boundary [b-1-rectBand, b-1),
		// beyond it [b+1, b+1+rectBand).
		o0, o1, i0, i1 := (b-1-rectBand)*sv, (b-1)*sv, (b+1)*sv, (b+1+rectBand)*sv
		for u := 0; u+rectWindow <= nu; u += rectWindow / 2 {
			var in bool
			if hz {
				in = u >= lo[vb] && u+rectWindow-1 < hi[vb] && u >= lo[va] && u+rectWindow-1 < hi[va]
			} else {
				u1 := u + rectWindow - 1
				in = vb >= lo[u] && va < hi[u] && vb >= lo[u1] && va < hi[u1]
			}
			if !in {
				if start >= 0 {
					end(u + rectWindow/2)
				}
				continue
			}
			// sums.step over [u, u+rectWindow): both bands lie inside
			// the planes (no clipping).
			a0, a1 := u*su, (u+rectWindow)*su
			ob := sums.cb[a1+o1] - sums.cb[a1+o0] - sums.cb[a0+o1] + sums.cb[a0+o0]
			ib := sums.cb[a1+i1] - sums.cb[a1+i0] - sums.cb[a0+i1] + sums.cb[a0+i0]
			or := sums.cr[a1+o1] - sums.cr[a1+o0] - sums.cr[a0+o1] + sums.cr[a0+o0]
			ir := sums.cr[a1+i1] - sums.cr[a1+i0] - sums.cr[a0+i1] + sums.cr[a0+i0]
			db, dr := float64(ib)/area-float64(ob)/area, float64(ir)/area-float64(or)/area
			// Below rectMinStep by more than rounding: no need of
			// Hypot's exact length.
			if db*db+dr*dr < rectMinStep*rectMinStep*(1-1e-9) {
				if start >= 0 {
					end(u + rectWindow/2)
				}
				continue
			}
			m := math.Hypot(db, dr)
			if m < rectMinStep {
				end(u + rectWindow/2)
				continue
			}
			if start >= 0 {
				ab, ar := mb/float64(n), mr/float64(n)
				am := math.Hypot(ab, ar)
				if (db*ab+dr*ar)/(m*am) < 0.8 || m > 2*am || m < 0.5*am {
					end(u + rectWindow/2)
				}
			}
			if start < 0 {
				start = u
			}
			mb, mr, n = mb+db, mr+dr, n+1
		}
		end(nu - nu%(rectWindow/2))
	}
	slices.SortFunc(cs, func(x, y cand) int { return cmp.Compare(y.score, x.score) })
	var out []seam
	for _, c := range cs {
		dup := false
		for _, o := range out {
			if abs(o.l-c.s.l) <= 3 && min(o.b, c.s.b)-max(o.a, c.s.a) > (c.s.b-c.s.a)/2 {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, c.s)
			if len(out) == rectMaxSeeds {
				break
			}
		}
	}
	return out
}

// rectTextured reports whether the print runs on across all four sides
// of the rectangle: the luma beside each side, seamReach pixels out on
// either side, varies along it by at least rectTexture gray levels per
// pixel, and on at least three of the sides the quieter side at least
// seamTextureRatio of the busier. A selection recoloured over the card's
// print leaves it running across; a printed panel of one colour, or a
// portrait's face, is plain inside. One side is let off the ratio: a
// field's line of text can run along it, several times busier than the
// ground across.
func rectTextured(img *image.YCbCr, hz bool, u0, u1, v0, v1 int) bool {
	uneven := 0
	for _, s := range []seam{
		{horiz: hz, l: v0 - 2, a: u0 + 2, b: u1 - 3}, {horiz: hz, l: v1 - 2, a: u0 + 2, b: u1 - 3},
		{horiz: !hz, l: u0 - 2, a: v0 + 2, b: v1 - 3}, {horiz: !hz, l: u1 - 2, a: v0 + 2, b: v1 - 3},
	} {
		e1, e2 := seamTextures(img, s, seamReach)
		if min(e1, e2) < rectTexture {
			return false
		}
		if min(e1, e2) < seamTextureRatio*max(e1, e2) {
			uneven++
		}
	}
	return uneven <= 1
}

// rectRing is the largest Cb/Cr distance between the mean chroma of the
// bands just outside two of the four sides of [u0,u1)×[v0,v1).
func rectRing(sums *chromaSums, hz bool, u0, u1, v0, v1 int) float64 {
	var bs [4][2]float64
	bs[0][0], bs[0][1], _ = sums.box(hz, u0+2, u1-2, v0-1-rectBand, v0-1)
	bs[1][0], bs[1][1], _ = sums.box(hz, u0+2, u1-2, v1+1, v1+1+rectBand)
	bs[2][0], bs[2][1], _ = sums.box(hz, u0-1-rectBand, u0-1, v0+2, v1-2)
	bs[3][0], bs[3][1], _ = sums.box(hz, u1+1, u1+1+rectBand, v0+2, v1-2)
	far := 0.0
	for i := range bs {
		for j := i + 1; j < len(bs); j++ {
			far = math.Max(far, math.Hypot(bs[i][0]-bs[j][0], bs[i][1]-bs[j][1]))
		}
	}
	return far
}

func abs(x int) int { return max(x, -x) }

// colourRect tries to close a rectangle from the seed run s (chroma
// samples; coarse: a coarse run). inside reports whether a chroma sample
// lies inside the searched document.
func colourRect(img *image.YCbCr, sums *chromaSums, s seam, coarse, exact bool, inside func(x, y int) bool, long float64) rectResult {
	var res rectResult
	// The seed's boundary in chroma lines and its extent along.
	b0 := s.l + 2
	if exact {
		b0 = s.l
	}
	if coarse {
		if s.horiz {
			b0 = 2*s.l + 2
		} else {
			b0 = 2*s.l + 2
		}
	}
	a, bEnd := s.a, s.b+1
	if bEnd-a < rectMinSide {
		return res
	}
	hz := s.horiz
	in := func(u, v int) bool {
		if hz {
			return inside(u, v)
		}
		return inside(v, u)
	}
	// The boundary near the seed with the largest step.
	bestB, bestM, sb, sr := 0, 0.0, 0.0, 0.0
	for b := b0 - 2; b <= b0+2; b++ {
		if db, dr, ok := sums.step(hz, a, bEnd, b); ok {
			if m := math.Hypot(db, dr); m > bestM {
				bestB, bestM, sb, sr = b, m, db, dr
			}
		}
	}
	if bestM < rectMinStep {
		return res
	}
	maxH := int(0.6 * long)
	for _, dir := range []int{1, -1} {
		// inside minus outside at the seed side
		ib, ir := float64(dir)*sb, float64(dir)*sr
		m := math.Hypot(ib, ir)
		ub, ur := ib/m, ir/m
		proj := func(db, dr float64) float64 { return db*ub + dr*ur }
		// The opposite side: in-out there is -dir*step.
		oppB, oppV := 0, 0.0
		for h := rectMinSide; h <= maxH; h++ {
			b := bestB + dir*h
			if !in((a+bEnd)/2, b) {
				break
			}
			if db, dr, ok := sums.step(hz, a, bEnd, b); ok {
				if v := -float64(dir) * proj(db, dr); v > oppV {
					oppB, oppV = b, v
				}
			}
		}
		if oppV < rectMinAgree*m {
			continue
		}
		v0, v1 := min(bestB, oppB), max(bestB, oppB) // inside lines [v0, v1)
		// The sides across: along u, inside is beyond the left one.
		span := bEnd - a
		perp := func(lo, hi, sign int) (int, float64) {
			bb, bv := 0, 0.0
			for u := lo; u <= hi; u++ {
				if !in(u, (v0+v1)/2) {
					continue
				}
				if db, dr, ok := sums.step(!hz, v0+1, v1-1, u); ok {
					if v := float64(sign) * proj(db, dr); v > bv {
						bb, bv = u, v
					}
				}
			}
			return bb, bv
		}
		ul, vl := perp(a-rectWindow, a+rectWindow, 1)
		ur2, vr := perp(bEnd-rectWindow, bEnd+rectWindow, -1)
		if float64(ur2-ul) < 0.75*float64(span) || float64(min(ur2-ul, v1-v0)) < rectMinSize*long {
			continue
		}
		if vl < rectMinAgree*m || vr < rectMinAgree*m || ur2-ul < rectMinSide || v1-v0 < rectMinSide {
			continue
		}
		agree := rectAgree(sums, hz, ul, ur2, v0, v1, ub, ur, m)
		if agree >= rectMinAgree && !rectTextured(img, hz, ul, ur2, v0, v1) {
			agree = 0
		}
		// The ground outside is the card's one ground all round (a face
		// inside a portrait has hair above it and the portrait's
		// background beside it).
		ring := rectRing(sums, hz, ul, ur2, v0, v1) / m
		if ring > rectMaxRing {
			agree = 0
		}
		if agree > res.agree {
			res = rectResult{ok: agree >= rectMinAgree, horiz: hz, u0: ul, u1: ur2, v0: v0, v1: v1, dcb: ib, dcr: ir, agree: agree, mag: m, ring: ring}
		}
	}
	return res
}

// rectAgree is the least share of the offset m (direction ub, ur) that
// the pieces of the four sides of [u0,u1)×[v0,v1) carry, inside minus
// outside; a piece straying off the direction by more than rectMaxOff
// of m counts as 0.
func rectAgree(sums *chromaSums, hz bool, u0, u1, v0, v1 int, ub, ur, m float64) float64 {
	var sides, corners []float64
	share := func(db, dr float64) float64 {
		if math.Abs(-db*ur+dr*ub) > rectMaxOff*m {
			return 0
		}
		return (db*ub + dr*ur) / m
	}
	side := func(along bool, lo, hi, b, sign int) {
		n := max(1, (hi-lo)/rectPiece)
		for k := range n {
			p0, p1 := lo+k*(hi-lo)/n, lo+(k+1)*(hi-lo)/n
			db, dr, ok := sums.step(along, p0, p1, b)
			if !ok {
				sides = append(sides, 0)
				continue
			}
			// The step must be sharpest at the side: a curved or
			// tilted edge steps most a few lines away.
			at := float64(sign) * (db*ub + dr*ur)
			for d := -rectShift; d <= rectShift; d++ {
				if d < -1 || d > 1 {
					if eb, er, ok := sums.step(along, p0, p1, b+d); ok && float64(sign)*(eb*ub+er*ur)*rectSharp > at {
						at = -1
					}
				}
			}
			if at < 0 {
				sides = append(sides, 0)
				continue
			}
			sides = append(sides, share(float64(sign)*db, float64(sign)*dr))
		}
	}
	// Corners trimmed by two samples.
	side(hz, u0+2, u1-2, v0, 1)
	side(hz, u0+2, u1-2, v1, -1)
	side(!hz, v0+2, v1-2, u0, 1)
	side(!hz, v0+2, v1-2, u1, -1)
	// Sharp corners: just inside each corner the offset holds against
	// just outside it (a disc's or a rounded frame's box has none there).
	for _, c := range [4][2]int{{u0, v0}, {u1, v0}, {u0, v1}, {u1, v1}} {
		su, sv := 1, 1
		if c[0] == u1 {
			su = -1
		}
		if c[1] == v1 {
			sv = -1
		}
		ib, ir, ok1 := sums.box(hz, min(c[0]+su, c[0]+su*(1+rectBand)), max(c[0]+su, c[0]+su*(1+rectBand))+1, min(c[1]+sv, c[1]+sv*(1+rectBand)), max(c[1]+sv, c[1]+sv*(1+rectBand))+1)
		ob, or, ok2 := sums.box(hz, min(c[0]-su*2, c[0]-su*(2+rectBand)), max(c[0]-su*2, c[0]-su*(2+rectBand))+1, min(c[1]-sv*2, c[1]-sv*(2+rectBand)), max(c[1]-sv*2, c[1]-sv*(2+rectBand))+1)
		if !ok1 || !ok2 {
			corners = append(corners, 0)
			continue
		}
		corners = append(corners, share(ib-ob, ir-or))
	}
	// A glyph or a grey line of print (which a hue turn leaves as it
	// is) may cross a piece or a corner: the weakest rectSideSkip of the
	// pieces and one corner are let off.
	slices.Sort(sides)
	slices.Sort(corners)
	// A disc or a rounded frame steps as strongly as a rectangle at the
	// middle of its box's sides but less in its corners, where the
	// selection's corners carry the whole offset.
	if (corners[0]+corners[1]+corners[2]+corners[3])/4 < rectCornerRatio*sides[len(sides)/2] {
		return 0
	}
	return min(sides[int(rectSideSkip*float64(len(sides)))], corners[0])
}
