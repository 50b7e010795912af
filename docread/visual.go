package docread

import (
	"context"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/kycq/kycq/imagecheck"
	"github.com/kycq/kycq/kyc"
)

// Documents without an MRZ (driving licences, Hong Kong, Macau and Taiwan
// cards, older ID cards) are read as text: Tesseract reads the
// straightened card (English, plus simplified Chinese when the typed name
// is in Han characters), and the typed number, date of birth and name are
// searched for in that text. Nothing read fills a field: the result says
// only which typed values the document shows. The search forgives the
// confusions of OCR (0/O/D/Q, 1/I/L, 2/Z, 5/S, 6/G, 8/B) and the
// separators of printed dates.

// Found keys of a visual read.
const (
	FoundNumber    = "document_number"
	FoundBirthDate = "birth_date"
	FoundName      = "name"
)

// visualWidth is the width the card is read at.
const visualWidth = 1000

func (r *Reader) readVisual(ctx context.Context, src *source, side imagecheck.Side, hint Hint, res *Result) error {
	if r.tess == nil || side == imagecheck.Back || hint.DocumentNumber == "" && hint.BirthDate == "" && hint.Name == "" {
		return nil
	}
	tm := timings(res.Timings)
	t := time.Now()
	var c *plane
	var m mapping
	if src.hasDoc {
		c, m = src.card()
	} else {
		c, m = src.p, src.toPhoto
	}
	if c.w > visualWidth {
		k := float64(c.w) / visualWidth
		nh := max(1, int(float64(c.h)/k))
		c = warp(c, [4][2]float64{{0, 0}, {float64(c.w), 0}, {float64(c.w), float64(c.h)}, {0, float64(c.h)}}, visualWidth, nh)
		inner := m
		m = func(x, y float64) (float64, float64) { return inner((x+0.5)*k-0.5, (y+0.5)*k-0.5) }
	}
	t = tm.lap("straighten", t)
	tp, err := r.tess.get()
	if err != nil {
		return err
	}
	defer r.tess.put(tp)
	defer tm.lap("ocr", t)
	han := strings.IndexFunc(hint.Name, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0
	var best map[string]bool
	for turn := range 2 {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		cc, cm := c, m
		if turn == 1 {
			cc, cm = turned(c, m)
		}
		text := tp.eng.recognise(cc.pix, cc.w, cc.h, psmSparse, "")
		if han && ctx.Err() == nil {
			text += "\n" + tp.chi.recognise(cc.pix, cc.w, cc.h, psmSparse, "")
		}
		found := searchTyped(text, hint)
		if best == nil || count(found) > count(best) {
			best = found
			res.Zone = quadToPoints([4][2]float64{{0, 0}, {float64(cc.w), 0}, {float64(cc.w), float64(cc.h)}, {0, float64(cc.h)}}, cm)
		}
		if count(found) > 0 {
			break
		}
	}
	res.Data = kyc.DocumentRead{Kind: kyc.ReadVisual, Expected: true, Found: best, Readable: best[FoundNumber]}
	return nil
}

func count(m map[string]bool) int {
	n := 0
	for _, v := range m {
		if v {
			n++
		}
	}
	return n
}

// searchTyped reports which of the hint's values appear in text.
func searchTyped(text string, hint Hint) map[string]bool {
	found := map[string]bool{}
	flat := canonical(text)
	if hint.DocumentNumber != "" {
		n := canonical(hint.DocumentNumber)
		found[FoundNumber] = len(n) >= 4 && strings.Contains(flat, n)
	}
	if hint.BirthDate != "" {
		found[FoundBirthDate] = false
		for _, f := range dateForms(hint.BirthDate) {
			if strings.Contains(flat, canonical(f)) {
				found[FoundBirthDate] = true
				break
			}
		}
	}
	if hint.Name != "" {
		found[FoundName] = nameIn(flat, hint.Name)
	}
	return found
}

// canonical upper-cases s, strips accents, drops everything but letters
// and digits, and maps each OCR confusion class to one character.
func canonical(s string) string {
	s = norm.NFD.String(strings.ToUpper(s))
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'O' || r == 'D' || r == 'Q':
			b.WriteByte('0')
		case r == 'I' || r == 'L' || r == '|' || r == 'J':
			b.WriteByte('1')
		case r == 'Z':
			b.WriteByte('2')
		case r == 'S':
			b.WriteByte('5')
		case r == 'G':
			b.WriteByte('6')
		case r == 'B':
			b.WriteByte('8')
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

var monthAbbr = [...]string{"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}

// dateForms lists the ways a date (YYYY-MM-DD) is printed on documents,
// separators aside: day-month-year, year-month-day, month-day-year, with
// two- or four-digit years, month abbreviations and the CJK 年月日 form.
func dateForms(iso string) []string {
	t, err := time.Parse(time.DateOnly, iso)
	if err != nil {
		return nil
	}
	mon := monthAbbr[t.Month()-1]
	return []string{
		t.Format("02012006"), t.Format("20060102"), t.Format("01022006"),
		t.Format("020106"), t.Format("02") + mon + t.Format("2006"), t.Format("02") + mon + t.Format("06"),
		t.Format("2006") + "年" + t.Format("1") + "月" + t.Format("2") + "日",
	}
}

// nameIn reports whether every word of the typed name is in the text
// (for a name in Han characters: the name as a whole).
func nameIn(flat, name string) bool {
	words := strings.Fields(name)
	if len(words) == 0 {
		return false
	}
	for _, w := range words {
		c := canonical(w)
		if len(c) == 0 || !strings.Contains(flat, c) {
			return false
		}
	}
	return true
}
