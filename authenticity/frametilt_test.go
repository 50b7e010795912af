package authenticity

import (
	"image"
	"math"
	"testing"
)

// keystoneCard is img (a 640×480 photo of tallFrameCard) with the card
// in perspective: chroma sample (x, y) moves to x + k·(x−100)·(y−120),
// so that the card's vertical lines turn across it while the frame's
// right side (chroma column 100) stays exactly vertical (nearest
// sample, rows kept). keystoneQuad is tallQuad moved the same way.
func keystoneCard(src *image.YCbCr, k float64) *image.YCbCr {
	out := image.NewYCbCr(src.Rect, src.SubsampleRatio)
	w, h := src.Rect.Dx(), src.Rect.Dy()
	// from is the source column (in units of the plane's samples, f per
	// chroma sample) of column x on row y.
	from := func(x, y int, f float64) int {
		cx, cy := (float64(x)+0.5)/f, (float64(y)+0.5)/f
		return int(math.Floor(f * (cx + k*100*(cy-120)) / (1 + k*(cy-120))))
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			if sx := from(x, y, 2); sx >= 0 && sx < w {
				out.Y[y*out.YStride+x] = src.Y[y*src.YStride+sx]
			}
		}
	}
	for y := 0; y < h/2; y++ {
		for x := 0; x < w/2; x++ {
			if sx := from(x, y, 1); sx >= 0 && sx < w/2 {
				out.Cb[y*out.CStride+x] = src.Cb[y*src.CStride+sx]
				out.Cr[y*out.CStride+x] = src.Cr[y*src.CStride+sx]
			}
		}
	}
	return out
}

func keystoneQuad(k float64) [][2]float64 {
	var q [][2]float64
	for _, p := range tallQuad {
		cx, cy := p[0]/12, p[1]/12
		q = append(q, [2]float64{(cx + k*(cx-100)*(cy-120)) * 12, p[1]})
	}
	return q
}

// TestColourSeamKeystoneFrame (issue 15, a genuine front whose card was
// tilted ~2.5° yet whose frame's side made a vertical run): a side of
// the frame tilted with the card drifts off the photo's axis far more
// than MaxSeamSlope allows, so it makes no run at all; a run along a
// frame's side on a tilted card needs a card in perspective whose
// vertical lines turn through the axis at the frame. There the card's
// sides lean by 2.5° and 6.5° either way (cardTilt 0), the frame's
// side is the longest run without the portrait's box, and frameSide
// still takes it for the frame's side with the box, while a field
// recoloured beside the frame is still found.
func TestColourSeamKeystoneFrame(t *testing.T) {
	o := Options{}
	o.defaults()
	// The frame's side tilted with the card: no run near the length
	// that counts.
	const deg = 2.5
	c, s := math.Cos(deg*math.Pi/180), math.Sin(deg*math.Pi/180)
	src := tallFrameCard(0)
	rot := image.NewYCbCr(src.Rect, src.SubsampleRatio)
	for y := 0; y < 240; y++ {
		for x := 0; x < 320; x++ {
			dx, dy := float64(x)+0.5-160, float64(y)+0.5-120
			sx, sy := int(math.Floor(c*dx+s*dy+160)), int(math.Floor(-s*dx+c*dy+120))
			if sx >= 0 && sx < 320 && sy >= 0 && sy < 240 {
				rot.Cb[y*rot.CStride+x], rot.Cr[y*rot.CStride+x] = src.Cb[sy*src.CStride+sx], src.Cr[sy*src.CStride+sx]
			}
		}
	}
	copy(rot.Y, src.Y)
	var rq [][2]float64
	for _, p := range tallQuad {
		dx, dy := p[0]-1920, p[1]-1440
		rq = append(rq, [2]float64{c*dx - s*dy + 1920, s*dx + c*dy + 1440})
	}
	if r := colourSeam(rot, rq, 6, o); r.found || r.rel > 0.2 {
		t.Errorf("frame turned 2.5° with the card: seam %.3f found %v at %v, want under 0.2, none", r.rel, r.found, r.box)
	}
	const k = 0.00058 // the card's left side leans 2.5°, its right 6.5°
	q := keystoneQuad(k)
	poly := [4][2]float64{}
	for i, p := range q {
		poly[i] = [2]float64{p[0] / 12, p[1] / 12}
	}
	// The sides lean either way of the columns: some printed line runs
	// along them, the axis counts as level (textured, seamLevelMin).
	if tv := cardTilt(poly, 90); tv != 0 {
		t.Fatalf("keystone card: cardTilt(90) = %.2f, want 0", tv)
	}
	img := keystoneCard(tallFrameCard(0), k)
	side := image.Rect(98*12, 28*12, 104*12, 212*12)
	if r := colourSeam(img, q, 6, o); !r.found || r.rel < 0.6 || !r.box.Overlaps(side) {
		t.Errorf("keystone card without the portrait's box: seam %.3f found %v at %v, want the frame's side (0.63) at %v", r.rel, r.found, r.box, side)
	}
	if r := colourSeamBeside(img, q, tallFace, 6, o); r.found {
		t.Errorf("keystone card with the portrait's box: seam %.3f found at %v, want none", r.rel, r.box)
	}
	border := image.Rect(103*12, 28*12, 105*12, 213*12)
	if r := colourSeamBeside(keystoneCard(tallFrameCard(fieldBeside), k), q, tallFace, 6, o); !r.found || !r.box.Overlaps(border) {
		t.Errorf("keystone card, field beside the frame: seam %.3f found %v at %v, want it at %v", r.rel, r.found, r.box, border)
	}
}

// hairCard is tallFrameCard(field) with hair around the face (Cb 124,
// Cr 134, luma 60): the chroma samples of the ellipse centred on (70,
// 75) with half-axes 25 across and 50 down, above row 110, outside the
// face. It reaches past the box's right side (column 87) to column 95,
// and the strip's columns 92 and 93 read it on 68 % and 60 % of the
// box's rows; its outline crosses each column on a third of them or
// fewer.
func hairCard(field int) *image.YCbCr {
	img := tallFrameCard(field)
	hair := func(x, y int) bool {
		dx, dy := float64(x-70)/25, float64(y-75)/50
		face := x >= 55 && x < 85 && y >= 60 && y < 120
		return dx*dx+dy*dy <= 1 && y < 110 && !face
	}
	for y := 0; y < 480; y++ {
		for x := 0; x < 640; x++ {
			if hair(x/2, y/2) {
				img.Y[y*img.YStride+x] = 60
			}
		}
	}
	for y := 0; y < 240; y++ {
		for x := 0; x < 320; x++ {
			if hair(x, y) {
				img.Cb[y*img.CStride+x], img.Cr[y*img.CStride+x] = uint8(124+noise(x, y)), uint8(134+noise(y, x))
			}
		}
	}
	return img
}

// TestFrameSideHair: hair reaching past the face's box into the strip
// over most of the box's rows leaves the frame's side a frame's side
// (its outline is no straight edge along the run); a field recoloured
// beside the frame, the frame's straight side between it and the face,
// still counts.
func TestFrameSideHair(t *testing.T) {
	face := chromaBox(tallFace, 6)
	for _, c := range []struct {
		name  string
		field int
		s     seam
		want  bool
	}{
		{"frame's right side, hair in the strip", 0, seam{l: 99, a: 30, b: 209}, true},
		{"field's border beside the frame, hair in the strip", fieldBeside, seam{l: 103, a: 28, b: 212}, false},
	} {
		if got := frameSide(hairCard(c.field), c.s, face, 4); got != c.want {
			t.Errorf("%s (%+v): frameSide = %v, want %v", c.name, c.s, got, c.want)
		}
	}
	// A box whose strip is two samples wide (columns 99–100), the
	// frame's side between them: too narrow to look for the edge, so
	// the strip is not plain and the run is not the frame's side.
	if s := (seam{l: 102, a: 28, b: 212}); frameSide(tallFrameCard(fieldBeside), s, image.Rect(59, 55, 95, 120), 4) {
		t.Errorf("two-sample strip across the frame's side (%+v): frameSide = true, want false", s)
	}
	o := Options{}
	o.defaults()
	if r := colourSeamBeside(hairCard(0), tallQuad, tallFace, 6, o); r.found {
		t.Errorf("hair past the box: seam %.3f found at %v, want none", r.rel, r.box)
	}
	border := image.Rect(103*12, 28*12, 105*12, 213*12)
	if r := colourSeamBeside(hairCard(fieldBeside), tallQuad, tallFace, 6, o); !r.found || !r.box.Overlaps(border) {
		t.Errorf("hair past the box, field beside the frame: seam %.3f found %v at %v, want it at %v", r.rel, r.found, r.box, border)
	}
}
