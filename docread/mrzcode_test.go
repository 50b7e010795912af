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
