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

// A corner nearer the photo's edge than d pixels, on any of its four
// edges, is near it; one at d or further is not.
func TestNearEdge(t *testing.T) {
	const w, h = 200, 150
	box := func(x0, y0, x1, y1 float64) [4][2]float64 {
		return [4][2]float64{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}
	}
	for _, c := range []struct {
		name string
		c    [4][2]float64
		near bool
	}{
		{"in the middle", box(40, 30, 160, 110), false},
		{"10 pixels from every edge", box(10, 10, 189, 139), false},
		{"9 pixels from the left edge", box(9, 30, 160, 110), true},
		{"9 pixels from the top edge", box(40, 9, 160, 110), true},
		{"9 pixels from the right edge", box(40, 30, 190, 110), true},
		{"9 pixels from the bottom edge", box(40, 30, 160, 140), true},
	} {
		if got := nearEdge(c.c, 10, w, h); got != c.near {
			t.Errorf("%s: nearEdge %v, want %v", c.name, got, c.near)
		}
	}
}
