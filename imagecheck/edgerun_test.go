package imagecheck

import (
	"strings"
	"testing"
)

// TestEdgesToFrame: the outline given is a card's pale panel (x 45–177,
// y 35–105 in a 200×150 photo), reaching the card's edge at the top, the
// bottom and the left; the card's band, 12 % lighter than the table and
// of its hue, lies beyond the panel's right side. Cut off at the right,
// the card's top and bottom edges run on past the panel's corners to the
// photo's edge: the right side is the one beyond which the card runs out
// (runsToFrame, which wants a band unlike the table, finds none). A card
// whose band ends 15 px before the photo's edge, the card cut off with
// 8 px of its band in the photo (a run under edgeRunMin), a card whose
// band is deeper than edgeRunMax, a whole card lying on a strip of
// another tone in line with its top and bottom (the strip's edges run on
// past the card both ways) and the cut-off card lying 4 px from the
// photo's left edge (too little of the photo past its far corners to
// tell) have none.
func TestEdgesToFrame(t *testing.T) {
	const w, h = 200, 150
	type ycc = [3]byte
	var (
		table = ycc{100, 120, 136}
		band  = ycc{112, 120, 136} // the table's hue, 12 % lighter
		panel = ycc{232, 126, 130}
		dark  = ycc{60, 128, 128}
	)
	card := func(right, bandFrom int) func(x, y int) ycc {
		return func(x, y int) ycc {
			switch {
			case x < 45 || x > right || y < 35 || y > 105:
				return table
			case x >= bandFrom:
				return band
			}
			return panel
		}
	}
	cases := []struct {
		name  string
		paint func(x, y int) ycc
		want  int
	}{
		{"a two-tone card cut off at the right beyond its band", card(240, 178), 1},
		{"the same card whole, ending 15 px before the photo's edge", card(184, 178), -1},
		{"the card cut off with 8 px of its band in the photo (0.11 short sides): too short a run to tell", func(x, y int) ycc {
			if x >= 186 {
				return table
			}
			return card(240, 178)(x, y)
		}, -1},
		{"the card cut off at the right lying 4 px from the photo's left edge: no room past the far corners", func(x, y int) ycc {
			if x < 4 {
				return table
			}
			return card(240, 178)(max(x, 45), y)
		}, -1},
		{"a whole card on a strip of another tone in line with its top and bottom", func(x, y int) ycc {
			switch {
			case x >= 45 && x <= 177 && y >= 35 && y <= 105:
				return panel
			case y >= 35 && y <= 105:
				return table
			}
			return dark
		}, -1},
	}
	for _, c := range cases {
		ww := w
		if strings.Contains(c.name, "8 px") {
			ww = 186 // the photo ends 8 px beyond the panel
		}
		e := findEdges(paintPlanes(ww, h, c.paint), ww, h, new(workspace))
		q := rectQuad(e, 44.5, 34.5, 177.5, 105.5)
		if strings.Contains(c.name, "4 px") {
			q = rectQuad(e, 3.5, 34.5, 177.5, 105.5)
		}
		if got := runsToFrame(q, &e, ww, h); got != -1 {
			t.Errorf("%s: runsToFrame finds side %d, want none (the band is the table's tone)", c.name, got)
		}
		if got := edgesToFrame(q, &e, ww, h); got != c.want {
			t.Errorf("%s: side %d, want %d", c.name, got, c.want)
		}
	}
	// A panel whose band runs deeper than edgeRunMax short sides: the
	// photo's edge 60 px (0.85 short sides) beyond the panel.
	const ww = 240
	e := findEdges(paintPlanes(ww, h, card(300, 178)), ww, h, new(workspace))
	q := rectQuad(e, 44.5, 34.5, 177.5, 105.5)
	if got := edgesToFrame(q, &e, ww, h); got != -1 {
		t.Errorf("a band 0.85 short sides deep: side %d, want none", got)
	}
}

// TestLineOnPast: a step edge in line with a side, running on from its
// corner, is found up to bandEdgeOff short sides across it, and over
// about half the run (edgeFarMax), and not when the region beyond the
// corner is even; with less of the photo beyond the
// corner than half the run, nothing is judged.
func TestLineOnPast(t *testing.T) {
	const w, h = 200, 150
	step := func(at int) func(x, y int) [3]byte {
		return func(x, y int) [3]byte {
			if y < at {
				return [3]byte{60, 128, 128}
			}
			return [3]byte{140, 128, 128}
		}
	}
	even := func(x, y int) [3]byte { return [3]byte{100, 128, 128} }
	// A step edge along y = 70 over 13 px of every 20, backing 0.54 of
	// the run (a wood's grain running along the side).
	dashed := func(x, y int) [3]byte {
		if y < 70 && x%20 < 13 {
			return [3]byte{60, 128, 128}
		}
		return [3]byte{140, 128, 128}
	}
	cases := []struct {
		name  string
		paint func(x, y int) [3]byte
		want  bool
	}{
		{"a step edge in line with the side", step(70), true},
		{"a step edge 4 px across", step(74), true},
		{"an even table", even, false},
		{"a step edge over about half the run", dashed, true},
	}
	for _, c := range cases {
		e := findEdges(paintPlanes(w, h, c.paint), w, h, new(workspace))
		// The corner (100, 70), the side running off to the left along
		// y = 70: look on to the right, 60 px, short side 70.
		if got, judged := lineOnPast([2]float64{100, 70}, 1, 0, 60, 70, w, h, &e); got != c.want || !judged {
			t.Errorf("%s: %v (judged %v), want %v", c.name, got, judged, c.want)
		}
		// From (180, 70): 19 px to the photo's edge, under half the run.
		if got, judged := lineOnPast([2]float64{180, 70}, 1, 0, 60, 70, w, h, &e); got || judged {
			t.Errorf("%s, 19 px from the photo's edge: %v, judged %v, want neither", c.name, got, judged)
		}
	}
}
