package imagecheck

import "testing"

// TestCardRegion: the outline given is a portrait's frame (a dark box)
// printed on a light card in a 200×150 photo. Around it the card's paper
// is even, so the card's outline is found by its region: whole, or cut
// off where the card runs out of the frame past a corner of the photo.
// It is not when the box's surroundings are a background reaching across
// the photo, a sheet the box covers a good part of (a card lying on it),
// a square label, or an uneven pattern.
func TestCardRegion(t *testing.T) {
	const w, h = 200, 150
	type ycc = [3]byte
	var (
		grey    = ycc{80, 128, 128}
		white   = ycc{246, 127, 129} // a washed-out card
		box     = ycc{100, 120, 140}
		sheet   = ycc{240, 128, 128}
		colours = ycc{150, 100, 160}
	)
	inRect := func(x, y, x0, y0, x1, y1 int) bool { return x >= x0 && x < x1 && y >= y0 && y < y1 }
	cases := []struct {
		name     string
		paint    func(x, y int) ycc
		bx0, by0 int // the box: [bx0, bx1) × [by0, by1)
		bx1, by1 int
		ok, cut  bool
		card     [4][2]float64 // the card's outline when ok
	}{
		{"a washed-out card, x 30-170, y 30-118, the box at x 40-75, y 45-95", func(x, y int) ycc {
			switch {
			case inRect(x, y, 40, 45, 75, 95):
				return box
			case inRect(x, y, 30, 30, 170, 118):
				return white
			}
			return grey
		}, 40, 45, 75, 95, true, false, [4][2]float64{{30, 30}, {170, 30}, {170, 118}, {30, 118}}},
		{"a card running out past the bottom-right corner of the photo", func(x, y int) ycc {
			switch {
			case inRect(x, y, 80, 70, 115, 120):
				return box
			case inRect(x, y, 60, 50, 240, 170):
				return white
			}
			return grey
		}, 80, 70, 115, 120, true, true, [4][2]float64{{60, 50}, {200, 50}, {200, 150}, {60, 150}}},
		{"the card's own outline given: it covers over regionFrame of the photo", func(x, y int) ycc {
			if inRect(x, y, 30, 30, 170, 118) {
				return white
			}
			return grey
		}, 30, 30, 170, 118, false, false, [4][2]float64{}},
		{"a card lying on a sheet, covering a third of it", func(x, y int) ycc {
			switch {
			case inRect(x, y, 60, 50, 140, 100):
				return colours
			case inRect(x, y, 40, 25, 160, 125):
				return sheet
			}
			return grey
		}, 60, 50, 140, 100, false, false, [4][2]float64{}},
		{"a box on a square label", func(x, y int) ycc {
			switch {
			case inRect(x, y, 80, 60, 110, 90):
				return box
			case inRect(x, y, 40, 20, 150, 130):
				return white
			}
			return grey
		}, 80, 60, 110, 90, false, false, [4][2]float64{}},
		{"a box on a checkerboard of 3 px squares", func(x, y int) ycc {
			switch {
			case inRect(x, y, 80, 60, 110, 100):
				return box
			case (x/3+y/3)%2 == 0:
				return white
			}
			return grey
		}, 80, 60, 110, 100, false, false, [4][2]float64{}},
	}
	for _, c := range cases {
		e := findEdges(paintPlanes(w, h, c.paint), w, h, new(workspace))
		q := rectQuad(e, float64(c.bx0)-0.5, float64(c.by0)-0.5, float64(c.bx1)-0.5, float64(c.by1)-0.5)
		got, kind := cardRegion(q, &e, w, h)
		ok, cut := kind == regionWhole || kind == regionCut, kind == regionCut
		if ok != c.ok || cut != c.cut {
			t.Errorf("%s: ok %v cut %v, want %v %v", c.name, ok, cut, c.ok, c.cut)
			continue
		}
		if ok {
			if ov := Overlap(got.c, c.card, w, h); ov < 0.95 {
				t.Errorf("%s: outline %v overlaps the card's %.3f", c.name, got.c, ov)
			}
		}
	}
}

// TestCardRegionAcross: a small box on an even surface that reaches from
// one edge of the photo to the opposite one (a small card on a plain
// desk, a box on a card washed out with its background) is reported as
// such, whatever the surface's tone; a box on a card that ends inside the
// frame is not.
func TestCardRegionAcross(t *testing.T) {
	const w, h = 200, 150
	type ycc = [3]byte
	box := ycc{100, 120, 140}
	for _, c := range []struct {
		name    string
		surface ycc
		card    bool // a darker background around x 30-170, y 30-118
		want    regionKind
	}{
		{"a box on a clipped surface", ycc{254, 128, 128}, false, regionAcross},
		{"a box on a grey desk", ycc{120, 128, 128}, false, regionAcross},
		{"a box on a card", ycc{254, 128, 128}, true, regionWhole},
	} {
		paint := func(x, y int) ycc {
			switch {
			case x >= 80 && x < 110 && y >= 60 && y < 100:
				return box
			case c.card && !(x >= 30 && x < 170 && y >= 30 && y < 118):
				return ycc{60, 128, 128}
			}
			return c.surface
		}
		e := findEdges(paintPlanes(w, h, paint), w, h, new(workspace))
		q := rectQuad(e, 79.5, 59.5, 109.5, 99.5)
		if _, got := cardRegion(q, &e, w, h); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

// TestWashedOut: the middle of a photo is washed out when more than the
// share given of it is at or near white (exposureClip): a 400×300 luma
// plane white in its left part x < k·400 is washed out at k = 0.5, and
// not at k = 0.1 (the whole left tenth lies outside the middle) nor when
// the white is 240.
func TestWashedOut(t *testing.T) {
	const w, h = 400, 300
	for _, c := range []struct {
		k     float64
		white byte
		want  bool
	}{{0.5, 255, true}, {0.1, 255, false}, {0.5, 240, false}} {
		p := planes{w: w, h: h, ys: w, y: make([]byte, w*h)}
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				p.y[y*w+x] = 120
				if float64(x) < c.k*w {
					p.y[y*w+x] = c.white
				}
			}
		}
		if got := washedOut(&p, w/2, h/2, 2, 0.15); got != c.want {
			t.Errorf("white %d left of %.1f: %v, want %v", c.white, c.k, got, c.want)
		}
	}
}
