package docread

import (
	"slices"
	"strings"
	"unicode"
)

// The Chinese model's reading of a name changes with the size the line
// is given at: a character misread at one size is usually read right at
// the others. The name line is read as photographed (the cleaning that
// helps the other lines thins the dense strokes of characters like 鑫
// and 磊) at three sizes, and the readings vote.
//
// A name has no check character, so the reader also says where it is
// unsure: a character the readings disagree on, read with low
// confidence, or with a runner-up close behind it, carries the other
// characters it may be (kyc.DocumentRead.NameAlternatives). When the
// applicant typed a name of the same length that differs only at such
// characters, the line is read once more (at each size until one
// succeeds) restricted to the typed name's characters: when that reading
// shows the whole typed name, its differing characters read with
// confidence, they are close alternatives; otherwise they are struck
// from the alternatives (the model, made to choose among the typed
// characters, drops or doubts one that is not printed). The typed name
// only chooses what to compare: it never becomes the name read.

// cnNameHeights are the heights, in pixels, of the name's ink the line
// is read at, the preferred first.
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

// readName reads the name line r, whose ink is inkH pixels high, at each
// of cnNameHeights (the third only when the first two differ) and
// returns the vote of the readings and, per character, the other
// characters it may be ("" where the reader is sure). typed is the name
// the applicant typed (Han characters, or ""): it is only compared, never
// read into the name.
func readName(tp *tessPair, r *plane, inkH int, typed string) (string, []string) {
	if inkH <= 0 {
		return "", nil
	}
	tp.chi.set("lstm_choice_mode", "2")
	defer tp.chi.set("lstm_choice_mode", "0")
	var reads []nameReading
	var first *plane
	for i, th := range cnNameHeights {
		if i == 2 && len(reads[0].text) > 0 && slices.Equal(reads[0].text, reads[1].text) {
			break // two agree: a third cannot outvote them
		}
		q := scaleLine(r, th/float64(inkH))
		if i == 0 {
			first = q
		}
		reads = append(reads, hanReading(tp.chi.recogniseSymbols(q.pix, q.w, q.h, psmRawLine, "")))
	}
	texts := make([]string, len(reads))
	for i, nr := range reads {
		texts[i] = string(nr.text)
	}
	name := []rune(voteReadings(texts))
	alts := nameAlternatives(name, reads)
	if tr := []rune(onlyHan(typed)); len(tr) == len(name) && onlyUncertainDiffer(name, tr, alts) {
		fits := typedNameFits(tp, r, inkH, first, name, tr)
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

// nameForcedConf is the confidence (0–100) a typed character must be
// read with when the name line is read restricted to the typed name's
// characters.
const nameForcedConf = 50

// typedNameFits reports whether the name line, read restricted to the
// characters of the typed name tr, shows exactly tr with each character
// that differs from the name read recognised with at least
// nameForcedConf confidence, at one of cnNameHeights (first is r at the
// first height, already scaled). A name the line does not show comes
// back with characters missing or with low confidence.
func typedNameFits(tp *tessPair, r *plane, inkH int, first *plane, name, tr []rune) bool {
	for i, th := range cnNameHeights {
		q := first
		if i > 0 {
			q = scaleLine(r, th/float64(inkH))
		}
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

// voteReadings combines readings of one line: their Han characters, the
// readings of the most common length (the first reading's on a tie)
// voting character by character, a tie going to the earliest reading.
func voteReadings(reads []string) string {
	if len(reads) == 0 {
		return ""
	}
	rs := make([][]rune, len(reads))
	count := map[int]int{}
	for i, r := range reads {
		rs[i] = []rune(onlyHan(r))
		count[len(rs[i])]++
	}
	n := len(rs[0])
	for _, r := range rs {
		if l := len(r); l > 0 && (n == 0 || count[l] > count[n]) {
			n = l
		}
	}
	out := make([]rune, n)
	for i := range out {
		votes := map[rune]int{}
		var best rune
		for _, r := range rs {
			if len(r) != n {
				continue
			}
			votes[r[i]]++
			if best == 0 || votes[r[i]] > votes[best] {
				best = r[i]
			}
		}
		out[i] = best
	}
	return string(out)
}
