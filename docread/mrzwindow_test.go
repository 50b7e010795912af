package docread

import (
	"context"
	"slices"
	"testing"

	"github.com/kycq/kycq/kyc"
)

// TestRecogniseStrayGlyph renders the TD3 and TD2 specimens with a stray
// glyph a pitch before or after a line (a hologram's or the
// background's mark the locator chains on), blurs them and saves them
// at JPEG 50, and reads the zone located: each line is read on the
// format's own cells, the mark left out, and the zone verifies. Before
// windowForm, the line's window was chosen by its scores alone, and a
// mark that outscored the line's last filler shifted it by a cell: a
// TD3's code lost ("<UTO…L", a retake), or a TD2's "I<UTO" read "II<UT"
// and vouched for, its issuer and name wrong.
func TestRecogniseStrayGlyph(t *testing.T) {
	for _, tc := range []struct {
		name  string
		print []string
		want  []string
		kind  string
	}{
		{"TD3, an L before the code", []string{"L" + td3Specimen[0], " " + td3Specimen[1]}, td3Specimen, kyc.ReadTD3},
		{"TD3, an L after the last filler", []string{" " + td3Specimen[0] + "L", " " + td3Specimen[1]}, td3Specimen, kyc.ReadTD3},
		{"TD3, a K before the code", []string{"K" + td3Specimen[0], " " + td3Specimen[1]}, td3Specimen, kyc.ReadTD3},
		{"TD2, an I before and a K after the first line", []string{"I" + td2Specimen[0] + "K", " " + td2Specimen[1]}, td2Specimen, kyc.ReadTD2},
		{"TD2, marks at both ends of both lines", []string{"I" + td2Specimen[0] + "K", "L" + td2Specimen[1] + "1"}, td2Specimen, kyc.ReadTD2},
	} {
		for _, pitch := range []float64{12, 16} {
			p := planeOf(jpegRoundTrip(t, gaussBlur(renderMRZ(t, tc.print, pitch), 1.0), 50))
			cands := locateMRZ(p)
			if len(cands) == 0 {
				t.Fatalf("%s, pitch %.0f: the zone was not located", tc.name, pitch)
			}
			if cands[0].lines[0].n <= len(tc.want[0]) {
				t.Fatalf("%s, pitch %.0f: the first line was fitted to %d cells, the mark not taken in", tc.name, pitch, cands[0].lines[0].n)
			}
			h, ok := recogniseMRZ(context.Background(), p, cands[0], testNow)
			if !ok || h.kind != tc.kind || !slices.Equal(h.lines, tc.want) || !h.data.ChecksValid {
				t.Errorf("%s, pitch %.0f: read %q as %s (checks %v); want %q", tc.name, pitch, h.lines, h.kind, h.data.ChecksValid, tc.want)
			}
		}
	}
}

// TestWindowForm builds the windows of a line's cells from scores
// known by construction (each cell scoring its character 0.9 and every
// other 0.1), with a stray glyph scoring higher than the line's own
// cells at one end, and checks the window chosen: the one that fits the
// format, not the one whose scores sum highest, and the highest sum
// among windows that fit it alike.
func TestWindowForm(t *testing.T) {
	cellsOf := func(s string, strong map[int]bool) ([]cellScores, []float64) {
		sc := make([]cellScores, len(s))
		best := make([]float64, len(s))
		for j := range s {
			for c := range sc[j] {
				sc[j][c] = 0.1
			}
			v := float32(0.8)
			if strong[j] {
				v = 0.95
			}
			sc[j][indexOf(s[j])] = v
			best[j] = float64(v)
		}
		return sc, best
	}
	for _, tc := range []struct {
		name   string
		line   int
		fitted string
		strong map[int]bool
		above  string
		want   string
	}{
		{"a TD2's I before its code, scoring high", 0, "I" + td2Specimen[0] + "K", map[int]bool{0: true}, "", td2Specimen[0]},
		{"a TD3's L after its last filler, scoring high", 0, td3Specimen[0] + "L", map[int]bool{44: true}, "", td3Specimen[0]},
		{"a TD2's second line with an L before it", 1, "L" + td2Specimen[1], map[int]bool{0: true}, td2Specimen[0], td2Specimen[1]},
		{"no mark: the higher sum", 0, td2Specimen[0] + "<", map[int]bool{}, "", td2Specimen[0]},
	} {
		all, best := cellsOf(tc.fitted, tc.strong)
		cells := len(tc.want)
		w := lineWindows{l: textLine{x0: 0, y0: 0, ux: 1, n: len(tc.fitted)}, all: all, best: best}
		var sc [][]cellScores
		if tc.above != "" {
			a, _ := cellsOf(tc.above, nil)
			sc = [][]cellScores{a}
		}
		got, _, _ := w.choose(tc.line, 2, cells, sc)
		var text []byte
		for j := range got {
			k := 0
			for c := range got[j] {
				if got[j][c] > got[j][k] {
					k = c
				}
			}
			text = append(text, mrzAlphabet[k])
		}
		if string(text) != tc.want {
			t.Errorf("%s: chose %q; want %q", tc.name, text, tc.want)
		}
	}
}

// TestIssuerFormed checks the issuer's form on first lines known by
// construction.
func TestIssuerFormed(t *testing.T) {
	for line, want := range map[string]bool{
		"I<UTOERIKSSON": true,
		"P<D<<MUSTER":   true,
		"IDUT<":         true,
		"II<UTERIKSSON": false,
		"I<U<O":         false,
		"I<<<<":         false,
		"I<UT0":         false,
		"I<UT":          false,
	} {
		if got := issuerFormed(line); got != want {
			t.Errorf("issuerFormed(%q) = %v; want %v", line, got, want)
		}
	}
}

// TestRecogniseStrayGlyphLostFiller renders the TD3 specimen with an L a
// pitch before its first line and that line's last filler lost (blank),
// so that the locator fits the format's 44 cells a cell off, and reads
// the zone located: the first line is read on the cells of its fit
// continued by one at each end (widened), its code and issuer as
// printed. Before, the fit had no other window to choose: "LP<UTO…".
func TestRecogniseStrayGlyphLostFiller(t *testing.T) {
	print := []string{"L" + td3Specimen[0][:43] + " ", " " + td3Specimen[1]}
	for _, pitch := range []float64{12, 16} {
		p := planeOf(jpegRoundTrip(t, gaussBlur(renderMRZ(t, print, pitch), 1.0), 50))
		cands := locateMRZ(p)
		if len(cands) == 0 {
			t.Fatalf("pitch %.0f: the zone was not located", pitch)
		}
		if n := cands[0].lines[0].n; n != len(td3Specimen[0]) {
			t.Fatalf("pitch %.0f: the first line was fitted to %d cells, not the format's", pitch, n)
		}
		h, ok := recogniseMRZ(context.Background(), p, cands[0], testNow)
		if !ok || h.kind != kyc.ReadTD3 || !slices.Equal(h.lines, td3Specimen) || !h.data.ChecksValid {
			t.Errorf("pitch %.0f: read %q as %s (checks %v); want %q", pitch, h.lines, h.kind, h.data.ChecksValid, td3Specimen)
		}
	}
}

// TestWindowFormFull counts the structure met by first lines whose
// cells score their characters 0.9 and every other 0.1, a blank cell
// scoring 0 for every character: what they meet and what a line printed
// as its format meets.
func TestWindowFormFull(t *testing.T) {
	cellsOf := func(s string) []cellScores {
		sc := make([]cellScores, len(s))
		for j := range s {
			if s[j] == ' ' {
				continue
			}
			for c := range sc[j] {
				sc[j][c] = 0.1
			}
			sc[j][indexOf(s[j])] = 0.9
		}
		return sc
	}
	for _, tc := range []struct {
		name       string
		line       string
		lines      int
		form, full int
	}{
		{"a TD3's first line", td3Specimen[0], 2, 2, 2},
		{"a TD3's first line a cell off", "L" + td3Specimen[0][:43], 2, 0, 2},
		{"a TD1's first line", td1Specimen[0], 3, 3, 3},
		{"a TD1's first line after a blank cell", " " + td1Specimen[0][:29], 3, 0, 3},
	} {
		form, full := windowForm(cellsOf(tc.line), 0, tc.lines, len(tc.line), nil)
		if form != tc.form || full != tc.full {
			t.Errorf("%s: form %d of %d; want %d of %d", tc.name, form, full, tc.form, tc.full)
		}
	}
}
