package docread

import (
	"context"
	"slices"
	"testing"

	"github.com/kycq/kycq/kyc"
)

func TestPaddleDigits(t *testing.T) {
	cs := []paddleChar{
		{r: '2', p: 0.99},
		{r: '3', p: 0.9, choices: []tessChoice{{"8", 30}, {"5", 5}, {"#", 50}}},
		{r: '.', p: 0.7},
		{r: '0', p: 0.4, choices: []tessChoice{{"6", 30}}}, // under paddleMinP: left out
		{r: '长', p: 0.95},
		{r: '7', p: 0.98, choices: []tessChoice{{"1", 9.9}, {"1", 9.8}}},
	}
	r := paddleDigits(cs)
	if r.text != "23.长7" {
		t.Errorf("text %q, want 23.长7", r.text)
	}
	// 8 scores 30 against the 3's 90 (over a tenth), 5 under a tenth, #
	// is no digit; 1 scores 9.9 against the 7's 98 (just over a tenth),
	// once.
	want := []string{"", "8", "1"}
	wantAlts(t, r, want)
}

func TestPaddleValidity(t *testing.T) {
	for _, tc := range []struct {
		text, from, to string
		long, ok       bool
	}{
		{"2017.11.20-2037.11.20", "2017-11-20", "2037-11-20", false, true},
		{"2022.11,26-2042.11.26", "2022-11-26", "2042-11-26", false, true},
		{"2012.01.17长期", "2012-01-17", "", true, true},
		// The card's edge read after 长期.
		{"2012.01.17长期7", "2012-01-17", "", true, true},
		{"2012.01.17-期", "2012-01-17", "", true, true},
		// Not a legal period, a digit short, a digit too many.
		{"2017.11.20-2036.11.20", "", "", false, false},
		{"2017.11.20-2037.11.2", "", "", false, false},
		{"2017.11.20-2037.11.207", "", "", false, false},
		// Other text: a letter or another Han character among the digits.
		{"2017.11.20A2037.11.20", "", "", false, false},
		{"北京2017.11.20-2037.11.20", "", "", false, false},
		{"20120117长期局", "2012-01-17", "", true, true},
	} {
		from, to, long, ok := paddleValidity(tc.text)
		if from != tc.from || to != tc.to || long != tc.long || ok != tc.ok {
			t.Errorf("paddleValidity(%q) = %q %q %t %t, want %q %q %t %t", tc.text, from, to, long, ok, tc.from, tc.to, tc.long, tc.ok)
		}
	}
}

// layoutBack renders a back (td1 card size, 10 pixels per millimetre,
// security pattern) with validity printed where the layout places it
// (cnValidityX, cnValidityY), and returns it as the reader's card.
func layoutBack(t testing.TB, validity string) *plane {
	t.Helper()
	g := renderCard(t, "td1", nil, cardOpts{pattern: true, noText: true})
	cjk := loadFont(t, notoCJKPath)
	drawText(g, face(t, cjk, 30), 10*(cnValidityX-0.8), 10*cnValidityY+11, validity)
	return planeFromGray(g)
}

func TestReadBackPaddle(t *testing.T) {
	tp := &tessPair{rec: paddleForTest(t)}
	for _, tc := range []struct {
		validity, from, to string
		long               bool
	}{
		{"2017.11.20-2037.11.20", "2017-11-20", "2037-11-20", false},
		{"2012.11.23-长期", "2012-11-23", "", true},
	} {
		from, to, long, ok, unsure := readBackPaddle(tp, layoutBack(t, tc.validity), nil)
		if from != tc.from || to != tc.to || long != tc.long || !ok || unsure {
			t.Errorf("%s: read %q %q long %t ok %t unsure %t, want %q %q long %t, sure", tc.validity, from, to, long, ok, unsure, tc.from, tc.to, tc.long)
		}
	}
	if from, to, _, ok, _ := readBackPaddle(tp, layoutBack(t, ""), nil); ok {
		t.Errorf("a back without a period: read %q-%q", from, to)
	}
}

func TestPaddleCheck(t *testing.T) {
	tp := &tessPair{rec: paddleForTest(t)}
	c := layoutBack(t, "2024.10.23-2044.10.23")
	back := func(from, to string, readable bool) kyc.DocumentRead {
		var d kyc.DocumentRead
		setBack(&d, from, to, false)
		d.Readable = readable
		return d
	}
	for _, tc := range []struct {
		name     string
		d        kyc.DocumentRead
		to       string
		readable bool
	}{
		// Dev seed 159's 0181: 2044 read 2034 by Tesseract, vouched for.
		{"another period vouched for", back("2024-10-23", "2034-10-23", true), "2044-10-23", false},
		{"the period vouched for", back("2024-10-23", "2044-10-23", true), "2044-10-23", true},
		// Dev seed 159's 0035, 158's 0196: read right, held unsure.
		{"the period held unsure", back("2024-10-23", "2044-10-23", false), "2044-10-23", true},
		{"another period held unsure", back("2024-10-23", "2034-10-23", false), "2044-10-23", false},
	} {
		d := tc.d
		paddleCheck(context.Background(), tp, &d, c)
		if d.ExpiryDate != tc.to || d.Readable != tc.readable || d.IssueDate != "2024-10-23" {
			t.Errorf("%s: %s-%s readable %t, want 2024-10-23-%s readable %t", tc.name, d.IssueDate, d.ExpiryDate, d.Readable, tc.to, tc.readable)
		}
	}
	// A card the recogniser reads no period on contests nothing.
	d := back("2024-10-23", "2034-10-23", true)
	paddleCheck(context.Background(), tp, &d, layoutBack(t, ""))
	if d.ExpiryDate != "2034-10-23" || !d.Readable {
		t.Errorf("no period on the card: %s readable %t, want 2034-10-23 vouched for", d.ExpiryDate, d.Readable)
	}
}

func TestQuickAgrees(t *testing.T) {
	rec := paddleForTest(t)
	long := layoutBack(t, "2012.11.23-长期")
	dated := layoutBack(t, "2017.11.20-2037.11.20")
	back := func(from, to string, lt bool) *kyc.DocumentRead {
		var d kyc.DocumentRead
		setBack(&d, from, to, lt)
		return &d
	}
	for _, tc := range []struct {
		name string
		c    *plane
		d    *kyc.DocumentRead
		want bool
	}{
		{"the long-term period", long, back("2012-11-23", "", true), true},
		{"another long-term start", long, back("2012-11-28", "", true), false},
		{"a dated period read on a long-term card", long, back("2012-11-23", "2032-11-23", false), false},
		// A dated period fills the full line: never read cheaply.
		{"a dated period", dated, back("2017-11-20", "2037-11-20", false), false},
		{"no period printed", layoutBack(t, ""), back("2012-11-23", "", true), false},
	} {
		if got := quickAgrees(rec, tc.c, tc.d); got != tc.want {
			t.Errorf("%s: quickAgrees = %t, want %t", tc.name, got, tc.want)
		}
	}
}

// TestLayoutReadings: a reading kept is returned without the recogniser
// (nil), the same as a fresh one of the line narrowed by
// cnValiditySqueeze; a nil keeper reads every time.
func TestLayoutReadings(t *testing.T) {
	rec := paddleForTest(t)
	c := layoutBack(t, "2017.11.20-2037.11.20")
	l := layoutValidityLine(c)
	want, err := rec.recogniseSqueezed(l, 1, cnValiditySqueeze)
	if err != nil {
		t.Fatal(err)
	}
	var lr layoutReadings
	for i, r := range []*paddleRec{rec, nil} {
		got, err := lr.read(r, c, l, 1)
		if err != nil || !slices.EqualFunc(got, want, func(a, b paddleChar) bool { return a.r == b.r && a.p == b.p }) {
			t.Errorf("read %d: %v (%v), want %v", i, got, err, want)
		}
	}
	var none *layoutReadings
	if got, err := none.read(rec, c, l, 0.8); err != nil || len(got) == 0 {
		t.Errorf("nil keeper: %v (%v), want a reading", got, err)
	}
}
