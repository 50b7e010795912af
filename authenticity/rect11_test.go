package authenticity

import (
	"image"
	"math"
	"testing"
)

// turnCard is a levelCard of chroma ground (Cb, Cr about grey) whose
// chroma is turned by 120° inside sel (chroma samples), with grey print
// (chroma 0, 0) where print holds, which a turn leaves grey.
func turnCard(ground [2]float64, sel image.Rectangle, print func(x, y int) bool) *image.YCbCr {
	c, s := math.Cos(2*math.Pi/3), math.Sin(2*math.Pi/3)
	tb, tr := c*ground[0]-s*ground[1], s*ground[0]+c*ground[1]
	return levelCard(func(x, y int) (float64, float64) {
		if print != nil && print(x, y) {
			return 0, 0
		}
		if image.Pt(x, y).In(sel) {
			return tb, tr
		}
		return ground[0], ground[1]
	})
}

// TestColourRectCornerPrint: a selection of 60 × 20 chroma samples on a
// ground of chroma (5, −4) turned by 120° (an offset of 11 levels), with
// a block of grey print 6.4 levels from the ground just outside its top
// right corner, off its sides' bands. Measured against that print, the
// corner's turned ground strays off the turn's step; measured against
// the ground it was cut from, it carries it, and the rectangle is found.
// The print alone, nothing turned, is not a rectangle; nor is a disc of
// the turned ground's colour (an ink of its own) with the print beside
// its box's corner: its box's corners hold the ground.
func TestColourRectCornerPrint(t *testing.T) {
	const x0, x1, y0, y1 = 120, 180, 100, 120
	ground := [2]float64{5, -4}
	print := func(x, y int) bool { return x >= x1 && x < x1+6 && y >= y0-6 && y < y0 }
	img := turnCard(ground, image.Rect(x0, y0, x1, y1), print)
	blurChroma(img)
	if r, ok := rectFound(img, image.Rectangle{}, x0, y0, x1, y1); !ok {
		t.Errorf("turned selection, print beside a corner: rect %+v at %v, want it found", r.rect, r.box)
	}
	plain := turnCard(ground, image.Rectangle{}, print)
	blurChroma(plain)
	if r, ok := rectFound(plain, image.Rectangle{}, x0-10, y0-10, x1+10, y1+10); ok {
		t.Errorf("print alone: found rect %+v at %v", r.rect, r.box)
	}
	c, s := math.Cos(2*math.Pi/3), math.Sin(2*math.Pi/3)
	disc := levelCard(func(x, y int) (float64, float64) {
		dx, dy := float64(x-150), float64(y-110)
		switch {
		case print(x+30-10, y-10+4):
			return 0, 0
		case dx*dx+dy*dy < 14*14:
			return c*ground[0] - s*ground[1], s*ground[0] + c*ground[1]
		}
		return ground[0], ground[1]
	})
	blurChroma(disc)
	if r, ok := rectFound(disc, image.Rectangle{}, 130, 90, 170, 130); ok {
		t.Errorf("disc with print beside its box: found rect %+v at %v", r.rect, r.box)
	}
}

// TestColourRectGradient: a chroma gradient across the card (down it,
// across it, or both ways) holds no turned rectangle, and no rectangle
// closed on it comes near the cut.
func TestColourRectGradient(t *testing.T) {
	for _, g := range []struct {
		name string
		at   func(x, y int) (float64, float64)
	}{
		{"down the card", func(x, y int) (float64, float64) { return -8 + 16*float64(y)/240, 3 }},
		{"across the card", func(x, y int) (float64, float64) { return 3, -8 + 16*float64(x)/320 }},
		{"both ways", func(x, y int) (float64, float64) { return 10 * math.Sin(float64(x)/40), 10 * math.Cos(float64(y)/30) }},
	} {
		grad := levelCard(g.at)
		blurChroma(grad)
		if r, ok := rectFound(grad, image.Rectangle{}, 0, 0, 320, 240); ok || r.rect.agree > 0.3 {
			t.Errorf("gradient %s: rect %+v (agree %.2f) at %v, want none", g.name, r.rect, r.rect.agree, r.box)
		}
	}
}

// TestSharpSides: an edge that falls inside line 50 (Cb 128, 133, 138 on
// lines 49, 50, 51) steps over boundaries 50 and 51 alike: the sharpest
// of the two and the other are returned. A clean edge on boundary 50
// and a line of print one line wide (line 50 only: it steps back at
// boundary 51) have no second.
func TestSharpSides(t *testing.T) {
	w, h := 60, 100
	for _, c := range []struct {
		name         string
		at           func(y int) byte
		best, second int
	}{
		{"split", func(y int) byte { return [3]byte{128, 133, 138}[min(max(y-49, 0), 2)] }, 50, 51},
		{"clean", func(y int) byte { return [2]byte{128, 138}[min(max(y-49, 0), 1)] }, 50, -1},
		{"thin line", func(y int) byte {
			if y == 50 {
				return 138
			}
			return 128
		}, 50, -1},
	} {
		cb, cr := make([]byte, w*h), make([]byte, w*h)
		for y := range h {
			for x := range w {
				cb[y*w+x], cr[y*w+x] = c.at(y), 128
			}
		}
		sums := newChromaSums(cb, cr, w, w, h)
		best, second := sharpSides(sums, true, 5, 55, 50)
		// The split's two steps are equal: either may be the sharpest.
		if c.second >= 0 && best == c.second {
			best, second = second, best
		}
		if best != c.best || second != c.second {
			t.Errorf("%s: sharpSides = %d, %d; want %d, %d", c.name, best, second, c.best, c.second)
		}
		sums.release()
	}
}
