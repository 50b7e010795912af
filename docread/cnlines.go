package docread

import (
	"math"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/kycq/kycq/kyc"
	"github.com/kycq/kycq/kyc/cnid"
)

// The front's text block is read a line at a time: each line of ink is
// cropped to its own extent and given to Tesseract in single-line mode,
// which skips the block's layout analysis and the blank margins of the
// block, and lets each line's characters be restricted to what its field
// may hold.

// Characters each front line may hold, for Tesseract's whitelist.
var (
	cnDateChars = "0123456789年月日"
	cnSexChars  = "男女民族" + strings.Join(cnEthnicities, "")
)

// lineSpans returns the rows [y0, y1) of the text lines of a cleaned
// plane (ink black on white): runs of rows holding ink, runs closer than
// gap rows merged (a character's strokes leave blank rows), runs lower
// than minH dropped.
func lineSpans(p *plane, gap, minH int) [][2]int {
	var out [][2]int
	start, last := -1, -1
	for y := 0; y < p.h; y++ {
		ink := false
		for _, v := range p.pix[y*p.w : (y+1)*p.w] {
			if v < 128 {
				ink = true
				break
			}
		}
		if !ink {
			continue
		}
		if start >= 0 && y-last > gap {
			if last+1-start >= minH {
				out = append(out, [2]int{start, last + 1})
			}
			start = -1
		}
		if start < 0 {
			start = y
		}
		last = y
	}
	if start >= 0 && last+1-start >= minH {
		out = append(out, [2]int{start, last + 1})
	}
	return out
}

// lineCrop returns rows [y0, y1) of p cut to the columns holding ink,
// with a white margin of pad pixels all round, or nil when it is blank.
func lineCrop(p *plane, y0, y1, pad int) *plane {
	x0, x1, ok := inkColumns(p, y0, y1)
	if !ok {
		return nil
	}
	return cutPadded(p, x0, y0, x1+1, y1, pad)
}

// inkColumns returns the first and last columns of rows [y0, y1) of p
// holding ink.
func inkColumns(p *plane, y0, y1 int) (x0, x1 int, ok bool) {
	x0, x1 = p.w, -1
	for y := y0; y < y1; y++ {
		for x, v := range p.pix[y*p.w : (y+1)*p.w] {
			if v < 128 {
				x0, x1 = min(x0, x), max(x1, x)
			}
		}
	}
	return x0, x1, x1 >= 0
}

// cutPadded copies the rectangle [x0, x1) × [y0, y1) of p onto a white
// plane with a margin of pad pixels.
func cutPadded(p *plane, x0, y0, x1, y1, pad int) *plane {
	w, h := x1-x0+2*pad, y1-y0+2*pad
	c := &plane{w: w, h: h, pix: make([]byte, w*h)}
	for i := range c.pix {
		c.pix[i] = 255
	}
	for y := y0; y < y1; y++ {
		copy(c.pix[(y-y0+pad)*w+pad:], p.pix[y*p.w+x0:y*p.w+x1])
	}
	return c
}

// frontSpans returns the rows [y0, y1) of the lines of the front's
// cleaned text block tb and the plane to cut them from, or nil when the
// block does not split into at least three lines, none over two line
// heights. A first span on the block's top edge lower than a line is
// not a line. Otherwise ink taller than two lines or wider than eight line
// heights (the card's or the portrait's edge inside a wrong outline,
// joining the lines it crosses) is dropped from a copy of tb, and lines
// closer than the blank lineSpans bridges (a three-line address, print
// blurred into the gap) are cut at their emptiest row (splitTall).
func frontSpans(tb *plane, lineH int) ([][2]int, *plane) {
	fits := func(spans [][2]int) bool {
		if len(spans) < 3 {
			return false
		}
		for _, s := range spans {
			if s[1]-s[0] > 2*lineH {
				return false
			}
		}
		return true
	}
	spansOf := func(p *plane) [][2]int {
		spans := lineSpans(p, lineH/3, lineH/2)
		if len(spans) > 3 && spans[0][0] == 0 && spans[0][1] < lineH {
			// Ink on the block's top edge lower than a line: the
			// card's edge or the background inside a wrong outline,
			// not the name (which the card prints well below its top).
			spans = spans[1:]
		}
		return spans
	}
	if spans := spansOf(tb); fits(spans) {
		return spans, tb
	}
	clean := &plane{w: tb.w, h: tb.h, pix: slices.Clone(tb.pix)}
	dropLarge(clean, 2*lineH, 8*lineH)
	if sp := splitTall(clean, spansOf(clean), lineH); fits(sp) {
		return sp, clean
	}
	return nil, tb
}

// splitTall returns spans with each span over two line heights cut into
// lines: from its top, at the row holding the least ink between 0.6 and
// 1.6 line heights down (the middle of a run of such rows), while what
// is left is over two line heights; rows as empty as the cut at a
// piece's ends are trimmed, pieces under half a line height dropped.
func splitTall(p *plane, spans [][2]int, lineH int) [][2]int {
	var out [][2]int
	count := func(y int) int {
		n := 0
		for _, v := range p.pix[y*p.w : (y+1)*p.w] {
			if v < 128 {
				n++
			}
		}
		return n
	}
	add := func(y0, y1, floor int) {
		for y0 < y1 && count(y0) <= floor {
			y0++
		}
		for y1 > y0 && count(y1-1) <= floor {
			y1--
		}
		if y1-y0 >= lineH/2 {
			out = append(out, [2]int{y0, y1})
		}
	}
	for _, s := range spans {
		top, floor := s[0], 0
		for s[1]-top > 2*lineH {
			lo, hi := top+lineH*6/10, min(s[1]-lineH/2, top+lineH*16/10)
			best, bestN, run := -1, 0, 0
			for y := lo; y <= hi; y++ {
				n := count(y)
				switch {
				case best < 0 || n < bestN:
					best, bestN, run = y, n, 1
				case n == bestN && y == best+run:
					run++
				}
			}
			if best < 0 {
				break
			}
			cut := best + run/2
			add(top, cut, bestN)
			top, floor = cut, bestN
		}
		add(top, s[1], floor)
	}
	return out
}

// cnAddressScale is the share of the recogniser's height the address
// lines (and the birth line, when PaddleOCR reads it) are read at: 36 of
// its 48 rows, padded. A line's cost grows with its width, so this
// saves a quarter of the time of the front's longest lines; measured on
// dev seed 44 it read every address as the full height did (the sex line
// did not: 彝 lost on small photos, so it keeps the full height).
const cnAddressScale = 0.75

// lineScale returns the share of the recogniser's height line i of the
// front is read at: the full height for the name and the sex line.
func lineScale(i int) float64 {
	if i < 2 {
		return 1
	}
	return cnAddressScale
}

// cnLineHeight is the height of a value line's ink on a card h pixels
// high (about 4 mm of 54), a little generous.
func cnLineHeight(h int) int { return max(8, h/20) }

// frontLines recognises the lines of the front's text block (a band of
// a card h pixels high), top to bottom: the name as photographed
// (readName), the sex and ethnicity and the birth date each with its own
// whitelist, the rest (the address) unrestricted. It reports false, having read nothing, when the
// block does not split into at least three lines of a text line's
// height even once large ink is dropped and close lines are cut
// (frontSpans): the block is then read whole. The sex and address lines
// are read with their long blanks shortened (paddleLineCompact), the
// address at cnAddressScale. The birth line's black digits are also read
// alone by the English model (birth, "" when not read), first: when they
// show exactly the number's date (born), the line is not read in
// Chinese (its place in lines is empty). nameAlts are the name's
// uncertain characters' alternatives (readName; typedName, the typed
// name, only chooses what to check).
func frontLines(tp *tessPair, tb, raw *plane, h int, born, typedName string) (frontRead, bool) {
	spans, tb := frontSpans(tb, cnLineHeight(h))
	if spans == nil {
		return frontRead{}, false
	}
	return readFrontLines(tp, tb, raw, spans, born, typedName), true
}

// frontRead is the front's text block read a line at a time
// (frontLines).
type frontRead struct {
	lines    []string
	nameAlts []string
	birth    string   // the English model's reading of the birth line's digits
	spans    [][2]int // the rows of each line in the block
	tb       *plane   // the cleaned block the lines were cut from
	nameInk  *plane   // the name line's ink (nameInk)
	nameLead int      // columns the name's ink starts right of the value column (valueColumn)
}

// readFrontLines reads the lines of the cleaned block tb at rows spans
// (frontLines), in their places: name, sex and ethnicity, birth date,
// then the address. A span holding no ink (a place no line was found
// at, placeLines) is read as an empty line.
func readFrontLines(tp *tessPair, tb, raw *plane, spans [][2]int, born, typedName string) frontRead {
	var lines, nameAlts []string
	var ni *plane
	birth, lead := "", 0
	for i, s := range spans {
		c := lineCrop(tb, s[0], s[1], 6)
		if c == nil {
			lines = append(lines, "")
			continue
		}
		wl := ""
		switch i {
		case 1:
			wl = cnSexChars
		case 2:
			wl = cnDateChars
		}
		if i == 0 {
			// The name, as photographed (readName), as wide as its ink
			// at glareInkPct: a glare can lighten its last character
			// out of the cleaned block. PaddleOCR is also shown one
			// character's pitch of the photo beyond that ink: a glare
			// can leave a character too faint for either threshold
			// (about 0.7 of its ground) that the recogniser still
			// reads, and the card prints nothing right of the name.
			ni = nameInk(tb, raw, s)
			x0, x1, _ := inkColumns(ni, 0, ni.h)
			if col, ok := valueColumn(tb, spans); ok && col < x0 {
				lead = x0 - col
				if float64(lead) >= cnLeadChars*cnNamePitch*float64(s[1]-s[0]) {
					x0 = col
				}
			}
			r := cutPadded(raw, max(0, x0-4), max(0, s[0]-4), min(raw.w, x1+5), min(raw.h, s[1]+4), 6)
			pl := paddleLine(raw, x0, s[0], min(raw.w, x1+1+int(cnNamePitch*float64(s[1]-s[0]))), s[1])
			name, alts := readName(tp, r, pl, s[1]-s[0], typedName)
			lines, nameAlts = append(lines, name), alts
			continue
		}
		if i == 2 {
			dk := compactGroups(darkInk(c), c.h/2, c.h/2)
			birth = tp.eng.recognise(dk.pix, dk.w, dk.h, psmSingleLine, "0123456789")
			if digitsShowBirth(birth, born) {
				// The digits read can be the number's date: the
				// Chinese reading could only agree or be wrong, and
				// the date and the lines' places are settled without it.
				lines = append(lines, "")
				continue
			}
			if born != "" {
				// PaddleOCR reads the line as photographed, captions
				// included (a grey copy prints them as dark as the
				// digits, which the English model then reads as
				// digits); a reading showing the number's date is
				// kept, any other is checked by Tesseract's.
				x0, x1, _ := inkColumns(tb, s[0], s[1])
				if txt, ok := tp.rec.textAt(paddleLineCompact(raw, tb, x0, s[0], x1+1, s[1]), cnAddressScale); ok {
					if b, ok := looseDate(txt); ok && b == born {
						lines = append(lines, txt)
						continue
					}
					if printsDate(txt, born) {
						// The number's date, a caption lost between
						// its digits (198311月16 for 1983年11月16日):
						// its digits are the birth line's reading.
						birth = digitsOf(txt)
						lines = append(lines, txt)
						continue
					}
				}
			}
		}
		if i != 2 {
			// The sex and ethnicity, and the address: PaddleOCR reads
			// the line as photographed; Tesseract when it reads no sex.
			x0, x1, _ := inkColumns(tb, s[0], s[1])
			var txt string
			var ok bool
			if i == 1 {
				txt, ok = readSexLine(tp.rec, paddleSexLine(raw, tb, x0, s[0], x1+1, s[1]))
				ok = ok && strings.ContainsAny(txt, "男女")
			} else {
				txt, ok = tp.rec.textAt(paddleLineCompact(raw, tb, x0, s[0], x1+1, s[1]), lineScale(i))
			}
			if ok {
				lines = append(lines, txt)
				continue
			}
		}
		txt := tp.chi.recognise(c.pix, c.w, c.h, psmRawLine, wl)
		if onlyHan(txt) == "" && i < 2 {
			// A short line (a two-character name, the sex) can come
			// back empty: dense characters lose strokes to the cleaning,
			// so the line is read as photographed, then in block mode.
			x0, x1, _ := inkColumns(tb, s[0], s[1])
			r := cutPadded(raw, max(0, x0-4), max(0, s[0]-4), min(raw.w, x1+5), min(raw.h, s[1]+4), 6)
			if txt = tp.chi.recognise(r.pix, r.w, r.h, psmSingleLine, wl); onlyHan(txt) == "" {
				txt = tp.chi.recognise(c.pix, c.w, c.h, psmSingleBlock, wl)
			}
		}
		lines = append(lines, txt)
	}
	return frontRead{lines: lines, nameAlts: nameAlts, birth: birth, spans: spans, tb: tb, nameInk: ni, nameLead: lead}
}

// cnLeadChars is the share of a character's pitch the name's ink must
// start right of the value column (valueColumn) for a character to be
// taken as missing at its left.
const cnLeadChars = 0.6

// valueColumn returns the column of the cleaned block tb where the
// front's values start: the median of the first columns holding ink of
// the lines below the name (spans[1:4]: the sex, the birth date and the
// address's first line), when at least two of them hold ink. The card
// prints every value, the name's too, from that column; a name whose
// ink starts a character or more right of it lost its first character
// (a glare over it).
func valueColumn(tb *plane, spans [][2]int) (int, bool) {
	var xs []int
	for _, s := range spans[1:min(4, len(spans))] {
		if x0, _, ok := inkColumns(tb, s[0], s[1]); ok {
			xs = append(xs, x0)
		}
	}
	if len(xs) < 2 {
		return 0, false
	}
	slices.Sort(xs)
	return xs[len(xs)/2], true
}

// cnGlareInkShare is the least share of the name line's own density of
// ink (at glareInkPct) that the columns continuing it must hold to be
// taken as its characters (nameInk): a character lightened by a glare
// keeps about half of it (0.53 on the 20281818 front read 吴博 for
// 吴博婷, seen as a reproduction), the security pattern's thin lines a
// tenth or so (0.09 and 0.13 beside two names of dev seed 132).
const cnGlareInkShare = 0.35

// nameInk returns rows s of the cleaned text block tb (the name line)
// with the ink that continues it at glareInkPct: the columns beyond its
// ink, gaps under half the line's height bridged, that glareRows finds
// holding ink, as far on each side as they hold at least
// cnGlareInkShare of the line's own density there. A glare can lighten a
// name's last characters below the block's 62% (吴博 read for 吴博婷); the
// pattern's lines around the name are too sparse to count.
func nameInk(tb, raw *plane, s [2]int) *plane {
	h := s[1] - s[0]
	out := tb.crop(0, s[0], tb.w, s[1])
	x0, x1, ok := inkColumns(tb, s[0], s[1])
	if !ok || h <= 0 {
		return out
	}
	gl := glareRows(raw, s[0], s[1])
	col := make([]int, gl.w)
	for y := range gl.h {
		for x, v := range gl.pix[y*gl.w : (y+1)*gl.w] {
			if v < 128 {
				col[x]++
			}
		}
	}
	own := 0
	for _, n := range col[x0 : x1+1] {
		own += n
	}
	dens := float64(own) / float64((x1-x0+1)*h)
	// widen returns the farthest column from edge, stepping by step,
	// up to which the columns beyond edge hold ink dense enough, or
	// edge.
	widen := func(edge, step int) int {
		far, last, sum := edge, edge, 0
		for x := edge + step; x >= 0 && x < gl.w && (x-last)*step <= h/2; x += step {
			if col[x] == 0 {
				continue
			}
			last = x
			sum += col[x]
			if float64(sum) >= cnGlareInkShare*dens*float64((x-edge)*step*h) {
				far = x
			}
		}
		return far
	}
	lo, hi := widen(x0, -1), widen(x1, 1)
	for y := range h {
		for x := lo; x <= hi; x++ {
			if (x < x0 || x > x1) && gl.pix[y*gl.w+x] < 128 {
				out.pix[y*out.w+x] = 0
			}
		}
	}
	return out
}

// glareRows returns rows [y0, y1) of the front's text block as
// photographed (raw, the block cnTextBlock of the card) cleaned as band
// cleans the block, but keeping ink darker than glareInkPct of its
// neighbourhood (the MRZ's and the number's second pass). The
// neighbourhood is the card's, as band's, taken over the rows around
// the line.
func glareRows(raw *plane, y0, y1 int) *plane {
	r := int(float64(raw.w)/(cnTextBlock[2]-cnTextBlock[0])+0.5) * 16 / 640
	a, b := max(0, y0-r), min(raw.h, y1+r)
	c := cleanAt(raw.crop(0, a, raw.w, b), r, glareInkPct)
	return c.crop(0, y0-a, c.w, y1-a)
}

// parseLinesByPosition fills name, sex, ethnicity, birth date and address
// from the front's lines as frontLines splits them, by their places: the
// name, the sex and ethnicity, the birth date, then the address. The
// labels, left of the values, are not in them.
func parseLinesByPosition(lines []string, d *kyc.DocumentRead) {
	if len(lines) < 3 {
		parseFrontLines(lines, d)
		return
	}
	d.Name = onlyHan(unlabel(lines[0], "姓名"))
	sex, eth := sexLineParts(lines[1])
	switch {
	case strings.Contains(sex, "男"):
		d.Sex = "M"
	case strings.Contains(sex, "女"):
		d.Sex = "F"
	}
	if eth != "" {
		d.Ethnicity = eth
	}
	if b, ok := looseDate(lines[2]); ok {
		d.BirthDate = b
	}
	var addr []string
	for i, l := range lines[3:] {
		if i == 0 {
			l = unlabel(l, "住址")
		}
		addr = append(addr, addressPart(cnStrip.Replace(l)))
	}
	d.Address = strings.Join(addr, "")
}

// sexLineParts returns the sex and the ethnicity of the front's sex
// line as read: what precedes the ethnicity's caption and the ethnic
// group named after it (snapped to the nearest official name,
// snapEthnicity), or, the light caption lost, the line's first
// character and the group named by the rest.
func sexLineParts(l string) (sex, eth string) {
	sexEth := onlyHan(unlabel(l, "性别"))
	sex, eth, found := strings.Cut(sexEth, "民族")
	if !found {
		if r := []rune(sexEth); len(r) > 0 {
			sex, eth = string(r[:1]), string(r[1:])
		}
	}
	if e := ethnicity(eth); e != "" {
		eth = snapEthnicity(e)
	}
	return sex, eth
}

// foreignAddress reports whether a front's address, as read, holds a
// run of three or more Latin letters. A mainland address prints Han
// characters and digits (a building's single letter at most, as in A座);
// a run of letters is the reading of something else: the card's pattern
// or the ground beside a card framed wrongly (issue 11: held-out
// 20281515's front 0062, framed from its number line, read an address
// ending in a run of capitals and a wrong name, vouched for).
func foreignAddress(addr string) bool {
	run := 0
	for _, r := range addr {
		if r < 0x80 && unicode.IsLetter(r) {
			if run++; run >= 3 {
				return true
			}
			continue
		}
		run = 0
	}
	return false
}

// shiftedLines reports whether the front's lines, as frontLines read
// them, are one place off: the birth line (lines[2]) shows no date,
// neither in its reading nor in the English model's reading of its
// digits (birth), while the line after it begins with a year's four
// digits. An address never does; the birth line one place down does
// (a framing that takes in a line above the name: the name read as
// that line, the sex line as the birth line). Such lines give a wrong
// name and a wrong address while the number fills the birth date and
// sex, so the reading is not vouched for.
func shiftedLines(lines []string, birth string) bool {
	if len(lines) < 4 || len(birthDates(birth)) > 0 {
		return false
	}
	if _, ok := looseDate(lines[2]); ok {
		return false
	}
	next := unlabel(lines[3], "住址")
	n := 0
	for n < len(next) && next[n] >= '0' && next[n] <= '9' {
		n++
	}
	return n >= 4
}

// dropBlankBirthLine returns the front's lines without the third when
// that line, read where the birth line should be, shows neither a Han
// character nor a digit (ink between the sex and the birth lines: a
// fragment of glare or pattern), nor did the English model read digits
// in it (birth), while the sex line before it was read (男 or 女) and
// the line after it begins with a year's digits (shiftedLines): the
// birth line is then the fourth, one place down.
func dropBlankBirthLine(lines []string, birth string) ([]string, bool) {
	if !shiftedLines(lines, birth) || digitsOf(birth) != "" || !strings.ContainsAny(lines[1], "男女") {
		return nil, false
	}
	if onlyHan(lines[2]) != "" || digitsOf(lines[2]) != "" {
		return nil, false
	}
	return append(slices.Clone(lines[:2]), lines[3:]...), true
}

// unlabel returns line l with spaces and stray marks removed and
// without the caption lab when it leads the line: an outline taking in
// more than the card puts the captions left of the values into the text
// block. An outline cutting through the caption leaves its last
// character (名 of 姓名, 址 of 住址) leading the line: it is dropped when
// at least two Han characters follow it (a name has two or more).
func unlabel(l, lab string) string {
	l = cnStrip.Replace(l)
	if got, rest := labelled(l); got == lab {
		return rest
	}
	lr := []rune(lab)
	if rest, ok := strings.CutPrefix(l, string(lr[len(lr)-1])); ok && len([]rune(onlyHan(rest))) >= 2 {
		return rest
	}
	return l
}

// parseFrontLines fills name, sex, ethnicity, birth date and address from
// the front's recognised lines in the card's order: the labels when they
// were read, the order of the lines otherwise.
func parseFrontLines(lines []string, d *kyc.DocumentRead) {
	parseCNFront(strings.Join(lines, "\n"), d)
	if d.Ethnicity != "" {
		d.Ethnicity = snapEthnicity(d.Ethnicity)
	}
}

// checkFront completes a front from its number and checks the two
// agree: the birth date and sex the number encodes fill what the printed
// lines did not give, and a printed value that differs fails the checks.
func checkFront(d *kyc.DocumentRead) {
	n, err := cnid.Parse(d.DocumentNumber)
	d.ChecksValid = err == nil
	if !d.ChecksValid {
		d.Readable = false
		return
	}
	born := n.Birth.Format(time.DateOnly)
	switch d.BirthDate {
	case "":
		d.BirthDate = born
	case born:
	default:
		d.ChecksValid = false
	}
	sex := "F"
	if n.Male() {
		sex = "M"
	}
	switch d.Sex {
	case "":
		d.Sex = sex
	case sex:
	default:
		d.ChecksValid = false
	}
	d.Readable = d.ChecksValid
}

// snapEthnicity returns the official ethnic group name nearest to s in
// edit distance (over characters), when it is within one edit per two
// characters of s; otherwise s as read.
func snapEthnicity(s string) string {
	best, bd := s, len([]rune(s))/2+1
	for _, e := range cnEthnicities {
		if e == s {
			return e
		}
		if d := editDistance([]rune(s), []rune(e)); d < bd {
			best, bd = e, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// cnBackValue is the part of the back's lower band right of the
// validity caption.
var cnBackValue = [4]float64{0.31, 0.78, 1, 1}

// readBackValue reads the validity period from the lines right of the
// back's caption, each alone: with the English model restricted to
// digits, dots and dashes, then, for a line whose start date was read
// but not its end (长期, or a digit lost), with the Chinese model
// restricted to digits, dots, dashes and 长期.
func readBackValue(tp *tessPair, c *plane) (from, to string, long, ok, unsure bool) {
	lineH := cnLineHeight(c.h)
	if from, to, long, ok, unsure = readValueLines(tp, c, cnBackValue, lineH, false, 62); ok {
		return from, to, long, true, unsure
	}
	// A wrong outline shifts and slants the card: the line may begin
	// left of the value's place or sit higher. Every reading is parsed
	// as strictly, so a wider band only costs time.
	return readValueLines(tp, c, cnBackValueWide, lineH, true, 62)
}

// readBackValueLenient is readBackValue for print that the cleaning
// broke: under a glare patch or a dense security background the print is
// lighter against its neighbourhood than the cleaning keeps. Cleaned
// more leniently, the line keeps its strokes (and more of the
// background, which the strict parse refuses).
func readBackValueLenient(tp *tessPair, c *plane) (from, to string, long, ok, unsure bool) {
	lineH := cnLineHeight(c.h)
	for _, pct := range []uint32{70, 78} {
		if from, to, long, ok, unsure = readValueLines(tp, c, cnBackValue, lineH, false, pct); ok {
			return from, to, long, true, unsure
		}
	}
	return "", "", false, false, false
}

// cnBackValueWide is cnBackValue widened for a card framed by a wrong
// outline.
var cnBackValueWide = [4]float64{0.2, 0.66, 1, 1}

// readValueLines reads the validity period from the lines of band b of
// the card c, each alone (readBackValue); lineH is a line's height. A
// long-term period is accepted when two readings of its line agree on
// its start date (longVotes): after the three readings, the line as
// photographed is read once more by the English model.
// level first undoes the band's slant (levelSlope). A line whose start
// date was read but not its end is read again in Chinese, cleaned, then
// as photographed: 长期's dense strokes can lose their shape to the
// cleaning. pct is the cleaning's threshold (bandAt).
func readValueLines(tp *tessPair, c *plane, b [4]float64, lineH int, level bool, pct uint32) (from, to string, long, ok, unsure bool) {
	vb := bandAt(c, b, pct)
	dropLarge(vb, 2*lineH, 8*lineH)
	var raw *plane
	rawAt := func() *plane {
		if raw == nil {
			raw = bandCrop(c, b)
		}
		return raw
	}
	if level {
		if s := levelSlope(vb); s != 0 {
			vb, raw = shearRows(vb, s), shearRows(rawAt(), s)
		}
	}
	for _, s := range lineSpans(vb, lineH/3, lineH/2) {
		l := lineCrop(vb, s[0], s[1], 6)
		if l == nil || l.w < 4*l.h || s[1]-s[0] > 2*lineH {
			continue
		}
		var v longVotes
		// A period some reading gave with a digit the recogniser
		// hesitated over (periodUnsure): vouched for only when another
		// reading of the line shows it surely, and never when a sure
		// reading shows another period.
		type period struct {
			from, to string
			long     bool
		}
		var held *period
		try := func(r digitReading) bool {
			f, t, lg, found, uns := v.addReading(r)
			switch p := (period{f, t, lg}); {
			case !found:
				return false
			case held == nil && uns:
				held = &p
				return false
			case held == nil || !uns && p == *held:
				from, to, long, ok, unsure = f, t, lg, true, uns
				return true
			}
			return false
		}
		r := readDigits(tp.eng, l, psmSingleLine, "0123456789.-")
		if try(r) {
			return
		}
		if countDigits(r.text) < 8 {
			continue
		}
		if try(readDigits(tp.chi, l, psmSingleLine, "0123456789.-长期")) {
			if long && !unsure {
				// A long-term start both readings of the cleaned
				// line showed: checked against the line as
				// photographed (startContested).
				unsure = startContested(tp, photographedLine(vb, rawAt(), s), from)
			}
			return
		}
		rw := photographedLine(vb, rawAt(), s)
		if try(readDigits(tp.chi, rw, psmSingleLine, "0123456789.-长期")) {
			return
		}
		if len(v.long) > 0 || held != nil {
			// A long-term period read, its start date not confirmed, or
			// a period read unsurely: the digits as photographed, once
			// more.
			if try(readDigits(tp.eng, rw, psmSingleLine, "0123456789.-")) {
				return
			}
		}
		if held != nil {
			// Read, but never surely: a retake.
			return held.from, held.to, held.long, true, true
		}
	}
	return "", "", false, false, false
}

// longVotes gathers the readings of one validity line. A dated period
// checks itself (legalPeriod); a long-term one (长期) has no end date to
// check its start against (2011 read as 2015 was vouched for under hard
// print), so it is accepted only when another reading of the line starts
// with the same eight digits.
type longVotes struct {
	starts []string   // the first eight digits of each reading holding as many
	alts   [][][]byte // per start, its digits' alternatives (digitReading)
	long   []string   // the start dates of the long-term periods read
}

// add parses one more reading of the line (lineValidity) and returns the
// period it confirms: a dated one at once, a long-term one whose start
// date two readings show.
func (v *longVotes) add(text string) (from, to string, long, ok bool) {
	from, to, long, ok, _ = v.addReading(digitReading{text: text})
	return from, to, long, ok
}

// addReading is add for a reading with its digits' alternatives, and
// also reports whether the period is unsure (periodUnsure): a dated one
// whose reading could be another legal period, a long-term one whose
// start could be another date by the digits every reading showing it
// hesitated over (a digit one reading is sure of is taken as sure).
func (v *longVotes) addReading(r digitReading) (from, to string, long, ok, unsure bool) {
	if d := digitsOf(r.text); len(d) >= 8 {
		v.starts = append(v.starts, d[:8])
		a := make([][]byte, 8)
		if len(r.alts) >= 8 {
			copy(a, r.alts)
		}
		v.alts = append(v.alts, a)
	}
	from, to, long, ok = lineValidity(r.text)
	if ok && !long {
		return from, to, false, true, periodUnsure(r, false)
	}
	if ok {
		v.long = append(v.long, from)
	}
	for _, f := range v.long {
		start := strings.ReplaceAll(f, "-", "")
		n := 0
		var alts [][]byte
		for i, s := range v.starts {
			if s != start {
				continue
			}
			n++
			if alts == nil {
				alts = slices.Clone(v.alts[i])
				continue
			}
			for j := range alts {
				if len(v.alts[i][j]) == 0 {
					alts[j] = nil
				} else if len(alts[j]) > 0 {
					alts[j] = append(slices.Clone(alts[j]), v.alts[i][j]...)
				}
			}
		}
		if n >= 2 {
			return f, "", true, true, periodUnsure(digitReading{start, alts}, true)
		}
	}
	return "", "", false, false, false
}

// digitsOf returns the ASCII digits of s, in order.
func digitsOf(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// lineValidity parses the back's validity line read alone: its digits
// in order, whatever separates them, are sixteen (two dates, the second
// after the first) or eight followed by 长期 (long-term, either character
// read suffices).
func lineValidity(text string) (from, to string, long, ok bool) {
	var digits []byte
	for i := 0; i < len(text); i++ {
		if text[i] >= '0' && text[i] <= '9' {
			digits = append(digits, text[i])
		}
	}
	date := func(d []byte) (time.Time, bool) {
		t, err := time.Parse("20060102", string(d))
		return t, err == nil && t.Year() >= 1980 && t.Year() <= 2100
	}
	switch {
	case len(digits) == 16:
		f, ok1 := date(digits[:8])
		e, ok2 := date(digits[8:])
		if ok1 && ok2 && legalPeriod(f, e) {
			return f.Format(time.DateOnly), e.Format(time.DateOnly), false, true
		}
	case len(digits) == 8 && strings.ContainsAny(text, "长期"):
		if f, ok := date(digits); ok {
			return f.Format(time.DateOnly), "", true, true
		}
	}
	return "", "", false, false
}

// legalPeriod reports whether a dated validity period from to to is one
// the Resident Identity Card Law allows (article 5: 5 years under 16, 10
// from 16 to 25, 20 from 26 to 45, long-term from 46; counted from the
// issue date): 5, 10 or 20 years, ending on
// the anniversary of its start (a 29 February start ends on 28 February
// or 1 March). A digit misread in either date almost always breaks this,
// so a misreading is read again or refused rather than accepted.
func legalPeriod(from, to time.Time) bool {
	for _, n := range []int{5, 10, 20} {
		e := from.AddDate(n, 0, 0)
		if to.Equal(e) {
			return true
		}
		if from.Month() == time.February && from.Day() == 29 && to.Year() == from.Year()+n && to.Month() == time.February && to.Day() == 28 {
			return true
		}
	}
	return false
}

// dropLarge whitens the pieces of ink of a cleaned plane (ink black on
// white, 8-connected) more than maxH rows high or maxW columns wide: no
// character is, but the card's edge or the background left inside a
// wrong outline is, and it would join the lines it crosses into one.
func dropLarge(p *plane, maxH, maxW int) {
	seen := make([]bool, len(p.pix))
	var stack, piece []int
	for i, v := range p.pix {
		if v >= 128 || seen[i] {
			continue
		}
		seen[i] = true
		stack, piece = append(stack[:0], i), piece[:0]
		x0, x1, y0, y1 := i%p.w, i%p.w, i/p.w, i/p.w
		for len(stack) > 0 {
			j := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			piece = append(piece, j)
			x, y := j%p.w, j/p.w
			x0, x1, y0, y1 = min(x0, x), max(x1, x), min(y0, y), max(y1, y)
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					nx, ny := x+dx, y+dy
					if nx < 0 || ny < 0 || nx >= p.w || ny >= p.h {
						continue
					}
					k := ny*p.w + nx
					if !seen[k] && p.pix[k] < 128 {
						seen[k] = true
						stack = append(stack, k)
					}
				}
			}
		}
		if y1-y0+1 > maxH || x1-x0+1 > maxW {
			for _, j := range piece {
				p.pix[j] = 255
			}
		}
	}
}

// cnSlopes are the slants levelSlope tries, in rows per column (about
// ±2, ±4 and ±6 degrees).
var cnSlopes = []float64{0, -0.035, 0.035, -0.07, 0.07, -0.105, 0.105}

// levelSlope returns the slope of cnSlopes that best levels the lines
// of the cleaned plane p (ink black on white), for shearRows: the one
// whose rows' ink counts have the largest sum of squares (level lines
// put their ink in few rows). A card straightened from a wrong outline
// slants its lines, which then overlap row-wise.
func levelSlope(p *plane) float64 {
	best, bestScore := 0.0, -1.0
	counts := make([]float64, p.h)
	for _, s := range cnSlopes {
		clear(counts)
		for y := 0; y < p.h; y++ {
			for x, v := range p.pix[y*p.w : (y+1)*p.w] {
				if v >= 128 {
					continue
				}
				if ty := y - int(math.Round(s*float64(x-p.w/2))); ty >= 0 && ty < p.h {
					counts[ty]++
				}
			}
		}
		score := 0.0
		for _, n := range counts {
			score += n * n
		}
		if score > bestScore {
			best, bestScore = s, score
		}
	}
	return best
}

// shearRows returns p with the pixel at (x, y) moved to (x, y - s*(x -
// w/2)), rounded; what comes from outside p is white.
func shearRows(p *plane, s float64) *plane {
	q := newPlane(p.w, p.h)
	for i := range q.pix {
		q.pix[i] = 255
	}
	for x := 0; x < p.w; x++ {
		d := int(math.Round(s * float64(x-p.w/2)))
		for y := 0; y < p.h; y++ {
			if ty := y - d; ty >= 0 && ty < p.h {
				q.pix[ty*p.w+x] = p.pix[y*p.w+x]
			}
		}
	}
	return q
}

// Where the front prints its first two rows, in millimetres of the 54 mm
// high card above the birth line (centre to centre): the name, and the
// sex and ethnicity; and how far from its place a line may be found.
const (
	cnNameAbove = 12.9
	cnSexAbove  = 6.5
	cnRowSlack  = 2.2
)

// placeLines returns the rows of the front's lines placed by the card's
// layout from the birth line, when lines were read out of place: the
// birth line's place (fr.lines[2]) shows no date, while another line
// shows the number's (showsBirth; born, the number's date). The lines
// above it are then taken by their heights: for the sex and ethnicity,
// the line of a text line's height (0.7 cnLineHeight or more) whose
// centre is nearest the row's place and within cnRowSlack of it; for the
// name the same within 1.5 cnRowSlack and at least half a row above the
// sex line, its place scaled by the sex line's distance to the birth
// line when that was found (a card framed a little large or small); an
// empty span where no line is (ink that is no row: glare, the card's
// edge inside a loose outline; a line lost). The birth line and every
// line below it follow. h is the card's height.
func placeLines(fr frontRead, h int, born string) ([][2]int, bool) {
	if born == "" || len(fr.lines) < 3 || len(fr.spans) != len(fr.lines) {
		return nil, false
	}
	if _, ok := looseDate(fr.lines[2]); ok || len(birthDates(fr.birth)) > 0 {
		return nil, false
	}
	k := -1
	for i, l := range fr.lines {
		if i != 2 && showsBirth(l, born) {
			k = i
			break
		}
	}
	if k < 0 {
		return nil, false
	}
	mm := float64(h) / 54
	minH := 0.7 * float64(cnLineHeight(h))
	centre := func(s [2]int) float64 { return float64(s[0]+s[1]) / 2 }
	yb := centre(fr.spans[k])
	// row returns the line of a text line's height above the birth line
	// whose centre is nearest y, within slack and above below.
	row := func(y, slack, below float64) ([2]int, bool) {
		best, bd := -1, slack
		for i, s := range fr.spans[:k] {
			if d := math.Abs(centre(s) - y); d <= bd && centre(s) < below && float64(s[1]-s[0]) >= minH {
				best, bd = i, d
			}
		}
		if best < 0 {
			return [2]int{max(0, int(y)), max(0, int(y))}, false
		}
		return fr.spans[best], true
	}
	sex, ok := row(yb-cnSexAbove*mm, cnRowSlack*mm, yb)
	nameAt, below := yb-cnNameAbove*mm, yb-cnSexAbove*mm
	if ok {
		nameAt, below = yb-(yb-centre(sex))*cnNameAbove/cnSexAbove, centre(sex)
	}
	name, _ := row(nameAt, 1.5*cnRowSlack*mm, below-cnSexAbove/2*mm)
	return append([][2]int{name, sex}, fr.spans[k:]...), true
}

// sexLineFirst returns the rows of the front's lines with the name's
// place added above the first when the first line read is the sex line
// (readsAsSexLine): the name line was not found (a glare over it, dev
// seed 218's front 0082 read 女民族舞 as its name), and every line was
// read one place up. The name's place is the sex line's rows moved up
// by the rows' distance on the card (cnNameAbove - cnSexAbove, h the
// card's height). The lines are then read again in their places.
func sexLineFirst(fr frontRead, h int) ([][2]int, bool) {
	if len(fr.lines) < 3 || len(fr.spans) != len(fr.lines) || !readsAsSexLine(fr.lines[0]) {
		return nil, false
	}
	d := int((cnNameAbove - cnSexAbove) * float64(h) / 54)
	s := fr.spans[0]
	if s[0]-d < 0 {
		return nil, false
	}
	return append([][2]int{{s[0] - d, s[1] - d}}, fr.spans...), true
}

// readsAsSexLine reports whether a front line, read as the name, is
// the sex line: a sex (男 or 女) alone before the ethnicity's caption,
// or before an official ethnic group's name. No name is written so.
func readsAsSexLine(l string) bool {
	sex, eth := sexLineParts(l)
	if sex != "男" && sex != "女" {
		return false
	}
	return strings.Contains(onlyHan(l), sex+"民族") || officialEthnicity(eth)
}

// placesConfirmed reports whether the front's lines, as placed, are
// where the layout puts them by what they show beside the name: the sex
// line holds 男 or 女, or the birth line (or the English model's reading
// of its digits, birth) a date. When neither does, nothing printed
// confirms that the first line is the name (a line above it, or lines
// one or more places off, read as the name): the number then fills the
// sex and the birth date, and the reading would be vouched for with
// another line as the name.
func placesConfirmed(lines []string, birth string) bool {
	if len(lines) < 3 {
		return false
	}
	if strings.ContainsAny(lines[1], "男女") || len(birthDates(birth)) > 0 {
		return true
	}
	_, ok := looseDate(lines[2])
	return ok
}

// showsBirth reports whether a front line, read as any line, is the
// birth line of a card whose number gives the date born: it shows that
// date (looseDate), or begins, after its caption, with its year (the
// month's or the day's digits lost or read apart).
func showsBirth(l, born string) bool {
	if b, ok := looseDate(l); ok && b == born {
		return true
	}
	return strings.HasPrefix(unlabel(l, "出生"), born[:4])
}

// cnNameEm is the size of the name's characters on the card, in
// millimetres: Han characters are about as high as they are wide and are
// set one em apart.
const cnNameEm = 3.4

// cnNamePitch is the name's character pitch in heights of its line's
// ink: medians 1.09 (two characters) and 1.09 (three) on the names of
// dev seeds 132-133 read exactly, 98% of them between 0.89 and 1.33.
const cnNamePitch = 1.1

// nameShort reports whether the name line of the front (fr.spans[0], its
// ink fr.nameInk, or fr.tb when not read) is wide enough for at least
// 0.6 character more than the n read: a character was dropped, or ink
// beside the name was not read, and the name is not vouched for. Its
// ink's width (inkRunWidth: a speck apart from the name is not the
// name) is counted in characters at the line's own glyph size, the
// first character as wide as the line is high and each further one
// cnNamePitch heights on, and in millimetres of the card (w pixels
// wide) at 3.4 mm a character less 0.5; both must hold, and no more
// bounds them (ink far wider than the name read is not vouched for
// either). On dev seeds 132-133 (195 names read exactly on fronts split
// into lines) the characters counted at most 0.31 beyond the name, and
// both measures held for none of them with n their length and for 194
// with n one less.
func nameShort(fr frontRead, w, n int) bool {
	if len(fr.spans) == 0 || fr.tb == nil {
		return false
	}
	s := fr.spans[0]
	h := s[1] - s[0]
	if h <= 0 {
		return false
	}
	ink, y0, y1 := fr.tb, s[0], s[1]
	if fr.nameInk != nil {
		ink, y0, y1 = fr.nameInk, 0, fr.nameInk.h
	}
	width := float64(inkRunWidth(ink, y0, y1, h/2))
	if float64(fr.nameLead) >= cnLeadChars*cnNamePitch*float64(h) {
		// The name starts a character or more right of the value
		// column: counted from the column.
		width += float64(fr.nameLead)
	}
	chars := 1 + (width-float64(h))/(cnNamePitch*float64(h))
	mm := width / (float64(w) / 85.6)
	more := float64(n) + 0.6
	return chars >= more && mm >= cnNameEm*more-0.5
}

// inkRunWidth returns the width of the widest run of columns of rows
// [y0, y1) of p holding ink, runs closer than gap columns joined: a
// name's characters are set closer than half their height, a speck of
// the background beside them is not part of the name.
func inkRunWidth(p *plane, y0, y1, gap int) int {
	best, start, last := 0, -1, -1
	for x := 0; x < p.w; x++ {
		ink := false
		for y := y0; y < y1 && !ink; y++ {
			ink = p.pix[y*p.w+x] < 128
		}
		if !ink {
			continue
		}
		if start < 0 || x-last > gap {
			start = x
		}
		last = x
		best = max(best, last+1-start)
	}
	return best
}
