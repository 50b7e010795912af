package docread

import (
	"slices"
	"strings"
	"time"
)

// darkInk returns a copy of a cleaned line crop (ink on white) keeping
// only its darker ink: the front prints its values in black and the
// captions between them (年, 月, 日) in a lighter blue, so the ink's grey
// levels fall in two groups, split at Otsu's threshold. When they do not
// (one colour of ink, the groups' means less than 48 levels apart) the
// crop is returned as it is.
func darkInk(c *plane) *plane {
	var hist [256]int
	n := 0
	for _, v := range c.pix {
		if v < 250 {
			hist[v]++
			n++
		}
	}
	t, lo, hi := otsu(hist[:250], n)
	if n == 0 || hi-lo < 48 {
		return c
	}
	out := &plane{w: c.w, h: c.h, pix: make([]byte, len(c.pix))}
	for i, v := range c.pix {
		if int(v) > t {
			v = 255
		}
		out.pix[i] = v
	}
	return out
}

// otsu returns the threshold t splitting the histogram's values into
// [0, t] and (t, len) with the largest between-class variance, and the
// two classes' means; n is the histogram's total.
func otsu(hist []int, n int) (t int, lo, hi float64) {
	var sum float64
	for v, k := range hist {
		sum += float64(v * k)
	}
	var w0 int
	var s0, best float64
	for v, k := range hist {
		w0 += k
		s0 += float64(v * k)
		w1 := n - w0
		if w0 == 0 || w1 == 0 {
			continue
		}
		m0, m1 := s0/float64(w0), (sum-s0)/float64(w1)
		if b := float64(w0) * float64(w1) * (m0 - m1) * (m0 - m1); b > best {
			best, t, lo, hi = b, v, m0, m1
		}
	}
	return t, lo, hi
}

// birthDates returns the dates the birth line's digits, read without
// their captions, may print: three groups (year, month, day) give one;
// digits run together (a lost gap) give every valid split of what
// follows a four-digit year into a month and a day of one or two digits.
func birthDates(text string) []string {
	groups := strings.FieldsFunc(text, func(r rune) bool { return r < '0' || r > '9' })
	valid := func(y, m, d string) (string, bool) {
		t, err := time.Parse("2006-1-2", y+"-"+m+"-"+d)
		if err != nil || len(m) > 2 || len(d) > 2 || t.Year() < 1900 {
			return "", false
		}
		return t.Format(time.DateOnly), true
	}
	if len(groups) == 3 && len(groups[0]) == 4 {
		if b, ok := valid(groups[0], groups[1], groups[2]); ok {
			return []string{b}
		}
		return nil
	}
	all := strings.Join(groups, "")
	if len(all) < 6 || len(all) > 8 {
		return nil
	}
	var out []string
	for i := 5; i < len(all) && i <= 6; i++ {
		if b, ok := valid(all[:4], all[4:i], all[i:]); ok {
			out = append(out, b)
		}
	}
	return out
}

// digitsShowBirth reports whether the English model's reading of the
// birth line's digits (birth) can be the number's date (born): the only
// date they make, or one of two (1981126: 1981-1-26 or 1981-12-6).
// pickBirth then takes born whatever the Chinese reading of the line
// shows, and the checks of the lines' places (shiftedLines, placeLines,
// placesConfirmed) hold on birthDates alone, so the front reads the
// same without that reading (readFrontLines skips it).
func digitsShowBirth(birth, born string) bool {
	return born != "" && slices.Contains(birthDates(birth), born)
}

// pickBirth chooses the front's birth date among two readings of its
// printed line, the Chinese model's (printed, "" when not read) and the
// English model's on the digits alone (alts): a reading equal to the
// number's date (number) wins, then the Chinese reading, then an
// unambiguous English one. The number's date is never used unless one
// reading of the print shows it.
func pickBirth(printed string, alts []string, number string) string {
	if printed == number {
		return printed
	}
	for _, a := range alts {
		if a == number {
			return a
		}
	}
	if printed == "" && len(alts) == 1 {
		return alts[0]
	}
	return printed
}

// compactGroups returns the line crop c (ink on white) with its groups
// of ink, separated by blank columns wider than gap, set side by side
// at a gap of sep columns: the birth line without its captions leaves
// its year, month and day far apart, which the English model reads less
// well than a compact line.
func compactGroups(c *plane, gap, sep int) *plane {
	var spans [][2]int
	start, last := -1, -1
	for x := 0; x < c.w; x++ {
		ink := false
		for y := 0; y < c.h; y++ {
			if c.pix[y*c.w+x] < 128 {
				ink = true
				break
			}
		}
		if !ink {
			continue
		}
		if start >= 0 && x-last > gap {
			spans = append(spans, [2]int{start, last + 1})
			start = -1
		}
		if start < 0 {
			start = x
		}
		last = x
	}
	if start >= 0 {
		spans = append(spans, [2]int{start, last + 1})
	}
	if len(spans) == 0 {
		return c
	}
	w := 2 * sep
	for _, s := range spans {
		w += s[1] - s[0]
	}
	w += sep * (len(spans) - 1)
	out := newPlane(w, c.h)
	for i := range out.pix {
		out.pix[i] = 255
	}
	x := sep
	for _, s := range spans {
		for y := 0; y < c.h; y++ {
			copy(out.pix[y*w+x:y*w+x+s[1]-s[0]], c.pix[y*c.w+s[0]:y*c.w+s[1]])
		}
		x += s[1] - s[0] + sep
	}
	return out
}

// printedDigits returns the digits the front prints for a birth date
// born (YYYY-MM-DD): the year, then the month and the day without a
// leading zero (1992年6月4日 prints 199264).
func printedDigits(born string) string {
	t, err := time.Parse(time.DateOnly, born)
	if err != nil {
		return ""
	}
	return t.Format("200612")
}

// printsDate reports whether a reading of the birth line holds exactly
// the digits the front prints for the date born (printedDigits), in
// order, whatever else it holds between them: a caption lost or read as
// another character (PaddleOCR read 198311月16 for 1983年11月16日 under
// hard print, which looseDate does not parse). A digit read as another,
// lost or added, is not the date.
func printsDate(reading, born string) bool {
	want := printedDigits(born)
	return want != "" && digitsOf(reading) == want
}

// lostBirthDigit reports whether one of the birth line's readings shows
// the number's date (born) with exactly one printed digit missing and
// nothing else: a digit lost to glare or to the cleaning, not a
// different date (every other difference, a digit read as another, an
// extra digit, is a printed date disagreeing with the number).
func lostBirthDigit(readings []string, born string) bool {
	want := printedDigits(born)
	if want == "" {
		return false
	}
	for _, r := range readings {
		got := digitsOf(r)
		if len(got) != len(want)-1 {
			continue
		}
		for i := range want {
			if want[:i]+want[i+1:] == got {
				return true
			}
		}
	}
	return false
}
