package docread

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/kycq/kycq/kyc"
)

// blank returns a w×h plane of v.
func blank(w, h int, v byte) *plane {
	p := newPlane(w, h)
	for i := range p.pix {
		p.pix[i] = v
	}
	return p
}

// fillRect paints [x0,x1)×[y0,y1) of p with v.
func fillRect(p *plane, x0, y0, x1, y1 int, v byte) {
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			p.pix[y*p.w+x] = v
		}
	}
}

func TestWarpArea(t *testing.T) {
	// A 40×20 plane whose left half is 0 and right half 200, shrunk to
	// 10×5 (4 source pixels per output pixel: halved twice): the left
	// half of the output is 0, the right 200, and the two columns at the
	// edge are a blend.
	src := blank(40, 20, 200)
	fillRect(src, 0, 0, 20, 20, 0)
	q := [4][2]float64{{0, 0}, {40, 0}, {40, 20}, {0, 20}}
	out := warpArea(src, q, 10, 5)
	if out.w != 10 || out.h != 5 {
		t.Fatalf("size %d×%d", out.w, out.h)
	}
	for y := 0; y < 5; y++ {
		for x := 0; x < 10; x++ {
			v := out.pix[y*10+x]
			switch {
			case x < 4 && v != 0, x > 5 && v != 200:
				t.Errorf("(%d,%d) = %d", x, y, v)
			}
		}
	}
	// One stripe a single source pixel wide survives a 3× shrink, if
	// faintly (bilinear sampling alone loses it at some offsets).
	for off := 0; off < 3; off++ {
		s := blank(60, 6, 255)
		fillRect(s, 30+off, 0, 31+off, 6, 0)
		o := warpArea(s, [4][2]float64{{0, 0}, {60, 0}, {60, 6}, {0, 6}}, 20, 2)
		if m := slices.Min(o.pix); m > 235 {
			t.Errorf("offset %d: darkest %d, the stripe was lost", off, m)
		}
	}
	// Same size: the copy is exact.
	id := warpArea(src, q, 40, 20)
	if !slices.Equal(id.pix, src.pix) {
		t.Error("a warp at the same size changed pixels")
	}
}

func TestQuarterTurn(t *testing.T) {
	q := [4][2]float64{{0, 0}, {10, 0}, {10, 20}, {0, 20}}
	got := quarterTurn(q)
	want := [4][2]float64{{0, 20}, {0, 0}, {10, 0}, {10, 20}}
	if got != want {
		t.Errorf("quarterTurn = %v, want %v", got, want)
	}
}

func TestLineValidity(t *testing.T) {
	for _, tc := range []struct {
		text, from, to string
		long, ok       bool
	}{
		{"2010.05.12-2030.05.12", "2010-05-12", "2030-05-12", false, true},
		{"20100512-20300512", "2010-05-12", "2030-05-12", false, true},
		{"2016.12.09 2036.12.09", "2016-12-09", "2036-12-09", false, true},
		{"2017.05.23-长期", "2017-05-23", "", true, true},
		{"2017.05.23-长", "2017-05-23", "", true, true},
		{"2030.05.12-2010.05.12", "", "", false, false}, // ends before it starts
		{"2010.05.12-2030.05.1", "", "", false, false},  // a digit lost
		{"2010.13.12-2030.13.12", "", "", false, false}, // no 13th month
		{"2017.05.23-45", "", "", false, false},         // 长期 not read
		{"2018.11.14-2026.11.14", "", "", false, false}, // 8 read for 6: no 8-year period
		{"2017.12.19-2037.11.19", "", "", false, false}, // 2 read for 1: not the anniversary
		{"2012.03.01-2017.03.01", "2012-03-01", "2017-03-01", false, true},
		{"2008.02.29-2018.02.28", "2008-02-29", "2018-02-28", false, true},
		{"2008.02.29-2018.03.01", "2008-02-29", "2018-03-01", false, true},
		{"2008.02.29-2018.03.02", "", "", false, false},
		{"", "", "", false, false},
	} {
		from, to, long, ok := lineValidity(tc.text)
		if from != tc.from || to != tc.to || long != tc.long || ok != tc.ok {
			t.Errorf("lineValidity(%q) = %q %q %t %t, want %q %q %t %t", tc.text, from, to, long, ok, tc.from, tc.to, tc.long, tc.ok)
		}
	}
}

// A long-term period is vouched for only when two readings of its line
// agree on the start date; a dated one checks itself.
func TestLongVotes(t *testing.T) {
	type want struct {
		from, to string
		long, ok bool
	}
	for _, tc := range []struct {
		name     string
		readings []string
		want     []want // after each reading
	}{
		{"dated at once", []string{"2010.05.12-2030.05.12"}, []want{{"2010-05-12", "2030-05-12", false, true}}},
		{"long-term, the digits first", []string{"20111221", "2011.12.21-长期"},
			[]want{{}, {"2011-12-21", "", true, true}}},
		{"long-term, digits before 长期 read as digits", []string{"2011.12.21-44", "20111221长期"},
			[]want{{}, {"2011-12-21", "", true, true}}},
		{"long-term read alone", []string{"2011.12.21-长期"}, []want{{}}},
		// Hard print, dev seed 80: every reading differs, nothing vouched.
		{"readings disagree", []string{"20121221", "2011221长", ".201512.21-长期", "2013.12.21-44"},
			[]want{{}, {}, {}, {}}},
		{"two long-term readings disagree, a third confirms", []string{"20151221-长期", "2011.12.21-长期", "20111221"},
			[]want{{}, {}, {"2011-12-21", "", true, true}}},
	} {
		var v longVotes
		for i, r := range tc.readings {
			from, to, long, ok := v.add(r)
			if g := (want{from, to, long, ok}); g != tc.want[i] {
				t.Errorf("%s: after %q: %+v, want %+v", tc.name, r, g, tc.want[i])
			}
		}
	}
}

func TestOtsuAndDarkInk(t *testing.T) {
	// Black (20) and blue (110) ink on white: Otsu splits the inks
	// between them, and darkInk keeps the black only.
	c := blank(30, 10, 255)
	fillRect(c, 2, 2, 8, 8, 20)
	fillRect(c, 12, 2, 18, 8, 110)
	fillRect(c, 22, 2, 28, 8, 20)
	var hist [250]int
	n := 0
	for _, v := range c.pix {
		if v < 250 {
			hist[v]++
			n++
		}
	}
	thr, lo, hi := otsu(hist[:], n)
	if thr < 20 || thr >= 110 || lo != 20 || hi != 110 {
		t.Errorf("otsu = %d, %.0f, %.0f; want 20 ≤ t < 110, means 20 and 110", thr, lo, hi)
	}
	d := darkInk(c)
	if d.pix[5*30+5] != 20 || d.pix[5*30+15] != 255 || d.pix[5*30+25] != 20 {
		t.Errorf("darkInk kept %d %d %d, want 20 255 20", d.pix[5*30+5], d.pix[5*30+15], d.pix[5*30+25])
	}
	// One ink only: unchanged.
	one := blank(30, 10, 255)
	fillRect(one, 2, 2, 8, 8, 20)
	fillRect(one, 12, 2, 18, 8, 40)
	if darkInk(one) != one {
		t.Error("darkInk split inks 20 levels apart")
	}
}

func TestBirthDates(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"1986 6 11", []string{"1986-06-11"}},
		{"1958911", []string{"1958-09-11"}},               // 91/1 is no date
		{"1990111", []string{"1990-01-11", "1990-11-01"}}, // both are
		{"19901231", []string{"1990-12-31"}},
		{"1990 2 30", nil}, // no 30 February
		{"1990 13 1", nil},
		{"19", nil},
		{"", nil},
		{"1986 6", nil},
	} {
		if got := birthDates(tc.text); !slices.Equal(got, tc.want) {
			t.Errorf("birthDates(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}

func TestPickBirth(t *testing.T) {
	const num = "1990-01-11"
	for _, tc := range []struct {
		printed string
		alts    []string
		want    string
	}{
		{num, nil, num},                                  // the Chinese reading agrees
		{"1990-01-01", []string{num}, num},               // the English one does
		{"1990-01-01", []string{"1990-11-01", num}, num}, // one of two splits does
		{"", []string{"1991-02-03"}, "1991-02-03"},       // only the English reading
		{"", []string{"1990-01-11", "1990-11-01"}[1:], "1990-11-01"},
		{"1990-01-01", []string{"1991-02-03"}, "1990-01-01"}, // both disagree: the print as read, never the number's
		{"", nil, ""}, // nothing read: empty (checkFront fills from the number)
		{"1985-05-05", nil, "1985-05-05"},
	} {
		if got := pickBirth(tc.printed, tc.alts, num); got != tc.want {
			t.Errorf("pickBirth(%q, %q) = %q, want %q", tc.printed, tc.alts, got, tc.want)
		}
	}
}

func TestDigitsShowBirth(t *testing.T) {
	for _, tc := range []struct {
		birth, born string
		want        bool
	}{
		{"1958911", "1958-09-11", true},    // the only date
		{"1986 6 11", "1986-06-11", true},  // in groups
		{"1981126", "1981-12-06", true},    // one of two: 1981-1-26, 1981-12-6
		{"1981126", "1981-01-26", true},    // the other
		{"1981 1 26", "1981-12-06", false}, // the groups make 1981-1-26 only
		{"1990374", "1990-03-07", false},   // an extra digit: no date
		{"1957916", "1957-09-10", false},   // a digit read as another
		{"195711", "1957-11-08", false},    // a digit lost
		{"1990111", "", false},             // no number's date
		{"", "1990-01-11", false},          // nothing read
	} {
		got := digitsShowBirth(tc.birth, tc.born)
		if got != tc.want {
			t.Errorf("digitsShowBirth(%q, %q) = %t, want %t", tc.birth, tc.born, got, tc.want)
		}
		// The skip's premise: whatever the Chinese reading shows, the
		// front's date is the number's.
		if got {
			for _, printed := range []string{"", tc.born, "1985-05-05"} {
				if b := pickBirth(printed, birthDates(tc.birth), tc.born); b != tc.born {
					t.Errorf("pickBirth(%q, birthDates(%q), %q) = %q", printed, tc.birth, tc.born, b)
				}
			}
		}
	}
}

func TestCompactGroups(t *testing.T) {
	// Three groups 4, 2 and 3 columns wide, 10 and 20 columns apart:
	// set 2 columns apart with 2 columns of margin.
	c := blank(60, 5, 255)
	fillRect(c, 5, 1, 9, 4, 0)
	fillRect(c, 19, 1, 21, 4, 0)
	fillRect(c, 41, 1, 44, 4, 0)
	out := compactGroups(c, 3, 2)
	if out.w != 2+4+2+2+2+3+2 || out.h != 5 {
		t.Fatalf("size %d×%d", out.w, out.h)
	}
	var row strings.Builder
	for x := 0; x < out.w; x++ {
		if out.pix[2*out.w+x] < 128 {
			row.WriteByte('#')
		} else {
			row.WriteByte('.')
		}
	}
	if got := row.String(); got != "..####..##..###.." {
		t.Errorf("row %q", got)
	}
	// Groups closer than gap stay one group.
	if out := compactGroups(c, 15, 2); out.w != 2+(21-5)+2+3+2 {
		t.Errorf("width %d with gap 15", out.w)
	}
	if b := blank(4, 4, 255); compactGroups(b, 1, 1) != b {
		t.Error("a blank crop was changed")
	}
}

// hanText returns a name reading of the Han characters of s, each read
// with confidence conf.
func hanText(s string, conf float32) nameReading {
	var nr nameReading
	for _, r := range onlyHan(s) {
		if r == '·' {
			continue
		}
		nr.text = append(nr.text, r)
		nr.conf = append(nr.conf, conf)
	}
	return nr
}

func TestVoteWeighted(t *testing.T) {
	sure, unsure := float32(95), float32(40)
	for _, tc := range []struct {
		name  string
		reads []nameReading
		want  string
	}{
		{"majority", []nameReading{hanText("孙斌秀", sure), hanText("孙试秀", sure), hanText("孙斌秀", sure)}, "孙斌秀"},
		{"confidence outweighs a count", []nameReading{hanText("黄华舌", unsure), hanText("黄华磊", sure), hanText("黄华舌", unsure)}, "黄华磊"},
		{"a tie goes to the first", []nameReading{hanText("罗杰", sure), hanText("罗森", sure)}, "罗杰"},
		{"the length of the surest readings", []nameReading{hanText("欧阳和磊娟", unsure), hanText("欧阳磊娟", sure), hanText("欧阳和磊娟", unsure)}, "欧阳磊娟"},
		{"an empty reading does not vote", []nameReading{{}, hanText("王嘉", unsure)}, "王嘉"},
		{"no reading", []nameReading{{}, {}}, ""},
		{"nothing", nil, ""},
	} {
		if got := string(voteWeighted(tc.reads)); got != tc.want {
			t.Errorf("%s: voteWeighted = %q, want %q", tc.name, got, tc.want)
		}
	}
	// Per character: the second character's confident reading wins over
	// two unsure ones; the first is read alike by all.
	mixed := hanText("吴娜起", sure)
	mixed.conf[2] = 30
	other := hanText("吴娜霞", sure)
	other.conf[2] = 80
	if got := string(voteWeighted([]nameReading{mixed, mixed, other})); got != "吴娜霞" {
		t.Errorf("per-character weights: got %q, want 吴娜霞", got)
	}
}

func TestEvenPitch(t *testing.T) {
	box := func(x0, x1 int) comp { return comp{x0: x0, x1: x1, y0: 0, y1: 10} }
	even := []comp{box(0, 6), box(10, 16), box(21, 25), box(30, 36)}
	if !evenPitch(even) {
		t.Error("evenly spaced boxes refused")
	}
	gap := []comp{box(0, 6), box(30, 36), box(40, 46), box(50, 56)}
	if evenPitch(gap) {
		t.Error("a caption's gap accepted")
	}
	if evenPitch([]comp{box(0, 6)}) {
		t.Error("one box accepted")
	}
}

// cnScoresFor returns cell scores where ch scores s and every other class
// scores o, with runner-up r at sr.
func cnScoresFor(ch byte, s float32, r byte, sr float32) cellScores {
	var sc cellScores
	for i := range sc {
		sc[i] = 0.2
	}
	sc[strings.IndexByte(mrzAlphabet, ch)] = s
	if r != 0 {
		sc[strings.IndexByte(mrzAlphabet, r)] = sr
	}
	return sc
}

// sureCNNumber scores each glyph of num 0.9 with no runner-up, then lets
// edit change the scores.
func sureCNNumber(num string, edit func([]cellScores)) []cellScores {
	sc := make([]cellScores, len(num))
	for i := range num {
		sc[i] = cnScoresFor(num[i], 0.9, 0, 0)
	}
	if edit != nil {
		edit(sc)
	}
	return sc
}

func TestDecodeCNNumber(t *testing.T) {
	const valid = "110101199003074514" // a valid number (MOD 11-2, region, date)
	mk := sureCNNumber
	for _, tc := range []struct {
		name    string
		sc      []cellScores
		want    string
		pattern string
		ok      bool
	}{
		{"clean", mk(valid, nil), valid, "", true},
		{"X only last", mk("X10101199003074514", nil), "", "", false},
		{"one glyph unsure", mk(valid, func(sc []cellScores) { sc[5] = cnScoresFor('1', 0.4, 0, 0) }), "", "", false},
		{"repaired: the 7 read as 1, 7 a close second", mk(valid, func(sc []cellScores) {
			sc[13] = cnScoresFor('1', 0.85, '7', 0.8)
		}), valid, "", true},
		{"wrong, the runner-up far", mk(valid, func(sc []cellScores) {
			sc[13] = cnScoresFor('1', 0.9, '7', 0.5)
		}), "", "", false},
		{"17 glyphs", mk(valid[:17], nil), "", "", false},
		{"valid, a glyph leading by 0.02", mk(valid, func(sc []cellScores) {
			sc[4] = cnScoresFor('0', 0.68, '9', 0.66)
		}), "", "1101?1199003074514", false},
		{"valid, a glyph leading by 0.04", mk(valid, func(sc []cellScores) {
			sc[4] = cnScoresFor('0', 0.70, '9', 0.66)
		}), valid, "", true},
		{"repaired, another glyph too close to call", mk(valid, func(sc []cellScores) {
			sc[13] = cnScoresFor('1', 0.85, '7', 0.8)
			sc[2] = cnScoresFor('0', 0.66, '9', 0.65)
		}), "", "11?1011990030?4514", false},
	} {
		got, pattern, ok := decodeCNNumber(tc.sc)
		if got != tc.want || pattern != tc.pattern || ok != tc.ok {
			t.Errorf("%s: decodeCNNumber = %q %q %t, want %q %q %t", tc.name, got, pattern, ok, tc.want, tc.pattern, tc.ok)
		}
	}
}

func TestWeakCNNumber(t *testing.T) {
	const valid = "110101199003074514"
	mk := sureCNNumber
	for _, tc := range []struct {
		name string
		sc   []cellScores
		want string
	}{
		{"every glyph sure: not weak", mk(valid, nil), ""},
		{"one glyph weak", mk(valid, func(sc []cellScores) { sc[14] = cnScoresFor('4', 0.47, 0, 0) }), valid},
		{"two glyphs weak", mk(valid, func(sc []cellScores) {
			sc[0] = cnScoresFor('1', 0.35, 0, 0)
			sc[1] = cnScoresFor('1', 0.40, 0, 0)
		}), valid},
		{"three glyphs weak", mk(valid, func(sc []cellScores) {
			sc[0] = cnScoresFor('1', 0.45, 0, 0)
			sc[1] = cnScoresFor('1', 0.45, 0, 0)
			sc[2] = cnScoresFor('0', 0.45, 0, 0)
		}), ""},
		{"a glyph under the floor", mk(valid, func(sc []cellScores) { sc[14] = cnScoresFor('4', 0.3, 0, 0) }), ""},
		{"a weak glyph with a close runner-up", mk(valid, func(sc []cellScores) { sc[14] = cnScoresFor('4', 0.47, '1', 0.46) }), ""},
		{"a sure glyph with a close runner-up", mk(valid, func(sc []cellScores) {
			sc[14] = cnScoresFor('4', 0.47, 0, 0)
			sc[4] = cnScoresFor('0', 0.68, '9', 0.66)
		}), ""},
		{"weak, not checking", mk("110101199003074515", func(sc []cellScores) { sc[14] = cnScoresFor('4', 0.47, 0, 0) }), ""},
		{"17 glyphs", mk(valid[:17], func(sc []cellScores) { sc[14] = cnScoresFor('4', 0.47, 0, 0) }), ""},
	} {
		if got := weakCNNumber(tc.sc); got != tc.want {
			t.Errorf("%s: weakCNNumber = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestFitsPattern(t *testing.T) {
	for _, tc := range []struct {
		num, pattern string
		want         bool
	}{
		{"110101199003074514", "1101?1199003074514", true},
		{"110191199003074514", "1101?1199003074514", true},
		{"110101199003074515", "1101?1199003074514", false},
		{"11010119900307451", "1101?1199003074514", false},
		{"110101199003074514", "110101199003074514", true},
	} {
		if got := fitsPattern(tc.num, tc.pattern); got != tc.want {
			t.Errorf("fitsPattern(%q, %q) = %t", tc.num, tc.pattern, got)
		}
	}
}

func TestReadCNNumberOCRB(t *testing.T) {
	// The number printed in OCR-B on a rendered front, at the card width
	// read and at the ~600 px of a small photo, upright and turned.
	for _, num := range []string{"110101199003074514", "61011319910702219X"} {
		front := cnFront{"张伟", "男", "汉", "1990", "3", "7", []string{"北京市东城区景山前街"}, num}
		g := planeOf(renderCNFront(t, front, true))
		q := [4][2]float64{{0, 0}, {float64(g.w), 0}, {float64(g.w), float64(g.h)}, {0, float64(g.h)}}
		for _, w := range []int{cnCardWidth, 600} {
			c := warpArea(g, q, w, w*g.h/g.w)
			n, boxes := readCNNumberOCRB(c)
			got, ok := n.num, n.ok
			if !ok || got != num {
				t.Errorf("%d px: read %q %t, want %q", w, got, ok, num)
			}
			// The boxes are in the card's pixels: the number's last
			// glyph ends near the card's right edge, in its lowest fifth.
			if ok && (boxes[17].x1 < w*9/10 || boxes[17].y0 < c.h*4/5) {
				t.Errorf("%d px: last glyph at %v", w, boxes[17])
			}
			if r, _ := readCNNumberOCRB(c.rot90(2)); r.ok {
				t.Errorf("%d px upside down: read %q", w, r.num)
			}
		}
	}
	// A blank card: nothing.
	if r, _ := readCNNumberOCRB(blank(cnCardWidth, 605, 230)); r.ok {
		t.Errorf("blank card read %q", r.num)
	}
}

// TestReadCNNumberOCRBGlare: two glyphs of the number under a glare
// (their ink lightened to 40% of its darkness, with the paper around
// them) are lost by the cleaning at 62% of the neighbourhood's mean, and
// found at glareInkPct.
func TestReadCNNumberOCRBGlare(t *testing.T) {
	num := "110101199003074514"
	front := cnFront{"张伟", "男", "汉", "1990", "3", "7", []string{"北京市东城区景山前街"}, num}
	g := planeOf(renderCNFront(t, front, true))
	q := [4][2]float64{{0, 0}, {float64(g.w), 0}, {float64(g.w), float64(g.h)}, {0, float64(g.h)}}
	c := warpArea(g, q, cnCardWidth, cnCardWidth*g.h/g.w)
	n, boxes := readCNNumberOCRB(c)
	if !n.ok {
		t.Fatal("the number was not read without glare")
	}
	for y := 0; y < c.h; y++ {
		for x := boxes[3].x0 - 4; x < boxes[4].x1+4; x++ {
			c.pix[y*c.w+x] = byte(255 - (255-float64(c.pix[y*c.w+x]))*0.4)
		}
	}
	b := c.crop(int(cnNumberOnly[0]*float64(c.w)), int(cnNumberOnly[1]*float64(c.h)), c.w, c.h)
	if n := len(glyphBoxes(b, c.h)); n != 0 {
		t.Errorf("at 62%%: %d boxes, want none (the glare's glyphs lost)", n)
	}
	if n := len(glyphBoxesAt(b, c.h, glareInkPct)); n != 18 {
		t.Errorf("at %d%%: %d boxes, want 18", glareInkPct, n)
	}
	if r, _ := readCNNumberOCRB(c); !r.ok || r.num != num {
		t.Errorf("read %q %t, want %q", r.num, r.ok, num)
	}
}

// cnNumberCard renders a front printing num on the security pattern and
// returns its card with the number's glyph boxes as read without harm.
func cnNumberCard(t testing.TB, num string) (*plane, []comp) {
	t.Helper()
	front := cnFront{"张伟", "男", "汉", "1990", "3", "7", []string{"北京市东城区景山前街"}, num}
	g := planeOf(renderCNFront(t, front, true))
	q := [4][2]float64{{0, 0}, {float64(g.w), 0}, {float64(g.w), float64(g.h)}, {0, float64(g.h)}}
	c := warpArea(g, q, cnCardWidth, cnCardWidth*g.h/g.w)
	n, boxes := readCNNumberOCRB(c)
	got, ok := n.num, n.ok
	if !ok || got != num {
		t.Fatalf("the number was read %q %t without harm, want %q", got, ok, num)
	}
	return c, boxes
}

// TestReadCNNumberOCRBBetween: two glyphs a glare lightened to 40% of
// their darkness are lost at 62% of the neighbourhood's mean, and a grey
// line of the pattern (165 on a white card) through the number's middle
// joins every glyph into one component at glareInkPct: the glyphs are
// found at 70% alone, and read.
func TestReadCNNumberOCRBBetween(t *testing.T) {
	num := "110101199003074514"
	c := betweenCard(t, num)
	b := c.crop(int(cnNumberOnly[0]*float64(c.w)), int(cnNumberOnly[1]*float64(c.h)), c.w, c.h)
	for _, tc := range []struct {
		pct  uint32
		want int
	}{{62, 0}, {70, 18}, {glareInkPct, 0}} {
		if n := len(glyphBoxesAt(b, c.h, tc.pct)); n != tc.want {
			t.Errorf("at %d%%: %d boxes, want %d", tc.pct, n, tc.want)
		}
	}
	if r, _ := readCNNumberOCRB(c); !r.ok || r.num != num {
		t.Errorf("read %q %t, want %q", r.num, r.ok, num)
	}
}

// betweenCard is the card of TestReadCNNumberOCRBBetween: two glyphs
// lightened, a grey line through the number.
func betweenCard(t testing.TB, num string) *plane {
	c, boxes := cnNumberCard(t, num)
	for y := 0; y < c.h; y++ {
		for x := boxes[3].x0 - 4; x < boxes[4].x1+4; x++ {
			c.pix[y*c.w+x] = byte(255 - (255-float64(c.pix[y*c.w+x]))*0.4)
		}
	}
	ym := (boxes[0].y0 + boxes[0].y1) / 2
	for y := ym - 1; y <= ym; y++ {
		for x := boxes[0].x0 - 10; x < boxes[17].x1+10; x++ {
			c.pix[y*c.w+x] = min(c.pix[y*c.w+x], 165)
		}
	}
	return c
}

// TestGlyphBoxesStrays: glyph-high pieces right of the number (the
// pattern's, closer than the number's pitch, between it and the card's
// edge) are passed over, up to cnNumberStrays of them; with more the
// number is not found.
func TestGlyphBoxesStrays(t *testing.T) {
	num := "110101199003074514"
	for _, strays := range []int{1, 2, cnNumberStrays, cnNumberStrays + 1} {
		c, boxes := cnNumberCard(t, num)
		last := boxes[17]
		pitch := float64(last.x0-boxes[0].x0) / 17
		for i := range strays {
			x0 := last.x1 + int(pitch*(0.15+0.3*float64(i)))
			for y := last.y0; y < last.y1; y++ {
				for x := x0; x < x0+3; x++ {
					c.pix[y*c.w+x] = 0
				}
			}
		}
		bx, by := int(cnNumberOnly[0]*float64(c.w)), int(cnNumberOnly[1]*float64(c.h))
		b := c.crop(bx, by, c.w, c.h)
		got := glyphBoxes(b, c.h)
		if strays > cnNumberStrays {
			if got != nil {
				t.Errorf("%d strays: %d boxes, want none", strays, len(got))
			}
			continue
		}
		if len(got) != 18 || got[0].x0+bx != boxes[0].x0 || got[17].x1+bx != last.x1 {
			t.Errorf("%d strays: %d boxes, want the number's 18", strays, len(got))
		}
		if r, _ := readCNNumberOCRB(c); !r.ok || r.num != num {
			t.Errorf("%d strays: read %q %t, want %q", strays, r.num, r.ok, num)
		}
	}
}

func TestParseLinesByPosition(t *testing.T) {
	for _, tc := range []struct {
		lines                          []string
		name, sex, eth, birth, address string
	}{
		{[]string{"周鑫", "男民族汉", "1958年9月11日", "广东省广州市天河区人民", "路281号"}, "周鑫", "M", "汉", "1958-09-11", "广东省广州市天河区人民路281号"},
		{[]string{"王嘉", "女 维吾尔", "19773215", "北京市东城区", "4号院2-1-301"}, "王嘉", "F", "维吾尔", "", "北京市东城区4号院2-1-301"}, // caption lost; date not read
		{[]string{"李雨", "男民族蒙吉", "1990年1月2日"}, "李雨", "M", "蒙古", "1990-01-02", ""},
		{[]string{"", "", ""}, "", "", "", "", ""},
		// The outline cut the captions: their last characters lead.
		{[]string{"名刘丽", "女民族彝", "1992年6月24日", "址湖北省武汉市", "02室"}, "刘丽", "F", "彝", "1992-06-24", "湖北省武汉市02室"},
		{[]string{"姓名刘丽", "女民族彝", "1992年6月24日", "住址湖北省武汉市"}, "刘丽", "F", "彝", "1992-06-24", "湖北省武汉市"},
		// 名 before a single character is kept: a name has two.
		{[]string{"名扬", "男民族汉", "1990年1月2日"}, "名扬", "M", "汉", "1990-01-02", ""},
	} {
		var d kyc.DocumentRead
		parseLinesByPosition(tc.lines, &d)
		if d.Name != tc.name || d.Sex != tc.sex || d.Ethnicity != tc.eth || d.BirthDate != tc.birth || d.Address != tc.address {
			t.Errorf("parseLinesByPosition(%q) = %q %q %q %q %q, want %q %q %q %q %q", tc.lines,
				d.Name, d.Sex, d.Ethnicity, d.BirthDate, d.Address, tc.name, tc.sex, tc.eth, tc.birth, tc.address)
		}
	}
}

// FuzzCNText feeds arbitrary recogniser output to the mainland ID's text
// parsers: none may panic, and what they return must be well formed.
func FuzzCNText(f *testing.F) {
	for _, s := range []string{"2010.05.12-2030.05.12", "2017.05.23-长期", "1958911", "1986 6 11",
		"周鑫\n男民族汉\n1958年9月11日\n广东省广州市\n路281号", "", "\xff\xfe长", "9999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if from, to, long, ok := lineValidity(s); ok && (len(from) != 10 || long == (to != "")) {
			t.Errorf("lineValidity(%q) = %q %q %t", s, from, to, long)
		}
		for _, b := range birthDates(s) {
			if len(b) != 10 {
				t.Errorf("birthDates(%q) gave %q", s, b)
			}
		}
		h := []rune(s)
		v := string(voteWeighted([]nameReading{hanText(s, 90), hanText(string(h[:len(h)/2]), 50), {text: h}}))
		if v != onlyHan(v) {
			t.Errorf("voteWeighted kept non-Han characters: %q", v)
		}
		var d kyc.DocumentRead
		parseLinesByPosition(strings.Split(s, "\n"), &d)
		pickBirth(d.BirthDate, birthDates(s), "1990-01-01")
	})
}

func TestDropLarge(t *testing.T) {
	// A 3-row stroke (a character), a 6-row L (a card's edge and corner)
	// whose foot runs under the stroke, and an 8-column rule: maxH 4 and
	// maxW 6 keep the stroke only.
	rows := []string{
		"......#...",
		".##...#...",
		".##...#...",
		".##...#...",
		"......#...",
		"#######...",
		"..........",
		"..########",
	}
	want := []string{
		"..........",
		".##.......",
		".##.......",
		".##.......",
		"..........",
		"..........",
		"..........",
		"..........",
	}
	p := newPlane(len(rows[0]), len(rows))
	for y, r := range rows {
		for x, c := range r {
			p.pix[y*p.w+x] = 255
			if c == '#' {
				p.pix[y*p.w+x] = 0
			}
		}
	}
	dropLarge(p, 4, 6)
	for y, r := range want {
		for x, c := range r {
			if got := p.pix[y*p.w+x] < 128; got != (c == '#') {
				t.Errorf("pixel (%d, %d): ink %t, want %t", x, y, got, c == '#')
			}
		}
	}
}

func TestLevelSlope(t *testing.T) {
	// A line of ink rising 0.07 rows per column (about 4 degrees) is
	// levelled into one row; a level line is left as it is.
	for _, slope := range []float64{0.07, -0.07, 0} {
		p := newPlane(41, 11)
		for i := range p.pix {
			p.pix[i] = 255
		}
		for x := 0; x < p.w; x++ {
			p.pix[(5+int(math.Round(slope*float64(x-20))))*p.w+x] = 0
		}
		if got := levelSlope(p); got != slope {
			t.Fatalf("levelSlope = %v, want %v", got, slope)
		}
		q := shearRows(p, slope)
		for y := 0; y < q.h; y++ {
			for x := 0; x < q.w; x++ {
				if ink := q.pix[y*q.w+x] < 128; ink != (y == 5) {
					t.Fatalf("slope %v: pixel (%d, %d) ink %t", slope, x, y, ink)
				}
			}
		}
	}
}

func TestLostBirthDigit(t *testing.T) {
	for _, tc := range []struct {
		readings []string
		born     string
		want     bool
	}{
		{[]string{"199224", ""}, "1992-06-24", true},  // the 6 lost (dev seed 80)
		{[]string{"1992年6月2日"}, "1992-06-24", true},   // the day's last digit
		{[]string{"", "99264"}, "1992-06-24", false},  // two lost
		{[]string{"1992624"}, "1992-06-24", false},    // all read: not lost
		{[]string{"199254"}, "1992-05-24", true},      // 1992 5 24, the 2 of 24 lost
		{[]string{"199227"}, "1992-06-24", false},     // a digit lost and one misread
		{[]string{"1992年06月4日"}, "1992-06-24", false}, // the leading zero is not printed
		{[]string{"1952119"}, "1952-11-19", true},     // 1952 11 19 with a 1 lost
		{[]string{"195219"}, "1952-12-09", true},      // 1952 12 9 with the 2 of 12 lost
		{[]string{"195291"}, "1952-12-09", false},     // not 1952129 less a digit
		{[]string{"abc"}, "1992-06-24", false},
		{[]string{"199224"}, "", false},
	} {
		if got := lostBirthDigit(tc.readings, tc.born); got != tc.want {
			t.Errorf("lostBirthDigit(%q, %q) = %v, want %v", tc.readings, tc.born, got, tc.want)
		}
	}
}

func TestPrintsDate(t *testing.T) {
	for _, tc := range []struct {
		reading, born string
		want          bool
	}{
		{"198311月16", "1983-11-16", true},    // 年 lost (dev seed 144)
		{"19565月14", "1956-05-14", true},     // 年 lost, the month without its zero
		{"1956514", "1956-05-14", true},      // every caption lost
		{"1983年11月16日", "1983-11-16", true},  // read whole
		{"198311月15", "1983-11-16", false},   // a digit read as another
		{"19831月16", "1983-11-16", false},    // a digit lost
		{"1983211216", "1983-11-16", false},  // a caption read as a digit
		{"1956年05月14日", "1956-05-14", false}, // the card prints no leading zero
		{"", "1956-05-14", false},
		{"1956514", "", false},
	} {
		if got := printsDate(tc.reading, tc.born); got != tc.want {
			t.Errorf("printsDate(%q, %q) = %v, want %v", tc.reading, tc.born, got, tc.want)
		}
	}
}

func BenchmarkWeakCNNumber(b *testing.B) {
	const valid = "110101199003074514"
	sc := make([]cellScores, len(valid))
	for i := range valid {
		sc[i] = cnScoresFor(valid[i], 0.9, 0, 0)
	}
	sc[14] = cnScoresFor('4', 0.47, 0, 0)
	for b.Loop() {
		weakCNNumber(sc)
	}
}

// BenchmarkReadCNNumberOCRB: the number found at 62% (every front's
// path), on the card of TestReadCNNumberOCRBBetween, found at 70%
// after 62% found nothing, and on the card of
// TestReadCNNumberOCRBGlarePaper, read on each box's paper at glareInkPct
// after no threshold read it on the paper of all the boxes.
func BenchmarkReadCNNumberOCRB(b *testing.B) {
	num := "110101199003074514"
	clean, _ := cnNumberCard(b, num)
	for _, bc := range []struct {
		name string
		c    *plane
	}{{"62", clean}, {"70", betweenCard(b, num)}, {"paper", glarePaperCard(b, num)}} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if r, _ := readCNNumberOCRB(bc.c); !r.ok || r.num != num {
					b.Fatalf("read %q %t", r.num, r.ok)
				}
			}
		})
	}
}
