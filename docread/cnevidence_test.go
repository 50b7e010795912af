package docread

import (
	"testing"

	"github.com/kycq/kycq/kyc/cnid"
)

// The pair of the held-out front: 110101… with its third and fifth
// characters (weights 10 and 8) read 6 and 9 is valid too (6·10 + 9·8 =
// 132 = 12·11).
const (
	pairTrue  = "110101199003074514"
	pairWrong = "116191199003074514"
)

func TestPairValid(t *testing.T) {
	for _, n := range []string{pairTrue, pairWrong} {
		if _, err := cnid.Parse(n); err != nil {
			t.Fatalf("%s: %v", n, err)
		}
	}
}

func TestBalancedPair(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func([]cellScores)
		want bool
	}{
		{"every glyph sure", nil, false},
		{"the two 0s within the doubt of a 6 and a 9", func(sc []cellScores) {
			sc[2] = cnScoresFor('0', 0.80, '6', 0.74)
			sc[4] = cnScoresFor('0', 0.80, '9', 0.72)
		}, true},
		{"one of them only", func(sc []cellScores) {
			sc[2] = cnScoresFor('0', 0.80, '6', 0.74)
			sc[4] = cnScoresFor('0', 0.80, '9', 0.60)
		}, false},
		{"two doubts that do not balance", func(sc []cellScores) {
			sc[2] = cnScoresFor('0', 0.80, '8', 0.74)
			sc[4] = cnScoresFor('0', 0.80, '9', 0.72)
		}, false},
		{"a doubt and the check character", func(sc []cellScores) {
			// The 16th character read 7 for 1 is valid with
			// another check character: a glyph and the check
			// character in doubt are a pair too.
			sc[15] = cnScoresFor('1', 0.80, '7', 0.75)
			sc[17] = cnScoresFor('4', 0.80, checkAfter("110101199003074574"), 0.75)
		}, true},
	} {
		sc := sureCNNumber(pairTrue, tc.edit)
		if got := balancedPair(pairTrue, glyphDoubts(pairTrue, sc)); got != tc.want {
			t.Errorf("%s: balancedPair %t, want %t", tc.name, got, tc.want)
		}
	}
	if glyphDoubts(pairTrue, nil) != nil || balancedPair(pairTrue, nil) {
		t.Error("no scores: doubts or a pair")
	}
}

// checkAfter returns the check character of the 17 digits of n.
func checkAfter(n string) byte {
	c, _ := cnid.CheckChar(n[:17])
	return c
}

func TestTemplatesDisagree(t *testing.T) {
	sc := sureCNNumber(pairTrue, nil)
	if n := templatesDisagree(pairTrue, sc); n != 0 {
		t.Errorf("the templates' own number: %d", n)
	}
	if n := templatesDisagree(pairWrong, sc); n != 2 {
		t.Errorf("two glyphs changed: %d, want 2", n)
	}
	if n := templatesDisagree(pairTrue, nil); n != 18 {
		t.Errorf("no scores: %d, want 18", n)
	}
}

// TestNumberDoubtRendered: a rendered front whose third and fifth glyphs
// (0 and 0) are blended with those of the number that differs there
// alone (6 and 9). With 60% of the printed glyph the templates read the
// other number, every glyph leading by cnLead or more, and MOD 11-2
// holds; with 70% they read the printed one. Either way the two glyphs
// are in doubt and make another valid number: the templates' reading
// alone is not evidence enough. The clean card's is.
func TestNumberDoubtRendered(t *testing.T) {
	c, _ := cnNumberCard(t, pairTrue)
	r, _ := readCNNumberOCRB(c)
	if balancedPair(pairTrue, glyphDoubts(pairTrue, r.sc)) {
		t.Fatal("the clean number is in doubt")
	}
	for _, tc := range []struct {
		share float64
		read  string
	}{{0.6, pairWrong}, {0.7, pairTrue}} {
		c := blendedCard(t, tc.share)
		r, _ := readCNNumberOCRB(c)
		if !r.ok || r.num != tc.read {
			t.Errorf("%.0f%% printed: read %q %t, want %q", 100*tc.share, r.num, r.ok, tc.read)
			continue
		}
		d := glyphDoubts(r.num, r.sc)
		if !balancedPair(r.num, d) {
			t.Errorf("%.0f%% printed: no pair in doubt (doubts at 2 %q, at 4 %q)", 100*tc.share, d[2], d[4])
		}
	}
}

// blendedCard renders pairTrue's card with its third and fifth glyphs
// blended with pairWrong's, share of the printed glyph.
func blendedCard(t testing.TB, share float64) *plane {
	c, boxes := cnNumberCard(t, pairTrue)
	w, _ := cnNumberCard(t, pairWrong)
	for _, i := range []int{2, 4} {
		k := boxes[i]
		for y := k.y0 - 2; y < k.y1+2; y++ {
			for x := k.x0 - 2; x < k.x1+2; x++ {
				at := y*c.w + x
				c.pix[at] = byte(float64(c.pix[at])*share + float64(w.pix[at])*(1-share) + 0.5)
			}
		}
	}
	return c
}

// TestPaddlePhotoNumber: PaddleOCR reads the number of a rendered front
// on the band as photographed, the clean card and the one whose two
// glyphs are blended (TestNumberDoubtRendered, 70% printed); a card with
// no number reads none.
func TestPaddlePhotoNumber(t *testing.T) {
	rec := paddleForTest(t)
	c, _ := cnNumberCard(t, pairTrue)
	if got := paddlePhotoNumber(rec, c); got != pairTrue {
		t.Errorf("clean card: %q, want %q", got, pairTrue)
	}
	if got := paddlePhotoNumber(rec, blendedCard(t, 0.7)); got != pairTrue && got != "" {
		t.Errorf("blended card: %q, want %q or none", got, pairTrue)
	}
	if got := paddlePhotoNumber(rec, blank(cnCardWidth, 605, 230)); got != "" {
		t.Errorf("blank card: %q", got)
	}
	if got := paddlePhotoNumber(nil, c); got != "" {
		t.Errorf("no recogniser: %q", got)
	}
}

// TestFitsDoubts: pairTrue read by another reader against the
// templates' pattern of its glyphs. The templates' best third character
// is a 6 leading the printed 0 by more than cnLead (a blur), the
// eleventh too close to call.
func TestFitsDoubts(t *testing.T) {
	const pattern = "116101199?03074514"
	for _, tc := range []struct {
		name   string
		six, o float32 // the third glyph's scores of 6 and 0
		want   bool
	}{
		{"0 within cnDoubtLead of the 6", 0.80, 0.70, true},
		{"0 just within", 0.80, 0.66, true},
		{"0 ruled out", 0.80, 0.60, false},
	} {
		sc := sureCNNumber(pairTrue, func(sc []cellScores) {
			sc[2] = cnScoresFor('6', tc.six, '0', tc.o)
		})
		if got := fitsDoubts(pairTrue, pattern, sc); got != tc.want {
			t.Errorf("%s: fitsDoubts %t, want %t", tc.name, got, tc.want)
		}
	}
	sc := sureCNNumber(pairTrue, func(sc []cellScores) { sc[2] = cnScoresFor('6', 0.80, '0', 0.70) })
	if !fitsDoubts("116101199003074514", pattern, sc) {
		t.Error("the pattern's own characters do not fit")
	}
	if fitsDoubts("110101199003074574", pattern, sc) {
		t.Error("a sure glyph (the 16th, 1) read 7 fits")
	}
	if fitsDoubts(pairTrue, pattern, nil) || fitsDoubts(pairTrue, pattern[:17], sc) {
		t.Error("fits without scores, or against a short pattern")
	}
}

func TestOneDoubtNumber(t *testing.T) {
	// pairTrue's third character, a 0, scoring just under a 6: the
	// templates' pattern leaves it in doubt, the check character
	// decides it.
	const pattern = "11?101199003074514"
	zeroUnder6 := func(sc []cellScores) { sc[2] = cnScoresFor('6', 0.72, '0', 0.70) }
	for _, tc := range []struct {
		name    string
		pattern string
		edit    func([]cellScores)
		want    string
	}{
		{"a 0 scoring under a 6", pattern, zeroUnder6, pairTrue},
		{"the check character's 0 ruled out by the scores", pattern, func(sc []cellScores) {
			sc[2] = cnScoresFor('6', 0.80, '0', 0.60)
		}, ""},
		{"two glyphs in doubt", "11?1?1199003074514", zeroUnder6, ""},
		{"no glyph in doubt", pairTrue, nil, ""},
		{"the check character's choice, a 1, ruled out by the scores", "11?101199003074515", zeroUnder6, ""},
		{"no character makes a valid number", "11?101199003074513", zeroUnder6, ""},
	} {
		if got := oneDoubtNumber(tc.pattern, sureCNNumber(pairTrue, tc.edit)); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
	if got := oneDoubtNumber(pattern, nil); got != "" {
		t.Errorf("no scores: %q", got)
	}
	// The number decided, a second glyph in doubt that balances with
	// the first (pairWrong): solved, but not vouched for
	// (balancedPair).
	sc := sureCNNumber(pairTrue, func(sc []cellScores) {
		zeroUnder6(sc)
		sc[4] = cnScoresFor('0', 0.80, '9', 0.72)
	})
	n := oneDoubtNumber(pattern, sc)
	if n != pairTrue || !balancedPair(n, glyphDoubts(n, sc)) {
		t.Errorf("a balanced pair: %q, balanced %t", n, balancedPair(n, glyphDoubts(n, sc)))
	}
	if n := oneDoubtNumber(pattern, sureCNNumber(pairTrue, zeroUnder6)); balancedPair(n, glyphDoubts(n, sureCNNumber(pairTrue, zeroUnder6))) {
		t.Errorf("%s: a balanced pair with one glyph in doubt", n)
	}
}
