package docread

import (
	"strings"
)

// lineWindows are the scored cells of a line's fit (scoreWindows): the
// line as fitted, the fit's cell the first scored cell is (negative when
// the fit counted fewer cells than the format's), every cell's scores
// and its best score. A fit that counted more cells than the format's
// took in a mark beside the zone (a hologram's or the background's
// stroke read as a glyph before the code or after the last filler), and
// its windows of the format's cells are the readings to choose among.
type lineWindows struct {
	l    textLine
	lo   int
	all  []cellScores
	best []float64
}

// choose returns the scores, the line and the mean score of the window
// of w that line i of a zone of n lines of cells cells is read on (sc:
// the zone's lines above i, as chosen). The window whose best scores sum
// highest (bestWindow) is chosen, unless another one fits the format's
// structure better (windowForm): its document code and issuer on the
// first line, the check digits lying on the line's own cells on the
// others. A mark beside the zone then does not shift the line by a cell
// however well it scores.
func (w lineWindows) choose(i, n, cells int, sc [][]cellScores) ([]cellScores, textLine, float64) {
	bo, bs := bestWindow(w.best, cells)
	if len(w.best) > cells {
		form, _ := windowForm(w.all[bo:bo+cells], i, n, cells, sc)
		for o := 0; o+cells <= len(w.best); o++ {
			if o == bo {
				continue
			}
			f, _ := windowForm(w.all[o:o+cells], i, n, cells, sc)
			var s float64
			for _, v := range w.best[o : o+cells] {
				s += v
			}
			if f > form || f == form && s > bs {
				bo, bs, form = o, s, f
			}
		}
	}
	return w.all[bo : bo+cells], w.l.sub(float64(bo+w.lo), cells), bs / float64(cells)
}

// windowForm counts how much of the format's structure a window's cells
// (ws, line i of a zone of n lines of cells cells; sc the zone's lines
// above it) meet, read as each cell's best character its position
// admits: on the first line, a document code its format admits
// (codeFirst) in a cell holding a glyph (a blank cell's scores are all
// zero, and its best letter A) and an issuer of letters followed by
// fillers only (issuerFormed); on every line, each check digit whose
// field lies on the line's own cells that holds. full is the count a
// line printed as its format has.
func windowForm(ws []cellScores, i, n, cells int, sc [][]cellScores) (form, full int) {
	first := &ws[0]
	if i > 0 && len(sc) > 0 && len(sc[0]) > 0 {
		first = &sc[0][0]
	}
	kind := kindOf(n, cells, first)
	lay := layouts[kind]
	if i >= len(lay) || len(lay[i]) != len(ws) {
		return 0, 0
	}
	text := make([]byte, len(ws))
	for j := range ws {
		text[j] = ranked(&ws[j], lay[i][j])[0].ch
	}
	if i == 0 {
		full += 2
		if ws[0][indexOf(text[0])] > 0 && strings.IndexByte(codeFirst[kind], text[0]) >= 0 {
			form++
		}
		if issuerFormed(string(text)) {
			form++
		}
	}
	lines := make([][]byte, n)
	lines[i] = text
	for _, f := range checkFields[kind] {
		if !onLine(f, i) {
			continue
		}
		full++
		if f.holds(lines) {
			form++
		}
	}
	return form, full
}

// widened returns the window of a zone's first line l (line i of a zone
// of n lines of cells cells; sc the zone's lines above it, fit its
// print) chosen among the cells of its fit continued by one cell at each
// end (choose), when the window chosen on the fit, ws, lacks some of the
// format's structure (windowForm) and the widened one meets more of it;
// ok is false otherwise, and for any other line: a shifted second line
// meets a check digit by chance one time in ten, more than a garbled one
// meets.
//
// A mark before a line (a hologram's or the background's stroke) that
// the locator chains on while the line's last filler, little ink on hard
// print, is lost counts the format's cells exactly, a cell off: the fit
// has no other window to choose (held-out seed 20282828's TD3 0047 read
// "LP<…", its code lost). The cell the fit lacks is the one the widened
// line holds.
func widened(p *plane, l textLine, i, n, cells int, fit printFit, sc [][]cellScores, ws []cellScores) (out []cellScores, wl textLine, mean float64, ok bool) {
	if !widenLines || i != 0 {
		return nil, textLine{}, 0, false
	}
	form, full := windowForm(ws, i, n, cells, sc)
	if form >= full {
		return nil, textLine{}, 0, false
	}
	w, _ := scoreWindows(p, l.sub(-1, l.n+2), cells, fit)
	out, wl, mean = w.choose(i, n, cells, sc)
	if f, _ := windowForm(out, i, n, cells, sc); f <= form {
		return nil, textLine{}, 0, false
	}
	return out, wl, mean, true
}

// onLine reports whether the check field f and its check digit lie on
// line i alone.
func onLine(f checkField, i int) bool {
	if f.line != i {
		return false
	}
	for _, p := range f.parts {
		if p[0] != i {
			return false
		}
	}
	return true
}

// issuerFormed reports whether the issuing state of a zone's first line
// (first: its text, the code in cells 0-1 and the issuer in cells 2-4,
// ICAO 9303 in every format) is a code as printed: one letter or more,
// then fillers only. A leading or inner filler is a line read a cell
// off (a mark before the code taken in: "II<UT" for "I<UTO").
func issuerFormed(first string) bool {
	if len(first) < 5 {
		return false
	}
	is := first[2:5]
	end := strings.IndexByte(is, '<')
	if end < 0 {
		end = len(is)
	}
	if end == 0 {
		return false
	}
	for k := range is {
		ch := is[k]
		if k < end && (ch < 'A' || ch > 'Z') || k >= end && ch != '<' {
			return false
		}
	}
	return true
}

// widenLines enables widened (a switch for tests and comparisons).
var widenLines = true
