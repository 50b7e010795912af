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

func TestWeakNameFillers(t *testing.T) {
	// Cells of the TD3 specimen's name read as letters; want is the name
	// line reported and the cells changed. Only a letter under
	// minOverFiller with the filler within fillerLead becomes a filler.
	for _, tc := range []struct {
		name  string
		seen  string
		alt   map[[2]int]map[byte]float32
		want  string
		cells int
	}{
		{"clean", td3Specimen[0], nil, td3Specimen[0], 0},
		// The name's "<<" read "<M": the surname would run into the
		// given names.
		{"separator read M", "P<UTOERIKSSON<MANNA<MARIA<<<<<<<<<<<<<<<<<<<",
			map[[2]int]map[byte]float32{{0, 14}: {'M': 0.70, '<': 0.57}}, td3Specimen[0], 1},
		// The first filler of the separator read A.
		{"separator read A", "P<UTOERIKSSONA<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
			map[[2]int]map[byte]float32{{0, 13}: {'A': 0.66, '<': 0.60}}, td3Specimen[0], 1},
		// The filler after the last given name read K.
		{"last filler read K", "P<UTOERIKSSON<<ANNA<MARIAK<<<<<<<<<<<<<<<<<<",
			map[[2]int]map[byte]float32{{0, 25}: {'K': 0.68, '<': 0.62}}, td3Specimen[0], 1},
		// A letter read with confidence over a close filler stays.
		{"confident letter", "P<UTOERIKSSON<<ANNA<MARIAK<<<<<<<<<<<<<<<<<<",
			map[[2]int]map[byte]float32{{0, 25}: {'K': 0.86, '<': 0.80}}, "P<UTOERIKSSON<<ANNA<MARIAK<<<<<<<<<<<<<<<<<<", 0},
		// The filler after the last name read K, nearly tied with the
		// filler but over minOverFiller: the look-alike pair.
		{"last filler read K, tied", "P<UTOERIKSSON<<ANNA<MARIAK<<<<<<<<<<<<<<<<<<",
			map[[2]int]map[byte]float32{{0, 25}: {'K': 0.76, '<': 0.75}}, td3Specimen[0], 1},
		// A weak letter between two letters is no filler's place to
		// guess: it stays (a C at 0.72, the filler 0.14 behind).
		{"weak letter inside a name", "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
			map[[2]int]map[byte]float32{{0, 10}: {'S': 0.72, '<': 0.58}}, td3Specimen[0], 0},
		// A weak letter beside a filler with the filler further than
		// nameFillerLead behind stays (an E at 0.59, the filler 0.22
		// behind).
		{"weak letter, filler 0.22 behind", td3Specimen[0],
			map[[2]int]map[byte]float32{{0, 18}: {'A': 0.59, '<': 0.37}}, td3Specimen[0], 0},
		// The single filler between two given names read A, the
		// filler 0.04 behind: a near tie, read as the filler wherever
		// it is.
		{"single separator read A, tied", "P<UTOERIKSSON<<ANNAAMARIA<<<<<<<<<<<<<<<<<<<",
			map[[2]int]map[byte]float32{{0, 19}: {'A': 0.59, '<': 0.55}}, td3Specimen[0], 1},
		// A weak letter with the filler far behind stays.
		{"weak letter, filler far", td3Specimen[0],
			map[[2]int]map[byte]float32{{0, 7}: {'I': 0.62, '<': 0.30}}, td3Specimen[0], 0},
		// The document code and the issuer are not the name.
		{"document code", "PKUTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
			map[[2]int]map[byte]float32{{0, 1}: {'K': 0.66, '<': 0.60}}, "PKUTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text := []string{tc.seen, td3Specimen[1]}
			sc := scoresFor(text, tc.alt)
			got, n := weakNameFillers(kyc.ReadTD3, sc, text)
			if got[0] != tc.want || n != tc.cells || got[1] != td3Specimen[1] {
				t.Errorf("got %q (%d cells), want %q (%d)", got[0], n, tc.want, tc.cells)
			}
			if text[0] != tc.seen {
				t.Errorf("the reading passed in changed: %q", text[0])
			}
		})
	}
}
