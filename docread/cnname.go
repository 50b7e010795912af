package docread

import (
	"slices"
	"strings"
	"unicode"
)

// The name line is read as photographed (the cleaning that helps
// Tesseract on the other lines thins dense strokes) by PaddleOCR's
// Chinese recogniser (paddle.go), once, with a margin of the photo
// around its ink: on the generator's dev seeds it read every name whose
// line was found, 鑫 and 磊 included, where Tesseract's chi_sim never read
// 鑫 (docs/reading.md). A character's confidence is its probability, its
// candidates the runners-up. When it reads no Han character, Tesseract
// reads the line as before: at two sizes and modes (raw line, PSM 13,
// and a line it lays out itself, PSM 7), in two more when they differ,
// the readings voting character by character, each weighing with its
// confidence (voteWeighted).
//
// A name has no check character, so the reader also says where it is
// unsure: a character the readings disagree on, read with low
// confidence, or with a runner-up close behind it, carries the other
// characters it may be (kyc.DocumentRead.NameAlternatives). When the
// applicant typed a name of the same length that differs only at such
// characters, Tesseract reads the line once more (at each size until one
// succeeds) restricted to the typed name's characters: when that reading
// shows the whole typed name, its differing characters read with
// confidence, they are close alternatives; otherwise they are struck
// from the alternatives (the model, made to choose among the typed
// characters, drops or doubts one that is not printed). The typed name
// only chooses what to compare: it never becomes the name read.

// cnNameReadings are the ways Tesseract reads the name line when
// PaddleOCR read nothing: the height, in pixels, its ink is scaled to
// and the page segmentation mode.
// The first two always; the others only when those two differ.
// Measured on the generator's dev seeds 7, 11 and 12 (240 fronts,
// docs/reading.md): names exact 0.89 with the three raw-line readings
// at 36, 40 and 32 px before, 0.94 with these.
var cnNameReadings = []struct {
	h   float64
	psm int
}{{36, psmRawLine}, {28, psmSingleLine}, {32, psmRawLine}, {32, psmSingleLine}}

// cnNameHeights are the heights, in pixels, of the name's ink the line
// is read at, restricted to the typed name's characters
// (typedNameFits), the preferred first.
var cnNameHeights = []float64{36, 40, 32}

// nameReading is one reading of the name line: its Han characters, the
// recogniser's confidence in each (0–100) and the candidates it weighed
// for each, best first.
type nameReading struct {
	text    []rune
	conf    []float32
	choices [][]tessChoice
}

// hanReading keeps the symbols of a reading that are one Han character.
func hanReading(syms []tessSymbol) nameReading {
	var nr nameReading
	for _, s := range syms {
		r := []rune(s.text)
		if len(r) != 1 || !unicode.Is(unicode.Han, r[0]) {
			continue
		}
		nr.text = append(nr.text, r[0])
		nr.conf = append(nr.conf, s.conf)
		nr.choices = append(nr.choices, s.choices)
	}
	return nr
}

// Uncertainty thresholds of a name character (confidences 0–100).
const (
	// nameSureConf: a character read with less confidence is uncertain.
	nameSureConf = 93
	// nameRunnerUp: a candidate scoring at least this share of the
	// chosen character's confidence makes it uncertain, and is an
	// alternative.
	nameRunnerUp = 0.1
)

// readName reads the name line with the PaddleOCR recogniser (pl, the
// line with a margin of the photo; when it reads no Han character, r,
// whose ink is inkH pixels high, is read by Tesseract in the ways of
// tessNameReadings) and returns the name read and, per character, the
// other characters it may be ("" where the reader is sure). typed is the
// name the applicant typed (Han characters, or ""): it is only compared,
// never read into the name.
func readName(tp *tessPair, r, pl *plane, inkH int, typed string) (string, []string) {
	if inkH <= 0 {
		return "", nil
	}
	tp.chi.set("lstm_choice_mode", "2")
	defer tp.chi.set("lstm_choice_mode", "0")
	reads := []nameReading{tp.rec.nameReading(pl)}
	if len(reads[0].text) == 0 {
		reads = tessNameReadings(tp, r, inkH)
	}
	name := voteWeighted(reads)
	alts := nameAlternatives(name, reads)
	if tr := []rune(onlyHan(typed)); len(tr) == len(name) && onlyUncertainDiffer(name, tr, alts) {
		fits := typedNameFits(tp, r, inkH, name, tr)
		for i := range name {
			switch {
			case name[i] == tr[i]:
			case fits && !strings.ContainsRune(alts[i], tr[i]):
				alts[i] += string(tr[i])
			case !fits:
				alts[i] = strings.ReplaceAll(alts[i], string(tr[i]), "")
				if alts[i] == "" {
					alts[i] = "?"
				}
			}
		}
	}
	for _, a := range alts {
		if a != "" {
			return string(name), alts
		}
	}
	return string(name), nil
}

// tessNameReadings reads the name line r, whose ink is inkH pixels high,
// with Tesseract in the ways of cnNameReadings, the last two only when
// the first two differ.
func tessNameReadings(tp *tessPair, r *plane, inkH int) []nameReading {
	var reads []nameReading
	for i, nr := range cnNameReadings {
		if i == 2 && len(reads[0].text) > 0 && slices.Equal(reads[0].text, reads[1].text) {
			break // two ways agree
		}
		q := scaleLine(r, nr.h/float64(inkH))
		reads = append(reads, hanReading(tp.chi.recogniseSymbols(q.pix, q.w, q.h, nr.psm, "")))
	}
	return reads
}

// nameForcedConf is the confidence (0–100) a typed character must be
// read with when the name line is read restricted to the typed name's
// characters.
const nameForcedConf = 50

// typedNameFits reports whether the name line, read restricted to the
// characters of the typed name tr, shows exactly tr with each character
// that differs from the name read recognised with at least
// nameForcedConf confidence, at one of cnNameHeights in raw-line mode.
// A name the line does not show comes
// back with characters missing or with low confidence.
func typedNameFits(tp *tessPair, r *plane, inkH int, name, tr []rune) bool {
	for _, th := range cnNameHeights {
		q := scaleLine(r, th/float64(inkH))
		got := hanReading(tp.chi.recogniseSymbols(q.pix, q.w, q.h, psmRawLine, string(tr)))
		if !slices.Equal(got.text, tr) {
			continue
		}
		ok := true
		for j := range tr {
			if tr[j] != name[j] && got.conf[j] < nameForcedConf {
				ok = false
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// allUncertain returns the alternatives of a name read without
// per-character confidence: every character uncertain, without a
// candidate; nil for no name.
func allUncertain(name string) []string {
	n := len([]rune(name))
	if n == 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = "?"
	}
	return out
}

// scaleLine returns r scaled by k.
func scaleLine(r *plane, k float64) *plane {
	w, h := max(1, int(float64(r.w)*k+0.5)), max(1, int(float64(r.h)*k+0.5))
	return warpArea(r, [4][2]float64{{0, 0}, {float64(r.w), 0}, {float64(r.w), float64(r.h)}, {0, float64(r.h)}}, w, h)
}

// nameAlternatives returns, for each character of the voted name, the
// other characters the readings of its length leave possible: a
// different character read at its place, and the candidates scoring at
// least nameRunnerUp of the chosen one's confidence. A character read
// with less than nameSureConf confidence, or not read in every reading of
// the name's length, is uncertain even without an alternative ("?").
func nameAlternatives(name []rune, reads []nameReading) []string {
	alts := make([]string, len(name))
	add := func(i int, c rune) {
		if c != name[i] && !strings.ContainsRune(alts[i], c) {
			alts[i] += string(c)
		}
	}
	for _, nr := range reads {
		if len(nr.text) != len(name) {
			continue
		}
		for i, c := range nr.text {
			add(i, c)
			unsure := nr.conf[i] < nameSureConf
			for _, ch := range nr.choices[i] {
				cr := []rune(ch.text)
				if len(cr) != 1 || !unicode.Is(unicode.Han, cr[0]) || cr[0] == c {
					continue
				}
				if ch.conf >= nameRunnerUp*nr.conf[i] {
					add(i, cr[0])
					unsure = true
				}
			}
			if unsure && alts[i] == "" {
				alts[i] = "?"
			}
		}
	}
	return alts
}

// onlyUncertainDiffer reports whether typed differs from name (of the
// same length) and only at characters with alternatives.
func onlyUncertainDiffer(name, typed []rune, alts []string) bool {
	differ := false
	for i := range name {
		if name[i] != typed[i] {
			if alts[i] == "" {
				return false
			}
			differ = true
		}
	}
	return differ
}

// voteWeighted combines readings of one line with their confidences:
// the length is the one whose readings have the largest sum of mean
// confidences (the first reading's on a tie), and each character the one
// whose readings of that length give it the largest sum of confidences
// (the earliest reading's on a tie). A reading with no character does
// not vote.
func voteWeighted(reads []nameReading) []rune {
	weight := map[int]float64{}
	n := -1
	for _, nr := range reads {
		l := len(nr.text)
		if l == 0 || len(nr.conf) != l {
			continue
		}
		var sum float64
		for _, c := range nr.conf {
			sum += float64(c)
		}
		weight[l] += sum / float64(l)
		if n < 0 {
			n = l
		}
	}
	if n < 0 {
		return nil
	}
	for l, w := range weight {
		if w > weight[n] {
			n = l
		}
	}
	out := make([]rune, n)
	for i := range out {
		votes := map[rune]float64{}
		var best rune
		for _, nr := range reads {
			if len(nr.text) != n || len(nr.conf) != n {
				continue
			}
			c := nr.text[i]
			votes[c] += float64(nr.conf[i])
			if best == 0 || votes[c] > votes[best] {
				best = c
			}
		}
		out[i] = best
	}
	return out
}

// paddleMargin is the margin, in line heights, of the photo around a
// line's ink that the PaddleOCR recogniser is given (its training lines
// are cut with some background around the text).
const paddleMargin = 0.25

// paddleLine cuts the rectangle [x0, x1) × [y0, y1) of p, the ink of a
// line, with a margin of the photo itself around it.
func paddleLine(p *plane, x0, y0, x1, y1 int) *plane {
	m := int(paddleMargin*float64(y1-y0) + 0.5)
	x0, y0 = max(0, x0-m), max(0, y0-m)
	x1, y1 = min(p.w, x1+m), min(p.h, y1+m)
	if x1-x0 < 2 || y1-y0 < 2 {
		return nil
	}
	return p.crop(x0, y0, x1, y1)
}

// nameReading reads line with the PaddleOCR recogniser and keeps its Han
// characters, with their probabilities and runners-up as confidences
// (0–100).
func (p *paddleRec) nameReading(line *plane) nameReading {
	var nr nameReading
	cs, err := p.recognise(line)
	if err != nil {
		return nr
	}
	for _, c := range cs {
		if !unicode.Is(unicode.Han, c.r) {
			continue
		}
		nr.text = append(nr.text, c.r)
		nr.conf = append(nr.conf, 100*c.p)
		nr.choices = append(nr.choices, c.choices)
	}
	return nr
}

// paddleLineCompact is paddleLine with the line's first long blank
// shortened: the first run of columns of the cleaned plane tb holding
// no ink in rows [y0, y1) longer than the line's height (on the front's
// sex line, between the sex and the ethnicity's caption) is cut to the
// line's height. The recogniser's cost grows with the line's width, and
// a blank reads as nothing either way. Measured on dev seeds 12, 44 and
// 45 (240 fronts): cutting every such blank to a third of the height
// pressed the caption against the ethnicity and lost it on 3 fronts (彝
// twice, 土家), to half the height on 1 (土家).
func paddleLineCompact(p, tb *plane, x0, y0, x1, y1 int) *plane {
	h := y1 - y0
	var cuts [][2]int // blank column runs [a, b) of tb to shorten
	if b := blankRuns(tb, x0, y0, x1, y1, h); len(b) > 0 {
		cuts = append(cuts, shortened(b[0], h))
	}
	return paddleLineCut(p, x0, y0, x1, y1, cuts)
}

// shortened returns the part of the blank column run b to cut for it to
// keep keep columns, half on each side.
func shortened(b [2]int, keep int) [2]int {
	return [2]int{b[0] + keep/2, b[1] - (keep - keep/2)}
}

// blankRuns returns the runs [a, b) of columns x0 ≤ a < b ≤ x1 of the
// cleaned plane tb holding no ink in rows [y0, y1), longer than minW,
// left to right. Blank columns at x0 or x1 end no run: the runs found
// lie between ink.
func blankRuns(tb *plane, x0, y0, x1, y1, minW int) [][2]int {
	var out [][2]int
	start := -1
	for x := x0; x < x1; x++ {
		ink := false
		for y := y0; y < y1 && !ink; y++ {
			ink = tb.pix[y*tb.w+x] < 128
		}
		switch {
		case !ink && start < 0:
			start = x
		case ink && start >= 0:
			if x-start > minW {
				out = append(out, [2]int{start, x})
			}
			start = -1
		}
	}
	return out
}

// paddleLineCut is paddleLine with the column runs cuts (of p's
// columns, left to right, inside [x0, x1)) left out.
func paddleLineCut(p *plane, x0, y0, x1, y1 int, cuts [][2]int) *plane {
	full := paddleLine(p, x0, y0, x1, y1)
	if full == nil || len(cuts) == 0 {
		return full
	}
	m := int(paddleMargin*float64(y1-y0) + 0.5)
	ox := max(0, x0-m) // full's first column in p
	cut := 0
	for _, c := range cuts {
		cut += c[1] - c[0]
	}
	out := newPlane(full.w-cut, full.h)
	for y := 0; y < full.h; y++ {
		src := full.pix[y*full.w : (y+1)*full.w]
		dst := out.pix[y*out.w : (y+1)*out.w]
		n, from := 0, 0
		for _, c := range cuts {
			n += copy(dst[n:], src[from:c[0]-ox])
			from = c[1] - ox
		}
		copy(dst[n:], src[from:])
	}
	return out
}
