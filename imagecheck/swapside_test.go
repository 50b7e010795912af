package imagecheck

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"testing"
)

// sheetUnder is a 1000×750 photo of the plain card s on a
// sheet of paper whose right edge is in line with the card's right side
// and whose bottom edge runs askew (8°) from (250, 530), 14 pixels below
// the card's bottom-left corner, to the sheet's bottom-right corner (770,
// 600.2), 84 pixels below the card's.
func sheetUnder(t *testing.T, s synthCard) []byte {
	t.Helper()
	paper := color.RGBA{240, 240, 236, 255}
	img := s.image()
	for y := 0; y < s.H; y++ {
		for x := 0; x < s.W; x++ {
			edge := 530 + 0.135*float64(x-250)
			switch {
			case s.inCard(x-s.X, y-s.Y):
				img.SetRGBA(x, y, s.Card) // a plain card: no print backs the side over it
			case x >= 100 && x < s.X+s.CW && y >= 120 && float64(y) <= edge:
				img.SetRGBA(x, y, paper)
			}
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// printedLine is the photo of the card s with a thin dark line 2 pixels
// wide printed off inside its right side, off its top and bottom edges
// by 8 pixels.
func printedLine(t *testing.T, s synthCard, off int) []byte {
	t.Helper()
	img := s.image()
	x0 := s.X + s.CW - off
	for y := s.Y + 8; y < s.Y+s.CH-8; y++ {
		for x := x0; x < x0+2; x++ {
			img.SetRGBA(x, y, color.RGBA{40, 60, 90, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestSwapSide(t *testing.T) {
	blue := color.RGBA{170, 200, 230, 255}
	cases := []struct {
		name string
		card synthCard
		// The outline given, photo pixels: the card's top, left and right
		// sides, its bottom side at bottom.
		sheet bool
		// given, when not zero, stands for the corner scores of the
		// outline (its failing corners pass cornerScores' contrast test
		// here, which is not the rule's subject: 567's 00022 scored 0.758
		// on its sheet's edge).
		given        [4]float64
		left, bottom [2]float64
		// top, when not zero, is where the outline's top side meets its
		// right side (it leaves the card's top-left corner askew).
		top float64
		// printed, when above 0, prints a thin dark line (2 px) that far
		// inside the card's right side.
		printed int
		swapped bool
	}{
		{
			name:  "the bottom side on a sheet's edge running askew below the card: the card's own bottom edge",
			card:  synthCard{W: 1000, H: 750, X: 250, Y: 200, CW: 520, CH: 316, Radius: 20, Background: slate, Card: blue},
			sheet: true, left: [2]float64{249.5, 530}, bottom: [2]float64{769.5, 600.2}, swapped: true,
			given: [4]float64{1, 1, 0.76, 0.76},
		},
		{
			name: "a fingertip over the top-left corner of a card with a colour band: the band's edge is no side",
			card: synthCard{W: 1000, H: 750, X: 250, Y: 200, CW: 520, CH: 316, Radius: 20, Band: 80, Background: slate, Card: blue,
				Tip: image.Pt(250, 200), TipR: 30},
			left: [2]float64{249.5, 515.5}, bottom: [2]float64{769.5, 515.5}, swapped: false,
		},
		{
			name: "a fingertip just beyond the top-right corner, the top side drawn up to it: the card's top edge has the fingertip beyond its corner",
			card: synthCard{W: 1000, H: 750, X: 250, Y: 200, CW: 520, CH: 316, Radius: 20, Background: slate, Card: blue,
				Tip: image.Pt(785, 185), TipR: 22},
			top: 180, left: [2]float64{249.5, 515.5}, bottom: [2]float64{769.5, 515.5}, swapped: false,
			given: [4]float64{1, 0.76, 1, 1},
		},
		{
			name: "a thin line printed 16 px inside the right side of a card on a ground of its colour: no step, no side",
			card: synthCard{W: 1000, H: 750, X: 250, Y: 200, CW: 520, CH: 316, Radius: 20, Background: color.RGBA{160, 190, 220, 255}, Card: blue,
				Panel: true, PX: 30, PY: 150, PW: 250, PH: 140},
			printed: 16, left: [2]float64{249.5, 515.5}, bottom: [2]float64{769.5, 515.5}, swapped: false,
			given: [4]float64{1, 0.76, 1, 1},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ws := workspaces.Get().(*workspace)
			defer workspaces.Put(ws)
			data := tc.card.png(t)
			if tc.sheet {
				data = sheetUnder(t, tc.card)
			}
			if tc.printed > 0 {
				data = printedLine(t, tc.card, tc.printed)
			}
			d, err := decode(data, DefaultOptions(), ws)
			if err != nil {
				t.Fatal(err)
			}
			sf, sw, sh, chans := smallPlanes(&d.p, ws)
			e := findEdges(chans, sw, sh, ws)
			lines := houghLines(e, ws)
			f := float64(sw) / float64(tc.card.W)
			x1, y0 := float64(tc.card.X+tc.card.CW)-0.5, float64(tc.card.Y)-0.5
			yr := y0
			if tc.top != 0 {
				yr = tc.top
			}
			q := handQuad([4][2]float64{{tc.left[0], y0}, {x1, yr}, tc.bottom, tc.left}, [4]bool{}, f)
			diag := int(e.w + e.h)
			for _, l := range q.side {
				profile(l, e, diag)
			}
			pass := DefaultOptions().Thresholds.MinCorners
			cs := cornerScores(q, sw, sh, sf, &d.p, &e)
			if tc.given != ([4]float64{}) {
				cs = tc.given
			}
			if min(cs[0], cs[1], cs[2], cs[3]) >= pass {
				t.Fatalf("corners %v pass before: the case tests nothing", cs)
			}
			nq, ns, ok := swapSide(q, lines, sw, sh, sf, &d.p, &e, cs, pass)
			if ok != tc.swapped {
				t.Fatalf("swapped %v, want %v (corners %v -> %v, outline %v)", ok, tc.swapped, cs, ns, nq.c)
			}
			if !ok {
				return
			}
			// The new bottom corners are the card's.
			cy := (float64(tc.card.Y+tc.card.CH) - 0.5) * f
			for _, i := range []int{2, 3} {
				if d := nq.c[i][1] - cy; d < -2 || d > 2 {
					t.Errorf("corner %d at %v, want y %.1f", i, nq.c[i], cy)
				}
			}
			if min(ns[0], ns[1], ns[2], ns[3]) < pass {
				t.Errorf("corners %v after, want all ≥ %v", ns, pass)
			}
		})
	}
}
