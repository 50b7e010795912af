package docread

import (
	"slices"
	"testing"

	"github.com/kycq/kycq/kyc"
	"github.com/kycq/kycq/kyc/mrz"
)

func TestRetakeRepair(t *testing.T) {
	// td2Specimen's number D23145890 with its 1 read T (dev seed 161's
	// TD1 0025 and 0043 on hard print: a number's 1 read T, the check
	// digit failing on every plane).
	seen := td2Line1("D23T45890")
	for _, tc := range []struct {
		name string
		seen []string
		alt  map[[2]int]map[byte]float32
		want []string // nil: no repair to report
	}{
		{"the 1 close behind the T", seen, map[[2]int]map[byte]float32{{1, 3}: {'1': 0.85}}, td2Specimen},
		{"the 1 too far behind (maxLoss)", seen, map[[2]int]map[byte]float32{{1, 3}: {'1': 0.55}}, nil},
		{"checks holding: nothing to repair", td2Specimen, map[[2]int]map[byte]float32{{1, 3}: {'T': 0.85}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sc := scoresFor(tc.seen, tc.alt)
			got := retakeRepair(kyc.ReadTD2, sc, sc, tc.seen)
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestSettleReportsRepair(t *testing.T) {
	seen := td2Line1("D23T45890")
	retake := mrzHit{kind: kyc.ReadTD2, lines: seen, raw: seen, score: 0.9, repaired: td2Specimen}
	retake.data = mrzRead(kyc.ReadTD2, seen, testNow)
	for _, tc := range []struct {
		name   string
		report bool
		want   []string
		valid  bool
	}{
		{"reported with its repair", true, td2Specimen, true},
		{"reported as seen (switch off)", false, seen, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func(v bool) { reportRepaired = v }(reportRepaired)
			reportRepaired = tc.report
			var hs mrzHits
			hs.add(retake, nil)
			got := hs.settle(testNow).h
			if got.data.Readable || !slices.Equal(got.lines, tc.want) || got.data.ChecksValid != tc.valid || got.data.DocumentNumber != tc.want[1][:9] {
				t.Errorf("got %q (number %s) readable %v valid %v; want %q, valid %v, not Readable", got.lines, got.data.DocumentNumber, got.data.Readable, got.data.ChecksValid, tc.want, tc.valid)
			}
		})
	}
	t.Run("a Readable zone keeps its reading", func(t *testing.T) {
		h := hitOf(td2Specimen, td2Specimen, true)
		h.repaired = seen // never set on a Readable zone; ignored if it were
		var hs mrzHits
		hs.add(h, nil)
		if got := hs.settle(testNow).h; !got.data.Readable || !slices.Equal(got.lines, td2Specimen) {
			t.Errorf("got %q readable %v", got.lines, got.data.Readable)
		}
	})
}

// td2WithNumber is td2Specimen with its document number replaced and the
// number's check digit and the composite computed again.
func td2WithNumber(t *testing.T, number string) []string {
	t.Helper()
	digit := func(s string) byte {
		d, err := mrz.CheckDigit(s)
		if err != nil {
			t.Fatal(err)
		}
		return byte('0' + d)
	}
	l := []byte(td2Specimen[1])
	copy(l, number)
	l[9] = digit(string(l[0:9]))
	l[35] = digit(string(l[0:10]) + string(l[13:20]) + string(l[21:35]))
	return []string{td2Specimen[0], string(l)}
}

func TestAmbiguousThreeCells(t *testing.T) {
	// Dev seed 163's TD2 0064: a number whose 0s at weights 3, 1 and 1
	// (cells 1, 2, 8) were read O, each a little ahead of its 0. Each O
	// adds 24 times its weight: 120 in all, which no check digit sees.
	printed := td2WithNumber(t, "X002357V0")
	seen := []string{printed[0], "XOO2357VO" + printed[1][9:]}
	if !mrzRead(kyc.ReadTD2, seen, testNow).ChecksValid {
		t.Fatal("the misreading should meet every check digit")
	}
	close := map[byte]float32{'0': 0.87}
	for _, tc := range []struct {
		name string
		alt  map[[2]int]map[byte]float32
		want bool
	}{
		{"three 0s close behind their Os", map[[2]int]map[byte]float32{{1, 1}: close, {1, 2}: close, {1, 8}: close}, true},
		{"two of the three only", map[[2]int]map[byte]float32{{1, 1}: close, {1, 2}: close}, false},
		{"one far behind", map[[2]int]map[byte]float32{{1, 1}: close, {1, 2}: close, {1, 8}: {'0': 0.7}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ambiguous(kyc.ReadTD2, scoresFor(seen, tc.alt), seen); got != tc.want {
				t.Errorf("ambiguous = %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("the printed reading, its 0s sure", func(t *testing.T) {
		if ambiguous(kyc.ReadTD2, scoresFor(printed, nil), printed) {
			t.Error("a clean reading is ambiguous")
		}
	})
}

// BenchmarkAmbiguousTriples is ambiguous at its bound with no
// assignment meeting the check digits, so that every change of one, two
// and three cells is tried: the TD3 specimen with rivals 0.03 behind in
// the cells of weight 1 of each field (the number, the birth and expiry
// dates, the optional data), each worth one more than the character
// read: one to three such changes add 1 to 3 to a field's sum, which its
// check digit then fails. maxTripleSubs rivals in all.
func BenchmarkAmbiguousTriples(b *testing.B) {
	value := func(ch byte) int {
		switch {
		case ch >= '0' && ch <= '9':
			return int(ch - '0')
		case ch >= 'A' && ch <= 'Z':
			return int(ch-'A') + 10
		}
		return 0
	}
	lay := layouts[kyc.ReadTD3]
	line := td3Specimen[1]
	alt := map[[2]int]map[byte]float32{}
	n := 0
	for _, f := range checkFields[kyc.ReadTD3][:4] {
		start, end := f.parts[0][1], f.parts[0][2]
		for j := start + 2; j < end; j += 3 {
			for _, ch := range []byte(mrzAlphabet) {
				if n < maxTripleSubs && admits(lay[1][j], ch) && value(ch)%10 == (value(line[j])+1)%10 {
					if alt[[2]int{1, j}] == nil {
						alt[[2]int{1, j}] = map[byte]float32{}
					}
					alt[[2]int{1, j}][ch] = 0.87
					n++
				}
			}
		}
	}
	sc := scoresFor(td3Specimen, alt)
	if ambiguous(kyc.ReadTD3, sc, td3Specimen) {
		b.Fatal("an assignment met the check digits")
	}
	b.ResetTimer()
	for range b.N {
		ambiguous(kyc.ReadTD3, sc, td3Specimen)
	}
	b.ReportMetric(float64(n), "rivals")
}
