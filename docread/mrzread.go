package docread

import (
	"math"
	"slices"
	"strings"
	"time"

	"github.com/kycq/kycq/kyc"
	"github.com/kycq/kycq/kyc/mrz"
)

// Character classes a position of an MRZ admits.
const (
	clsAlpha  = 'a' // A–Z or '<' (names, codes)
	clsDigit  = 'n' // 0–9 (dates, check digits)
	clsDigitF = 'k' // 0–9 or '<' (a check digit that may be a filler)
	clsDate   = 'D' // 0–9 or '<' (a birth date part may be unknown)
	clsAny    = 'x' // 0–9, A–Z or '<' (numbers, optional data)
	clsSex    = 's' // M, F, X or '<'
)

// layouts give each format's class per position, line by line.
var layouts = map[string][]string{
	kyc.ReadTD1: {
		"aaaaa" + "xxxxxxxxx" + "k" + "xxxxxxxxxxxxxxx",
		"DDDDDD" + "n" + "s" + "nnnnnn" + "n" + "aaa" + "xxxxxxxxxxx" + "n",
		strings.Repeat("a", 30),
	},
	kyc.ReadTD2: {
		strings.Repeat("a", 36),
		"xxxxxxxxx" + "k" + "aaa" + "DDDDDD" + "n" + "s" + "nnnnnn" + "n" + "xxxxxxx" + "n",
	},
	kyc.ReadTD3: {
		strings.Repeat("a", 44),
		"xxxxxxxxx" + "n" + "aaa" + "DDDDDD" + "n" + "s" + "nnnnnn" + "n" + "xxxxxxxxxxxxxx" + "k" + "n",
	},
	kyc.ReadMRVA: {
		strings.Repeat("a", 44),
		"xxxxxxxxx" + "n" + "aaa" + "DDDDDD" + "n" + "s" + "nnnnnn" + "n" + strings.Repeat("x", 16),
	},
	kyc.ReadMRVB: {
		strings.Repeat("a", 36),
		"xxxxxxxxx" + "n" + "aaa" + "DDDDDD" + "n" + "s" + "nnnnnn" + "n" + strings.Repeat("x", 8),
	},
}

// admits reports whether class cls admits character ch.
func admits(cls byte, ch byte) bool {
	digit, letter := ch >= '0' && ch <= '9', ch >= 'A' && ch <= 'Z'
	switch cls {
	case clsAlpha:
		return letter || ch == '<'
	case clsDigit:
		return digit
	case clsDigitF, clsDate:
		return digit || ch == '<'
	case clsSex:
		return ch == 'M' || ch == 'F' || ch == 'X' || ch == '<'
	}
	return true
}

// cellScores are a cell's correlations with every class of mrzAlphabet.
type cellScores [len(mrzAlphabet)]float32

// choice is a character chosen for a cell and the score it costs to
// choose it instead of the best admitted one.
type choice struct {
	ch   byte
	loss float32
}

// ranked returns the admitted characters of a cell, best first.
func ranked(sc *cellScores, cls byte) []choice {
	var out []choice
	for c := range sc {
		ch := mrzAlphabet[c]
		if admits(cls, ch) {
			out = append(out, choice{ch, sc[c]})
		}
	}
	// Insertion sort: at most 37 entries.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].loss > out[j-1].loss; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	best := out[0].loss
	for i := range out {
		out[i].loss = best - out[i].loss
	}
	return out
}

// checkField is a run of positions protected by a check digit: parts of
// lines (line, start, end) and the check digit's position.
type checkField struct {
	parts       [][3]int
	line, check int
}

// checkFields lists the check digits of each format, the composite last.
var checkFields = map[string][]checkField{
	kyc.ReadTD1: {
		{[][3]int{{0, 5, 14}}, 0, 14},
		{[][3]int{{1, 0, 6}}, 1, 6},
		{[][3]int{{1, 8, 14}}, 1, 14},
		{[][3]int{{0, 5, 30}, {1, 0, 7}, {1, 8, 15}, {1, 18, 29}}, 1, 29},
	},
	kyc.ReadTD2: {
		{[][3]int{{1, 0, 9}}, 1, 9},
		{[][3]int{{1, 13, 19}}, 1, 19},
		{[][3]int{{1, 21, 27}}, 1, 27},
		{[][3]int{{1, 0, 10}, {1, 13, 20}, {1, 21, 35}}, 1, 35},
	},
	kyc.ReadTD3: {
		{[][3]int{{1, 0, 9}}, 1, 9},
		{[][3]int{{1, 13, 19}}, 1, 19},
		{[][3]int{{1, 21, 27}}, 1, 27},
		{[][3]int{{1, 28, 42}}, 1, 42},
		{[][3]int{{1, 0, 10}, {1, 13, 20}, {1, 21, 43}}, 1, 43},
	},
	kyc.ReadMRVA: {
		{[][3]int{{1, 0, 9}}, 1, 9},
		{[][3]int{{1, 13, 19}}, 1, 19},
		{[][3]int{{1, 21, 27}}, 1, 27},
	},
	kyc.ReadMRVB: {
		{[][3]int{{1, 0, 9}}, 1, 9},
		{[][3]int{{1, 13, 19}}, 1, 19},
		{[][3]int{{1, 21, 27}}, 1, 27},
	},
}

// holds reports whether the field's check digit verifies; a field of
// fillers with a filler or '0' check digit holds.
func (f checkField) holds(lines [][]byte) bool {
	var b strings.Builder
	for _, p := range f.parts {
		b.Write(lines[p[0]][p[1]:p[2]])
	}
	s := b.String()
	c := lines[f.line][f.check]
	if strings.Trim(s, "<") == "" && (c == '<' || c == '0') {
		return true
	}
	if c == '<' && f.check == 14 && len(lines) == 3 {
		// TD1 long document number: its check digit is in the optional
		// data; the composite covers it.
		return true
	}
	d, err := mrz.CheckDigit(s)
	return err == nil && c >= '0' && c <= '9' && d == int(c-'0')
}

// positions lists the (line, column) pairs of the field and its check
// digit.
func (f checkField) positions() [][2]int {
	var out [][2]int
	for _, p := range f.parts {
		for i := p[1]; i < p[2]; i++ {
			out = append(out, [2]int{p[0], i})
		}
	}
	return append(out, [2]int{f.line, f.check})
}

// isComposite reports whether fields[k] is the composite check digit (the
// last field, over several parts).
func isComposite(fields []checkField, k int) bool {
	return k == len(fields)-1 && len(fields[k].parts) > 1
}

// checkedCells returns the cells of kind's format that a check digit
// covers, with or without the composite's.
func checkedCells(kind string, composite bool) map[[2]int]bool {
	fields := checkFields[kind]
	out := map[[2]int]bool{}
	for k, f := range fields {
		if !composite && isComposite(fields, k) {
			continue
		}
		for _, p := range f.positions() {
			out[p] = true
		}
	}
	return out
}

// ambiguity is the least lead a repair needs over the next repair that
// also satisfies the check digit.
const ambiguity = 0.05

// maxLoss bounds the score an alternative may lose to the best to be
// tried by the check-digit correction.
const maxLoss = 0.3

// decodeMRZ chooses each cell's character within the class its position
// admits, then repairs fields whose check digit fails with the least
// costly substitution among close alternatives (one, then two cells).
// It returns the lines and the number of cells changed by the repair.
// A zone recognised without confidence is not repaired: the check digits
// then say what was read.
func decodeMRZ(kind string, sc [][]cellScores, confident bool) ([]string, int) {
	lay := layouts[kind]
	lines := make([][]byte, len(lay))
	alts := make([][][]choice, len(lay))
	for i, l := range lay {
		lines[i] = make([]byte, len(l))
		alts[i] = make([][]choice, len(l))
		for j := range l {
			r := ranked(&sc[i][j], l[j])
			lines[i][j] = r[0].ch
			alts[i][j] = r
		}
	}
	fixed := 0
	fields := checkFields[kind]
	locked := map[[2]int]bool{}
	for k, f := range fields {
		composite := isComposite(fields, k)
		if confident && !f.holds(lines) {
			var pos [][2]int
			for _, p := range f.positions() {
				if !composite || !locked[p] {
					pos = append(pos, p)
				}
			}
			fixed += repair(lines, alts, pos, f)
		}
		for _, p := range f.positions() {
			locked[p] = true
		}
	}
	fixed += fillName(kind, lines, alts)
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = string(l)
	}
	return out, fixed
}

// span is a run of cells of one line of a zone: line, then the first
// cell and the cell after the last.
type span struct{ line, start, end int }

// cells returns the span's text in lines.
func (s span) cells(lines []string) string { return lines[s.line][s.start:s.end] }

// fields places the fields of a format that mrzRead takes by position.
type fields struct {
	number, nationality, birth, sex, expiry, name span
}

// fieldSpans is each format's field table (ICAO 9303): the one source of
// the fields' positions for mrzRead, nameField and keyCells. The name
// runs to the end of its line.
var fieldSpans = map[string]fields{
	kyc.ReadTD1:  {number: span{0, 5, 14}, birth: span{1, 0, 6}, sex: span{1, 7, 8}, expiry: span{1, 8, 14}, nationality: span{1, 15, 18}, name: span{2, 0, 30}},
	kyc.ReadTD2:  longFields(36),
	kyc.ReadTD3:  longFields(44),
	kyc.ReadMRVA: longFields(44),
	kyc.ReadMRVB: longFields(36),
}

// longFields is the field table of the two-line formats of n cells a
// line (TD2, TD3 and the visas).
func longFields(n int) fields {
	return fields{number: span{1, 0, 9}, nationality: span{1, 10, 13}, birth: span{1, 13, 19}, sex: span{1, 20, 21}, expiry: span{1, 21, 27}, name: span{0, 5, n}}
}

// nameField is the (line, start) of each format's name field, which runs
// to the end of its line.
var nameField = func() map[string][2]int {
	out := map[string][2]int{}
	for kind, f := range fieldSpans {
		out[kind] = [2]int{f.name.line, f.name.start}
	}
	return out
}()

// fillName applies the name field's grammar (ICAO 9303): the primary
// identifier, "<<", the secondary identifier's components separated by
// single fillers, then fillers to the end. A letter after a second "<<"
// can only be a misread filler: it becomes '<' when '<' scored within
// maxLoss of it (a letter scoring far better is left, and nameGrammar
// then fails). It returns the cells changed.
func fillName(kind string, lines [][]byte, alts [][][]choice) int {
	nf, ok := nameField[kind]
	if !ok {
		return 0
	}
	l := lines[nf[0]]
	end := nameEnd(l[nf[1]:])
	if end < 0 {
		return 0
	}
	changed := 0
	for j := nf[1] + end; j < len(l); j++ {
		if l[j] == '<' {
			continue
		}
		for _, a := range alts[nf[0]][j] {
			if a.ch == '<' && a.loss <= maxLoss {
				l[j] = '<'
				changed++
			}
		}
	}
	return changed
}

// nameEnd returns the index in the name field f where the fillers that
// end it start (the second "<<" run), or -1 when the name fills it.
func nameEnd(f []byte) int {
	sep := strings.Index(string(f), "<<")
	if sep < 0 {
		return -1
	}
	i := sep + 2
	for i < len(f) && f[i] == '<' {
		i++ // a name without secondary identifier: fillers to the end
	}
	next := strings.Index(string(f[i:]), "<<")
	if next < 0 {
		return -1
	}
	return i + next
}

// nameGrammar reports whether the name field holds nothing but fillers
// after the end of the name.
func nameGrammar(kind string, text []string) bool {
	nf, ok := nameField[kind]
	if !ok {
		return true
	}
	return fieldGrammar([]byte(text[nf[0]][nf[1]:]))
}

// fieldGrammar reports whether the name field f holds nothing but
// fillers after the end of the name.
func fieldGrammar(f []byte) bool {
	end := nameEnd(f)
	return end < 0 || strings.Trim(string(f[end:]), "<") == ""
}

// codeFirst lists, per format, the first characters of the document code
// ICAO 9303 admits: P on a passport (Doc 9303 part 4), A, C or I on a
// TD1 or TD2 card (parts 5 and 6), V on a visa (part 7).
var codeFirst = map[string]string{
	kyc.ReadTD1: "ACI", kyc.ReadTD2: "ACI", kyc.ReadTD3: "P",
	kyc.ReadMRVA: "V", kyc.ReadMRVB: "V",
}

// codeAdmitted reports whether the zone's document code starts with a
// character its format admits (codeFirst). No check digit covers the
// document code, not even the composite: a code read as a letter the
// format does not admit (a TD1's I read L on hard print, dev seed 41)
// is a misread cell, and the zone a retake. The code is read among all
// letters and the filler, not among the admitted ones only: restricted
// to them, that I became a C, still wrong and then unseen.
func codeAdmitted(kind string, text []string) bool {
	first, ok := codeFirst[kind]
	return ok && len(text) > 0 && len(text[0]) > 0 && strings.IndexByte(first, text[0][0]) >= 0
}

// codeCertain reports whether the document code was read with
// certainty: its first character one its format admits (codeAdmitted),
// and each of its two characters scoring at least minOverFiller and
// leading the next character its position admits by codeLead. No check
// digit covers the code, so an uncertain code makes the zone a retake
// (dev seed 46: a TD2's AC read AL, the L scoring 0.70 on a damaged
// cell with no close runner-up, vouched for).
func codeCertain(kind string, sc [][]cellScores, text []string) bool {
	if !codeAdmitted(kind, text) || len(sc) == 0 || len(sc[0]) < 2 || len(text[0]) < 2 {
		return false
	}
	lay := layouts[kind]
	for j := range 2 {
		r := ranked(&sc[0][j], lay[0][j])
		if r[0].ch != text[0][j] || sc[0][j][indexOf(r[0].ch)] < minOverFiller || len(r) > 1 && r[1].loss < codeLead {
			return false
		}
	}
	return true
}

// codeLead is the least lead of each character of the document code
// over the next character its position admits (codeCertain).
const codeLead = nameLookAlikeLead

// minMargin is the least lead a cell's character needs over the next
// admitted one when the two are interchangeable for the check digits.
const minMargin = 0.02

// uncertainLead is the lead over a cell's chosen character under which
// another admitted character of a check-digit-protected cell counts as a
// possible reading: the decoding must be the only assignment of such
// characters, one or two cells changed, that satisfies every check digit.
// (0.15 left 37 of 60 dev-seed photos unreadable; 0.05 the same 3 as
// before the check, with no read valid but wrong.)
const uncertainLead = 0.05

// lookAlikeLead is the lead under which a look-alike of a protected
// cell's character (lookAlike) counts as a possible reading: OCR-B cuts
// differ between printers exactly on these shapes. (0.15 made 17 of 117
// dev-seed-7 photos unreadable, 0.10 eight, 0.05 alone seven.)
const lookAlikeLead = 0.10

// nameLookAlikeLead is the lead a cell no check digit protects (names,
// codes, nationality) needs over a look-alike (lookAlike): a D read for
// an O in a name would make the typed name a mismatch, so the zone is a
// retake instead.
const nameLookAlikeLead = 0.05

// lookAlike reports the classic OCR-B confusions: 0/O/D/Q, 1/I, 2/Z,
// 5/S, 6/G, 8/B; K/< (a filler beside a security line crossing the
// zone is a K: a filler read K made a valid but wrong name on hard
// print); and T/Y (a T under a glare patch or a guilloche line read Y:
// a nationality UTO read UYO on dev seed 33, an issuer on dev seed 50,
// vouched for, the Y leading by 0.048).
func lookAlike(a, b byte) bool {
	for _, set := range []string{"0ODQ", "1I", "2Z", "5S", "6G", "8B", "K<", "TY"} {
		if strings.IndexByte(set, a) >= 0 && strings.IndexByte(set, b) >= 0 {
			return true
		}
	}
	return false
}

// letterLookAlike reports the letters that are look-alikes in cells no
// check digit protects only: O and U, the same bowl with the top open or
// closed, which a laminate's blur or a guilloche line across the top
// joins or breaks (dev seed 165's TD3 0034: a surname's O read U at
// 0.872, the O 0.049 behind, vouched for). In a number the pair is a 0
// and a U, worth 0 and 30 for every check digit, and such a cell
// already needs uncertainLead over any rival (ambiguous).
func letterLookAlike(a, b byte) bool {
	return a == 'O' && b == 'U' || a == 'U' && b == 'O'
}

// fillerLookAlike reports the pair K and '<': look-alikes beside a
// security line, and equal for every check digit (20 and 0 modulo 10).
func fillerLookAlike(a, b byte) bool {
	return a == 'K' && b == '<' || a == '<' && b == 'K'
}

// ambiguous reports that the decoding text is not the only reading the
// scores allow: a cell no check digit protects whose character leads the
// next admitted one by less than minMargin, or another assignment of the
// uncertain characters of protected cells (within uncertainLead of the
// chosen one, one or two cells changed) that satisfies every check digit
// and the composite as well. Check digits are one chance in ten; two
// interchangeable misreads (an O and a 0 in two places) meet them
// together, so such a reading is a guess, not a reading.
func ambiguous(kind string, sc [][]cellScores, text []string) bool {
	lay := layouts[kind]
	lines := byteLines(text)
	nf, hasName := nameField[kind]
	// An assignment is a possible reading when every check digit holds
	// and the name field keeps its grammar: a letter after the fillers
	// that end the name cannot have been printed (fillName), so a filler
	// there that a K or an A nearly matched is still a filler.
	holds := func() bool {
		for _, f := range checkFields[kind] {
			if !f.holds(lines) {
				return false
			}
		}
		return !hasName || fieldGrammar(lines[nf[0]][nf[1]:])
	}
	if !holds() {
		return false // not valid anyway
	}
	protected := checkedCells(kind, true)
	type sub struct {
		p  [2]int
		ch byte
	}
	var subs []sub
	for i := range lines {
		for j := range lines[i] {
			cur := lines[i][j]
			lead := float32(minMargin)
			if protected[[2]int{i, j}] {
				lead = uncertainLead
			}
			ci := indexOf(cur)
			for c, v := range sc[i][j] {
				ch := mrzAlphabet[c]
				l := lead
				switch {
				case fillerLookAlike(cur, ch):
					// K is worth 20, the filler 0: no check digit
					// tells them apart, so the cell is unprotected
					// for this pair.
					l = nameLookAlikeLead
				case lead == uncertainLead && lookAlike(cur, ch):
					l = lookAlikeLead
				case lookAlike(cur, ch) || lead != uncertainLead && letterLookAlike(cur, ch):
					l = nameLookAlikeLead
				}
				if ch == cur || !admits(lay[i][j], ch) || sc[i][j][ci]-v >= l {
					continue
				}
				subs = append(subs, sub{[2]int{i, j}, ch})
			}
		}
	}
	set := func(s sub) byte {
		old := lines[s.p[0]][s.p[1]]
		lines[s.p[0]][s.p[1]] = s.ch
		return old
	}
	for _, s := range subs {
		old := set(s)
		same := holds()
		lines[s.p[0]][s.p[1]] = old
		if same {
			return true
		}
	}
	for a := range subs {
		for b := a + 1; b < len(subs); b++ {
			if subs[a].p == subs[b].p {
				continue
			}
			oa := set(subs[a])
			ob := set(subs[b])
			same := holds()
			lines[subs[b].p[0]][subs[b].p[1]] = ob
			lines[subs[a].p[0]][subs[a].p[1]] = oa
			if same {
				return true
			}
		}
	}
	// Three cells changed, in cells a check digit protects (a change in
	// another cell alone leaves every check holding, and was tried
	// above): dev seed 163's TD2 0064, a number X002357V01 read
	// XOO2357VO1, each O 0.02-0.04 ahead of its 0, vouched for. An O
	// for a 0 adds 24 times the weight: at weights 3, 1 and 1 that is
	// 120, which neither the number's check digit nor the composite
	// sees, while no one or two of the three changes meets them.
	var prot []sub
	for _, s := range subs {
		if protected[s.p] {
			prot = append(prot, s)
		}
	}
	if len(prot) > maxTripleSubs {
		return false
	}
	for a := range prot {
		for b := a + 1; b < len(prot); b++ {
			if prot[a].p == prot[b].p {
				continue
			}
			for c := b + 1; c < len(prot); c++ {
				if prot[c].p == prot[a].p || prot[c].p == prot[b].p {
					continue
				}
				oa := set(prot[a])
				ob := set(prot[b])
				oc := set(prot[c])
				same := holds()
				lines[prot[c].p[0]][prot[c].p[1]] = oc
				lines[prot[b].p[0]][prot[b].p[1]] = ob
				lines[prot[a].p[0]][prot[a].p[1]] = oa
				if same {
					return true
				}
			}
		}
	}
	return false
}

// maxTripleSubs bounds the uncertain characters of protected cells whose
// triples ambiguous tries (at most 4,060 assignments).
const maxTripleSubs = 30

// A character read where a filler scored within fillerLead of it, in a
// cell no check digit but the composite covers, needs at least
// minOverFiller (weakOverFiller).
const (
	fillerLead    = 0.25
	minOverFiller = 0.75
)

// weakOverFiller reports a filler that may have been read as a character
// where no check digit can tell: a cell outside every check field but the
// composite (names, codes, nationality, sex, optional data), or a cell
// read as a character worth the filler's value (fillerValued), whose
// character scores under minOverFiller with the filler within fillerLead
// of it. The filler is worth 0, so K, A or U (20, 10, 30) in its place
// changes no check digit, and two fillers read as characters meet the
// composite one time in ten. On the hard-print dev seeds (41, 42, 43,
// 47, 48) eight fillers were so read and vouched for (a name's "<<" read
// "<M", a document code "I<" read "IS" and "IK", optional data "<<" read
// "55" and "K"), each scoring 0.61–0.71, while every character truly
// printed in such a cell with a filler that close scored 0.82 or more but
// one (0.73, on a zone misread elsewhere).
func weakOverFiller(kind string, sc [][]cellScores, text []string) bool {
	lay := layouts[kind]
	checked := checkedCells(kind, false)
	filler := indexOf('<')
	for i := range text {
		for j := range text[i] {
			ch := text[i][j]
			if ch == '<' || checked[[2]int{i, j}] && !fillerValued(ch) || !admits(lay[i][j], '<') {
				continue
			}
			v := sc[i][j][indexOf(ch)]
			if v < minOverFiller && v-sc[i][j][filler] < fillerLead {
				return true
			}
		}
	}
	return false
}

// checkFillerDigits turns fillerDigit on as a rule of Readable; the
// tests turn it off to count what it changes.
var checkFillerDigits = true

// fillerDigit reports a digit read in a cell that admits digits alone
// (the expiry date, the dates' check digits, the composite, a passport's
// number check), where the filler scores higher than the digit read: the
// glyph there is a filler, so the zone's cells are not where its format
// puts them, and the digit is only the filler's nearest digit, which
// meets a check digit one time in ten. A filler scores low on a printed
// digit's glyph.
//
// Dev seed 234's TD3 0064: a passport whose document code was lost to
// the locator was read as a TD2 on its first 36 cells (a TD3's second
// line meets a TD2's number and date check digits there, and, its
// optional data being fillers worth 0, the TD2's composite is the
// TD3's); the TD2's composite cell, a filler scoring 0.91, read 4 at
// 0.62, the TD3's composite by chance, and the zone was vouched for with
// its issuer and names two cells off.
func fillerDigit(kind string, sc [][]cellScores, text []string) bool {
	lay := layouts[kind]
	filler := indexOf('<')
	for i := range text {
		if i >= len(lay) || i >= len(sc) {
			break
		}
		for j := range text[i] {
			ch := text[i][j]
			if j >= len(lay[i]) || j >= len(sc[i]) || ch < '0' || ch > '9' || admits(lay[i][j], '<') {
				continue
			}
			if sc[i][j][filler] > sc[i][j][indexOf(ch)] {
				return true
			}
		}
	}
	return false
}

// weakLetter reports a letter read in a cell no check digit covers, not
// even the composite (names, issuer, nationality, sex), that scores under
// minOverFiller with another letter the cell admits within lookAlikeLead
// of it: a glyph a straight line crosses (a security line, a laminate's
// edge) correlates less with its own template and gains the stroke that
// sets a look-alike apart, so a T reads Y, V, A or Z, an E reads F or P.
// No check digit would see the change; the zone is a retake. The floor
// and the lead are the filler's floor (minOverFiller) and a protected
// cell's look-alike lead (lookAlikeLead), not new numbers. A letter read
// with confidence, or with the runner-up further behind, is left: on
// the hard-print dev seeds 41–50 and 53–59 (2040 photos) this made 3
// zones Readable and exact retakes (a nationality's R and E, a name's E
// with a P 0.044 behind), while a T crossed by a line and read as
// another letter, vouched for before, is a retake now
// (TestWeakLetterLine). The document code has its own, stricter rule
// (codeCertain).
func weakLetter(kind string, sc [][]cellScores, text []string) bool {
	lay := layouts[kind]
	checked := checkedCells(kind, true)
	for i := range text {
		for j := range text[i] {
			ch := text[i][j]
			if ch < 'A' || ch > 'Z' || checked[[2]int{i, j}] {
				continue
			}
			v := sc[i][j][indexOf(ch)]
			if v >= minOverFiller {
				continue
			}
			for c, w := range sc[i][j] {
				alt := mrzAlphabet[c]
				if alt != ch && alt >= 'A' && alt <= 'Z' && admits(lay[i][j], alt) && v-w < lookAlikeLead {
					return true
				}
			}
		}
	}
	return false
}

// fillerValued reports the characters worth the filler's 0 modulo 10
// (0, A, K, U: 0, 10, 20, 30): in place of a filler they change no check
// digit, so weakOverFiller looks at them in every cell, those a check
// digit covers too (dev seed 51: a passport's optional-data filler read
// K at 0.675, the filler's own check digit holding, vouched for).
func fillerValued(ch byte) bool {
	return ch == '0' || ch == 'A' || ch == 'K' || ch == 'U'
}

// repair tries substitutions at pos until f holds, cheapest first: every
// single substitution, then pairs. It returns the cells changed.
func repair(lines [][]byte, alts [][][]choice, pos [][2]int, f checkField) int {
	type sub struct {
		p    [2]int
		ch   byte
		loss float32
	}
	var subs []sub
	for _, p := range pos {
		for _, a := range alts[p[0]][p[1]][1:] {
			if a.loss > maxLoss {
				break
			}
			subs = append(subs, sub{p, a.ch, a.loss})
		}
	}
	best, bestLoss := []sub(nil), float32(math.Inf(1))
	second := float32(math.Inf(1)) // the next satisfying repair's loss
	try := func(s ...sub) {
		var loss float32
		old := make([]byte, len(s))
		for i, x := range s {
			loss += x.loss
			old[i] = lines[x.p[0]][x.p[1]]
			lines[x.p[0]][x.p[1]] = x.ch
		}
		if f.holds(lines) {
			switch {
			case loss < bestLoss:
				second = bestLoss
				best, bestLoss = append([]sub(nil), s...), loss
			case loss < second:
				second = loss
			}
		}
		for i := len(s) - 1; i >= 0; i-- {
			lines[s[i].p[0]][s[i].p[1]] = old[i]
		}
	}
	for _, s := range subs {
		try(s)
	}
	if best == nil {
		for i := range subs {
			for j := i + 1; j < len(subs); j++ {
				if subs[i].p != subs[j].p && subs[i].loss+subs[j].loss <= maxLoss {
					try(subs[i], subs[j])
				}
			}
		}
	}
	// A check digit is one chance in ten: a repair another nearly as
	// likely repair competes with is a guess, not a reading.
	if best == nil || second-bestLoss < ambiguity {
		return 0
	}
	for _, s := range best {
		lines[s.p[0]][s.p[1]] = s.ch
	}
	return len(best)
}

// mrzRead turns decoded lines into a DocumentRead: fields are taken by
// position even when a check fails; ChecksValid says whether every check
// digit holds (mrz.Parse, or mrz.ParseVisa for a visa).
func mrzRead(kind string, lines []string, now time.Time) kyc.DocumentRead {
	d := kyc.DocumentRead{Kind: kind, Expected: true, MRZ: lines}
	l0, l1 := lines[0], lines[1]
	d.DocumentCode = strings.TrimRight(l0[0:2], "<")
	d.Issuer = strings.Trim(l0[2:5], "<")
	fs := fieldSpans[kind]
	// The name runs to the end of its line, whatever its length.
	name := lines[fs.name.line][fs.name.start:]
	num, nat, dob, sex, exp := fs.number.cells(lines), fs.nationality.cells(lines), fs.birth.cells(lines), fs.sex.cells(lines), fs.expiry.cells(lines)
	switch kind {
	case kyc.ReadTD1:
		if l0[14] == '<' {
			ext, _, _ := strings.Cut(l0[15:30], "<")
			if len(ext) > 1 {
				num += ext[:len(ext)-1]
			}
		}
	default:
		if kind == kyc.ReadTD2 && l1[9] == '<' {
			ext, _, _ := strings.Cut(l1[28:35], "<")
			if len(ext) > 1 {
				num += ext[:len(ext)-1]
			}
		}
	}
	d.DocumentNumber = strings.TrimRight(num, "<")
	d.Nationality = strings.Trim(nat, "<")
	primary, secondary, _ := strings.Cut(strings.TrimRight(name, "<"), "<<")
	d.Surname = joinComponents(primary)
	d.GivenNames = joinComponents(secondary)
	d.BirthDate = mrzDate(dob, true, now)
	d.ExpiryDate = mrzDate(exp, false, now)
	if sex != "<" {
		d.Sex = sex
	}
	var err error
	if kind == kyc.ReadMRVA || kind == kyc.ReadMRVB {
		_, err = mrz.ParseVisa(strings.Join(lines, "\n"))
	} else {
		_, err = mrz.Parse(strings.Join(lines, "\n"))
	}
	d.ChecksValid = err == nil
	d.Readable = d.ChecksValid
	return d
}

func joinComponents(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == '<' }), " ")
}

// mrzDate turns YYMMDD into YYYY-MM-DD: a birth date is never in the
// future; an expiry date is within 50 years back or forward of now. An
// unknown or malformed date is empty.
func mrzDate(s string, birth bool, now time.Time) string {
	t, err := time.Parse("060102", s)
	if err != nil {
		return ""
	}
	yy := t.Year() % 100
	cur := now.Year()
	y := cur - cur%100 + yy
	if birth {
		if y > cur {
			y -= 100
		}
	} else if y > cur+50 {
		y -= 100
	} else if y < cur-50 {
		y += 100
	}
	return time.Date(y, t.Month(), t.Day(), 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
}

// nameFillerLead is the lead over the filler under which a letter of a
// name that is not Readable is reported as the filler (weakNameFillers).
const nameFillerLead = 0.15

// weakNameFillers returns the name field of text with the letters that
// are likelier a filler read as fillers, and the cells changed. A letter
// is one when the filler scores within nameFillerLead of it and either
//   - it scores under minOverFiller and a cell beside it is a filler or
//     the field's end (fillers come in runs: the "<<" between the
//     primary and the secondary identifier, the run that ends the name,
//     a single filler between two components), or
//   - it is within nameLookAlikeLead of the filler, wherever it is (a
//     K, the filler's look-alike beside a security line, or the single
//     filler between two components read as a letter).
//
// The caller applies it to zones not Readable only, and keeps them so:
// this chooses what a retake reports. On the hard-print dev seeds 41-48,
// on zones read on the right lines, a name's filler was read as a letter
// 61 times (a name's "<<" read "<M" or "A<", the filler after the last
// name read K: a security line through the filler), each scoring
// 0.51-0.76 with the filler within 0.001-0.19 of it (58 within 0.15),
// all beside another filler but two single fillers between components,
// read K and A with the filler 0.035 and 0.037 behind. The letters truly
// printed there with the filler within 0.25 and under 0.82 were an E
// beside a filler (0.63, the filler 0.24 behind) and, between two
// letters, an E, an S and two C at 0.65-0.72 (0.09-0.24 behind).
func weakNameFillers(kind string, sc [][]cellScores, text []string) ([]string, int) {
	nf, ok := nameField[kind]
	if !ok || nf[0] >= len(text) || nf[0] >= len(sc) {
		return text, 0
	}
	filler := indexOf('<')
	l := []byte(text[nf[0]])
	row := sc[nf[0]]
	changed := 0
	for j := nf[1]; j < len(l) && j < len(row); j++ {
		ch := l[j]
		if ch < 'A' || ch > 'Z' {
			continue
		}
		v := row[j][indexOf(ch)]
		lead := v - row[j][filler]
		if lead >= nameFillerLead {
			continue
		}
		besideFiller := j+1 == len(l) || l[j+1] == '<' || j > nf[1] && l[j-1] == '<'
		if v < minOverFiller && besideFiller || lead < nameLookAlikeLead {
			l[j] = '<'
			changed++
		}
	}
	if changed == 0 {
		return text, 0
	}
	out := slices.Clone(text)
	out[nf[0]] = string(l)
	return out, changed
}
