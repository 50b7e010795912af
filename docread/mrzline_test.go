package docread

import (
	"context"
	"image"
	"math"
	"slices"
	"testing"

	"github.com/kycq/kycq/kyc"
)

// drawStroke darkens to ink every pixel of clip within w/2 of the
// straight line through (x, y) at angle deg (counter-clockwise from the
// x axis, y pointing down).
func drawStroke(g *image.Gray, x, y, deg, w float64, ink uint8, clip image.Rectangle) {
	a := deg * math.Pi / 180
	dx, dy := math.Cos(a), -math.Sin(a)
	for py := clip.Min.Y; py < clip.Max.Y; py++ {
		for px := clip.Min.X; px < clip.Max.X; px++ {
			d := math.Abs((float64(px)+0.5-x)*dy - (float64(py)+0.5-y)*dx)
			if i := g.PixOffset(px, py); d <= w/2 && g.Pix[i] > ink {
				g.Pix[i] = ink
			}
		}
	}
}

// TestWeakLetterLine renders the TD2 specimen ("I<UTO...") at 16 pixels
// a pitch and draws a straight line across the T of its issuer, a cell
// no check digit covers: the zone must be read exactly or not vouched for
// (a retake), never Readable with the T read as another letter. The
// lines are given by angle, the offset of the point they pass through
// from the cell's centre (in pitches, right and up from the baseline),
// width in pixels and ink. Without weakLetter the reader vouched for the
// T read V (twice) and A; the T read Z or Y was already a retake (Y by
// lookAlike).
func TestWeakLetterLine(t *testing.T) {
	const pitch = 16.0
	for _, tc := range []struct {
		name          string
		deg, dx, up   float64
		w             float64
		ink           uint8
		wantReadable  bool // the reading must then be exact
		wantSomeOther bool // the T must be read as another letter (the line's effect)
	}{
		{"steep line right of the stem reads V", 70, 0.3, 0.6, 2.5, 0, false, true},
		{"steep line reads V", 80, 0.3, 0.3, 2.5, 0, false, true},
		{"line falling through the bar's right reads A", -80, 0.3, 0.6, 2.5, 0, false, true},
		{"rising line through the stem reads Z", 60, 0, 0.6, 2.5, 0, false, true},
		{"near-level line below the bar reads Y", -10, 0, 0.6, 3.5, 0, false, true},
		{"rising line below the bar reads Y", 10, 0, 0.6, 3.5, 0, false, true},
		// A faint line through the same T leaves it a T, vouched for.
		{"faint line", 70, 0.3, 0.6, 2.5, 120, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := renderMRZ(t, td2Specimen, pitch)
			// The T is cell 3 of the first line: cells start 2 pitches
			// in, the baseline 3 pitches down (renderMRZ).
			cell := image.Rect(int(5*pitch)-2, int(2*pitch)-2, int(6*pitch)+2, int(3*pitch)+2)
			drawStroke(g, 5.5*pitch+tc.dx*pitch, 3*pitch-tc.up*pitch, tc.deg, tc.w, tc.ink, cell)
			p := planeOf(g)
			cands := locateMRZ(p)
			if len(cands) == 0 {
				t.Fatal("the zone was not located")
			}
			h, ok := recogniseMRZ(context.Background(), p, cands[0], testNow)
			if !ok || h.kind != kyc.ReadTD2 || len(h.lines) != 2 {
				t.Fatalf("read %q as %s; want a TD2", h.lines, h.kind)
			}
			exact := slices.Equal(h.lines, td2Specimen)
			if h.data.Readable && !exact {
				t.Errorf("vouched for %q; the T has a line through it and the zone is %q", h.lines, td2Specimen)
			}
			if h.data.Readable != tc.wantReadable {
				t.Errorf("read %q readable %v; want readable %v", h.lines, h.data.Readable, tc.wantReadable)
			}
			if other := h.lines[0][3] != 'T'; other != tc.wantSomeOther {
				t.Errorf("read the T as %c; want another letter: %v", h.lines[0][3], tc.wantSomeOther)
			}
		})
	}
}

func TestWeakLetter(t *testing.T) {
	// td2Specimen's first line: "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<".
	issuerT := [2]int{0, 3}
	for _, tc := range []struct {
		name  string
		lines []string
		alt   map[[2]int]map[byte]float32
		want  bool
	}{
		{"clean", td2Specimen, nil, false},
		// The issuer's T read Y at 0.70, the T 0.06 behind: a damaged
		// glyph with a look-alike close, no check digit to tell.
		{"issuer T read Y, weak and close", []string{"I<UYOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", td2Specimen[1]},
			map[[2]int]map[byte]float32{issuerT: {'Y': 0.70, 'T': 0.64}}, true},
		// The same Y with the T 0.15 behind is a Y.
		{"weak letter, runner-up far", []string{"I<UYOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", td2Specimen[1]},
			map[[2]int]map[byte]float32{issuerT: {'Y': 0.70, 'T': 0.55}}, false},
		// A letter read with confidence is left to ambiguous.
		{"confident letter", td2Specimen,
			map[[2]int]map[byte]float32{issuerT: {'T': 0.80, 'Y': 0.74}}, false},
		// A name's E at 0.72 with an F 0.04 behind.
		{"name letter", td2Specimen,
			map[[2]int]map[byte]float32{{0, 5}: {'E': 0.72, 'F': 0.68}}, true},
		// A filler scoring close to a weak letter is weakOverFiller's
		// business, not a letter's look-alike.
		{"filler close", td2Specimen,
			map[[2]int]map[byte]float32{{0, 5}: {'E': 0.72, '<': 0.68}}, false},
		// A weak letter of the document number: its check digit
		// tells T (29) from Y (34).
		{"protected cell", td2Line1("D231T5890"),
			map[[2]int]map[byte]float32{{1, 4}: {'T': 0.70, 'Y': 0.66}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sc := scoresFor(tc.lines, tc.alt)
			if got := weakLetter(kyc.ReadTD2, sc, tc.lines); got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestFillerDigit(t *testing.T) {
	// td2Specimen's second line: "D231458907UTO7408122F1204159<<<<<<<6";
	// its composite (cell 35) admits digits alone, its number's check
	// digit (cell 9) and its birth date (cells 13-18) a filler too.
	composite, numberCheck, birth := [2]int{1, 35}, [2]int{1, 9}, [2]int{1, 13}
	for _, tc := range []struct {
		name  string
		lines []string
		alt   map[[2]int]map[byte]float32
		want  bool
	}{
		{"clean", td2Specimen, nil, false},
		// Dev seed 234's TD3 0064 read as a TD2: the composite's cell a
		// filler (0.91) read 4 at 0.62.
		{"a composite's filler read as a digit", withCell(td2Specimen, 1, 35, '4'),
			map[[2]int]map[byte]float32{composite: {'4': 0.62, '<': 0.91}}, true},
		{"a date's cell, admitting the filler", td2Specimen,
			map[[2]int]map[byte]float32{birth: {'7': 0.70, '<': 0.72}}, false},
		{"a digit with the filler behind", td2Specimen,
			map[[2]int]map[byte]float32{composite: {'6': 0.75, '<': 0.74}}, false},
		{"a cell admitting the filler", td2Specimen,
			map[[2]int]map[byte]float32{numberCheck: {'7': 0.62, '<': 0.91}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sc := retakeOf(tc.lines, 0.9, tc.alt).floor
			if got := fillerDigit(kyc.ReadTD2, sc, tc.lines); got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}
