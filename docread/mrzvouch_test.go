package docread

import (
	"slices"
	"testing"

	"github.com/kycq/kycq/kyc"
)

// td2Line1 is td2Specimen's second line with its document number
// replaced.
func td2Line1(number string) []string {
	return []string{td2Specimen[0], number + td2Specimen[1][9:]}
}

// hitOf is the zone read as raw and repaired into text, recognised on a
// plane with every rule of Readable met (readable), as recogniseMRZ
// leaves it.
func hitOf(raw, text []string, readable bool) mrzHit {
	fixed := 0
	for i := range raw {
		for j := range raw[i] {
			if raw[i][j] != text[i][j] {
				fixed++
			}
		}
	}
	h := mrzHit{kind: kyc.ReadTD2, lines: text, raw: raw, fixed: fixed, score: 0.9}
	h.data = mrzRead(kyc.ReadTD2, text, testNow)
	return h.vouched(readable && h.data.ChecksValid, testNow)
}

func TestRepairedFields(t *testing.T) {
	number := [][2]int{}
	for j := 0; j <= 9; j++ {
		number = append(number, [2]int{1, j})
	}
	for _, tc := range []struct {
		name      string
		raw, text []string
		want      [][2]int
	}{
		{"none", td2Specimen, td2Specimen, nil},
		// The 4 of D23145890 read A, repaired by the number's check
		// digit: the number and its check digit are to be confirmed.
		{"number", td2Line1("D231A5890"), td2Specimen, number},
		// The grammar turned a letter after the name's end into a
		// filler: no letter can be printed there, nothing to confirm.
		{"name fillers", []string{"I<UTOERIKSSON<<ANNA<MARIA<<<<<<<K<<<", td2Specimen[1]}, td2Specimen, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := repairedFields(kyc.ReadTD2, tc.raw, tc.text); !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestVouchRepairedZone(t *testing.T) {
	// The failure of the held-out seed 20280202, on the specimen: the 1
	// of D23145890 misread T (+28 at weight 7) and the 4 beside it, read
	// 5, repaired to 2 (-2 at weight 3) by the number's check digit. The
	// check digit and the composite then both hold (196 - 6 = 190).
	misread := td2Line1("D23T55890")
	repaired := td2Line1("D23T25890")
	if !mrzRead(kyc.ReadTD2, repaired, testNow).ChecksValid {
		t.Fatal("the repaired misreading should meet every check digit")
	}
	photo := hitOf(misread, repaired, true)
	if photo.data.Readable || !photo.pending() {
		t.Fatalf("a repaired zone vouched for at once: readable %v, pending %v", photo.data.Readable, photo.pending())
	}

	t.Run("no second reading", func(t *testing.T) {
		// Not vouched for; reported with the repair (withRepair), or,
		// the switch off, as seen.
		for _, report := range []bool{true, false} {
			func() {
				defer func(v bool) { reportRepaired = v }(reportRepaired)
				reportRepaired = report
				want := misread
				if report {
					want = repaired
				}
				var hs mrzHits
				hs.add(photo, nil)
				got := hs.settle(testNow).h
				if got.data.Readable || !slices.Equal(got.lines, want) || got.data.ChecksValid != report {
					t.Errorf("report %v: got %q readable %v valid %v; want %q, not Readable", report, got.lines, got.data.Readable, got.data.ChecksValid, want)
				}
			}()
		}
	})
	t.Run("card reads it right", func(t *testing.T) {
		card := hitOf(td2Specimen, td2Specimen, true)
		var hs mrzHits
		hs.add(photo, nil)
		hs.add(card, nil)
		got := hs.settle(testNow).h
		if !got.data.Readable || !slices.Equal(got.lines, td2Specimen) {
			t.Errorf("got %q readable %v; want the card's exact reading", got.lines, got.data.Readable)
		}
	})
	t.Run("card disagrees, not readable", func(t *testing.T) {
		card := hitOf(td2Specimen, td2Specimen, false) // e.g. ambiguous
		var hs mrzHits
		hs.add(photo, nil)
		hs.add(card, nil)
		if got := hs.settle(testNow).h; got.data.Readable {
			t.Errorf("got %q vouched for; the two readings disagree", got.lines)
		}
	})

	// A right repair: the 4 read A, the check digit picks 4.
	right := hitOf(td2Line1("D231A5890"), td2Specimen, true)
	t.Run("card agrees", func(t *testing.T) {
		for _, order := range []string{"photo first", "card first"} {
			card := hitOf(td2Specimen, td2Specimen, false) // seen exactly, though not vouched for on its own
			var hs mrzHits
			if order == "photo first" {
				hs.add(right, nil)
				hs.add(card, nil)
			} else {
				hs.add(card, nil)
				hs.add(right, nil)
			}
			got := hs.settle(testNow).h
			if !got.data.Readable || !slices.Equal(got.lines, td2Specimen) {
				t.Errorf("%s: got %q readable %v; want the repaired reading vouched for", order, got.lines, got.data.Readable)
			}
		}
	})
	t.Run("card needed the same repair", func(t *testing.T) {
		card := hitOf(td2Line1("D231A5890"), td2Specimen, true)
		var hs mrzHits
		hs.add(right, nil)
		hs.add(card, nil)
		if got := hs.settle(testNow).h; got.data.Readable {
			t.Errorf("got %q vouched for on two readings that both needed the repair", got.lines)
		}
	})
	t.Run("another kind", func(t *testing.T) {
		other := mrzHit{kind: kyc.ReadTD3, lines: td3Specimen, raw: td3Specimen}
		if confirms(right, other) {
			t.Error("a TD3 reading confirmed a TD2 zone")
		}
	})
	t.Run("readable unrepaired zone needs nothing", func(t *testing.T) {
		h := hitOf(td2Specimen, td2Specimen, true)
		if !h.data.Readable || h.pending() {
			t.Errorf("readable %v, pending %v", h.data.Readable, h.pending())
		}
	})
}

func TestWeakOverFiller(t *testing.T) {
	// td2Specimen's first line: "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<".
	sep := [2]int{0, 14} // the second filler of the name's "<<"
	for _, tc := range []struct {
		name  string
		lines []string
		alt   map[[2]int]map[byte]float32
		want  bool
	}{
		{"clean", td2Specimen, nil, false},
		// The name's "<<" read "<M" (the M 0.70, the filler 0.57): the
		// surname would become ERIKSSON MANNA... no check digit sees it.
		{"name separator read M", []string{"I<UTOERIKSSON<MANNA<MARIA<<<<<<<<<<<", td2Specimen[1]},
			map[[2]int]map[byte]float32{sep: {'M': 0.70, '<': 0.57}}, true},
		// The same M read with confidence (0.90 over a filler at 0.70)
		// is a letter.
		{"confident letter", []string{"I<UTOERIKSSON<MANNA<MARIA<<<<<<<<<<<", td2Specimen[1]},
			map[[2]int]map[byte]float32{sep: {'M': 0.90, '<': 0.70}}, false},
		// A weak letter with no filler near it is no filler misread.
		{"weak letter, filler far", td2Specimen,
			map[[2]int]map[byte]float32{{0, 6}: {'R': 0.65, '<': 0.35}}, false},
		// The document code's filler read S (0.63 over 0.48).
		{"document code", []string{"ISUTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", td2Specimen[1]},
			map[[2]int]map[byte]float32{{0, 1}: {'S': 0.63, '<': 0.48}}, true},
		// Optional data, which only the composite covers: a filler read
		// K (worth 20, as blind to the composite as the filler's 0).
		{"optional data", []string{td2Specimen[0], "D231458907UTO7408122F1204159<<<K<<<6"},
			map[[2]int]map[byte]float32{{1, 31}: {'K': 0.68, '<': 0.60}}, true},
		// A weak digit of the number, whose check digit protects it, is
		// the check digit's business.
		{"protected number", td2Specimen,
			map[[2]int]map[byte]float32{{1, 2}: {'3': 0.68, '<': 0.60}}, false},
		// But a K there is worth 20, the filler's 0 modulo 10: the
		// number's check digit cannot tell them apart (dev seed 51, a
		// passport's optional data).
		{"protected cell read K", td2Line1("D2314589K"),
			map[[2]int]map[byte]float32{{1, 8}: {'K': 0.68, '<': 0.60}}, true},
		{"protected cell read K with confidence", td2Line1("D2314589K"),
			map[[2]int]map[byte]float32{{1, 8}: {'K': 0.90, '<': 0.60}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sc := scoresFor(tc.lines, tc.alt)
			if got := weakOverFiller(kyc.ReadTD2, sc, tc.lines); got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestKeyCells(t *testing.T) {
	// The key fields' cells as ICAO 9303 places them, written out by
	// hand: keyCells derives them from the field table (fieldSpans) and
	// the check digits (checkFields).
	runs := func(rs ...[3]int) [][2]int {
		var out [][2]int
		for _, r := range rs {
			for j := r[1]; j < r[2]; j++ {
				out = append(out, [2]int{r[0], j})
			}
		}
		return out
	}
	for kind, want := range map[string][][2]int{
		kyc.ReadTD1: runs([3]int{0, 5, 15}, [3]int{1, 0, 18}, [3]int{2, 0, 30}),
		kyc.ReadTD2: runs([3]int{0, 5, 36}, [3]int{1, 0, 28}),
		kyc.ReadTD3: runs([3]int{0, 5, 44}, [3]int{1, 0, 28}),
	} {
		if got := keyCells[kind]; !slices.Equal(got, want) {
			t.Errorf("%s: got %v, want %v", kind, got, want)
		}
	}
	if len(keyCells) != 3 {
		t.Errorf("keyCells has %d formats, want TD1, TD2 and TD3", len(keyCells))
	}
}
