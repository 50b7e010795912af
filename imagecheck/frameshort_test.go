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
		cardY0 int     // the card's top row (negative: beyond the frame)
		band   byte    // luma of the pale band above the card's top (the background elsewhere: 70)
		want   float64 // the top corners' y
	}{
		{"a pale card whose top edge is faint against a pale band: its top side is put back", 30, 188, 30},
		{"the same card without the band (its top edge plain): the same", 30, 70, 30},
		{"a card running out of the frame at the top: the outline stays", -20, 188, 0},
	}
	for _, c := range cases {
		var chans [3][]byte
		for k := range chans {
			chans[k] = make([]byte, w*h)
		}
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				v := byte(70)
				if y < max(c.cardY0, 0) {
					v = c.band
				}
				if x >= 40 && x < 160 && y >= c.cardY0 && y < 110 {
					v = 200
				}
				chans[0][y*w+x], chans[1][y*w+x], chans[2][y*w+x] = v, 128, 128
			}
		}
		e := findEdges(chans, w, h, new(workspace))
		q := rectQuad(e, 40, 0, 159, 109.5)
		q.side[0] = &line{theta: 90, ny: 1, frame: true}
		got := frameShort(q, &e, w, h)
		for _, k := range []int{0, 1} {
			if math.Abs(got.c[k][1]-c.want) > 1.5 {
				t.Errorf("%s: top corner %d at y %.1f, want %.1f ± 1.5", c.name, k, got.c[k][1], c.want)
			}
		}
		if got.side[0].frame != (c.want == 0) {
			t.Errorf("%s: top side on the frame %v, want %v", c.name, got.side[0].frame, c.want == 0)
		}
	}
}
