package face

import "testing"

// TestCylinderCueBentPrint: a flat texture bent around a cylinder
// (radius 0.6 to 1.4 face widths) and turned between frames is explained
// better by the cylinder's parallax alone than by a head's relief: its
// cylinder cue is at least bentCylinderRatio times its depth cue
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
		if (radius <= 0.8 && depth < DefaultMinDepth) || depth <= 0 || cyl < bentCylinderRatio*depth {
			t.Errorf("bent, radius %.1f: depth %.4f cylinder %.4f, want depth above 0 (≥ %.2f up to 0.8) and cylinder ≥ %.2f × depth",
				radius, depth, cyl, DefaultMinDepth, bentCylinderRatio)
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

// bentCylinderRatio is the cylinder cue's ratio to the depth cue this
// test asks of a bent texture (replay_bent_photo's bent prints read
// 0.97-4.23 on the development seeds, docs/face.md, "A bent print: the
// cylinder fits better than a head").
const bentCylinderRatio = 1.1
