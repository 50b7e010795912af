package imagecheck

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
	"testing"
)

// synthCard describes a synthetic photo whose answer is known by
// construction: a flat background, a card with rounded corners (its
// top-left corner at X, Y, W×H pixels, possibly running out of the
// frame), optionally an inner panel (a white rectangle with a dark border
// around dark "text" bars) at PX, PY, PW×PH relative to the card, with
// Print a header line above it and a portrait (a brown checkerboard)
// left of it.
type synthCard struct {
	W, H         int // the photo
	X, Y, CW, CH int // the card
	Radius       int
	Panel, Print bool
	// Band, when above 0, is a dark colour band that wide along the
	// card's left short side.
	Band             int
	PX, PY, PW, PH   int
	Background, Card color.RGBA
	// Sheet, when not empty, is a plain sheet (paper) under the card, in
	// photo pixels, of colour SheetColour.
	Sheet       image.Rectangle
	SheetColour color.RGBA
	// Tiles, when above 0, lays the background in square tiles that wide
	// with dark 2-pixel grout lines between them.
	Tiles int
	// TipR, when above 0, lays a fingertip over everything: a disc of
	// skin colour of that radius centred at Tip (photo pixels).
	Tip  image.Point
	TipR int
}

func (s synthCard) image() *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, s.W, s.H))
	for y := 0; y < s.H; y++ {
		for x := 0; x < s.W; x++ {
			c := s.Background
			// A faint texture so the background is not perfectly flat.
			if (x/7+y/5)%2 == 0 {
				c.R, c.G, c.B = c.R+3, c.G+3, c.B+3
			}
			if image.Pt(x, y).In(s.Sheet) {
				c = s.SheetColour
			}
			if s.Tiles > 0 && (x%s.Tiles < 2 || y%s.Tiles < 2) {
				c = color.RGBA{70, 70, 75, 255}
			}
			if dx, dy := x-s.Tip.X, y-s.Tip.Y; s.TipR > 0 && dx*dx+dy*dy <= s.TipR*s.TipR {
				img.SetRGBA(x, y, color.RGBA{200, 150, 120, 255})
				continue
			}
			cx, cy := x-s.X, y-s.Y
			if s.inCard(cx, cy) {
				c = s.Card
				if cx < s.Band {
					img.SetRGBA(x, y, color.RGBA{40, 110, 70, 255})
					continue
				}
				if s.Panel {
					px, py := cx-s.PX, cy-s.PY
					switch {
					case px < 0 || py < 0 || px >= s.PW || py >= s.PH:
						// The card around the panel is printed too: a
						// header line above it, a portrait beside it.
						switch {
						case !s.Print:
						case (cy/14)%4 == 1 && cy < s.PY-8 && cx > 30 && cx < s.CW-40 && (cx/9)%5 != 0:
							c = color.RGBA{30, 30, 30, 255}
						case cx >= 20 && cx < s.PX-20 && py >= 0 && py < s.PH:
							c = color.RGBA{150, 110, 90, 255}
							if (cx/6+cy/6)%2 == 0 {
								c = color.RGBA{90, 70, 60, 255}
							}
						}
					case px < 4 || py < 4 || px >= s.PW-4 || py >= s.PH-4:
						c = color.RGBA{40, 50, 70, 255}
					case (py/14)%3 == 1 && px > 20 && px < s.PW-30 && (px/9)%5 != 0:
						c = color.RGBA{30, 30, 30, 255} // text
					default:
						c = color.RGBA{250, 250, 248, 255}
					}
				} else if (cy/14)%4 == 1 && cx > 40 && cx < s.CW-60 && (cx/9)%5 != 0 {
					c = color.RGBA{30, 30, 30, 255}
				}
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

// inCard reports whether card-relative (x, y) is on the card, its
// corners rounded.
func (s synthCard) inCard(x, y int) bool {
	if x < 0 || y < 0 || x >= s.CW || y >= s.CH {
		return false
	}
	r := s.Radius
	dx := max(r-x, x-(s.CW-1-r), 0)
	dy := max(r-y, y-(s.CH-1-r), 0)
	return dx*dx+dy*dy <= r*r
}

func (s synthCard) png(t testing.TB) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, s.image()); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

var (
	slate = color.RGBA{60, 75, 95, 255}
	beige = color.RGBA{225, 210, 170, 255}
)

func TestOuterEdge(t *testing.T) {
	cases := []struct {
		name    string
		card    synthCard
		cutOff  bool
		outline [4][2]float64 // expected corners (tl, tr, br, bl) when not cut off
	}{
		{
			name:    "plain card in frame",
			card:    synthCard{W: 1000, H: 750, X: 180, Y: 170, CW: 640, CH: 404, Radius: 24, Background: slate, Card: beige},
			outline: [4][2]float64{{180, 170}, {820, 170}, {820, 574}, {180, 574}},
		},
		{
			name: "card with an inner panel in frame: the outline is the card",
			card: synthCard{W: 1000, H: 750, X: 180, Y: 170, CW: 640, CH: 404, Radius: 24, Panel: true,
				PX: 200, PY: 60, PW: 390, PH: 260, Background: slate, Card: beige},
			outline: [4][2]float64{{180, 170}, {820, 170}, {820, 574}, {180, 574}},
		},
		{
			name: "card cut off left and bottom, its inner panel complete",
			card: synthCard{W: 1000, H: 750, X: -150, Y: 450, CW: 640, CH: 404, Radius: 24, Panel: true,
				PX: 200, PY: 40, PW: 360, PH: 240, Background: slate, Card: beige},
			cutOff: true,
		},
		{
			name: "card cut off on the right, its inner panel complete",
			card: synthCard{W: 1000, H: 750, X: 480, Y: 170, CW: 640, CH: 404, Radius: 24, Panel: true,
				PX: 40, PY: 60, PW: 390, PH: 260, Background: slate, Card: beige},
			cutOff: true,
		},
		{
			name: "card cut off right and top, a small panel in a printed card",
			card: synthCard{W: 1000, H: 750, X: 460, Y: -90, CW: 640, CH: 404, Radius: 24, Panel: true, Print: true,
				PX: 40, PY: 190, PW: 260, PH: 170, Background: slate, Card: beige},
			cutOff: true,
		},
		{
			// A card lying square on a sheet of paper that runs out of
			// the frame: the sheet's edges are parallel to the card's and
			// end at the frame, but the card itself is whole.
			name: "card in frame on a sheet that runs out of the frame",
			card: synthCard{W: 1000, H: 750, X: 300, Y: 250, CW: 480, CH: 303, Radius: 18,
				Sheet: image.Rect(-50, 150, 880, 800), SheetColour: color.RGBA{240, 240, 236, 255}, Background: slate, Card: beige},
			outline: [4][2]float64{{300, 250}, {780, 250}, {780, 553}, {300, 553}},
		},
		{
			// The card runs out of the frame on the left a few pixels
			// beyond its colour band: the band's inner edge, near the
			// frame, is not the card's.
			name: "card cut off on the left just past its colour band",
			card: synthCard{W: 1000, H: 750, X: -44, Y: 170, CW: 640, CH: 404, Radius: 24, Band: 52,
				Background: slate, Card: beige},
			cutOff: true,
		},
		{
			// The card runs out of the frame through its colour band, and
			// the edge of a sheet it lies beside runs on in line with its
			// bottom side past its corner: the corner is the band
			// rectangle's own, the run past it no reason to refuse the
			// frame for the band's inner edge.
			name: "card cut off through its colour band, a sheet's edge in line with its bottom side",
			card: synthCard{W: 1000, H: 750, X: -40, Y: 170, CW: 640, CH: 404, Radius: 24, Band: 110,
				Panel: true, PX: 200, PY: 80, PW: 300, PH: 200, Background: slate, Card: beige,
				Sheet: image.Rect(600, 574, 1000, 750), SheetColour: color.RGBA{240, 240, 236, 255}},
			cutOff: true,
		},
		{
			name: "the same, the sheet's edge in line with its top side",
			card: synthCard{W: 1000, H: 750, X: -40, Y: 170, CW: 640, CH: 404, Radius: 24, Band: 110,
				Panel: true, PX: 200, PY: 80, PW: 300, PH: 200, Background: slate, Card: beige,
				Sheet: image.Rect(600, 0, 1000, 170), SheetColour: color.RGBA{150, 150, 150, 255}},
			cutOff: true,
		},
		{
			// A card lying whole on a sheet whose bottom edge passes
			// just above the card's, near the photo's bottom edge: an
			// outline of the sheet's three edges and the photo's bottom
			// edge holds the card, but between the card's bottom side
			// and the photo's edge lies the table, not a card running on
			// (fails without frameStripBackground's test).
			name: "card overhanging a sheet near the photo's edge",
			card: synthCard{W: 1000, H: 750, X: 150, Y: 420, CW: 480, CH: 300, Radius: 18,
				Sheet: image.Rect(130, 260, 700, 710), SheetColour: color.RGBA{240, 240, 236, 255}, Background: slate, Card: beige},
			outline: [4][2]float64{{150, 420}, {630, 420}, {630, 720}, {150, 720}},
		},
		{
			name: "card cut off at the top, its inner panel complete",
			card: synthCard{W: 1000, H: 750, X: 180, Y: -120, CW: 640, CH: 404, Radius: 24, Panel: true,
				PX: 200, PY: 130, PW: 390, PH: 260, Background: slate, Card: beige},
			cutOff: true,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rep := Check(c.card.png(t), DefaultOptions())
			corners := rep.Scores[CheckCorners]
			if c.cutOff {
				if !rep.Failed("doc_cut_off") {
					t.Errorf("corners %.2f, outline %v: want doc_cut_off", corners, rep.Document)
				}
				return
			}
			if rep.Failed("doc_cut_off") {
				t.Errorf("corners %.2f: want the corners visible", corners)
			}
			if len(rep.Document) != 4 {
				t.Fatalf("no outline")
			}
			tol := 0.03 * float64(c.card.CW)
			for i, p := range rep.Document {
				if d := math.Hypot(p.X-c.outline[i][0], p.Y-c.outline[i][1]); d > tol {
					t.Errorf("corner %d at (%.0f, %.0f), want (%.0f, %.0f) ± %.0f", i, p.X, p.Y, c.outline[i][0], c.outline[i][1], tol)
				}
			}
		})
	}
}

func TestEncloses(t *testing.T) {
	sq := func(x0, y0, x1, y1 float64) [4][2]float64 {
		return [4][2]float64{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}
	}
	cases := []struct {
		name         string
		outer, inner [4][2]float64
		want         bool
	}{
		{"strictly inside", sq(0, 0, 100, 60), sq(10, 10, 90, 50), true},
		{"sharing a side", sq(0, 0, 100, 60), sq(0, 10, 90, 50), true},
		{"the same", sq(0, 0, 100, 60), sq(0, 0, 100, 60), true},
		{"poking out", sq(0, 0, 100, 60), sq(10, 10, 110, 50), false},
		{"outside", sq(0, 0, 100, 60), sq(200, 10, 290, 50), false},
	}
	for _, c := range cases {
		if got := encloses(c.outer, c.inner); got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}

// backedBeyond on support profiles drawn by hand: a line sampled at t =
// 0..40, the inner side's corners at t = 10 and 30, the outer side now
// running from lo to hi.
func TestBackedBeyond(t *testing.T) {
	profile := func(backed func(t int) bool) *line {
		l := &line{sup: make([]int32, 42), in: make([]int32, 42)}
		for k := 1; k <= 41; k++ {
			l.in[k] = l.in[k-1] + 1
			l.sup[k] = l.sup[k-1]
			if backed(k - 1) {
				l.sup[k]++
			}
		}
		return l
	}
	all := profile(func(int) bool { return true })
	between := profile(func(t int) bool { return t >= 10 && t < 30 })
	mostly := profile(func(t int) bool { return t >= 3 && t != 35 })
	oneEach := profile(func(t int) bool { return (t >= 10 && t < 30) || t == 8 || t == 31 })
	cases := []struct {
		name   string
		l      *line
		lo, hi float64
		want   bool
	}{
		{"backed all along", all, 0, 40, true},
		{"nothing beyond the inner corners", between, 0, 40, false},
		{"nothing beyond, runs of 3", between, 7, 33, false},
		{"runs of 3 with one backed sample each", oneEach, 7, 33, true},
		{"runs of 1: not looked at", between, 9, 31, true},
		{"a run of 10 with 7 backed", mostly, 0, 40, true},
		{"unchanged side", between, 10, 30, true},
	}
	for _, c := range cases {
		if got := backedBeyond(c.l, c.lo, c.hi, 10, 30); got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}

func TestInsideShare(t *testing.T) {
	sq := func(x0, y0, x1, y1 float64) [4][2]float64 {
		return [4][2]float64{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}
	}
	cases := []struct {
		name         string
		outer, inner [4][2]float64
		want         float64
	}{
		{"strictly inside", sq(0, 0, 100, 60), sq(10, 10, 90, 50), 1},
		{"the same", sq(0, 0, 100, 60), sq(0, 0, 100, 60), 1},
		{"half out on the right", sq(0, 0, 100, 60), sq(60, 10, 140, 50), 0.5},
		{"a quarter in at a corner", sq(0, 0, 100, 60), sq(80, 40, 120, 80), 0.25},
		{"outside", sq(0, 0, 100, 60), sq(200, 10, 290, 50), 0},
		{"the corners in the other order", sq(0, 0, 100, 60), [4][2]float64{{60, 10}, {60, 50}, {140, 50}, {140, 10}}, 0.5},
		{"a triangle-thin inner", sq(0, 0, 100, 60), sq(10, 10, 10, 50), 0},
	}
	for _, c := range cases {
		if got := insideShare(c.outer, c.inner); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("%s: got %.4f, want %.4f", c.name, got, c.want)
		}
	}
}

func TestRunsOut(t *testing.T) {
	l := &line{}
	f := &line{frame: true}
	in := [4][2]float64{{10, 10}, {150, 10}, {150, 100}, {10, 100}}
	cases := []struct {
		name string
		q    quad
		want bool
	}{
		{"whole in a 200×150 frame", quad{c: in, side: [4]*line{l, l, l, l}}, false},
		{"a corner on the frame's border", quad{c: [4][2]float64{{0.5, 10}, {150, 10}, {150, 100}, {10, 100}}, side: [4]*line{l, l, l, l}}, true},
		{"a corner beyond the right edge", quad{c: [4][2]float64{{10, 10}, {210, 10}, {150, 100}, {10, 100}}, side: [4]*line{l, l, l, l}}, true},
		{"a side on the photo's edge", quad{c: in, side: [4]*line{l, f, l, l}}, true},
	}
	for _, c := range cases {
		if got := runsOut(c.q, 200, 150); got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}

// printedOn on outlines drawn by hand in a 200×150 photo. The card runs
// out across the photo's bottom-right corner: its visible part is the
// rectangle (80, 60)–(199, 149), 119 × 89 = 10591 square pixels, its
// right and bottom sides the photo's edges.
func TestPrintedOn(t *testing.T) {
	card, box := cornerCutCard(), lineBox
	cases := []struct {
		name         string
		inner, outer quad
		want         bool
	}{
		// 35 × 50 = 1750: 0.17 of the card's visible area.
		{"a hologram patch on the card", box(90, 85, 125, 135), card, true},
		// 100 × 65 = 6500: 0.61, a card lying on a sheet that runs out.
		{"a card lying whole on a sheet running out", box(90, 70, 190, 135), card, false},
		{"a box half outside the outline", box(60, 85, 95, 135), card, false},
		// The outer outline whole in the frame: nothing runs out.
		{"an outline whole in the frame", box(90, 85, 125, 135), box(80, 60, 198, 148), false},
	}
	for _, c := range cases {
		if got := printedOn(c.inner, c.outer, 200, 150); got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}

// hardlyOut on outlines drawn by hand in a 200×150 photo: a card found
// whole at (60, 40)–(180, 147), its bottom side 2 pixels from the
// photo's bottom edge (y = 149), and outlines around it.
func TestHardlyOut(t *testing.T) {
	f := &line{frame: true}
	card, box := lineBox(60, 40, 180, 147), lineBox
	frameBottom := box(55, 35, 185, 149)
	frameBottom.side[2] = f
	cases := []struct {
		name         string
		inner, outer quad
		want         bool
	}{
		{"its shadow's edge 3 pixels out: corners 1 pixel beyond the edge", card, box(57, 37, 183, 150), true},
		{"an edge 6 pixels out: corners 4 pixels beyond", card, box(54, 34, 186, 153), true},
		{"an edge 8 pixels out: corners 6 pixels beyond, the card runs out", card, box(52, 32, 188, 155), false},
		{"the bottom side moved to the photo's edge", card, frameBottom, false},
		{"an outline around it whole in the frame", card, box(57, 37, 183, 148), false},
		{"the inner outline runs out itself", box(60, 40, 180, 150), box(57, 37, 183, 151), false},
	}
	for _, c := range cases {
		if got := hardlyOut(c.inner, c.outer, 200, 150); got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}

func TestPrintedMargin(t *testing.T) {
	// The card runs out of the 200×150 photo on the right and at the
	// bottom: 119 × 89 = 10591 of it shows.
	card, box := cornerCutCard(), lineBox
	cases := []struct {
		name  string
		inner quad
		want  float64
	}{
		// 35 × 50 = 1750: 0.17 of the card's visible area.
		{"a portrait, 0.17 of the card", box(90, 85, 125, 135), smallBoxMargin},
		// 40 × 50 = 2000: 0.19.
		{"a hologram, 0.19 of the card", box(90, 85, 130, 135), smallBoxMargin},
		// 45 × 50 = 2250: 0.21.
		{"a panel, 0.21 of the card", box(90, 85, 135, 135), wholeMargin},
		// 55 × 50 = 2750: 0.26.
		{"a panel, 0.26 of the card", box(90, 85, 145, 135), wholeMargin},
	}
	for _, c := range cases {
		if got := printedMargin(c.inner, card, 200, 150); got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}

// cornerCutCard is the outline of a card running out across the
// bottom-right corner of a 200×150 photo: its visible part is the
// rectangle (80, 60)–(199, 149), its right and bottom sides the photo's
// edges.
func cornerCutCard() quad {
	l, f := &line{}, &line{frame: true}
	return quad{c: [4][2]float64{{80, 60}, {199, 60}, {199, 149}, {80, 149}}, side: [4]*line{l, f, f, l}}
}

// lineBox is the outline (x0, y0)–(x1, y1) whose four sides are lines
// found inside the photo.
func lineBox(x0, y0, x1, y1 float64) quad {
	l := &line{}
	return quad{c: [4][2]float64{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}, side: [4]*line{l, l, l, l}}
}

// tiledCard draws a photo whose answer is known by construction: a card
// (corners in order, card[1] its top-left as drawn: card[1]→card[2] one
// side, card[1]→card[0] the other) with short bars of print, on a floor
// of tiles laid square to it. The tiles are columns of two tones, a pale
// pair above and left of the joint lines at offU, offV from card[1] (in
// the card's axes) and a dark pair beyond them, so that those two joints
// are step edges that end where they meet, and the column joints run on
// across them.
func tiledCard(card [4][2]float64, tile, offU, offV float64, w, h int) *image.RGBA {
	tones := [4]color.RGBA{{200, 208, 220, 255}, {150, 190, 160, 255}, {20, 20, 22, 255}, {70, 70, 76, 255}}
	o := card[1]
	u := [2]float64{card[2][0] - o[0], card[2][1] - o[1]}
	v := [2]float64{card[0][0] - o[0], card[0][1] - o[1]}
	lu, lv := math.Hypot(u[0], u[1]), math.Hypot(v[0], v[1])
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			dx, dy := float64(x)-o[0], float64(y)-o[1]
			pu, pv := (dx*u[0]+dy*u[1])/lu, (dx*v[0]+dy*v[1])/lv
			var c color.RGBA
			switch {
			case pu >= 0 && pu < lu && pv >= 0 && pv < lv:
				c = color.RGBA{222, 214, 190, 255}
				if int(pv/14)%4 == 1 && pu > 0.1*lu && pu < (0.4+0.1*float64(int(pv/56)%4))*lu {
					c = color.RGBA{40, 40, 40, 255}
				}
			default:
				k := int(math.Floor((pu-offU)/tile)) & 1
				if pu > offU && pv > offV {
					k += 2
				}
				c = tones[k]
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

// TestOuterCrossed: a card lying whole near a corner of the photo, on a
// floor of tiles whose two joints around it and the photo's edges make
// an enclosing outline of a cut-off card's shape, stays whole, because
// the column joints run on across that outline's sides (a document
// would hide them); the same card running out of the frame at the
// bottom stays cut off (development seed 374's clean 00340 on tiles).
func TestOuterCrossed(t *testing.T) {
	card := [4][2]float64{{124, 724}, {216, 196}, {548, 256}, {456, 780}}
	for _, c := range []struct {
		down   float64 // pixels the card is moved down by, the tiles with it
		cutOff bool
	}{
		{0, false},  // whole, 20 pixels from the bottom edge
		{40, true},  // its bottom-right corner 20 pixels beyond it
		{80, true},  // both bottom corners beyond it
		{120, true}, // a third of its long side beyond it
	} {
		q := card
		for i := range q {
			q[i][1] += c.down
		}
		var b bytes.Buffer
		if err := png.Encode(&b, tiledCard(q, 160, -111, -143-c.down, 600, 800)); err != nil {
			t.Fatal(err)
		}
		rep := Check(b.Bytes(), DefaultOptions())
		if got := rep.Failed("doc_cut_off"); got != c.cutOff {
			t.Errorf("down %.0f: doc_cut_off %v (corners %.2f, outline %v), want %v", c.down, got, rep.Scores[CheckCorners], rep.Document, c.cutOff)
			continue
		}
		if c.cutOff {
			continue
		}
		if len(rep.Document) != 4 {
			t.Fatalf("down %.0f: no outline", c.down)
		}
		// The reported corners start at the top-left: card[1].
		for i, p := range rep.Document {
			w := q[(i+1)%4]
			if d := math.Hypot(p.X-w[0], p.Y-w[1]); d > 12 {
				t.Errorf("down %.0f: corner %d at (%.0f, %.0f), want (%.0f, %.0f)", c.down, i, p.X, p.Y, w[0], w[1])
			}
		}
	}
}

// TestFarFrame: the outline given is a dark box (a portrait, x 66–134,
// y 30–84, 0.29 of the card's part in the photo) printed on a pale card
// (x 50–150 from y 20) on a dark table in a 200×150 photo. When the card
// runs on to the photo's bottom edge, 65 px below the box (further than outerFrameNear), its edges around the box
// run on to it, and the enclosing outline is the card with its bottom
// side on the photo's edge; when the card ends at y 135, 14 px short of
// it, or runs on to the photo's edge on one side only (a sheet's strip
// beside it), the photo's edge does not stand in for its bottom side
// (both were taken without farFrameHolds).
func TestFarFrame(t *testing.T) {
	const w, h = 200, 150
	type ycc = [3]byte
	var (
		table = ycc{60, 128, 128}
		card  = ycc{200, 120, 140}
		box   = ycc{90, 135, 150}
	)
	cases := []struct {
		name   string
		bottom func(x int) int // the card's last row at column x
		want   bool            // the bottom side on the photo's edge
	}{
		{"the card runs on to the photo's edge", func(int) int { return 200 }, true},
		{"the card ends at y 135", func(int) int { return 135 }, false},
		{"the card ends at y 135 but for a strip at its left edge", func(x int) int {
			if x < 60 {
				return 200
			}
			return 135
		}, false},
	}
	// A card lying on a sheet that runs out of the frame: the same, the
	// box (the card) larger, covering 0.44 of the sheet's part in the
	// photo.
	cases = append(cases, struct {
		name   string
		bottom func(x int) int
		want   bool
	}{"a card covering 0.44 of a sheet that runs on to the photo's edge", nil, false})
	for _, c := range cases {
		bx0, by0, bx1, by1 := 66, 30, 134, 84
		if c.bottom == nil {
			bx0, by0, bx1, by1 = 60, 28, 140, 100
			c.bottom = func(int) int { return 200 }
		}
		paint := func(x, y int) ycc {
			switch {
			case x >= bx0 && x <= bx1 && y >= by0 && y <= by1:
				return box
			case x >= 50 && x <= 150 && y >= 20 && y <= c.bottom(x):
				return card
			}
			return table
		}
		e := findEdges(paintPlanes(w, h, paint), w, h, new(workspace))
		lines := houghLines(e, new(workspace))
		q := rectQuad(e, float64(bx0)-0.5, float64(by0)-0.5, float64(bx1)+0.5, float64(by1)+0.5)
		o := outerQuad(q, lines, e, w, h, nil, 1)
		if got := frameSides(o) > 0; got != c.want {
			t.Errorf("%s: outline %v, a side on the photo's edge %v, want %v", c.name, o.c, got, c.want)
		}
	}
}

// TestFarFrameKept: the outline given is a dark box (x 50–118, y 30–84)
// printed flush with the left edge of a pale card (x 50–150 from y 20),
// so the box's left side is the card's edge. When the card runs on to the
// photo's bottom edge, 65 px below the box, that kept side runs on to it
// too and the outline moves out to the card's top and right edges and the
// photo's bottom edge. When the card ends at y 135 (whole, the box 0.29
// of the card's part in the photo) its left edge ends at its corner and
// the box is kept.
func TestFarFrameKept(t *testing.T) {
	const w, h = 200, 150
	type ycc = [3]byte
	var (
		table = ycc{60, 128, 128}
		card  = ycc{200, 120, 140}
		box   = ycc{90, 135, 150}
	)
	const bx0, by0, bx1, by1 = 50, 30, 118, 84
	for _, c := range []struct {
		name   string
		bottom int // the card's last row
		want   bool
	}{
		{"the card runs on to the photo's edge", 200, true},
		{"the card ends at y 135", 135, false},
	} {
		paint := func(x, y int) ycc {
			switch {
			case x >= bx0 && x <= bx1 && y >= by0 && y <= by1:
				return box
			case x >= 50 && x <= 150 && y >= 20 && y <= c.bottom:
				return card
			}
			return table
		}
		e := findEdges(paintPlanes(w, h, paint), w, h, new(workspace))
		lines := houghLines(e, new(workspace))
		q := rectQuad(e, bx0-0.5, by0-0.5, bx1+0.5, by1+0.5)
		o := outerQuad(q, lines, e, w, h, nil, 1)
		got := o.side[2].frame
		if got != c.want {
			t.Errorf("%s: outline %v, the bottom side on the photo's edge %v, want %v", c.name, o.c, got, c.want)
		}
		if got && (math.Abs(o.c[0][1]-20) > 2 || math.Abs(o.c[1][0]-150) > 2 || math.Abs(o.c[0][0]-50) > 2) {
			t.Errorf("%s: outline %v, want the card's top, right and left edges", c.name, o.c)
		}
	}
}
