package authenticity

import (
	"math"
	"testing"
)

// TestSharpSide: a selection's edge blurred over four chroma lines (Cb
// 128, 130, 136, 138 on lines 48–51: steps of 2, 6 and 2) is set on the
// boundary of the largest step (50, between lines 49 and 50) from any
// boundary within one of it.
func TestSharpSide(t *testing.T) {
	w, h := 60, 100
	cb, cr := make([]byte, w*h), make([]byte, w*h)
	for y := range h {
		v := byte(128)
		switch {
		case y == 49:
			v = 130
		case y == 50:
			v = 136
		case y > 50:
			v = 138
		}
		for x := range w {
			cb[y*w+x], cr[y*w+x] = v, 128
		}
	}
	sums := newChromaSums(cb, cr, w, w, h)
	for _, c := range []struct{ b, want int }{{49, 50}, {50, 50}, {51, 50}, {48, 49}} {
		if got := sharpSide(sums, true, 5, 55, c.b); got != c.want {
			t.Errorf("from boundary %d: %d, want %d", c.b, got, c.want)
		}
		// The same edge across the other axis (a column side).
		tb, tr := make([]byte, w*h), make([]byte, w*h)
		for y := range h {
			for x := range w {
				tb[x*h+y], tr[x*h+y] = cb[y*w+x], cr[y*w+x]
			}
		}
		ts := newChromaSums(tb, tr, h, h, w)
		if got := sharpSide(ts, false, 5, 55, c.b); got != c.want {
			t.Errorf("column side from boundary %d: %d, want %d", c.b, got, c.want)
		}
	}
}

// TestLetOffCorner: of a rectangle's four corner shares, the weakest of
// those whose outside is foreign (another ink than the ground) is let
// off, and none when no corner's outside is foreign.
func TestLetOffCorner(t *testing.T) {
	for _, c := range []struct {
		corners []float64
		foreign [4]bool
		want    []float64
	}{
		{[]float64{1, 0, 0.9, 0.8}, [4]bool{}, []float64{1, 0, 0.9, 0.8}},
		{[]float64{1, 0, 0.9, 0.8}, [4]bool{false, true, false, false}, []float64{1, 0.9, 0.8}},
		{[]float64{1, 0, 0.9, 0.8}, [4]bool{true, false, false, false}, []float64{0, 0.9, 0.8}},
		{[]float64{1, 0.2, 0.1, 0.8}, [4]bool{false, true, true, false}, []float64{1, 0.2, 0.8}},
	} {
		got := letOffCorner(append([]float64(nil), c.corners...), c.foreign)
		if len(got) != len(c.want) {
			t.Errorf("%v foreign %v: %v, want %v", c.corners, c.foreign, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%v foreign %v: %v, want %v", c.corners, c.foreign, got, c.want)
				break
			}
		}
	}
}

// TestRectRing: around a rectangle of 60 × 20 chroma samples on a ground
// of Cb 136, an ink of Cb 108 (a seal) beside the top five of the
// right side's 16 samples leaves the ground and the bands' distance as
// they were (0), while the ink along the whole of that band (a face's
// hair along one side) is 28 levels off.
func TestRectRing(t *testing.T) {
	const u0, u1, v0, v1 = 40, 100, 40, 60
	for _, c := range []struct {
		name     string
		ink      func(x, y int) bool
		far, gnd float64
	}{
		{"none", func(x, y int) bool { return false }, 0, 136},
		{"seal beside part of a side", func(x, y int) bool { return x >= 100 && y < 47 }, 0, 136},
		{"the whole band", func(x, y int) bool { return x >= 100 }, 28, 136},
	} {
		w, h := 160, 100
		cb, cr := make([]byte, w*h), make([]byte, w*h)
		for y := range h {
			for x := range w {
				cb[y*w+x], cr[y*w+x] = 136, 128
				if c.ink(x, y) {
					cb[y*w+x] = 108
				}
			}
		}
		sums := newChromaSums(cb, cr, w, w, h)
		far, gb, gr := rectRing(sums, true, u0, u1, v0, v1)
		if math.Abs(far-c.far) > 1e-9 || gb != c.gnd || gr != 128 {
			t.Errorf("%s: far %.2f, ground (%.1f, %.1f); want %.2f, (%.1f, 128)", c.name, far, gb, gr, c.far, c.gnd)
		}
	}
}

// TestColourRectOpposite: a rectangle of 60 × 12 chroma samples tinted
// by Cb +8 on a grey, printed level card, between two printed bands
// whose edges (30 samples above and below it, 75 samples long: under
// seamLevelMin of the card's side) step back by 20 levels, more than
// the rectangle's own far side. Its short sides (12 samples)
// are no candidate sides, so it can be closed only from a long side,
// whose strongest opposite boundary is the band's edge: the opposite
// side is the next strongest, and the rectangle is found.
func TestColourRectOpposite(t *testing.T) {
	const x0, x1, y0, y1 = 120, 180, 100, 112 // chroma samples
	img := levelCard(func(x, y int) (float64, float64) {
		switch {
		case x >= x0 && x < x1 && y >= y0 && y < y1:
			return 8, 0
		case (y < 70 || y >= 150) && x >= 110 && x < 185:
			return -20, 0
		}
		return 0, 0
	})
	wantRectAt(t, img, x0, y0, x1, y1, "tinted rectangle between bands")
}

// TestColourRectGreyTurn: on a nearly grey ground (2.6 levels of chroma,
// under rectTintGround) whose hue drifts by 108° across the field, a
// rectangle of 60 × 20 chroma samples turned by 120° about grey (a
// channel swap of a pale card's faint tint) steps by 4.5 levels in a
// direction that turns along its sides: one offset does not fit it, the
// turn does, and it is found.
func TestColourRectGreyTurn(t *testing.T) {
	const x0, x1, y0, y1 = 120, 180, 100, 120 // chroma samples
	c, s := math.Cos(2*math.Pi/3), math.Sin(2*math.Pi/3)
	img := levelCard(func(x, y int) (float64, float64) {
		phi := math.Pi * 0.6 * math.Min(1, math.Max(0, float64(x-100)/80))
		b, r := 2.6*math.Cos(phi), 2.6*math.Sin(phi)
		if x >= x0 && x < x1 && y >= y0 && y < y1 {
			b, r = c*b-s*r, s*b+c*r
		}
		return b, r
	})
	wantRectAt(t, img, x0, y0, x1, y1, "turned rectangle on a nearly grey ground")
}
