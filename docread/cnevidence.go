package docread

import (
	"strings"

	"github.com/kycq/kycq/kyc/cnid"
)

// MOD 11-2 catches any one wrong character of a number but not every
// pair: two wrong digits whose weighted changes add up to a multiple of
// 11 leave the check character right (a 0 read as 6 at weight 10 and a
// 0 read as 9 at weight 8: 6·10 + 9·8 = 132 = 12·11). A number is
// vouched for only when no two of its glyphs the readings leave in
// doubt could be changed into another valid number, or when a second
// reader agrees with it. One-ID-one-account keys on the number: a wrong
// number vouched for lets a card claim a number that is not its own.

// cnDoubtLead is how close to the score of a glyph's character another
// character its position admits must score for the templates to leave
// the glyph in doubt between them (glyphDoubts). It is wider than
// cnLead, the lead a reading needs at every glyph to be made at all:
// under hard print a 0 with a line of the pattern through it scores as
// a 9 or a 6 within a few hundredths, and a glyph blended of a 0 and a
// 6 (TestNumberDoubtRendered) is read as either by 0.05–0.12.
const cnDoubtLead = 0.15

// glyphDoubts returns, per position of the number num, the other
// characters the position admits (cnClasses) that score, by the
// templates' scores sc of its glyphs, within cnDoubtLead of num's
// character there; nil when sc does not hold 18 glyphs.
func glyphDoubts(num string, sc []cellScores) [][]byte {
	if len(num) != 18 || len(sc) != 18 {
		return nil
	}
	out := make([][]byte, 18)
	for i := range 18 {
		at := indexOf(num[i])
		if at < 0 {
			return nil
		}
		for _, ch := range []byte(cnClasses(i)) {
			if ch != num[i] && sc[i][indexOf(ch)] >= sc[i][at]-cnDoubtLead {
				out[i] = append(out[i], ch)
			}
		}
	}
	return out
}

// balancedPair reports whether num changed at two positions, each to
// one of the characters doubts holds for it, is another valid number
// (cnid.Parse): a pair of misread glyphs the check character cannot
// see.
func balancedPair(num string, doubts [][]byte) bool {
	if len(num) != 18 || len(doubts) != 18 {
		return false
	}
	try := []byte(num)
	for i := range 18 {
		for _, a := range doubts[i] {
			try[i] = a
			for j := i + 1; j < 18; j++ {
				for _, b := range doubts[j] {
					try[j] = b
					_, err := cnid.Parse(string(try))
					try[j] = num[j]
					if err == nil {
						return true
					}
				}
			}
		}
		try[i] = num[i]
	}
	return false
}

// fitsDoubts reports whether num, a number another reader read, fits
// the templates' pattern of the same glyphs (decodeCNNumber: their best
// characters, '?' at glyphs too close to call): at every position
// pattern does not mark '?', num holds pattern's character or one that
// the templates' scores sc leave in doubt with it (within cnDoubtLead).
// A blur makes a 0 score as a 6 or a 9 by more than cnLead and less
// than cnDoubtLead (dev seed 216's front 0080: Tesseract read the
// number exactly, the templates' 6 leading its 0): such a glyph does
// not rule the other reader's character out. Whether the number is
// vouched for is numberVouched's to say.
func fitsDoubts(num, pattern string, sc []cellScores) bool {
	if fitsPattern(num, pattern) {
		return true
	}
	if len(num) != 18 || len(pattern) != 18 || len(sc) != 18 {
		return false
	}
	for i := range 18 {
		if pattern[i] == '?' || pattern[i] == num[i] {
			continue
		}
		a, b := indexOf(num[i]), indexOf(pattern[i])
		if a < 0 || b < 0 || sc[i][a] < sc[i][b]-cnDoubtLead {
			return false
		}
	}
	return true
}

// templatesDisagree returns how many positions of num, a number read by
// Tesseract, hold another character than the templates' best there
// (by their scores sc of the same 18 glyphs); 18 when sc does not hold
// 18 glyphs. Where they agree two readers saw the character; where
// they do not, Tesseract alone did, and the check character vouches for
// one such character, not two.
func templatesDisagree(num string, sc []cellScores) int {
	if len(num) != 18 || len(sc) != 18 {
		return 18
	}
	n := 0
	for i := range 18 {
		if best, _ := cnBest(&sc[i], i); best != num[i] {
			n++
		}
	}
	return n
}

// oneDoubtNumber returns the number the templates' pattern
// (decodeCNNumber: their best characters, '?' at glyphs too close to
// call) makes when it leaves a single glyph in doubt: the one character
// the position admits that makes a valid number (cnid.Parse) with the
// other 17, when it scores, by the templates' scores sc of the same
// glyphs, within cnDoubtLead of the glyph's best. MOD 11-2 tells any
// one character of a number from every other at its place, so the check
// character decides the glyph the templates could not; "" when the
// pattern leaves no glyph or more than one in doubt, when no character
// makes a valid number, or when the templates' scores rule it out
// (another glyph was misread, and the check character's choice only
// makes up for it). Dev seed 225's front 0353: a 0 under a shadow
// scored within cnLead of a 6, no other reader found the number, and
// the check character gives the 0.
func oneDoubtNumber(pattern string, sc []cellScores) string {
	if len(pattern) != 18 || len(sc) != 18 || strings.Count(pattern, "?") != 1 {
		return ""
	}
	at := strings.IndexByte(pattern, '?')
	try := []byte(pattern)
	for _, ch := range []byte(cnClasses(at)) {
		try[at] = ch
		if _, err := cnid.Parse(string(try)); err != nil {
			continue
		}
		_, top := cnBest(&sc[at], at)
		if sc[at][indexOf(ch)] < top-cnDoubtLead {
			return ""
		}
		return string(try)
	}
	return ""
}

// paddleNumber returns the number PaddleOCR's recogniser rec reads on
// the number line l (findCNNumber of its characters), "" when it reads
// none.
func paddleNumber(rec *paddleRec, l *plane) string {
	if rec == nil || l == nil {
		return ""
	}
	cs, err := rec.recognise(l)
	if err != nil {
		return ""
	}
	n, _ := findCNNumber(paddleText(cs))
	return n
}

// numberLines returns the lines of the front c's number band right of
// its caption, cleaned, each wide enough to hold the number.
func numberLines(c *plane) []*plane {
	nb := band(c, cnNumberOnly)
	lineH := cnLineHeight(c.h)
	var out []*plane
	for _, s := range lineSpans(nb, lineH/3, lineH/2) {
		if l := lineCrop(nb, s[0], s[1], 6); l != nil && l.w > 4*l.h {
			out = append(out, l)
		}
	}
	return out
}

// numberPhotoLines returns the lines of numberLines as photographed
// (photographedLine: the cleaned line's ink columns cut from the band
// before cleaning), for PaddleOCR, which reads a blurred number better
// on its greys than on the cleaning's black and white.
func numberPhotoLines(c *plane) []*plane {
	nb, raw := band(c, cnNumberOnly), bandCrop(c, cnNumberOnly)
	lineH := cnLineHeight(c.h)
	var out []*plane
	for _, s := range lineSpans(nb, lineH/3, lineH/2) {
		if l := photographedLine(nb, raw, s); l != nil && l.w > 4*l.h {
			out = append(out, l)
		}
	}
	return out
}

// numberLine reads the front's number with Tesseract (when the OCR-B
// templates did not vouch for one): each line of numberLines, alone and
// restricted to the number's characters, then, if that finds none, the
// whole band as a block. It returns the number with the line it was
// read on (nil when read on the whole band).
func numberLine(tp *tessPair, c *plane) (string, *plane, bool) {
	for _, l := range numberLines(c) {
		if num, ok := findCNNumber(tp.eng.recognise(l.pix, l.w, l.h, psmSingleLine, "0123456789X")); ok {
			if _, err := cnid.Parse(num); err == nil {
				return num, l, true
			}
		}
	}
	nb := band(c, cnNumberBand)
	num, ok := findCNNumber(tp.eng.recognise(nb.pix, nb.w, nb.h, psmSingleBlock, ""))
	return num, nil, ok
}

// numberVouched reports whether the number num, read on the front c
// (by the templates when fromTemplates, else by Tesseract on the line
// l, nil when on the whole band), has evidence beyond its check
// character: read by the templates, no two glyphs in doubt make another
// valid number (glyphDoubts, balancedPair), or Tesseract reads the same
// number (PaddleOCR, on a line of the band as photographed, when
// Tesseract reads none:
// a blur that makes the templates' 0s score as 6, 8 or 9 within
// cnDoubtLead loses Tesseract too, dev seeds 201's 0071 and 202's
// 0054); read by Tesseract, it differs from the templates' best at
// one glyph at most (templatesDisagree), or PaddleOCR reads the same
// number on the line (the templates classified no glyphs, or a blur
// made their 0s score as 6, 8 or 9: dev seed 200's 0024 and 0069).
func numberVouched(tp *tessPair, c *plane, num string, sc []cellScores, fromTemplates bool, l *plane) bool {
	if fromTemplates {
		if !balancedPair(num, glyphDoubts(num, sc)) {
			return true
		}
		if t, _, ok := numberLine(tp, c); ok {
			return t == num
		}
		// Tesseract reads no number: PaddleOCR on the lines.
		for _, l := range numberPhotoLines(c) {
			if tp.rec != nil && paddleNumber(tp.rec, l) == num {
				return true
			}
		}
		return false
	}
	if sc != nil && templatesDisagree(num, sc) <= 1 {
		return true
	}
	return l != nil && tp.rec != nil && paddleNumber(tp.rec, l) == num
}

// paddlePhotoNumber returns the first valid number (cnid.Parse)
// PaddleOCR's recogniser rec reads on a line of the front c's number
// band as photographed (numberPhotoLines), "" when none. On dev seeds
// 200–204 it read four of the five hard fronts whose number neither the
// templates nor Tesseract found (a blur or a glare), each exactly.
func paddlePhotoNumber(rec *paddleRec, c *plane) string {
	if rec == nil {
		return ""
	}
	for _, l := range numberPhotoLines(c) {
		if n := paddleNumber(rec, l); n != "" {
			if _, err := cnid.Parse(n); err == nil {
				return n
			}
		}
	}
	return ""
}
