package imagecheck

import "testing"

// TestSmallBoxCard: a 200×150 photo, the outline given a portrait box
// (x 70–110, y 40–90) printed on a card (x 50–130 from y 20) that runs on
// past the photo's bottom edge. The card's left, right and top edges lie
// 20 px beyond the box (within linesBeyond's reach), the photo's bottom
// edge 59 px beyond it (further than outerFrameNear), the card's sides
// running on, backed, to it (farFrameHolds). The box covers 0.19 of what
// the photo shows of the card, under outerMinInner:
//   - with the card's top corners rounded as a card's (radius 8) the
//     outline moves out to the card's edges and the photo's bottom edge
//     (fails without cardCorners waiving outerMinInner);
//   - with square corners the same picture is a box lying whole on a
//     sheet that runs out of the frame: the box is kept.
func TestSmallBoxCard(t *testing.T) {
	const w, h = 200, 150
	for _, c := range []struct {
		name string
		r    int
		want bool // the bottom side on the photo's edge
	}{
		{"a card's rounded corners", 8, true},
		{"a sheet's square corners", 0, false},
	} {
		paint := cutCardPaint(50, 130, 20, c.r, [4]int{70, 40, 110, 90})
		e := findEdges(paintPlanes(w, h, paint), w, h, new(workspace))
		lines := houghLines(e, new(workspace))
		q := rectQuad(e, 69.5, 39.5, 110.5, 90.5)
		o := outerQuad(q, lines, e, w, h, testPlanes(w, h, paint), 1)
		if got := o.side[2].frame; got != c.want {
			t.Errorf("%s: outline %v, the bottom side on the photo's edge %v, want %v", c.name, o.c, got, c.want)
		}
	}
}
