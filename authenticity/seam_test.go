package authenticity

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"math"
	"testing"

	"github.com/kycq/kycq/imagecheck"
	"github.com/kycq/kycq/internal/eval/docgen"
)

// seamInput decodes a JPEG as the document check does and returns the
// working pixels and document outline colourSeam reads.
func seamInput(t *testing.T, data []byte) (*image.YCbCr, [][2]float64, float64) {
	t.Helper()
	var work *image.YCbCr
	var quad [][2]float64
	var scale float64
	imagecheck.CheckInspect(data, imagecheck.DefaultOptions(), func(w *image.YCbCr, rep *imagecheck.Report) {
		c := *w
		c.Y, c.Cb, c.Cr = bytes.Clone(w.Y), bytes.Clone(w.Cb), bytes.Clone(w.Cr)
		work, scale = &c, rep.Scale
		for _, p := range rep.Document {
			quad = append(quad, [2]float64{p.X, p.Y})
		}
	})
	if work == nil || len(quad) != 4 {
		t.Fatalf("no document found (%d corners)", len(quad))
	}
	return work, quad, scale
}

// TestColourSeam: a field of a tilted card recoloured in the camera's
// JPEG (its channels rotated inside a rectangle of the photo, as an
// editor's rectangular selection does) and saved again is found, its
// border located; the same photo saved twice without the edit is not.
func TestColourSeam(t *testing.T) {
	img, label := docgen.Generate(docgen.Spec{Seed: 104005, Size: docgen.Size2MP, Side: docgen.Front, Defect: docgen.Clean})
	q := label.Quad
	ang := math.Atan2(q[1][1]-q[0][1], q[1][0]-q[0][0]) * 180 / math.Pi
	if math.Abs(ang) < 3 || math.Abs(ang) > 87 {
		t.Fatalf("the test card is tilted %.1f°, want one tilted ≥ 3° from the axes", ang)
	}
	enc := func(m image.Image, quality int) []byte {
		var b bytes.Buffer
		if err := jpeg.Encode(&b, m, &jpeg.Options{Quality: quality}); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	reopen := func(data []byte) *image.RGBA {
		m, err := jpeg.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		out := image.NewRGBA(m.Bounds())
		draw.Draw(out, out.Rect, m, image.Point{}, draw.Src)
		return out
	}
	camera := enc(img, 95)
	genuine := enc(reopen(camera), 80)
	// The field: card coordinates (0.45–0.75, 0.45–0.57), its bounding
	// box in the photo.
	pt := func(u, v float64) (float64, float64) {
		return (1-u)*(1-v)*q[0][0] + u*(1-v)*q[1][0] + u*v*q[2][0] + (1-u)*v*q[3][0],
			(1-u)*(1-v)*q[0][1] + u*(1-v)*q[1][1] + u*v*q[2][1] + (1-u)*v*q[3][1]
	}
	field := image.Rectangle{Min: image.Point{1 << 30, 1 << 30}}
	for _, c := range [][2]float64{{0.45, 0.45}, {0.75, 0.45}, {0.75, 0.57}, {0.45, 0.57}} {
		x, y := pt(c[0], c[1])
		field.Min.X, field.Min.Y = min(field.Min.X, int(x)), min(field.Min.Y, int(y))
		field.Max.X, field.Max.Y = max(field.Max.X, int(x)), max(field.Max.Y, int(y))
	}
	edited := reopen(camera)
	for y := field.Min.Y; y < field.Max.Y; y++ {
		for x := field.Min.X; x < field.Max.X; x++ {
			c := edited.RGBAAt(x, y)
			edited.SetRGBA(x, y, color.RGBA{c.G, c.B, c.R, 255})
		}
	}
	attack := enc(edited, 80)
	o := Options{}
	o.defaults()
	w, quad, scale := seamInput(t, genuine)
	if r := colourSeam(w, quad, scale, o); !r.measured || r.found {
		t.Errorf("genuine photo saved twice: seam %.3f found %v (measured %v)", r.rel, r.found, r.measured)
	}
	w, quad, scale = seamInput(t, attack)
	r := colourSeam(w, quad, scale, o)
	if !r.found || !r.box.Overlaps(field) {
		t.Errorf("recoloured field %v: seam %.3f found %v at %v", field, r.rel, r.found, r.box)
	}
	// No outline: nothing searched.
	if r := colourSeam(w, nil, scale, o); r.measured {
		t.Errorf("searched without a document outline: %+v", r)
	}
}

// TestCardTilt: how close the card's printed lines come to each photo
// axis, from the outline's sides.
func TestCardTilt(t *testing.T) {
	rot := func(deg float64, q [4][2]float64) [4][2]float64 {
		s, c := math.Sincos(deg * math.Pi / 180)
		for i, p := range q {
			q[i] = [2]float64{p[0]*c - p[1]*s, p[0]*s + p[1]*c}
		}
		return q
	}
	rect := [4][2]float64{{0, 0}, {860, 0}, {860, 540}, {0, 540}}
	// Under perspective: the top side level, the bottom one at 1.6°;
	// left side leaning 2° one way, right side 1° the other way.
	persp := [4][2]float64{{0, 0}, {860, 0}, {860 - 540*math.Tan(1*math.Pi/180), 540 + 24}, {540 * math.Tan(2*math.Pi/180), 540}}
	for _, c := range []struct {
		name string
		q    [4][2]float64
		rows float64
		cols float64
	}{
		{"a card tilted 5°", rot(5, rect), 5, 5},
		{"a card tilted -7°, corners listed from another one", func() [4][2]float64 {
			q := rot(-7, rect)
			return [4][2]float64{q[1], q[2], q[3], q[0]}
		}(), 7, 7},
		{"an upright card turned 92°", rot(92, rect), 2, 2},
		{"perspective: sides either side of the columns", persp, 0, 0},
	} {
		if got := cardTilt(c.q, 0); math.Abs(got-c.rows) > 0.01 {
			t.Errorf("%s: rows %.3f°, want %.3f°", c.name, got, c.rows)
		}
		if got := cardTilt(c.q, 90); math.Abs(got-c.cols) > 0.01 {
			t.Errorf("%s: columns %.3f°, want %.3f°", c.name, got, c.cols)
		}
	}
}

// seamImage is a 640×480 4:2:0 photo (grey luma) whose chroma sample
// (x, y) of the 320×240 chroma planes is cb(x, y), cr(x, y), and a
// document outline around most of it, tilted 5° (so both axes are
// searched), in the coordinates of an original 6 times larger: at that
// scale the chroma block grid's period is under 2 samples and no
// boundary needs the doubled step.
func seamImage(cb, cr func(x, y int) uint8) (*image.YCbCr, [][2]float64, float64) {
	img := image.NewYCbCr(image.Rect(0, 0, 640, 480), image.YCbCrSubsampleRatio420)
	for i := range img.Y {
		img.Y[i] = 128
	}
	for y := 0; y < 240; y++ {
		for x := 0; x < 320; x++ {
			img.Cb[y*img.CStride+x], img.Cr[y*img.CStride+x] = cb(x, y), cr(x, y)
		}
	}
	const scale = 6
	s, c := math.Sincos(5 * math.Pi / 180)
	var quad [][2]float64
	for _, p := range [][2]float64{{-270, -190}, {270, -190}, {270, 190}, {-270, 190}} {
		x, y := p[0]*c-p[1]*s+320, p[0]*s+p[1]*c+240
		quad = append(quad, [2]float64{x * scale, y * scale})
	}
	return img, quad, scale
}

// noise is a fixed ±1 level texture (a hash of the sample's place).
func noise(x, y int) int {
	h := uint32(x)*0x9e3779b1 ^ uint32(y)*0x85ebca77
	h ^= h >> 15
	h *= 0x2c1b3c6d
	h ^= h >> 12
	return int(h%3) - 1
}

// TestColourSeamBand: a recoloured field's border that the chroma
// subsampling spread over two rows (Cb 128 → 133 → 138 at the top, back
// at the bottom; each step 5 ± 2 with the texture) is one seam: the
// largest step falls on either of the two boundaries from sample to
// sample, and the seam follows the pair. Its run covers a border (samples 60–259 of a document whose
// long side is 270 chroma samples: 0.74) and no other straight step
// exists.
func TestColourSeamBand(t *testing.T) {
	cb := func(x, y int) uint8 {
		v := 128
		if x >= 60 && x < 260 {
			switch {
			case y == 100 || y == 139:
				v = 133
			case y > 100 && y < 139:
				v = 138
			}
		}
		return uint8(v + noise(x, y))
	}
	cr := func(x, y int) uint8 { return uint8(128 + noise(y, x)) }
	img, quad, scale := seamImage(cb, cr)
	o := Options{}
	o.defaults()
	r := colourSeam(img, quad, scale, o)
	top, bottom := image.Rect(60*12, 100*12, 260*12, 101*12), image.Rect(60*12, 139*12, 260*12, 140*12) // original pixels
	if !r.found || !r.box.Overlaps(top) && !r.box.Overlaps(bottom) || math.Abs(r.rel-200.0/270) > 0.01 {
		t.Errorf("field's borders %v, %v: seam %.3f found %v at %v, want 0.74 there", top, bottom, r.rel, r.found, r.box)
	}
	// The same field on a flat ground, no texture: still found.
	flat := func(x, y int) uint8 { return cb(x, y) - uint8(noise(x, y)) }
	img, quad, scale = seamImage(flat, func(int, int) uint8 { return 128 })
	if r := colourSeam(img, quad, scale, o); !r.found || !r.box.Overlaps(top) && !r.box.Overlaps(bottom) {
		t.Errorf("flat ground: seam %.3f found %v at %v", r.rel, r.found, r.box)
	}
}

// TestColourSeamDensity: a dotted step (a print of short dashes: 3
// samples stepped, 2 not, gaps the run may skip) is not a border: hits
// on 60 % of its samples, under the 85 % a run needs; the same step
// solid is found.
func TestColourSeamDensity(t *testing.T) {
	field := func(dashed bool) func(x, y int) uint8 {
		return func(x, y int) uint8 {
			if x >= 60 && x < 260 && y >= 100 && y < 110 && (!dashed || x%5 < 3) {
				return 140
			}
			return 128
		}
	}
	o := Options{}
	o.defaults()
	grey := func(int, int) uint8 { return 128 }
	img, quad, scale := seamImage(field(true), grey)
	if r := colourSeam(img, quad, scale, o); !r.measured || r.found || r.rel > 0.05 {
		t.Errorf("dashed step: seam %.3f found %v (measured %v), want none longer than a dash", r.rel, r.found, r.measured)
	}
	img, quad, scale = seamImage(field(false), grey)
	if r := colourSeam(img, quad, scale, o); !r.found || math.Abs(r.rel-200.0/270) > 0.01 {
		t.Errorf("solid step: seam %.3f found %v, want 0.74", r.rel, r.found)
	}
}

// TestColourSeamLevel: on a card lying level (outline at 0°, so the
// card's printed lines run along both axes), a recoloured band whose
// ground's print (vertical luma stripes, 4 levels per pixel on average)
// runs across its border is found; the same chroma border with a plain
// luma area on one side (a portrait's frame) is not, nor is a border
// shorter than seamLevelMin of the card's side.
func TestColourSeamLevel(t *testing.T) {
	level := func(x0, x1 int, plainInside bool) (*image.YCbCr, [][2]float64, float64) {
		img := image.NewYCbCr(image.Rect(0, 0, 640, 480), image.YCbCrSubsampleRatio420)
		for y := 0; y < 480; y++ {
			for x := 0; x < 640; x++ {
				v := uint8(120 + 12*((x/3)%2)) // stripes: |ΔY| 12 every third pixel
				if plainInside && x >= 2*x0 && x < 2*x1 && y >= 200 && y < 280 {
					v = 126
				}
				img.Y[y*img.YStride+x] = v
			}
		}
		for y := 0; y < 240; y++ {
			for x := 0; x < 320; x++ {
				v := uint8(128)
				if x >= x0 && x < x1 && y >= 100 && y < 140 {
					v = 140
				}
				img.Cb[y*img.CStride+x], img.Cr[y*img.CStride+x] = v, 128
			}
		}
		const scale = 6
		var quad [][2]float64
		for _, p := range [][2]float64{{50, 50}, {590, 50}, {590, 430}, {50, 430}} {
			quad = append(quad, [2]float64{p[0] * scale, p[1] * scale})
		}
		return img, quad, scale
	}
	o := Options{}
	o.defaults()
	img, quad, scale := level(60, 260, false)
	if r := colourSeam(img, quad, scale, o); !r.found || math.Abs(r.rel-200.0/270) > 0.01 {
		t.Errorf("recoloured band on a level card: seam %.3f found %v, want 0.74", r.rel, r.found)
	}
	img, quad, scale = level(60, 260, true)
	if r := colourSeam(img, quad, scale, o); r.found {
		t.Errorf("plain area's frame on a level card: seam %.3f found, want none", r.rel)
	}
	img, quad, scale = level(60, 130, false) // 70 of 270 samples: 0.26
	if r := colourSeam(img, quad, scale, o); r.found || r.rel < o.MinSeam {
		t.Errorf("short border on a level card: seam %.3f found %v, want 0.26 not reported", r.rel, r.found)
	}
}

// TestColourSeamCoarse: a faint recoloured field on a printed ground, its
// borders spread by the chroma quantisation over four chroma rows (Cr
// +1.5 per row up to +6, steps under the fine search's 4 levels; the
// field's sides are sharp but short) and a print
// of oblique chroma waves (Cb ±4, crossing the border) over it: the
// fine search finds nothing, the coarse one (two rows averaged, nine
// samples along) finds the border on the tilted card. Not found: the
// same waves without the field; the field with a plain luma area
// inside it (a printed panel, no print running across the border); the
// same faint step along the card's own tilt (a printed edge); and the
// field on a level card, where the coarse search does not look.
func TestColourSeamCoarse(t *testing.T) {
	type variant struct{ field, plainInside, tilted, level bool }
	build := func(v variant) (*image.YCbCr, [][2]float64, float64) {
		top := func(x int) float64 {
			if v.tilted {
				return 100 + math.Tan(5*math.Pi/180)*float64(x-60)
			}
			return 100
		}
		ramp := func(x, y int) float64 { // the field's Cr offset, 0..6
			if !v.field || x < 60 || x >= 260 {
				return 0
			}
			in := math.Min(float64(y)-top(x), top(x)+40-float64(y)) // rows inside the field
			return math.Max(0, math.Min(6, 1.5*(in+2)))
		}
		cb := func(x, y int) uint8 { return uint8(128 + math.Round(4*math.Sin(0.8*float64(x)+0.5*float64(y)))) }
		cr := func(x, y int) uint8 { return uint8(128 + math.Round(ramp(x, y))) }
		img, quad, scale := seamImage(cb, cr)
		for y := 0; y < 480; y++ {
			for x := 0; x < 640; x++ {
				lum := uint8(120 + 12*((x/3)%2)) // print running along the rows
				if v.plainInside && x >= 120 && x < 520 && y >= 200 && y < 280 {
					lum = 126
				}
				img.Y[y*img.YStride+x] = lum
			}
		}
		if v.level {
			quad = nil
			for _, p := range [][2]float64{{50, 50}, {590, 50}, {590, 430}, {50, 430}} {
				quad = append(quad, [2]float64{p[0] * scale, p[1] * scale})
			}
		}
		return img, quad, scale
	}
	o := Options{}
	o.defaults()
	img, quad, scale := build(variant{field: true})
	r := colourSeam(img, quad, scale, o)
	top, bottom := image.Rect(60*12, 98*12, 260*12, 104*12), image.Rect(60*12, 136*12, 260*12, 142*12) // original pixels
	if !r.found || !r.box.Overlaps(top) && !r.box.Overlaps(bottom) || math.Abs(r.coarse-200.0/270) > 0.03 || r.rel >= o.MinSeam {
		t.Errorf("faint field: fine %.3f, coarse %.3f, found %v at %v; want fine < %.2f, coarse 0.74 at %v or %v", r.rel, r.coarse, r.found, r.box, o.MinSeam, top, bottom)
	}
	for name, v := range map[string]variant{
		"stripes only":        {},
		"plain panel":         {field: true, plainInside: true},
		"printed tilted edge": {field: true, tilted: true},
		"level card":          {field: true, level: true},
	} {
		img, quad, scale := build(v)
		if r := colourSeam(img, quad, scale, o); r.found || r.coarse >= coarseMin {
			t.Errorf("%s: fine %.3f, coarse %.3f, found %v at %v; want nothing", name, r.rel, r.coarse, r.found, r.box)
		}
	}
}

// TestHueBorder: hueBorder on a 640×480 photo whose chroma steps across
// the boundary pair of row 100 (chroma rows 100 and 101) for chroma
// samples 60–259, the luma either side as given. A hue/saturation
// edit's border steps the same way all along it and moves luma by no
// more than seamLumaRatio times its chroma step plus seamLumaSlack: a
// step of 12 chroma levels with the luma flat, or stepped by 20 (a
// channel swap of a ground of chroma ~20 moves it by ~19), is a
// possible border; the same step with the luma falling from 200 to 70
// (the top of a dark printed band, 130 levels > 3·12 + 8), or a chroma
// step that turns to and fro along the run (+8 then −8 Cb every 5
// samples: a wave pattern's rows), is not.
func TestHueBorder(t *testing.T) {
	mk := func(yAbove, yBelow int, turning bool) *image.YCbCr {
		img := image.NewYCbCr(image.Rect(0, 0, 640, 480), image.YCbCrSubsampleRatio420)
		for y := 0; y < 480; y++ {
			for x := 0; x < 640; x++ {
				v := yAbove
				if y >= 202 {
					v = yBelow
				}
				img.Y[y*img.YStride+x] = uint8(v)
			}
		}
		for y := 0; y < 240; y++ {
			for x := 0; x < 320; x++ {
				cb := 128
				if y > 100 {
					cb = 140
					if turning && (x/5)%2 == 1 {
						cb = 120
					}
				}
				img.Cb[y*img.CStride+x], img.Cr[y*img.CStride+x] = uint8(cb), 128
			}
		}
		return img
	}
	s := seam{horiz: true, l: 100, a: 60, b: 259}
	for _, c := range []struct {
		name          string
		above, below  int
		turning, want bool
	}{
		{"flat luma", 200, 200, false, true},
		{"luma stepped 20", 200, 180, false, true},
		{"dark printed band", 200, 70, false, false},
		{"luma stepped 44 (3·12+8)", 200, 156, false, true},
		{"luma stepped 46", 200, 154, false, false},
		{"chroma step turning to and fro", 200, 200, true, false},
	} {
		if got := hueBorder(mk(c.above, c.below, c.turning), s); got != c.want {
			t.Errorf("%s: hueBorder %v, want %v", c.name, got, c.want)
		}
	}
}

// TestShoulder: a run beside a stronger chroma step (within
// seamShoulder boundaries of its pair) is that step's shoulder; the
// stronger step's own run, and a weak step alone, are not shoulders.
func TestShoulder(t *testing.T) {
	// Cb steps by 40 across boundary 100 (rows 100|101) and by 6 across
	// boundary 103, along samples 60–259 (or, across columns, the same
	// boundaries along rows 60–199); Cr flat.
	steps := func(strong, across bool) *image.YCbCr {
		img, _, _ := seamImage(func(x, y int) uint8 {
			along, at, end := x, y, 260
			if across {
				along, at, end = y, x, 200
			}
			v := 128
			if along >= 60 && along < end {
				if strong && at <= 100 {
					v += 40
				}
				if at <= 103 {
					v += 6
				}
			}
			return uint8(v)
		}, func(int, int) uint8 { return 128 })
		return img
	}
	planes := func(strong bool) *image.YCbCr { return steps(strong, false) }
	weak := seam{horiz: true, l: 102, a: 60, b: 259}     // boundaries 102 and 103
	strongRun := seam{horiz: true, l: 99, a: 60, b: 259} // boundaries 99 and 100
	if !shoulder(planes(true), weak) {
		t.Error("a 6-level step 3 boundaries from a 40-level one: not a shoulder")
	}
	if shoulder(planes(true), strongRun) {
		t.Error("the 40-level step beside a 6-level one: a shoulder")
	}
	if shoulder(planes(false), weak) {
		t.Error("a 6-level step alone: a shoulder")
	}
	// Columns: the same steps across columns 100 and 103, rows 60–199.
	cols := func(strong bool) *image.YCbCr { return steps(strong, true) }
	if col := (seam{l: 102, a: 60, b: 199}); !shoulder(cols(true), col) || shoulder(cols(false), col) {
		t.Error("columns: a shoulder not told from a step alone")
	}
}

// TestColourSeamShoulder: a weak straight chroma step (6 levels, across
// boundary 98 all through the document, over half its long side) is a
// border alone; beside a strong printed edge (40 levels) whose saved
// blocks put it 2 or 4 boundaries below, by turns every 10 samples (no
// run of its own), it is not.
func TestColourSeamShoulder(t *testing.T) {
	o := Options{}
	o.defaults()
	for _, strong := range []bool{false, true} {
		cb := func(x, y int) uint8 {
			v := 128
			if y <= 98 {
				v += 6
			}
			if strong && y <= 100+2*(x/10%2) {
				v += 40
			}
			return uint8(v + noise(x, y))
		}
		img, quad, scale := seamImage(cb, func(x, y int) uint8 { return uint8(128 + noise(y, x)) })
		r := colourSeam(img, quad, scale, o)
		if strong && (r.found || r.rel >= o.MinSeam) {
			t.Errorf("beside a strong edge: seam %.3f found %v at %v, want none", r.rel, r.found, r.box)
		}
		if !strong && (!r.found || r.rel < 0.5) {
			t.Errorf("alone: seam %.3f found %v, want over 0.5", r.rel, r.found)
		}
	}
}
