package docread

import "slices"

// The front's sex line prints the sex, the ethnicity's caption (民族)
// and the ethnicity: the caption is two characters of the line's five
// or so that PaddleOCR would read for nothing (parseLinesByPosition
// takes the sex as the line's first character when no caption is read).
// Where the cleaned block keeps the caption as a group of ink of its
// own, between two long blanks and where the layout prints it, the line
// is read without it (issue 11, mainland speed; docs/reading.md).

// Where the caption's group may lie on the sex line, in the line's
// heights (its rows in the cleaned block) from the line's first ink (the
// sex): its start, and its width (two caption characters and the gap
// between them). The generators print the caption 9 mm (the eval's
// cards, values 3 mm high) and 13 mm (the tests' cards, 3.6 mm) right of
// the sex, 6.1 and 6.7 mm wide, and the ethnicity 19 and 24 mm right of
// the sex.
const (
	cnEthCaptionFrom, cnEthCaptionTo   = 2.0, 6.0 // the caption's start
	cnEthCaptionMinW, cnEthCaptionMaxW = 1.2, 3.2 // its width
	cnEthValueFrom                     = 5.5      // the ethnicity's least start
)

// sexLineCut returns the columns of the sex line (rows [y0, y1) of the
// cleaned block tb, its ink from column x0 to x1 - 1) to leave out of
// PaddleOCR's reading: the ethnicity's caption and the blanks around it,
// shortened to one blank of the line's height, as paddleLineCompact
// shortens the line's first long blank. It reports false, cutting
// nothing, unless the line holds exactly three groups of ink between
// blanks longer than its height (the sex, the caption, the ethnicity)
// and the middle one starts and spans as the caption does
// (cnEthCaptionFrom and the rest): a caption lost to the cleaning, a
// speck of the pattern or a line framed off keep the line whole.
func sexLineCut(tb *plane, x0, y0, x1, y1 int) ([2]int, bool) {
	h := y1 - y0
	b := blankRuns(tb, x0, y0, x1, y1, h)
	if h <= 0 || len(b) != 2 {
		return [2]int{}, false
	}
	in := func(v int, lo, hi float64) bool {
		return float64(v) >= lo*float64(h) && float64(v) <= hi*float64(h)
	}
	start, width := b[0][1]-x0, b[1][0]-b[0][1]
	if !in(start, cnEthCaptionFrom, cnEthCaptionTo) || !in(width, cnEthCaptionMinW, cnEthCaptionMaxW) ||
		float64(b[1][1]-x0) < cnEthValueFrom*float64(h) {
		return [2]int{}, false
	}
	return shortened([2]int{b[0][0], b[1][1]}, h), true
}

// paddleSexLine is the sex line cut for PaddleOCR: without the
// ethnicity's caption (sexLineCut), or, when it is not found, with its
// first long blank shortened (paddleLineCompact).
func paddleSexLine(p, tb *plane, x0, y0, x1, y1 int) *plane {
	if c, ok := sexLineCut(tb, x0, y0, x1, y1); ok {
		return paddleLineCut(p, x0, y0, x1, y1, [][2]int{c})
	}
	return paddleLineCompact(p, tb, x0, y0, x1, y1)
}

// readSexLine reads the front's sex line, cut for PaddleOCR (line),
// decoded by sexLineText, and reports false when the recogniser failed.
func readSexLine(rec *paddleRec, line *plane) (string, bool) {
	var txt string
	err := rec.output(line, 1, 1, func(probs []float32, steps, classes int) {
		txt = sexLineText(probs, steps, classes, rec.keys)
	})
	return txt, err == nil
}

// sexLineText decodes the recogniser's output for the sex line (steps
// × classes probabilities, keys the classes' characters). The card
// prints one of the 56 ethnic groups' names: when the reading names
// none (sexLineParts), the output is decoded again among the line's own
// characters (cnSexChars: the sex, the caption and the names), and that
// decoding is taken when it reads the same sex and an official name.
// The model reads 彝 as 葬 on some lines (0.84 against 0.05 on dev seed
// 203's front 0029, cut without its caption, which read 彝 while the
// caption was read with it). The sex is never taken from the restricted
// decoding: restricted, a line that is not the sex line could show 男
// or 女, which confirms the lines' places (placesConfirmed).
func sexLineText(probs []float32, steps, classes int, keys []rune) string {
	txt := paddleText(ctcDecode(probs, steps, classes, keys))
	sex, eth := sexLineParts(txt)
	if sex == "" || officialEthnicity(eth) {
		return txt
	}
	among := paddleText(ctcDecode(keepClasses(probs, classes, keys, cnSexChars), steps, classes, keys))
	if s, e := sexLineParts(among); s == sex && officialEthnicity(e) {
		return among
	}
	return txt
}

// officialEthnicity reports whether eth is the name of one of the 56
// ethnic groups.
func officialEthnicity(eth string) bool { return slices.Contains(cnEthnicities, eth) }
