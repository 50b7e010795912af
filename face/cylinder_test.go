package face

import (
	"slices"
	"testing"
)

// TestCylinderCueBentPrint: a flat texture bent around a cylinder
// (radius 0.6 to 1.4 face widths) and turned between frames is explained
// better by the cylinder's parallax alone than by a head's relief: its
// cylinder cue is at least DefaultBentCylinderRatio times its depth cue
// (the depth cue past DefaultMinDepth up to 0.8 face widths, under it
// beyond for this turn).
// A head moved by the relief (faceRelief: the half-ellipse and the nose)
// is explained better by the relief: its cylinder cue stays under its
// depth cue.
func TestCylinderCueBentPrint(t *testing.T) {
	lx, _ := templatePoint(17, chipSize)
	rx, _ := templatePoint(26, chipSize)
	width := rx - lx
	for _, radius := range []float64{0.6, 0.8, 1.0, 1.4} {
		var bent [][]uint8
		for k := 0; k < 6; k++ {
			bent = append(bent, texturedChip(chipSize, bentWarp(radius*width, 2.5*float64(k))))
		}
		_, depth, nose, cyl, _ := textureDepthNose(bent, nil, chipSize, true)
		t.Logf("bent, radius %.1f face widths: depth %.4f nose %.4f cylinder %.4f", radius, depth, nose, cyl)
		if (radius <= 0.8 && depth < DefaultMinDepth) || depth <= 0 || cyl < DefaultBentCylinderRatio*depth {
			t.Errorf("bent, radius %.1f: depth %.4f cylinder %.4f, want depth above 0 (≥ %.2f up to 0.8) and cylinder ≥ %.2f × depth",
				radius, depth, cyl, DefaultMinDepth, DefaultBentCylinderRatio)
		}
	}
	var head [][]uint8
	for k := 0; k < 6; k++ {
		head = append(head, texturedChip(chipSize, reliefWarp(1.5*float64(k), 0.3*float64(k), identity)))
	}
	_, depth, nose, cyl, _ := textureDepthNose(head, nil, chipSize, true)
	t.Logf("head: depth %.4f nose %.4f cylinder %.4f", depth, nose, cyl)
	if depth < DefaultMinDepth || cyl >= depth {
		t.Errorf("head: depth %.4f cylinder %.4f, want depth ≥ %.2f and cylinder under it", depth, cyl, DefaultMinDepth)
	}
	if _, _, _, cyl, _ := textureDepthNose(bent1(), nil, chipSize, false); cyl != 0 {
		t.Errorf("without withNose: cylinder %v, want 0", cyl)
	}
}

// TestCylinderRatioJudged: a moving face whose depth cue passed and
// whose nose cue is over MinNoseDepth but under BentNoseDepth (0.006)
// passes in doubt (planar_motion, never refused) when its cylinder cue is
// at least BentCylinderRatio (1.35) times its depth cue, and passes
// outright just under that ratio or at BentNoseDepth; the rule is off
// with either threshold negative, with the nose cue off or with the
// depth check off.
func TestCylinderRatioJudged(t *testing.T) {
	var o Options
	o.defaults()
	if o.BentNoseDepth != 0.006 || o.BentCylinderRatio != 1.35 {
		t.Fatalf("defaults: BentNoseDepth %v BentCylinderRatio %v, want 0.006 and 1.35", o.BentNoseDepth, o.BentCylinderRatio)
	}
	noseOff, ratioOff, cueOff, depthOff := o, o, o, o
	noseOff.BentNoseDepth = -1
	ratioOff.BentCylinderRatio = -1
	cueOff.MinNoseDepth = -1
	depthOff.MinDepth, depthOff.ReviewDepth = -1, -1
	face := func(nose, cyl float64) *Liveness {
		l := movingHead(0.5, 0.05)
		l.NoseDepth, l.CylinderDepth = nose, cyl
		return l
	}
	for _, c := range []struct {
		name  string
		o     Options
		l     *Liveness
		doubt bool
	}{
		{"weak nose, cylinder fits better", o, face(0.004, 0.07), true},
		{"weak nose, cylinder at the ratio", o, face(0.0059, 1.35*0.05), true},
		{"weak nose, cylinder just under the ratio", o, face(0.004, 1.34*0.05), false},
		{"nose at BentNoseDepth", o, face(0.006, 0.1), false},
		{"head: relief fits better", o, face(0.004, 0.03), false},
		{"nose threshold off", noseOff, face(0.004, 0.1), false},
		{"ratio off", ratioOff, face(0.004, 0.1), false},
		{"nose cue off", cueOff, face(0.004, 0.1), false},
		{"depth check off", depthOff, face(0.004, 0.1), false},
	} {
		c.o.judge(c.l, 5)
		if !c.l.Live || len(c.l.Failed) != 0 || c.l.Doubtful() != c.doubt || (c.doubt && !slices.Equal(c.l.Doubts, []string{SignalPlanarMotion})) {
			t.Errorf("%s: live %v failed %v doubts %v, want live, doubt %v", c.name, c.l.Live, c.l.Failed, c.l.Doubts, c.doubt)
		}
	}
}
