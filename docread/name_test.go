package docread

import (
	"testing"

	"github.com/kycq/kycq/kyc"
)

func TestNameGrammar(t *testing.T) {
	for _, tc := range []struct {
		field string
		end   int
		ok    bool
	}{
		{"ERIKSSON<<ANNA<MARIA<<<<<<<", 20, true},
		{"ERIKSSON<<ANNA<MARIA<<<<<K<<", 20, false},
		{"ERIKSSON<<<<<<<<<<<", -1, true},
		{"ERIKSSON<<ANNA<MARIA", -1, true},
		{"ERIKSSONANNAMARIA", -1, true},
	} {
		if got := nameEnd([]byte(tc.field)); got != tc.end {
			t.Errorf("nameEnd(%q) = %d; want %d", tc.field, got, tc.end)
		}
		text := []string{"P<UTO" + tc.field}
		if got := nameGrammar(kyc.ReadTD3, text); got != tc.ok {
			t.Errorf("nameGrammar(%q) = %t; want %t", tc.field, got, tc.ok)
		}
	}
}

func TestFillName(t *testing.T) {
	// A filler after the name read as K, '<' its runner-up: made a filler;
	// the same with '<' far behind: left for nameGrammar to refuse.
	for _, tc := range []struct {
		lessScore float32
		want      string
	}{
		{0.8, "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"},
		{0.4, "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<K<<<<<"},
	} {
		lines := []string{"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<K<<<<<", td3Specimen[1]}
		sc := scoresFor(lines, map[[2]int]map[byte]float32{{0, 38}: {'<': tc.lessScore}})
		got, _ := decodeMRZ(kyc.ReadTD3, sc, true)
		if got[0] != tc.want {
			t.Errorf("'<' at %.1f: %q; want %q", tc.lessScore, got[0], tc.want)
		}
	}
}
