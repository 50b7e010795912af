package docread

import (
	"bytes"
	"strings"
	"time"
)

// Uncertainty of a digit of the validity line (Tesseract's LSTM choices,
// confidences 0–100). A period is vouched for only when no digit the
// recogniser hesitated over could be read otherwise into another period
// the law allows (issue 11: 2030 read as 2020, 2018 as 2015 in both
// dates, both legal periods).
const (
	// digitRunnerUp: another digit scoring at least this share of the
	// chosen digit's confidence is an alternative.
	digitRunnerUp = 0.1
	// maxUnsureDigits: a line with more digits hesitated over is not
	// vouched for at all (its alternatives are not enumerated).
	maxUnsureDigits = 6
)

// digitReading is one reading of the validity line: its text and, per
// ASCII digit of the text in order, the other digits the recogniser
// weighed (nil where it is sure, and for a reading made without choices).
type digitReading struct {
	text string
	alts [][]byte
}

// readDigits reads the line l with engine e as recognise does, with the
// LSTM's choices on, and keeps for each digit the other digits
// scoring at least digitRunnerUp of its confidence.
func readDigits(e *tessEngine, l *plane, psm int, whitelist string) digitReading {
	e.set("lstm_choice_mode", "2")
	defer e.set("lstm_choice_mode", "0")
	return digitChoices(e.recogniseSymbols(l.pix, l.w, l.h, psm, whitelist))
}

// digitChoices turns recognised symbols into a digitReading.
func digitChoices(syms []tessSymbol) digitReading {
	var b strings.Builder
	var alts [][]byte
	for _, s := range syms {
		b.WriteString(s.text)
		for i := 0; i < len(s.text); i++ {
			if s.text[i] < '0' || s.text[i] > '9' {
				continue
			}
			var a []byte
			if len(s.text) == 1 {
				for _, c := range s.choices {
					if len(c.text) == 1 && c.text[0] >= '0' && c.text[0] <= '9' && c.text[0] != s.text[0] &&
						c.conf >= digitRunnerUp*s.conf && !strings.Contains(string(a), c.text) {
						a = append(a, c.text[0])
					}
				}
			}
			alts = append(alts, a)
		}
	}
	return digitReading{b.String(), alts}
}

// periodUnsure reports whether the digits of a reading that parsed as a
// period (sixteen digits for a dated one, eight for a long-term one's
// start) could, by the alternatives of the digits hesitated over, be
// another period the law allows (a dated one, legalPeriod) or another
// start date (a long-term one). A reading with too many digits hesitated
// over is unsure.
func periodUnsure(r digitReading, long bool) bool {
	digits := []byte(digitsOf(r.text))
	n := 16
	if long {
		n = 8
	}
	if len(digits) < n || len(r.alts) < n {
		return false
	}
	var at []int
	for i := 0; i < n; i++ {
		if len(r.alts[i]) > 0 {
			at = append(at, i)
		}
	}
	if len(at) == 0 {
		return false
	}
	if len(at) > maxUnsureDigits {
		return true
	}
	d := append([]byte(nil), digits[:n]...)
	var try func(k int, changed bool) bool
	try = func(k int, changed bool) bool {
		if k == len(at) {
			return changed && periodDigits(d, long)
		}
		i := at[k]
		if try(k+1, changed) {
			return true
		}
		orig := d[i]
		defer func() { d[i] = orig }()
		for _, c := range r.alts[i] {
			d[i] = c
			if try(k+1, true) {
				return true
			}
		}
		return false
	}
	return try(0, false)
}

// periodDigits reports whether d (sixteen digits, or eight when long) is
// a period the back may print: two dates of a legal period, or a start
// date.
func periodDigits(d []byte, long bool) bool {
	date := func(d []byte) (time.Time, bool) {
		t, err := time.Parse("20060102", string(d))
		return t, err == nil && t.Year() >= 1980 && t.Year() <= 2100
	}
	f, ok := date(d[:8])
	if !ok || long {
		return ok
	}
	e, ok := date(d[8:16])
	return ok && legalPeriod(f, e)
}

// surelyLenient reports whether the validity line of the card c, cleaned
// leniently (readBackValueLenient's thresholds, each in turn), shows the
// period from–to (or from–长期 when long) surely, a period the usual
// cleaning read only unsurely. A threshold whose reading is unsure too,
// or finds no period, passes to the next; a sure reading of another
// period ends the search: the period stays unsure.
func surelyLenient(tp *tessPair, c *plane, from, to string, long bool) bool {
	lineH := cnLineHeight(c.h)
	for _, pct := range []uint32{70, 78} {
		for _, wide := range []bool{false, true} {
			b := cnBackValue
			if wide {
				b = cnBackValueWide
			}
			f, t, lg, ok, unsure := readValueLines(tp, c, b, lineH, wide, pct)
			if ok && !unsure {
				return f == from && t == to && lg == long
			}
			if ok {
				break
			}
		}
	}
	return false
}

// photographedLine returns the line of span s of the cleaned band vb cut
// from raw, the band as photographed, padded as the line's readings are.
func photographedLine(vb, raw *plane, s [2]int) *plane {
	x0, x1, _ := inkColumns(vb, s[0], s[1])
	return cutPadded(raw, max(0, x0-4), max(0, s[0]-4), min(raw.w, x1+5), min(raw.h, s[1]+4), 6)
}

// startContested reports whether the validity line as photographed, rw,
// contradicts the start date from (YYYY-MM-DD) of a long-term period
// that the two readings of the cleaned line agreed on. Both readings see
// the same cleaned pixels, and a cleaning that breaks a stroke misleads
// both models alike (dev seed 148: 2022.04.08 read as 2022.04.05 by
// both, the photographed line read 08 by both models). The line is read
// by the English model (the cheaper, and on the photographed line the
// surer of the two); when that reading surely shows another start
// (otherStart), the Chinese model decides: the start stands only when
// its reading begins with it.
func startContested(tp *tessPair, rw *plane, from string) bool {
	start := strings.ReplaceAll(from, "-", "")
	if !otherStart(readDigits(tp.eng, rw, psmSingleLine, "0123456789.-"), start) {
		return false
	}
	d := digitsOf(readDigits(tp.chi, rw, psmSingleLine, "0123456789.-长期").text)
	return len(d) < 8 || d[:8] != start
}

// otherStart reports whether the reading r begins with a start date
// other than start (eight digits): its first eight digits are a date
// (periodDigits) that differs from start at a digit where r did not
// weigh start's digit among its alternatives.
func otherStart(r digitReading, start string) bool {
	d := digitsOf(r.text)
	if len(d) < 8 || len(start) != 8 || d[:8] == start || !periodDigits([]byte(d[:8]), true) {
		return false
	}
	for i := 0; i < 8; i++ {
		if d[i] != start[i] && (i >= len(r.alts) || bytes.IndexByte(r.alts[i], start[i]) < 0) {
			return true
		}
	}
	return false
}
