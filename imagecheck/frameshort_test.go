package imagecheck

import (
	"math"
	"testing"
)

// TestFrameShort: an outline whose top side is the photo's edge, given
// with the card's true left, right and bottom sides. When the card's
// sides stop short of the frame (its top edge is faint against a pale
// band beyond it), the top side goes back to where they stop; when they
// run on to the frame (the card is cut off), the outline stays.
func TestFrameShort(t *testing.T) {
	const w, h = 200, 150
	cases := []struct {
		name   string
		cardY0 int     // the card's top row at its left side (negative: beyond the frame)
		rise   int     // how much lower its top row lies at its right side
		band   byte    // luma of the pale band above the card's top (the background elsewhere: 70)
		want   float64 // the top-left corner's y (the top-right one's: rise lower)
	}{
		{"a pale card whose top edge is faint against a pale band: its top side is put back", 30, 0, 188, 30},
		{"the same card without the band (its top edge plain): the same", 30, 0, 70, 30},
		{"a card running out of the frame at the top: the outline stays", -20, 0, 188, 0},
		// Short side 109.5: the left side's support resumes 7 px
		// (0.06 short sides) from the frame, the right one's 32 (0.29).
		{"a slanted card, its top-left corner 10 px below the frame: its top side is put back", 10, 25, 188, 10},
		{"a slanted card whose top-left corner runs out: the outline stays", -2, 25, 188, 0},
	}
	for _, c := range cases {
		chans := paintPlanes(w, h, func(x, y int) [3]byte {
			v := byte(70)
			top := c.cardY0 + (x-40)*c.rise/119
			if y < max(top, 0) {
				v = c.band
			}
			if x >= 40 && x < 160 && y >= top && y < 110 {
				v = 200
			}
			return [3]byte{v, 128, 128}
		})
		e := findEdges(chans, w, h, new(workspace))
		q := rectQuad(e, 40, 0, 159, 109.5)
		q.side[0] = &line{theta: 90, ny: 1, frame: true}
		got := frameShort(q, &e, w, h)
		for k, want := range []float64{c.want, c.want + float64(c.rise)} {
			if c.want == 0 {
				want = 0
			}
			if math.Abs(got.c[k][1]-want) > 1.5 {
				t.Errorf("%s: top corner %d at y %.1f, want %.1f ± 1.5", c.name, k, got.c[k][1], want)
			}
		}
		if got.side[0].frame != (c.want == 0) {
			t.Errorf("%s: top side on the frame %v, want %v", c.name, got.side[0].frame, c.want == 0)
		}
	}
}

// TestReachesFrame: a hypothesis across the photo's top-left corner (the
// top and left sides the frame's, a 100×60 rectangle) is made only of
// sides backed from within frameShortGap short sides (4.8 px) of the
// frame.
func TestReachesFrame(t *testing.T) {
	// backedFrom is a profile for a line whose parameter runs t0..t0+n,
	// backed from index from on.
	backedFrom := func(l line, t0 float64, n, from int) *line {
		l.t0 = t0
		l.sup, l.in = make([]int32, n+1), make([]int32, n+1)
		for k := 1; k <= n; k++ {
			l.in[k] = int32(k)
			l.sup[k] = l.sup[k-1]
			if k-1 >= from {
				l.sup[k]++
			}
		}
		return &l
	}
	cases := []struct {
		name       string
		right, bot int // where each side's support starts, counted from the frame (px)
		want       bool
	}{
		{"both sides run on to the frame (a cut-off card)", 0, 0, true},
		{"one stops 3 px short (within the gap)", 0, 3, true},
		{"the right side stops 20 px short of the top edge (a whole card's corner)", 20, 0, false},
		{"the bottom side stops 12 px short of the left edge", 0, 12, false},
	}
	for _, c := range cases {
		top := &line{theta: 90, ny: 1, frame: true}
		left := &line{theta: 0, nx: 1, frame: true}
		// The right side x = 100 (parameter y, 0..60 from the top edge)
		// and the bottom side y = 60 (parameter -x, -100..0; index 100 - x).
		right := backedFrom(line{theta: 0, rho: 100, nx: 1}, 0, 60, c.right)
		bot := backedFrom(line{theta: 90, rho: 60, ny: 1}, -100, 100, 0)
		for k := 1; k <= 100; k++ { // backed up to x = c.bot (index 100 - c.bot)
			bot.sup[k] = int32(min(k, 100-c.bot))
		}
		q := quad{
			c:    [4][2]float64{{0, 0}, {100, 0}, {100, 60}, {0, 60}},
			side: [4]*line{top, right, bot, left},
		}
		if got := reachesFrame(&q); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

// TestClosedWhole: an outline whose top side is the photo's edge, given
// with a card's true left, right and bottom sides, is taken for the whole
// card closedWhole makes of it when the card's sides stop short of the
// frame; not when they run on to it (the card is cut off), when a second
// side is the frame's, or when a corner between two sides found lies
// beyond the frame.
func TestClosedWhole(t *testing.T) {
	const w, h = 200, 150
	for _, c := range []struct {
		name   string
		cardY0 int // the card's top row (negative: beyond the frame)
		mod    func(q *quad)
		want   bool
	}{
		{"a pale card whose top edge is faint against a pale band", 30, nil, true},
		{"a card running out of the frame at the top", -20, nil, false},
		{"the same outline with its left side the frame's too", 30, func(q *quad) { q.side[3] = &line{theta: 0, nx: 1, frame: true} }, false},
		{"a bottom-left corner beyond the frame", 30, func(q *quad) { q.c[3][0] = -3 }, false},
	} {
		chans := paintPlanes(w, h, func(x, y int) [3]byte {
			v := byte(70)
			if y < max(c.cardY0, 0) {
				v = 188
			}
			if x >= 40 && x < 160 && y >= c.cardY0 && y < 110 {
				v = 200
			}
			return [3]byte{v, 128, 128}
		})
		e := findEdges(chans, w, h, new(workspace))
		q := rectQuad(e, 40, 0, 159, 109.5)
		q.side[0] = &line{theta: 90, ny: 1, frame: true}
		if c.mod != nil {
			c.mod(&q)
		}
		got, ok := closedWhole(q, &e, w, h)
		if ok != c.want {
			t.Errorf("%s: %v, want %v", c.name, ok, c.want)
			continue
		}
		if ok && (math.Abs(got.c[0][1]-float64(c.cardY0)) > 1.5 || math.Abs(got.c[1][1]-float64(c.cardY0)) > 1.5) {
			t.Errorf("%s: top corners at y %.1f and %.1f, want %d ± 1.5", c.name, got.c[0][1], got.c[1][1], c.cardY0)
		}
	}
}

// TestWholeInsideClosed: a pale card lying whole on a grey sheet that
// runs out of the frame at the top, a band of the card's own tone across
// the sheet's top hiding the card's top edge (no step there at all). The
// sheet's outline is ranked first; the card's three sides with the
// photo's top edge, given a score within wholeMargin of it, are taken,
// closed where the card's sides stop. When the card runs out of the
// frame at the top, its sides run on to the frame and nothing is taken;
// nor is it when its outline scores more than wholeMargin below the
// first.
func TestWholeInsideClosed(t *testing.T) {
	const w, h = 200, 150
	for _, c := range []struct {
		name   string
		cardY0 int
		below  float64 // how far below the first the card's outline scores
		want   bool
	}{
		{"whole, its top edge hidden by the band", 30, 0.3, true},
		{"whole, but ranked too far below the sheet", 30, 0.7, false},
		{"cut off at the top", -20, 0.3, false},
	} {
		chans := paintPlanes(w, h, func(x, y int) [3]byte {
			v := byte(70)
			if x >= 10 && x < 190 && y < 130 {
				v = 120 // the sheet
				if y < max(c.cardY0, 0) {
					v = 200 // the band
				}
			}
			if x >= 45 && x < 155 && y >= c.cardY0 && y < 110 {
				v = 200
			}
			return [3]byte{v, 128, 128}
		})
		e := findEdges(chans, w, h, new(workspace))
		top := &line{theta: 90, ny: 1, frame: true}
		sheet := rectQuad(e, 10, 0, 189.5, 129.5)
		card := rectQuad(e, 45, 0, 154.5, 109.5)
		var hs []hypothesis
		var lines []*line
		for _, q := range []quad{sheet, card} {
			hy, ok := makeHypothesis(top, q.side[1], q.side[2], q.side[3], w, h)
			if !ok {
				t.Fatalf("%s: no hypothesis of %v", c.name, q.c)
			}
			hs = append(hs, hy)
			lines = append(lines, q.side[1], q.side[2], q.side[3])
		}
		cardScore := fullScore(&hs[1], lines, e)
		got, ok := wholeInside(hs, 0, cardScore+c.below, lines, e, w, h)
		if ok != c.want {
			t.Errorf("%s: taken %v (%v), want %v", c.name, ok, got.c, c.want)
			continue
		}
		want := [4][2]float64{{45, 30}, {154.5, 30}, {154.5, 109.5}, {45, 109.5}}
		if ok && qdistTest(got.c, want) > 2 {
			t.Errorf("%s: outline %v, want the card %v", c.name, got.c, want)
		}
	}
}

// qdistTest is the largest distance between the corners of a and b,
// matched in the order (either way round) that makes it least.
func qdistTest(a, b [4][2]float64) float64 {
	best := math.Inf(1)
	for r := 0; r < 4; r++ {
		for _, rev := range []bool{false, true} {
			m := 0.0
			for i := 0; i < 4; i++ {
				j := (i + r) % 4
				if rev {
					j = (r - i + 8) % 4
				}
				m = math.Max(m, math.Hypot(a[i][0]-b[j][0], a[i][1]-b[j][1]))
			}
			best = math.Min(best, m)
		}
	}
	return best
}

// TestPanelShort: the part of a pale card below a dark band across it
// (the band's lower edge at y 40, the card's sides at x 20 and 179), the
// outline given with its bottom side on the photo's edge. The card's
// bottom edge is faint against a pale strip of the ground beyond it: its
// sides stop there, short of the frame. Closed there, the outline is
// 160 px by 65 (aspect 2.46), longer than a document (frameShort keeps
// the frame), and panelShort puts the bottom side back where the card's
// sides stop. A card running out of the frame keeps it, and so does a
// closure longer than a part of a card below a band (160 by 55, 2.91).
func TestPanelShort(t *testing.T) {
	const w, h = 200, 150
	for _, c := range []struct {
		name   string
		bottom int     // the card's last row (beyond the frame: it runs out)
		want   float64 // the bottom corners' y (0: the side stays the frame's)
	}{
		{"the card's bottom edge faint, 44 px above the photo's edge", 105, 105.5},
		{"the card running out of the frame at the bottom", 160, 0},
		{"a closure longer than a part of a card", 95, 0},
	} {
		chans := paintPlanes(w, h, func(x, y int) [3]byte {
			v := byte(70)
			if y > c.bottom {
				v = 188 // the pale strip beyond the card's bottom edge
			}
			if x >= 20 && x < 180 && y <= c.bottom {
				v = 200
				if y < 40 {
					v = 60 // the band
				}
			}
			return [3]byte{v, 128, 128}
		})
		e := findEdges(chans, w, h, new(workspace))
		q := rectQuad(e, 20, 39.5, 179.5, 149)
		q.side[2] = &line{theta: 90, rho: 149, ny: 1, frame: true}
		if got := frameShort(q, &e, w, h); !got.side[2].frame {
			t.Errorf("%s: frameShort moved the bottom side to %v", c.name, got.c)
		}
		got := panelShort(q, &e, w, h)
		if got.side[2].frame != (c.want == 0) {
			t.Errorf("%s: bottom side on the frame %v, want %v (outline %v)", c.name, got.side[2].frame, c.want == 0, got.c)
			continue
		}
		if c.want > 0 {
			for _, k := range []int{2, 3} {
				if math.Abs(got.c[k][1]-c.want) > 1.5 {
					t.Errorf("%s: bottom corner %d at y %.1f, want %.1f ± 1.5", c.name, k, got.c[k][1], c.want)
				}
			}
		}
	}
}
