package docread

import (
	"context"
	"testing"

	"github.com/kycq/kycq/kyc"
)

func TestCodeAdmitted(t *testing.T) {
	for _, tc := range []struct {
		kind, line0 string
		want        bool
	}{
		{kyc.ReadTD1, td1Specimen[0], true},
		{kyc.ReadTD1, "ID" + td1Specimen[0][2:], true},
		{kyc.ReadTD1, "AC" + td1Specimen[0][2:], true},
		{kyc.ReadTD1, "C<" + td1Specimen[0][2:], true},
		// The TD1 of dev seed 41: its I read L.
		{kyc.ReadTD1, "L<" + td1Specimen[0][2:], false},
		{kyc.ReadTD1, "P<" + td1Specimen[0][2:], false},
		{kyc.ReadTD1, "<<" + td1Specimen[0][2:], false},
		{kyc.ReadTD2, td2Specimen[0], true},
		{kyc.ReadTD2, "T<" + td2Specimen[0][2:], false},
		{kyc.ReadTD3, td3Specimen[0], true},
		{kyc.ReadTD3, "PD" + td3Specimen[0][2:], true},
		{kyc.ReadTD3, "R<" + td3Specimen[0][2:], false},
		{kyc.ReadTD3, "I<" + td3Specimen[0][2:], false},
		{kyc.ReadMRVA, "V<" + td3Specimen[0][2:], true},
		{kyc.ReadMRVB, "P<" + td2Specimen[0][2:], false},
		{"", td3Specimen[0], false},
	} {
		if got := codeAdmitted(tc.kind, []string{tc.line0}); got != tc.want {
			t.Errorf("%s %q: got %v, want %v", tc.kind, tc.line0[:2], got, tc.want)
		}
	}
	if codeAdmitted(kyc.ReadTD1, nil) || codeAdmitted(kyc.ReadTD1, []string{""}) {
		t.Error("an empty zone is admitted")
	}
}

// TestCodeNotVouched reads the TD1 specimen rendered cleanly, and again
// with its document code's I printed as an L: no check digit covers the
// code, so both zones verify, but only the first is vouched for.
func TestCodeNotVouched(t *testing.T) {
	misread := append([]string{"L" + td1Specimen[0][1:]}, td1Specimen[1:]...)
	for _, tc := range []struct {
		name     string
		lines    []string
		readable bool
	}{
		{"I", td1Specimen, true},
		{"L", misread, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := planeOf(renderMRZ(t, tc.lines, 24))
			h, ok := bestMRZ(context.Background(), p, testNow, timings{})
			if !ok {
				t.Fatal("no MRZ found")
			}
			for i := range tc.lines {
				if h.lines[i] != tc.lines[i] {
					t.Fatalf("line %d\n got %s\nwant %s", i, h.lines[i], tc.lines[i])
				}
			}
			if !h.data.ChecksValid {
				t.Error("checks do not hold")
			}
			if h.data.Readable != tc.readable {
				t.Errorf("Readable %v, want %v", h.data.Readable, tc.readable)
			}
		})
	}
}

func TestCodeCertain(t *testing.T) {
	// td2Specimen's first line: "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<".
	ac := []string{"AC" + td2Specimen[0][2:], td2Specimen[1]}
	al := []string{"AL" + td2Specimen[0][2:], td2Specimen[1]}
	for _, tc := range []struct {
		name  string
		lines []string
		alt   map[[2]int]map[byte]float32
		want  bool
	}{
		{"clean I<", td2Specimen, nil, true},
		{"clean AC", ac, nil, true},
		// Dev seed 46: the C of AC read L at 0.70, nothing close.
		{"weak second character", al, map[[2]int]map[byte]float32{{0, 1}: {'L': 0.70, 'E': 0.49, 'C': 0.48}}, false},
		// The same L at 0.90 is a letter read with certainty (AL is a
		// code the format admits).
		{"confident second character", al, map[[2]int]map[byte]float32{{0, 1}: {'L': 0.90, 'C': 0.60}}, true},
		// The I at 0.80 with an A at 0.77: under the lead of 0.05.
		{"close first character", td2Specimen, map[[2]int]map[byte]float32{{0, 0}: {'I': 0.80, 'A': 0.77}}, false},
		{"first character ahead", td2Specimen, map[[2]int]map[byte]float32{{0, 0}: {'I': 0.80, 'A': 0.74}}, true},
		// A code the format does not admit, however confident.
		{"L<", []string{"L" + td2Specimen[0][1:], td2Specimen[1]}, nil, false},
		// The decoding chose another character than the scores' best.
		{"not the best", td2Specimen, map[[2]int]map[byte]float32{{0, 0}: {'C': 0.95}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sc := scoresFor(tc.lines, tc.alt)
			if got := codeCertain(kyc.ReadTD2, sc, tc.lines); got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}
