package authenticity

import (
	"image"
	"math"
	"testing"
)

// tallFrameCard is frameCard's level card (chroma samples 25–295 ×
// 25–215 of a 640×480 photo, original pixels 12 times the samples')
// with a portrait as an ID photo frames it: a frame of plain ground (Cb
// 140, Cr 120, noisy luma) over chroma samples 40–99 × 30–209, nearly
// the card's height, holding a face (Cb 110, Cr 150, luma 100) over
// 55–84 × 60–119 and, under it, shoulders (Cb 120, Cr 135, luma 90)
// over 44–95 × 150–209 that stop four samples short of the frame's
// sides. The detector's box is the face's (tallFace): the frame runs 30
// samples above it and 90 below it, more than the box's height (65).
// With fieldBeside, the ground at 104–159 × 28–212 is recoloured (Cb
// 118), its border four samples right of the frame's side and its right
// side fading back over ten samples (no step there); with fieldOnSide,
// the ground at 100–209 × 40–199 likewise, its left border on the
// frame's side.
func tallFrameCard(field int) *image.YCbCr {
	img := image.NewYCbCr(image.Rect(0, 0, 640, 480), image.YCbCrSubsampleRatio420)
	inFrame := func(x, y int) bool { return x >= 40 && x < 100 && y >= 30 && y < 210 }
	inFace := func(x, y int) bool { return x >= 55 && x < 85 && y >= 60 && y < 120 }
	neck := 150
	if field == shouldersHigh {
		neck = 105
	}
	inBody := func(x, y int) bool { return x >= 44 && x < 96 && y >= neck && y < 210 }
	for y := 0; y < 480; y++ {
		for x := 0; x < 640; x++ {
			v := 120 + 12*(((x+y)/3)%2)
			switch cx, cy := x/2, y/2; {
			case inFace(cx, cy):
				v = 100
			case inBody(cx, cy):
				v = 90
			case inFrame(cx, cy):
				v = 140 + 5*noise(x, y) + 3*noise(y, x)
			}
			img.Y[y*img.YStride+x] = uint8(v)
		}
	}
	for y := 0; y < 240; y++ {
		for x := 0; x < 320; x++ {
			cb, cr := 128, 128
			switch {
			case inFace(x, y):
				cb, cr = 110, 150
			case inBody(x, y):
				cb, cr = 120, 135
			case inFrame(x, y):
				cb, cr = 140, 120
			case field == fieldBeside && x >= 104 && x < 150 && y >= 28 && y < 213:
				cb = 118
			case field == fieldBeside && x >= 150 && x < 160 && y >= 28 && y < 213:
				cb = 118 + (x - 149)
			case field == fieldOnSide && x >= 100 && x < 200 && y >= 40 && y < 200:
				cb = 118
			case field == fieldOnSide && x >= 200 && x < 210 && y >= 40 && y < 200:
				cb = 118 + (x - 199)
			}
			img.Cb[y*img.CStride+x], img.Cr[y*img.CStride+x] = uint8(cb+noise(x, y)), uint8(cr+noise(y, x))
		}
	}
	return img
}

// tallFrameCard's fields.
const (
	fieldBeside = 1 // border four samples right of the frame's side
	fieldOnSide = 2 // border on the frame's side
	// shouldersHigh: no field, the shoulders start at row 105, inside
	// the box's rows, reaching into the strip between the box and the
	// frame's right side over 15 of the box's 65 rows.
	shouldersHigh = 3
)

// tallFace is the detector's box for tallFrameCard's face (chroma
// samples 52–87 × 55–119), in original pixels.
var tallFace = image.Rect(52*12, 55*12, 88*12, 120*12)

// tallQuad is tallFrameCard's outline in original pixels.
var tallQuad = [][2]float64{{25 * 12, 25 * 12}, {295 * 12, 25 * 12}, {295 * 12, 215 * 12}, {25 * 12, 215 * 12}}

// TestFrameSideTall: the side of a frame that runs further below the
// face's box than the box is tall (a head-and-shoulders photo down to
// the card's lower band) is still the frame's side; a recoloured
// field's border beside it, or one along it that runs past its ends,
// is not.
func TestFrameSideTall(t *testing.T) {
	face := chromaBox(tallFace, 6)
	if want := image.Rect(52, 55, 88, 120); face != want {
		t.Fatalf("chromaBox = %v, want %v", face, want)
	}
	for _, c := range []struct {
		name  string
		field int
		s     seam
		want  bool
	}{
		{"tall frame's right side", 0, seam{l: 99, a: 30, b: 209}, true},
		{"tall frame's left side", 0, seam{l: 38, a: 30, b: 209}, true},
		{"field's border beside the tall frame", fieldBeside, seam{l: 103, a: 28, b: 212}, false},
		{"tall frame's right side, shoulders in the strip", shouldersHigh, seam{l: 99, a: 30, b: 209}, true},
		{"frame's side run on past the box's bottom by over twice its height", 0, seam{l: 99, a: 30, b: 260}, false},
		{"past the box's top and bottom by more than its height", 0, seam{l: 99, a: -20, b: 209}, false},
		{"horizontal run at the box's bottom", 0, seam{horiz: true, l: 120, a: 40, b: 99}, true},
		{"horizontal run past the box's end by over its width", 0, seam{horiz: true, l: 120, a: 40, b: 130}, false},
	} {
		if got := frameSide(tallFrameCard(c.field), c.s, face, 4); got != c.want {
			t.Errorf("%s (%+v): frameSide = %v, want %v", c.name, c.s, got, c.want)
		}
	}
	// The card upside down: the frame's side runs 90 samples above the
	// box (chroma samples 52–87 × 120–184), 25 below it.
	flipped := flipRows(tallFrameCard(0))
	box := image.Rect(52, 120, 88, 185)
	if s := (seam{l: 99, a: 30, b: 209}); !frameSide(flipped, s, box, 4) {
		t.Errorf("upside down, tall frame's right side (%+v): frameSide = false, want true", s)
	}
}

// flipRows is img with its rows reversed (columns kept, so the frame's
// sides stay in their columns).
func flipRows(img *image.YCbCr) *image.YCbCr {
	out := image.NewYCbCr(img.Rect, img.SubsampleRatio)
	h, ch := img.Rect.Dy(), (img.Rect.Dy()+1)/2
	for y := 0; y < h; y++ {
		copy(out.Y[(h-1-y)*out.YStride:(h-y)*out.YStride], img.Y[y*img.YStride:(y+1)*img.YStride])
	}
	for y := 0; y < ch; y++ {
		copy(out.Cb[(ch-1-y)*out.CStride:(ch-y)*out.CStride], img.Cb[y*img.CStride:(y+1)*img.CStride])
		copy(out.Cr[(ch-1-y)*out.CStride:(ch-y)*out.CStride], img.Cr[y*img.CStride:(y+1)*img.CStride])
	}
	return out
}

// TestColourSeamTallFrame: with the portrait's box known, the tall
// frame's sides (180 of 270 samples) no longer pass for a recoloured
// field's border, while a field recoloured beside it, its border four
// samples from the frame's side, is still found; one whose border lies
// on the frame's side keeps its top and bottom borders (100 samples and more).
func TestColourSeamTallFrame(t *testing.T) {
	o := Options{}
	o.defaults()
	img := tallFrameCard(0)
	if r := colourSeam(img, tallQuad, 6, o); !r.found || math.Abs(r.rel-180.0/270) > 0.01 {
		t.Errorf("tall frame without the portrait's box: seam %.3f found %v, want 0.67 found", r.rel, r.found)
	}
	if r := colourSeamBeside(img, tallQuad, tallFace, 6, o); r.found {
		t.Errorf("tall frame with the portrait's box: seam %.3f found at %v, want none", r.rel, r.box)
	}
	if r := colourSeamBeside(tallFrameCard(shouldersHigh), tallQuad, tallFace, 6, o); r.found {
		t.Errorf("tall frame, shoulders beside the box: seam %.3f found at %v, want none", r.rel, r.box)
	}
	border := image.Rect(103*12, 28*12, 105*12, 213*12)
	if r := colourSeamBeside(tallFrameCard(fieldBeside), tallQuad, tallFace, 6, o); !r.found || !r.box.Overlaps(border) || math.Abs(r.rel-185.0/270) > 0.02 {
		t.Errorf("field beside the tall frame: seam %.3f found %v at %v, want 0.69 at %v", r.rel, r.found, r.box, border)
	}
	if r := colourSeamBeside(tallFrameCard(fieldOnSide), tallQuad, tallFace, 6, o); !r.found || math.Abs(r.rel-100.0/270) > 0.04 {
		t.Errorf("field on the tall frame's side: seam %.3f found %v at %v, want its top or bottom border (0.37)", r.rel, r.found, r.box)
	}
}
