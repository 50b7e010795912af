package docread

import (
	"slices"
	"testing"

	"github.com/kycq/kycq/kyc"
)

// retakeOf is a TD2 retake read as text on one plane, its scores
// (floor) 0.9 for the character read in each cell and 0.3 for every
// other, then the literal scores of set: cell, then character and score.
func retakeOf(text []string, score float64, set map[[2]int]map[byte]float32) mrzHit {
	floor := make([][]cellScores, len(text))
	for i, l := range text {
		floor[i] = make([]cellScores, len(l))
		for j := range l {
			for c := range floor[i][j] {
				floor[i][j][c] = 0.3
			}
			floor[i][j][indexOf(l[j])] = 0.9
			for ch, v := range set[[2]int{i, j}] {
				floor[i][j][indexOf(ch)] = v
			}
		}
	}
	h := mrzHit{kind: kyc.ReadTD2, lines: text, raw: text, score: score, floor: floor, confident: true}
	h.data = mrzRead(kyc.ReadTD2, text, testNow)
	h.data.Readable = false
	return h
}

// withCell returns lines with cell (i, j) set to ch.
func withCell(lines []string, i, j int, ch byte) []string {
	out := slices.Clone(lines)
	b := []byte(out[i])
	b[j] = ch
	out[i] = string(b)
	return out
}

func TestVotedRetake(t *testing.T) {
	// The surname's O (cell 11 of the first line) read D on the plane
	// reported, a near tie, and O on another plane.
	o := [2]int{0, 11}
	misread := withCell(td2Specimen, 0, 11, 'D')
	// Another plane's reading whose number's check digit fails: a 0
	// read O at weight 3.
	badNumber := withCell(td2Specimen, 1, 7, 'O')
	// Another plane's reading with 8 cells of the second line's
	// optional data and composite read otherwise (a line a cell off).
	garbled := slices.Clone(td2Specimen)
	garbled[1] = garbled[1][:28] + "KKKKKKK1"
	for _, tc := range []struct {
		name   string
		planes []mrzHit
		want   []string
	}{
		{"a near tie read by another plane", []mrzHit{
			retakeOf(misread, 0.9, map[[2]int]map[byte]float32{o: {'D': 0.85, 'O': 0.83}}),
			retakeOf(td2Specimen, 0.8, map[[2]int]map[byte]float32{o: {'O': 0.90, 'D': 0.80}}),
		}, td2Specimen},
		{"the other plane's lead too small", []mrzHit{
			retakeOf(misread, 0.9, map[[2]int]map[byte]float32{o: {'D': 0.85, 'O': 0.83}}),
			retakeOf(td2Specimen, 0.8, map[[2]int]map[byte]float32{o: {'O': 0.86, 'D': 0.85}}),
		}, misread},
		{"read without doubt on the plane reported", []mrzHit{
			retakeOf(misread, 0.9, map[[2]int]map[byte]float32{o: {'D': 0.90, 'O': 0.80}}),
			retakeOf(td2Specimen, 0.8, map[[2]int]map[byte]float32{o: {'O': 0.95, 'D': 0.70}}),
		}, misread},
		{"a voter whose number fails its check digit", []mrzHit{
			retakeOf(misread, 0.9, map[[2]int]map[byte]float32{o: {'D': 0.85, 'O': 0.83}}),
			retakeOf(withCell(badNumber, 0, 11, 'O'), 0.8, map[[2]int]map[byte]float32{o: {'O': 0.90, 'D': 0.80}}),
		}, misread},
		// Dev seed 233's TD3 0075: the card at its format's proportions
		// read the number otherwise (5 and 2 as S and Z), meeting its
		// check digit by chance, and the name's O as D. Here: the
		// number's D and last 0 read B and O (-14 + 24).
		{"a voter reading a checked field otherwise, its check digit met", []mrzHit{
			retakeOf(misread, 0.9, map[[2]int]map[byte]float32{o: {'D': 0.85, 'O': 0.83}}),
			retakeOf(withCell(withCell(td2Specimen, 1, 0, 'B'), 1, 8, 'O'), 0.8, map[[2]int]map[byte]float32{o: {'O': 0.90, 'D': 0.80}}),
		}, misread},
		{"a voter reading other cells", []mrzHit{
			retakeOf(misread, 0.9, map[[2]int]map[byte]float32{o: {'D': 0.85, 'O': 0.83}}),
			retakeOf(garbled, 0.8, map[[2]int]map[byte]float32{o: {'O': 0.90, 'D': 0.80}}),
		}, misread},
		{"a cell the plane reported did not read", []mrzHit{
			retakeOf(misread, 0.9, map[[2]int]map[byte]float32{o: {'D': 0.39, 'O': 0.20}}),
			retakeOf(td2Specimen, 0.8, map[[2]int]map[byte]float32{o: {'O': 0.94, 'D': 0.30}}),
		}, td2Specimen},
		{"a cell read at minCellScore, far ahead", []mrzHit{
			retakeOf(misread, 0.9, map[[2]int]map[byte]float32{o: {'D': 0.50, 'O': 0.20}}),
			retakeOf(td2Specimen, 0.8, map[[2]int]map[byte]float32{o: {'O': 0.94, 'D': 0.30}}),
		}, misread},
		// Dev seed 205's TD3 0055: a given name's F read T on the photo
		// (0.755, the F 0.694), F on both cards (0.91, the T 0.59).
		{"outvoted by every other plane", []mrzHit{
			retakeOf(misread, 0.9, map[[2]int]map[byte]float32{o: {'D': 0.80, 'O': 0.74}}),
			retakeOf(td2Specimen, 0.8, map[[2]int]map[byte]float32{o: {'O': 0.91, 'D': 0.60}}),
			retakeOf(td2Specimen, 0.8, map[[2]int]map[byte]float32{o: {'O': 0.92, 'D': 0.59}}),
		}, td2Specimen},
		{"outvoted by one plane alone", []mrzHit{
			retakeOf(misread, 0.9, map[[2]int]map[byte]float32{o: {'D': 0.80, 'O': 0.74}}),
			retakeOf(td2Specimen, 0.8, map[[2]int]map[byte]float32{o: {'O': 0.91, 'D': 0.60}}),
		}, misread},
		{"another plane reading as the plane reported", []mrzHit{
			retakeOf(misread, 0.9, map[[2]int]map[byte]float32{o: {'D': 0.80, 'O': 0.74}}),
			retakeOf(td2Specimen, 0.8, map[[2]int]map[byte]float32{o: {'O': 0.91, 'D': 0.60}}),
			retakeOf(misread, 0.85, map[[2]int]map[byte]float32{o: {'D': 0.81, 'O': 0.70}}),
		}, misread},
		{"outvoted by small leads", []mrzHit{
			retakeOf(misread, 0.9, map[[2]int]map[byte]float32{o: {'D': 0.80, 'O': 0.74}}),
			retakeOf(td2Specimen, 0.8, map[[2]int]map[byte]float32{o: {'O': 0.85, 'D': 0.78}}),
			retakeOf(td2Specimen, 0.8, map[[2]int]map[byte]float32{o: {'O': 0.86, 'D': 0.77}}),
		}, misread},
		{"read clearly on the plane reported", []mrzHit{
			retakeOf(misread, 0.9, map[[2]int]map[byte]float32{o: {'D': 0.92, 'O': 0.80}}),
			retakeOf(td2Specimen, 0.8, map[[2]int]map[byte]float32{o: {'O': 0.95, 'D': 0.60}}),
			retakeOf(td2Specimen, 0.8, map[[2]int]map[byte]float32{o: {'O': 0.95, 'D': 0.60}}),
		}, misread},
		{"one plane", []mrzHit{
			retakeOf(misread, 0.9, map[[2]int]map[byte]float32{o: {'D': 0.85, 'O': 0.83}}),
		}, misread},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var hs mrzHits
			for _, h := range tc.planes {
				hs.add(h, nil)
			}
			got := hs.settle(testNow).h
			if got.data.Readable || !slices.Equal(got.lines, tc.want) {
				t.Errorf("got %q readable %v; want %q, not Readable", got.lines, got.data.Readable, tc.want)
			}
		})
	}
	t.Run("switched off", func(t *testing.T) {
		defer func(v bool) { checkVote = v }(checkVote)
		checkVote = false
		var hs mrzHits
		hs.add(retakeOf(misread, 0.9, map[[2]int]map[byte]float32{o: {'D': 0.85, 'O': 0.83}}), nil)
		hs.add(retakeOf(td2Specimen, 0.8, map[[2]int]map[byte]float32{o: {'O': 0.90, 'D': 0.80}}), nil)
		if got := hs.settle(testNow).h; !slices.Equal(got.lines, misread) {
			t.Errorf("got %q, want %q", got.lines, misread)
		}
	})
	t.Run("a voter reading the number otherwise", func(t *testing.T) {
		// Dev seed 230's TD1 0013, on a TD2: the composite fails on the
		// plane reported (an optional-data filler read S), its number's
		// check digit holds with its last 0 (cell 8) a near tie with O;
		// another plane, its composite failing alike, reads that 0 as O
		// and the first cell's D as B, which meet the number's check
		// digit together (-14 + 24). That plane is no voter: the number
		// keeps its 0, unless the rule is switched off.
		zero := [2]int{1, 8}
		reported := withCell(td2Specimen, 1, 30, 'S')
		other := withCell(withCell(reported, 1, 8, 'O'), 1, 0, 'B')
		planes := func() mrzHits {
			var hs mrzHits
			hs.add(retakeOf(reported, 0.9, map[[2]int]map[byte]float32{zero: {'0': 0.85, 'O': 0.83}}), nil)
			hs.add(retakeOf(other, 0.8, map[[2]int]map[byte]float32{zero: {'O': 0.95, '0': 0.80}}), nil)
			return hs
		}
		if got := planes().settle(testNow).h; !slices.Equal(got.lines, reported) {
			t.Errorf("got %q, want %q", got.lines, reported)
		}
		defer func(v bool) { checkVoteFields = v }(checkVoteFields)
		checkVoteFields = false
		if got := planes().settle(testNow).h; got.lines[1][8] != 'O' {
			t.Errorf("switched off: got %q, want the number's 0 voted O", got.lines)
		}
	})
	t.Run("a Readable zone keeps its reading", func(t *testing.T) {
		h := retakeOf(misread, 0.9, map[[2]int]map[byte]float32{o: {'D': 0.85, 'O': 0.83}})
		h.data.Readable = true
		other := retakeOf(td2Specimen, 0.8, map[[2]int]map[byte]float32{o: {'O': 0.90, 'D': 0.80}})
		if got := h.voted(mrzHits{{h, nil}, {other, nil}}, testNow); !slices.Equal(got.lines, misread) || !got.data.Readable {
			t.Errorf("got %q readable %v", got.lines, got.data.Readable)
		}
	})
}

func TestLetterLookAlikeInNames(t *testing.T) {
	// Dev seed 165's TD3 0034: a surname's O read U, the O 0.049 behind.
	// A name's O and U are look-alikes: a lead under nameLookAlikeLead
	// is ambiguous, a larger one is not.
	misread := withCell(td2Specimen, 0, 11, 'U')
	for _, tc := range []struct {
		behind float32
		want   bool
	}{
		{0.049, true},
		{0.06, false},
	} {
		h := retakeOf(misread, 0.9, map[[2]int]map[byte]float32{{0, 11}: {'U': 0.87, 'O': 0.87 - tc.behind}})
		if got := ambiguous(kyc.ReadTD2, h.floor, misread); got != tc.want {
			t.Errorf("O %.3f behind: ambiguous %v, want %v", tc.behind, got, tc.want)
		}
	}
}

// TestVotedShapePair: held-out seed 20282525's TD2 0048, a given name's
// T read T on the plane reported with the Y 0.035 behind, and Y on the
// two other planes (the straightened cards, their T's junction blurred
// by the warp): the vote took the Y. A change within a pair of
// shapePairs needs the glyph's shape on the plane reported to speak for
// the other letter (the measures are 0048's: notch 1.19 on the photo,
// 0.82 on the card; dev seed 166's TD3 0026, a Y read T, 0.80).
func TestVotedShapePair(t *testing.T) {
	c := [2]int{0, 20} // MARIA's M
	printedT := withCell(td2Specimen, 0, 20, 'T')
	readY := withCell(td2Specimen, 0, 20, 'Y')
	printedF := withCell(td2Specimen, 0, 20, 'F')
	plane := func(text []string, scores map[byte]float32, sh *cellShape) mrzHit {
		h := retakeOf(text, 0.9, map[[2]int]map[byte]float32{c: scores})
		if sh != nil {
			h.shapes = map[[2]int]cellShape{c: *sh}
		}
		return h
	}
	tBar := &cellShape{notch: 1.19, stem: -0.48, foot: -1, fork: true}
	yArms := &cellShape{notch: 0.80, stem: -0.33, foot: -1, fork: true}
	fStem := &cellShape{notch: 1.10, stem: 0.10, foot: -1, fork: true}
	voterY := plane(readY, map[byte]float32{'Y': 0.783, 'T': 0.702}, &cellShape{notch: 0.82, stem: -0.40, foot: -1, fork: true})
	for _, tc := range []struct {
		name     string
		reported mrzHit
		voter    mrzHit
		off      bool
		want     []string
	}{
		{"a T whose bar the plane reported shows", plane(printedT, map[byte]float32{'T': 0.829, 'Y': 0.794}, tBar), voterY, false, printedT},
		{"the same, the shape rule off", plane(printedT, map[byte]float32{'T': 0.829, 'Y': 0.794}, tBar), voterY, true, readY},
		{"a Y read T whose arms the plane reported shows", plane(printedT, map[byte]float32{'T': 0.829, 'Y': 0.794}, yArms), voterY, false, readY},
		{"no shape measured", plane(printedT, map[byte]float32{'T': 0.829, 'Y': 0.794}, nil), voterY, false, printedT},
		{"an F's stem, a voter's T", plane(printedF, map[byte]float32{'F': 0.82, 'T': 0.80}, fStem),
			plane(printedT, map[byte]float32{'T': 0.85, 'F': 0.70}, nil), false, printedF},
		{"a T's stem in the middle, read F", plane(printedF, map[byte]float32{'F': 0.82, 'T': 0.80}, tBar),
			plane(printedT, map[byte]float32{'T': 0.85, 'F': 0.70}, nil), false, printedT},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func(v bool) { checkVoteShapes = v }(checkVoteShapes)
			checkVoteShapes = !tc.off
			var hs mrzHits
			hs.add(tc.reported, nil)
			hs.add(tc.voter, nil)
			got := hs.settle(testNow).h
			if got.data.Readable || !slices.Equal(got.lines, tc.want) {
				t.Errorf("got %q readable %v; want %q, not Readable", got.lines, got.data.Readable, tc.want)
			}
		})
	}
}

// TestRetakeShapes renders shapeLetters (T, Y and F in a name) at 12
// pixels a pitch, blurred by 0.8 pixels, JPEG 50, and measures it as a
// retake whose scores put the other letter of a pair close behind in
// some cells: exactly those cells are measured, and each measure speaks
// for the letter printed.
func TestRetakeShapes(t *testing.T) {
	p := planeOf(jpegRoundTrip(t, gaussBlur(renderMRZ(t, shapeLetters, 12), 0.8), 50))
	cands := locateMRZ(p)
	if len(cands) == 0 {
		t.Fatal("the zone was not located")
	}
	// Cells 11-15 read TYFFY, 17-20 TETY. The pair close behind in 11
	// (T, Y), 12 (Y, T), 13 (F, T) and 19 (T, Y); far behind in 17.
	close := map[int]byte{11: 'Y', 12: 'T', 13: 'T', 19: 'Y'}
	h := retakeOf(shapeLetters, 0.8, map[[2]int]map[byte]float32{
		{0, 11}: {'Y': 0.85}, {0, 12}: {'T': 0.85}, {0, 13}: {'T': 0.85}, {0, 19}: {'Y': 0.85}, {0, 17}: {'Y': 0.5},
	})
	var fit printFit
	got := retakeShapes(p, kyc.ReadTD2, cands[0].lines, fit, h.floor, shapeLetters)
	for k, alt := range close {
		sh, ok := got[[2]int{0, k}]
		if !ok {
			t.Errorf("cell %d (%c): not measured", k, shapeLetters[0][k])
			continue
		}
		if ch := shapeLetters[0][k]; !shapeSays(ch, alt, sh.notch, sh.stem) {
			t.Errorf("cell %d: a %c's shape (notch %.2f, stem %.2f) speaks for %c", k, ch, sh.notch, sh.stem, alt)
		}
	}
	if len(got) != len(close) {
		t.Errorf("measured %v, want cells %v", got, close)
	}
}

// TestShapedRetake: dev seed 185's TD2 0026, a surname's T read I on
// every plane (the I 0.005 ahead and 0.010 behind on the floor scores),
// the foot of the photo's glyph 0.56 (paper either side of a T's stem);
// dev seed 187's TD1 0067, an I read T (the T 0.015 ahead), its foot
// 0.93 (an I's serif).
func TestShapedRetake(t *testing.T) {
	c := [2]int{0, 20} // MARIA's M
	printedT := withCell(td2Specimen, 0, 20, 'T')
	printedI := withCell(td2Specimen, 0, 20, 'I')
	retake := func(text []string, scores map[byte]float32, foot float64) mrzHit {
		h := retakeOf(text, 0.9, map[[2]int]map[byte]float32{c: scores})
		h.shapes = map[[2]int]cellShape{c: {notch: 1.2, stem: -0.45, foot: foot, fork: true}}
		return h
	}
	nearI := map[byte]float32{'I': 0.886, 'T': 0.876}
	nearT := map[byte]float32{'T': 0.766, 'I': 0.751}
	for _, tc := range []struct {
		name string
		h    mrzHit
		want []string
	}{
		{"a T read I, its foot a T's", retake(printedI, nearI, 0.56), printedT},
		{"an I read T, its foot an I's", retake(printedT, nearT, 0.93), printedI},
		{"an I's foot under an I", retake(printedI, nearI, 0.93), printedI},
		{"a T's foot under a T", retake(printedT, nearT, 0.56), printedT},
		{"a foot between the two", retake(printedI, nearI, 0.70), printedI},
		{"no foot measured", retake(printedI, nearI, -1), printedI},
		{"the T 0.10 behind", retake(printedI, map[byte]float32{'I': 0.90, 'T': 0.80}, 0.56), printedI},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var hs mrzHits
			hs.add(tc.h, nil)
			got := hs.settle(testNow).h
			if got.data.Readable || !slices.Equal(got.lines, tc.want) {
				t.Errorf("got %q readable %v; want %q, not Readable", got.lines, got.data.Readable, tc.want)
			}
		})
	}
	t.Run("a cell a check digit covers", func(t *testing.T) {
		// The number's first cell, D: read I, the T close, a T's foot.
		n := [2]int{1, 0}
		h := retakeOf(withCell(td2Specimen, 1, 0, 'I'), 0.9, map[[2]int]map[byte]float32{n: nearI})
		h.shapes = map[[2]int]cellShape{n: {foot: 0.56}}
		if got := h.shaped(testNow); got.lines[1][0] != 'I' {
			t.Errorf("got %q", got.lines)
		}
	})
	t.Run("switched off", func(t *testing.T) {
		defer func(v bool) { checkShaped = v }(checkShaped)
		checkShaped = false
		var hs mrzHits
		hs.add(retake(printedI, nearI, 0.56), nil)
		if got := hs.settle(testNow).h; !slices.Equal(got.lines, printedI) {
			t.Errorf("got %q, want %q", got.lines, printedI)
		}
	})
	t.Run("a Readable zone keeps its reading", func(t *testing.T) {
		h := retake(printedI, nearI, 0.56)
		h.data.Readable = true
		if got := h.shaped(testNow); !slices.Equal(got.lines, printedI) || !got.data.Readable {
			t.Errorf("got %q readable %v", got.lines, got.data.Readable)
		}
	})
}

// TestFootShape renders T and I side by side in a name at 10 to 14
// pixels a pitch, blurred by 0.8 to 2.0 pixels (1.6 under 12 pixels a
// pitch, where a blurrier zone is not located), JPEG 50, and measures
// their foot (footShape): no T's foot speaks for an I and no I's for a
// T at any blur, and up to a blur of 1.2 pixels every T's speaks for
// the T. (An I's foot at 0.69-0.74, under footI, speaks for neither:
// the cell keeps its reading.)
func TestFootShape(t *testing.T) {
	spec := []string{
		"I<UTOTITI<<ITIT<TIIT<<<<<<<<<<<<<<<<",
		"D231458907UTO7408122F1204159<<<<<<<6",
	}
	for _, pitch := range []float64{10, 11, 12, 13, 14} {
		for _, sigma := range []float64{0.8, 1.2, 1.6, 2.0} {
			if sigma > 1.6 && pitch < 12 {
				continue // no zone is located there
			}
			p, l, thr := savedZoneTop(t, spec, pitch, sigma)
			for k := 5; k < 20; k++ {
				ch := spec[0][k]
				if ch != 'T' && ch != 'I' {
					continue
				}
				alt := byte('T' + 'I' - int(ch))
				sh := glyphShape(p, l, k, printFit{}, thr)
				switch {
				case sh.foot < 0:
					t.Errorf("pitch %.0f, blur %.1f, cell %d (%c): no foot", pitch, sigma, k, ch)
				case sh.says(alt, ch):
					t.Errorf("pitch %.0f, blur %.1f, cell %d: a %c's foot %.2f speaks for %c", pitch, sigma, k, ch, sh.foot, alt)
				case ch == 'T' && sigma <= 1.2 && !sh.says(ch, alt):
					t.Errorf("pitch %.0f, blur %.1f, cell %d: a T's foot %.2f does not speak for it", pitch, sigma, k, sh.foot)
				}
			}
		}
	}
}
