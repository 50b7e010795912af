package imagecheck

import (
	"math"
	"testing"
)

// snapScene is a 200×150 small image: a pale card [40, 160) × [30, 110)
// (luma 200) on grey tiles (luma 100) with a dark joint (luma 60, 2 pixels
// wide) along x = joint (none when 0), optionally a printed line (luma 120)
// along y = frameY inside the card from x = 46 to 154, and a fingertip
// (luma 150, reddish, radius fingerR) around (164, 26), over the card's
// top-right corner.
func snapScene(joint, frameY int, fingerR float64) edgeMap {
	return paintedEdges(200, 150, func(x, y int) (v, cb, cr byte) {
		v, cb, cr = 100, 128, 128
		if joint > 0 && (x == joint || x == joint+1) {
			v = 60
		}
		if x >= 40 && x < 160 && y >= 30 && y < 110 {
			v = 200
			if frameY > 0 && y == frameY && x >= 46 && x < 154 {
				v = 120
			}
		}
		if fingerR > 0 && math.Hypot(float64(x)-164, float64(y)-26) < fingerR {
			v, cb, cr = 150, 110, 160
		}
		return v, cb, cr
	})
}

func TestSnapSides(t *testing.T) {
	cases := []struct {
		name           string
		joint, frameY  int
		finger         float64
		x0, y0, x1, y1 float64    // the outline given
		cs             [4]float64 // its corners' scores
		moved          bool
		want           [4]float64 // x0, y0, x1, y1 after (±1.5)
	}{
		{
			name:  "the right side on a tile joint 6 pixels beyond the card: onto the card's edge",
			joint: 165, x0: 40, y0: 30, x1: 165.5, y1: 109, cs: [4]float64{1, 0.8, 0.8, 1},
			moved: true, want: [4]float64{40, 30, 159.5, 109},
		},
		{
			name:  "the same, only the top-left corner failing: no side of it is off, kept",
			joint: 165, x0: 40, y0: 30, x1: 165.5, y1: 109, cs: [4]float64{0.8, 1, 1, 1},
		},
		{
			name:  "the same, the bottom-left corner scored 0 (covered outright): kept",
			joint: 165, x0: 40, y0: 30, x1: 165.5, y1: 109, cs: [4]float64{1, 0.8, 0.8, 0},
		},
		{
			name:   "the bottom side on a printed frame 6 pixels inside the card: onto the card's edge",
			frameY: 103, x0: 40, y0: 30, x1: 159, y1: 103, cs: [4]float64{1, 1, 0.8, 0.8},
			moved: true, want: [4]float64{40, 30, 159, 109.5},
		},
		{
			name:  "the outline on the card's edges, a tile joint 6 pixels beyond: kept",
			joint: 165, x0: 40, y0: 30, x1: 159, y1: 109, cs: [4]float64{0.8, 0.8, 0.8, 0.8},
		},
		{
			name:  "a fingertip over the top-right corner, the right side on a tile joint beyond: kept",
			joint: 165, finger: 22, x0: 40, y0: 30, x1: 165.5, y1: 109, cs: [4]float64{1, 0.5, 0.8, 1},
		},
		{
			name:   "a fingertip over the top-right corner, the outline on the card's edges: kept",
			finger: 22, x0: 40, y0: 30, x1: 159, y1: 109, cs: [4]float64{0.8, 0.5, 0.8, 0.8},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := snapScene(tc.joint, tc.frameY, tc.finger)
			q := rectQuad(e, tc.x0, tc.y0, tc.x1, tc.y1)
			out, moved := snapSides(q, &e, e.w, e.h, tc.cs, 0.85)
			if moved != tc.moved {
				t.Fatalf("moved = %v, want %v (corners %.1f → %.1f)", moved, tc.moved, q.c, out.c)
			}
			if !moved {
				if out.c != q.c {
					t.Fatalf("corners changed though nothing moved: %v → %v", q.c, out.c)
				}
				return
			}
			want := [4][2]float64{{tc.want[0], tc.want[1]}, {tc.want[2], tc.want[1]}, {tc.want[2], tc.want[3]}, {tc.want[0], tc.want[3]}}
			for i := range want {
				if d := dist(out.c[i], want[i]); d > 1.5 {
					t.Errorf("corner %d at %.1f, want %.1f (±1.5)", i, out.c[i], want[i])
				}
			}
			for i, g := range cornerGaps(out) {
				if g[0] >= crossMinGap || g[1] >= crossMinGap {
					t.Errorf("corner %d's gaps %.3f after, want both under %v", i, g, crossMinGap)
				}
			}
		})
	}
}

// BenchmarkSnapSides times one search on a 200×150 small image whose
// outline's right side lies on a tile joint beyond the card (it runs only
// on outlines whose corners fail).
func BenchmarkSnapSides(b *testing.B) {
	e := snapScene(165, 0, 0)
	q := rectQuad(e, 40, 30, 165.5, 109)
	for b.Loop() {
		snapSides(q, &e, e.w, e.h, [4]float64{1, 0.8, 0.8, 1}, 0.85)
	}
}
