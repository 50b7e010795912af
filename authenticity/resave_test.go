package authenticity

import (
	"image"
	"math/rand/v2"
	"testing"
)

// TestGamutCell: a grey cell and a mid-tone colour are inside the RGB
// cube; a saturated red whose red channel reaches 254 and a blue whose
// red falls to 0 are at its end, and so is a cell with a single such
// pixel.
func TestGamutCell(t *testing.T) {
	for _, c := range []struct {
		name      string
		y, cb, cr uint8
		one       bool // only one pixel of the cell has the colour, the rest grey
		want      bool
	}{
		{"grey", 128, 128, 128, false, false},
		{"mid-tone blue", 110, 150, 120, false, false},
		{"saturated red", 76, 85, 255, false, true},
		{"saturated blue", 29, 255, 107, false, true},
		{"one saturated red pixel", 76, 85, 255, true, true},
	} {
		img := image.NewYCbCr(image.Rect(0, 0, 32, 32), image.YCbCrSubsampleRatio444)
		for i := range img.Y {
			img.Y[i], img.Cb[i], img.Cr[i] = 128, 128, 128
		}
		for y := 8; y < 24; y++ {
			for x := 8; x < 24; x++ {
				if c.one && (x != 9 || y != 9) {
					continue
				}
				img.Y[img.YOffset(x, y)], img.Cb[img.COffset(x, y)], img.Cr[img.COffset(x, y)] = c.y, c.cb, c.cr
			}
		}
		if got := gamutCell(Input{Work: img, Scale: 2}, image.Rect(0, 0, 64, 64)); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

// TestBlockMapFlat: a stored 32×16 photo of 4×2 luma blocks, only block
// (0, 1) flat, with EXIF orientation 6 (the upright photo is 16×32: a
// stored pixel (x, y) is shown at (16−y, x)). The upright rectangle
// (0,0)–(8,8) is stored block (0, 1): flat; (8,0)–(16,8) is block (0, 0):
// not; a rectangle over an unread block is not known.
func TestBlockMapFlat(t *testing.T) {
	m := &blockMap{w: 32, h: 16, bw: 4, bh: 2, px: 8, py: 8, orientation: 6, state: []uint8{
		blockAC, blockAC, blockAC, 0,
		blockFlat, blockAC, blockAC, blockAC,
	}}
	for _, c := range []struct {
		r            image.Rectangle
		known, flat  bool
		orientation  int
		wantUnturned bool
	}{
		{image.Rect(0, 0, 8, 8), true, true, 6, false},
		{image.Rect(8, 0, 16, 8), true, false, 6, false},
		{image.Rect(0, 0, 16, 8), true, false, 6, false},
		{image.Rect(8, 24, 16, 32), false, false, 6, false}, // stored block (3, 0): not read
	} {
		known, flat := m.flat(c.r)
		if known != c.known || flat != c.flat {
			t.Errorf("%v: known %v flat %v, want %v %v", c.r, known, flat, c.known, c.flat)
		}
	}
	m.orientation = 1
	if known, flat := m.flat(image.Rect(0, 8, 8, 16)); !known || !flat {
		t.Errorf("upright photo: block (0, 1) known %v flat %v", known, flat)
	}
	// From a real file: a 64×32 photo whose left half is one colour and
	// right half noisy, saved at quality 90 without turning.
	img := noisy(64, 32, 3)
	for y := range 32 {
		for x := range 32 {
			img.Pix[img.PixOffset(x, y)+0], img.Pix[img.PixOffset(x, y)+1], img.Pix[img.PixOffset(x, y)+2] = 120, 130, 110
		}
	}
	ci, err := readCoefficients(jpegOf(t, img, 90), 1000, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ci.release()
	fm := lumaBlocks(ci, 1)
	for _, c := range []struct {
		r    image.Rectangle
		flat bool
	}{{image.Rect(0, 0, 24, 32), true}, {image.Rect(40, 0, 64, 32), false}} {
		if known, flat := fm.flat(c.r); !known || flat != c.flat {
			t.Errorf("file, %v: known %v flat %v, want flat %v", c.r, known, flat, c.flat)
		}
	}
}

// flattenedCard is a 320×240 working photo (40×30 cells): noise of ±30
// levels everywhere but a plain band (rows 80–159) without noise whose
// luma steps up by one level every 8 pixels (one JPEG block at scale
// 1), as a downscale and a save leave a card's plain print; paint, when
// asked, lays one colour over rows 88–151, columns 24–295 of the band
// (most of it, as the fields painted in the eval are most of their
// region). blocks says the band's blocks are flat (but for its cells on
// the photo's edges and its top and bottom rows, which the region may
// leave out), and so are the rest's
// in rows 200–215 when rest is set (4 % of the document's other cells).
func flattenedCard(paint, rest bool) (*image.YCbCr, func(image.Rectangle) (bool, bool)) {
	img := image.NewYCbCr(image.Rect(0, 0, 320, 240), image.YCbCrSubsampleRatio444)
	r := rand.New(rand.NewPCG(15, 90))
	for y := range 240 {
		for x := range 320 {
			v := 100 + r.IntN(61)
			if y >= 80 && y < 160 {
				v = 100 + x/8
			}
			if paint && y >= 88 && y < 152 && x >= 24 && x < 296 {
				v = 118
			}
			img.Y[img.YOffset(x, y)] = uint8(v)
		}
	}
	for i := range img.Cb {
		img.Cb[i], img.Cr[i] = 128, 128
	}
	return img, func(b image.Rectangle) (bool, bool) {
		band := b.Min.Y >= 88 && b.Max.Y <= 152 && b.Min.X >= 8 && b.Max.X <= 312
		return true, band || (rest && b.Min.Y >= 200 && b.Max.Y <= 216)
	}
}

// TestLocalAnomalyFlattened: the plain band is noise-free and is
// reported when nothing says how it got so (no block map), or when its
// blocks are flat but the rest of the card's are not (the card kept its
// noise: paint-like); when the rest of the card has flat blocks too, the
// band is the processing's and is not reported, while paint over most
// of the band still is (one colour: a flat patch over most of the
// region).
func TestLocalAnomalyFlattened(t *testing.T) {
	o := Options{}
	o.defaults()
	for _, c := range []struct {
		name              string
		paint, rest, nomp bool
		found, flattened  bool
	}{
		{"plain band, no block map", false, true, true, true, false},
		{"plain band, flat blocks only there", false, false, false, true, false},
		{"plain band, flat blocks elsewhere too", false, true, false, false, true},
		{"paint over the band, flat blocks elsewhere too", true, true, false, true, true},
	} {
		img, blocks := flattenedCard(c.paint, c.rest)
		if c.nomp {
			blocks = nil
		}
		lr := localAnomaly(img, nil, 1, false, blocks, o)
		if lr.found != c.found || lr.flattened(o) != c.flattened {
			t.Errorf("%s: found %v flattened %v (share %.3f, residual %.4f, patch %.4f, flat blocks %.2f, rest %.3f), want %v %v",
				c.name, lr.found, lr.flattened(o), lr.frac, lr.resid, lr.patch, lr.quantFlat, lr.restFlat, c.found, c.flattened)
		}
		if lr.resid > o.MaxRegionResidual {
			t.Errorf("%s: residual %.4f: the band must be noise-free for the test to mean anything", c.name, lr.resid)
		}
	}
}
