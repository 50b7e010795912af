package imagecheck

import (
	"image"
	"image/color"
	"testing"
)

// handQuad is the quadrilateral of corners c (photo pixels, scaled by f
// to small pixels), its sides through them, those marked in frame the
// photo's edges.
func handQuad(c [4][2]float64, frame [4]bool, f float64) quad {
	var q quad
	for i := range c {
		q.c[i] = [2]float64{c[i][0] * f, c[i][1] * f}
	}
	for i := range c {
		l := lineThrough(q.c[i], q.c[(i+1)%4])
		l.frame = frame[i]
		q.side[i] = l
	}
	return q
}

// synthEdges is the edge map the outline search sees for the photo s.
func synthEdges(t *testing.T, s synthCard) (edgeMap, float64, int, int) {
	t.Helper()
	ws := workspaces.Get().(*workspace)
	t.Cleanup(func() { workspaces.Put(ws) })
	d, err := decode(s.png(t), DefaultOptions(), ws)
	if err != nil {
		t.Fatal(err)
	}
	_, sw, sh, chans := smallPlanes(&d.p, ws)
	return findEdges(chans, sw, sh, ws), float64(sw) / float64(s.W), sw, sh
}

func TestBandBackground(t *testing.T) {
	paper := color.RGBA{240, 240, 236, 255}
	cases := []struct {
		name         string
		photo        synthCard
		inner, outer [4][2]float64
		frame        [4]bool // the outer outline's sides on the photo's edge
		want         string  // "table" (share ≥ outerMaxBackground), "none" (share 0), "no verdict"
	}{
		{
			// A card lying on a sheet whose top edge lies in the photo,
			// the table above it: an outline of the sheet's right and
			// bottom edges and the photo's top and left edges holds the
			// table between the sheet and the photo's top edge.
			name: "card on a sheet, the table between the sheet and the photo's edge",
			photo: synthCard{W: 1000, H: 750, X: 100, Y: 100, CW: 480, CH: 290, Radius: 18,
				Sheet: image.Rect(-100, 80, 600, 440), SheetColour: paper, Background: slate, Card: beige},
			inner: [4][2]float64{{100, 100}, {580, 100}, {580, 390}, {100, 390}},
			outer: [4][2]float64{{0, 0}, {600, 0}, {600, 440}, {0, 440}},
			frame: [4]bool{true, false, false, true},
			want:  "table",
		},
		{
			// TestOuterEdge's card cut off at the left and bottom: the
			// band between its panel and its edges is the card's own.
			name: "card cut off left and bottom around its panel",
			photo: synthCard{W: 1000, H: 750, X: -150, Y: 450, CW: 640, CH: 404, Radius: 24, Panel: true,
				PX: 200, PY: 40, PW: 360, PH: 240, Background: slate, Card: beige},
			inner: [4][2]float64{{50, 490}, {410, 490}, {410, 730}, {50, 730}},
			outer: [4][2]float64{{0, 450}, {490, 450}, {490, 749}, {0, 749}},
			frame: [4]bool{false, false, true, true},
			want:  "none",
		},
		{
			// The same card on a table of its own colour: the band cannot
			// be told from the table by its colour.
			name: "card of the table's colour cut off around its panel",
			photo: synthCard{W: 1000, H: 750, X: -150, Y: 450, CW: 640, CH: 404, Radius: 24, Panel: true,
				PX: 200, PY: 40, PW: 360, PH: 240, Background: beige, Card: beige},
			inner: [4][2]float64{{50, 490}, {410, 490}, {410, 730}, {50, 730}},
			outer: [4][2]float64{{0, 450}, {490, 450}, {490, 749}, {0, 749}},
			frame: [4]bool{false, false, true, true},
			want:  "no verdict",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, f, w, h := synthEdges(t, c.photo)
			inner := handQuad(c.inner, [4]bool{}, f)
			outer := handQuad(c.outer, c.frame, f)
			share, n := bandBackground(inner, outer, &e, w, h)
			got := "none"
			switch {
			case n == 0:
				got = "no verdict"
			case share >= outerMaxBackground:
				got = "table"
			case share > 0:
				got = "some"
			}
			if got != c.want {
				t.Errorf("share %.2f of %d samples (%s), want %s", share, n, got, c.want)
			}
		})
	}
}
