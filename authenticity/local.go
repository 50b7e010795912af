package authenticity

import (
	"image"
	"math"
	"sync"
)

// block is the side, in working pixels, of the cells of the noise map.
const block = 8

// localResult is what localAnomaly found: for the largest too-smooth
// region, its share of the document, its residual relative to the
// document's, the standard deviation of its cells' mean luma (spread),
// the share of the document its largest exactly flat patch covers, its
// box in original pixels, and whether it is to be reported.
//
// rect and ring are flatRect's measures (rectMeasured: the photo had an
// exactly flat cell to start from); when the region is not reported and
// flatRect's rectangle is, found is set and box is that rectangle.
type localResult struct {
	frac, resid, spread, patch float64
	rect, ring                 float64
	// quantFlat is the share of the region's cells whose JPEG blocks
	// were read and are all flat (no AC coefficient among the 15
	// lowest), known the share that were read; restFlat the share of the
	// document's other cells that are flat, of those read.
	quantFlat, known, restFlat float64
	box                        image.Rectangle
	found, rectMeasured        bool
	// riser is the least ring residual, over the sides inside the
	// document, of the largest exactly flat rectangle in the region
	// (measured only on a coarse, flattened photo: riserMeasured), and
	// terrace says the region was dropped for it (MinCoarseRing).
	riser                  float64
	riserMeasured, terrace bool
}

// localAnomaly maps the noise residual of the luma (how far each pixel is
// from the mean of its four neighbours) over 8×8 cells inside the
// document, and looks for a connected region of cells far smoother than
// the document's median: paint, a pasted digital image or a retouched
// field lacks the sensor noise and print texture around it. The largest
// such region is reported when it is large and smooth enough: its mean
// residual at most MaxRegionResidual (noise-free, as paint and a pasted
// digital picture are), or at most MaxFlatResidual with a spread at most
// MaxFlatSpread (one flat colour laid over the lighting of the photo). A
// genuine photo downscaled or saved again at a lower quality has smooth
// patches too, but they keep some noise and follow the light falling on
// the card.
//
// coarse says the photo's own quantiser erases sensor noise (a JPEG saved
// at a low quality, QuantScale): there a genuine card's plain print is
// noise-free too, so a noise-free region that is not one flat colour (the
// second rule) must also hold an exactly flat patch (cells whose every
// pixel equals the mean of its neighbours) of at least MinFlatPatch of the
// document: paint is one colour, while the quantised print still steps
// with the light from block to block.
//
// blocks (nil: unknown) says whether the JPEG blocks under a rectangle of
// the upright photo were read and are flat (blockMap.flat). When the
// region lies on flat blocks and the card has flat blocks elsewhere too
// (flattened), either rule must also find one colour: an exactly flat
// patch of at least MinFlatPatch of the document and MinFlatShare of the
// region (paint is one colour over most of its region; a plain band of
// the card flattened by a downscale or an earlier low-quality save steps
// with the light from block to block).
func localAnomaly(img *image.YCbCr, quad [][2]float64, scale float64, coarse bool, blocks func(image.Rectangle) (known, flat bool), o Options) (lr localResult) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	cw, ch := w/block, h/block
	if cw < 4 || ch < 4 {
		return lr
	}
	if scale <= 0 {
		scale = 1
	}
	var poly [][2]float64
	for _, p := range quad {
		poly = append(poly, [2]float64{p[0] / scale, p[1] / scale})
	}
	sc := getLocalScratch()
	defer localPool.Put(sc)
	sc.res, sc.lum, sc.in = cleared(sc.res, cw*ch), cleared(sc.lum, cw*ch), cleared(sc.in, cw*ch)
	res, lum, in := sc.res, sc.lum, sc.in
	all := sc.all[:0]
	defer func() { sc.all = all[:0] }()
	for cy := 0; cy < ch; cy++ {
		for cx := 0; cx < cw; cx++ {
			k := cy*cw + cx
			x0, y0 := cx*block, cy*block
			if len(poly) == 4 && !insideQuad(poly, float64(x0)+block/2, float64(y0)+block/2) {
				continue
			}
			r, l, usable := cellResidual(img, x0, y0)
			if !usable {
				continue
			}
			in[k], res[k], lum[k] = true, r, l
			all = append(all, r)
		}
	}
	if len(all) < 16 {
		return lr
	}
	med := nth(all, len(all)/2)
	if med <= 0 {
		return lr
	}
	sc.smooth = cleared(sc.smooth, len(res))
	smooth := sc.smooth
	for k := range res {
		// Cells on the document's edge mix in the background: skip cells
		// with a neighbour outside.
		smooth[k] = in[k] && res[k] < o.MaxLocalResidual*med && interior(in, k, cw, ch)
	}
	// The largest 4-connected region of smooth cells; lab numbers each
	// cell's region from 1 (0: not yet seen).
	sc.lab = cleared(sc.lab, len(res))
	lab := sc.lab
	bestN, bestSum, bestSpread, bestPass, bestID := 0, 0.0, 0.0, false, int32(0)
	var bestBox image.Rectangle
	stack := sc.stack[:0]
	defer func() { sc.stack = stack[:0] }()
	id := int32(0)
	for k := range smooth {
		if !smooth[k] || lab[k] != 0 {
			continue
		}
		id++
		n, sum, ls, ls2 := 0, 0.0, 0.0, 0.0
		// Not image.Rect, which would reorder the empty start box.
		bb := image.Rectangle{Min: image.Point{cw, ch}, Max: image.Point{-1, -1}}
		stack = append(stack[:0], k)
		lab[k] = id
		for len(stack) > 0 {
			c := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			n++
			sum += res[c]
			ls += lum[c]
			ls2 += lum[c] * lum[c]
			x, y := c%cw, c/cw
			bb.Min.X, bb.Min.Y = min(bb.Min.X, x), min(bb.Min.Y, y)
			bb.Max.X, bb.Max.Y = max(bb.Max.X, x+1), max(bb.Max.Y, y+1)
			for _, d := range [4][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}} {
				nx, ny := x+d[0], y+d[1]
				if nx < 0 || ny < 0 || nx >= cw || ny >= ch {
					continue
				}
				j := ny*cw + nx
				if smooth[j] && lab[j] == 0 {
					lab[j] = id
					stack = append(stack, j)
				}
			}
		}
		m := ls / float64(n)
		sp := math.Sqrt(max(0, ls2/float64(n)-m*m))
		pass := reportable(n, len(all), sum/float64(n)/med, sp, o)
		if n > bestN {
			bestN, bestSum, bestSpread, bestBox, bestPass, bestID = n, sum, sp, bb, pass, id
		}
	}
	if bestN == 0 {
		lr.resid = 1
		return lr
	}
	lr.frac = float64(bestN) / float64(len(all))
	lr.resid = bestSum / float64(bestN) / med
	lr.spread = bestSpread
	lr.patch = float64(flatPatch(res, lab, bestID, cw, ch, stack)) / float64(len(all))
	if blocks != nil {
		var kn, fl, rk, rf int
		for k := range lab {
			if !in[k] {
				continue
			}
			x0, y0 := float64(k%cw*block)*scale, float64(k/cw*block)*scale
			r := image.Rect(int(x0), int(y0), int(math.Ceil(x0+block*scale)), int(math.Ceil(y0+block*scale)))
			known, flat := blocks(r)
			if !known {
				continue
			}
			if lab[k] == bestID || lab[k] == -bestID {
				kn++
				if flat {
					fl++
				}
			} else {
				rk++
				if flat {
					rf++
				}
			}
		}
		lr.known = float64(kn) / float64(bestN)
		if kn > 0 {
			lr.quantFlat = float64(fl) / float64(kn)
		}
		if rk > 0 {
			lr.restFlat = float64(rf) / float64(rk)
		}
	}
	lr.found = bestPass && (!coarse || lr.patch >= o.MinFlatPatch || flatColour(lr.resid, lr.spread, o))
	flattened := lr.flattened(o)
	if flattened {
		// The photo's processing (a downscale, an earlier save at a low
		// quality) left the card's plain print to a quantiser that
		// flattened it here and elsewhere: only one colour tells paint.
		lr.found = lr.found && lr.patch >= o.MinFlatPatch && lr.patch >= o.MinFlatShare*lr.frac
	}
	s := float64(block) * scale
	lr.box = scaleRect(bestBox, s)
	if lr.found && coarse && flattened {
		// A coarse quantiser cuts the light on a plain print into
		// terraces, each one level: one of them can be as large as
		// paint. A terrace ends in a riser of one level to the next,
		// the same plain print, on some side; paint ends in its own
		// ringing edge and the print it covers on every side.
		tr := flatRectScratch(img, res, in, cw, ch, med, len(all), o, sc, lab, -bestID)
		lr.terrace = !tr.measured || tr.riser < o.MinCoarseRing
		lr.found = !lr.terrace
		lr.riser, lr.riserMeasured = tr.riser, tr.measured
	}
	if !lr.found {
		fr := flatRectScratch(img, res, in, cw, ch, med, len(all), o, sc, nil, 0)
		lr.rect, lr.ring, lr.rectMeasured = fr.share, fr.ring, fr.measured
		if fr.found {
			lr.found = true
			lr.box = scaleRect(fr.box, scale)
		}
	}
	return lr
}

// flatRectMin is the least side, in working pixels, of flatRect's
// rectangle (two cells: it then holds a whole cell, whose residual is 0),
// and flatRing the depth of the bands outside its sides it reads.
const (
	flatRectMin = 2 * block
	flatRing    = block
)

// flatRectResult is what flatRect found: the rectangle's share of the
// document, the least of its four sides' ring residuals (relative to
// the document's median), its box in working pixels, whether it was
// measured at all and whether it is to be reported.
type flatRectResult struct {
	share, ring float64
	// riser is the least of the ring residuals of the sides whose band
	// lies inside the document (+Inf when none does).
	riser           float64
	box             image.Rectangle
	measured, found bool
}

// flatRect looks for paint by its own pixels: the largest axis-aligned
// rectangle, at least flatRectMin on a side, of exactly flat working
// pixels (equal to their four neighbours, not clipped) inside the
// document's interior cells. Paint is one colour; once saved, the blocks
// wholly inside it hold only their DC, all the same, so they decode to one
// value, whatever the quality (the blocks its border crosses ring). A
// genuine card's plain print saved at a coarse quantiser also decodes to
// flat blocks, but the light on the card steps their DC from block to
// block, so its flat areas are small and ragged (development seeds
// 144–147: ≤ 0.0105 of the document at quality 50–60, ≤ 0.0034 above),
// and where one is larger, the same plain print goes on beyond some side
// of it. So the rectangle is reported when it covers at least MinFlatRect
// of the document and the band of flatRing pixels outside each of its
// four sides is textured: its mean residual (as cellResidual's) at least
// MinFlatRing of the document's median med, the print the paint cuts off
// on every side. A band less than half inside the document counts as
// plain. Only a photo with an exactly flat interior cell is searched
// (measured), and only around such cells (a rectangle two cells on a side
// holds one); n is the number of the document's cells. share is 0 when
// no rectangle could reach MinFlatRect.
func flatRect(img *image.YCbCr, res []float64, in []bool, cw, ch int, med float64, n int, o Options) (fr flatRectResult) {
	return flatRectScratch(img, res, in, cw, ch, med, n, o, &localScratch{}, nil, 0)
}

// flatRectScratch is flatRect with its scratch memory taken from sc;
// when lab is not nil, only the flat cells labelled id there start a
// search.
func flatRectScratch(img *image.YCbCr, res []float64, in []bool, cw, ch int, med float64, n int, o Options, sc *localScratch, lab []int32, id int32) (fr flatRectResult) {
	if n == 0 {
		return fr
	}
	// A rectangle of flat pixels two cells on a side holds a whole cell,
	// and its whole cells are exactly flat (residual 0) and connected:
	// it lies inside the box, one cell wider all round, of a connected
	// set of exactly flat interior cells. Only boxes large enough to hold
	// MinFlatRect of the document are scanned (near).
	sc.zero = cleared(sc.zero, cw*ch)
	zero := sc.zero // 0: not a flat cell; -1: flat, unseen; >0 seen
	any := false
	for k := range res {
		if in[k] && res[k] == 0 && interior(in, k, cw, ch) && (lab == nil || lab[k] == id) {
			zero[k], any = -1, true
		}
	}
	if !any {
		return fr
	}
	fr.measured = true
	need := o.MinFlatRect * float64(n)
	sc.near = cleared(sc.near, cw*ch)
	near := sc.near
	cx0, cy0, cx1, cy1 := cw, ch, 0, 0
	stack := sc.stack[:0]
	defer func() { sc.stack = stack[:0] }()
	for k := range zero {
		if zero[k] != -1 {
			continue
		}
		bx0, by0, bx1, by1 := cw, ch, 0, 0
		stack = append(stack[:0], k)
		zero[k] = 1
		for len(stack) > 0 {
			c := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			x, y := c%cw, c/cw
			bx0, by0, bx1, by1 = min(bx0, x), min(by0, y), max(bx1, x+1), max(by1, y+1)
			for _, j := range [4]int{c - 1, c + 1, c - cw, c + cw} {
				// Interior cells are never on the map's edge, so the
				// neighbours exist; a row wrap lands on a non-interior
				// cell (0).
				if zero[j] == -1 {
					zero[j] = 1
					stack = append(stack, j)
				}
			}
		}
		bx0, by0, bx1, by1 = bx0-1, by0-1, bx1+1, by1+1
		if float64((bx1-bx0)*(by1-by0)) < need {
			continue
		}
		for y := by0; y < by1; y++ {
			for x := bx0; x < bx1; x++ {
				near[y*cw+x] = true
			}
		}
		cx0, cy0, cx1, cy1 = min(cx0, bx0), min(cy0, by0), max(cx1, bx1), max(cy1, by1)
	}
	if cx1 <= cx0 {
		return fr
	}
	x0, x1 := cx0*block, cx1*block
	heights := make([]int32, x1-x0)
	type bar struct{ x, h int }
	var bars []bar
	best := 0
	st := img.YStride
	for y := cy0 * block; y < cy1*block; y++ {
		row := (y / block) * cw
		for cx := cx0; cx < cx1; cx++ {
			hs := (*[block]int32)(heights[(cx-cx0)*block:])
			k := row + cx
			if !near[k] || !in[k] || !interior(in, k, cw, ch) {
				*hs = [block]int32{}
				continue
			}
			at := y*st + cx*block
			line := (*[block + 2]byte)(img.Y[at-1 : at+block+1])
			up := (*[block]byte)(img.Y[at-st : at-st+block])
			down := (*[block]byte)(img.Y[at+st : at+st+block])
			for i := range block {
				p := line[i+1]
				if uint(p-4) <= 247 && line[i] == p && line[i+2] == p && up[i] == p && down[i] == p {
					hs[i]++
				} else {
					hs[i] = 0
				}
			}
		}
		// The largest rectangle under the histogram of heights, over the
		// maximal rectangles that end on this row.
		bars = bars[:0]
		for x := x0; x <= x1; x++ {
			h := 0
			if x < x1 {
				h = int(heights[x-x0])
			}
			from := x
			for len(bars) > 0 && bars[len(bars)-1].h >= h {
				b := bars[len(bars)-1]
				bars = bars[:len(bars)-1]
				if wd := x - b.x; b.h >= flatRectMin && wd >= flatRectMin && b.h*wd > best {
					best = b.h * wd
					fr.box = image.Rect(b.x, y+1-b.h, x, y+1)
				}
				from = b.x
			}
			bars = append(bars, bar{from, h})
		}
	}
	if best == 0 {
		return fr
	}
	fr.share = float64(best) / float64(n*block*block)
	b := fr.box
	fr.ring, fr.riser = math.Inf(1), math.Inf(1)
	for _, band := range [4]image.Rectangle{
		image.Rect(b.Min.X, b.Min.Y-flatRing, b.Max.X, b.Min.Y),
		image.Rect(b.Min.X, b.Max.Y, b.Max.X, b.Max.Y+flatRing),
		image.Rect(b.Min.X-flatRing, b.Min.Y, b.Min.X, b.Max.Y),
		image.Rect(b.Max.X, b.Min.Y, b.Max.X+flatRing, b.Max.Y),
	} {
		v, inside := ringBand(img, in, cw, ch, band)
		fr.ring = min(fr.ring, v/med)
		if inside {
			fr.riser = min(fr.riser, v/med)
		}
	}
	fr.found = fr.share >= o.MinFlatRect && fr.ring >= o.MinFlatRing
	return fr
}

// ringBand is the mean residual (|4p − l − r − u − d| / 4, as
// cellResidual's) of band's pixels inside the document's cells, and
// whether at least half of them are (0 and false when not).
func ringBand(img *image.YCbCr, in []bool, cw, ch int, band image.Rectangle) (float64, bool) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	st := img.YStride
	s, n := 0, 0
	for y := max(band.Min.Y, 1); y < min(band.Max.Y, h-1); y++ {
		for x := max(band.Min.X, 1); x < min(band.Max.X, w-1); x++ {
			cx, cy := x/block, y/block
			if cx >= cw || cy >= ch || !in[cy*cw+cx] {
				continue
			}
			at := y*st + x
			v := 4*int(img.Y[at]) - int(img.Y[at-1]) - int(img.Y[at+1]) - int(img.Y[at-st]) - int(img.Y[at+st])
			s += max(v, -v)
			n++
		}
	}
	if 2*n < band.Dx()*band.Dy() {
		return 0, false
	}
	return float64(s) / float64(4*n), true
}

// flattened reports whether the region's noise-freeness is the last
// quantiser's doing on a card whose processing left it little noise to
// keep: most of the region's cells lie on JPEG blocks without an AC
// coefficient (read for at least half of them), and so do at least
// MinFlatRest of the document's other cells. Paint and a pasted picture
// are flat blocks too, but on a photo that kept its noise the rest of the
// card has next to none (≤ 0.003 of it around the painted fields of
// development seeds 140–141; a pasted portrait's own plain ground is
// one colour and passes the patch test).
func (lr *localResult) flattened(o Options) bool {
	return lr.known >= 0.5 && lr.quantFlat >= 0.5 && lr.restFlat >= o.MinFlatRest
}

// flatPatch returns the size in cells of the largest 4-connected set of
// exactly flat cells (residual 0) of region id; it marks them -id in lab.
// stack is scratch space.
func flatPatch(res []float64, lab []int32, id int32, cw, ch int, stack []int) int {
	best := 0
	for k := range res {
		if lab[k] != id || res[k] != 0 {
			continue
		}
		n := 0
		stack = append(stack[:0], k)
		lab[k] = -id
		for len(stack) > 0 {
			c := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			n++
			x, y := c%cw, c/cw
			for _, d := range [4][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}} {
				nx, ny := x+d[0], y+d[1]
				if nx < 0 || ny < 0 || nx >= cw || ny >= ch {
					continue
				}
				j := ny*cw + nx
				if lab[j] == id && res[j] == 0 {
					lab[j] = -id
					stack = append(stack, j)
				}
			}
		}
		best = max(best, n)
	}
	return best
}

// reportable reports whether a smooth region of n cells out of the
// document's total, with mean residual resid (relative to the document's
// median) and cell-luma spread, is large and smooth enough to report.
func reportable(n, total int, resid, spread float64, o Options) bool {
	if n < 4 || float64(n) < o.MinLocal*float64(total) {
		return false
	}
	return resid <= o.MaxRegionResidual || flatColour(resid, spread, o)
}

// flatColour is the second rule of reportable: a region a little noisier
// than MaxRegionResidual whose cells' mean luma is one level (spread at
// most MaxFlatSpread), as one colour laid over the photo's lighting is.
func flatColour(resid, spread float64, o Options) bool {
	return resid <= o.MaxFlatResidual && spread <= o.MaxFlatSpread
}

// cellResidual is the mean absolute Laplacian residual of the cell at
// (x0, y0), over pixels with all four neighbours in the image; usable is
// false for a cell mostly clipped to black or white (no noise to see).
// mean is the cell's mean luma over the same pixels.
func cellResidual(img *image.YCbCr, x0, y0 int) (resid, mean float64, usable bool) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	xs, xe := max(x0, 1), min(x0+block, w-1)
	if xe <= xs {
		return 0, 0, false
	}
	s, n, clipped, sum := 0, 0, 0, 0
	add := func(p, l, r, u, d byte) {
		if uint(p-4) > 247 { // p ≤ 3 or p ≥ 252
			clipped++
		}
		sum += int(p)
		v := 4*int(p) - int(l) - int(r) - int(u) - int(d)
		m := v >> 63
		s += (v ^ m) - m
	}
	for y := max(y0, 1); y < min(y0+block, h-1); y++ {
		at, st := y*img.YStride+xs, img.YStride
		if xe-xs == block {
			// A whole row of the cell: fixed-size views, no bounds checks.
			row := (*[block + 2]byte)(img.Y[at-1 : at+block+1])
			up := (*[block]byte)(img.Y[at-st : at-st+block])
			down := (*[block]byte)(img.Y[at+st : at+st+block])
			for i := range block {
				add(row[i+1], row[i], row[i+2], up[i], down[i])
			}
		} else {
			row := img.Y[at-1 : at+xe-xs+1]
			up := img.Y[at-st : at-st+xe-xs]
			down := img.Y[at+st : at+st+xe-xs]
			for i := range up {
				add(row[i+1], row[i], row[i+2], up[i], down[i])
			}
		}
		n += xe - xs
	}
	if n == 0 || clipped*2 > n {
		return 0, 0, false
	}
	return float64(s) / float64(4*n), float64(sum) / float64(n), true
}

// interior reports whether cell k and its 8 neighbours are all inside.
func interior(in []bool, k, cw, ch int) bool {
	x, y := k%cw, k/cw
	for dy := -1; dy <= 1; dy++ {
		for dx := -1; dx <= 1; dx++ {
			nx, ny := x+dx, y+dy
			if nx < 0 || ny < 0 || nx >= cw || ny >= ch || !in[ny*cw+nx] {
				return false
			}
		}
	}
	return true
}

// insideQuad reports whether (x, y) is inside the convex quadrilateral q
// (either winding).
func insideQuad(q [][2]float64, x, y float64) bool {
	sign := 0.0
	for i := range q {
		a, b := q[i], q[(i+1)%len(q)]
		c := (b[0]-a[0])*(y-a[1]) - (b[1]-a[1])*(x-a[0])
		if c == 0 {
			continue
		}
		if sign == 0 {
			sign = c
		} else if (c > 0) != (sign > 0) {
			return false
		}
	}
	return true
}

// localScratch is localAnomaly's and flatRect's memory: the per-cell
// maps, the residuals' list and the flood fills' stack. localPool keeps
// it from one photo to the next (a 12 MP photo's maps were ~0.4 MB
// allocated, zeroed and collected per photo).
type localScratch struct {
	res, lum, all    []float64
	in, smooth, near []bool
	lab, zero        []int32
	stack            []int
}

var localPool sync.Pool

func getLocalScratch() *localScratch {
	if sc, ok := localPool.Get().(*localScratch); ok {
		return sc
	}
	return &localScratch{}
}

// cleared returns s resized to n zero values, reusing its memory when
// it is large enough.
func cleared[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	s = s[:n]
	clear(s)
	return s
}
