package imagecheck

import (
	"math"
	"testing"
)

// TestThreeSided: a card (luma 200, 40–159 × 30–109 small pixels) on a
// table of 120 whose right-hand part fades to the table's tone (from
// x = 130 to its edge), so that its right side makes no step and no line,
// with a portrait printed on it (the outline ranked first). Its left, top
// and bottom sides are lines; the top and bottom ones stop together where
// the fade takes their step away, and the card is closed there. The same
// card running out of the frame on the right (its top and bottom sides
// backed up to the photo's edge), or with a strip of another tone beyond
// its faint side that carries the top and bottom sides on to the photo's
// edge (a sheet's or a floor's edges, not a card's), is not closed.
func TestThreeSided(t *testing.T) {
	const w, h = 200, 150
	cases := []struct {
		name  string
		px    func(x, y int) byte
		found bool
	}{
		{
			name: "a card whose right side fades into the table: closed where its sides stop",
			px: func(x, y int) byte {
				switch {
				case x >= 60 && x < 100 && y >= 45 && y < 95:
					return 60 // the portrait
				case x >= 40 && x < 130 && y >= 30 && y < 110:
					return 200
				case x >= 130 && x < 160 && y >= 30 && y < 110:
					return byte(200 - (x-130)*80/30)
				}
				return 120
			},
			found: true,
		},
		{
			name: "the card running out of the frame on the right: not closed",
			px: func(x, y int) byte {
				switch {
				case x >= 60 && x < 100 && y >= 45 && y < 95:
					return 60
				case x >= 40 && y >= 30 && y < 110:
					return 200
				}
				return 120
			},
		},
		{
			name: "a strip beyond the faint side carrying the top and bottom sides on to the photo's edge: not closed",
			px: func(x, y int) byte {
				switch {
				case x >= 60 && x < 100 && y >= 45 && y < 95:
					return 60
				case x >= 40 && x < 130 && y >= 30 && y < 110:
					return 200
				case x >= 130 && x < 160 && y >= 30 && y < 110:
					return byte(200 - (x-130)*80/30)
				case x >= 160 && y >= 30 && y < 110:
					return 40
				}
				return 120
			},
		},
	}
	for _, c := range cases {
		e := paintedEdges(w, h, func(x, y int) (byte, byte, byte) { return c.px(x, y), 128, 128 })
		diag := int(math.Ceil(math.Hypot(w, h)))
		mk := func(theta int, rho float64) *line {
			l := &line{theta: theta, rho: rho, nx: cosT[theta], ny: sinT[theta]}
			profile(l, e, diag)
			return l
		}
		box := rectQuad(e, 60, 45, 99, 94)
		// The lines found: the portrait's four, the card's left, top
		// and bottom sides.
		lines := append(box.side[:], mk(0, 40), mk(90, 30), mk(90, 109))
		q, ok := threeSided(box, lines, e, w, h)
		if ok != c.found {
			t.Errorf("%s: closed %v (%.1f), want %v", c.name, ok, q.c, c.found)
			continue
		}
		if !ok {
			continue
		}
		// The card's left side and corners there kept; the closing side
		// where the fade has taken the step away, between x = 130 and
		// the card's edge.
		o := q.ordered()
		if math.Abs(o[0][0]-40) > 1 || math.Abs(o[0][1]-30) > 1 || math.Abs(o[3][0]-40) > 1 || math.Abs(o[3][1]-109) > 1 ||
			o[1][0] < 130 || o[1][0] > 161 || o[2][0] < 130 || o[2][0] > 161 || math.Abs(o[1][0]-o[2][0]) > 3 {
			t.Errorf("%s: outline %.1f", c.name, o)
		}
	}
}
