package imagecheck

import (
	"math"
	"testing"
)

// fitScene is a 200×150 small image: a pale card [40, 160) × [30, 110)
// (luma 200) on grey tiles 25 pixels wide (luma 100) with dark joints
// (luma 60, 2 pixels wide), optionally a printed line 4 pixels inside the
// card's top edge (luma 120) and a fingertip (luma 150, reddish) over the
// card's top-right corner.
func fitScene(t *testing.T, frame, finger bool) edgeMap {
	t.Helper()
	return paintedEdges(200, 150, func(x, y int) (v, cb, cr byte) {
		v, cb, cr = 100, 128, 128
		if x%25 < 2 || y%25 < 2 {
			v = 60
		}
		if x >= 40 && x < 160 && y >= 30 && y < 110 {
			v = 200
			if frame && y == 34 && x >= 44 && x < 156 {
				v = 120
			}
		}
		if finger && math.Hypot(float64(x)-166, float64(y)-24) < 16 {
			v, cb, cr = 150, 110, 160
		}
		return v, cb, cr
	})
}

// paintedEdges is the edge map of a w×h small image whose pixel (x, y)
// has the luma and chroma px gives.
func paintedEdges(w, h int, px func(x, y int) (v, cb, cr byte)) edgeMap {
	var chans [3][]byte
	for c := range chans {
		chans[c] = make([]byte, w*h)
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			chans[0][y*w+x], chans[1][y*w+x], chans[2][y*w+x] = px(x, y)
		}
	}
	return findEdges(chans, w, h, new(workspace))
}

// askewTop is the card's outline with its top side running from the
// card's top-left corner (40, 30) to off, as found near its top-right
// corner.
func askewTop(e edgeMap, off [2]float64) quad {
	q := rectQuad(e, 40, 30, 159, 109)
	l := lineThrough([2]float64{40, 30}, off)
	profile(l, e, int(math.Ceil(math.Hypot(float64(e.w), float64(e.h)))))
	q.side[0] = l
	for _, i := range []int{0, 1} {
		x, y, ok := cornerOf(q.side[(i+3)%4], q.side[i], e.w, e.h)
		if !ok {
			panic("no corner")
		}
		q.c[i] = [2]float64{x, y}
	}
	return q
}

func TestRefitSides(t *testing.T) {
	cases := []struct {
		name          string
		frame, finger bool
		off           [2]float64 // where the top side found meets the right side
		moved         bool
		want          [2]float64 // the top-right corner after
	}{
		{
			name:  "the top side on a printed line near the top-right corner: onto the card's edge",
			frame: true, off: [2]float64{159, 34},
			moved: true, want: [2]float64{159, 30},
		},
		{
			name:  "the top side turned 1° on tiles, 2 pixels off at the top-right corner: onto the card's edge",
			off:   [2]float64{159, 30 + 119*math.Tan(math.Pi/180)},
			moved: true, want: [2]float64{159, 30},
		},
		{
			name: "the top side right: kept",
			off:  [2]float64{159, 30},
		},
		{
			name:   "a fingertip over the top-right corner, the top side 2 pixels off there: still unbacked at it",
			finger: true, off: [2]float64{159, 32},
		},
		{
			name:   "a fingertip over the top-right corner, the top side 5 pixels off there: still unbacked at it",
			finger: true, off: [2]float64{159, 35},
		},
		{
			name:   "a fingertip over the top-right corner, the top side right: still unbacked at it",
			finger: true, off: [2]float64{159, 30},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := fitScene(t, tc.frame, tc.finger)
			q := askewTop(e, tc.off)
			out, moved := refitSides(q, &e, e.w, e.h)
			g := cornerGaps(out)[1]
			if tc.finger {
				// Whatever moved, the corner's sides still run unbacked
				// from it under the fingertip.
				if g[0] < crossMinGap || g[1] < crossMinGap {
					t.Fatalf("gaps at the covered corner %.3f after (corners %.1f → %.1f), want both at least %v", g, q.c, out.c, crossMinGap)
				}
				return
			}
			if moved != tc.moved {
				t.Fatalf("moved = %v, want %v (corners %v → %v)", moved, tc.moved, q.c, out.c)
			}
			if !moved {
				if out.c != q.c {
					t.Fatalf("corners changed though nothing moved: %v → %v", q.c, out.c)
				}
				return
			}
			if d := dist(out.c[1], tc.want); d > 1.5 {
				t.Errorf("top-right corner at %.1f, want %.1f (±1.5)", out.c[1], tc.want)
			}
			if d := dist(out.c[0], [2]float64{40, 30}); d > 1.5 {
				t.Errorf("top-left corner moved to %.1f", out.c[0])
			}
			if g[1] >= crossMinGap {
				t.Errorf("top side's gap at the top-right corner %.3f after, want under %v", g[1], crossMinGap)
			}
		})
	}
}

func TestRefitScores(t *testing.T) {
	// Gaps in short sides at each corner, on the outline found (og) and the
	// refitted one (ng).
	og := [4][2]float64{{0.10, 0.08}, {0, 0}, {0.06, 0.04}, {0.06, 0.04}}
	ng := [4][2]float64{{0.06, 0.08}, {0, 0}, {0.06, 0.04}, {0.01, 0}}
	for _, c := range []struct {
		name   string
		cs, rs [4]float64
		want   [4]float64
	}{
		// Corner 0 covered outright on the outline found: a side turned
		// under the fingertip does not lift it (taken without the rule).
		{"covered outright stays", [4]float64{0, 1, 0.9, 0.7}, [4]float64{0.86, 1, 0.95, 0.98}, [4]float64{0, 1, 0.9, 0.98}},
		// A side fitted askew: the corner whose gaps shrank takes its
		// higher score; one whose gaps did not keeps its own.
		{"askew side", [4]float64{0.5, 1, 0.9, 0.7}, [4]float64{0.86, 1, 0.95, 0.98}, [4]float64{0.86, 1, 0.9, 0.98}},
		// A lower new score is never taken.
		{"lower kept", [4]float64{0.5, 1, 0.9, 0.7}, [4]float64{0.3, 0.8, 0.5, 0.6}, [4]float64{0.5, 1, 0.9, 0.7}},
	} {
		if got := refitScores(c.cs, c.rs, og, ng); got != c.want {
			t.Errorf("%s: refitScores = %v, want %v", c.name, got, c.want)
		}
	}
}
