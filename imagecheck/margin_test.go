package imagecheck

import (
	"math"
	"testing"
)

// smallScene draws a small image (the outline's scale) as three planes:
// a background, a card, and optionally a printed frame line inside the
// card and a drop shadow beyond its right side.
type smallScene struct {
	w, h           int
	x0, y0, x1, y1 int  // the card, [x0, x1) × [y0, y1)
	bg, card       byte // luma
	frameInset     int  // a 1-pixel printed line this far inside the card's edge (0: none)
	frameLuma      byte
	shadow         int // a band this wide beyond the card's right side, darker than the background (0: none)
}

func (s smallScene) edges(t *testing.T) edgeMap {
	t.Helper()
	n := s.w * s.h
	var chans [3][]byte
	for c := range chans {
		chans[c] = make([]byte, n)
	}
	for y := 0; y < s.h; y++ {
		for x := 0; x < s.w; x++ {
			v := s.bg
			if s.shadow > 0 && x >= s.x1 && x < s.x1+s.shadow && y >= s.y0+s.shadow && y < s.y1+s.shadow {
				v = s.bg - 30
			}
			if x >= s.x0 && x < s.x1 && y >= s.y0 && y < s.y1 {
				v = s.card
				if k := s.frameInset; k > 0 {
					onX := (x == s.x0+k || x == s.x1-1-k) && y >= s.y0+k && y <= s.y1-1-k
					onY := (y == s.y0+k || y == s.y1-1-k) && x >= s.x0+k && x <= s.x1-1-k
					if onX || onY {
						v = s.frameLuma
					}
				}
			}
			chans[0][y*s.w+x] = v
			chans[1][y*s.w+x] = 128
			chans[2][y*s.w+x] = 128
		}
	}
	return findEdges(chans, s.w, s.h, new(workspace))
}

// rectQuad is the quadrilateral of the rectangle [x0, x1] × [y0, y1],
// its sides profiled on e.
func rectQuad(e edgeMap, x0, y0, x1, y1 float64) quad {
	diag := int(math.Ceil(math.Hypot(float64(e.w), float64(e.h))))
	mk := func(theta int, rho float64) *line {
		l := &line{theta: theta, rho: rho, nx: cosT[theta], ny: sinT[theta]}
		profile(l, e, diag)
		return l
	}
	return quad{
		c:    [4][2]float64{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}},
		side: [4]*line{mk(90, y0), mk(0, x1), mk(90, y1), mk(0, x0)},
	}
}

func TestMarginOut(t *testing.T) {
	cases := []struct {
		name           string
		scene          smallScene
		x0, y0, x1, y1 float64 // the outline given
		want           [4]float64
	}{
		{
			name:  "a printed frame inside a pale card on a dark table: out to the card's edge",
			scene: smallScene{w: 200, h: 150, x0: 40, y0: 30, x1: 160, y1: 110, bg: 70, card: 200, frameInset: 5, frameLuma: 90},
			x0:    45, y0: 35, x1: 154, y1: 104,
			want: [4]float64{40, 30, 159.5, 109.5},
		},
		{
			name:  "the card's own edge: kept",
			scene: smallScene{w: 200, h: 150, x0: 40, y0: 30, x1: 160, y1: 110, bg: 70, card: 200},
			x0:    40, y0: 30, x1: 159.5, y1: 109.5,
			want: [4]float64{40, 30, 159.5, 109.5},
		},
		{
			name:  "the card's edge with a drop shadow beyond it: kept (the band is the table's colour)",
			scene: smallScene{w: 200, h: 150, x0: 40, y0: 30, x1: 160, y1: 110, bg: 120, card: 220, shadow: 6},
			x0:    40, y0: 30, x1: 159.5, y1: 109.5,
			want: [4]float64{40, 30, 159.5, 109.5},
		},
		{
			name:  "a printed frame on a card of the table's own colour: no edge beyond to move to",
			scene: smallScene{w: 200, h: 150, x0: 40, y0: 30, x1: 160, y1: 110, bg: 200, card: 200, frameInset: 5, frameLuma: 90},
			x0:    45, y0: 35, x1: 154, y1: 104,
			want: [4]float64{45, 35, 154, 104},
		},
	}
	for _, c := range cases {
		e := c.scene.edges(t)
		q := marginOut(rectQuad(e, c.x0, c.y0, c.x1, c.y1), &e, e.w, e.h)
		got := [4]float64{q.c[0][0], q.c[0][1], q.c[2][0], q.c[2][1]}
		for k := range got {
			if math.Abs(got[k]-c.want[k]) > 1.5 {
				t.Errorf("%s: outline (%.1f, %.1f)–(%.1f, %.1f), want (%.1f, %.1f)–(%.1f, %.1f) ± 1.5",
					c.name, got[0], got[1], got[2], got[3], c.want[0], c.want[1], c.want[2], c.want[3])
				break
			}
		}
	}
}
