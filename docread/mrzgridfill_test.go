package docread

import (
	"slices"
	"testing"

	"github.com/kycq/kycq/kyc"
)

// TestGridFillers reads the TD3 specimen and hands gridFillers retakes
// known by construction: the filler between the given names ANNA and
// MARIA (cell 19 of the first line) reported as M at 0.60, as a window
// centred below the chevron reads it (on the grid, the chevron: read as
// the filler); the same M at 0.80, over minOverFiller (kept); the A of
// ANNA (cell 15) reported at 0.60 (on the grid it reads A: kept). A
// filler read as the filler takes the grid's scores as its floor.
func TestGridFillers(t *testing.T) {
	p, lines, fit, sc := readSpecimen(t, td3Specimen, 12)
	if text, _ := decodeMRZ(kyc.ReadTD3, sc, true); !slices.Equal(text, td3Specimen) {
		t.Fatalf("the specimen read %q", text)
	}
	retake := func(k int, ch byte, v float32) mrzHit {
		text := withCell(td3Specimen, 0, k, ch)
		floor := slices.Clone(sc)
		floor[0] = slices.Clone(sc[0])
		floor[0][k][indexOf(ch)] = v
		floor[0][k][indexOf('<')] = 0.4
		h := mrzHit{kind: kyc.ReadTD3, lines: text, raw: text, floor: floor}
		h.data = mrzRead(kyc.ReadTD3, text, testNow)
		h.data.Readable = false
		return h
	}
	for _, tc := range []struct {
		name string
		h    mrzHit
		want []string
	}{
		{"a filler reported M, weak", retake(19, 'M', 0.60), td3Specimen},
		{"a filler reported M, over minOverFiller", retake(19, 'M', 0.80), withCell(td3Specimen, 0, 19, 'M')},
		{"a weak A", retake(15, 'A', 0.60), td3Specimen},
	} {
		got := tc.h.gridFillers(p, lines, fit, testNow)
		if got.data.Readable || !slices.Equal(got.lines, tc.want) || !slices.Equal(got.raw, tc.want) {
			t.Errorf("%s: got %q (raw %q), readable %v; want %q", tc.name, got.lines, got.raw, got.data.Readable, tc.want)
		}
		if tc.h.lines[0][19] == 'M' && got.lines[0][19] == '<' {
			if f := got.floor[0][19]; slices.Index(f[:], slices.Max(f[:])) != indexOf('<') {
				t.Errorf("%s: the filler's floor scores %v", tc.name, f)
			}
		}
	}
}
