package imagecheck

import (
	"math"
	"testing"
)

// TestGlareClippedCore: on a small luma image of a card (paper 225, 100×60
// small pixels), a pale panel of 250 (above glareLevel, below glareClip)
// covering 20×20 is not glare; a reflection of the same size whose core is
// clipped (255 within 6 pixels of its centre, falling off softly to the
// paper beyond) is; so is a flat clipped patch.
func TestGlareClippedCore(t *testing.T) {
	const w, h = 100, 60
	r := rasterize([4][2]float64{{0, 0}, {w, 0}, {w, h}, {0, h}}, w, h)
	for _, c := range []struct {
		name string
		at   func(d float64) float64 // luma at distance d from (50, 30), inside the 20×20 square
		want float64                 // the glare share: the blob at ≥ 248
	}{
		{"pale panel 250", func(float64) float64 { return 250 }, 0},
		{"pale panel 252", func(float64) float64 { return 252 }, 0},
		// ≥ 248 out to 8 pixels: the 17×17 square minus its corners
		// beyond the radius (225 within the circle of radius 8).
		{"reflection", func(d float64) float64 { return math.Max(225, 255-math.Max(0, d-6)*3.5) }, 0},
		{"clipped patch", func(float64) float64 { return 255 }, 400.0 / (w * h)},
	} {
		small := make([]byte, w*h)
		n := 0
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				v := 225.0
				if x >= 40 && x < 60 && y >= 20 && y < 40 {
					v = c.at(math.Hypot(float64(x-50), float64(y-30)))
				}
				small[y*w+x] = byte(v)
				if c.name == "reflection" && v >= glareLevel {
					n++
				}
			}
		}
		want := c.want
		if c.name == "reflection" {
			want = float64(n) / (w * h)
			if n < 150 {
				t.Fatalf("reflection: %d pixels at ≥ %d, want a large region", n, glareLevel)
			}
		}
		got, _, _ := glareMeasure(small, w, r, new(workspace))
		if math.Abs(got-want) > 1e-9 {
			t.Errorf("%s: glare %.4f, want %.4f", c.name, got, want)
		}
	}
}

// TestGlareBesideDark: a reflection that spreads over bright paper
// (250, above glareLevel, on paper of 225, 100×60 small pixels; its
// clipped core of radius 8 at 255) up to a dark block (a portrait, 60)
// inside its box is glare: the block borders the region from below and
// is not inside it. The same block with the bright region all round it
// is print inside a bright area, not a reflection.
func TestGlareBesideDark(t *testing.T) {
	const w, h = 100, 60
	r := rasterize([4][2]float64{{0, 0}, {w, 0}, {w, h}, {0, h}}, w, h)
	for _, c := range []struct {
		name       string
		darkBottom int // the dark block spans x 50–69, y 30 to this
		glare      bool
	}{
		{"dark block at the region's edge", 50, true},
		{"dark block inside the region", 40, false},
	} {
		small := make([]byte, w*h)
		n := 0
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				v := byte(225)
				switch {
				case x >= 50 && x < 70 && y >= 30 && y < c.darkBottom:
					v = 60
				case math.Hypot(float64(x-42), float64(y-25)) <= 8:
					v = 255
				case x >= 30 && x < 80 && y >= 15 && y < 50:
					v = 250
				}
				if v >= glareLevel {
					n++
				}
				small[y*w+x] = v
			}
		}
		want := 0.0
		if c.glare {
			want = float64(n) / (w * h)
		}
		got, _, _ := glareMeasure(small, w, r, new(workspace))
		if math.Abs(got-want) > 1e-9 {
			t.Errorf("%s: glare %.4f, want %.4f", c.name, got, want)
		}
	}
}
