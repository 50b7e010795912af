package imagecheck

import (
	"image"
	"math"
	"testing"
)

// paperScribble is a w×h view of paper (luma 230) carrying a scribble (a
// sine path 3 pixels thick, luma 40) across the box (box: where the
// scribble runs), under a shadow whose straight soft edge (half width
// soft, any direction angle) crosses the view through its centre and
// darkens what lies beyond it by depth, as light does: multiplying.
func paperScribble(w, h int, box image.Rectangle, soft, depth, angle float64) *image.YCbCr {
	ca, sa := math.Cos(angle), math.Sin(angle)
	return lumaBox(w, h, func(x, y int) byte {
		fx, fy := float64(x), float64(y)
		v := 230.0
		if image.Pt(x, y).In(box) {
			bx := float64(x - box.Min.X)
			py := float64(box.Min.Y) + float64(box.Dy())/2 + float64(box.Dy())/3*math.Sin(bx/float64(box.Dx())*4*math.Pi)
			if math.Abs(fy-py) < 1.5 {
				v = 40
			}
		}
		d := (fx-float64(w)/2)*ca + (fy-float64(h)/2)*sa
		t := math.Max(0, math.Min(1, (d+soft)/(2*soft)))
		return byte(v * (1 - depth*t*t*(3-2*t)))
	})
}

// A face-like photo: a lit oval on a darker ground, two dark eyes and a
// mouth, all soft, lit from one side (light falling off by side across
// the face), centred in a w×h view.
func softFace(w, h int, side float64) *image.YCbCr {
	return lumaBox(w, h, func(x, y int) byte {
		fx, fy := float64(x)-float64(w)/2, float64(y)-float64(h)/2
		r := fx*fx/(20*20) + fy*fy/(26*26)
		v := 70 + 130*math.Exp(-r*r) // the face's soft edge
		v *= 1 - side*(fx+20)/40*0.5
		for _, e := range [2]float64{-9, 9} {
			dx, dy := fx-e, fy+6
			v -= 80 * math.Exp(-(dx*dx+dy*dy)/(2*4*4))
		}
		dy := fy - 12
		v -= 50 * math.Exp(-(fx*fx/(2*7*7) + dy*dy/(2*3*3)))
		return byte(max(0, min(255, v)))
	})
}

// A scribble on paper has a photo's tones by twoTone and shading once a
// shadow's edge crosses it (the step adds low-frequency variance and
// spreads the levels), but not with the light taken out; a soft face,
// lit evenly or from one side, keeps them either way.
func TestPhotoTonesUnlit(t *testing.T) {
	box := image.Rect(30, 30, 90, 80) // a 60×50 box in a 120×110 view
	cases := []struct {
		name  string
		img   *image.YCbCr
		box   image.Rectangle
		photo bool
	}{
		{"scribble in even light", paperScribble(120, 110, box, 10, 0, 0.6), box, false},
		{"scribble under a soft shadow's edge", paperScribble(120, 110, box, 10, 0.4, 0.6), box, false},
		{"scribble under a sharper edge, the other way", paperScribble(120, 110, box, 5, 0.4, 2.2), box, false},
		{"scribble under a wide soft edge", paperScribble(120, 110, box, 20, 0.4, 0.6), box, false},
		{"face, even light", softFace(120, 110, 0), box, true},
		{"face lit from one side", softFace(120, 110, 0.6), box, true},
	}
	for _, c := range cases {
		if got := photoTones(c.img, c.box); got != c.photo {
			t.Errorf("%s: photoTones = %v (twoTone %.3f, shading %.3f, unlit %.3f), want %v", c.name, got,
				twoTone(c.img, c.box), shading(c.img, c.box), unlitShading(c.img, c.box), c.photo)
		}
	}
}

// The shadows above do pass the raw measures: without unlitShading the
// scribbles would count as photos (the test above then fails).
func TestShadowFakesShading(t *testing.T) {
	box := image.Rect(30, 30, 90, 80)
	for _, soft := range []float64{5, 10, 20} {
		img := paperScribble(120, 110, box, soft, 0.4, 0.6)
		if tw, sh := twoTone(img, box), shading(img, box); tw > maxTwoTone || sh < minShading {
			t.Errorf("soft %v: twoTone %.3f, shading %.3f: the shadow no longer fakes a photo's tones", soft, tw, sh)
		}
	}
}

// unlitShading: the rounding left of a plane is not shading, nor are
// characters' strokes once the soft edge of a shadow across them is taken
// out; a flat box and a box too small give 0; a soft blob smaller than
// the box is not a step and keeps most of its shading.
func TestUnlitShading(t *testing.T) {
	cases := []struct {
		name   string
		img    *image.YCbCr
		box    image.Rectangle
		lo, hi float64
	}{
		{"a plane", lumaBox(64, 64, func(x, y int) byte { return byte(40 + 2*x + y) }), image.Rect(16, 16, 48, 48), 0, 0.02},
		{"characters' strokes under a shadow's soft straight edge", lumaBox(64, 64, func(x, y int) byte {
			v := 230.0
			if x%6 < 2 || y%6 < 2 {
				v = 30
			}
			t := math.Max(0, math.Min(1, (float64(x+y)-64+12)/24))
			return byte(v * (1 - 0.5*t*t*(3-2*t)))
		}), image.Rect(16, 16, 48, 48), 0, 0.05},
		{"flat", lumaBox(32, 32, func(int, int) byte { return 90 }), image.Rect(8, 8, 24, 24), 0, 0},
		{"too small a box", lumaBox(32, 32, func(x, _ int) byte { return byte(5 * x) }), image.Rect(8, 8, 11, 24), 0, 0},
		{"a soft blob", lumaBox(64, 64, func(x, y int) byte {
			dx, dy := float64(x-32), float64(y-32)
			return byte(40 + 180*math.Exp(-(dx*dx+dy*dy)/(2*8*8)))
		}), image.Rect(16, 16, 48, 48), 0.4, 1},
	}
	for _, c := range cases {
		if got := unlitShading(c.img, c.box); got < c.lo || got > c.hi {
			t.Errorf("%s: unlitShading = %.4f, want %.2f–%.2f", c.name, got, c.lo, c.hi)
		}
	}
	if got := unlitShading(nil, image.Rect(0, 0, 4, 4)); got != 0 {
		t.Errorf("nil image: unlitShading = %v, want 0", got)
	}
}

// photoShading: a box of soft light and dark patches a face's features'
// size keeps its variance in shading, as is and with the light taken
// out; print as fine as a signature's strokes (columns alternately 40
// and 220, or a checker of 2-pixel squares) keeps none, whatever its
// levels; and a flat box has none to keep.
func TestPhotoShading(t *testing.T) {
	box := image.Rect(20, 20, 84, 84)
	cases := []struct {
		name string
		luma func(x, y int) byte
		want bool
	}{
		{"soft patches", func(x, y int) byte {
			return byte(128 + 80*math.Sin(2*math.Pi*float64(x)/32)*math.Sin(2*math.Pi*float64(y)/32))
		}, true},
		{"fine columns", func(x, _ int) byte { return byte(40 + 180*(x%2)) }, false},
		{"fine checker", func(x, y int) byte { return byte(40 + 180*((x/2+y/2)%2)) }, false},
		{"flat", func(int, int) byte { return 120 }, false},
	}
	for _, c := range cases {
		img := lumaBox(104, 104, c.luma)
		if got := photoShading(img, box); got != c.want {
			t.Errorf("%s: photoShading = %v (shading %.2f, unlit %.2f), want %v", c.name, got, shading(img, box), unlitShading(img, box), c.want)
		}
	}
}
