package docread

import (
	"slices"
	"testing"
)

func TestCodesMatched(t *testing.T) {
	// The TD2 specimen's issuer UTO (first line, cells 2-4) and
	// nationality UTO (second line, cells 10-12).
	issuerO, natO := [2]int{0, 4}, [2]int{1, 12}
	natQ := withCell(td2Specimen, 1, 12, 'Q')
	issuerQ := withCell(td2Specimen, 0, 4, 'Q')
	for _, tc := range []struct {
		name  string
		text  []string
		cells map[[2]int]map[byte]float32
		want  []string
	}{
		// Dev seed 231's TD3 0046: the nationality's O read Q, 0.916
		// against 0.905; the issuer's O clear.
		{"a nationality's near tie", natQ, map[[2]int]map[byte]float32{
			natO: {'Q': 0.916, 'O': 0.905}, issuerO: {'O': 0.93, 'Q': 0.85}}, td2Specimen},
		{"an issuer's near tie", issuerQ, map[[2]int]map[byte]float32{
			issuerO: {'Q': 0.88, 'O': 0.86}, natO: {'O': 0.93, 'Q': 0.85}}, td2Specimen},
		{"the nationality read clearly", natQ, map[[2]int]map[byte]float32{
			natO: {'Q': 0.92, 'O': 0.86}, issuerO: {'O': 0.93, 'Q': 0.85}}, natQ},
		{"the issuer read with doubt too", natQ, map[[2]int]map[byte]float32{
			natO: {'Q': 0.916, 'O': 0.905}, issuerO: {'O': 0.90, 'Q': 0.88}}, natQ},
		{"codes differing in a letter far from the other", withCell(td2Specimen, 1, 12, 'A'), nil,
			withCell(td2Specimen, 1, 12, 'A')},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := retakeOf(tc.text, 0.9, tc.cells).codesMatched(testNow)
			if got.data.Readable || !slices.Equal(got.lines, tc.want) {
				t.Errorf("got %q readable %v; want %q, not Readable", got.lines, got.data.Readable, tc.want)
			}
		})
	}
	tie := map[[2]int]map[byte]float32{natO: {'Q': 0.916, 'O': 0.905}, issuerO: {'O': 0.93, 'Q': 0.85}}
	t.Run("settled", func(t *testing.T) {
		var hs mrzHits
		hs.add(retakeOf(natQ, 0.9, tie), nil)
		if got := hs.settle(testNow).h; !slices.Equal(got.lines, td2Specimen) {
			t.Errorf("got %q, want %q", got.lines, td2Specimen)
		}
	})
	t.Run("switched off", func(t *testing.T) {
		defer func(v bool) { checkCodes = v }(checkCodes)
		checkCodes = false
		var hs mrzHits
		hs.add(retakeOf(natQ, 0.9, tie), nil)
		if got := hs.settle(testNow).h; !slices.Equal(got.lines, natQ) {
			t.Errorf("got %q, want %q", got.lines, natQ)
		}
	})
	t.Run("a Readable zone keeps its reading", func(t *testing.T) {
		h := retakeOf(natQ, 0.9, tie)
		h.data.Readable = true
		if got := h.codesMatched(testNow); !slices.Equal(got.lines, natQ) || !got.data.Readable {
			t.Errorf("got %q readable %v", got.lines, got.data.Readable)
		}
	})
}
