package imagecheck

import "testing"

// TestRunsToFrame: the outline given is the light panel of a card (x
// 45–177, y 35–105 in a 200×150 photo), with a 3 px paper border around
// it and a coloured band from x 180 on. When the band runs on to the
// photo's edge (the card cut off at the right), the panel's right side is
// the one beyond which the card runs out of the frame; when the card ends
// before the photo's edge, or what runs on to the edge beyond an outline
// is the background (darkened towards the edge) or a table beyond a
// sheet whose edge crosses at a slant, there is none.
func TestRunsToFrame(t *testing.T) {
	const w, h = 200, 150
	type ycc = [3]byte
	var (
		grey  = ycc{80, 128, 128}  // the background
		paper = ycc{220, 128, 128} // the card's border
		panel = ycc{235, 124, 132}
		band  = ycc{90, 165, 95} // a saturated colour band
		table = ycc{40, 128, 128}
	)
	cases := []struct {
		name  string
		paint func(x, y int) ycc
		want  int
	}{
		{"a card cut off at the right: its band runs on to the photo's edge", func(x, y int) ycc {
			return cardAt(x, y, 240, grey, paper, panel, band)
		}, 1},
		{"the same card whole, ending 10 px before the photo's edge", func(x, y int) ycc {
			return cardAt(x, y, 190, grey, paper, panel, band)
		}, -1},
		{"a whole panel-less card near the edge, the background darkening towards it", func(x, y int) ycc {
			if x >= 45 && x <= 177 && y >= 35 && y <= 105 {
				return panel
			}
			v := 120 - max(0, x-150)
			return ycc{byte(v), 128, 128}
		}, -1},
		{"a card on a sheet whose edge crosses beyond its right side at a slant: a dark table to the edge", func(x, y int) ycc {
			if x >= 45 && x <= 177 && y >= 35 && y <= 105 {
				return panel
			}
			if float64(x) > 180+0.8*float64(y-70) {
				return table
			}
			return grey
		}, -1},
	}
	for _, c := range cases {
		e := findEdges(paintPlanes(w, h, c.paint), w, h, new(workspace))
		q := rectQuad(e, 44.5, 34.5, 177.5, 105.5)
		if got := runsToFrame(q, &e, w, h); got != c.want {
			t.Errorf("%s: side %d, want %d", c.name, got, c.want)
		}
	}
}

// cardAt paints a card of x 40–right, y 30–110 on the background bg: a
// paper border, a panel at x 45–177, y 35–105, a band from x 180 on.
func cardAt(x, y, right int, bg, paper, panel, band [3]byte) [3]byte {
	switch {
	case x < 40 || x > right || y < 30 || y > 110:
		return bg
	case x >= 180:
		return band
	case x >= 45 && x <= 177 && y >= 35 && y <= 105:
		return panel
	}
	return paper
}

// TestToFrame: the distance from a point to the photo's edge along a
// direction, literal cases in a 200×150 frame.
func TestToFrame(t *testing.T) {
	cases := []struct {
		x, y, nx, ny, want float64
	}{
		{100, 50, 1, 0, 99}, {100, 50, -1, 0, 100}, {100, 50, 0, 1, 99}, {100, 50, 0, -1, 50},
		{10, 10, -0.6, -0.8, 10 / 0.8},
	}
	for _, c := range cases {
		if got := toFrame(c.x, c.y, c.nx, c.ny, 200, 150); got < c.want-1e-9 || got > c.want+1e-9 {
			t.Errorf("toFrame(%v, %v, %v, %v) = %v, want %v", c.x, c.y, c.nx, c.ny, got, c.want)
		}
	}
}

// TestBandEnds: the band beyond the panel's right side of TestRunsToFrame
// ends at the card's top and bottom edges, in line with the panel's top
// and bottom sides 5 px out; a band whose ends slant away at 45° (a
// table's region beyond a sheet, say) does not end on the card's edges.
func TestBandEnds(t *testing.T) {
	const w, h = 200, 150
	var (
		grey  = [3]byte{80, 128, 128}
		paper = [3]byte{220, 128, 128}
		panel = [3]byte{235, 124, 132}
		band  = [3]byte{90, 165, 95}
	)
	cases := []struct {
		name  string
		paint func(x, y int) [3]byte
		want  bool
	}{
		{"the card's edges", func(x, y int) [3]byte { return cardAt(x, y, 240, grey, paper, panel, band) }, true},
		{"slanting ends", func(x, y int) [3]byte {
			if x >= 180 && y >= 30-(x-180) && y <= 110+(x-180) {
				return band
			}
			return cardAt(x, y, 179, grey, paper, panel, band)
		}, false},
	}
	for _, c := range cases {
		e := findEdges(paintPlanes(w, h, c.paint), w, h, new(workspace))
		q := rectQuad(e, 44.5, 34.5, 177.5, 105.5)
		if got := bandEnds(q, 1, shortest(q.c), w, h, &e); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

// paintPlanes returns the Y, Cb and Cr planes of a w×h image whose pixel
// (x, y) is paint(x, y).
func paintPlanes(w, h int, paint func(x, y int) [3]byte) [3][]byte {
	var chans [3][]byte
	for k := range chans {
		chans[k] = make([]byte, w*h)
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := paint(x, y)
			for k := range chans {
				chans[k][y*w+x] = v[k]
			}
		}
	}
	return chans
}
