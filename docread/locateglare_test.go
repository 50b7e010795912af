package docread

import (
	"math"
	"testing"
)

// TestBinariseGlareInk checks the two ink thresholds of locateMRZ on a
// literal plane: paper 250 and, at its centre, a 3×3 patch of ink. The
// window (r = 8) holds 289 pixels, 9 of them the patch, so its mean is
// 250 − 9·(250 − v)/289.
func TestBinariseGlareInk(t *testing.T) {
	for _, tc := range []struct {
		name     string
		v        byte
		at62     bool // 62% of the mean
		atGlare  bool // glareInkPct (80%) of the mean
		mean     float64
		ratioMax float64
	}{
		// Black print: 30 / 243.1 = 0.12 of the mean.
		{"black print", 30, true, true, 243.1, 0.13},
		// Print lifted by glare: 165 / 247.4 = 0.67 of the mean.
		{"print under glare", 165, false, true, 247.4, 0.67},
		// A light security pattern: 215 / 248.9 = 0.86 of the mean.
		{"security pattern", 215, false, false, 248.9, 0.87},
	} {
		t.Run(tc.name, func(t *testing.T) {
			const w, h = 41, 41
			p := newPlane(w, h)
			for i := range p.pix {
				p.pix[i] = 250
			}
			for y := 19; y <= 21; y++ {
				for x := 19; x <= 21; x++ {
					p.pix[y*w+x] = tc.v
				}
			}
			if m := 250 - 9*(250-float64(tc.v))/289; math.Abs(m-tc.mean) > 0.05 || float64(tc.v)/m > tc.ratioMax {
				t.Fatalf("test arithmetic: mean %.2f, ratio %.3f", m, float64(tc.v)/m)
			}
			for _, c := range []struct {
				pct  uint32
				want bool
			}{{62, tc.at62}, {glareInkPct, tc.atGlare}} {
				ink := binariseAt(p, 8, c.pct)
				if got := ink[20*w+20]; got != c.want {
					t.Errorf("at %d%%: centre ink %v, want %v", c.pct, got, c.want)
				}
				if ink[5*w+5] || ink[20*w+30] {
					t.Errorf("at %d%%: paper marked as ink", c.pct)
				}
			}
		})
	}
}

// TestLocateMRZUnderGlare renders a TD3 zone at a pitch of 12 pixels (a
// passport page about 600 pixels wide) and lifts the print of a band of
// cells as a glare patch does: every pixel moved 55% of the way to white,
// black ink to 140. The first pass (62%) loses the band and no line
// chains whole or to half its format; the second finds the zone.
func TestLocateMRZUnderGlare(t *testing.T) {
	const pitch = 12
	p := planeOf(renderMRZ(t, td3Specimen, pitch))
	x0, x1 := int(12*pitch), int(38*pitch)
	for y := 0; y < p.h; y++ {
		for x := x0; x < x1; x++ {
			v := float64(p.pix[y*p.w+x])
			p.pix[y*p.w+x] = byte(math.Round(255 - 0.45*(255-v)))
		}
	}
	if c := locateMRZAt(p, 62); len(c) > 0 {
		t.Fatalf("the first pass located %d zones under the glare band: the test does not exercise the second", len(c))
	}
	cands := locateMRZ(p)
	if len(cands) == 0 {
		t.Fatal("nothing located under glare")
	}
	c := cands[0]
	if len(c.lines) != 2 || snapCells(c.lines[0].n) != 44 || snapCells(c.lines[1].n) != 44 {
		t.Fatalf("%d lines, first of %d cells", len(c.lines), c.lines[0].n)
	}
	if got := c.lines[0].pitch(); math.Abs(got-pitch) > 0.6 {
		t.Errorf("pitch %.2f, want %d", got, pitch)
	}
}
