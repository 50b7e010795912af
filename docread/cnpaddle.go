package docread

import (
	"context"
	"strings"
	"unicode"

	"github.com/kycq/kycq/kyc"
)

// A back whose validity period no Tesseract reading found (glare over
// the year, a dense security pattern over the digits, a band whose lines
// the card's edge joins into one) is read last by the PaddleOCR
// recogniser (paddle.go), on the photographed line: the line the cleaned
// band finds, and the line where the card's layout prints it. That
// recogniser reads the line on its own background, where Tesseract needs
// the cleaned ink (issue 11, third pass on the backs; docs/reading.md).

// readBackPaddle reads the validity period of the upright card c with
// the PaddleOCR recogniser. The period is vouched for (unsure false)
// only when two of its readings show it, each surely (no digit weighed
// against another that makes another period, periodUnsure), and no sure
// reading shows another period; a period read otherwise is returned
// unsure (a retake). Readings of the layout's line already made on c
// are taken from lr (nil: none).
func readBackPaddle(tp *tessPair, c *plane, lr *layoutReadings) (from, to string, long, ok, unsure bool) {
	if tp.rec == nil {
		return "", "", false, false, false
	}
	type period struct {
		from, to string
		long     bool
	}
	sure := map[period]int{}
	var first *period
	var best period
	conflict := false
	// add parses one reading; it reports whether the period is settled
	// (vouched for, or contradicted).
	add := func(r digitReading) bool {
		f, t, lg, found := paddleValidity(r.text)
		if !found {
			return false
		}
		p := period{f, t, lg}
		if first == nil {
			first = &p
		}
		if periodUnsure(r, lg) {
			return false
		}
		sure[p]++
		if len(sure) > 1 {
			conflict = true
			return true
		}
		best = p
		return sure[p] >= 2
	}
	for i, l := range paddleBackLines(c) {
		for _, k := range l.scales {
			var cs []paddleChar
			var err error
			if i == 0 && l.layout {
				cs, err = lr.read(tp.rec, c, l.p, k)
			} else {
				cs, err = tp.rec.recogniseAt(l.p, k)
			}
			if err != nil {
				return "", "", false, false, false
			}
			if add(paddleDigits(cs)) {
				if conflict {
					return first.from, first.to, first.long, true, true
				}
				return best.from, best.to, best.long, true, false
			}
		}
	}
	if first == nil {
		return "", "", false, false, false
	}
	return first.from, first.to, first.long, true, true
}

// paddleBackLine is one photographed crop of the validity line, with the
// scales (paddleInput's k) it is read at; layout marks the layout's line
// (layoutValidityLine).
type paddleBackLine struct {
	p      *plane
	scales []float64
	layout bool
}

// paddleBackLines returns the crops of the card c that the validity line
// is read from, in order: the line where the layout prints it
// (layoutValidityLine), then the photographed lines of the cleaned value
// band (readValueLines' spans, at the usual then the lenient cleaning).
// The layout's line is read at two scales: the recogniser's errors move
// with the scale, the print does not.
func paddleBackLines(c *plane) []paddleBackLine {
	lineH := cnLineHeight(c.h)
	var out []paddleBackLine
	if l := layoutValidityLine(c); l != nil {
		out = append(out, paddleBackLine{l, []float64{1, 0.8}, true})
	}
	b := cnBackValue
	raw := bandCrop(c, b)
	for _, pct := range []uint32{62, 70} {
		vb := bandAt(c, b, pct)
		dropLarge(vb, 2*lineH, 8*lineH)
		for _, s := range lineSpans(vb, lineH/3, lineH/2) {
			if s[1]-s[0] > 2*lineH {
				continue
			}
			x0, x1, ok := inkColumns(vb, s[0], s[1])
			if !ok || x1+1-x0 < 4*(s[1]-s[0]) {
				continue
			}
			if l := paddleLine(raw, x0, s[0], x1+1, s[1]); l != nil {
				out = append(out, paddleBackLine{l, []float64{1}, false})
			}
		}
	}
	return out
}

// cnValidityEnd is where the layout's validity line is cut on the
// right (millimetres of the card): the last of the 21 characters of a
// dated period is centred at most 20 advances after the first
// (64.0 mm), plus one advance's margin. The recogniser's cost grows with
// the line's width: cut at 97% of the card (83 mm) a reading cost about
// 40 ms of thread CPU per back (BenchmarkReadCNBackLongTerm).
const cnValidityEnd = cnValidityX + 21*cnValidityPitch

// layoutValidityLine cuts from the card c the line where the layout
// prints the validity period: from two digits' advances left of the
// first digit's place to cnValidityEnd, a line's height about the
// digits' centre (nil when the card is too small). One advance of
// margin on the left cut into the first digit of a card framed a little
// off (2010 read 010 on BenchmarkReadCNID's back: no period read, the
// check checked nothing); two, as quickAgrees, keep it, at the same
// width.
func layoutValidityLine(c *plane) *plane {
	return layoutLineTo(c, cnValidityX-2*cnValidityPitch, cnValidityEnd)
}

// cnValiditySqueeze is the share of its width the layout's validity line
// (layoutValidityLine, and quickAgrees' shorter one) is read at: the
// period's half-width digits narrowed towards the proportions of the
// recogniser's usual text, a quarter fewer columns for a line that costs
// about as much as the rest of the back's reading. The digits keep their
// height, which reading the line at a lower scale does not (0 read as U
// at 0.8).
const cnValiditySqueeze = 0.75

// cnLongTermEnd is where the layout's line is cut on the right for a
// long-term period (millimetres of the card): its ten characters of
// date, the hyphen and 长期 (two characters of the font's full width,
// about 1.8 digit advances each) end at most 14.1 advances after the
// first digit's centre, plus the margin cnValidityEnd leaves.
const cnLongTermEnd = cnValidityX + 16*cnValidityPitch

// layoutLineTo is layoutValidityLine cut from start to end
// (millimetres of the card).
func layoutLineTo(c *plane, start, end float64) *plane {
	lineH := cnLineHeight(c.h)
	yc := int(cnValidityY / 54 * float64(c.h))
	x0 := max(0, int(start/85.6*float64(c.w)))
	x1 := min(c.w, int(end/85.6*float64(c.w)))
	y0, y1 := max(0, yc-lineH*6/10), min(c.h, yc+lineH*6/10)
	if x1-x0 < 4*lineH || y1-y0 < 4 {
		return nil
	}
	return c.crop(x0, y0, x1, y1)
}

// paddleCheck checks the period d holds, read by Tesseract, against the
// PaddleOCR recogniser's readings of the cards given (the card the
// period was read on first; a period found on the whole photo is checked
// on the outline's card too, where the layout places the line). A period
// vouched for is first read cheaply on each card (quickAgrees): a sure
// reading of the same period settles it. Otherwise it is read once more,
// on the first card whose layout line reads as a period: when that
// reading surely shows another period (or another long-term start), the
// period is contested. A contested period, or one not vouched for, is
// read by readBackPaddle: when it vouches for another period, that
// period replaces d's, as a retake; when it vouches for d's period, a
// period Tesseract read only unsurely is vouched for (two recognisers,
// on different images of the line, agree), and a contested one stays a
// retake. Nothing is read once ctx is done.
func paddleCheck(ctx context.Context, tp *tessPair, d *kyc.DocumentRead, cards ...*plane) {
	if ctx.Err() != nil || tp.rec == nil || d.Kind != kyc.ReadCNIDBack || !d.ChecksValid {
		return
	}
	var lr layoutReadings
	contested := false
	if d.Readable {
		for _, c := range cards {
			l := layoutValidityLine(c)
			if l == nil {
				continue
			}
			if quickAgrees(tp.rec, c, d) {
				return
			}
			cs, err := lr.read(tp.rec, c, l, 1)
			if err != nil {
				return
			}
			r := paddleDigits(cs)
			f, t, lg, ok := paddleValidity(r.text)
			if !ok {
				continue
			}
			if periodUnsure(r, lg) || f == d.IssueDate && t == d.ExpiryDate && lg == d.LongTerm {
				return
			}
			contested = true
			break
		}
		if !contested {
			return
		}
		d.Readable = false
	}
	for _, c := range cards {
		f, t, lg, ok, unsure := readBackPaddle(tp, c, &lr)
		switch {
		case !ok:
			continue
		case unsure:
		case f != d.IssueDate || t != d.ExpiryDate || lg != d.LongTerm:
			setBack(d, f, t, lg)
			d.Readable = false
		case !contested:
			d.Readable = d.ChecksValid
		}
		return
	}
}

// quickAgrees reports whether a cheaper reading of the layout's line of
// the card c surely shows the long-term period d holds: the line cut
// where such a period ends (cnLongTermEnd), from two digits' advances
// left of the first digit's centre (the full line's half-advance margin
// can cut into the first digit of a card framed a little off: 2015 read
// 015 on BenchmarkReadCNBackLongTerm's photos), a fifth narrower than
// the full line (the recogniser's cost grows with its input's width).
// Any other outcome (no period, an unsure one, another) leaves the check
// to the full line, as without it. A dated period fills the full line:
// it has no cheaper reading. (Read at 0.75 of the model's height instead
// of enlarged to it, the full line's digits are misread: 0 as U.)
func quickAgrees(rec *paddleRec, c *plane, d *kyc.DocumentRead) bool {
	if !d.LongTerm {
		return false
	}
	l := layoutLineTo(c, cnValidityX-2*cnValidityPitch, cnLongTermEnd)
	if l == nil {
		return false
	}
	cs, err := rec.recogniseSqueezed(l, 1, cnValiditySqueeze)
	if err != nil {
		return false
	}
	r := paddleDigits(cs)
	f, t, lg, ok := paddleValidity(r.text)
	return ok && f == d.IssueDate && t == d.ExpiryDate && lg == d.LongTerm && !periodUnsure(r, lg)
}

// layoutReadings keeps the recogniser's readings of cards' layout lines
// (layoutValidityLine) by card and scale, for one back: the reading the
// check makes is the first that readBackPaddle makes of the same card.
// The zero value is empty; a nil one keeps nothing.
type layoutReadings struct {
	m map[layoutKey][]paddleChar
}

type layoutKey struct {
	c *plane
	k float64
}

// read returns the reading of card c's layout line l (layoutValidityLine
// of c, cut once by the caller) at scale k, reading it (narrowed by
// cnValiditySqueeze) when not kept.
func (lr *layoutReadings) read(rec *paddleRec, c, l *plane, k float64) ([]paddleChar, error) {
	if lr != nil {
		if cs, ok := lr.m[layoutKey{c, k}]; ok {
			return cs, nil
		}
	}
	cs, err := rec.recogniseSqueezed(l, k, cnValiditySqueeze)
	if err == nil && lr != nil {
		if lr.m == nil {
			lr.m = map[layoutKey][]paddleChar{}
		}
		lr.m[layoutKey{c, k}] = cs
	}
	return cs, err
}

// paddleMinP is the probability under which a character of a
// PaddleOCR reading of the validity line is left out: a line that
// reaches the card's right edge (the layout's line when it was cut at
// 97% of the card; a band's span), whose border and shadow the
// recogniser reads as faint characters (dev seed 159's 0181: 0, 0, 3, o at 0.27 to
// 0.56 after the period).
const paddleMinP = 0.6

// paddleDigits turns a PaddleOCR reading into a digitReading: its text
// (characters under paddleMinP left out) and, per ASCII digit, the
// other digits whose probability is at least digitRunnerUp of the
// digit's.
func paddleDigits(cs []paddleChar) digitReading {
	var b strings.Builder
	var alts [][]byte
	for _, c := range cs {
		if c.p < paddleMinP {
			continue
		}
		b.WriteRune(c.r)
		if c.r < '0' || c.r > '9' {
			continue
		}
		var a []byte
		for _, o := range c.choices {
			if len(o.text) == 1 && o.text[0] >= '0' && o.text[0] <= '9' && o.text[0] != byte(c.r) &&
				o.conf >= digitRunnerUp*100*c.p && !strings.Contains(string(a), o.text) {
				a = append(a, o.text[0])
			}
		}
		alts = append(alts, a)
	}
	return digitReading{b.String(), alts}
}

// paddleValidity parses a PaddleOCR reading of the validity line as
// lineValidity does, but for a long-term period reads only what comes
// before 长期: a line cut near the card's right edge may end with a piece
// of the edge read as a digit. Any letter or Han character other than
// 长期 among the digits refuses the reading (a line of other text).
func paddleValidity(text string) (from, to string, long, ok bool) {
	if i := strings.IndexAny(text, "长期"); i >= 0 {
		text = text[:i] + "长期"
	}
	for _, r := range text {
		if r != '长' && r != '期' && (unicode.IsLetter(r) || unicode.Is(unicode.Han, r)) {
			return "", "", false, false
		}
	}
	return lineValidity(text)
}
