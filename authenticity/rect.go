package authenticity

import (
	"cmp"
	"image"
	"math"
	"slices"
	"sync"
)

// A recoloured selection is a closed rectangle on the photo's pixel grid:
// whatever the editor did inside it (a hue turned, channels swapped, the
// saturation raised), the card's ground and print inside changed against
// the ground just outside, on all four sides. One side alone can be too
// faint or too short to tell from the card's print (the seam searches
// above), and a level card's printed frames run along the axes too; but a
// card's own elements do not change colour all round an axis-aligned
// rectangle the way an editor's hue turn does while their print runs on
// across it.
//
// The physics of the edit: a hue/saturation adjustment maps each pixel's
// chroma about neutral grey, z → w·z (a turn by arg w, the saturation
// scaled by |w|). So the step across a side is (w−1)·z of the ground
// beside it, which changes along the sides where the ground does; grey
// print stays grey; and the saturation inside is the ground's, scaled a
// little. A printed panel, a seal or a portrait's background is an ink of
// its own: its offset does not follow the ground, and it is much more or
// much less saturated than the ground. A nearly grey ground cannot be
// turned, only tinted (a colour laid over it): there the offset is one
// offset all round.
//
// colourRect starts from a candidate side (rectSides: a run of windows
// that keep one chroma offset on a boundary, sharpest there in both of
// its halves, or a seam search's run too short to report on its own),
// finds the three other sides as the boundaries where the mean chroma
// shifts back, and measures the change along every side in short pieces
// and in the corners (rectTurnAgree, or rectAgree for a tint). The
// rectangle counts when the pieces and corners agree, the saturation
// inside is the ground's (rectSaturation), its light is the ground's
// within rectMinLight and rectMaxLight (rectLight), the print runs on across its
// sides (rectPrintRuns) and the ground outside changes around it by less
// than the edit's offset (rectRing), but for a band of another ink that
// the edit turned with the ground (rectRingTurned: a seal the selection
// cut across). A rectangle inside the portrait's face box is the face's
// own features, not a field.

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
	rectMaxRing     = 1.0  // most the ground outside the four sides may differ, over the offset
	rectTexture     = 2.5  // least print texture inside and outside the sides (gray levels per pixel, per side)
	rectShift       = 4    // lines either side a piece's step is compared with
	rectSharp       = 0.8  // a piece's step at the side must be at least this share of any within rectShift
	rectMaxSeeds    = 12   // candidate sides tried per axis
	rectDrift       = 4    // lines either side a candidate side's halves are compared over (rectStraight)
	rectTintGround  = 3.0  // ground chroma (levels from grey) under which an edit is a tint, not a turn
	rectMinSat      = 0.6  // least saturation inside over outside under a turn
	rectMaxSat      = 2.0  // most
	rectSatFloor    = 1.0  // levels added to both saturations (a grey inside or outside)
	rectMinLight    = 0.75 // least mean luma inside over the ground's outside
	rectMaxLight    = 1.33 // most (about 1/rectMinLight): light print on a dark band greys its chroma too
	rectOppTries    = 3    // opposite sides tried per seed side and direction
	rectGridStep    = 2 * rectMinStep
	rectGridLift    = 1.5 // least lift of the grid's phase over the others' (gridPhaseLift) for a photo to be blocked
)

// A coarse save moves each chroma block's DC by up to half a
// quantiser step: on the card's plain ground, after a downscale and a
// save at quality 60–75, a block (or a row of blocks) comes out one
// step, 2–3 levels, off its neighbours, a rectangle that keeps one
// offset all round with the ground's saturation and light, its four
// sides on the grid of the JPEG's chroma blocks. An editor's selection
// falls on that grid on all four sides only by chance (one in period⁴),
// so, as a seam on a block boundary needs twice the step (colourSeam),
// a rectangle whose four sides lie on the grid needs an offset of at
// least rectGridStep. Only on a blocked photo: where the mean squared
// chroma step on the grid's phase is at least rectGridLift times that
// on any other phase, across the rows or across the columns (a photo
// decoded at a reduced scale, or saved finely, shows no grid, and there
// a faint selection's own sides would set its phase).

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
	// sides is, over the offset; ringFailed says the rectangle was
	// refused for it.
	ring       float64
	ringFailed bool
}

// chromaSums are the integral images of the chroma planes.
type chromaSums struct {
	w, h   int
	cb, cr []int32
	// Scratch memory of rectRing, colourRect and turnPieces, kept with
	// the sums.
	pieces   [][2]float64
	cbs, crs []float64
	vals     []float64
	turns    []turnPiece
	shares   []float64
	// best is the largest agreement of a rectangle closed on these
	// planes so far (closeRect): one that cannot beat it is not given
	// the physical checks.
	best float64
	// face is the portrait's face box in chroma samples (empty when
	// none is known): a rectangle closed inside it is not counted.
	face image.Rectangle
	// period is the JPEG's chroma block in chroma samples (< 2: no
	// grid), phase the grid's phase across the rows (phase[0]: the
	// boundaries between rows) and across the columns (phase[1]), as
	// gridPhase finds them.
	period int
	phase  [2]int
}

// onGrid reports whether boundary b (between lines b-1 and b) between
// rows (horiz) or columns lies on the JPEG's chroma block grid.
func (s *chromaSums) onGrid(horiz bool, b int) bool {
	if s.period < 2 || b < 1 {
		return false
	}
	k := 1
	if horiz {
		k = 0
	}
	return (b-1)%s.period == s.phase[k]
}

func newChromaSums(cbp, crp []byte, stride, w, h int) *chromaSums {
	n := (w + 1) * (h + 1)
	s, _ := chromaPool.Get().(*chromaSums)
	if s == nil || cap(s.cb) < n {
		s = &chromaSums{cb: make([]int32, n), cr: make([]int32, n)}
	}
	s.w, s.h, s.cb, s.cr = w, h, s.cb[:n], s.cr[:n]
	s.best, s.face, s.period = 0, image.Rectangle{}, 0
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
				if rectStraight(sums, hz, start, u, b, mb/float64(n)/m, mr/float64(n)/m) {
					cs = append(cs, cand{seam{horiz: hz, l: b, a: start, b: u - 1}, m * float64(u-start)})
				}
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

// rectStraight reports whether a candidate side on boundary b over
// [u0,u1) runs along the axis: in each half of it, the step in the
// direction (ub, ur) is largest within one line of b among the lines up
// to rectDrift away. A printed edge of a tilted card steps across the
// boundaries as it goes (by ~length·tan φ), and the bands of rectBand
// lines that the step is measured over let it join a run on one boundary
// for a while.
func rectStraight(sums *chromaSums, hz bool, u0, u1, b int, ub, ur float64) bool {
	mid := (u0 + u1) / 2
	for _, h := range [2][2]int{{u0, mid}, {mid, u1}} {
		best, bestV := 0, math.Inf(-1)
		for d := -rectDrift; d <= rectDrift; d++ {
			if db, dr, ok := sums.step(hz, h[0], h[1], b+d); ok {
				if v := db*ub + dr*ur; v > bestV {
					best, bestV = d, v
				}
			}
		}
		if abs(best) > 1 {
			return false
		}
	}
	return true
}

// rectPrintRuns reports whether the card's print runs on across the
// rectangle's sides: the luma texture seamReach pixels inside its four
// sides and seamReach pixels outside them (summed over the sides) are
// each at least rectTexture gray levels per pixel per side, and the
// quieter at least seamTextureRatio of the busier. A hue edit changes
// the chroma under the selection, not the print, so the print goes on
// inside as outside; a printed panel or a portrait's background is
// plain inside, a coloured band with text in it busy inside and plain
// outside.
func rectPrintRuns(img *image.YCbCr, hz bool, u0, u1, v0, v1 int) bool {
	var in, out float64
	for k, s := range []seam{
		{horiz: hz, l: v0 - 2, a: u0 + 2, b: u1 - 3}, {horiz: hz, l: v1 - 2, a: u0 + 2, b: u1 - 3},
		{horiz: !hz, l: u0 - 2, a: v0 + 2, b: v1 - 3}, {horiz: !hz, l: u1 - 2, a: v0 + 2, b: v1 - 3},
	} {
		e1, e2 := seamTextures(img, s, seamReach)
		if k%2 == 1 { // the far sides: inside is before them
			e1, e2 = e2, e1
		}
		out, in = out+e1, in+e2
	}
	in, out = in/4, out/4
	return min(in, out) >= rectTexture && min(in, out) >= seamTextureRatio*max(in, out)
}

// rectRing is the largest Cb/Cr distance between the chroma of the
// bands just outside two of the four sides of [u0,u1)×[v0,v1), and the
// ground outside (gb, gr). Each band is cut into pieces of rectPiece
// samples; the ground is the median (Cb and Cr apart) of all the
// pieces' means, and a band's chroma is that of its piece at the lower
// median of their distances from the ground: a band is the ground when
// at least half of it is. A seal or a line of coloured print beside part
// of a side is an ink on the ground, not another ground; a face's
// rectangle in a portrait has hair along the whole of one side and the
// portrait's background along the others.
func rectRing(sums *chromaSums, hz bool, u0, u1, v0, v1 int) (far, gb, gr float64) {
	var bands [4][][2]float64 // slices of sums.pieces
	pieces, cbs, crs := sums.pieces[:0], sums.cbs[:0], sums.crs[:0]
	for i, b := range ringBands(u0, u1, v0, v1) {
		start := len(pieces)
		lo, hi := b[0], b[1] // along the band
		if i >= 2 {
			lo, hi = b[2], b[3]
		}
		n := max(1, (hi-lo)/rectPiece)
		for k := range n {
			p0, p1 := lo+k*(hi-lo)/n, lo+(k+1)*(hi-lo)/n
			var cb, cr float64
			var ok bool
			if i < 2 {
				cb, cr, ok = sums.box(hz, p0, p1, b[2], b[3])
			} else {
				cb, cr, ok = sums.box(hz, b[0], b[1], p0, p1)
			}
			if ok {
				pieces = append(pieces, [2]float64{cb, cr})
				cbs, crs = append(cbs, cb), append(crs, cr)
			}
		}
		bands[i] = pieces[start:len(pieces):len(pieces)]
	}
	sums.pieces, sums.cbs, sums.crs = pieces, cbs, crs
	if len(cbs) == 0 {
		return 0, 128, 128
	}
	slices.Sort(cbs)
	slices.Sort(crs)
	gb, gr = cbs[len(cbs)/2], crs[len(crs)/2]
	var vals [][2]float64
	for _, ps := range bands {
		if len(ps) == 0 {
			continue
		}
		dist := func(p [2]float64) float64 { return math.Hypot(p[0]-gb, p[1]-gr) }
		slices.SortFunc(ps, func(x, y [2]float64) int { return cmp.Compare(dist(x), dist(y)) })
		vals = append(vals, ps[(len(ps)-1)/2])
	}
	for i := range vals {
		for j := i + 1; j < len(vals); j++ {
			far = math.Max(far, math.Hypot(vals[i][0]-vals[j][0], vals[i][1]-vals[j][1]))
		}
	}
	return far, gb, gr
}

// ringBands are the bands of rectBand samples just outside the four
// sides of [u0,u1)×[v0,v1), off its corners by two samples, as
// [u0,u1,v0,v1] boxes: the ground around a rectangle (rectRing,
// rectLight).
func ringBands(u0, u1, v0, v1 int) [4][4]int {
	return [4][4]int{
		{u0 + 2, u1 - 2, v0 - 1 - rectBand, v0 - 1}, {u0 + 2, u1 - 2, v1 + 1, v1 + 1 + rectBand},
		{u0 - 1 - rectBand, u0 - 1, v0 + 2, v1 - 2}, {u1 + 1, u1 + 1 + rectBand, v0 + 2, v1 - 2},
	}
}

// rectSaturation is the chroma (distance from neutral grey, Cb = Cr =
// 128) of the mean inside [u0,u1)×[v0,v1), off its sides' bands, over
// that of the ground outside (gb, gr), each plus rectSatFloor levels.
func rectSaturation(sums *chromaSums, hz bool, u0, u1, v0, v1 int, gb, gr float64) float64 {
	ib, ir, ok := sums.box(hz, u0+2, u1-2, v0+2, v1-2)
	if !ok {
		return 0
	}
	return (math.Hypot(ib-128, ir-128) + rectSatFloor) / (math.Hypot(gb-128, gr-128) + rectSatFloor)
}

// rectLight is the mean luma inside [u0,u1)×[v0,v1) (chroma samples),
// off its sides' bands, over that of the ground in the bands just
// outside its four sides. A hue or saturation edit of a selection leaves
// its light about as it was; a block printed in black on a tinted ground
// (a two-dimensional code, a dense photo) dims the ground's chroma by its
// share of ink, as a desaturation would, but takes the light with it.
func rectLight(img *image.YCbCr, hz bool, u0, u1, v0, v1 int) float64 {
	in := lumaBox(img, hz, u0+2, u1-2, v0+2, v1-2)
	var out float64
	for _, b := range ringBands(u0, u1, v0, v1) {
		out += lumaBox(img, hz, b[0], b[1], b[2], b[3]) / 4
	}
	if out <= 0 {
		return 1
	}
	return in / out
}

// lumaBox is the mean luma of the chroma samples [u0,u1)×[v0,v1) (u
// along the rows when hz), every other luma pixel of each, clipped to the
// photo.
func lumaBox(img *image.YCbCr, hz bool, u0, u1, v0, v1 int) float64 {
	x0, x1, y0, y1 := 2*u0, 2*u1, 2*v0, 2*v1
	if !hz {
		x0, x1, y0, y1 = y0, y1, x0, x1
	}
	w, h := img.Rect.Dx(), img.Rect.Dy()
	x0, x1, y0, y1 = max(x0, 0), min(x1, w), max(y0, 0), min(y1, h)
	sum, n := 0, 0
	for y := y0; y < y1; y += 2 {
		row := img.Y[y*img.YStride:]
		for x := x0; x < x1; x += 2 {
			sum += int(row[x])
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return float64(sum) / float64(n)
}

// rectCorner is the mean chroma just inside the corner c of the
// rectangle whose far sides are u1 and v1 (a square of rectBand samples
// one sample in from c), and just outside it (the same, two samples out
// from c diagonally): a selection's corner is sharp, a disc's or a
// rounded frame's box has no offset there.
func rectCorner(sums *chromaSums, hz bool, c [2]int, u1, v1 int) (ib, ir, ob, or float64, ok bool) {
	su, sv := 1, 1
	if c[0] == u1 {
		su = -1
	}
	if c[1] == v1 {
		sv = -1
	}
	span := func(at, s, near int) (int, int) {
		return min(at+s*near, at+s*(near+rectBand)), max(at+s*near, at+s*(near+rectBand)) + 1
	}
	iu0, iu1 := span(c[0], su, 1)
	iv0, iv1 := span(c[1], sv, 1)
	ou0, ou1 := span(c[0], -su, 2)
	ov0, ov1 := span(c[1], -sv, 2)
	ib, ir, ok1 := sums.box(hz, iu0, iu1, iv0, iv1)
	ob, or, ok2 := sums.box(hz, ou0, ou1, ov0, ov1)
	return ib, ir, ob, or, ok1 && ok2
}

// cornerGround is what the chroma just inside a corner is measured
// against: the chroma just outside it (ob, or), or the ground around the
// rectangle (gb, gr) when the outside strays from the ground by more
// than rectMaxOff of the offset m but no more than m (grey print or a
// faint ink beside the corner: a selection's corner holds the edited
// ground however the card is printed beyond it, so it steps from the
// ground; a disc's or a rounded frame's box holds the ground itself there
// and steps from neither). An outside further than m is another ink
// that the selection may have cut through and turned with the ground
// (letOffCorner): it is measured against that ink.
func cornerGround(ob, or, gb, gr, m float64) (float64, float64) {
	if d := math.Hypot(ob-gb, or-gr); d > rectMaxOff*m && d <= m {
		return gb, gr
	}
	return ob, or
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
		// The opposite side: in-out there is -dir*step, over the seed's
		// whole extent or, where a seal or print lies across part of
		// it, over most of it (thirdsStep). The strongest such boundary
		// may be a printed edge beyond the selection (the card's band, a
		// line of dark text), so the rectOppTries strongest local maxima
		// are each tried.
		vals := sums.vals[:0]
		for h := rectMinSide; h <= maxH; h++ {
			b := bestB + dir*h
			if !in((a+bEnd)/2, b) {
				break
			}
			v := 0.0
			if db, dr, ok := sums.step(hz, a, bEnd, b); ok {
				v = -float64(dir) * proj(db, dr)
			}
			if v < rectMinAgree*m {
				// Under the cut over the whole extent: a seal's edge
				// along a third of it may hide the step.
				v = max(v, -float64(dir)*thirdsStep(sums, hz, a, bEnd, b, ub, ur))
			}
			vals = append(vals, v)
		}
		sums.vals = vals
		var opps [rectOppTries]int
		var oppVs [rectOppTries]float64
		for k, v := range vals {
			if v < rectMinAgree*m || (k > 0 && vals[k-1] > v) || (k+1 < len(vals) && vals[k+1] >= v) {
				continue
			}
			// Insert, strongest first.
			for j := range opps {
				if v > oppVs[j] {
					copy(opps[j+1:], opps[j:len(opps)-1])
					copy(oppVs[j+1:], oppVs[j:len(oppVs)-1])
					opps[j], oppVs[j] = bestB+dir*(rectMinSide+k), v
					break
				}
			}
		}
		for j, oppB := range opps {
			if oppVs[j] == 0 {
				break
			}
			if r := closeRect(img, sums, hz, in, long, a, bEnd, bestB, oppB, ib, ir, m); r.agree > res.agree {
				res = r
			}
		}
	}
	return res
}

// thirdsStep is the median of the chroma steps across boundary b of the
// three thirds of [a, bEnd), each projected on (ub, ur), when one third
// steps (its whole chroma step) by at least twice that median; else 0,
// as when a third lies off the planes. A seal that the selection's side
// runs beside or across for part of its length steps by its own ink
// there, far more than the edit's turn of the ground does, and in the
// mean over the whole side it can outweigh the edit's step along the
// rest (the sides across are measured by their thirds too). Where no
// third is another ink's edge, the mean stands alone.
func thirdsStep(sums *chromaSums, hz bool, a, bEnd, b int, ub, ur float64) float64 {
	var vs, ms [3]float64
	for k := range vs {
		p0, p1 := a+k*(bEnd-a)/3, a+(k+1)*(bEnd-a)/3
		db, dr, ok := sums.step(hz, p0, p1, b)
		if !ok {
			return 0
		}
		vs[k], ms[k] = db*ub+dr*ur, db*db+dr*dr
	}
	med := max(min(vs[0], vs[1]), min(max(vs[0], vs[1]), vs[2]))
	// Only another ink's edge: a third stepping by at least twice the
	// median (squared lengths).
	if max(ms[0], ms[1], ms[2]) < 4*med*med {
		return 0
	}
	return med
}

// closeRect closes a rectangle between the seed side on boundary bestB
// (along [a, bEnd)) and the opposite side on oppB, with the offset
// (ib, ir) inside minus outside at the seed side (length m), finds the
// two sides across and measures it (rectAgree or rectTurnAgree and the
// physical checks).
func closeRect(img *image.YCbCr, sums *chromaSums, hz bool, in func(u, v int) bool, long float64, a, bEnd, bestB, oppB int, ib, ir, m float64) rectResult {
	res := closeRectBy(img, sums, hz, in, long, a, bEnd, bestB, oppB, ib, ir, m, false)
	if res.ringFailed {
		// The ground around changed by more than the offset: the side
		// across may have been set on another ink's edge (a seal the
		// selection cut across, whose part inside was turned with the
		// ground, steps against the seed's offset at the selection's
		// side and with it at its own edge inside). Under a turn, the
		// selection's side is where each third steps as the turn says.
		if r := closeRectBy(img, sums, hz, in, long, a, bEnd, bestB, oppB, ib, ir, m, true); r.agree > res.agree {
			return r
		}
	}
	return res
}

// closeRectBy is closeRect, the sides across found on the seed's offset
// or, byTurn, on the turn's predicted steps (turnStep).
func closeRectBy(img *image.YCbCr, sums *chromaSums, hz bool, in func(u, v int) bool, long float64, a, bEnd, bestB, oppB int, ib, ir, m float64, byTurn bool) rectResult {
	var res rectResult
	ub, ur := ib/m, ir/m
	proj := func(db, dr float64) float64 { return db*ub + dr*ur }
	v0, v1 := min(bestB, oppB), max(bestB, oppB) // inside lines [v0, v1)
	// The sides across: along u, inside is beyond the left one.
	span := bEnd - a
	// A side across is measured as the median of the steps of its
	// three thirds: under a turn the step there is the ground's beside
	// it turned, and where another ink lies beside part of the side (a
	// seal, a band), its own step there would outweigh the rest in a
	// mean over the whole side.
	third := func(k int) (int, int) { return v0 + 1 + k*(v1-v0-2)/3, v0 + 1 + (k+1)*(v1-v0-2)/3 }
	// byTurn: each third's step is read on the step the turn fitted on
	// the seed and opposite sides predicts there (turnStep), not on the
	// seed's offset.
	var wr, wi float64
	if byTurn {
		var ok bool
		if wr, wi, ok = sideTurn(sums, hz, a, bEnd, v0, v1); !ok {
			return res
		}
	}
	perp := func(lo, hi, sign int) (int, float64) {
		bb, bv := 0, 0.0
		for u := lo; u <= hi; u++ {
			if !in(u, (v0+v1)/2) {
				continue
			}
			var vs [3]float64
			ok := true
			for k := range vs {
				p0, p1 := third(k)
				db, dr, ok1 := sums.step(!hz, p0, p1, u)
				vs[k], ok = float64(sign)*proj(db, dr), ok && ok1
				if byTurn {
					vs[k] = turnStep(sums, !hz, p0, p1, u, sign, wr, wi, m)
				}
			}
			if !ok {
				continue
			}
			if v := max(min(vs[0], vs[1]), min(max(vs[0], vs[1]), vs[2])); v > bv {
				bb, bv = u, v
			}
		}
		return bb, bv
	}
	ul, vl := perp(a-rectWindow, a+rectWindow, 1)
	ur2, vr := perp(bEnd-rectWindow, bEnd+rectWindow, -1)
	// The seed's ends are known to a window's step either way (a
	// candidate side is a run of windows of rectWindow samples, every
	// rectWindow/2).
	if float64(ur2-ul) < min(0.75*float64(span), float64(span-rectWindow)) || float64(min(ur2-ul, v1-v0)) < rectMinSize*long {
		return res
	}
	if vl < rectMinAgree*m || vr < rectMinAgree*m || ur2-ul < rectMinSide || v1-v0 < rectMinSide {
		return res
	}
	// The sides were found as the boundaries where a step between
	// bands of rectBand lines, two lines apart, is largest: that step
	// holds on the next boundary as well. Each side is set on the
	// boundary, within one of it, where the chroma steps most between
	// the two lines either side (the selection's edge).
	v0, v0s := sharpSides(sums, hz, ul+2, ur2-2, v0)
	v1, v1s := sharpSides(sums, hz, ul+2, ur2-2, v1)
	ul, uls := sharpSides(sums, !hz, v0+2, v1-2, ul)
	ur2, urs := sharpSides(sums, !hz, v0+2, v1-2, ur2)
	res = measureRect(img, sums, hz, ul, ur2, v0, v1, ib, ir, m)
	// An edge that falls inside a chroma line splits its step over the
	// boundaries either side of that line, and the side set on the one
	// may fail the pieces' sharpness where the other passes: each side
	// whose step is split is tried on its other boundary too, one side at
	// a time. Only where the light inside is the ground's (rectSplitLight):
	// a block of dark print on a coloured ground, its chroma pulled
	// towards grey by the subsampling and a coarse quantiser, is a
	// rectangle of the JPEG's chroma blocks whose sides split as well.
	if res.ok || rectLight(img, hz, ul, ur2, v0, v1) < rectSplitLight {
		return res
	}
	alt := [4][2]int{{v0, v0s}, {v1, v1s}, {ul, uls}, {ur2, urs}}
	for j, a := range alt {
		if a[1] < 0 {
			continue
		}
		c := [4]int{v0, v1, ul, ur2}
		c[j] = a[1]
		if r := measureRect(img, sums, hz, c[2], c[3], c[0], c[1], ib, ir, m); r.agree > res.agree {
			res = r
		}
	}
	return res
}

// measureRect measures the rectangle [ul,ur2)×[v0,v1) closed from a
// seed side whose offset inside minus outside is (ib, ir), of length m:
// the ground around it (rectRing, rectRingTurned), what the edit did to
// it (rectAgree, rectTurnAgree) and the physical checks.
func measureRect(img *image.YCbCr, sums *chromaSums, hz bool, ul, ur2, v0, v1 int, ib, ir, m float64) rectResult {
	var res rectResult
	// A face's own features (the brows over the eyes, the eyes' whites
	// and irises beside the skin) are small inks of their own that a
	// rectangle closes around; a field of the card is not in the face.
	box := image.Rect(ul, v0, ur2, v1)
	if !hz {
		box = image.Rect(v0, ul, v1, ur2)
	}
	if !sums.face.Empty() && box.In(sums.face) {
		return res
	}
	// The ground outside, and what the edit did to it: a hue turn (or a
	// saturation change), or a tint laid over it (a colour balance, a
	// tinted layer: one offset whatever the ground beneath), the one
	// edit that colours a nearly grey ground. A nearly grey ground may
	// still carry a faint tint of its own that a turn moves (a channel
	// swap of a ground 3 levels from grey steps by 5), and an editor's
	// hue shift in HSV is neither a turn nor a tint exactly, so both
	// readings are tried and the larger kept; on a coloured ground
	// either must keep the saturation band.
	ringD, gb, gr := rectRing(sums, hz, ul, ur2, v0, v1)
	// The ground outside may change around the selection (the turn
	// follows it), but not by more than the edit's own offset: a face's
	// rectangle inside a portrait has hair above it and the portrait's
	// background beside it.
	ring := ringD / m
	turnSat := 0.0 // |w| when the ring holds an ink the edit turned
	if ring > rectMaxRing {
		// Unless the other ground is an ink the selection cut through
		// and the edit turned with the card's ground (a seal straddling
		// a side).
		far, wm := rectRingTurned(sums, hz, ul, ur2, v0, v1, m, gb, gr)
		if ring = far / m; ring > rectMaxRing {
			res.ringFailed = true
			return res
		}
		turnSat = wm
	}
	// A block of the JPEG's chroma whose DC the quantiser moved: the
	// inside's mean off the ground by less than rectGridStep, all four
	// sides on the grid.
	if sums.onGrid(!hz, ul) && sums.onGrid(!hz, ur2) && sums.onGrid(hz, v0) && sums.onGrid(hz, v1) {
		if tb, tr, ok := sums.box(hz, ul+2, ur2-2, v0+2, v1-2); ok && math.Hypot(tb-gb, tr-gr) < rectGridStep {
			return res
		}
	}
	grey := math.Hypot(gb-128, gr-128) < rectTintGround
	// A turn keeps the ground's saturation, or scales it a little: a
	// seal or a portrait's background on the card's ground is an ink of
	// its own, several times as saturated as the ground or much greyer.
	sat := rectSaturation(sums, hz, ul, ur2, v0, v1, gb, gr)
	if turnSat > 0 {
		// The inside holds the other ink, turned, beside the ground:
		// its mean is neither's (a turned seal and the turned ground
		// may cancel), and the turn's own scale is the saturation the
		// edit gave the ground.
		sat = turnSat
	}
	band := sat >= rectMinSat && sat <= rectMaxSat
	var agree float64
	if grey || band {
		// A tint is one offset: the inside's mean over the ground's
		// measures it over the whole rectangle, where the seed side's
		// step is one side's.
		tb, tr, _ := sums.box(hz, ul+2, ur2-2, v0+2, v1-2)
		tb, tr = tb-gb, tr-gr
		if tm := math.Hypot(tb, tr); tm >= rectMinStep {
			agree = rectAgree(sums, hz, ul, ur2, v0, v1, tb/tm, tr/tm, tm, gb, gr)
		}
	}
	if band {
		agree = max(agree, rectTurnAgree(sums, hz, ul, ur2, v0, v1, m, gb, gr))
	}
	if agree <= sums.best {
		// No better than a rectangle closed before on these planes
		// (only the best is reported).
		return res
	}
	// The physical checks apply to every rectangle that would be the
	// best so far, not only to those over the cut, so that colour_rect
	// is the agreement of a rectangle that an edit could have made: a
	// genuine card's score is how near its print came to passing for
	// one.
	if light := rectLight(img, hz, ul, ur2, v0, v1); !rectPrintRuns(img, hz, ul, ur2, v0, v1) || light < rectMinLight || light > rectMaxLight {
		return res
	}
	sums.best = agree
	if agree > res.agree {
		res = rectResult{ok: agree >= rectMinAgree, horiz: hz, u0: ul, u1: ur2, v0: v0, v1: v1, dcb: ib, dcr: ir, agree: agree, mag: m, ring: ring}
	}
	return res
}

// sideTurn fits the turn w = wr + i·wi (fitTurn's sums) to the means
// just outside and inside two sides of the rectangle along [u0,u1), on
// boundaries v0 and v1 (inside: the lines between them); ok is false
// when either side lies off the planes or both outsides are grey.
func sideTurn(sums *chromaSums, hz bool, u0, u1, v0, v1 int) (wr, wi float64, ok bool) {
	var den float64
	for k, b := range [2]int{v0, v1} {
		ob, or, ok1 := sums.box(hz, u0, u1, b-1-rectBand, b-1)
		ib, ir, ok2 := sums.box(hz, u0, u1, b+1, b+1+rectBand)
		if !ok1 || !ok2 {
			return 0, 0, false
		}
		if k == 1 { // inside is before the far side
			ob, or, ib, ir = ib, ir, ob, or
		}
		ob, or, ib, ir = ob-128, or-128, ib-128, ir-128
		wr += ib*ob + ir*or
		wi += ir*ob - ib*or
		den += ob*ob + or*or
	}
	if den == 0 {
		return 0, 0, false
	}
	return wr / den, wi / den, true
}

// turnStep is the step across boundary b over [p0,p1) along the axis
// hz (inside beyond b when sign > 0) read on the step the turn w
// predicts there, (w−1)·z of the outside, and scaled to m: m when the
// step is the predicted one. It is 0 when the prediction is under
// rectMinStep or the step strays from its direction by more than
// rectMaxOff of it.
func turnStep(sums *chromaSums, hz bool, p0, p1, b, sign int, wr, wi, m float64) float64 {
	bb, br, ok1 := sums.box(hz, p0, p1, b-1-rectBand, b-1)
	ab, ar, ok2 := sums.box(hz, p0, p1, b+1, b+1+rectBand)
	if !ok1 || !ok2 {
		return 0
	}
	if sign < 0 {
		bb, br, ab, ar = ab, ar, bb, br
	}
	ob, or := bb-128, br-128
	pb := (wr-1)*ob - wi*or
	pr := wi*ob + (wr-1)*or
	pm := math.Hypot(pb, pr)
	if pm < rectMinStep {
		return 0
	}
	db, dr := ab-bb, ar-br
	along, off := (db*pb+dr*pr)/pm, math.Abs(-db*pr+dr*pb)/pm
	if off > rectMaxOff*pm {
		return 0
	}
	return m * along / pm
}

// sharpSide is the boundary within one of b (between lines b-1 and b
// across the axis hz, over [lo, hi) along it) with the largest chroma
// step between its two lines.
func sharpSide(sums *chromaSums, hz bool, lo, hi, b int) int {
	best, _ := sharpSides(sums, hz, lo, hi, b)
	return best
}

// rectSplit is the least share of the sharpest boundary's step that its
// neighbour must step by, the same way, for the side's edge to be taken
// as split between the two; rectSplitLight is the least mean luma inside
// a rectangle over the ground's outside for its split sides to be tried
// on their other boundary (a hue or saturation edit leaves the light as
// it was: three of the colour changes so found on development seeds
// 180–189 read 0.98–1.02 on the generator's rectangle; a q 50 re-save's
// block of dark digits that reached 0.45 on its other boundaries, 0.87).
const (
	rectSplit      = 0.5
	rectSplitLight = 0.95
)

// sharpSides is sharpSide and, when the neighbouring boundary on either
// side of the sharpest steps by at least rectSplit of it (an edge that
// falls inside a chroma line steps over the boundaries either side of
// that line), the larger such neighbour (second); -1 when none does.
func sharpSides(sums *chromaSums, hz bool, lo, hi, b int) (best, second int) {
	var steps [5][2]float64 // boundaries b-2 … b+2: the Cb, Cr steps
	ok := [5]bool{}
	for c := b - 2; c <= b+2; c++ {
		pb, pr, ok1 := sums.box(hz, lo, hi, c-1, c)
		nb, nr, ok2 := sums.box(hz, lo, hi, c, c+1)
		if ok1 && ok2 {
			steps[c-b+2], ok[c-b+2] = [2]float64{nb - pb, nr - pr}, true
		}
	}
	best, bestV := b, -1.0
	for c := b - 1; c <= b+1; c++ {
		if ok[c-b+2] {
			if v := math.Hypot(steps[c-b+2][0], steps[c-b+2][1]); v > bestV {
				best, bestV = c, v
			}
		}
	}
	// The neighbour's step must go the sharpest's way: a line of
	// print one chroma line wide steps back at its far side.
	second, secondV := -1, rectSplit*bestV
	if bestV <= 0 {
		return best, second
	}
	sb, sr := steps[best-b+2][0]/bestV, steps[best-b+2][1]/bestV
	for _, c := range [2]int{best - 1, best + 1} {
		if ok[c-b+2] {
			if v := steps[c-b+2][0]*sb + steps[c-b+2][1]*sr; v >= secondV {
				second, secondV = c, v
			}
		}
	}
	return best, second
}

// rectAgree is the least share of the offset m (direction ub, ur) that
// the pieces of the four sides of [u0,u1)×[v0,v1) carry, inside minus
// outside; a piece straying off the direction by more than rectMaxOff
// of m counts as 0.
func rectAgree(sums *chromaSums, hz bool, u0, u1, v0, v1 int, ub, ur, m, gb, gr float64) float64 {
	// The side pieces' shares go to sums's scratch slice.
	sides, corners := sums.shares[:0], make([]float64, 0, 4)
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
	var foreign [4]bool
	for k, c := range [4][2]int{{u0, v0}, {u1, v0}, {u0, v1}, {u1, v1}} {
		ib, ir, ob, or, ok := rectCorner(sums, hz, c, u1, v1)
		if !ok {
			corners = append(corners, 0)
			continue
		}
		foreign[k] = math.Hypot(ob-gb, or-gr) > m
		ob, or = cornerGround(ob, or, gb, gr, m)
		corners = append(corners, share(ib-ob, ir-or))
	}
	corners = letOffCorner(corners, foreign)
	// A glyph or a grey line of print (which a hue turn leaves as it
	// is) may cross a piece or a corner: the weakest rectSideSkip of the
	// pieces and one corner are let off.
	sums.shares = sides
	slices.Sort(sides)
	slices.Sort(corners)
	// A disc or a rounded frame steps as strongly as a rectangle at the
	// middle of its box's sides but less in its corners, where the
	// selection's corners carry the whole offset.
	if mean(corners) < rectCornerRatio*sides[len(sides)/2] {
		return 0
	}
	return min(sides[int(rectSideSkip*float64(len(sides)))], corners[0])
}

// rectTurnAgree is rectAgree under a hue turn: the editor mapped each
// pixel's chroma z (Cb + i·Cr about neutral grey) inside the selection
// to w·z, one complex factor (a turn by arg w, the saturation scaled by
// |w|), so the step across each piece of a side is (w−1)·z of the ground
// just outside that piece, and changes along the sides where the ground
// does (a guilloche of two inks, a tint gradient, a text line). w is the
// least-squares fit to the pieces' means outside and inside; a piece's
// share is its step projected on its own predicted step, over the larger
// of that and half the mean offset m (a piece on grey print, which a
// turn leaves grey, predicts and carries little). The sharpness, corner
// and let-off rules are rectAgree's.
func rectTurnAgree(sums *chromaSums, hz bool, u0, u1, v0, v1 int, m, gb, gr float64) float64 {
	ps := turnPieces(sums, hz, u0, u1, v0, v1)
	var cs []turnPiece
	for _, c := range [4][2]int{{u0, v0}, {u1, v0}, {u0, v1}, {u1, v1}} {
		ib, ir, ob, or, ok := rectCorner(sums, hz, c, u1, v1)
		cs = append(cs, turnPiece{ob: ob - 128, or: or - 128, ib: ib - 128, ir: ir - 128, ok: ok})
	}
	// What the corners are measured against (cornerGround) is set once
	// the foreign ones are known.
	var cornerOut [4][2]float64
	for k, c := range cs {
		ob, or := cornerGround(c.ob+128, c.or+128, gb, gr, m)
		cornerOut[k] = [2]float64{ob - 128, or - 128}
	}
	wr, wi, ok := fitTurn(ps, m, gb, gr)
	if !ok {
		return 0
	}
	// share is the piece's measured step on its predicted one, and the
	// predicted step's direction.
	share := func(p turnPiece) (float64, float64, float64) {
		pb := (wr-1)*p.ob - wi*p.or
		pr := wi*p.ob + (wr-1)*p.or
		pm := math.Hypot(pb, pr)
		if !p.ok || pm == 0 {
			return 0, 0, 0
		}
		ub, ur := pb/pm, pr/pm
		db, dr := p.ib-p.ob, p.ir-p.or
		d := math.Max(pm, 0.5*m)
		if math.Abs(-db*ur+dr*ub) > rectMaxOff*d {
			return 0, ub, ur
		}
		return (db*ub + dr*ur) / d, ub, ur
	}
	// The side pieces' shares go to sums's scratch slice.
	sides, corners := sums.shares[:0], make([]float64, 0, 4)
	for _, p := range ps {
		sh, ub, ur := share(p)
		if sh > 0 {
			// The step must be sharpest at the side.
			db, dr, _ := sums.step(p.along, p.p0, p.p1, p.b)
			at := float64(p.sgn) * (db*ub + dr*ur)
			for d := -rectShift; d <= rectShift; d++ {
				if d < -1 || d > 1 {
					if eb, er, ok := sums.step(p.along, p.p0, p.p1, p.b+d); ok && float64(p.sgn)*(eb*ub+er*ur)*rectSharp > at {
						sh = 0
					}
				}
			}
		}
		sides = append(sides, sh)
	}
	var foreign [4]bool
	for k, c := range cs {
		foreign[k] = c.ok && math.Hypot(c.ob+128-gb, c.or+128-gr) > m
		c.ob, c.or = cornerOut[k][0], cornerOut[k][1]
		sh, _, _ := share(c)
		corners = append(corners, sh)
	}
	corners = letOffCorner(corners, foreign)
	sums.shares = sides
	slices.Sort(sides)
	slices.Sort(corners)
	if mean(corners) < rectCornerRatio*sides[len(sides)/2] {
		return 0
	}
	return min(sides[int(rectSideSkip*float64(len(sides)))], corners[0])
}

// rectRingTurned is rectRing's distance, with the ground (gb, gr) given,
// over the bands that are the ground or not the edit's: a band whose
// chroma is another ink (its piece of lower-median distance from the
// ground is over m from it) is left out when the turn fitted on the
// ground (fitTurn) carries at least half of its foreign pieces over to
// what lies just inside (rectTurnCarries). A selection drawn across a
// seal or a band turned the part inside with the ground, so the ink
// steps across the side as the turn says; a face's box in a portrait
// has hair along one side and the portrait's background along the
// others, and no one turn takes both to the face. At most two bands are
// left out (a seal over a corner); otherwise the distance is infinite.
// wm is the turn's scale |w|.
func rectRingTurned(sums *chromaSums, hz bool, u0, u1, v0, v1 int, m, gb, gr float64) (far, wm float64) {
	ps := turnPieces(sums, hz, u0, u1, v0, v1)
	wr, wi, ok := fitTurn(ps, m, gb, gr)
	if !ok {
		return math.Inf(1), 0
	}
	dist := func(p turnPiece) float64 { return math.Hypot(p.ob+128-gb, p.or+128-gr) }
	reps := make([][2]float64, 0, 4)
	left := 0
	band := make([]turnPiece, 0, len(ps))
	for k := range 4 {
		band = band[:0]
		for _, p := range ps {
			if p.side == k && p.ok {
				band = append(band, p)
			}
		}
		if len(band) == 0 {
			continue
		}
		slices.SortFunc(band, func(x, y turnPiece) int { return cmp.Compare(dist(x), dist(y)) })
		rep := band[(len(band)-1)/2]
		if dist(rep) > m {
			foreign, carried := 0, 0
			for _, p := range band {
				if dist(p) > m {
					foreign++
					if rectTurnCarries(p, wr, wi) {
						carried++
					}
				}
			}
			if 2*carried >= foreign {
				left++
				continue
			}
		}
		reps = append(reps, [2]float64{rep.ob, rep.or})
	}
	wm = math.Hypot(wr, wi)
	if left > 2 {
		return math.Inf(1), wm
	}
	for i := range reps {
		for j := i + 1; j < len(reps); j++ {
			far = math.Max(far, math.Hypot(reps[i][0]-reps[j][0], reps[i][1]-reps[j][1]))
		}
	}
	return far, wm
}

// rectTurnCarries reports whether the turn w = wr + i·wi takes piece p's
// outside to its inside: the step predicted, (w−1)·z_out, is at least
// rectMinStep, and the step measured is at least rectMinAgree of it in its
// direction and strays from that direction by at most rectMaxOff of it.
func rectTurnCarries(p turnPiece, wr, wi float64) bool {
	pb := (wr-1)*p.ob - wi*p.or
	pr := wi*p.ob + (wr-1)*p.or
	pm := math.Hypot(pb, pr)
	if pm < rectMinStep {
		return false
	}
	db, dr := p.ib-p.ob, p.ir-p.or
	along, off := (db*pb+dr*pr)/pm, math.Abs(-db*pr+dr*pb)/pm
	return along >= rectMinAgree*pm && off <= rectMaxOff*pm
}

// turnPiece is a piece of a side (or a corner): where its step is
// measured (along the axis hz when along, over [p0,p1) on boundary b,
// inside beyond it when sgn > 0), its side (0–3: the sides at v0, v1, u0,
// u1), and its means just outside and inside about neutral grey.
type turnPiece struct {
	along          bool
	p0, p1, b, sgn int
	side           int
	ob, or, ib, ir float64
	ok             bool
}

// turnPieces cuts the four sides of [u0,u1)×[v0,v1), off its corners by
// two samples, into pieces of about rectPiece samples and reads their
// means rectBand lines outside and inside (the bands of ringBands and
// their mirrors inside).
func turnPieces(sums *chromaSums, hz bool, u0, u1, v0, v1 int) []turnPiece {
	// The pieces are read into sums's scratch slice: each caller is done
	// with them before the next call.
	ps := sums.turns[:0]
	side := func(k int, along bool, lo, hi, b, sgn int) {
		n := max(1, (hi-lo)/rectPiece)
		for j := range n {
			p := turnPiece{along: along, p0: lo + j*(hi-lo)/n, p1: lo + (j+1)*(hi-lo)/n, b: b, sgn: sgn, side: k}
			bb, br, ok1 := sums.box(along, p.p0, p.p1, b-1-rectBand, b-1)
			ab, ar, ok2 := sums.box(along, p.p0, p.p1, b+1, b+1+rectBand)
			p.ok = ok1 && ok2
			if sgn < 0 {
				bb, br, ab, ar = ab, ar, bb, br
			}
			p.ob, p.or, p.ib, p.ir = bb-128, br-128, ab-128, ar-128
			ps = append(ps, p)
		}
	}
	side(0, hz, u0+2, u1-2, v0, 1)
	side(1, hz, u0+2, u1-2, v1, -1)
	side(2, !hz, v0+2, v1-2, u0, 1)
	side(3, !hz, v0+2, v1-2, u1, -1)
	sums.turns = ps
	return ps
}

// fitTurn fits the turn w = Σ z_in·conj(z_out) / Σ |z_out|² (returned as
// its real and imaginary parts) over the side pieces whose outside is
// the ground (gb, gr) within m, or over all of them when none is: the
// edit turned the ground, and a seal or a band of another ink beside
// part of a side, many times as saturated, would weigh in the sums by
// the square of its chroma and turn the fit its way.
func fitTurn(ps []turnPiece, m, gb, gr float64) (wr, wi float64, ok bool) {
	fit := func(ground bool) (wr, wi, den float64) {
		for _, p := range ps {
			if p.ok && (!ground || math.Hypot(p.ob+128-gb, p.or+128-gr) <= m) {
				wr += p.ib*p.ob + p.ir*p.or
				wi += p.ir*p.ob - p.ib*p.or
				den += p.ob*p.ob + p.or*p.or
			}
		}
		return wr, wi, den
	}
	wr, wi, den := fit(true)
	if den == 0 {
		wr, wi, den = fit(false)
	}
	if den == 0 {
		return 0, 0, false
	}
	return wr / den, wi / den, true
}

// letOffCorner drops from the four corners' shares the weakest of those
// whose outside is foreign: the chroma just outside the corner differs
// from the ground around the rectangle by more than the edit's offset
// (a seal or the card's band beside the corner). A corner is measured
// against the ground it was cut from; where the outside is another ink,
// the inside, still the ground turned, cannot agree with it. At most
// one corner is let off, and only such a one: a disc's box has the
// ground outside each of its corners.
func letOffCorner(corners []float64, foreign [4]bool) []float64 {
	k := -1
	for i, f := range foreign {
		if f && (k < 0 || corners[i] < corners[k]) {
			k = i
		}
	}
	if k < 0 {
		return corners
	}
	return append(corners[:k:k], corners[k+1:]...)
}

// mean is the mean of xs (0 when empty).
func mean(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}
