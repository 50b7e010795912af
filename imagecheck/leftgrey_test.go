package imagecheck

import (
	"image/color"
	"slices"
	"testing"

	"github.com/kycq/kycq/kyc/reason"
)

// leftGrey on its bounds: under minWashedUsable of the samples usable,
// at least minLeftSamples read, colour under maxLeftColour.
func TestLeftGrey(t *testing.T) {
	for _, c := range []struct {
		colour, usable float64
		samples        int
		want           bool
	}{
		{0.26, 0.1, 500, true},
		{maxLeftColour - 0.01, minWashedUsable - 0.01, minLeftSamples, true},
		{maxLeftColour, 0.1, 500, false},       // strays: a colour card's remaining print
		{0.26, minWashedUsable, 500, false},    // maxWashedColour decides from there
		{0.26, 0.1, minLeftSamples - 1, false}, // too few samples to vouch for anything
		{0, 0.1, 15, false},                    // colourfulness's 0 for under 16 samples
	} {
		if got := leftGrey(c.colour, c.usable, c.samples); got != c.want {
			t.Errorf("colour %.2f, usable %.2f, %d samples: %v, want %v", c.colour, c.usable, c.samples, got, c.want)
		}
	}
}

// colourSamples counts the blocks colourfulness reads: on a 64×64 photo
// whose left half is mid-grey and right half clipped white, the region
// being the whole photo, every 8th column of every 8th row is looked at
// (64 blocks) and the 32 on the left half are in the tones colour is
// read in.
func TestColourSamples(t *testing.T) {
	const w, h = 64, 64
	p := &planes{w: w, h: h, ys: w, y: make([]byte, w*h), cw: w / 2, ch: h / 2, cs: w / 2}
	p.cb, p.cr = make([]byte, w*h/4), make([]byte, w*h/4)
	for i := range p.cb {
		p.cb[i], p.cr[i] = 128, 128
	}
	for y := range h {
		for x := range w {
			p.y[y*w+x] = 128
			if x >= w/2 {
				p.y[y*w+x] = 255
			}
		}
	}
	if got := colourSamples(p, rasterize([4][2]float64{{0, 0}, {64, 0}, {64, 64}, {0, 64}}, 64, 64)); got != 32 {
		t.Errorf("colourSamples = %d, want 32", got)
	}
}

// Whole photos whose answers are known by construction: a card whose
// paper clips everywhere (255), with one panel (150×200 of its 700×440,
// a tenth of it: under minWashedUsable of its samples in the tones colour
// is read in) left. A grey copy's panel, mid-grey under a faint warm
// light, keeps one cast: the photo is over-exposed and grey
// (leftGrey), over-exposed only on main. The same panel in colour, or
// two colours side by side, is over-exposed only.
func TestExposureLeftGrey(t *testing.T) {
	panel := func(left, right [3]uint8) func(x, y int, c color.RGBA) color.RGBA {
		return func(x, y int, c color.RGBA) color.RGBA {
			switch {
			case y < 150 || y >= 350 || x < 400 || x >= 550:
				return c
			case x < 475:
				return color.RGBA{left[0], left[1], left[2], 255}
			}
			return color.RGBA{right[0], right[1], right[2], 255}
		}
	}
	warmGrey := [3]uint8{156, 150, 144}
	for _, c := range []struct {
		name  string
		paint func(x, y int, c color.RGBA) color.RGBA
		want  []reason.Code
	}{
		{"grey copy, one warm grey panel left", panel(warmGrey, warmGrey), []reason.Code{reason.DocNotColour, reason.DocOverexposed}},
		{"colour card, one blue panel left", panel([3]uint8{110, 170, 215}, [3]uint8{110, 170, 215}), []reason.Code{reason.DocOverexposed}},
		{"colour card, a grey and a blue panel left", panel(warmGrey, [3]uint8{110, 170, 215}), []reason.Code{reason.DocOverexposed}},
	} {
		rep := Check(cardPhoto(t, 255, false, c.paint), DefaultOptions())
		got := slices.Clone(rep.Reasons)
		slices.Sort(got)
		want := slices.Clone(c.want)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: reasons %v, want %v (scores %v)", c.name, rep.Reasons, c.want, rep.Scores)
		}
	}
}
