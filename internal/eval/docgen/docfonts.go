package docgen

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"

	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// The documents that carry machine-readable text are printed in fonts
// installed from Debian (scripts/setup.d/15-ocr.sh), read at run
// time and never copied into the repository:
//
//   - OCR-B, for machine-readable zones and the mainland ID number:
//     package fonts-ocr-b, Matthew Skala's OpenType build of Norbert
//     Schwarz's METAFONT OCR-B, released to the public domain (the
//     METAFONT sources under a permissive licence allowing any use). Its
//     "Sharp" cut (OCRBS.otf) is used: golang.org/x/image cannot draw the
//     '<' and '8' of the regular cut (a CFF flex operator it lacks);
//     loading checks every MRZ character;
//   - Noto Sans CJK SC, for the Chinese text of the mainland ID: package
//     fonts-noto-cjk, © Google and Adobe, SIL Open Font License 1.1.
var (
	// OCRBPaths are the files tried, in order, for OCR-B.
	OCRBPaths = []string{
		"/usr/share/fonts/opentype/ocr-b/OCRBS.otf",
	}
	// CJKPaths are the collections tried, in order, for the Chinese
	// text (regular weight); CJKBoldPaths for the bold one.
	CJKPaths     = []string{"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"}
	CJKBoldPaths = []string{"/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"}
)

// ErrNoFonts is wrapped by the error of DocumentFonts (and by Generate's
// panic) when a font the documents need is not installed.
var ErrNoFonts = errors.New("docgen: document fonts missing: install the Debian packages fonts-ocr-b and fonts-noto-cjk (scripts/setup.sh does)")

var (
	docFontsOnce                   sync.Once
	docFontsErr                    error
	fontOCRB, fontCJK, fontCJKBold *opentype.Font
)

// DocumentFonts loads the fonts of the machine-readable documents (TD1,
// TD2, TD3, mainland ID) and reports whether they are installed. The
// image-check card (KindCard) needs none of them.
func DocumentFonts() error {
	docFontsOnce.Do(func() {
		var err error
		if fontOCRB, err = loadFont(OCRBPaths, ""); err == nil {
			err = drawable(fontOCRB, "<0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
		}
		if err != nil {
			docFontsErr = fmt.Errorf("%w: OCR-B: %v", ErrNoFonts, err)
			return
		}
		if fontCJK, err = loadFont(CJKPaths, "SC"); err != nil {
			docFontsErr = fmt.Errorf("%w: Noto Sans CJK: %v", ErrNoFonts, err)
			return
		}
		if fontCJKBold, err = loadFont(CJKBoldPaths, "SC"); err != nil {
			docFontsErr = fmt.Errorf("%w: Noto Sans CJK Bold: %v", ErrNoFonts, err)
		}
	})
	return docFontsErr
}

// loadFont parses the first of paths that exists. For a collection
// (.ttc) it picks the font whose family name contains family (the
// simplified-Chinese "SC" face of Noto CJK).
func loadFont(paths []string, family string) (*opentype.Font, error) {
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if !strings.HasSuffix(p, ".ttc") {
			return opentype.Parse(b)
		}
		c, err := opentype.ParseCollection(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		for i := 0; i < c.NumFonts(); i++ {
			f, err := c.Font(i)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", p, err)
			}
			name, err := f.Name(nil, sfnt.NameIDFamily)
			if err == nil && strings.Contains(name, " "+family) {
				return f, nil
			}
		}
		return nil, fmt.Errorf("%s: no %q face in the collection", p, family)
	}
	return nil, fmt.Errorf("none of %v exists", paths)
}

// drawable checks that every character of chars has a glyph f can draw.
func drawable(f *opentype.Font, chars string) error {
	var buf sfnt.Buffer
	for _, c := range chars {
		gi, err := f.GlyphIndex(&buf, c)
		if err == nil && gi == 0 {
			err = errors.New("no glyph")
		}
		if err == nil {
			_, err = f.LoadGlyph(&buf, gi, fixed.I(100), nil)
		}
		if err != nil {
			return fmt.Errorf("character %q: %w", c, err)
		}
	}
	return nil
}
