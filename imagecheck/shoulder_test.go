package imagecheck

import (
	"image/color"
	"math"
	"slices"
	"testing"

	"github.com/kycq/kycq/kyc/reason"
)

// exposureCore's share of the clipped pixels at the sensor's ceiling, on
// a 160×96 card whose top third is of luma top and the rest 200: none
// of a top at 250 or 251 (the tone curve's shoulder), all of one at 252
// or 255, half of a top whose left half is 251 and right half 255; 0
// when nothing is at 250 or above.
func TestExposureCore(t *testing.T) {
	const w, h = 160, 96
	r := rasterize([4][2]float64{{0, 0}, {w, 0}, {w, h}, {0, h}}, w, h)
	for _, c := range []struct {
		name        string
		left, right byte
		clipped     float64
		core        float64
	}{
		{"shoulder 250", 250, 250, 1.0 / 3, 0},
		{"shoulder 251", 251, 251, 1.0 / 3, 0},
		{"ceiling 252", 252, 252, 1.0 / 3, 1},
		{"ceiling 255", 255, 255, 1.0 / 3, 1},
		{"half and half", 251, 255, 1.0 / 3, 0.5},
		{"nothing clipped", 249, 249, 0, 0},
	} {
		p := greyPlanes(w, h, func(x, y int) byte {
			switch {
			case y >= h/3:
				return 200
			case x < w/2:
				return c.left
			}
			return c.right
		})
		_, clipped, core := exposureCore(p, r)
		if math.Abs(clipped-c.clipped) > 0.01 || math.Abs(core-c.core) > 1e-9 {
			t.Errorf("%s: clipped %.4f core %.4f, want %.4f and %.4f", c.name, clipped, core, c.clipped, c.core)
		}
	}
}

// A coloured card (cardPhoto) with a white panel over a third of it
// (350×300 of 700×440): at luma 251 the panel lies on the tone curve's
// shoulder, below the sensor's ceiling, and the photo is not
// over-exposed though more than MaxClipped of the card is at 250 or
// above; at 255 the panel is clipped, too large for a reflection, and
// the photo is over-exposed.
func TestShoulderPanel(t *testing.T) {
	panel := func(v uint8) func(x, y int, c color.RGBA) color.RGBA {
		return func(x, y int, c color.RGBA) color.RGBA {
			if x >= 300 && x < 650 && y >= 100 && y < 400 {
				return color.RGBA{v, v, v, 255}
			}
			return c
		}
	}
	for _, c := range []struct {
		name  string
		level uint8
		want  []reason.Code
	}{
		{"white panel at 251", 251, nil},
		{"clipped panel at 255", 255, []reason.Code{reason.DocOverexposed}},
	} {
		rep := Check(cardPhoto(t, 215, true, panel(c.level)), DefaultOptions())
		if rep.Scores[CheckClipped] <= DefaultOptions().Thresholds.MaxClipped {
			t.Errorf("%s: clipped %.3f, want over MaxClipped (the panel at 250 or above)", c.name, rep.Scores[CheckClipped])
		}
		got := slices.Clone(rep.Reasons)
		slices.Sort(got)
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: reasons %v, want %v (scores %v)", c.name, rep.Reasons, c.want, rep.Scores)
		}
	}
}
