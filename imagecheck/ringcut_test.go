package imagecheck

import "testing"

// TestRingToFrame: the outline given is a card's light panel (x 60–185,
// y 20–100 in a 200×150 photo) with a ring of the card's ground, 5 px
// wide, beyond its top, left and bottom sides (or a colour band beyond
// the bottom one). Where the card runs on past the photo's right edge,
// beyond the panel's right side (printed there, or cut at a slant) the
// card's ground reaches the photo's edge: side 1. runsToFrame misses
// them (the band beyond is not one even colour, or the card's edge
// beside it does not run on to the photo's edge). The same card ending
// before the photo's edge, a card whose outline is its own edge, a card
// of the table's colour, and a card whose outline is its own edge lying
// on a sheet that runs out at the right, the sheet's edges crossing
// beside the card's left and bottom sides at a slant (the table right
// beyond a third of them), give none.
func TestRingToFrame(t *testing.T) {
	const w, h = 200, 150
	type ycc = [3]byte
	var (
		table = ycc{80, 128, 128}
		paper = ycc{215, 120, 140} // the card's ground
		panel = ycc{240, 126, 130}
		print = ycc{40, 128, 128}
		band  = ycc{90, 165, 95} // a saturated colour band
	)
	inPanel := func(x, y int) bool { return x >= 60 && x <= 185 && y >= 20 && y <= 100 }
	cases := []struct {
		name   string
		paint  func(x, y int) ycc
		want   int
		runsTo bool // runsToFrame finds the side too
	}{
		{"the card running out at the right, print in the band beyond the panel", func(x, y int) ycc {
			switch {
			case x < 55 || y < 15 || y > 105:
				return table
			case inPanel(x, y):
				return panel
			case x >= 188 && x <= 194 && y%6 < 4:
				return print
			}
			return paper
		}, 1, false},
		{"the same with a colour band beyond the panel's bottom side", func(x, y int) ycc {
			switch {
			case x < 55 || y < 15 || y > 108:
				return table
			case inPanel(x, y):
				return panel
			case y > 100:
				return band
			case x >= 188 && x <= 194 && y%6 < 4:
				return print
			}
			return paper
		}, 1, false},
		{"the card's right edge crossing the photo's at a slant past the panel's corner", func(x, y int) ycc {
			switch {
			case x < 55 || y < 15 || y > 105 || float64(x) > 192+0.5*float64(y-15):
				return table
			case inPanel(x, y):
				return panel
			}
			return paper
		}, 1, false},
		{"the same card whole, its right edge 8 px before the photo's edge", func(x, y int) ycc {
			switch {
			case x < 55 || x > 190 || y < 15 || y > 105:
				return table
			case inPanel(x, y):
				return panel
			}
			return paper
		}, -1, false},
		{"a card whose outline is its own edge, 14 px from the photo's edge", func(x, y int) ycc {
			if inPanel(x, y) {
				return panel
			}
			return table
		}, -1, false},
		{"a card (the outline its own edge) on a sheet running out at the right, the sheet's edges beside it at a slant", func(x, y int) ycc {
			switch {
			case inPanel(x, y):
				return panel
			case y < 12 || y > 100+12*(x-60)/125 || x < 60-12*(y-20)/80:
				return table
			}
			return paper
		}, -1, false},
		{"a card of the table's colour running out at the right", func(x, y int) ycc {
			switch {
			case inPanel(x, y):
				return panel
			case x >= 188 && x <= 194 && y%6 < 4:
				return print
			}
			return table
		}, -1, false},
	}
	for _, c := range cases {
		e := findEdges(paintPlanes(w, h, c.paint), w, h, new(workspace))
		q := rectQuad(e, 60, 20, 185, 100)
		if got := ringToFrame(q, &e, w, h); got != c.want {
			t.Errorf("%s: side %d, want %d", c.name, got, c.want)
		}
		if got := runsToFrame(q, &e, w, h); (got >= 0) != c.runsTo {
			t.Errorf("%s: runsToFrame %d", c.name, got)
		}
	}
}

// BenchmarkRingToFrame: one search on the whole card of TestRingToFrame
// ending 8 px before the photo's right edge (every side sampled, the
// right side's rays near the photo's edge).
func BenchmarkRingToFrame(b *testing.B) {
	const w, h = 200, 150
	e := findEdges(paintPlanes(w, h, func(x, y int) [3]byte {
		switch {
		case x < 55 || x > 190 || y < 15 || y > 105:
			return [3]byte{80, 128, 128}
		case x >= 60 && x <= 185 && y >= 20 && y <= 100:
			return [3]byte{240, 126, 130}
		}
		return [3]byte{215, 120, 140}
	}), w, h, new(workspace))
	q := rectQuad(e, 60, 20, 185, 100)
	for b.Loop() {
		ringToFrame(q, &e, w, h)
	}
}
