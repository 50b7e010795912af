package imagecheck

import "testing"

// blurVerdict is how analyse reads the blur scores of the document in r,
// planes at the photo's full resolution (decode factor 1):
// blurred when the re-blur measure is above MaxBlur and either outside
// the doubt bands or the edges are wider than the band's limit.
func blurVerdict(p *planes, r region, th Thresholds) (blur, width, limit float64, blurred bool) {
	blur, _ = blurMeasure(p, r)
	limit = edgeWidthLimit(blur, 1, th)
	width = -1
	if limit > 0 {
		width = edgeWidth(p, r)
	}
	blurred = blur > th.MaxBlur && (limit == 0 || width > limit)
	return blur, width, limit, blurred
}

func TestEdgeWidthLimit(t *testing.T) {
	th := DefaultOptions().Thresholds
	for _, c := range []struct {
		blur   float64
		factor int
		want   float64
	}{
		{0.20, 1, 0},       // sharp: the re-blur measure decides alone
		{0.265, 1, 0},      // at MaxBlur: still sharp
		{0.26499, 1, 0},    // just below MaxBlur
		{0.265001, 1, 2.8}, // just past MaxBlur: the doubt band, MaxEdgeWidth
		{0.27, 1, 2.8},
		{0.29, 1, 2.8},   // its top
		{0.27, 2, 2.8},   // the same on a reduced photo
		{0.2901, 1, 2.5}, // just past MaxBlurDoubt: the plain card's band, MaxEdgeWidthPlain
		{0.30, 1, 2.5},
		{0.35, 1, 2.5}, // its top
		{0.3501, 1, 0}, // just past MaxBlurPlain: blurred by the re-blur measure alone
		{0.60, 1, 0},   // clearly blurred
		{0.30, 2, 0},   // a reduced photo has no plain card's band
		{0.30, 4, 0},
		{0.29, 4, 2.8}, // but the doubt band
		{0.36, 2, 0},
	} {
		if got := edgeWidthLimit(c.blur, c.factor, th); got != c.want {
			t.Errorf("blur %.5f, factor %d: width limit %.2f, want %.2f", c.blur, c.factor, got, c.want)
		}
	}
}

func TestBlurPlainCard(t *testing.T) {
	th := DefaultOptions().Thresholds
	// A plain ground (200) with a few dark text strokes (80), each 3
	// pixels wide, softened by σ 0.9 as a camera's optics soften a card
	// photographed at full resolution: the strokes are most of the
	// detail, and their soft shoulders read as blurred to the re-blur
	// measure (0.306, above MaxBlurDoubt), though the edges are as narrow
	// as a sharp card's (1.83 px).
	cols := []int{60, 64, 68, 72, 150, 154, 158}
	rows := []int{40, 44, 48, 100, 104}
	p, r := stepPlanes(240, 160, 3, 200, 80, cols, rows, 0.9)
	blur, width, limit, blurred := blurVerdict(p, r, th)
	if blur <= th.MaxBlurDoubt || blur > th.MaxBlurPlain {
		t.Fatalf("sharp plain card: blur %.4f, want in the plain card's band (%.3f, %.3f]", blur, th.MaxBlurDoubt, th.MaxBlurPlain)
	}
	if blurred || limit != th.MaxEdgeWidthPlain {
		t.Errorf("sharp plain card: blur %.4f, edge width %.3f (limit %.2f): called blurred", blur, width, limit)
	}
	// Without the plain card's band (main before it) the re-blur measure
	// alone calls it blurred.
	without := th
	without.MaxBlurPlain = 0
	if _, _, _, blurred := blurVerdict(p, r, without); !blurred {
		t.Errorf("sharp plain card without the plain card's band: called sharp")
	}
	// The same card under a known Gaussian blur: σ 1.5 (a moderate
	// defocus) on top of the camera's σ 0.9, σ 1.75 in all.
	p, r = stepPlanes(240, 160, 3, 200, 80, cols, rows, 1.75)
	if blur, width, limit, blurred := blurVerdict(p, r, th); !blurred {
		t.Errorf("blurred plain card (σ 1.75): blur %.4f, edge width %.3f (limit %.2f): called sharp", blur, width, limit)
	}
	// A lighter blur, σ 1.2 in all (0.8 on top of the camera's), is past
	// the band already.
	p, r = stepPlanes(240, 160, 3, 200, 80, cols, rows, 1.2)
	if blur, width, limit, blurred := blurVerdict(p, r, th); !blurred || blur <= th.MaxBlurPlain {
		t.Errorf("lightly blurred plain card (σ 1.2): blur %.4f, edge width %.3f (limit %.2f), blurred %v; want blurred above %.2f", blur, width, limit, blurred, th.MaxBlurPlain)
	}
}
