package docread

import "slices"

// Shapes of look-alikes under blur (issue 11, hard print, tenth pass).
//
// At about 12 pixels a pitch, blurred and JPEG-compressed, a T's bar
// thickens where the stem meets it into something like a Y's fork, and
// the whole-glyph correlation can prefer the Y (held-out seed 20280909:
// a given name FETA read FEYA, the Y at 0.834, the T at 0.734, vouched
// for). A window centred off the glyph by a faint background stroke can
// likewise make an F correlate better with a T (dev seed 63). No check
// digit covers names or the issuer, so the zone must then be a retake.
//
// shapeDoubt measures, on the glyph's own ink, the part of the shape
// that sets the pair apart, which blur does not move:
//
//   - T or Y: the top of the glyph. A T's bar is ink across its whole
//     width, over the stem too; a Y's two arms leave paper between them
//     down to mid-height, so the middle of its top is paper.
//   - F or T: the lower half. An F's stem runs down its left side, with
//     nothing in the middle; a T's stem runs down the middle, with
//     nothing at the left.
//
// The glyph's extent is taken where its ink reaches half its darkest
// (a stroke fainter than the print, a guilloche's, is not glyph), so the
// measures are relative to the glyph and not to the window.

// checkShapes turns shapeDoubt on as a rule of Readable; the tests turn
// it off to count what it changes.
var checkShapes = true

// shapePairs are the look-alikes shapeDoubt tells apart: the letter read
// and the other letter of its pair.
var shapePairs = [][2]byte{{'T', 'Y'}, {'Y', 'T'}, {'T', 'F'}, {'F', 'T'}}

// shapeLead is the distance, in score, within which the other letter of
// a pair must score for shapeDoubt to look at the cell: the filler's
// lead (fillerLead), the widest lead a rule of Readable already admits
// as a possible other reading.
const shapeLead = fillerLead

// forkShape returns, for the raw ink glyph g (sampleRaw: 255 - luma, not
// normalised), how much ink the middle third of the glyph's top fifth
// holds against the inkier of its outer thirds (notch: about 1 for a T's
// bar, near 0 for a Y's open arms), and the ink of the lower half's left
// quarter less that of its middle third, as a share of the glyph's
// contrast (stem: positive for an F, negative for a T). ok is false when
// the glyph has no contrast or is too small to divide.
func forkShape(g *glyph) (notch, stem float64, ok bool) {
	b, ok := inkBoxOf(g)
	if !ok || b.w < 6 || b.h < 8 {
		return 0, 0, false
	}
	x0, x1, y0, y1, w, h, mean := b.x0, b.x1, b.y0, b.y1, b.w, b.h, b.mean
	third := (w + 1) / 3
	top := y0 + max(1, (h+2)/5)
	centre := mean(x0+third, x1+1-third, y0, top)
	sides := max(mean(x0, x0+third, y0, top), mean(x1+1-third, x1+1, y0, top))
	if sides <= 0 {
		return 0, 0, false
	}
	low := y0 + h*13/20
	quarter := max(1, w/4)
	stem = mean(x0, x0+quarter, low, y1+1) - mean(x0+third, x1+1-third, low, y1+1)
	return centre / sides, stem, true
}

// shapeSays reports whether the measures of forkShape speak for letter
// ch of the pair (ch, alt) rather than for alt. The top fifth of a T
// holds its bar and the head of its stem, so its middle is inkier than
// its sides (notch 1.14 to 1.38 on the OCR-B Sharp cut rendered at 10 to
// 14 pixels a pitch, blurred by 0.8 to 2 pixels, JPEG 50:
// TestForkShapeMeasures); a Y's middle is paper between its arms (0.28
// to 0.73 up to a blur of 1.2 pixels) until blur closes the notch (up to
// 1.25). The lower third of an F holds its stem at the left (stem -0.19
// to 0.66), a T's at the middle (-0.26 to -0.60). The boundaries,
// notchT and stemF, lie between the two letters' ranges.
func shapeSays(ch, alt byte, notch, stem float64) bool {
	switch {
	case ch == 'T' && alt == 'Y':
		return notch >= notchT
	case ch == 'Y' && alt == 'T':
		return notch < notchT
	case ch == 'T' && alt == 'F':
		return stem < stemF
	case ch == 'F' && alt == 'T':
		return stem >= stemF
	}
	return true
}

// Boundaries of shapeSays: the notch above which a glyph's top is a T's
// bar, the stem measure above which its lower third is an F's.
const (
	notchT = 0.9
	stemF  = -0.22
)

// shapeDoubt reports a letter read in a cell no check digit covers, not
// even the composite (names, issuer, nationality), whose look-alike of
// shapePairs scores within shapeLead of it (sc: the floor scores) while
// the glyph's shape (forkShape) speaks for the look-alike: a zone no
// check digit can settle, a retake. The reading is not changed.
func shapeDoubt(p *plane, kind string, lines []textLine, fit printFit, text []string, sc [][]cellScores) bool {
	lay := layouts[kind]
	checked := checkedCells(kind, true)
	for i, l := range lines {
		if i >= len(text) || i >= len(sc) {
			break
		}
		thr := -1.0
		for k := 0; k < l.n && k < len(text[i]) && k < len(sc[i]); k++ {
			ch := text[i][k]
			if checked[[2]int{i, k}] || ch != 'T' && ch != 'Y' && ch != 'F' {
				continue
			}
			v := sc[i][k][indexOf(ch)]
			var alts []byte
			for _, pr := range shapePairs {
				if pr[0] == ch && admits(lay[i][k], pr[1]) && v-sc[i][k][indexOf(pr[1])] < shapeLead {
					alts = append(alts, pr[1])
				}
			}
			if len(alts) == 0 {
				continue
			}
			if thr < 0 {
				thr = lineThreshold(p, l)
			}
			sh := glyphShape(p, l, k, fit, thr)
			if !sh.fork {
				return true
			}
			for _, alt := range alts {
				if !shapeSays(ch, alt, sh.notch, sh.stem) {
					return true
				}
			}
		}
	}
	return false
}

// cellShape is forkShape and footShape measured on one cell's glyph
// (fork false: forkShape had no shape to measure; foot -1: footShape).
type cellShape struct {
	notch, stem, foot float64
	fork              bool
}

// says reports whether the shape speaks for letter ch of a pair of
// voteShapePairs (ch, alt) rather than for alt: shapeSays, and for T or
// I the foot, with a band between footT and footI where it speaks for
// neither.
func (s cellShape) says(ch, alt byte) bool {
	switch {
	case ch == 'T' && alt == 'I':
		return s.foot >= 0 && s.foot < footT
	case ch == 'I' && alt == 'T':
		return s.foot >= footI
	}
	return s.fork && shapeSays(ch, alt, s.notch, s.stem)
}

// Boundaries of cellShape.says for T and I: a foot under footT is a T's
// (paper either side of the stem), one of footI or more an I's serif.
// Rendered (OCR-B Sharp cut, 10-14 pixels a pitch, blur 0.8-2.0 pixels,
// JPEG 50: TestFootShape), a T's foot is 0.06-0.68, rising with blur,
// an I's 0.69-0.86.
const (
	footT = 0.65
	footI = 0.75
)

// voteShapePairs are the pairs whose letters voted and shaped hold to
// the glyph's shape: shapePairs, and T and I (an I's serifs against a
// T's bar, the pair hard print confuses most in names, dev seeds
// 185-187).
var voteShapePairs = append(slices.Clone(shapePairs), [2]byte{'T', 'I'}, [2]byte{'I', 'T'})

// glyphShape samples cell k of line l as raw ink (thr: the line's
// threshold, lineThreshold; fit: the print's scale) and measures its
// shape (forkShape, footShape).
func glyphShape(p *plane, l textLine, k int, fit printFit, thr float64) cellShape {
	x, y, ux, uy := l.centre(float64(k))
	if fit.scale > 0 {
		ux, uy = fit.scale*ux, fit.scale*uy
	}
	var g glyph
	sampleRaw(p, cellFrame{cx: x, cy: y, ux: ux, uy: uy, vx: -uy, vy: ux}, thr, &g)
	notch, stem, ok := forkShape(&g)
	foot, fok := footShape(&g)
	if !fok {
		foot = -1
	}
	return cellShape{notch, stem, foot, ok}
}

// shapePair reports whether a and b are a pair of voteShapePairs.
func shapePair(a, b byte) bool {
	return slices.Contains(voteShapePairs, [2]byte{a, b})
}

// retakeShapes measures, on a zone that is not Readable (texts its
// readings, as reported and before any repair; floor its scores with
// the glyph size's templates), the shape of every key cell (keyCells)
// where a reading holds a letter of voteShapePairs whose
// other letter scores within shapeLead of it: the cells where voted may
// take another plane's letter of the pair, and must then have the
// glyph's shape on the plane reported speak for it. Cells whose glyph
// has no shape to measure are left out.
func retakeShapes(p *plane, kind string, lines []textLine, fit printFit, floor [][]cellScores, texts ...[]string) map[[2]int]cellShape {
	var out map[[2]int]cellShape
	thr := make([]float64, len(lines))
	for _, c := range keyCells[kind] {
		i, k := c[0], c[1]
		if i >= len(lines) || i >= len(floor) || k >= lines[i].n || k >= len(floor[i]) {
			continue
		}
		close := false
		for _, text := range texts {
			if i >= len(text) || k >= len(text[i]) {
				continue
			}
			ch := text[i][k]
			for _, pr := range voteShapePairs {
				close = close || pr[0] == ch && floor[i][k][indexOf(ch)]-floor[i][k][indexOf(pr[1])] < shapeLead
			}
		}
		if !close {
			continue
		}
		if thr[i] == 0 {
			thr[i] = lineThreshold(p, lines[i])
		}
		if sh := glyphShape(p, lines[i], k, fit, thr[i]); sh.fork || sh.foot >= 0 {
			if out == nil {
				out = map[[2]int]cellShape{}
			}
			out[c] = sh
		}
	}
	return out
}

// footShape returns, for the raw ink glyph g (as forkShape), how much
// ink the outer thirds of the glyph's bottom fifth hold against its
// middle third (foot: the inkier outer third over the middle). An I's
// foot is a serif across its width (about 1); a T's stem leaves paper
// either side of it at the bottom (near 0). ok is false when the glyph
// has no contrast or is too small to divide.
func footShape(g *glyph) (foot float64, ok bool) {
	b, ok := inkBoxOf(g)
	if !ok || b.w < 3 || b.h < 8 {
		return 0, false
	}
	x0, x1, y1, w, h, mean := b.x0, b.x1, b.y1, b.w, b.h, b.mean
	third := (w + 1) / 3
	bottom := y1 + 1 - max(1, (h+2)/5)
	centre := mean(x0+third, x1+1-third, bottom, y1+1)
	if centre <= 0 {
		return 0, false
	}
	return max(mean(x0, x0+third, bottom, y1+1), mean(x1+1-third, x1+1, bottom, y1+1)) / centre, true
}

// inkBox is the box of a glyph's ink (the pixels at or above the midpoint
// of its levels, a row or column counting when at least 2 of them are ink)
// with the means its shape measures read inside it.
type inkBox struct {
	g              *glyph
	lo, hi         float64
	x0, x1, y0, y1 int
	w, h           int
}

// inkBoxOf returns g's ink box; ok is false when the glyph has no
// contrast or no ink rows or columns.
func inkBoxOf(g *glyph) (b inkBox, ok bool) {
	lo, hi := float64(g[0]), float64(g[0])
	for _, v := range g {
		lo, hi = min(lo, float64(v)), max(hi, float64(v))
	}
	if hi-lo < minCellContrast {
		return b, false
	}
	mid := (lo + hi) / 2
	var cols [glyphW]int
	var rows [glyphH]int
	for y := 0; y < glyphH; y++ {
		for x := 0; x < glyphW; x++ {
			if float64(g[y*glyphW+x]) >= mid {
				cols[x]++
				rows[y]++
			}
		}
	}
	b = inkBox{g: g, lo: lo, hi: hi}
	b.x0, b.x1 = bounds(cols[:], 2)
	b.y0, b.y1 = bounds(rows[:], 2)
	b.w, b.h = b.x1-b.x0+1, b.y1-b.y0+1
	return b, b.x0 >= 0 && b.y0 >= 0
}

// mean returns the ink of the band [ya, yb) × [xa, xb) as a share of the
// glyph's contrast; 0 for an empty band.
func (b inkBox) mean(xa, xb, ya, yb int) float64 {
	var s float64
	n := 0
	for y := ya; y < yb; y++ {
		for x := xa; x < xb; x++ {
			s += float64(b.g[y*glyphW+x])
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return (s/float64(n) - b.lo) / (b.hi - b.lo)
}
