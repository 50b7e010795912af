package face

import (
	"math"
	"slices"
	"testing"
)

// bentWarp is the map of a flat picture bent around a vertical cylinder
// of radius r chip pixels (axis through the chip's centre column) and
// turned so that its pixels move across by v times the arc's height
// there (in units of r): a bent print's parallax, a circle's, not
// faceRelief's half-ellipse.
func bentWarp(r, v float64) func(x, y float64) (float64, float64) {
	return func(x, y float64) (float64, float64) {
		dx := (x - float64(chipSize)/2) / r
		z := math.Sqrt(math.Max(0, 1-dx*dx))
		return x + v*z, y
	}
}

// TestNoseCueBentPrint: a flat texture bent around a cylinder (radius
// 0.6 to 0.8 face widths; replay_bent_photo's are 0.6 to 1.5) and turned
// between frames leaves a parallax the relief's head-wide curve
// explains: its depth cue passes the depth rule (DefaultMinDepth and
// above), its nose cue (what the nose explains beyond a cylinder's
// parallax, textureDepthNose) is about 0. A head whose nose
// moved with the rest of the relief keeps a nose cue well above
// DefaultMinNoseDepth.
func TestNoseCueBentPrint(t *testing.T) {
	lx, _ := templatePoint(17, chipSize)
	rx, _ := templatePoint(26, chipSize)
	width := rx - lx
	for _, radius := range []float64{0.6, 0.7, 0.8} {
		var bent [][]uint8
		for k := 0; k < 6; k++ {
			bent = append(bent, texturedChip(chipSize, bentWarp(radius*width, 2.5*float64(k))))
		}
		tex, depth, nose, _, _ := textureDepthNose(bent, nil, chipSize, true)
		t.Logf("bent, radius %.1f face widths: texture %.4f depth %.4f nose %.4f", radius, tex, depth, nose)
		if depth < DefaultMinDepth || nose > DefaultMinNoseDepth/2 {
			t.Errorf("bent, radius %.1f: depth %.4f nose %.4f, want depth ≥ %.2f (past the depth rule) and nose ≤ %.4f",
				radius, depth, nose, DefaultMinDepth, DefaultMinNoseDepth/2)
		}
	}
	var head [][]uint8
	for k := 0; k < 6; k++ {
		head = append(head, texturedChip(chipSize, reliefWarp(1.5*float64(k), 0.3*float64(k), identity)))
	}
	tex, depth, nose, _, _ := textureDepthNose(head, nil, chipSize, true)
	t.Logf("head: texture %.4f depth %.4f nose %.4f", tex, depth, nose)
	if nose < 4*DefaultMinNoseDepth {
		t.Errorf("head: nose %.4f, want ≥ %.4f", nose, 4*DefaultMinNoseDepth)
	}
	if _, _, nose, _, _ := textureDepthNose(bent1(), nil, chipSize, false); nose != 0 {
		t.Errorf("without withNose: nose %v, want 0", nose)
	}
}

func bent1() [][]uint8 {
	return [][]uint8{texturedChip(chipSize, identity), texturedChip(chipSize, bentWarp(100, 4))}
}

// TestNoseDepthJudged: a moving face whose depth cue is clear but whose
// nose cue is under MinNoseDepth (a bent print) passes with planar_motion
// in doubt (manual review), never refused; at MinNoseDepth it passes
// without doubt; the rule is off with MinNoseDepth negative or
// the depth check off, and does not judge a depth cue only a turn
// challenge's track carried.
func TestNoseDepthJudged(t *testing.T) {
	var o Options
	o.defaults()
	off := o
	off.MinNoseDepth = -1
	noDepth := o
	noDepth.MinDepth = -1
	bent := func() *Liveness { l := movingHead(0.5, 0.06); l.NoseDepth = 0.0005; return l }
	for _, c := range []struct {
		name  string
		o     Options
		l     *Liveness
		doubt bool
	}{
		{"depth clear, no nose", o, bent(), true},
		{"depth clear, nose just under", o, func() *Liveness { l := bent(); l.NoseDepth = 0.9 * DefaultMinNoseDepth; return l }(), true},
		{"depth clear, nose at MinNoseDepth", o, func() *Liveness { l := bent(); l.NoseDepth = DefaultMinNoseDepth; return l }(), false},
		{"nose rule off", off, bent(), false},
		{"depth check off", noDepth, bent(), false},
		{"depth only in the track", o, func() *Liveness { l := bent(); l.Depth, l.TrackDepth = 0.005, 0.05; return l }(), false},
	} {
		c.o.judge(c.l, 5)
		if !c.l.Live || len(c.l.Failed) != 0 || c.l.Doubtful() != c.doubt || (c.doubt && !slices.Equal(c.l.Doubts, []string{SignalPlanarMotion})) {
			t.Errorf("%s: live %v failed %v doubts %v, want live, doubt %v", c.name, c.l.Live, c.l.Failed, c.l.Doubts, c.doubt)
		}
	}
}
