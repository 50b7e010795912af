package imagecheck

import "testing"

// TestRingToFrameWideMargin: a panel inset in its card by a wide margin
// of the card's ground (14 small pixels, 0.22 of the panel's short side:
// the table TestRingToFrame samples 0.12–0.2 short sides out lies on the
// ground). The card running out at the right past the panel gives the
// right side; the card whole, its edge 8 pixels before the photo's edge,
// gives none, and so does a card (the outline its own edge) on a sheet
// whose edges cross beside it at a slant, on a table striped along the
// outline's long sides, or with the margin only along two sides (a
// sheet's corner under the card's).
func TestRingToFrameWideMargin(t *testing.T) {
	const w, h = 200, 150
	type ycc = [3]byte
	var (
		table = ycc{80, 128, 128}
		paper = ycc{150, 110, 150} // the card's ground
		panel = ycc{235, 126, 130}
		print = ycc{40, 128, 128}
	)
	x0, y0, x1, y1 := 60, 35, 185, 100 // the panel: short side 65
	inPanel := func(x, y int) bool { return x >= x0 && x <= x1 && y >= y0 && y <= y1 }
	cases := []struct {
		name  string
		x1    int // the panel's right side
		paint func(x, y int) ycc
		want  int
	}{
		{"the card running out at the right, 14 px of ground around the panel", x1, func(x, y int) ycc {
			switch {
			case x < x0-14 || y < y0-14 || y > y1+14:
				return table
			case inPanel(x, y):
				return panel
			}
			return paper
		}, 1},
		{"the same with print in the ground beyond the panel's right side", x1, func(x, y int) ycc {
			switch {
			case x < x0-14 || y < y0-14 || y > y1+14:
				return table
			case inPanel(x, y):
				return panel
			case x >= 189 && x <= 195 && y%6 < 4:
				return print
			}
			return paper
		}, 1},
		{"the card whole, its right edge 8 px before the photo's edge", 177, func(x, y int) ycc {
			switch {
			case x < x0-14 || x > 191 || y < y0-14 || y > y1+14:
				return table
			case x >= x0 && x <= 177 && y >= y0 && y <= y1:
				return panel
			}
			return paper
		}, -1},
		{"a card (the outline its own edge) on a sheet running out at the right, the sheet's edges 8–18 px beside it at a slant", x1, func(x, y int) ycc {
			switch {
			case inPanel(x, y):
				return panel
			case y < y0-8-(x-x0)*10/125 || y > y1+8+(x-x0)*10/125 || x < x0-8-(y-y0)*8/65:
				return table
			}
			return paper
		}, -1},
		{"a card (the outline its own edge) on a table striped along its long sides", x1, func(x, y int) ycc {
			switch {
			case inPanel(x, y):
				return panel
			case (y/12)%2 == 0:
				return paper
			}
			return table
		}, -1},
		{"the ground only beyond the top and left sides (a sheet's corner under the card's)", x1, func(x, y int) ycc {
			switch {
			case inPanel(x, y):
				return panel
			case x >= x0-14 && y >= y0-14 && x <= x1 && y <= y1:
				return paper
			}
			return table
		}, -1},
	}
	for _, c := range cases {
		e := findEdges(paintPlanes(w, h, c.paint), w, h, new(workspace))
		q := rectQuad(e, float64(x0), float64(y0), float64(c.x1), float64(y1))
		if got := ringToFrame(q, &e, w, h); got != c.want {
			t.Errorf("%s: side %d, want %d", c.name, got, c.want)
		}
		if got := runsToFrame(q, &e, w, h); got >= 0 {
			t.Errorf("%s: runsToFrame %d", c.name, got)
		}
	}
}

// BenchmarkRingToFrameWide: one search on TestRingToFrameWideMargin's
// whole card, its edge 8 px before the photo's right edge: no side shows
// a ring at the table's usual distance, so every one is sought wide.
func BenchmarkRingToFrameWide(b *testing.B) {
	const w, h = 200, 150
	e := findEdges(paintPlanes(w, h, func(x, y int) [3]byte {
		switch {
		case x < 46 || x > 191 || y < 21 || y > 114:
			return [3]byte{80, 128, 128}
		case x >= 60 && x <= 177 && y >= 35 && y <= 100:
			return [3]byte{235, 126, 130}
		}
		return [3]byte{150, 110, 150}
	}), w, h, new(workspace))
	q := rectQuad(e, 60, 35, 177, 100)
	for b.Loop() {
		ringToFrame(q, &e, w, h)
	}
}
