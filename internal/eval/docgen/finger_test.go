package docgen

import (
	"bytes"
	"math"
	"testing"
)

// TestRealFinger: RealFinger changes only the photos with a fingertip
// over a corner (the other cut-off variants and every other defect stay
// pixel for pixel), and there only the pixels near the finger's corner;
// the label is the same.
func TestRealFinger(t *testing.T) {
	fingers, others := 0, 0
	for seed := int64(1); seed <= 12 && (fingers < 2 || others < 1); seed++ {
		spec := Spec{Seed: seed, Size: SizeTest, Defect: CutOff, Strength: Clear, Design: DesignFramed}
		a, la := Generate(spec)
		spec.RealFinger = true
		b, lb := Generate(spec)
		if la.Quad != lb.Quad || la.Variant != lb.Variant || la.Background != lb.Background {
			t.Fatalf("seed %d: the label changed: %+v, %+v", seed, la, lb)
		}
		if la.Variant != "finger" {
			others++
			if !bytes.Equal(a.Pix, b.Pix) {
				t.Errorf("seed %d (%s): pixels changed without a finger", seed, la.Variant)
			}
			continue
		}
		fingers++
		// Every changed pixel lies within 3 short sides of a corner (the
		// finger reaches 0.25 inside it and runs 2.5 out, its shadow a
		// little further), and some changed.
		short := math.Min(dist(la.Quad[0], la.Quad[3]), dist(la.Quad[0], la.Quad[1]))
		changed := 0
		for y := 0; y < a.Rect.Dy(); y++ {
			for x := 0; x < a.Rect.Dx(); x++ {
				o := y*a.Stride + 4*x
				if bytes.Equal(a.Pix[o:o+3], b.Pix[o:o+3]) {
					continue
				}
				changed++
				near := false
				for _, c := range la.Quad {
					near = near || math.Hypot(float64(x)-c[0], float64(y)-c[1]) < 3*short
				}
				if !near {
					t.Fatalf("seed %d: pixel (%d, %d) changed far from every corner", seed, x, y)
				}
			}
		}
		if changed == 0 {
			t.Errorf("seed %d: the real finger changed nothing", seed)
		}
	}
	if fingers < 2 || others < 1 {
		t.Fatalf("seeds 1-12: %d finger photos and %d others", fingers, others)
	}
	plain := Spec{Seed: 3, Size: SizeTest, Defect: Glare, Strength: Clear}
	a, _ := Generate(plain)
	plain.RealFinger = true
	if b, _ := Generate(plain); !bytes.Equal(a.Pix, b.Pix) {
		t.Error("a glare photo changed with RealFinger")
	}
}
