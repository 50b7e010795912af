package docread

import (
	"testing"

	"github.com/kycq/kycq/imagecheck"
	"github.com/kycq/kycq/kyc"
)

// sym is a recognised character with its candidates (best first).
func sym(text string, conf float32, alts ...tessChoice) tessSymbol {
	return tessSymbol{tessChoice{text, conf}, append([]tessChoice{{text, conf}}, alts...)}
}

func TestDigitChoices(t *testing.T) {
	r := digitChoices([]tessSymbol{
		sym("2", 99), sym(".", 90), sym("3", 60, tessChoice{"8", 30}, tessChoice{"5", 5}, tessChoice{"-", 20}),
		sym("0", 95, tessChoice{"6", 9.6}),
	})
	if r.text != "2.30" {
		t.Errorf("text %q, want 2.30", r.text)
	}
	// 8 scores half the 3's confidence, 5 under a tenth: only 8; 6 just
	// over a tenth of the 0's.
	want := []string{"", "8", "6"}
	wantAlts(t, r, want)
}

// hesitate returns the alternatives of a reading of n digits with alt
// at the positions given.
func hesitate(n int, at map[int]string) [][]byte {
	a := make([][]byte, n)
	for i, s := range at {
		a[i] = []byte(s)
	}
	return a
}

func TestPeriodUnsure(t *testing.T) {
	for _, tc := range []struct {
		name string
		r    digitReading
		long bool
		want bool
	}{
		{"sure", digitReading{"2010.04.02-2030.04.02", hesitate(16, nil)}, false, false},
		// Held-out seed 20281717: 2030 read as 2020; a 3 weighed for the
		// 2 makes another legal period.
		{"another legal period", digitReading{"2010.04.02-2020.04.02", hesitate(16, map[int]string{10: "3"})}, false, true},
		{"another date, not a legal period", digitReading{"2010.04.02-2020.04.02", hesitate(16, map[int]string{15: "7"})}, false, false},
		// Dev seed 132, a small photo: 2018 read as 2015 in both dates;
		// an 8 weighed for both 5s.
		{"both dates together", digitReading{"2015.10.29-2025.10.29", hesitate(16, map[int]string{3: "8", 11: "8"})}, false, true},
		{"one date alone", digitReading{"2015.10.29-2025.10.29", hesitate(16, map[int]string{3: "8"})}, false, false},
		{"no such month", digitReading{"2015.10.29-2025.10.29", hesitate(16, map[int]string{4: "3", 12: "3"})}, false, false},
		{"long-term start, another day", digitReading{"20101023", hesitate(8, map[int]string{7: "2"})}, true, true},
		{"long-term start, no such day", digitReading{"20101023", hesitate(8, map[int]string{6: "4"})}, true, false},
		{"too many hesitations", digitReading{"2010.04.02-2030.04.02", hesitate(16, map[int]string{0: "9", 1: "9", 2: "9", 3: "9", 4: "9", 5: "9", 6: "9"})}, false, true},
		{"no alternatives known", digitReading{"2010.04.02-2020.04.02", nil}, false, false},
	} {
		if got := periodUnsure(tc.r, tc.long); got != tc.want {
			t.Errorf("%s: periodUnsure = %t, want %t", tc.name, got, tc.want)
		}
	}
}

func TestLongVotesUnsure(t *testing.T) {
	// Two readings of a long-term period agree on its start: a digit is
	// unsure only where both hesitated (dev seed 136: each reading of a
	// right start hesitated elsewhere).
	var v longVotes
	v.addReading(digitReading{"2016.07.23.长期", hesitate(8, map[int]string{7: "27"})})
	from, _, long, ok, unsure := v.addReading(digitReading{"2016.07.23-", hesitate(8, map[int]string{1: "65", 3: "5"})})
	if from != "2016-07-23" || !long || !ok || unsure {
		t.Errorf("hesitations elsewhere: %q %t %t unsure %t, want 2016-07-23 long, sure", from, long, ok, unsure)
	}
	v = longVotes{}
	v.addReading(digitReading{"2016.07.23.长期", hesitate(8, map[int]string{7: "2"})})
	from, _, _, ok, unsure = v.addReading(digitReading{"2016.07.23-", hesitate(8, map[int]string{7: "4"})})
	if from != "2016-07-23" || !ok || !unsure {
		t.Errorf("both hesitated over the day: %q %t unsure %t, want unsure", from, ok, unsure)
	}
	// A dated period: unsure at once when a digit could make another.
	v = longVotes{}
	if _, to, _, ok, unsure := v.addReading(digitReading{"2010.04.02-2020.04.02", hesitate(16, map[int]string{10: "3"})}); to != "2020-04-02" || !ok || !unsure {
		t.Errorf("dated: %q %t unsure %t, want 2020-04-02 unsure", to, ok, unsure)
	}
}

func TestOtherStart(t *testing.T) {
	for _, tc := range []struct {
		name string
		r    digitReading
		want bool
	}{
		{"the same start", digitReading{"2022.04.05-长期", hesitate(8, nil)}, false},
		// Dev seed 148: the cleaned line read 05 by both models, the
		// photographed one 08.
		{"another day, sure", digitReading{"2022.04.08-长期", hesitate(8, nil)}, true},
		{"another day, the start's digit weighed", digitReading{"2022.04.08-长期", hesitate(8, map[int]string{7: "35"})}, false},
		{"another digit weighed, not the start's", digitReading{"2022.04.08-长期", hesitate(8, map[int]string{7: "3"})}, true},
		{"two digits differ, one weighed", digitReading{"2012.04.08", hesitate(8, map[int]string{7: "5"})}, true},
		{"no alternatives known", digitReading{"20220408", nil}, true},
		{"a digit lost", digitReading{"2022.048-长期", hesitate(7, nil)}, false},
		{"not a date", digitReading{"2022.44.05-长期", hesitate(8, nil)}, false},
		{"a lost digit makes no date", digitReading{"202204.5-4538", hesitate(11, nil)}, false},
	} {
		if got := otherStart(tc.r, "20220405"); got != tc.want {
			t.Errorf("%s: otherStart(%q) = %t, want %t", tc.name, tc.r.text, got, tc.want)
		}
	}
}

// BenchmarkPeriodUnsure measures the worst enumeration a reading gets:
// maxUnsureDigits digits hesitated over, two alternatives each.
func BenchmarkPeriodUnsure(b *testing.B) {
	r := digitReading{"2010.04.02-2020.04.02", hesitate(16, map[int]string{2: "37", 3: "89", 6: "36", 10: "38", 11: "17", 15: "39"})}
	for b.Loop() {
		periodUnsure(r, false)
	}
}

// BenchmarkReadCNBackLongTerm: mainland backs with a long-term period
// (the path where startContested reads the photographed line), 2 MP
// phone photos; one op is one back. Reports the thread CPU of the read
// beyond its decode (decode measured apart).
func BenchmarkReadCNBackLongTerm(b *testing.B) {
	var photos [][]byte
	for i, v := range []string{"2015.01.20-长期", "2008.11.03-长期", "2021.06.28-长期"} {
		o := sceneOpts{w: 1600, h: 1200, fill: 0.75, angle: 2, noise: 3, jpegQ: 88, seed: uint64(21 + i)}
		photos = append(photos, photograph(b, renderCNBack(b, "北京市公安局东城分局", v, true), o))
	}
	benchReadBeyondDecode(b, photos, imagecheck.Back, func(k int, d kyc.DocumentRead) {
		if !d.Readable || !d.LongTerm {
			b.Fatalf("back %d not read: %+v", k, d)
		}
	})
}

// wantAlts checks a reading's alternatives per digit against want (one
// string of alternatives a digit).
func wantAlts(t *testing.T, r digitReading, want []string) {
	t.Helper()
	if len(r.alts) != len(want) {
		t.Fatalf("alts %q, want %q", r.alts, want)
	}
	for i := range want {
		if string(r.alts[i]) != want[i] {
			t.Errorf("alts[%d] = %q, want %q", i, r.alts[i], want[i])
		}
	}
}
