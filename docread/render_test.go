package docread

import (
	"image"
	"image/draw"
	"os"
	"sync"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// Fonts of the test renderings (Debian fonts-ocr-b, fonts-noto-cjk).
// Go's sfnt cannot load '8' and '<' of OCRB.otf (a CFF flex operator):
// the MRZ is rendered with the Sharp cut, whose outlines it reads.
const (
	ocrbSharpPath   = "/usr/share/fonts/opentype/ocr-b/OCRBS.otf"
	ocrbRegularPath = "/usr/share/fonts/opentype/ocr-b/OCRB.otf"
	notoCJKPath     = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
)

var fontCache sync.Map

// loadFont parses a font file once; a missing font fails the test (the
// fonts are installed by scripts/setup.d/15-ocr.sh).
func loadFont(t testing.TB, path string) *sfnt.Font {
	t.Helper()
	if f, ok := fontCache.Load(path); ok {
		return f.(*sfnt.Font)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("font missing (run scripts/setup.sh test): %v", err)
	}
	var f *sfnt.Font
	if c, err := opentype.ParseCollection(b); err == nil && c.NumFonts() > 1 {
		f, err = c.Font(0)
		if err != nil {
			t.Fatal(err)
		}
	} else if f, err = opentype.Parse(b); err != nil {
		t.Fatal(err)
	}
	fontCache.Store(path, f)
	return f
}

// face returns a face of f at size px per em.
func face(t testing.TB, f *sfnt.Font, size float64) font.Face {
	t.Helper()
	fc, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		t.Fatal(err)
	}
	return fc
}

// ocrbAdvance is the advance of every OCR-B glyph in em.
const ocrbAdvance = 0.723

// drawText draws s in black on dst with its baseline starting at (x, y).
func drawText(dst draw.Image, fc font.Face, x, y float64, s string) {
	d := font.Drawer{Dst: dst, Src: image.Black, Face: fc,
		Dot: fixed.Point26_6{X: fixed.Int26_6(x * 64), Y: fixed.Int26_6(y * 64)}}
	d.DrawString(s)
}

// whiteGray returns a white w×h gray image.
func whiteGray(w, h int) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, w, h))
	for i := range g.Pix {
		g.Pix[i] = 255
	}
	return g
}

// renderMRZ renders MRZ lines in OCR-B at the given pitch (pixels per
// character) on a white page with a margin of two pitches, lines spaced
// as on a document (1.7 pitches).
func renderMRZ(t testing.TB, lines []string, pitch float64) *image.Gray {
	t.Helper()
	fc := face(t, loadFont(t, ocrbSharpPath), pitch/ocrbAdvance)
	n := 0
	for _, l := range lines {
		n = max(n, len(l))
	}
	w := int(float64(n+4) * pitch)
	h := int((float64(len(lines)-1)*1.7 + 5) * pitch)
	g := whiteGray(w, h)
	for i, l := range lines {
		drawText(g, fc, 2*pitch, 3*pitch+float64(i)*1.7*pitch, l)
	}
	return g
}

func planeOf(g *image.Gray) *plane {
	p := newPlane(g.Rect.Dx(), g.Rect.Dy())
	for y := 0; y < p.h; y++ {
		copy(p.pix[y*p.w:(y+1)*p.w], g.Pix[y*g.Stride:y*g.Stride+p.w])
	}
	return p
}
