package kyc

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/kycq/kycq/kyc/mrz"
)

// nameSeparator is the middle dot that separates the parts of a
// transliterated name on a mainland resident ID card (e.g. of Uyghur names).
const nameSeparator = '·'

// plausibleName reports whether an entered name could be copied from a
// document: not blank, no digits, no control or format characters, no
// symbols.
func plausibleName(s string) bool {
	if strings.TrimSpace(s) == "" || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		switch {
		case unicode.IsLetter(r), unicode.Is(unicode.Mn, r), unicode.Is(unicode.Mc, r):
		case r == ' ', r == '-', r == '\'', r == '’', r == '.', r == ',', r == nameSeparator:
		default:
			return false
		}
	}
	return true
}

// chineseName reports whether s is a name as printed on a mainland
// resident ID card: at least two Han characters, optionally in parts
// joined by single middle dots, nothing else — no pinyin, no spaces.
func chineseName(s string) bool {
	han := 0
	prevDot := true // no leading dot
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Han, r):
			han++
			prevDot = false
		case r == nameSeparator && !prevDot:
			prevDot = true
		default:
			return false
		}
	}
	return han >= 2 && !prevDot
}

// maxForms caps the number of MRZ spellings tried for one name.
const maxForms = 64

// mrzAlternatives are the ICAO 9303 Part 3 transliterations of Latin
// letters that do not simply lose their diacritic; the first is ICAO's
// recommended form, the others are forms states also print.
var mrzAlternatives = map[rune][]string{
	'Ä': {"AE", "A"}, 'Å': {"AA", "A"}, 'Ö': {"OE", "O"}, 'Ü': {"UE", "U"},
	'Æ': {"AE"}, 'Ø': {"OE", "O"}, 'Œ': {"OE"}, 'ß': {"SS"}, 'ẞ': {"SS"},
	'Þ': {"TH"}, 'Ð': {"D"}, 'Đ': {"D"}, 'Ł': {"L"}, 'Ħ': {"H"}, 'ı': {"I"}, 'Ŋ': {"N"},
}

// mrzForms returns the spellings of a name in the MRZ alphabet, each as
// its components: letters upper-cased and transliterated, spaces, hyphens
// and commas separating components, apostrophes and full stops dropped.
// ok is false when a letter has no Latin transliteration (another script).
func mrzForms(name string) (forms [][]string, ok bool) {
	partial := []string{""}
	for _, r := range name {
		var alts []string
		switch u := unicode.ToUpper(r); {
		case u >= 'A' && u <= 'Z':
			alts = []string{string(u)}
		case u == ' ' || u == '-' || u == ',' || u == '<' || u == '\t':
			alts = []string{"<"}
		case u == '\'' || u == '’' || u == '.':
			continue
		case mrzAlternatives[u] != nil:
			alts = mrzAlternatives[u]
		case mrzAlternatives[r] != nil:
			alts = mrzAlternatives[r]
		default:
			base, ok := stripMarks(u)
			if !ok {
				return nil, false
			}
			alts = []string{base}
		}
		if len(partial)*len(alts) > maxForms {
			alts = alts[:1]
		}
		next := make([]string, 0, len(partial)*len(alts))
		for _, p := range partial {
			for _, a := range alts {
				next = append(next, p+a)
			}
		}
		partial = next
	}
	for _, p := range partial {
		if c := nameComponents(p); len(c) > 0 {
			forms = append(forms, c)
		}
	}
	return forms, len(forms) > 0
}

// stripMarks decomposes a letter (NFKD) and drops its combining marks: "É"
// → "E", "Ǆ" → "DŽ" → "DZ". It fails unless what remains is A–Z.
func stripMarks(r rune) (string, bool) {
	var b strings.Builder
	for _, d := range norm.NFKD.String(string(r)) {
		if unicode.Is(unicode.Mn, d) {
			continue
		}
		d = unicode.ToUpper(d)
		if d < 'A' || d > 'Z' {
			return "", false
		}
		b.WriteRune(d)
	}
	return b.String(), b.Len() > 0
}

func nameComponents(s string) []string {
	var out []string
	for c := range strings.SplitSeq(s, "<") {
		if c != "" {
			out = append(out, c)
		}
	}
	return out
}

// nameMatchesMRZ reports whether the entered name is the name of the MRZ,
// in the MRZ alphabet: the same components, surname first or last. Case,
// diacritics, hyphens versus spaces and apostrophes cannot be compared,
// because the MRZ does not record them. When the MRZ name field is full
// (possibly truncated), each MRZ component must only be a prefix of the
// entered one, and trailing given names may be missing.
func nameMatchesMRZ(name string, m *mrz.MRZ) bool {
	forms, ok := mrzForms(name)
	if !ok {
		return false
	}
	for _, f := range forms {
		if m.NameFull {
			if truncatedMatch(f, m.Primary, m.Secondary) {
				return true
			}
			continue
		}
		if slices.Equal(f, slices.Concat(m.Primary, m.Secondary)) || slices.Equal(f, slices.Concat(m.Secondary, m.Primary)) {
			return true
		}
	}
	return false
}

// truncatedMatch compares entered components with a possibly truncated
// MRZ name, surname first or surname last.
func truncatedMatch(f, primary, secondary []string) bool {
	if len(f) < len(primary) {
		return false
	}
	n := len(primary)
	return (prefixes(primary, f[:n]) && prefixes(secondary, f[n:])) ||
		(prefixes(primary, f[len(f)-n:]) && prefixes(secondary, f[:len(f)-n]))
}

// prefixes reports whether each MRZ component is a prefix of the entered
// component at its position; entered components beyond the MRZ's are
// allowed (truncated away).
func prefixes(mrzParts, entered []string) bool {
	if len(mrzParts) > len(entered) {
		return false
	}
	for i, p := range mrzParts {
		if !strings.HasPrefix(entered[i], p) {
			return false
		}
	}
	return true
}
