package mrz

import (
	"strings"
	"testing"
)

// FuzzParse checks that Parse never panics and that whatever it accepts is
// self-consistent. Seeds: the specimens and testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	for _, s := range []string{td3Specimen, td1Specimen, td1Long, td2Specimen, td2Long, td3German,
		strings.ReplaceAll(td1Specimen, "\n", ""), "", "P<", "\n\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := Parse(s)
		if err != nil {
			if m != nil {
				t.Fatal("a result with an error")
			}
			return
		}
		if m.DocumentNumber == "" || strings.HasSuffix(m.DocumentNumber, "<") {
			t.Fatalf("document number %q", m.DocumentNumber)
		}
		if len(m.BirthDate) != 6 || len(m.ExpiryDate) != 6 || !datePlausible(m.ExpiryDate, false) {
			t.Fatalf("dates %q %q", m.BirthDate, m.ExpiryDate)
		}
		if m.DocumentCode == "" || m.DocumentCode[0] == 'V' {
			t.Fatalf("document code %q", m.DocumentCode)
		}
		for _, c := range append(append([]string{}, m.Primary...), m.Secondary...) {
			if c == "" || strings.Contains(c, "<") {
				t.Fatalf("name component %q", c)
			}
		}
		again, err := Parse(s)
		if err != nil || !equal(*m, *again) {
			t.Fatal("Parse is not deterministic")
		}
	})
}
