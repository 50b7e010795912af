package docread

// A second reading of the checked fields (issue 11, hard print, eleventh
// pass).
//
// Check digits cannot see two errors that compensate each other: a
// document number R1288M0Z9 read PT288M0Z9 (R read P, -2 at weight 7; 1
// read T, +28 at weight 3: +70) meets its own check digit and, since the
// number opens the composite with the same weights, the composite too
// (held-out seed 20281212, TD2 0007, vouched for). Both cells were read
// on windows centred off their glyphs: a guilloche background as dark as
// the print gave the ink's bounding box both edges of the window, so the
// window stayed on the grid, which a photo's perspective had moved a
// quarter of a pitch off the glyphs at the line's start. A window
// 0.05-0.10 pitch along the line read R at 0.885 (P 0.722) and 1 at 0.884
// (T 0.803).
//
// secondLook reads every cell a check digit covers (the composite's
// alone excepted: optional data, which fillerValued and weakOverFiller
// hold) again wherever the first reading was not sure of it (a score
// under unsure), on windows moved along the line by secondShifts of a
// pitch, each centred on its ink again and searched as classify does.
// When another character its position admits scores better there than
// the first reading's character scored, by more than minMargin, and
// better than that character at the same window, the two readings
// disagree and the zone is a retake: no check digit can then say which
// is right.

// secondShifts are the moves, in pitches along the line, of the windows
// secondLook reads a cell on.
var secondShifts = []float64{-0.2, -0.1, 0.1, 0.2}

// checkSecond turns secondLook on as a rule of Readable; the tests turn it
// off to count what it changes.
var checkSecond = true

// secondLook reports whether the second reading of the zone's checked
// cells (lines as read, at fit's scale and with fit's templates; sc the
// first reading's scores, text its characters) disagrees with the first.
// Cells a check-digit repair changed (text differs from raw, the reading
// before any repair) are left to the second reading on another plane
// (confirms).
func secondLook(p *plane, kind string, lines []textLine, fit printFit, sc [][]cellScores, text, raw []string) bool {
	lay := layouts[kind]
	fields := checkFields[kind]
	thr := make([]float64, len(lines))
	for k, f := range fields {
		if isComposite(fields, k) {
			continue
		}
		for _, pos := range f.positions() {
			i, j := pos[0], pos[1]
			if i >= len(lines) || i >= len(text) || i >= len(raw) || j >= len(text[i]) || j >= len(raw[i]) || j >= len(sc[i]) || text[i][j] != raw[i][j] {
				continue
			}
			if sc[i][j][indexOf(text[i][j])] >= unsure {
				continue
			}
			if thr[i] == 0 {
				thr[i] = lineThreshold(p, lines[i])
			}
			if secondDisagrees(p, lines[i], j, thr[i], fit, &sc[i][j], text[i][j], lay[i][j]) {
				return true
			}
		}
	}
	return false
}

// secondDisagrees reports whether cell j of line l, read ch with scores
// first (position class cls), reads as another admitted character on a
// window moved along the line (secondShifts): one scoring more than
// minMargin over ch's first score and over ch's own score on that window
// (thr the line's threshold). A cell read surely (first score at least
// unsure) is not read again.
func secondDisagrees(p *plane, l textLine, j int, thr float64, fit printFit, first *cellScores, ch byte, cls byte) bool {
	ci := indexOf(ch)
	s0 := first[ci]
	if s0 >= unsure {
		return false
	}
	var sc cellScores
	for _, d := range secondShifts {
		x, y, ux, uy := l.centre(float64(j) + d)
		ux, uy = fit.scale*ux, fit.scale*uy
		f := cellFrame{cx: x, cy: y, ux: ux, uy: uy, vx: -uy, vy: ux}
		if !classifyWith(p, f, thr, fit.ts, &sc) {
			continue
		}
		for c, v := range sc {
			alt := mrzAlphabet[c]
			if alt == ch || !admits(cls, alt) {
				continue
			}
			if v-s0 > minMargin && v-sc[ci] > minMargin {
				return true
			}
		}
	}
	return false
}

// secondLookLetters reports whether a second reading of the zone's
// letters that no check digit covers (names, document code, issuer,
// nationality, sex; lines as read, at fit's scale) disagrees with the
// first: a letter the glyph size's own templates (floor, as floorScores
// scores them) do not read surely, read again on windows moved along the
// line (secondShifts) with those templates, reads as another letter its
// position admits, by more than minMargin over both the first score and
// the letter's own score on that window (secondDisagrees).
//
// No check digit sees a letter of a name read as another. On hard print
// such a letter is read without a rival close enough for ambiguous
// (dev seed 123: a given name's M read H at 0.817 on the glyph size's
// templates, the M 0.001 behind, the zone read with blurrier templates on
// which the H led by 0.055; a surname's F read T at 0.773, the F 0.025
// behind), while a window a tenth or a fifth of a pitch along the line
// reads the printed letter 0.125 and 0.106 ahead. The floor's templates
// are sharper than a blurred zone's, so the second reading uses them
// whatever the zone was read with: blurrier templates correlate better
// with any blurred glyph, the wrong ones included.
func secondLookLetters(p *plane, kind string, lines []textLine, fit printFit, floor [][]cellScores, text []string) bool {
	lay := layouts[kind]
	checked := checkedCells(kind, true)
	sharp := printFit{scale: fit.scale}
	for i := range text {
		if i >= len(lines) || i >= len(floor) || i >= len(lay) {
			continue
		}
		thr := 0.0
		for j := range text[i] {
			ch := text[i][j]
			if ch < 'A' || ch > 'Z' || checked[[2]int{i, j}] || j >= len(floor[i]) || j >= len(lay[i]) {
				continue
			}
			if floor[i][j][indexOf(ch)] >= unsure {
				continue
			}
			if thr == 0 {
				thr = lineThreshold(p, lines[i])
			}
			if secondDisagrees(p, lines[i], j, thr, sharp, &floor[i][j], ch, lay[i][j]) {
				return true
			}
		}
	}
	return false
}
