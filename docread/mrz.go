package docread

import (
	"context"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/kycq/kycq/kyc"
)

// mrzHit is an MRZ located and recognised on a plane.
type mrzHit struct {
	kind  string
	lines []string
	fixed int // cells changed by the check-digit repair
	// raw is the reading before any repair: each cell's best admitted
	// character.
	raw []string
	// confirm lists the cells of every check field a check-digit repair
	// changed, while the zone waits for a second reading to agree on
	// them (pending); nil otherwise.
	confirm [][2]int
	score   float64       // mean correlation of the chosen characters
	zone    [4][2]float64 // in the sampled plane's pixels
	data    kyc.DocumentRead
	// partial: read on lines projected from a whole one (groupMRZ)
	partial bool
	// floor are the cells' scores with the templates for the glyphs'
	// size (floorScores), line by line: what disputes weighs.
	floor [][]cellScores
	// confident: every line and cell scored above the floors of a
	// reading recognised with confidence (minLineScore, minCellScore)
	confident bool
	// repaired is, for a zone not Readable whose check digits a repair
	// could make hold, the reading with that repair (decodeMRZ as for a
	// zone recognised with confidence, then weakNameFillers): what
	// settle reports of the zone when it is the retake reported. Nil
	// otherwise.
	repaired []string
	// shapes are, for a zone not Readable, the glyph shapes of its key
	// cells read as a letter of shapePairs with the other close
	// (retakeShapes): what voted holds a change within a pair to.
	shapes map[[2]int]cellShape
}

// locateMRZ finds MRZ-shaped line groups on loc. Coordinates are in loc's
// pixels. Ink is first what is darker than 0.62 of its neighbourhood's
// mean; when that finds no zone, what is darker than glareInkPct percent
// of it: a glare patch lifts the print under it (ink 130-150 on paper
// 250), and at 0.62 its glyphs break up or vanish, so that no line
// chains to half its format.
func locateMRZ(loc *plane) []mrzCandidate {
	if out := locateMRZAt(loc, 62); len(out) > 0 {
		return out
	}
	return locateMRZAt(loc, glareInkPct)
}

// glareInkPct is the ink threshold of locateMRZ's second pass, in
// percent of the neighbourhood's mean.
const glareInkPct = 80

// locateMRZAt is locateMRZ with ink darker than pct percent of its
// neighbourhood's mean.
func locateMRZAt(loc *plane, pct uint32) []mrzCandidate {
	long := max(loc.w, loc.h)
	r := max(8, long/60)
	ink := binariseAt(loc, r, pct)
	cs := glyphLike(components(ink, loc.w, loc.h), 5, float64(long)/12)
	if len(cs) < 40 {
		return nil
	}
	g := newGrid(cs, loc.w, loc.h, 24)
	var out []mrzCandidate
	angles := textAngles(cs, g)
	for _, deg := range angles {
		out = append(out, groupMRZ(mrzLines(cs, g, deg, 26), false)...)
	}
	if len(out) == 0 {
		// No zone whose every line chained whole: under a security
		// background or a glare patch, a run of fillers may break off
		// a line. Lines of at least half the format beside a whole
		// one are taken on its grid.
		for _, deg := range angles {
			out = append(out, groupMRZ(mrzLines(cs, g, deg, 18), true)...)
		}
	}
	return out
}

// scaled maps a candidate located on a plane reduced by k (k pixels of
// the sampled plane per located pixel, box-filtered) to the sampled
// plane.
func (c mrzCandidate) scaled(k float64) mrzCandidate {
	if k == 1 {
		return c
	}
	off := (k - 1) / 2
	out := mrzCandidate{lines: make([]textLine, len(c.lines)), partial: c.partial}
	for i, l := range c.lines {
		out.lines[i] = textLine{x0: l.x0*k + off, y0: l.y0*k + off, ux: l.ux * k, uy: l.uy * k, ax: l.ax * k, ay: l.ay * k, n: l.n, v: l.v * k}
	}
	return out
}

// lineThreshold is the luma halfway between the ink and the paper of a
// line: the 5th and 90th percentiles of samples over its cells.
func lineThreshold(p *plane, l textLine) float64 {
	var vals []float64
	for i := 0; i < l.n; i++ {
		cx, cy, ux, uy := l.centre(float64(i))
		for a := -2; a <= 2; a++ {
			for b := -2; b <= 2; b++ {
				s, t := float64(a)*0.2, float64(b)*0.25
				vals = append(vals, p.at(cx+s*ux-t*uy, cy+s*uy+t*ux))
			}
		}
	}
	slices.Sort(vals)
	return (vals[len(vals)*5/100] + vals[len(vals)*90/100]) / 2
}

// recogniseMRZ classifies every cell of the candidate in both reading
// directions and keeps the better; it returns false when the zone does
// not look like OCR-B text.
func recogniseMRZ(ctx context.Context, p *plane, c mrzCandidate, now time.Time) (mrzHit, bool) {
	cells := 0
	for _, sh := range mrzShapes {
		if sh.lines == len(c.lines) && snapCells(c.lines[0].n) == sh.cells {
			cells = sh.cells
		}
	}
	if cells == 0 {
		return mrzHit{}, false
	}
	best, found := recogniseCells(ctx, p, c, cells, now)
	if found && cells == 36 && (!best.data.ChecksValid || passportCode(best.lines)) && ctx.Err() == nil {
		// Two lines of 36 cells whose checks fail may be a passport's
		// two lines of 44 with 8 cells lost to the locator (a glare patch
		// over one end: dev seeds 45 and 50 read a TD3 as a TD2). So may
		// two whose checks hold but whose code is a passport's: a
		// passport's first 36 cells of each line meet a TD2's check
		// digits whenever its optional data is fillers (worth 0, so the
		// composites are equal) and its composite was read in the 36th
		// cell (dev seed 143's 0058, 123's 0046). Read them again
		// longer at each end, by 8 cells or by what the line lacks of
		// 44 (a line fitted to 35 cells), the recogniser choosing the
		// 44-cell window, and keep that reading only if its checks all
		// hold.
		ext := mrzCandidate{lines: make([]textLine, len(c.lines)), partial: c.partial}
		for i, l := range c.lines {
			e := max(44-36, 44-l.n)
			ext.lines[i] = l.sub(-float64(e), l.n+2*e)
		}
		if h, ok := recogniseCells(ctx, p, ext, 44, now); ok && h.data.ChecksValid {
			best = h
		}
	}
	if found && len(c.lines) == 2 && !best.data.Readable && ctx.Err() == nil {
		// One of a two-line zone's lines fitted to another grid than the
		// other (a speck before the code chained on, dev seed 140's TD3
		// 0071: its name line a cell off on the photo, 45 cells over 44
		// glyphs on the card) is read again on the other's grid, moved
		// across onto it; that reading is kept only when it is Readable.
		for i := range c.lines {
			ls, ok := regridPair(c.lines, i)
			if !ok {
				break
			}
			if h, ok := recogniseCells(ctx, p, mrzCandidate{lines: ls, partial: c.partial}, cells, now); ok && h.data.Readable {
				best = h
				break
			}
		}
	}
	if found && cells == 30 && !best.data.Readable && ctx.Err() == nil {
		// One of a TD1's three lines fitted to another pitch than the
		// two others (a speck or a security line chained on: dev seed
		// 73 read a second line a cell off, garbled) is read again on
		// the grid the two others give it. That reading is kept when it
		// is Readable, or when its checks all hold and the first's did
		// not (a garbled name line breaks no check digit, only the
		// name's grammar and the rules of Readable).
		if ls, ok := regridLine(c.lines); ok {
			if h, ok := recogniseCells(ctx, p, mrzCandidate{lines: ls, partial: c.partial}, 30, now); ok && (h.data.Readable || h.data.ChecksValid && !best.data.ChecksValid) {
				best = h
			}
		}
	}
	return best, found
}

// passportCode reports whether a reading's document code starts as a
// passport's (codeFirst), which no TD2 admits.
func passportCode(lines []string) bool {
	return len(lines) > 0 && len(lines[0]) > 0 && strings.IndexByte(codeFirst[kyc.ReadTD3], lines[0][0]) >= 0
}

// Pitches of a zone's lines (regridLine): two lines agreeing within
// pitchAgree of their mean give the grid of a third that differs from it
// by more than pitchOff.
const (
	pitchAgree = 0.01
	pitchOff   = 0.025
)

// regridLine returns the three lines of a TD1 with the one whose pitch
// is off the two others' (by pitchOff) replaced by the line they give it:
// the mean of the first and last line for the middle one, or the middle
// line continued by the same step for an outer one. MRZ lines are printed
// on one grid (ICAO 9303: the same pitch, each line's first cell above
// the other's, evenly spaced), which a photo's perspective keeps nearly
// linear over three lines. The two others must agree: the same pitch
// (within pitchAgree), 30 cells each and starting within a quarter pitch
// of each other along the line. It returns false when no line is off or
// the two others do not agree.
func regridLine(ls []textLine) ([]textLine, bool) {
	if len(ls) != 3 {
		return nil, false
	}
	for i := range ls {
		j, k := (i+1)%3, (i+2)%3
		a, b := ls[min(j, k)], ls[max(j, k)]
		pa, pb := a.pitch(), b.pitch()
		mean := (pa + pb) / 2
		if a.n != 30 || b.n != 30 || math.Abs(pa-pb) > pitchAgree*mean || math.Abs(ls[i].pitch()-mean) <= pitchOff*mean {
			continue
		}
		// Cell 0 of a and b must lie across the line from each other.
		ax, ay, ux, uy := a.centre(0)
		bx, by, _, _ := b.centre(0)
		if math.Abs((bx-ax)*ux+(by-ay)*uy)/math.Hypot(ux, uy) > mean/4 {
			continue
		}
		out := slices.Clone(ls)
		if i == 1 {
			out[1] = lineMix(a, b, 0.5, 0.5)
		} else {
			// Outer line i: continue from the middle line away from the
			// other outer one (i = 0: 2·ls[1] − ls[2]; i = 2: 2·ls[1] − ls[0]).
			out[i] = lineMix(ls[1], ls[2-i], 2, -1)
		}
		return out, true
	}
	return nil, false
}

// regridPair returns the two lines of a zone with line i replaced by
// the other line moved across onto it (its cells, pitch and start kept),
// when the two lines disagree by a quarter pitch: their first cells
// that far apart along the line, or their pitches so far apart that
// their last cells are (45 cells fitted over 44 glyphs are 0.98 of a
// pitch apart there). MRZ lines are printed on one grid, each line's
// first cell above the other's (ICAO 9303). It returns false when the
// lines agree.
func regridPair(ls []textLine, i int) ([]textLine, bool) {
	if len(ls) != 2 || i < 0 || i > 1 {
		return nil, false
	}
	a, b := ls[1-i], ls[i]
	pa, pb := a.pitch(), b.pitch()
	ax, ay, ux, uy := a.centre(0)
	bx, by, _, _ := b.centre(0)
	along := math.Abs((bx-ax)*ux+(by-ay)*uy) / math.Hypot(ux, uy)
	quarter := (pa + pb) / 8
	if pa == 0 || math.Abs(pa-pb)*float64(max(a.n, b.n)-1) <= quarter && along <= quarter {
		return nil, false
	}
	// The distance across from a to b's middle cell, at the cell of a
	// nearest it.
	mx, my, _, _ := b.centre(float64(b.n-1) / 2)
	t := ((mx-ax)*ux + (my-ay)*uy) / (ux*ux + uy*uy)
	cx, cy, vx, vy := a.centre(t)
	n := math.Hypot(vx, vy)
	d := ((mx-cx)*-vy + (my-cy)*vx) / n
	out := slices.Clone(ls)
	moved := a
	moved.x0, moved.y0 = a.x0+d*-vy/n, a.y0+d*vx/n
	moved.v = b.v
	out[i] = moved
	return out, true
}

// lineMix returns the line s·a + t·b, parameter by parameter, with 30
// cells.
func lineMix(a, b textLine, s, t float64) textLine {
	return textLine{
		x0: s*a.x0 + t*b.x0, y0: s*a.y0 + t*b.y0,
		ux: s*a.ux + t*b.ux, uy: s*a.uy + t*b.uy,
		ax: s*a.ax + t*b.ax, ay: s*a.ay + t*b.ay,
		n: 30, v: s*a.v + t*b.v,
	}
}

// recogniseCells is recogniseMRZ for a zone of lines of the given
// number of cells.
func recogniseCells(ctx context.Context, p *plane, c mrzCandidate, cells int, now time.Time) (mrzHit, bool) {
	// Try first the reading direction a third of the cells prefer; the
	// other only if the first does not verify.
	order := []bool{false, true}
	if quickScore(p, c.lines, true) > quickScore(p, c.lines, false) {
		order = []bool{true, false}
	}
	var best mrzHit
	found := false
	for _, reverse := range order {
		if ctx.Err() != nil || found && best.data.ChecksValid {
			break
		}
		lines := directed(c.lines, reverse)
		sc := make([][]cellScores, len(lines))
		var total float64
		confident := true
		var fit printFit
		tracked := false
		for i, l := range lines {
			var s float64
			var w lineWindows
			w, fit = scoreWindows(p, l, cells, fit)
			sc[i], lines[i], s = w.choose(i, len(lines), cells, sc)
			if ws, wl, ms, ok := widened(p, l, i, len(lines), cells, fit, sc, sc[i]); ok {
				sc[i], lines[i], s = ws, wl, ms
			}
			if trackLines && s < unsure {
				// Cells the grid cannot centre (mrztrack.go): the
				// line read with its phase carried from glyph to
				// glyph, kept when it scores higher. The line then
				// carries where each cell was read, so the later
				// rules sample the cells the reading was made on.
				if tsc, tl, ts, ok := scoreLineTracked(p, l, cells, fit); ok && ts > s {
					sc[i], lines[i], s, tracked = tsc, tl, ts, true
				}
			}
			total += s
			confident = confident && s >= minLineScore && minCell(sc[i]) >= minCellScore
		}
		mean := total / float64(len(lines))
		if mean < 0.45 || (found && mean <= best.score) {
			continue
		}
		kind := kindOf(len(lines), cells, &sc[0][0])
		text, fixed := decodeMRZ(kind, sc, confident)
		raw := text
		if fixed > 0 {
			raw, _ = decodeMRZ(kind, sc, false)
		}
		best = mrzHit{kind: kind, lines: text, raw: raw, fixed: fixed, score: mean, zone: zoneOf(lines, cells), partial: c.partial}
		best.data = mrzRead(kind, text, now)
		// A zone is readable when its check digits hold on characters
		// recognised with confidence: check digits alone can be met by
		// chance on a misread line. The rules that hold a score to a
		// floor (a faint character's, a character's over a filler) take
		// the scores of the small glyphs' own templates, the floors'
		// scale, when the zone was read with blurrier ones (bestBlur):
		// a blurrier template correlates better with any blurred glyph,
		// the wrong ones included.
		floor := floorScores(p, lines, fit, sc)
		readable := best.data.ChecksValid && confident && !(tracked && !vouchTracked) && !ambiguous(kind, sc, text) && nameGrammar(kind, text) && issuerFormed(text[0]) && !washedOut(p, kind, lines, text, floor) && !weakOverFiller(kind, floor, text) && !(checkFillerDigits && fillerDigit(kind, floor, text)) && !weakLetter(kind, floor, text) && codeCertain(kind, floor, text) && !(checkShapes && shapeDoubt(p, kind, lines, fit, text, floor)) && !(checkSecond && (secondLook(p, kind, lines, fit, sc, text, raw) || secondLookLetters(p, kind, lines, fit, floor, text)))
		best.floor, best.confident = floor, confident
		best = best.vouched(readable, now)
		if !best.data.Readable && !best.pending() {
			best = best.nameFillers(floor, now)
			if checkGridFillers {
				best = best.gridFillers(p, lines, fit, now)
			}
			best.repaired = retakeRepair(kind, sc, best.floor, best.lines)
		}
		if !best.data.Readable && checkVoteShapes {
			best.shapes = retakeShapes(p, kind, lines, fit, floor, best.lines, best.raw)
		}
		found = true
	}
	return best, found
}

// vouched returns h, read and repaired by its check digits, with the
// rules of Readable applied: readable says whether it met them all (its
// check digits hold on characters recognised with confidence, uniquely,
// none washed out). A zone a check-digit repair changed then waits for a
// second reading to agree (pending, readMRZ): the repair chose a cell by
// the check digit, which then no longer checks it (a number vouched for
// wrong on the held-out seed 20280202 had a misread cell and a repaired
// one that met the check digit and the composite together). A repaired
// zone that is not readable is chosen among planes and disputed as seen:
// a repair the scores do not single out is a guess, not a reading (the
// retake reported then carries it, retakeRepair, not vouched for).
func (h mrzHit) vouched(readable bool, now time.Time) mrzHit {
	h.data.Readable = readable
	if readable {
		if f := repairedFields(h.kind, h.raw, h.lines); len(f) > 0 {
			h.confirm = f
			h.data.Readable = false
		}
	}
	if !h.data.Readable && h.fixed > 0 && h.confirm == nil {
		return h.unrepaired(now)
	}
	return h
}

// nameFillers returns h, not Readable, with the letters of its name that
// are weak over a filler read as fillers (weakNameFillers), in the
// reading and in the reading before any repair alike.
func (h mrzHit) nameFillers(sc [][]cellScores, now time.Time) mrzHit {
	lines, n := weakNameFillers(h.kind, sc, h.lines)
	if n == 0 {
		return h
	}
	h.lines = lines
	h.raw, _ = weakNameFillers(h.kind, sc, h.raw)
	h.data = mrzRead(h.kind, h.lines, now)
	h.data.Readable = false
	return h
}

// retakeRepair returns the reading of a zone that is not Readable (sc
// its scores, floor the glyph size's, text what it reports) repaired by
// its check digits as a zone recognised with confidence would be
// (decodeMRZ, then weakNameFillers as nameFillers does), when the repair
// changed a cell and the result differs from text; nil otherwise.
//
// A retake is reported as seen (vouched, unrepaired): the repair is not
// vouched for. But what it reports is what an application shows and
// what a retake's reading is compared with: on hard print (dev seeds
// 160-162) a number's 1 read T, an F read E and a 0 read O, and a
// birth date's 1 read 7, each failing its check digit on every plane,
// were reported so, while the repair the check digit and the cell's
// scores single out (repair: the cheapest substitution among close
// alternatives, none other nearly as cheap) read them as printed.
// Readable does not change: it is decided before, on the reading as
// seen.
func retakeRepair(kind string, sc, floor [][]cellScores, text []string) []string {
	rep, n := decodeMRZ(kind, sc, true)
	if n == 0 {
		return nil
	}
	rep, _ = weakNameFillers(kind, floor, rep)
	if slices.Equal(rep, text) {
		return nil
	}
	return rep
}

// reportRepaired turns the reporting of a retake's repair (retakeRepair)
// on; the tests turn it off to count what it changes.
var reportRepaired = true

// withRepair returns h, not Readable, as its repaired reading
// (retakeRepair) when it has one: still not Readable.
func (h mrzHit) withRepair(now time.Time) mrzHit {
	if !reportRepaired || h.data.Readable || h.repaired == nil {
		return h
	}
	h.lines, h.repaired = h.repaired, nil
	h.data = mrzRead(h.kind, h.lines, now)
	h.data.Readable = false
	return h
}

// pending reports a zone that met every rule of Readable but was
// repaired by check digits: it waits for a second reading (confirms).
func (h mrzHit) pending() bool { return h.confirm != nil }

// unrepaired returns h as seen, before any repair: not Readable.
func (h mrzHit) unrepaired(now time.Time) mrzHit {
	h.lines, h.fixed, h.confirm = h.raw, 0, nil
	h.data = mrzRead(h.kind, h.raw, now)
	h.data.Readable = false
	return h
}

// repairedFields returns the cells of each check field (the first that
// covers the cell, the composite last) in which the check-digit repair
// changed a cell: raw is the reading before any repair, text after.
// Cells the name's grammar changed (fillName) are in no check field and
// need no second reading: no letter can be printed there.
func repairedFields(kind string, raw, text []string) [][2]int {
	fields := checkFields[kind]
	var out [][2]int
	done := make([]bool, len(fields))
	for i := range text {
		for j := range text[i] {
			if raw[i][j] == text[i][j] {
				continue
			}
			for k, f := range fields {
				if !slices.Contains(f.positions(), [2]int{i, j}) {
					continue
				}
				if !done[k] {
					done[k] = true
					out = append(out, f.positions()...)
				}
				break
			}
		}
	}
	return out
}

// confirms reports whether o, read on another plane (the straightened
// card, the photo), agrees with the repaired zone h on every cell of the
// fields h's repair changed, on the characters o saw before any repair
// of its own: a second reading that needed the same repair is no second
// opinion.
func confirms(h, o mrzHit) bool {
	if !h.pending() || o.kind != h.kind || len(o.raw) != len(h.lines) {
		return false
	}
	for _, p := range h.confirm {
		if p[0] >= len(o.raw) || p[1] >= len(o.raw[p[0]]) || o.raw[p[0]][p[1]] != h.lines[p[0]][p[1]] {
			return false
		}
	}
	return true
}

// directed returns the lines in reading order: as located, or all
// reversed (the zone upside down).
func directed(ls []textLine, reverse bool) []textLine {
	lines := slices.Clone(ls)
	if reverse {
		slices.Reverse(lines)
		for i, l := range lines {
			lines[i] = l.reversed()
		}
	}
	return lines
}

// quickScore is the mean best correlation of every third cell of the
// zone read in one direction.
func quickScore(p *plane, ls []textLine, reverse bool) float64 {
	var sum float64
	n := 0
	var g glyph
	var sc cellScores
	for _, l := range directed(ls, reverse) {
		thr := lineThreshold(p, l)
		for i := 0; i < l.n; i += 3 {
			x, y, ux, uy := l.centre(float64(i))
			if f := (cellFrame{cx: x, cy: y, ux: ux, uy: uy, vx: -uy, vy: ux}); sampleGlyph(p, f, thr, &g) {
				scoresAt(f, &g, &sc)
				sum += float64(slices.Max(sc[:]))
			}
			n++
		}
	}
	return sum / float64(max(1, n))
}

// scoreLine samples and scores the cells of a line, choosing which cells
// of the fitted grid are the zone's when the fit counted one more or one
// fewer: the window with the best mean score. It returns the scores, the
// line starting at the chosen first cell with exactly cells cells, and the
// mean score.
func scoreLine(p *plane, l textLine, cells int) ([]cellScores, textLine, float64) {
	sc, out, mean, _ := scoreLineAt(p, l, cells, printFit{})
	return sc, out, mean
}

// printFit is how a zone's print is matched: the glyph scale (pitches
// per template unit) and the template set (nil: the set for the glyph's
// size, scoresAt). The lines of one zone share their print.
type printFit struct {
	scale float64
	ts    []template
}

// scoreLineAt is scoreLine with the print fit; a zero fit is measured on
// the line (bestScale, then bestBlur). It also returns the fit used.
func scoreLineAt(p *plane, l textLine, cells int, fit printFit) ([]cellScores, textLine, float64, printFit) {
	w, fit := scoreWindows(p, l, cells, fit)
	bo, bs := bestWindow(w.best, cells)
	return w.all[bo : bo+cells], w.l.sub(float64(bo+w.lo), cells), bs / float64(cells), fit
}

// scoreWindows samples and scores every cell of a line's fit (and, when
// the fit counted fewer than cells, the cells it lacks at each end): the
// windows scoreLineAt chooses among. A zero fit is measured on the line.
func scoreWindows(p *plane, l textLine, cells int, fit printFit) (lineWindows, printFit) {
	lo, hi := min(0, l.n-cells), max(0, l.n-cells)
	n := cells + hi - lo
	thr := lineThreshold(p, l)
	if fit.scale <= 0 {
		fit.scale = bestScale(p, l, thr, glyphScale(p, l, thr)/refHeight)
		fit.ts = bestBlur(p, l, thr, fit.scale)
	}
	g := fit.scale
	all := make([]cellScores, n)
	best := make([]float64, n)
	for k := 0; k < n; k++ {
		x, y, ux, uy := l.centre(float64(k + lo))
		ux, uy = g*ux, g*uy
		f := cellFrame{cx: x, cy: y, ux: ux, uy: uy, vx: -uy, vy: ux}
		if classifyWith(p, f, thr, fit.ts, &all[k]) {
			best[k] = float64(slices.Max(all[k][:]))
		}
	}
	return lineWindows{l: l, lo: lo, all: all, best: best}, fit
}

// bestWindow returns the first of the cells consecutive cells whose
// best scores sum highest, and that sum.
func bestWindow(best []float64, cells int) (int, float64) {
	bo, bs := 0, math.Inf(-1)
	for o := 0; o+cells <= len(best); o++ {
		var s float64
		for k := o; k < o+cells; k++ {
			s += best[k]
		}
		if s > bs {
			bo, bs = o, s
		}
	}
	return bo, bs
}

// trackLines enables trackCells (a switch for tests and comparisons).
var trackLines = true

// vouchTracked lets a zone with a tracked line be Readable when every
// rule holds on the cells where they were read (a switch for tests and
// comparisons: off, such a zone is always a retake).
var vouchTracked = true

// floorScores returns the scores of the zone's cells (lines as read,
// at fit's scale) with the template set for the glyphs' size: sc itself
// when the zone was read with that set.
func floorScores(p *plane, lines []textLine, fit printFit, sc [][]cellScores) [][]cellScores {
	if fit.ts == nil {
		return sc
	}
	out := make([][]cellScores, len(lines))
	for i, l := range lines {
		thr := lineThreshold(p, l)
		out[i] = make([]cellScores, l.n)
		for k := 0; k < l.n; k++ {
			x, y, ux, uy := l.centre(float64(k))
			ux, uy = fit.scale*ux, fit.scale*uy
			classify(p, cellFrame{cx: x, cy: y, ux: ux, uy: uy, vx: -uy, vy: ux}, thr, &out[i][k])
		}
	}
	return out
}

// bestBlur returns the template set a zone of small glyphs (under
// smallGlyph pixels per pitch at scale g) is read with: of blurSets, the
// one whose best correlations over every second cell of the line have
// the highest mean, when it leads blurredTemplates' by blurGain; nil
// (the set for the glyph's size) otherwise. Hard print (a laminate, JPEG
// 40-60 at ~12 pixels per pitch) blurs some zones more than the small
// glyphs' templates are blurred, and there a D's straight side and an
// O's curve, a 0's and an O's width, fit the wrong template.
func bestBlur(p *plane, l textLine, thr, g float64) []template {
	if math.Hypot(l.ux, l.uy)*g >= smallGlyph {
		return nil
	}
	sums := make([]float64, len(blurSets))
	var gl glyph
	var sc cellScores
	n := 0
	for i := 0; i < l.n; i += 2 {
		x, y, ux, uy := l.centre(float64(i))
		ux, uy = g*ux, g*uy
		f := cellFrame{cx: x, cy: y, ux: ux, uy: uy, vx: -uy, vy: ux}
		if !sampleGlyph(p, f, thr, &gl) {
			continue
		}
		for k, ts := range blurSets {
			scoresWith(ts, &gl, &sc)
			sums[k] += float64(slices.Max(sc[:]))
		}
		n++
	}
	best := 0
	for k := range sums {
		if sums[k] > sums[best] {
			best = k
		}
	}
	if best == 0 || n == 0 || (sums[best]-sums[0])/float64(n) < blurGain {
		return nil
	}
	return blurSets[best]
}

// blurGain is the least mean gain in correlation for which bestBlur
// reads a zone with blurrier templates than blurredTemplates.
const blurGain = 0.005

// bestScale refines the measured glyph scale g: of g and four scales
// within ±10% of it, the one whose every fourth cell correlates best with
// the templates (letters and digits differ in height, so the measure is
// biased by the line's content); then the scales 2.5% either side of
// that one, and the vertex of the parabola through the best three. The
// narrow and wide classes (0 and O, 1 and I) are told apart by a few
// percent of width, finer than the first steps.
func bestScale(p *plane, l textLine, thr, g float64) float64 {
	var sc cellScores
	var gl glyph
	score := func(k float64) float64 {
		var sum float64
		for i := 1; i < l.n; i += 4 {
			x, y, ux, uy := l.centre(float64(i))
			ux, uy = k*g*ux, k*g*uy
			if f := (cellFrame{cx: x, cy: y, ux: ux, uy: uy, vx: -uy, vy: ux}); sampleGlyph(p, f, thr, &gl) {
				scoresAt(f, &gl, &sc)
				sum += float64(slices.Max(sc[:]))
			}
		}
		return sum
	}
	best, bestScore := 1.0, math.Inf(-1)
	for _, k := range []float64{1, 0.95, 1.05, 0.9, 1.1} {
		if s := score(k); s > bestScore {
			best, bestScore = k, s
		}
	}
	const d = 0.025
	lo, hi := score(best-d), score(best+d)
	k := best
	switch {
	case lo > bestScore && lo >= hi:
		k = best - d
	case hi > bestScore:
		k = best + d
	default:
		// The vertex of the parabola through the three, within ±d.
		if den := lo - 2*bestScore + hi; den < 0 {
			k = best + math.Max(-d, math.Min(d, d*(lo-hi)/(2*den)))
		}
	}
	return k * g
}

// refHeight is glyphScale of OCR-B printed at its own advance (the
// templates' scale), measured on renderings (TestGlyphScale).
const refHeight = 1.0

// glyphScale measures the height of the line's tall characters in
// pitches: at every cell, the run of rows across the line holding ink
// (darker than halfway between the cell's darkest and lightest samples)
// that contains the line's centre, or starts nearest to it; the median of
// the taller half of the cells (fillers are shorter). Documents print
// OCR-B between 2 and 3 mm high at a 2.54 mm pitch, so the glyphs' scale
// is measured, not assumed from the pitch. The threshold is the cell's
// own, so a shadow across the zone does not count as ink, and the run
// stops at the blank between lines, so a neighbouring line close by (a
// camera tilted about the lines' axis) is not counted either. A cell
// with nothing darker than thr, the line's threshold, has no ink.
func glyphScale(p *plane, l textLine, thr float64) float64 {
	const steps = 24 // samples per pitch across the line
	const reach = 30 // rows each side: 1.25 pitches
	var ext []float64
	var dark [2*reach + 1]float64
	for i := 0; i < l.n; i++ {
		cx, cy, ux, uy := l.centre(float64(i))
		lo, hi := math.Inf(1), math.Inf(-1)
		for j := -reach; j <= reach; j++ {
			t := float64(j) / steps
			d := math.Inf(1)
			for a := -3; a <= 3; a++ {
				s := float64(a) * 0.1
				d = math.Min(d, p.at(cx+s*ux-t*uy, cy+s*uy+t*ux))
			}
			dark[j+reach] = d
			lo, hi = math.Min(lo, d), math.Max(hi, d)
		}
		if lo >= thr || hi-lo < 16 {
			continue
		}
		mid := (lo + hi) / 2
		// The ink row nearest the centre, then its run.
		c := -1
		for k := 0; k <= reach && c < 0; k++ {
			if dark[reach+k] < mid {
				c = reach + k
			} else if dark[reach-k] < mid {
				c = reach - k
			}
		}
		if c < 0 {
			continue
		}
		first, last := c, c
		for first > 0 && dark[first-1] < mid {
			first--
		}
		for last < 2*reach && dark[last+1] < mid {
			last++
		}
		ext = append(ext, float64(last-first+1)/steps)
	}
	if len(ext) == 0 {
		return refHeight
	}
	slices.Sort(ext)
	upper := ext[len(ext)/2:]
	return math.Min(1.6, math.Max(0.6, upper[len(upper)/2]))
}

// Confidence of a recognised zone: every line's mean correlation and
// every cell's best correlation (clean print scores above 0.9, phone
// photos 0.75–0.9, a misplaced line under 0.6).
const (
	minLineScore = 0.7
	minCellScore = 0.5
)

// minCell is the lowest best score of a line's cells.
func minCell(sc []cellScores) float64 {
	m := 1.0
	for i := range sc {
		m = math.Min(m, float64(slices.Max(sc[i][:])))
	}
	return m
}

// kindOf names the format from the zone's shape and its first character
// ('V': a visa).
func kindOf(lines, cells int, first *cellScores) string {
	visa := first[indexOf('V')]
	isVisa := true
	for c, s := range first {
		if mrzAlphabet[c] >= 'A' && mrzAlphabet[c] <= 'Z' && s > visa {
			isVisa = false
		}
	}
	switch {
	case lines == 3:
		return kyc.ReadTD1
	case cells == 36 && isVisa:
		return kyc.ReadMRVB
	case cells == 36:
		return kyc.ReadTD2
	case isVisa:
		return kyc.ReadMRVA
	}
	return kyc.ReadTD3
}

func indexOf(ch byte) int {
	for i := range len(mrzAlphabet) {
		if mrzAlphabet[i] == ch {
			return i
		}
	}
	return -1
}

// zoneOf is the quadrilateral around the zone's cells: top-left,
// top-right, bottom-right, bottom-left in reading order.
func zoneOf(lines []textLine, cells int) [4][2]float64 {
	a, b := lines[0], lines[len(lines)-1]
	corner := func(l textLine, i, s, t float64) [2]float64 {
		x, y, ux, uy := l.centre(i)
		return [2]float64{x + s*ux - t*uy, y + s*uy + t*ux}
	}
	n := float64(cells - 1)
	return [4][2]float64{
		corner(a, 0, -0.7, -0.8), corner(a, n, 0.7, -0.8),
		corner(b, n, 0.7, 0.8), corner(b, 0, -0.7, 0.8),
	}
}

// bestMRZ locates and recognises the MRZ of p, locating on a copy reduced
// by half when p is large. It prefers a zone whose check digits all hold,
// then the best score.
func bestMRZ(ctx context.Context, p *plane, now time.Time, tm timings) (mrzHit, bool) {
	t := time.Now()
	loc, k := p, 1.0
	if max(p.w, p.h) > 1700 {
		loc, k = p.half(), 2
	}
	cands := locateMRZ(loc)
	t = tm.lap("locate", t)
	defer tm.lap("recognise", t)
	var best mrzHit
	found := false
	for _, c := range cands {
		if ctx.Err() != nil {
			break
		}
		h, ok := recogniseMRZ(ctx, p, c.scaled(k), now)
		if !ok {
			continue
		}
		if !found || better(h, best) {
			best, found = h, true
		}
	}
	return best, found
}

// better reports whether hit a is preferred to b: read with confidence
// (Readable), then with every check holding, then printable, then
// located whole, then the better score.
func better(a, b mrzHit) bool {
	if a.data.Readable != b.data.Readable {
		return a.data.Readable
	}
	if a.data.ChecksValid != b.data.ChecksValid {
		return a.data.ChecksValid
	}
	if pa, pb := a.printable(), b.printable(); pa != pb {
		return pa
	}
	if a.partial != b.partial {
		// Lines projected onto a broken line are a guess at its
		// cells: a zone located whole is preferred.
		return !a.partial
	}
	return a.score > b.score
}

// printable reports whether the zone's reading could have been printed:
// its document code starts with a character its format admits
// (codeAdmitted) and its name field keeps its grammar (nameGrammar).
// Among retakes whose checks all hold, a reading that could not have
// been printed is a line read a cell off or garbled: dev seed 128's
// TD3 0059 read its name line a cell off on the photo ("CBOR…", with
// the name garbled), located whole, while the card at its format's
// proportions, its zone located in part (partial), read every cell
// exactly.
func (h mrzHit) printable() bool {
	return len(h.lines) > 0 && codeAdmitted(h.kind, h.lines) && nameGrammar(h.kind, h.lines)
}

// washedOut reports a zone part of whose print a glare patch (or a
// hologram) washed out. A character is faint when its darkest ink (the
// 5th percentile of the luma over its cell) is lighter than halfway
// between the zone's ink and paper (the medians over its characters of
// the 5th and 90th percentiles): under a glare patch. Fillers are left
// out (thin strokes). The zone is washed out when a faint character
//   - kept less than minGlareContrast of the zone's contrast (its 90th
//     percentile less its 5th, against the medians'): the print itself
//     is erased, or
//   - was not recognised with confidence: a best correlation under
//     minGlareScore, or a lead under glareLead over the next character
//     its position admits.
//
// Before the per-cell threshold (cellThreshold) every faint character
// made the zone a retake: the recogniser centred such a cell on nothing
// (a 2 under glare was read as F and a 7 as W, the check digits holding
// by chance). Centred on its own ink, a lifted character reads as well
// as the others (correlations 0.9 and more on the dev seeds), and only
// an uncertain one is a retake.
func washedOut(p *plane, kind string, lines []textLine, text []string, sc [][]cellScores) bool {
	type cell struct {
		i, k       int
		ink, paper float64
	}
	var cells []cell
	var inks, papers []float64
	vals := make([]float64, 0, 81)
	for i, l := range lines {
		if i >= len(text) {
			break
		}
		for k := 0; k < l.n && k < len(text[i]); k++ {
			if text[i][k] == '<' {
				continue
			}
			cx, cy, ux, uy := l.centre(float64(k))
			vals = vals[:0]
			for a := -4; a <= 4; a++ {
				for b := -4; b <= 4; b++ {
					s, t := float64(a)*0.1, float64(b)*0.15
					vals = append(vals, p.at(cx+s*ux-t*uy, cy+s*uy+t*ux))
				}
			}
			slices.Sort(vals)
			c := cell{i, k, vals[len(vals)*5/100], vals[len(vals)*90/100]}
			cells = append(cells, c)
			inks = append(inks, c.ink)
			papers = append(papers, c.paper)
		}
	}
	if len(cells) == 0 {
		return false
	}
	median := func(xs []float64) float64 {
		s := slices.Clone(xs)
		slices.Sort(s)
		return s[len(s)/2]
	}
	ink, paper := median(inks), median(papers)
	mid := (ink + paper) / 2
	lay := layouts[kind]
	for _, c := range cells {
		if c.ink <= mid {
			continue
		}
		if c.paper-c.ink < minGlareContrast*(paper-ink) {
			return true
		}
		if c.i >= len(sc) || c.k >= len(sc[c.i]) || c.i >= len(lay) || c.k >= len(lay[c.i]) {
			return true
		}
		r := ranked(&sc[c.i][c.k], lay[c.i][c.k])
		if r[0].ch != text[c.i][c.k] || sc[c.i][c.k][indexOf(r[0].ch)] < minGlareScore || len(r) > 1 && r[1].loss < glareLead {
			return true
		}
	}
	return false
}

// A faint character (washedOut) is read when it kept half the zone's
// contrast and scores at least minGlareScore, glareLead ahead of the next
// admitted character (the dev seeds' lifted characters: contrast 0.9–1.1
// of the zone's, correlations 0.83–0.96).
const (
	minGlareContrast = 0.5
	minGlareScore    = 0.8
	glareLead        = uncertainLead
)
