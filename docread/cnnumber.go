package docread

import (
	"math"
	"slices"

	"github.com/kycq/kycq/kyc/cnid"
)

// The second-generation card prints its 18-character number in OCR-B,
// the MRZ's font, so the number line is read with the MRZ's templates
// (ocrb.go) rather than Tesseract: each glyph is found as a component of
// ink, sampled at its own height and correlated with the digits (and X,
// last); MOD 11-2 verifies the result and repairs one uncertain glyph.

// Limits of the number's glyphs, as fractions of the card's height: the
// digits are about 2.6 mm high on a 54 mm card.
const (
	cnGlyphMin = 0.030
	cnGlyphMax = 0.075
)

// cnSure is the least correlation of every glyph of a number accepted,
// and cnRepairLead how close to the best a runner-up must score to be
// tried in a repair.
const (
	cnSure       = 0.55
	cnRepairLead = 0.12
)

// cnLead is how far every glyph's character (but a repaired one) must
// score above each other character its position admits for the
// templates' reading to be vouched for alone. Under hard print a 0 with a
// guilloche line through it scores as a 9 within a hundredth: three such
// glyphs made a valid number, vouched for, on dev seed 80, where the
// number's good readings led by 0.04 or more (docs/reading.md).
const cnLead = 0.03

// Glyphs a glare lightened: a number whose templates' reading checks
// but for which at most cnMaxWeak glyphs score under cnSure, none under
// cnWeakFloor, is reported as read but not vouched for (weakCNNumber).
const (
	cnMaxWeak   = 2
	cnWeakFloor = 0.35
)

// cnNumberInkPcts are the thresholds, as percentages of the
// neighbourhood's mean, at which the number's glyphs are looked for in
// turn (glyphBoxesAt), and read at each that finds 18 of them until a
// reading is vouched for (readCNNumberOCRB). A glare lightens a glyph
// or two above 62% (lost to the usual cleaning); at glareInkPct (80%)
// the security pattern's lines, darkened with the card under hard
// print, can join the glyphs or one another into components no glyph
// is (too wide or too tall), so that 18 are found at neither. 70% lies
// between: on dev seeds 152–155 it read four numbers of 800 fronts
// that neither reading vouched for (docs/reading.md, Mainland,
// eleventh pass).
var cnNumberInkPcts = []uint32{62, 70, glareInkPct}

// glyphBoxes returns the bounding boxes of the number's glyphs in a
// band of a card ch pixels high, left to right: components of ink of a
// glyph's height, on the row most of them share, with the pieces of a
// broken glyph (overlapping columns) joined; the last 18 of them, when
// they are evenly spaced, else nil.
func glyphBoxes(b *plane, ch int) []comp { return glyphBoxesAt(b, ch, 62) }

// glyphBoxesAt is glyphBoxes with ink darker than pct percent of its
// neighbourhood's mean.
func glyphBoxesAt(b *plane, ch int, pct uint32) []comp {
	lo, hi := cnGlyphMin*float64(ch), cnGlyphMax*float64(ch)
	var cs []comp
	for _, k := range components(binariseAt(b, max(8, ch/20), pct), b.w, b.h) {
		h := float64(k.y1 - k.y0)
		if k.n < 4 || h > hi || float64(k.x1-k.x0) > hi {
			continue
		}
		cs = append(cs, k)
	}
	// Tall components (glyphs) set the row; pieces below the minimum
	// height may join a glyph below.
	var ys, hs []float64
	for _, k := range cs {
		if float64(k.y1-k.y0) >= lo {
			ys = append(ys, k.cy())
			hs = append(hs, float64(k.y1-k.y0))
		}
	}
	if len(ys) < 18 {
		return nil
	}
	slices.Sort(ys)
	slices.Sort(hs)
	my, mh := ys[len(ys)/2], hs[len(hs)/2]
	var row []comp
	for _, k := range cs {
		if math.Abs(k.cy()-my) < 0.6*mh {
			row = append(row, k)
		}
	}
	slices.SortFunc(row, func(a, b comp) int { return a.x0 - b.x0 })
	var out []comp
	for _, k := range row {
		if n := len(out); n > 0 && k.x0 < out[n-1].x1-1 {
			o := &out[n-1]
			o.x0, o.y0, o.x1, o.y1 = min(o.x0, k.x0), min(o.y0, k.y0), max(o.x1, k.x1), max(o.y1, k.y1)
			o.n += k.n
			continue
		}
		out = append(out, k)
	}
	// Specks left on the row: only glyph-high boxes count.
	glyphs := out[:0]
	for _, k := range out {
		if float64(k.y1-k.y0) >= 0.7*mh {
			glyphs = append(glyphs, k)
		}
	}
	// The number ends the line; its caption, left of it, may share the
	// row: the last 18 boxes evenly spaced (fixed pitch) are the number.
	// The security pattern or the portrait's edge right of it can leave
	// a glyph-high piece or two on the row (at glareInkPct under hard
	// print): the run of 18 is looked for from the right.
	for end := len(glyphs); end >= 18 && end >= len(glyphs)-cnNumberStrays; end-- {
		if run := glyphs[end-18 : end]; evenPitch(run) {
			return run
		}
	}
	return nil
}

// cnNumberStrays is how many glyph-high pieces right of the number
// glyphBoxesAt looks past for its 18 evenly spaced glyphs.
const cnNumberStrays = 3

// evenPitch reports whether boxes, left to right, are spaced at a fixed
// pitch: every step between centres within 0.7–1.3 of the median step.
func evenPitch(boxes []comp) bool {
	if len(boxes) < 2 {
		return false
	}
	steps := make([]float64, len(boxes)-1)
	for i := range steps {
		steps[i] = boxes[i+1].cx() - boxes[i].cx()
	}
	med := slices.Clone(steps)
	slices.Sort(med)
	m := med[len(med)/2]
	for _, s := range steps {
		if s < 0.7*m || s > 1.3*m {
			return false
		}
	}
	return m > 0
}

// readCNNumberOCRB reads the number from the band right of its caption
// on an upright card c, and returns it with its glyphs' boxes in c's
// pixels. The glyphs are looked for at each of cnNumberInkPcts in turn,
// and read at each that finds them until a reading is vouched for. The
// reading is not ok when the glyphs are not found,
// not recognised with confidence, or do not make a valid number after at
// most one repair, or when two repairs would, or when a glyph is too
// close to call (decodeCNNumber): the caller then reads the line with
// Tesseract, whose reading must then agree with the pattern, the number as
// the templates read it with '?' at the glyphs too close to call ("" when
// no glyph was). The glyphs' scores are those of the reading vouched
// for, else the first threshold's whose glyphs were all classified.
func readCNNumberOCRB(c *plane) (ocrbNumber, []comp) {
	bx, by := int(cnNumberOnly[0]*float64(c.w)), int(cnNumberOnly[1]*float64(c.h))
	b := c.crop(bx, by, int(cnNumberOnly[2]*float64(c.w)), int(cnNumberOnly[3]*float64(c.h)))
	var out ocrbNumber
	found := make([][]comp, len(cnNumberInkPcts))
	for _, local := range []bool{false, true} {
		for i, pct := range cnNumberInkPcts {
			if !local {
				found[i] = glyphBoxesAt(b, c.h, pct)
			}
			boxes := found[i]
			if boxes == nil {
				continue
			}
			n, p, w, sc, ok := classifyCNNumber(b, boxes, local)
			if ok {
				// The glyphs' boxes in the card's pixels.
				for i := range boxes {
					k := &boxes[i]
					k.x0, k.x1, k.y0, k.y1 = k.x0+bx, k.x1+bx, k.y0+by, k.y1+by
				}
				return ocrbNumber{num: n, sc: sc, ok: true}, boxes
			}
			// The first reading's pattern, weak reading and scores
			// stand.
			if out.pattern == "" && p != "" {
				out.pattern, out.psc = p, sc
			}
			if out.weak == "" {
				out.weak = w
			}
			if out.sc == nil {
				out.sc = sc
			}
		}
	}
	return out, nil
}

// classifyCNNumber reads the number's 18 glyphs at boxes of the band b
// with the templates and decodes them (decodeCNNumber); weak is
// weakCNNumber's reading when the decoding fails, sc the glyphs' scores
// (nil when a glyph could not be classified). The ink and the paper are
// those of all the glyphs' boxes, or with local each box's own: a glare
// over part of the number lightens its paper there, and a glyph isolated
// on the paper of the others is sampled inside a frame of darker grey
// (its score 0.1–0.4 where its neighbours' are 0.8).
func classifyCNNumber(b *plane, boxes []comp, local bool) (num, pattern, weak string, sc []cellScores, ok bool) {
	thr := boxThreshold(b, boxes)
	var hs []float64
	for _, k := range boxes {
		hs = append(hs, float64(k.y1-k.y0))
	}
	slices.Sort(hs)
	unit := hs[len(hs)/2] / refHeight
	paper := 2*thr - inkLevel(b, boxes)
	sc = make([]cellScores, len(boxes))
	for i, k := range boxes {
		thr, paper := thr, paper
		if local {
			ink, pp := inkPaper(boxLevels(b, []comp{k}))
			thr, paper = (ink+pp)/2, pp
		}
		g, ox, oy := isolate(b, k, int(unit), paper)
		f := cellFrame{cx: float64(k.x0+k.x1-1)/2 - ox, cy: float64(k.y0+k.y1-1)/2 - oy, ux: unit, vy: unit}
		if !classify(g, f, thr, &sc[i]) {
			return "", "", "", nil, false
		}
	}
	num, pattern, ok = decodeCNNumber(sc)
	if !ok {
		return "", pattern, weakCNNumber(sc), sc, false
	}
	return num, "", "", sc, true
}

// isolate copies box k of p with a margin of m pixels onto a plane where
// everything outside the box (grown by a pixel) is paper: the number's
// glyphs are closer than the templates' window is wide, and a
// neighbour's edge would be sampled with the glyph. It returns the plane
// and its origin in p.
func isolate(p *plane, k comp, m int, paper float64) (*plane, float64, float64) {
	x0, y0 := k.x0-m, k.y0-m
	w, h := k.x1-k.x0+2*m, k.y1-k.y0+2*m
	out := newPlane(w, h)
	pv := byte(min(255, max(0, paper)))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			sx, sy := x0+x, y0+y
			v := pv
			if sx >= k.x0-1 && sx <= k.x1 && sy >= k.y0-1 && sy <= k.y1 && sx >= 0 && sy >= 0 && sx < p.w && sy < p.h {
				v = p.pix[sy*p.w+sx]
			}
			out.pix[y*w+x] = v
		}
	}
	return out, float64(x0), float64(y0)
}

// boxLevels returns the sorted grey levels of the glyphs' boxes.
func boxLevels(p *plane, boxes []comp) []float64 {
	var vals []float64
	for _, k := range boxes {
		for y := k.y0; y < k.y1; y++ {
			for x := k.x0; x < k.x1; x++ {
				vals = append(vals, float64(p.pix[y*p.w+x]))
			}
		}
	}
	slices.Sort(vals)
	return vals
}

// inkLevel is the 5th percentile grey level of the glyphs' boxes.
func inkLevel(p *plane, boxes []comp) float64 {
	vals := boxLevels(p, boxes)
	return vals[len(vals)*5/100]
}

// boxThreshold is the grey level halfway between the ink (5th
// percentile) and the paper (90th) of the glyphs' boxes.
func boxThreshold(p *plane, boxes []comp) float64 {
	vals := boxLevels(p, boxes)
	return (vals[len(vals)*5/100] + vals[len(vals)*90/100]) / 2
}

// cnClasses are the characters a position of the number admits: digits,
// and X last (a check value of 10).
func cnClasses(pos int) string {
	if pos == 17 {
		return "0123456789X"
	}
	return "0123456789"
}

// cnBest returns the character the templates' scores sc of the glyph at
// position pos of a number score highest among those the position
// admits (cnClasses), with its score; the first in cnClasses' order on
// a tie.
func cnBest(sc *cellScores, pos int) (byte, float32) {
	best, top := byte(0), float32(-2)
	for _, ch := range []byte(cnClasses(pos)) {
		if v := sc[indexOf(ch)]; v > top {
			best, top = ch, v
		}
	}
	return best, top
}

// decodeCNNumber chooses each position's best admitted character and
// verifies the number (MOD 11-2, region, date). A number that fails is
// repaired by the single substitution, among runner-ups within
// cnRepairLead of their position's best, that makes it valid, when
// exactly one does. It reports false when a glyph scores under cnSure,
// and when a glyph other than the one repaired leads another character
// its position admits by less than cnLead: a check character catches one
// wrong glyph, not three. pattern is then the best characters with '?'
// at the glyphs too close to call ("" otherwise).
func decodeCNNumber(sc []cellScores) (num, pattern string, ok bool) {
	if len(sc) != 18 {
		return "", "", false
	}
	best := make([]byte, 18)
	top := make([]float32, 18)
	score := func(i int, ch byte) float32 { return sc[i][indexOf(ch)] }
	for i := range sc {
		top[i] = -2
		for _, ch := range []byte(cnClasses(i)) {
			if v := score(i, ch); v > top[i] {
				best[i], top[i] = ch, v
			}
		}
		if top[i] < cnSure {
			return "", "", false
		}
	}
	close := slices.Clone(best)
	for i := range sc {
		for _, ch := range []byte(cnClasses(i)) {
			if ch != best[i] && score(i, ch) > top[i]-cnLead {
				close[i] = '?'
			}
		}
	}
	// sure reports whether every glyph but the one at repaired leads.
	sure := func(repaired int) bool {
		for i, ch := range close {
			if ch == '?' && i != repaired {
				return false
			}
		}
		return true
	}
	if _, err := cnid.Parse(string(best)); err == nil {
		if !sure(-1) {
			return "", string(close), false
		}
		return string(best), "", true
	}
	var found string
	at, n := -1, 0
	for i := range sc {
		for _, ch := range []byte(cnClasses(i)) {
			if ch == best[i] || score(i, ch) < top[i]-cnRepairLead {
				continue
			}
			try := slices.Clone(best)
			try[i] = ch
			if _, err := cnid.Parse(string(try)); err == nil {
				found, at = string(try), i
				n++
			}
		}
	}
	if n != 1 {
		return "", "", false
	}
	if !sure(at) {
		close[at] = '?'
		return "", string(close), false
	}
	return found, "", true
}

// weakCNNumber returns the templates' best reading of the number's
// glyphs when it is a valid number (MOD 11-2, region and date) although
// one or two glyphs (cnMaxWeak) score under cnSure, none under
// cnWeakFloor, and every glyph leads each other character its position
// admits by cnLead; "" otherwise. A glare over the number lightens a
// glyph or two (0.35–0.54 on dev seeds 144–147, the rest 0.6 or more);
// the check character then confirms a single weak glyph, not two, so
// such a number is reported but not vouched for.
func weakCNNumber(sc []cellScores) string {
	if len(sc) != 18 {
		return ""
	}
	best := make([]byte, 18)
	weak := 0
	for i := range sc {
		var top float32
		best[i], top = cnBest(&sc[i], i)
		if top < cnWeakFloor {
			return ""
		}
		if top < cnSure {
			weak++
		}
		for _, ch := range []byte(cnClasses(i)) {
			if ch != best[i] && sc[i][indexOf(ch)] > top-cnLead {
				return ""
			}
		}
	}
	if weak == 0 || weak > cnMaxWeak {
		return ""
	}
	if _, err := cnid.Parse(string(best)); err != nil {
		return ""
	}
	return string(best)
}

// fitsPattern reports whether num has pattern's character at every
// position pattern does not mark '?'.
func fitsPattern(num, pattern string) bool {
	if len(num) != len(pattern) {
		return false
	}
	for i := range len(num) {
		if pattern[i] != '?' && pattern[i] != num[i] {
			return false
		}
	}
	return true
}
