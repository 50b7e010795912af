package imagecheck

import "testing"

// A pale card lying half on a sheet of its own tone that runs out of the
// frame, the sheet's edge in line with the card's side (development seed
// 432's clean 00327): the card's top side shows a step only where it
// lies on the table, under sideMinSup of its length, and the outline the
// ranking puts first is the card and the sheet together, running out of
// the frame. fainterWhole takes the card's own outline, which outranks
// it. A card truly running out of the frame with a dark box printed in
// the same place keeps its outline running out.
func TestFainterWhole(t *testing.T) {
	const w, h = 200, 150
	card := [4][2]float64{{40, 40}, {159.5, 40}, {159.5, 119.5}, {40, 119.5}}
	for _, c := range []struct {
		name  string
		paint func(x, y int) byte
		whole bool
	}{
		{"a card half on a sheet running out of the frame", func(x, y int) byte {
			switch {
			case x >= 40 && x < 160 && y >= 40 && y < 120:
				return 200 // the card
			case x >= 75 && x < 160 && y < 40:
				return 200 // the sheet, of the card's tone
			}
			return 70
		}, true},
		{"a card running out of the frame, a box printed on it", func(x, y int) byte {
			switch {
			case x >= 40 && x < 75 && y >= 25 && y < 40:
				return 120 // the box
			case x >= 40 && x < 160 && y < 120:
				return 200 // the card
			}
			return 70
		}, false},
	} {
		chans := paintPlanes(w, h, func(x, y int) [3]byte { return [3]byte{c.paint(x, y), 128, 128} })
		ws := new(workspace)
		e := findEdges(chans, w, h, ws)
		lines := houghLines(e, ws)
		q, found, faint := findQuad(lines, e, w, h)
		t.Logf("%s: %v found %v faint %v", c.name, q.c, found, faint)
		if c.whole != (found && !runsOut(q, w, h) && qdistTest(q.c, card) <= 3) {
			t.Errorf("%s: outline %v (found %v, faint %v), want whole card %v", c.name, q.c, found, faint, c.whole)
		}
	}
}
