package docread

import (
	"context"
	"math"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/kycq/kycq/imagecheck"
	"github.com/kycq/kycq/kyc"
	"github.com/kycq/kycq/kyc/cnid"
)

// The mainland China resident ID (second generation, 85.6 × 54 mm) is
// read on the straightened card, upright: the front's 18-character
// number from the band under the portrait (Tesseract, English model),
// the name, sex, ethnicity, date of birth and address from the block of
// labelled lines left of the portrait (Tesseract, simplified Chinese);
// the back's validity period from its lower band. The upright
// orientation is the one whose band holds what the side must hold (a
// number passing MOD 11-2, a validity period); a portrait-shaped card is
// turned a quarter first.

// cnCardWidth is the width the card is read at: about 25 pixels of text
// height, where Tesseract is fastest for no loss.
const cnCardWidth = 960

// Bands of the upright card, as fractions of its width and height.
var (
	cnNumberBand = [4]float64{0, 0.74, 1, 1}       // the number line
	cnTextBlock  = [4]float64{0.17, 0, 0.62, 0.76} // the values of name, sex, ethnicity, birth, address (right of their captions)
	cnBackBand   = [4]float64{0, 0.78, 1, 1}       // the validity line
	cnBackWide   = [4]float64{0, 0.6, 1, 1}        // issuer and validity, when the line sits higher
)

// band crops b out of p and cleans it for Tesseract: the ink well below
// its neighbourhood is kept, specks smaller than a stroke's dot dropped,
// and the rest made white (a security pattern's light lines, noise).
func band(p *plane, b [4]float64) *plane { return bandAt(p, b, 62) }

// bandAt is band with ink darker than pct percent of its neighbourhood.
func bandAt(p *plane, b [4]float64, pct uint32) *plane {
	return cleanAt(bandCrop(p, b), 16*p.w/640, pct)
}

// bandCrop returns a copy of the part b of p (fractions of its width
// and height: left, top, right, bottom) as photographed, not cleaned.
func bandCrop(p *plane, b [4]float64) *plane {
	return p.crop(int(b[0]*float64(p.w)), int(b[1]*float64(p.h)), int(b[2]*float64(p.w)), int(b[3]*float64(p.h)))
}

// cleanAt cleans c in place as band does, the neighbourhood a window of
// 2r+1 pixels, and returns it.
func cleanAt(c *plane, r int, pct uint32) *plane {
	ink := binariseAt(c, r, pct)
	for _, k := range components(ink, c.w, c.h) {
		if k.n >= 6 || k.size() >= 4 {
			continue
		}
		for y := k.y0; y < k.y1; y++ {
			for x := k.x0; x < k.x1; x++ {
				ink[y*c.w+x] = false
			}
		}
	}
	for i, k := range ink {
		if !k {
			c.pix[i] = 255
		}
	}
	return c
}

// cnCard returns the card to read, landscape, cnCardWidth wide, in
// one straightening from the decoded plane: the outline found, or the
// whole photo when none was.
func (s *source) cnCard() (*plane, mapping) {
	q := [4][2]float64{{0, 0}, {float64(s.p.w), 0}, {float64(s.p.w), float64(s.p.h)}, {0, float64(s.p.h)}}
	if s.hasDoc {
		q = s.doc
	}
	d := func(a, b [2]float64) float64 { return math.Hypot(b[0]-a[0], b[1]-a[1]) }
	w := (d(q[0], q[1]) + d(q[3], q[2])) / 2
	h := (d(q[0], q[3]) + d(q[1], q[2])) / 2
	if h > w {
		q, w, h = quarterTurn(q), h, w
	}
	ch := max(1, int(cnCardWidth*h/math.Max(w, 1)+0.5))
	return warpArea(s.p, q, cnCardWidth, ch), quadMapping(q, cnCardWidth, ch, s.scale)
}

// turned returns the card and its mapping after a half turn.
func turned(c *plane, m mapping) (*plane, mapping) {
	w, h := float64(c.w), float64(c.h)
	return c.rot90(2), func(x, y float64) (float64, float64) { return m(w-1-x, h-1-y) }
}

func (r *Reader) readCNID(ctx context.Context, src *source, side imagecheck.Side, typedName string, res *Result) error {
	if r.tess == nil {
		res.Data = kyc.DocumentRead{Expected: true}
		return nil
	}
	tm := timings(res.Timings)
	t := time.Now()
	card, m := src.cnCard()
	t = tm.lap("straighten", t)
	tp, err := r.tess.get()
	if err != nil {
		return err
	}
	defer r.tess.put(tp)
	defer tm.lap("ocr", t)
	d := kyc.DocumentRead{Expected: true}
	type cand struct {
		c *plane
		m mapping
	}
	cands := []cand{{card, m}}
	c2, m2 := turned(card, m)
	cands = append(cands, cand{c2, m2})
	zone := func(c cand) {
		res.Zone = quadToPoints([4][2]float64{{0, 0}, {float64(c.c.w), 0}, {float64(c.c.w), float64(c.c.h)}, {0, float64(c.c.h)}}, c.m)
	}
	// The cheap readings choose the orientation before any Chinese
	// reading: a front's number in OCR-B, a back's dated period.
	// The OCR-B readings of the number made here, by card, so that the
	// front's reading does not repeat them.
	numbers := map[*plane]ocrbNumber{}
	if side != imagecheck.Back {
		numbers[card] = readOCRBNumber(card)
		if !numbers[card].ok {
			if numbers[c2] = readOCRBNumber(c2); numbers[c2].ok {
				cands[0], cands[1] = cands[1], cands[0]
			}
		}
	}
	valueTried := false
	if side == imagecheck.Back {
		// Both orientations of the outline's card, cleaned as usual
		// then leniently (glare); failing that (no outline, or the
		// wrong one: a tile of a tiled table, a sheet under the card),
		// the card framed from a line of digits where the back prints
		// its validity period. A period the usual cleaning read only
		// unsurely is vouched for when the lenient cleanings show it
		// surely (surelyLenient).
		readBack := func(read func(*tessPair, *plane) (string, string, bool, bool, bool), c cand, strict bool) bool {
			from, to, long, ok, unsure := read(tp, c.c)
			if ok && unsure && strict && ctx.Err() == nil {
				unsure = !surelyLenient(tp, c.c, from, to, long)
			}
			if ok {
				setBack(&d, from, to, long)
				d.Readable = d.Readable && !unsure
				paddleCheck(ctx, tp, &d, c.c)
				zone(c)
				res.Data = d
			}
			return ok
		}
		backReaders := []func(*tessPair, *plane) (string, string, bool, bool, bool){readBackValue, readBackValueLenient}
		for i, read := range backReaders {
			for _, c := range cands {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				if readBack(read, c, i == 0) {
					return nil
				}
			}
		}
		for _, q := range validityLineCards(src.p) {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			w := warpArea(src.p, q, cnCardWidth, cnCardWidth*54*10/856)
			c := cand{w, quadMapping(q, w.w, w.h, src.scale)}
			for i, read := range backReaders {
				if readBack(read, c, i == 0) {
					return nil
				}
			}
		}
		valueTried = true
	}
	found := false
	// A front read on the outline's card that is not vouched for (its
	// number or dates do not check, or it is a retake), kept while the
	// framings from the number line are tried.
	var first kyc.DocumentRead
	firstAt := -1
	for i := 0; i < len(cands) && !found; i++ {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		c := cands[i].c
		if side != imagecheck.Back {
			n, read := numbers[c]
			if !read {
				n = readOCRBNumber(c)
			}
			found = readCNFront(ctx, tp, c, n, &d, typedName)
			if found && d.Readable && firstAt >= 0 && !namesAgree(first, d.Name) {
				// The outline's reading was a retake, but the
				// characters it was sure of are not in this
				// framing's name: one of the two framings is wrong,
				// and nothing says which.
				d.Readable = false
			}
			if found && d.Readable && firstAt >= 0 && sameDoubtfulEnd(first, d.Name) {
				// The outline's name ended in a character it may
				// not print (nameDoubtful), and this framing reads it
				// again: the same mark, read twice, is no evidence.
				d.Readable = false
			}
			if found && !d.Readable && side == imagecheck.Front && i < 2 && firstAt < 0 {
				first, firstAt = d, i
				d, found = kyc.DocumentRead{Expected: true}, false
			}
		}
		if !found && side != imagecheck.Front && ctx.Err() == nil {
			if found = readCNBack(tp, c, &d, i >= 2 || !src.hasDoc, valueTried); found {
				paddleCheck(ctx, tp, &d, c)
			}
		}
		if found {
			zone(cands[i])
		}
		if i == 1 && !found && side != imagecheck.Back {
			// No outline, or the wrong one: frame the card from its
			// number line.
			for _, q := range numberLineCards(src.p) {
				c := warpArea(src.p, q, cnCardWidth, cnCardWidth*54*10/856)
				cands = append(cands, cand{c, quadMapping(q, c.w, c.h, src.scale)})
			}
		}
	}
	if firstAt >= 0 && (!found || !d.Readable && first.ChecksValid) {
		// No other framing read better: what the outline gave. A
		// reading on the outline that disagrees with nothing (a retake:
		// a birth digit lost) is kept over a later framing's that is
		// not vouched for either (one whose lines are one place off).
		d, found = first, true
		zone(cands[firstAt])
	}
	if !found && side == imagecheck.Back && src.hasDoc && ctx.Err() == nil {
		// The outline's card holds no period: search the whole photo.
		whole := &source{p: src.p, scale: src.scale}
		c, m := whole.cnCard()
		for _, cd := range []cand{{c, m}, {}} {
			if cd.c == nil {
				cd.c, cd.m = turned(c, m)
			}
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if readCNBack(tp, cd.c, &d, true, false) {
				paddleCheck(ctx, tp, &d, cd.c, cands[0].c, cands[1].c)
				zone(cd)
				found = true
				break
			}
		}
	}
	if !found && side == imagecheck.Back {
		// No Tesseract reading found a period: the outline's card, both
		// ways up, read by the PaddleOCR recogniser (readBackPaddle).
		for _, c := range cands[:2] {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if from, to, long, ok, unsure := readBackPaddle(tp, c.c, nil); ok {
				setBack(&d, from, to, long)
				d.Readable = d.Readable && !unsure
				zone(c)
				break
			}
		}
	}
	res.Data = d
	return nil
}

// Where the back prints its validity period (millimetres of the 85.6 ×
// 54 mm card, 2.9 mm Noto Sans CJK digits): the first digit's centre, and
// the digits' advance.
const (
	cnValidityX, cnValidityY = 31.8, 47.4
	cnValidityPitch          = 1.61
)

// validityLineCards finds lines of 8 to 24 glyphs (the validity period's
// digits) and returns, for the longest few in both reading directions,
// the card's quadrilateral that puts the line where the back prints it.
func validityLineCards(p *plane) [][4][2]float64 {
	var lines []textLine
	for _, l := range glyphLines(p, 8, 8) {
		if l.n <= 24 {
			lines = append(lines, l)
		}
	}
	// The period's line is the longest run of like glyphs on a back
	// (the title's characters are fewer and larger).
	slices.SortStableFunc(lines, func(a, b textLine) int { return b.n - a.n })
	var out [][4][2]float64
	for _, l := range lines[:min(len(lines), 3)] {
		for _, dir := range []textLine{l, l.reversed()} {
			ax, ay, _, _ := dir.centre(0)
			bx, by, _, _ := dir.centre(float64(dir.n - 1))
			mm := dir.pitch() / cnValidityPitch
			out = append(out, cardFromLine(ax, ay, bx, by, mm, cnValidityX, cnValidityY))
		}
	}
	return out
}

// quadMapping maps pixels of a w×h plane warped from quad q (of a plane
// at scale photo pixels per pixel) to the photo.
func quadMapping(q [4][2]float64, w, h int, scale float64) mapping {
	m := squareTo(q)
	return func(x, y float64) (float64, float64) {
		px, py := m.apply((x+0.5)/float64(w), (y+0.5)/float64(h))
		return px * scale, py * scale
	}
}

// Where the number sits on the front (millimetres of the 85.6 × 54 mm
// card): its first character's centre, and its length from the first
// centre to the last.
const (
	cnNumberX, cnNumberY = 31.1, 46.8
	cnNumberLen          = 17 * 2.3
)

// numberLineCards finds lines of 17 to 20 glyphs (the 18-character
// number) and returns, for each in both reading directions, the card's
// quadrilateral that puts the line where the front prints it.
func numberLineCards(p *plane) [][4][2]float64 {
	var out [][4][2]float64
	for _, l := range glyphLines(p, 15, 16) {
		if l.n < 17 || l.n > 20 || len(out) >= 4 {
			continue
		}
		for _, dir := range []textLine{l, l.reversed()} {
			ax, ay, _, _ := dir.centre(0)
			bx, by, _, _ := dir.centre(float64(dir.n - 1))
			out = append(out, cardFromNumber(ax, ay, bx, by))
		}
	}
	return out
}

// glyphLines returns the chains of at least minChain glyph-like
// components at every text angle of p (searched at half size on a large
// plane), in p's pixels; nil when p holds fewer than minGlyphs glyphs.
func glyphLines(p *plane, minGlyphs, minChain int) []textLine {
	loc, k := p, 1.0
	if max(p.w, p.h) > 1700 {
		loc, k = p.half(), 2
	}
	long := max(loc.w, loc.h)
	cs := glyphLike(components(binarise(loc, max(8, long/60)), loc.w, loc.h), 5, float64(long)/12)
	if len(cs) < minGlyphs {
		return nil
	}
	g := newGrid(cs, loc.w, loc.h, 24)
	var lines []textLine
	for _, deg := range textAngles(cs, g) {
		for _, l := range chains(cs, g, deg, minChain) {
			lines = append(lines, mrzCandidate{lines: []textLine{l}}.scaled(k).lines[0])
		}
	}
	return lines
}

// cardFromNumber returns the quadrilateral of the card (top-left,
// top-right, bottom-right, bottom-left) whose number's first character
// is centred at (ax, ay) and last at (bx, by), in the front's layout.
func cardFromNumber(ax, ay, bx, by float64) [4][2]float64 {
	return cardFromLine(ax, ay, bx, by, math.Hypot(bx-ax, by-ay)/cnNumberLen, cnNumberX, cnNumberY)
}

// cardFromLine returns the quadrilateral of the card (top-left,
// top-right, bottom-right, bottom-left) on which a line of text whose
// first glyph is centred at (ax, ay), running towards (bx, by), at mm
// pixels per millimetre, starts at (lx, ly) mm of the card.
func cardFromLine(ax, ay, bx, by, mm, lx, ly float64) [4][2]float64 {
	l := math.Hypot(bx-ax, by-ay)
	if l == 0 {
		l = 1
	}
	if mm <= 0 {
		mm = 1
	}
	ux, uy := (bx-ax)/l, (by-ay)/l
	vx, vy := -uy, ux
	ox := ax - lx*mm*ux - ly*mm*vx
	oy := ay - lx*mm*uy - ly*mm*vy
	w, h := 85.6*mm, 54*mm
	return [4][2]float64{
		{ox, oy}, {ox + w*ux, oy + w*uy},
		{ox + w*ux + h*vx, oy + w*uy + h*vy}, {ox + h*vx, oy + h*vy},
	}
}

// ocrbNumber is the front's number as readCNNumberOCRB read it on a
// card (readOCRBNumber), and its pattern when a glyph was too close to
// call.
type ocrbNumber struct {
	num, pattern string
	weak         string       // a valid number read with glyphs under cnSure (weakCNNumber)
	sc           []cellScores // the glyphs' scores, when the templates classified 18
	psc          []cellScores // the scores pattern was read from (sc's may be another threshold's)
	ok           bool
}

func readOCRBNumber(c *plane) ocrbNumber {
	n, _ := readCNNumberOCRB(c)
	return n
}

// readCNFront reads the front of an upright card into d and reports
// whether the number was found; ocrb is the number as readCNNumberOCRB
// read it on c. When the templates found a glyph too close to call,
// Tesseract's reading of the number must agree with theirs elsewhere.
func readCNFront(ctx context.Context, tp *tessPair, c *plane, ocrb ocrbNumber, d *kyc.DocumentRead, typedName string) bool {
	num, ok := ocrb.num, ocrb.ok
	var line *plane
	tessRead := false // Tesseract read a valid number, fitting or not
	if !ok {
		num, line, ok = numberLine(tp, c)
		if ok {
			_, err := cnid.Parse(num)
			tessRead = err == nil
		}
		ok = ok && (ocrb.pattern == "" || fitsDoubts(num, ocrb.pattern, ocrb.sc))
	}
	// A number whose check character alone vouches for a glyph or two
	// in doubt is read but not vouched for (numberVouched).
	doubted := ok && !numberVouched(tp, c, num, ocrb.sc, ocrb.ok, line)
	if !ok && ocrb.weak == "" {
		// Neither reader found a number: PaddleOCR's, vouched for
		// when the templates read the same but for a glyph.
		pn := paddlePhotoNumber(tp.rec, c)
		if pn != "" && (ocrb.pattern == "" || fitsDoubts(pn, ocrb.pattern, ocrb.sc)) {
			num, ok, doubted = pn, true, templatesDisagree(pn, ocrb.sc) > 1
		} else if n := oneDoubtNumber(ocrb.pattern, ocrb.psc); n != "" && pn == "" && !tessRead {
			// No other reader read a number, but the templates left
			// one glyph in doubt: the check character decides it,
			// and the number is vouched for as the templates' own
			// are (no two glyphs in doubt balance). A number another
			// reader read otherwise is evidence against it.
			num, ok = n, true
			doubted = balancedPair(n, glyphDoubts(n, ocrb.psc))
		}
	}
	weak := false
	if !ok && ocrb.weak != "" {
		// Neither reader vouches for a number, but the templates read
		// one that checks with a glyph or two lightened by a glare:
		// the front is read with it, not vouched for.
		num, ok, weak = ocrb.weak, true, true
	}
	if !ok {
		return false
	}
	d.Kind = kyc.ReadCNIDFront
	d.DocumentNumber = num
	retake := false
	if ctx.Err() == nil {
		tb := band(c, cnTextBlock)
		born := ""
		if n, err := cnid.Parse(num); err == nil {
			born = n.Birth.Format(time.DateOnly)
		}
		raw := bandCrop(c, cnTextBlock)
		fr, ok := frontLines(tp, tb, raw, c.h, born, typedName)
		if ok && cutAtValues(fr) && ctx.Err() == nil {
			// The block starts inside the values (a card framed from
			// its number line a little off): read again from a
			// character further left.
			wb := cnTextBlock
			wb[0] -= cnBlockWiden
			tb2 := band(c, wb)
			raw2 := bandCrop(c, wb)
			if fr2, ok2 := frontLines(tp, tb2, raw2, c.h, born, typedName); ok2 {
				fr, raw = fr2, raw2
			}
		}
		var lines []string
		birth := ""
		if ok {
			if l, ok := dropBlankBirthLine(fr.lines, fr.birth); ok {
				// The line read as the birth line holds nothing:
				// the next one, read as an address, is the birth
				// line (its digits as the English model's reading).
				fr.lines, fr.birth = l, l[2]
			} else if sp, ok := sexLineFirst(fr, c.h); ok && ctx.Err() == nil {
				// The first line read is the sex line: the name's
				// place added above it, the lines read again.
				fr = readFrontLines(tp, fr.tb, raw, sp, born, typedName)
			} else if sp, ok := placeLines(fr, c.h, born); ok && ctx.Err() == nil {
				// The birth line is elsewhere: the lines read again
				// in the places the layout gives them from it.
				fr = readFrontLines(tp, fr.tb, raw, sp, born, typedName)
			}
			lines, birth = fr.lines, fr.birth
			alts := fr.nameAlts
			parseLinesByPosition(lines, d)
			retake = shiftedLines(lines, birth) || !placesConfirmed(lines, birth) || nameShort(fr, c.w, len([]rune(d.Name)))
			if read := []rune(onlyHan(lines[0])); len(alts) == len(read) && strings.HasSuffix(string(read), d.Name) {
				// A caption dropped from the line: its characters'
				// alternatives with it.
				alts = alts[len(read)-len([]rune(d.Name)):]
			}
			d.NameAlternatives = alts
			if alts != nil && len(alts) != len([]rune(d.Name)) {
				d.NameAlternatives = allUncertain(d.Name)
			}
		} else {
			// Read whole, the name has no per-character confidence.
			parseFrontLines([]string{tp.chi.recognise(tb.pix, tb.w, tb.h, psmSingleBlock, "")}, d)
			d.NameAlternatives = allUncertain(d.Name)
			// Nor is the name's place confirmed when neither the sex
			// nor the birth date was read beside it (placesConfirmed).
			retake = d.Sex == "" && d.BirthDate == ""
		}
		if born != "" {
			d.BirthDate = pickBirth(d.BirthDate, birthDates(birth), born)
			if d.BirthDate != "" && d.BirthDate != born && ok && len(lines) > 2 && lostBirthDigit([]string{lines[2], birth}, born) {
				// The print shows the number's date but for one lost
				// digit: not a date that disagrees, nor one read (a
				// retake). A line that showed no date at all is filled
				// from the number by checkFront, as before.
				d.BirthDate, retake = born, true
			}
		}
	}
	if alt, open := provinceOpen(d.DocumentNumber, ocrb.sc, d.Address); open {
		// The number could be one of the address's province that the
		// check character cannot tell from it (provinceOpen).
		if alt != "" {
			d.DocumentNumber = alt
		}
		retake = true
	}
	checkFront(d)
	if retake || weak || doubted || len([]rune(d.Name)) < 2 || nameDoubtful(d.Name, d.NameAlternatives) || foreignAddress(d.Address) {
		// A front always prints a name of two characters or more
		// (a surname and a given name): fewer read is a retake, as is
		// one read with characters it may not print (nameDoubtful). An
		// address holding a run of Latin letters is not a front's
		// text block read in its place (foreignAddress).
		d.Readable = false
	}
	return true
}

// cnBlockWiden is how much further left, as a fraction of the card's
// width (about a character, 3.4 mm), the text block is read again when
// its values start at its edge (cutAtValues).
const cnBlockWiden = 0.04

// cutAtValues reports whether the front's text block, read into lines,
// starts inside the values: the name's ink and the value column
// (valueColumn) both at its left edge, where the card prints them a
// character's width in. The first character of each line may be
// outside the block (王婷霞 read 婷霞, 1970 read 970, on a card framed
// from its number line).
func cutAtValues(fr frontRead) bool {
	if len(fr.spans) == 0 || fr.tb == nil {
		return false
	}
	col, ok := valueColumn(fr.tb, fr.spans)
	x0, _, named := inkColumns(fr.tb, fr.spans[0][0], fr.spans[0][1])
	return ok && named && col <= 2 && x0 <= 2
}

// namesAgree reports whether a name read on another framing agrees with
// an earlier reading: the characters the earlier reading was sure of
// (its NameAlternatives) appear in name in the same order. The earlier
// reading may have dropped a character (a name short of its ink) or
// been unsure of any, so only its sure characters bind.
func namesAgree(earlier kyc.DocumentRead, name string) bool {
	later := []rune(name)
	j := 0
	for i, r := range []rune(earlier.Name) {
		if i < len(earlier.NameAlternatives) && earlier.NameAlternatives[i] != "" {
			continue
		}
		for j < len(later) && later[j] != r {
			j++
		}
		if j == len(later) {
			return false
		}
		j++
	}
	return true
}

// cnNumberOnly is the part of the number band right of its caption.
var cnNumberOnly = [4]float64{0.31, 0.74, 1, 1}

// readCNBack reads the validity period of an upright back into d and
// reports whether it was found; whole also searches the whole plane,
// valueTried skips the value line's reading (already tried).
func readCNBack(tp *tessPair, c *plane, d *kyc.DocumentRead, whole, valueTried bool) bool {
	var from, to string
	var long, ok, unsure bool
	if !valueTried {
		from, to, long, ok, unsure = readBackValue(tp, c)
	}
	if !ok {
		from, to, long, ok = readBackBands(tp, c, whole)
	}
	if !ok {
		return false
	}
	setBack(d, from, to, long)
	d.Readable = d.Readable && !unsure
	return true
}

// setBack fills d with a back's validity period. A card is never issued
// in the future: such a start date is a misread (a long-term card's
// period has no end to check it against: 2006 read as 2086 was vouched
// for on hard print), kept but not valid.
func setBack(d *kyc.DocumentRead, from, to string, long bool) {
	d.Kind = kyc.ReadCNIDBack
	d.IssueDate, d.ExpiryDate, d.LongTerm = from, to, long
	d.ChecksValid = (long || to > from) && from <= time.Now().UTC().AddDate(0, 0, 1).Format(time.DateOnly)
	d.Readable = d.ChecksValid
}

// readBackBands reads the back's lower bands (and the whole card when
// whole is set) as blocks of Chinese text and finds the validity period.
// A long-term period, which has no end date to check its start against,
// is accepted only when two bands' readings show the same start date.
func readBackBands(tp *tessPair, c *plane, whole bool) (from, to string, long, ok bool) {
	bands := [][4]float64{cnBackBand, cnBackWide}
	if whole {
		// The card was not found: the period may be anywhere.
		bands = append(bands, [4]float64{0, 0, 1, 1})
	}
	var longs []string
	for _, b := range bands {
		bb := band(c, b)
		from, to, long, ok = findValidity(tp.chi.recognise(bb.pix, bb.w, bb.h, psmSingleBlock, ""))
		switch {
		case ok && !long:
			return from, to, false, true
		case ok && slices.Contains(longs, from):
			return from, "", true, true
		case ok:
			longs = append(longs, from)
		}
	}
	return "", "", false, false
}

// digitLike maps the letters Tesseract confuses with digits in a field
// that holds only digits.
var digitLike = strings.NewReplacer("O", "0", "o", "0", "D", "0", "Q", "0", "I", "1", "l", "1", "|", "1",
	"Z", "2", "z", "2", "S", "5", "s", "5", "B", "8", "G", "6", "b", "6", "g", "9", "x", "X")

// findCNNumber finds an 18-character resident ID number in recognised
// text. Words that are mostly digits have their digit-like letters mapped
// back and are joined with their neighbours of the same kind (Tesseract
// may split a number); every 18-character window of such a run is tried,
// one passing MOD 11-2 first, else a run of exactly 18.
func findCNNumber(text string) (string, bool) {
	var fallback string
	for _, line := range strings.Split(text, "\n") {
		var runs []string
		cur := ""
		for _, w := range strings.Fields(line) {
			m := digitLike.Replace(strings.Map(dropPunct, w))
			if numeric(m) {
				cur += m
				continue
			}
			if cur != "" {
				runs = append(runs, cur)
			}
			cur = ""
		}
		if cur != "" {
			runs = append(runs, cur)
		}
		for _, run := range runs {
			for i := 0; i+18 <= len(run); i++ {
				w := run[i : i+18]
				if strings.IndexByte(w[:17], 'X') >= 0 {
					continue
				}
				if _, err := cnid.Parse(w); err == nil {
					return w, true
				}
			}
			if len(run) == 18 && fallback == "" {
				fallback = run
			}
		}
	}
	return fallback, fallback != ""
}

// dropPunct drops the marks noise and security patterns add to a word.
func dropPunct(r rune) rune {
	if strings.ContainsRune(".,-_°'\"“”‘’:;`~*", r) {
		return -1
	}
	return r
}

// numeric reports whether w is digits, with 'X' allowed last.
func numeric(w string) bool {
	for i := 0; i < len(w); i++ {
		if !(w[i] >= '0' && w[i] <= '9' || w[i] == 'X' && i == len(w)-1) {
			return false
		}
	}
	return w != ""
}

// Patterns of the front's lines, after spaces and stray quotes are
// removed.
var (
	cnStrip = strings.NewReplacer(" ", "", "\u3000", "", "“", "", "”", "", "\"", "", "'", "", "‘", "", "’", "",
		"|", "", ":", "", "：", "", "_", "", "、", "", "，", "", ",", "")
)

// cnLabels are the front's labels, in the card's order.
var cnLabels = []string{"姓名", "性别", "出生", "住址", "公民身份"}

// labelled returns the label the line carries and what follows it; noise
// may precede the label.
func labelled(l string) (string, string) {
	for _, lab := range cnLabels {
		if i := strings.Index(l, lab); i >= 0 && i <= 6 {
			return lab, l[i+len(lab):]
		}
	}
	return "", l
}

// parseCNFront fills name, sex, ethnicity, birth date and address from the
// text block's lines, by their labels.
func parseCNFront(text string, d *kyc.DocumentRead) {
	var addr []string
	inAddr := false
	for _, raw := range strings.Split(text, "\n") {
		l := cnStrip.Replace(strings.TrimSpace(raw))
		if l == "" {
			continue
		}
		lab, rest := labelled(l)
		switch lab {
		case "姓名":
			d.Name = onlyHan(rest)
		case "性别":
			sex, eth, _ := strings.Cut(rest, "民族")
			switch {
			case strings.Contains(sex, "男"):
				d.Sex = "M"
			case strings.Contains(sex, "女"):
				d.Sex = "F"
			}
			d.Ethnicity = ethnicity(onlyHan(eth))
		case "出生":
			if b, ok := looseDate(rest); ok {
				d.BirthDate = b
			}
		case "住址":
			addr = append(addr, addressPart(rest))
		case "":
			if inAddr {
				addr = append(addr, addressPart(rest))
			}
		}
		inAddr = lab == "住址" || lab == "" && inAddr
	}
	d.Address = strings.Join(addr, "")
	if d.Name == "" || d.BirthDate == "" || d.Sex == "" {
		parseCNFrontByOrder(text, d)
	}
}

var cnBirthLooseRe = regexp.MustCompile(`(\d{4})\D{1,6}?(\d{1,2})\D{1,6}?(\d{1,2})`)

// parseCNFrontByOrder fills what the labels did not give from the order
// of the lines, for a card whose light captions were not recognised: the
// name, the line with the sex and the ethnicity, the birth date, then the
// address.
func parseCNFrontByOrder(text string, d *kyc.DocumentRead) {
	var lines []string
	for _, raw := range strings.Split(text, "\n") {
		if onlyHan(raw) != "" || countDigits(raw) >= 4 {
			lines = append(lines, raw)
		}
	}
	birth := -1
	for i, l := range lines {
		if b, ok := looseDate(l); ok {
			if d.BirthDate == "" {
				d.BirthDate = b
			}
			birth = i
			break
		}
	}
	dated := birth >= 0
	if !dated {
		// No date recognised: the name and the sex line still lead.
		birth = min(len(lines), 2)
	}
	labels := strings.NewReplacer("姓名", "", "性别", "", "民族", "", "出生", "", "住址", "")
	for i, l := range lines[:birth] {
		h := onlyHan(labels.Replace(cnStrip.Replace(l)))
		switch {
		case strings.ContainsAny(h, "男女") && d.Sex == "":
			if strings.Contains(h, "男") {
				d.Sex = "M"
			} else {
				d.Sex = "F"
			}
			if d.Ethnicity == "" {
				d.Ethnicity = ethnicity(strings.NewReplacer("男", "", "女", "").Replace(h))
			}
		case i == 0 && d.Name == "" && h != "":
			d.Name = h
		}
	}
	if d.Address == "" && dated {
		var addr []string
		for _, l := range lines[birth+1:] {
			if countDigits(l) >= 15 {
				break // the number line
			}
			addr = append(addr, addressPart(labels.Replace(cnStrip.Replace(l))))
		}
		d.Address = strings.Join(addr, "")
	}
}

// looseDate finds a year, month and day separated by anything short in
// a line: as read, then with 了 (which Tesseract reads for a 7) as 7.
func looseDate(l string) (string, bool) {
	l = digitLike.Replace(l)
	for _, c := range []string{l, strings.ReplaceAll(l, "了", "7")} {
		for _, m := range cnBirthLooseRe.FindAllStringSubmatch(c, -1) {
			if t, err := time.Parse("2006-1-2", m[1]+"-"+m[2]+"-"+m[3]); err == nil {
				return t.Format(time.DateOnly), true
			}
		}
	}
	return "", false
}

func countDigits(s string) int {
	n := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			n++
		}
	}
	return n
}

// addressPart keeps the Han characters, letters and digits of an address
// line, and hyphens between digits (building-unit-room).
func addressPart(s string) string {
	rs := []rune(s)
	var b strings.Builder
	for i, r := range rs {
		switch {
		case unicode.Is(unicode.Han, r), r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(r)
		case r == '-' && i > 0 && i+1 < len(rs) && unicode.IsDigit(rs[i-1]) && unicode.IsDigit(rs[i+1]):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// cnEthnicities are the 56 ethnic groups recognised by the state, as
// printed on the card.
var cnEthnicities = strings.Fields(`汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲
	高山 拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克
	俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺`)

// ethnicity returns the longest ethnic group named in s (noise from a
// caption may precede it), or s when none is.
func ethnicity(s string) string {
	best := ""
	for _, e := range cnEthnicities {
		if strings.Contains(s, e) && len(e) > len(best) {
			best = e
		}
	}
	if best == "" {
		return s
	}
	return best
}

var cnValidityRe = regexp.MustCompile(`(\d{4})\.?(\d{2})\.?(\d{2})[-—–~至]+(?:(\d{4})\.?(\d{2})\.?(\d{2})|(长期))`)

// findValidity finds "YYYY.MM.DD-YYYY.MM.DD" or "YYYY.MM.DD-长期".
func findValidity(text string) (from, to string, longTerm, ok bool) {
	for _, raw := range strings.Split(text, "\n") {
		l := digitLike.Replace(cnStrip.Replace(raw))
		l = strings.NewReplacer("·", ".", "。", ".", ",", ".").Replace(l)
		m := cnValidityRe.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		f, err := time.Parse("20060102", m[1]+m[2]+m[3])
		if err != nil {
			continue
		}
		if m[7] != "" {
			return f.Format(time.DateOnly), "", true, true
		}
		e, err := time.Parse("20060102", m[4]+m[5]+m[6])
		if err != nil || !legalPeriod(f, e) {
			continue
		}
		return f.Format(time.DateOnly), e.Format(time.DateOnly), false, true
	}
	return "", "", false, false
}

// onlyHan keeps the Han characters (and the middle dot of transcribed
// names) of s.
func onlyHan(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Han, r) || r == '·' {
			return r
		}
		return -1
	}, s)
}
