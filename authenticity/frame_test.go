package authenticity

import (
	"image"
	"math"
	"testing"
)

// frameCard is a level card (chroma samples 25–295 × 25–215 of a
// 640×480 photo, in original pixels 12 times the chroma samples') whose
// ground is grey chroma under oblique luma stripes (|ΔY| 12 every third
// pixel along the rows and the columns), carrying a portrait: a frame of
// plain ground (Cb 140, Cr 120, luma 140 with a noise of up to ±8) over
// chroma samples 40–99 × 60–179, and in it a face (Cb 110, Cr 150, luma
// 100) over 55–84 × 90–149. With field, the ground at 104–159 × 50–189
// is recoloured (Cb 118), its right side fading back over ten samples
// (no step there).
func frameCard(field bool) (*image.YCbCr, [][2]float64, float64) {
	img := image.NewYCbCr(image.Rect(0, 0, 640, 480), image.YCbCrSubsampleRatio420)
	inFrame := func(x, y int) bool { return x >= 40 && x < 100 && y >= 60 && y < 180 }
	inFace := func(x, y int) bool { return x >= 55 && x < 85 && y >= 90 && y < 150 }
	for y := 0; y < 480; y++ {
		for x := 0; x < 640; x++ {
			v := 120 + 12*(((x+y)/3)%2)
			switch cx, cy := x/2, y/2; {
			case inFace(cx, cy):
				v = 100
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
			case inFrame(x, y):
				cb, cr = 140, 120
			case field && x >= 104 && x < 150 && y >= 50 && y < 190:
				cb = 118
			case field && x >= 150 && x < 160 && y >= 50 && y < 190:
				cb = 118 + (x - 149)
			}
			img.Cb[y*img.CStride+x], img.Cr[y*img.CStride+x] = uint8(cb+noise(x, y)), uint8(cr+noise(y, x))
		}
	}
	const scale = 6
	var quad [][2]float64
	for _, p := range [][2]float64{{25, 25}, {295, 25}, {295, 215}, {25, 215}} {
		quad = append(quad, [2]float64{p[0] * 2 * scale, p[1] * 2 * scale})
	}
	return img, quad, scale
}

// frameFace is the face box a detector gives for frameCard's face
// (chroma samples 52–87 × 85–149), in original pixels.
var frameFace = image.Rect(52*12, 85*12, 88*12, 150*12)

// TestFrameSide: which runs are taken for a side of the portrait's frame.
func TestFrameSide(t *testing.T) {
	plain, _, _ := frameCard(false)
	beside, _, _ := frameCard(true)
	face := chromaBox(frameFace, 6)
	if want := image.Rect(52, 85, 88, 150); face != want {
		t.Fatalf("chromaBox = %v, want %v", face, want)
	}
	for _, c := range []struct {
		name string
		img  *image.YCbCr
		s    seam
		face image.Rectangle
		want bool
	}{
		{"frame's right side", plain, seam{l: 99, a: 60, b: 179}, face, true},
		{"frame's right side, step on the nearer boundary", plain, seam{l: 98, a: 60, b: 179}, face, true},
		{"frame's left side", plain, seam{l: 38, a: 60, b: 179}, face, true},
		{"frame's bottom side", plain, seam{horiz: true, l: 178, a: 40, b: 99}, face, true},
		{"no portrait", plain, seam{l: 99, a: 60, b: 179}, image.Rectangle{}, false},
		{"field's border beside the frame", beside, seam{l: 103, a: 50, b: 189}, face, false},
		{"beyond frameReach of the box", beside, seam{l: 113, a: 60, b: 179}, face, false},
		{"through the box", plain, seam{l: 70, a: 60, b: 179}, face, false},
		{"along under half the box", plain, seam{l: 99, a: 60, b: 100}, face, false},
		{"past both ends of the box by more than its height", plain, seam{l: 99, a: 10, b: 230}, face, false},
		{"at the box's side", plain, seam{l: 88, a: 85, b: 149}, face, true},
	} {
		if got := frameSide(c.img, c.s, c.face, 4); got != c.want {
			t.Errorf("%s (%+v): frameSide = %v, want %v", c.name, c.s, got, c.want)
		}
	}
}

// TestColourSeamFrame: on a level card the side of the portrait's frame
// (120 of 270 samples, the print's stripes on one side and the frame's
// noisy ground on the other) passes for a recoloured field's border
// unless the portrait's box is known; a field recoloured beside the
// portrait, its border four samples from the frame's side, is found
// with the box known.
func TestColourSeamFrame(t *testing.T) {
	o := Options{}
	o.defaults()
	img, quad, scale := frameCard(false)
	r := colourSeam(img, quad, scale, o)
	if !r.found || math.Abs(r.rel-120.0/270) > 0.01 {
		t.Errorf("frame without the portrait's box: seam %.3f found %v, want 0.44 found", r.rel, r.found)
	}
	if r := colourSeamBeside(img, quad, frameFace, scale, o); r.found {
		t.Errorf("frame with the portrait's box: seam %.3f found at %v, want none", r.rel, r.box)
	}
	img, quad, scale = frameCard(true)
	border := image.Rect(103*12, 50*12, 105*12, 190*12)
	r = colourSeamBeside(img, quad, frameFace, scale, o)
	if !r.found || !r.box.Overlaps(border) || math.Abs(r.rel-140.0/270) > 0.01 {
		t.Errorf("field beside the portrait: seam %.3f found %v at %v, want 0.52 at %v", r.rel, r.found, r.box, border)
	}
}
