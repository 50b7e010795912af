package imagecheck

import (
	"image"
	"math"
	"testing"
)

// TestHeadBand: small planes (150×200) of a vertical card, x 30–109,
// whose outline given is its panel below a header band; the lines found
// in the photo are the outline's sides and one line beyond its top side.
// Beyond the top of a card with a colour band lies the band, the card's
// sides running on past the panel's corners to the band's edge: side 0
// moves out to that edge (with the card's corners rounded, the sides'
// runs are judged between the panel's edge blur and the rounding,
// headTrim). A strip of the band's colour lying across the table above a
// whole card is no band: the card's sides end at its corners. Beyond the top of a whole card lies the table
// (a grout line across it, a drop shadow the card's width): no band. A
// band cut by the photo's top edge at a slant has one corner beyond the
// photo: found when the card's side runs on to the photo's edge, not
// when the band stops short of that side (the side does not run on in
// the photo, no card's corner lies beyond it). Nor is a tile of a colour
// unlike the table's, running on past the card's sides above a whole
// card, whose line beyond is a grout line of the table that does not
// cross it: the band's outer edge is the card's own, backed between the
// band's corners.
func TestHeadBand(t *testing.T) {
	const w, h = 150, 200
	type ycc = [3]byte
	var (
		table  = ycc{110, 128, 128}
		panel  = ycc{225, 126, 130}
		band   = ycc{70, 170, 90} // a saturated header band
		grout  = ycc{40, 128, 128}
		shadow = ycc{60, 128, 128}
	)
	onCard := func(x, y, top int) bool { return x >= 30 && x <= 109 && y >= top && y <= 169 }
	// The slanted band's outer edge: theta 94, rho -4 (y -1.9 at x 30,
	// y 3.7 at x 110).
	slant := func(x, y int) float64 { return float64(x)*cosT[94] + float64(y)*sinT[94] + 4 }
	cases := []struct {
		name     string
		paint    func(x, y int) ycc
		top      float64    // the panel's top side (the outline's)
		beyond   [2]float64 // theta, rho of the line beyond it
		want     int
		wantTopY float64 // bq's corner 0's y, when found
	}{
		{"a card with a header band, y 30–47", func(x, y int) ycc {
			switch {
			case !onCard(x, y, 30):
				return table
			case y < 48:
				return band
			}
			return panel
		}, 47.5, [2]float64{90, 29.5}, 0, 29.5},
		{"a narrower band, y 34–47, the card's corners rounded (radius 5)", func(x, y int) ycc {
			dx, dy := max(35-x, x-104, 0), max(39-y, 0)
			switch {
			case !onCard(x, y, 34) || dx*dx+dy*dy > 25:
				return table
			case y < 48:
				return band
			}
			return panel
		}, 47.5, [2]float64{90, 33.5}, 0, 33.5},
		{"a whole card, a strip of the band's colour across the table above it", func(x, y int) ycc {
			switch {
			case onCard(x, y, 48):
				return panel
			case y >= 30 && y <= 45:
				return band
			}
			return table
		}, 47.5, [2]float64{90, 29.5}, -1, 0},
		{"a whole card, a grout line across the table above it", func(x, y int) ycc {
			switch {
			case onCard(x, y, 48):
				return panel
			case y >= 29 && y <= 30:
				return grout
			}
			return table
		}, 47.5, [2]float64{90, 30.5}, -1, 0},
		{"a whole card, a drop shadow the card's width above it", func(x, y int) ycc {
			switch {
			case onCard(x, y, 48):
				return panel
			case onCard(x, y, 30):
				return shadow
			}
			return table
		}, 47.5, [2]float64{90, 29.5}, -1, 0},
		{"a whole card on tiles, a tile of the band's colour above it the card's width, a grout line across the table in line with its top third", func(x, y int) ycc {
			switch {
			case onCard(x, y, 48):
				return panel
			case onCard(x, y, 0):
				return band
			case y >= 29 && y <= 30:
				return grout
			}
			return table
		}, 47.5, [2]float64{90, 29.5}, -1, 0},
		{"a card cut through its band by the photo's top edge at a slant", func(x, y int) ycc {
			switch {
			case !onCard(x, y, 0) || slant(x, y) < 0:
				return table
			case y < 18:
				return band
			}
			return panel
		}, 17.5, [2]float64{94, -4}, 0, -1.9},
		{"the same band stopping short of the card's left side", func(x, y int) ycc {
			switch {
			case !onCard(x, y, 0) || slant(x, y) < 0:
				return table
			case y < 18 && x < 50:
				return table
			case y < 18:
				return band
			}
			return panel
		}, 17.5, [2]float64{94, -4}, -1, 0},
	}
	for _, c := range cases {
		e := findEdges(paintPlanes(w, h, c.paint), w, h, new(workspace))
		q := rectQuad(e, 29.5, c.top, 109.5, 169.5)
		l := &line{theta: int(c.beyond[0]), rho: c.beyond[1], nx: cosT[int(c.beyond[0])], ny: sinT[int(c.beyond[0])]}
		profile(l, e, int(math.Ceil(math.Hypot(w, h))))
		lines := []*line{q.side[0], q.side[1], q.side[2], q.side[3], l}
		bq, got := headBand(q, lines, &e, w, h)
		if got != c.want {
			t.Errorf("%s: side %d, want %d", c.name, got, c.want)
			continue
		}
		if got >= 0 && (bq.side[0] != l || math.Abs(bq.c[0][1]-c.wantTopY) > 0.2 || bq.c[3] != q.c[3]) {
			t.Errorf("%s: band outline %v, want its top-left corner at y %.1f on the line beyond", c.name, bq.c, c.wantTopY)
		}
	}
}

// TestHeadBandCovered: a landscape card whose colour band runs along its
// left short side, a fingertip over the band's top-left corner. The
// outline found is the panel right of the band, its corners clean; the
// band's corner under the fingertip is the card's, and the card is
// called cut off.
func TestHeadBandCovered(t *testing.T) {
	for _, c := range []struct{ band, tip int }{{50, 40}, {50, 55}, {70, 55}} {
		card := synthCard{W: 1000, H: 750, X: 180, Y: 170, CW: 640, CH: 404, Radius: 24, Band: c.band,
			Panel: true, Print: true, PX: 200, PY: 60, PW: 390, PH: 260, Background: slate, Card: beige,
			Tip: image.Pt(190, 160), TipR: c.tip}
		rep := Check(card.png(t), DefaultOptions())
		if !rep.Failed("doc_cut_off") {
			t.Errorf("band %d, fingertip radius %d: corners %.2f, outline %v: want doc_cut_off", c.band, c.tip, rep.Scores[CheckCorners], rep.Document)
		}
	}
}
