package docread

import (
	"slices"
	"testing"

	"github.com/kycq/kycq/kyc"
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
