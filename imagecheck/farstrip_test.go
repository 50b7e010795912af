package imagecheck

import "testing"

// TestStripIsCard: a 200×150 photo, the outline given a pale panel
// (x 50–150, y 20–75) whose top, left and right sides are a card's
// edges; below it, from y 76, the card's band (or what lies under a
// whole card) runs on to the photo's bottom edge, 74 px on (further than
// outerFrameNear), and the panel covers 0.42 of what the photo shows of
// the enclosing outline: over wholeMinArea, and every corner of that
// outline in the photo is the panel's own, so cardCorners cannot hold.
//   - a band of the card's own colour carrying print (dark marks: a name,
//     an emblem): the card runs out of the frame, the bottom side moves
//     to the photo's edge (fails without stripIsCard);
//   - the same band without print, as a sheet exactly the card's width
//     under a whole card would show: kept (fails without farPrintMin);
//   - a whole card whose sides run on to the photo's edge on dark
//     stripes of the table in line with them (ruled paper, tile joints),
//     pale stripes (print) over half the table below it: kept, the table
//     between the card and the photo's edge (bandBackground; a guard,
//     it holds without stripIsCard).
func TestStripIsCard(t *testing.T) {
	const w, h = 200, 150
	table, panel, band := [3]byte{60, 128, 128}, [3]byte{200, 120, 140}, [3]byte{120, 150, 110}
	mark, pale := [3]byte{20, 128, 128}, [3]byte{100, 128, 128}
	marked := func(x, y int) bool { // print: short dark bars
		return y >= 90 && y < 140 && (y/6)%2 == 0 && (x/5)%3 == 0
	}
	for _, c := range []struct {
		name  string
		paint func(x, y int) [3]byte
		want  bool // the bottom side on the photo's edge
	}{
		{"a printed band running out of the frame", func(x, y int) [3]byte {
			switch {
			case x < 50 || x > 150 || y < 20:
				return table
			case y <= 75:
				return panel
			case x > 60 && x < 140 && marked(x, y):
				return mark
			}
			return band
		}, true},
		{"a plain band (or a sheet the card's width)", func(x, y int) [3]byte {
			switch {
			case x < 50 || x > 150 || y < 20:
				return table
			case y <= 75:
				return panel
			}
			return band
		}, false},
		{"a whole card on ruled lines in line with its sides", func(x, y int) [3]byte {
			switch {
			case y > 75 && (x >= 44 && x <= 50 || x >= 150 && x <= 156):
				return mark
			case x < 50 || x > 150 || y < 20 || y > 75:
				if y > 75 && x > 56 && x < 144 && (y/8)%2 == 0 {
					return pale // pale stripes over half the table below the card
				}
				return table
			}
			return panel
		}, false},
	} {
		e := findEdges(paintPlanes(w, h, c.paint), w, h, new(workspace))
		lines := houghLines(e, new(workspace))
		q := rectQuad(e, 49.5, 19.5, 150.5, 75.5)
		o := outerQuad(q, lines, e, w, h, testPlanes(w, h, c.paint), 1)
		if got := o.side[2].frame; got != c.want {
			t.Errorf("%s: outline %v, the bottom side on the photo's edge %v, want %v", c.name, o.c, got, c.want)
		}
	}
}
