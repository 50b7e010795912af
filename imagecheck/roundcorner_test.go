package imagecheck

import (
	"math"
	"testing"
)

// testPlanes paints working planes (chroma at half resolution, sampled at
// even pixels) from paint.
func testPlanes(w, h int, paint func(x, y int) [3]byte) *planes {
	p := &planes{w: w, h: h, ys: w, y: make([]byte, w*h), cw: (w + 1) / 2, ch: (h + 1) / 2, cs: (w + 1) / 2}
	p.cb, p.cr = make([]byte, p.cw*p.ch), make([]byte, p.cw*p.ch)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := paint(x, y)
			p.y[y*w+x] = v[0]
			if x%2 == 0 && y%2 == 0 {
				p.cb[(y/2)*p.cs+x/2], p.cr[(y/2)*p.cs+x/2] = v[1], v[2]
			}
		}
	}
	return p
}

// cornerCard paints a card whose top-left corner is at (x0, y0), rounded
// to radius r, running on past the photo's right and bottom edges; with
// a box (x from bx0 to bx1, y from by0 to by1) printed on it.
func cornerCard(x0, y0, r int, box [4]int) func(x, y int) [3]byte {
	table, card, dark := [3]byte{60, 128, 128}, [3]byte{200, 120, 140}, [3]byte{90, 135, 150}
	return func(x, y int) [3]byte {
		switch {
		case x >= box[0] && x <= box[2] && y >= box[1] && y <= box[3]:
			return dark
		case x < x0 || y < y0:
			return table
		case x < x0+r && y < y0+r && math.Hypot(float64(x0+r-x)-0.5, float64(y0+r-y)-0.5) > float64(r):
			return table
		}
		return card
	}
}

// TestCornerRounding: a card's corner rounded to a radius of 0 (a sheet's
// corner), 4, 8 and 12 pixels, its sides found 1 px off; the crossing
// along the bisector lies 0.41 of the radius in (within a pixel).
func TestCornerRounding(t *testing.T) {
	const w, h = 200, 150
	for _, r := range []int{0, 4, 8, 12} {
		p := testPlanes(w, h, cornerCard(60, 40, r, [4]int{-1, -1, -1, -1}))
		got, ok := cornerRounding(p, [2]float64{61, 41}, [2]float64{199, 41}, [2]float64{61, 149}, 6)
		want := (math.Sqrt2 - 1) * float64(r)
		if !ok || math.Abs(got-want) > 1 {
			t.Errorf("radius %d: rounding %.2f (%v), want %.2f", r, got, ok, want)
		}
		if rounded := ok && got >= roundMin; rounded != (r >= 8) {
			t.Errorf("radius %d: rounding %.2f, taken for a card's corner %v", r, got, rounded)
		}
	}
	// A corner with no contrast (a card on a table of its colour).
	p := testPlanes(w, h, func(int, int) [3]byte { return [3]byte{200, 120, 140} })
	if _, ok := cornerRounding(p, [2]float64{61, 41}, [2]float64{199, 41}, [2]float64{61, 149}, 6); ok {
		t.Error("no contrast: judged")
	}
}

// TestCornerFrame: a portrait box (x 150–192, y 50–105) printed on a card
// whose top-left corner, rounded, is at (130, 30) and which runs on past
// the photo's right and bottom edges: the box is 7 px from the right edge
// (the near frame) and 44 px from the bottom (far, past outerFrameNear),
// so farFrameHolds refuses the bottom edge beside the right one and the
// box is kept on main. With the corner rounded as a card's (radius 8) the
// outline moves out to the card's left and top edges and the photo's
// right and bottom edges. With a square corner the same picture is a card
// (the box) lying whole on a sheet that runs out past the photo's corner:
// the box is kept.
func TestCornerFrame(t *testing.T) {
	const w, h = 200, 150
	box := [4]int{150, 50, 192, 105}
	for _, c := range []struct {
		name string
		r    int
		want bool // the outline on the photo's edges
	}{
		{"a card's rounded corner", 8, true},
		{"a sheet's square corner", 0, false},
	} {
		paint := cornerCard(130, 30, c.r, box)
		e := findEdges(paintPlanes(w, h, paint), w, h, new(workspace))
		lines := houghLines(e, new(workspace))
		q := rectQuad(e, float64(box[0])-0.5, float64(box[1])-0.5, float64(box[2])+0.5, float64(box[3])+0.5)
		o := outerQuad(q, lines, e, w, h, testPlanes(w, h, paint), 1)
		frames := 0
		for _, l := range o.side {
			if l.frame {
				frames++
			}
		}
		if got := frames == 2; got != c.want {
			t.Errorf("%s: outline %v, %d sides on the photo's edge, want both: %v", c.name, o.c, frames, c.want)
		}
	}
}
