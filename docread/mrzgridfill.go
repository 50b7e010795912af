package docread

import (
	"slices"
	"time"
)

// gridFillers returns h, not Readable, with the letters of its name
// field that are likelier a filler when sampled on the grid read as
// fillers: a letter scoring under minOverFiller (h.floor) whose window
// centred on the cell's place on the line's grid, rather than on its
// ink, correlates best with the filler, and higher than the letter
// scored. Those cells' floor scores become the grid's. lines are the
// zone's lines as read and fit its print.
//
// A cell is centred on its ink's bounding box, which a filler, a low
// glyph, makes little of: a speck or a security line's stroke in the
// cell's lower part moves the box, and the chevron is sampled a sixth
// of a pitch below its place, where a letter correlates better (hard
// print, dev seed 206's TD2 0084 and 212's TD3 0053 and 0067: a name's
// "<<" read SS, a single filler between two given names read M or S, on
// every plane, the letters 0.58-0.69 and the filler 0.42-0.62, each
// window centred 0.15-0.17 pitch low; on the grid the filler scores
// 0.79-0.88, the best of every class). This chooses what a retake
// reports, never Readable.
func (h mrzHit) gridFillers(p *plane, lines []textLine, fit printFit, now time.Time) mrzHit {
	nf, ok := nameField[h.kind]
	if !ok || nf[0] >= len(lines) || nf[0] >= len(h.lines) || nf[0] >= len(h.floor) {
		return h
	}
	i := nf[0]
	l := lines[i]
	text := []byte(h.lines[i])
	var row []cellScores
	changed := map[int]bool{}
	filler := indexOf('<')
	var g glyph
	var at cellScores
	for k := nf[1]; k < len(text) && k < len(h.floor[i]) && k < l.n; k++ {
		ch := text[k]
		if ch < 'A' || ch > 'Z' || h.floor[i][k][indexOf(ch)] >= minOverFiller {
			continue
		}
		x, y, ux, uy := l.centre(float64(k))
		ux, uy = fit.scale*ux, fit.scale*uy
		f := cellFrame{cx: x, cy: y, ux: ux, uy: uy, vx: -uy, vy: ux}
		sampleAt(p, f, &g)
		if !g.normalise() {
			continue
		}
		scoresAt(f, &g, &at)
		if slices.Index(at[:], slices.Max(at[:])) != filler || at[filler] <= h.floor[i][k][indexOf(ch)] {
			continue
		}
		if row == nil {
			row = slices.Clone(h.floor[i])
		}
		row[k] = at
		text[k] = '<'
		changed[k] = true
	}
	if row == nil {
		return h
	}
	h.floor = slices.Clone(h.floor)
	h.floor[i] = row
	h.lines = slices.Clone(h.lines)
	h.lines[i] = string(text)
	if i < len(h.raw) && len(h.raw[i]) == len(text) {
		// The reading before any repair: the same cells read as fillers.
		raw := []byte(h.raw[i])
		for k := range changed {
			raw[k] = '<'
		}
		h.raw = slices.Clone(h.raw)
		h.raw[i] = string(raw)
	}
	h.data = mrzRead(h.kind, h.lines, now)
	h.data.Readable = false
	return h
}

// checkGridFillers turns gridFillers on; the tests turn it off to count
// what it changes.
var checkGridFillers = true
