package docread

import (
	"encoding/hex"
	"math"
)

// The MRZ recogniser classifies each character cell of a located line by
// normalised cross-correlation with templates of the OCR-B glyphs.
//
// A cell is sampled in the line's own frame, scaled by its pitch (the
// MRZ's fixed character spacing): OCR-B's cap height is almost exactly
// its advance, so the pitch alone fixes the scale. The sampling window is
// centred on the ink's bounding box in the cell, which absorbs small
// errors of the pitch grid; templates are sampled the same way from
// glyphs rendered by the font (ocrb_data.go).

// Grid of a normalised glyph.
const (
	glyphW = 16
	glyphH = 24
	// glyphSpanX and glyphSpanY are the window's size in pitches.
	glyphSpanX = 1.0
	glyphSpanY = 1.4
	glyphLen   = glyphW * glyphH
)

// mrzAlphabet is the classes of the recogniser, in template order.
const mrzAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<"

// glyph is a sampled cell: ink values, then normalised to zero mean and
// unit norm.
type glyph [glyphLen]float32

// cellFrame is one character cell: its nominal centre and the line's
// axes, each one pitch long (u along the line in reading order, v
// downward across it).
type cellFrame struct {
	cx, cy float64
	ux, uy float64
	vx, vy float64
}

func (f cellFrame) point(s, t float64) (float64, float64) {
	return f.cx + s*f.ux + t*f.vx, f.cy + s*f.uy + t*f.vy
}

// The window a cell's ink is sampled on: cellN samples per pitch,
// cellSpanS pitches either side of the centre along the line and
// cellSpanT across it; cellNS × cellNT samples.
const (
	cellN                = 20
	cellSpanS, cellSpanT = 0.5, 0.8
	cellNS, cellNT       = 20, 32 // 2·cellSpanS·cellN, 2·cellSpanT·cellN
)

// cellInk samples cell f on its window and counts, per column and per
// row, the samples darker than thr, or than the cell's own threshold
// where thr misses its ink (cellThreshold: a glare patch over the
// character).
func cellInk(p *plane, f cellFrame, thr float64) (cols [cellNS]int, rows [cellNT]int) {
	var vals [cellNS * cellNT]float64
	for j := 0; j < cellNT; j++ {
		t := -cellSpanT + (float64(j)+0.5)/cellN
		for i := 0; i < cellNS; i++ {
			s := -cellSpanS + (float64(i)+0.5)/cellN
			x, y := f.point(s, t)
			vals[j*cellNS+i] = p.at(x, y)
		}
	}
	thr = cellThreshold(vals[:], thr)
	for j := 0; j < cellNT; j++ {
		for i := 0; i < cellNS; i++ {
			if vals[j*cellNS+i] < thr {
				cols[i]++
				rows[j]++
			}
		}
	}
	return cols, rows
}

// inkCentre finds the centre of the ink's bounding box near the cell's
// nominal centre, in pitch units (s, t), using threshold thr (ink is
// darker than thr), or the cell's own threshold where thr misses its ink
// (cellInk).
func inkCentre(p *plane, f cellFrame, thr float64) (float64, float64, bool) {
	cols, rows := cellInk(p, f, thr)
	s0, s1 := bounds(cols[:], 2)
	t0, t1 := bounds(rows[:], 2)
	if s0 < 0 || t0 < 0 {
		return 0, 0, false
	}
	cs := -cellSpanS + (float64(s0+s1)+1)/2/cellN
	ct := -cellSpanT + (float64(t0+t1)+1)/2/cellN
	return cs, ct, true
}

// Per-cell threshold (issue 11, hard print). A glare patch lifts the
// ink and the paper of the characters under it, so the line's threshold
// (halfway between the whole line's ink and paper) sees little or none
// of their ink and the window is centred on nothing. cellThreshold keeps
// the line's threshold thr wherever it lies well inside the cell's own
// range (at least minThrDepth of the way from the cell's ink, its 5th
// percentile, to its paper, its 90th), which is every cell of an evenly
// lit line, so such cells are centred exactly as before; otherwise it
// returns the cell's own midpoint, when the cell has at least
// minCellContrast grey levels of contrast (a blank cell has none).
const (
	minThrDepth     = 0.3
	minCellContrast = 24.0
)

// cellThreshold returns the ink threshold for a cell whose luma samples
// are vals, given the line's threshold thr.
func cellThreshold(vals []float64, thr float64) float64 {
	ink, paper := inkPaper(vals)
	if paper-ink < minCellContrast || thr-ink >= minThrDepth*(paper-ink) {
		return thr
	}
	return (ink + paper) / 2
}

// inkPaper returns the 5th and 90th percentiles of vals (luma,
// 0..255), to the grey level, from a histogram.
func inkPaper(vals []float64) (float64, float64) {
	var hist [256]int
	for _, v := range vals {
		hist[min(255, max(0, int(v)))]++
	}
	lo, hi := len(vals)*5/100, len(vals)*90/100
	p5, p90 := -1, -1
	sum := 0
	for k, c := range hist {
		sum += c
		if p5 < 0 && sum > lo {
			p5 = k
		}
		if sum > hi {
			p90 = k
			break
		}
	}
	return float64(p5), float64(p90)
}

// bounds returns the first and last index whose count is at least min,
// or -1, -1.
func bounds(c []int, min int) (int, int) {
	a, b := -1, -1
	for i, v := range c {
		if v >= min {
			if a < 0 {
				a = i
			}
			b = i
		}
	}
	return a, b
}

// unsure bounds the best score, and sureMargin the lead over the second
// class, of a cell classified without a shift search.
const (
	unsure     = 0.9
	sureMargin = 0.06
)

// classify scores the cell; when the best class is not clearly ahead it
// also tries the window shifted by a sixteenth of a pitch in each
// direction and keeps each class's best score (the ink's bounding box
// centres a blurred glyph less exactly than a sharp one). It reports false
// for a cell without contrast.
func classify(p *plane, f cellFrame, thr float64, sc *cellScores) bool {
	return classifyWith(p, f, thr, nil, sc)
}

// classifyWith is classify with the template set ts; nil: the set for
// the cell's size (scoresAt).
func classifyWith(p *plane, f cellFrame, thr float64, ts []template, sc *cellScores) bool {
	var g glyph
	if !sampleGlyph(p, f, thr, &g) {
		return false
	}
	scoresIn(ts, f, &g, sc)
	if first, second := top2(sc); first >= unsure && first-second >= sureMargin {
		return true
	}
	cs, ct, ok := inkCentre(p, f, thr)
	if !ok {
		cs, ct = 0, 0
	}
	const d = 1.0 / 16
	var alt cellScores
	for _, sh := range [][2]float64{{-d, 0}, {d, 0}, {0, -d}, {0, d}, {-d, -d}, {d, d}, {-d, d}, {d, -d}} {
		c := f
		c.cx, c.cy = f.point(cs+sh[0], ct+sh[1])
		sampleAt(p, c, &g)
		if !g.normalise() {
			continue
		}
		scoresIn(ts, c, &g, &alt)
		for k := range sc {
			sc[k] = max(sc[k], alt[k])
		}
	}
	return true
}

// top2 returns the best and second-best scores.
func top2(sc *cellScores) (float32, float32) {
	a, b := float32(-2), float32(-2)
	for _, v := range sc {
		if v > a {
			a, b = v, a
		} else if v > b {
			b = v
		}
	}
	return a, b
}

// sampleGlyph samples the cell around its ink centre into g as ink
// (255 - luma), averaging sub-samples when a grid step covers more than a
// pixel, then normalises it. It reports false for a
// cell without contrast.
func sampleGlyph(p *plane, f cellFrame, thr float64, g *glyph) bool {
	sampleRaw(p, f, thr, g)
	return g.normalise()
}

// sampleRaw samples the cell around its ink centre into g as ink
// (255 - luma), without normalising.
func sampleRaw(p *plane, f cellFrame, thr float64, g *glyph) {
	cs, ct, ok := inkCentre(p, f, thr)
	if !ok {
		cs, ct = 0, 0
	}
	c := f
	c.cx, c.cy = f.point(cs, ct)
	sampleAt(p, c, g)
}

// sampleAt samples the window centred on c's centre into g as ink.
func sampleAt(p *plane, c cellFrame, g *glyph) {
	f := c
	// Average about one sample per pixel: fewer alias thin strokes.
	step := math.Hypot(f.ux, f.uy) * glyphSpanX / glyphW
	sub := min(6, max(1, int(math.Ceil(step-0.25))))
	// The offsets along and across the line of every sub-sample column
	// and row, computed once per cell (the point of (s, t) is
	// (cx + s·ux) + t·vx, as cellFrame.point computes it).
	var colX, colY [glyphW * 6]float64
	var rowX, rowY [glyphH * 6]float64
	for i := 0; i < glyphW*sub; i++ {
		s := glyphSpanX * ((float64(i/sub)+(float64(i%sub)+0.5)/float64(sub))/glyphW - 0.5)
		colX[i], colY[i] = f.cx+s*f.ux, f.cy+s*f.uy
	}
	for j := 0; j < glyphH*sub; j++ {
		t := glyphSpanY * ((float64(j/sub)+(float64(j%sub)+0.5)/float64(sub))/glyphH - 0.5)
		rowX[j], rowY[j] = t*f.vx, t*f.vy
	}
	n := float64(sub * sub)
	for j := 0; j < glyphH; j++ {
		for i := 0; i < glyphW; i++ {
			var sum float64
			for b := j * sub; b < (j+1)*sub; b++ {
				for a := i * sub; a < (i+1)*sub; a++ {
					sum += 255 - p.at(colX[a]+rowX[b], colY[a]+rowY[b])
				}
			}
			g[j*glyphW+i] = float32(sum / n)
		}
	}
}

// normalise makes g zero-mean and unit-norm.
func (g *glyph) normalise() bool {
	var m float64
	for _, v := range g {
		m += float64(v)
	}
	m /= glyphLen
	var n float64
	for i, v := range g {
		d := float64(v) - m
		g[i] = float32(d)
		n += d * d
	}
	if n < 1e-6 {
		return false
	}
	k := float32(1 / math.Sqrt(n))
	for i := range g {
		g[i] *= k
	}
	return true
}

// scores fills out[c] with the best correlation of g with a template of
// class c (an index of mrzAlphabet).
func scores(g *glyph, out *cellScores) { scoresWith(templates, g, out) }

// scoresAt is scores with the templates for cell f's size: below
// smallGlyph pixels per pitch the glyph sampled from the photo is as
// blurred as its few pixels make it, and is compared with templates
// blurred alike.
func scoresAt(f cellFrame, g *glyph, out *cellScores) {
	if math.Hypot(f.ux, f.uy) < smallGlyph {
		scoresWith(blurredTemplates, g, out)
		return
	}
	scoresWith(templates, g, out)
}

// scoresIn is scoresAt with the template set ts, when not nil.
func scoresIn(ts []template, f cellFrame, g *glyph, out *cellScores) {
	if ts == nil {
		scoresAt(f, g, out)
		return
	}
	scoresWith(ts, g, out)
}

// smallGlyph is the glyph size, in pixels per pitch, under which the
// blurred templates are used.
const smallGlyph = 22.0

// templateBlur is the Gaussian blur of blurredTemplates, in grid samples
// (a sixteenth of a pitch): about a pixel at 12 pixels per pitch.
const templateBlur = 1.2

func scoresWith(ts []template, g *glyph, out *cellScores) {
	for c := range out {
		out[c] = -1
	}
	for k := range ts {
		t := &ts[k]
		var d float32
		for i := range g {
			d += g[i] * t.g[i]
		}
		if d > out[t.class] {
			out[t.class] = d
		}
	}
}

// template is one rendered glyph of one class.
type template struct {
	class int
	g     glyph
}

// templates are built at init from the packed data of ocrb_data.go;
// blurredTemplates are the same blurred by templateBlur.
var (
	templates        = unpackTemplates()
	blurredTemplates = blurTemplates(templates, templateBlur)
	// blurSets are the template sets a small glyph's zone may be read
	// with (bestBlur): blurredTemplates, then blurrier ones.
	blurSets = [][]template{
		blurredTemplates,
		blurTemplates(templates, 1.6),
		blurTemplates(templates, 2.0),
		blurTemplates(templates, 2.5),
	}
)

// blurTemplates returns ts blurred by a Gaussian of sigma grid samples
// (separable, clamped at the edges) and normalised again.
func blurTemplates(ts []template, sigma float64) []template {
	r := int(math.Ceil(3 * sigma))
	k := make([]float32, 2*r+1)
	var sum float32
	for i := range k {
		d := float64(i - r)
		k[i] = float32(math.Exp(-d * d / (2 * sigma * sigma)))
		sum += k[i]
	}
	for i := range k {
		k[i] /= sum
	}
	out := make([]template, 0, len(ts))
	for _, t := range ts {
		var tmp, b glyph
		for y := 0; y < glyphH; y++ {
			for x := 0; x < glyphW; x++ {
				var v float32
				for i, w := range k {
					xx := min(glyphW-1, max(0, x+i-r))
					v += w * t.g[y*glyphW+xx]
				}
				tmp[y*glyphW+x] = v
			}
		}
		for y := 0; y < glyphH; y++ {
			for x := 0; x < glyphW; x++ {
				var v float32
				for i, w := range k {
					yy := min(glyphH-1, max(0, y+i-r))
					v += w * tmp[yy*glyphW+x]
				}
				b[y*glyphW+x] = v
			}
		}
		if b.normalise() {
			out = append(out, template{class: t.class, g: b})
		}
	}
	return out
}

func unpackTemplates() []template {
	var ts []template
	for _, pt := range packedTemplates {
		var t template
		t.class = pt.class
		ink, err := hex.DecodeString(pt.ink)
		if err != nil || len(ink) != glyphLen {
			panic("docread: corrupt OCR-B template data")
		}
		for i := range t.g {
			t.g[i] = float32(ink[i])
		}
		if t.g.normalise() {
			ts = append(ts, t)
		}
	}
	return ts
}

// packedTemplate is a template as committed: the class and the ink
// 0..255 on the grid, row by row, in hexadecimal.
type packedTemplate struct {
	class int
	ink   string
}
