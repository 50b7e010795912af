package docread

import (
	"slices"
	"testing"

	"github.com/kycq/kycq/kyc"
)

// readSpecimen renders lines at pitch pixels a pitch, locates them and
// scores every cell as recogniseCells does: the plane, the lines as
// read, the print fit and the scores.
func readSpecimen(t testing.TB, lines []string, pitch float64) (*plane, []textLine, printFit, [][]cellScores) {
	t.Helper()
	p := planeOf(renderMRZ(t, lines, pitch))
	cands := locateMRZ(p)
	if len(cands) == 0 || len(cands[0].lines) != len(lines) {
		t.Fatalf("the specimen was not located whole: %d candidates", len(cands))
	}
	ls := slices.Clone(cands[0].lines)
	sc := make([][]cellScores, len(ls))
	var fit printFit
	for i, l := range ls {
		sc[i], ls[i], _, fit = scoreLineAt(p, l, len(lines[i]), fit)
	}
	return p, ls, fit, sc
}

// TestSecondLook reads the TD2 specimen and hands secondLook first
// readings known by construction: the specimen as read; its number's
// first cell (D) read P at 0.70, a score under unsure, as a window off
// the glyph reads it (the second reading, on windows moved along the
// line, finds the D scoring far better: the readings disagree); the D
// itself at 0.70 (the second reading finds the D again: no dispute); the
// P at 0.95 (a sure cell is not read again); and the P as a check-digit
// repair made it (left to the second reading on another plane).
func TestSecondLook(t *testing.T) {
	p, lines, fit, sc := readSpecimen(t, td2Specimen, 16)
	if text, _ := decodeMRZ(kyc.ReadTD2, sc, true); !slices.Equal(text, td2Specimen) {
		t.Fatalf("the specimen read %q", text)
	}
	misread := td2Line1("P23145890")
	cell := func(ch byte, v float32) [][]cellScores {
		out := slices.Clone(sc)
		out[1] = slices.Clone(sc[1])
		out[1][0][indexOf(ch)] = v
		return out
	}
	for _, tc := range []struct {
		name      string
		text, raw []string
		sc        [][]cellScores
		want      bool
	}{
		{"read right", td2Specimen, td2Specimen, sc, false},
		{"D read P, unsure", misread, misread, cell('P', 0.70), true},
		{"D read D, unsure", td2Specimen, td2Specimen, cell('D', 0.70), false},
		{"D read P, sure", misread, misread, cell('P', 0.95), false},
		{"P from a repair", misread, td2Specimen, cell('P', 0.70), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := secondLook(p, kyc.ReadTD2, lines, fit, tc.sc, tc.text, tc.raw); got != tc.want {
				t.Errorf("secondLook = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestSecondLookLetters reads the TD2 specimen and hands
// secondLookLetters first readings known by construction, on the glyph
// size's templates: the specimen as read; the surname's first letter (E)
// read F at 0.70, a score under unsure (the windows moved along the line
// read the E far better: the readings disagree); the E itself at 0.70
// (the second reading finds the E again); the F at 0.95 (a sure letter is
// not read again); and the number's D read P at 0.70, a cell the check
// digits cover (secondLook's, not this rule's).
func TestSecondLookLetters(t *testing.T) {
	p, lines, fit, sc := readSpecimen(t, td2Specimen, 16)
	floor := floorScores(p, lines, fit, sc)
	if text, _ := decodeMRZ(kyc.ReadTD2, floor, true); !slices.Equal(text, td2Specimen) {
		t.Fatalf("the specimen read %q", text)
	}
	surnameF := []string{"I<UTOFRIKSSON<<ANNA<MARIA<<<<<<<<<<<", td2Specimen[1]}
	cell := func(i, j int, ch byte, v float32) [][]cellScores {
		out := slices.Clone(floor)
		out[i] = slices.Clone(floor[i])
		out[i][j][indexOf(ch)] = v
		return out
	}
	for _, tc := range []struct {
		name  string
		text  []string
		floor [][]cellScores
		want  bool
	}{
		{"read right", td2Specimen, floor, false},
		{"E read F, unsure", surnameF, cell(0, 5, 'F', 0.70), true},
		{"E read E, unsure", td2Specimen, cell(0, 5, 'E', 0.70), false},
		{"E read F, sure", surnameF, cell(0, 5, 'F', 0.95), false},
		{"a checked cell", td2Line1("P23145890"), cell(1, 0, 'P', 0.70), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := secondLookLetters(p, kyc.ReadTD2, lines, fit, tc.floor, tc.text); got != tc.want {
				t.Errorf("secondLookLetters = %v, want %v", got, tc.want)
			}
		})
	}
}

// disputeHit is the TD2 zone read as lines, each cell's character scored
// v and every other class 0, Readable as given.
func disputeHit(lines []string, v float32, readable, confident bool) mrzHit {
	h := mrzHit{kind: kyc.ReadTD2, lines: lines, raw: lines, confident: confident}
	h.floor = make([][]cellScores, len(lines))
	for i, l := range lines {
		h.floor[i] = make([]cellScores, len(l))
		for j := range l {
			h.floor[i][j][indexOf(l[j])] = v
		}
	}
	h.data = mrzRead(kyc.ReadTD2, lines, testNow)
	h.data.Readable = readable && h.data.ChecksValid
	return h
}

// TestDisputes weighs readings of another plane against a zone vouched
// for: the dev-seed-110 case (a given name's T read I on the card, 0.763,
// vouched for; the photo's T at 0.724, every check holding) and readings
// that do not dispute it.
func TestDisputes(t *testing.T) {
	twin := []string{"I<UTOERIKSSON<<ANNI<MARIA<<<<<<<<<<<", td2Specimen[1]} // ANNA's last A read I
	optional := []string{td2Specimen[0], td2Specimen[1][:28] + "K" + td2Specimen[1][29:]}
	if !mrzRead(kyc.ReadTD2, twin, testNow).ChecksValid {
		t.Fatal("the twin reading should verify")
	}
	vouched := disputeHit(twin, 0.763, true, true)
	for _, tc := range []struct {
		name string
		o, h mrzHit
		want bool
	}{
		{"a name read otherwise, nearly as sure", disputeHit(td2Specimen, 0.724, false, true), vouched, true},
		{"read the same", disputeHit(twin, 0.70, false, true), vouched, false},
		{"far less sure", disputeHit(td2Specimen, 0.60, false, true), vouched, false},
		{"not confident", disputeHit(td2Specimen, 0.724, false, false), vouched, false},
		{"checks failing", disputeHit(td2Line1("D23145891"), 0.9, false, true), disputeHit(td2Specimen, 0.9, true, true), false},
		{"optional data only", disputeHit(optional, 0.9, false, true), disputeHit(td2Specimen, 0.9, true, true), false},
		{"a letter after the name's end", disputeHit([]string{"I<UTOERIKSSON<<ANNA<MARIA<<<<<<<F<<<", td2Specimen[1]}, 0.9, false, true), disputeHit(td2Specimen, 0.9, true, true), false},
		{"nothing vouched for", disputeHit(td2Specimen, 0.9, false, true), disputeHit(twin, 0.763, false, true), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := disputes(tc.o, tc.h); got != tc.want {
				t.Errorf("disputes = %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("settle", func(t *testing.T) {
		var hs mrzHits
		hs.add(disputeHit(td2Specimen, 0.724, false, true), nil)
		hs.add(vouched, nil)
		if got := hs.settle(testNow).h; got.data.Readable {
			t.Errorf("settled on %q, Readable; want a retake", got.lines)
		}
	})
}

// BenchmarkSecondLookLetters: the second reading of a zone whose every
// letter outside the checked fields is unsure (the TD2 specimen at 12
// pixels a pitch, hard print's size, each such letter's score lowered
// under unsure): its worst case, 4 windows for each of the 22 letters.
// A zone read surely costs one comparison per letter.
func BenchmarkSecondLookLetters(b *testing.B) {
	p, lines, fit, sc := readSpecimen(b, td2Specimen, 12)
	floor := floorScores(p, lines, fit, sc)
	checked := checkedCells(kyc.ReadTD2, true)
	for i := range floor {
		floor[i] = slices.Clone(floor[i])
		for j := range floor[i] {
			if ch := td2Specimen[i][j]; ch >= 'A' && ch <= 'Z' && !checked[[2]int{i, j}] {
				floor[i][j][indexOf(ch)] = 0.8
			}
		}
	}
	m := newCPUMeter()
	for b.Loop() {
		m.begin()
		disagrees := secondLookLetters(p, kyc.ReadTD2, lines, fit, floor, td2Specimen)
		m.end()
		if disagrees {
			b.Fatal("the specimen's second reading disagrees")
		}
	}
	m.report(b)
}
