package docread

import (
	"slices"
	"testing"

	"github.com/kycq/kycq/kyc"
)

func TestSnapEthnicity(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"汉", "汉"},
		{"蒙古", "蒙古"},
		{"蒙吉", "蒙古"},
		{"维吾尔", "维吾尔"},
		{"维吾", "维吾尔"},
		{"柯尔克改", "柯尔克孜"},
		{"火星", "火星"}, // nothing near: kept as read, and so not exact
	} {
		if got := snapEthnicity(tc.in); got != tc.want {
			t.Errorf("snapEthnicity(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if len(cnEthnicities) != 56 {
		t.Errorf("%d ethnic groups, want 56", len(cnEthnicities))
	}
}

func TestEditDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"汉", "", 1}, {"土家", "土", 1}, {"哈尼", "哈萨克", 2}, {"abc", "abc", 0}, {"kitten", "sitting", 3},
	} {
		if got := editDistance([]rune(tc.a), []rune(tc.b)); got != tc.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestCheckFront(t *testing.T) {
	const num = "110101199003074514" // born 1990-03-07, sequence 451: male
	for _, tc := range []struct {
		name      string
		in        kyc.DocumentRead
		sex, born string
		valid     bool
	}{
		{"all printed, agreeing", kyc.DocumentRead{DocumentNumber: num, Sex: "M", BirthDate: "1990-03-07"}, "M", "1990-03-07", true},
		{"sex and date from the number", kyc.DocumentRead{DocumentNumber: num}, "M", "1990-03-07", true},
		{"printed sex differs", kyc.DocumentRead{DocumentNumber: num, Sex: "F", BirthDate: "1990-03-07"}, "F", "1990-03-07", false},
		{"printed date differs", kyc.DocumentRead{DocumentNumber: num, Sex: "M", BirthDate: "1990-03-08"}, "M", "1990-03-08", false},
		{"number fails MOD 11-2", kyc.DocumentRead{DocumentNumber: "110101199003074515", Sex: "M"}, "M", "", false},
	} {
		d := tc.in
		checkFront(&d)
		if d.Sex != tc.sex || d.BirthDate != tc.born || d.ChecksValid != tc.valid || d.Readable != tc.valid {
			t.Errorf("%s: sex %q born %q valid %t readable %t, want %q %q %t", tc.name, d.Sex, d.BirthDate, d.ChecksValid, d.Readable, tc.sex, tc.born, tc.valid)
		}
	}
}

// textPlane draws black rows [y0, y1) across columns [x0, x1) of a white
// w×h plane, one rectangle per entry.
func textPlane(w, h int, rects ...[4]int) *plane {
	p := newPlane(w, h)
	for i := range p.pix {
		p.pix[i] = 255
	}
	for _, r := range rects {
		for y := r[1]; y < r[3]; y++ {
			for x := r[0]; x < r[2]; x++ {
				p.pix[y*w+x] = 0
			}
		}
	}
	return p
}

func TestLineSpans(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    *plane
		gap  int
		minH int
		want [][2]int
	}{
		{"blank", textPlane(50, 50), 3, 5, nil},
		{"two lines", textPlane(50, 60, [4]int{5, 5, 40, 20}, [4]int{5, 30, 30, 45}), 3, 5, [][2]int{{5, 20}, {30, 45}}},
		{"a character's blank rows merged", textPlane(50, 60, [4]int{5, 5, 40, 10}, [4]int{5, 12, 40, 20}), 3, 5, [][2]int{{5, 20}}},
		{"a speck dropped", textPlane(50, 60, [4]int{5, 5, 40, 20}, [4]int{10, 40, 12, 42}), 3, 5, [][2]int{{5, 20}}},
		{"last line at the bottom", textPlane(50, 30, [4]int{5, 20, 40, 30}), 3, 5, [][2]int{{20, 30}}},
	} {
		got := lineSpans(tc.p, tc.gap, tc.minH)
		if len(got) != len(tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
			}
		}
	}
}

func TestLineCrop(t *testing.T) {
	p := textPlane(50, 40, [4]int{10, 5, 30, 15})
	c := lineCrop(p, 5, 15, 2)
	if c.w != 24 || c.h != 14 || c.pix[0] != 255 || c.pix[2*c.w+2] != 0 || c.pix[(c.h-3)*c.w+c.w-3] != 0 {
		t.Errorf("crop %dx%d, want 24x14 with the ink inside a 2-pixel white margin", c.w, c.h)
	}
	if lineCrop(p, 20, 30, 2) != nil {
		t.Error("a blank row range gave a crop")
	}
}

// TestFrontSpans: lines closer together than lineSpans bridges are cut
// at their emptiest rows, and a bar crossing the block (the portrait's
// edge inside a wrong outline) is dropped before the lines are taken;
// a block without three lines is still refused.
func TestFrontSpans(t *testing.T) {
	const lineH = 20
	// Name, sex, birth apart; then three address lines 4 rows apart
	// (lineSpans bridges up to lineH/3 = 6 blank rows).
	lines := [][4]int{{10, 10, 100, 30}, {10, 50, 100, 70}, {10, 90, 100, 110},
		{10, 130, 100, 150}, {10, 154, 100, 174}, {10, 178, 100, 198}}
	p := textPlane(200, 220, lines...)
	spans, _ := frontSpans(p, lineH)
	want := [][2]int{{10, 30}, {50, 70}, {90, 110}, {130, 150}, {154, 174}, {178, 198}}
	if !slices.Equal(spans, want) {
		t.Errorf("spans %v, want %v", spans, want)
	}
	// A bar from the birth line to the bottom joins them all.
	withBar := textPlane(200, 220, append(lines, [4]int{180, 95, 184, 215})...)
	spans, q := frontSpans(withBar, lineH)
	if !slices.Equal(spans, want) {
		t.Errorf("with a bar: spans %v, want %v", spans, want)
	}
	if q == withBar || q.pix[120*q.w+182] != 255 {
		t.Error("the bar was not dropped from a copy")
	}
	// Two lines only: read whole.
	if spans, _ := frontSpans(textPlane(200, 100, lines[0], lines[1]), lineH); spans != nil {
		t.Errorf("two lines split into %v", spans)
	}
}

// TestPaddleLineCompact: the first blank longer than the line's height
// between its pieces of ink is cut to the line's height; later ones,
// the pieces themselves, and the margin of the photo around the line
// are kept.
func TestPaddleLineCompact(t *testing.T) {
	// Ink 20 rows high: a character, 60 blank columns, another, 30
	// blank columns, a third.
	tb := textPlane(220, 60, [4]int{20, 20, 40, 40}, [4]int{100, 20, 120, 40}, [4]int{150, 20, 170, 40})
	raw := newPlane(220, 60)
	for i := range raw.pix {
		raw.pix[i] = byte(i % 220) // each column its own value
	}
	full := paddleLine(raw, 20, 20, 170, 40)
	got := paddleLineCompact(raw, tb, 20, 20, 170, 40)
	// Blank columns 40..99 (60 > 20) keep 20 of them: 40 cut.
	if got.h != full.h || got.w != full.w-40 {
		t.Fatalf("%d×%d, want %d×%d", got.w, got.h, full.w-40, full.h)
	}
	// Left margin and first character as in the photo, then 10 blank
	// columns, the cut, 10 more, the second character, the second
	// blank whole, the third character and the right margin.
	row := got.pix[10*got.w : 11*got.w]
	for _, want := range []int{15, 20, 39, 40, 49, 90, 99, 100, 119, 120, 149, 150, 174} {
		if !slices.Contains(row, byte(want)) {
			t.Errorf("column %d of the photo missing", want)
		}
	}
	for _, gone := range []int{50, 70, 89} {
		if slices.Contains(row, byte(gone)) {
			t.Errorf("column %d of the photo kept", gone)
		}
	}
	// No long blank: the line as paddleLine cuts it.
	one := textPlane(220, 60, [4]int{20, 20, 170, 40})
	if g := paddleLineCompact(raw, one, 20, 20, 170, 40); !slices.Equal(g.pix, full.pix) {
		t.Error("a line without long blanks changed")
	}
}

// The lines of held-out and dev fronts (seed 80) as frontLines read
// them: aligned, one place down (a line above the name), and with a
// blank span between the sex and the birth lines.
func TestShiftedLines(t *testing.T) {
	for _, tc := range []struct {
		lines []string
		birth string
		want  bool
	}{
		{[]string{"刘丽", "女", "199224", "湖北省武汉市武昌区解", "路234号"}, "199224", false}, // aligned, a birth digit lost
		{[]string{"刘丽", "女", "", "湖北省武汉市"}, "1992624", false},                   // the birth digits read alone
		{[]string{"人", "", "", "19926124", "湖北省武汉市"}, "", true},                 // one place down
		{[]string{"人", "", "女彝", "1992年6月24日", "湖北省"}, "", true},
		{[]string{"吴兰静", "男蒙古", "", "195279", "陕西省西安市"}, "", true},
		{[]string{"人", "", "女彝", "住址1992年6月24日"}, "", true},         // a caption leads the line
		{[]string{"王军", "男汉", "", "北京市朝阳区"}, "", false},             // birth line not read, the address next
		{[]string{"王军", "男汉", "1990年1月1日", "1990年1月1日"}, "", false}, // the birth line holds a date
		{[]string{"王军", "男汉", "日", "198号院"}, "", false},             // three digits are no year
		{[]string{"王军", "男汉", "日"}, "", false},                      // no line after the birth line
		{[]string{"王军", "男汉", "日", "1990年1月1日"}, "19900101", false}, // the English model read a date
	} {
		if got := shiftedLines(tc.lines, tc.birth); got != tc.want {
			t.Errorf("shiftedLines(%q, %q) = %v, want %v", tc.lines, tc.birth, got, tc.want)
		}
	}
}

func TestDropBlankBirthLine(t *testing.T) {
	for _, tc := range []struct {
		lines []string
		birth string
		want  []string // nil: kept as they are
	}{
		{[]string{"吴兰静", "男蒙古", "", "195279", "陕西省西安市"}, "", []string{"吴兰静", "男蒙古", "195279", "陕西省西安市"}},
		{[]string{"吴兰静", "男蒙古", "-", "195279", "陕西省"}, "", []string{"吴兰静", "男蒙古", "195279", "陕西省"}},
		{[]string{"人", "", "", "19926124", "湖北省"}, "", nil},     // no sex read: the name is not there either
		{[]string{"人", "刘丽", "女彝", "19926124", "湖北省"}, "", nil}, // the third line holds characters
		{[]string{"吴兰静", "男蒙古", "", "195279", "陕西省"}, "7", nil}, // the English model read a digit in it
		{[]string{"吴兰静", "男蒙古", "1952年", "陕西省西安市"}, "", nil},    // aligned
	} {
		got, ok := dropBlankBirthLine(tc.lines, tc.birth)
		if ok != (tc.want != nil) || !slices.Equal(got, tc.want) {
			t.Errorf("dropBlankBirthLine(%q, %q) = %q, %v, want %q", tc.lines, tc.birth, got, ok, tc.want)
		}
	}
}

// TestPlaceLines: fronts read out of place (a card of 540 rows, 10 per
// millimetre) are placed from the line showing the number's date; fronts
// whose birth line is in its place are kept as read.
func TestPlaceLines(t *testing.T) {
	const h, born = 540, "1965-11-28"
	for _, tc := range []struct {
		name  string
		lines []string
		birth string
		spans [][2]int
		want  [][2]int // nil: kept as read
	}{
		{
			// The card's edge and a speck of glare read as lines
			// above the sex line: two places off.
			"two places off",
			[]string{"", "达高", "", "", "1965年11月28", "四川省成都市", "大街30号"}, "",
			[][2]int{{2, 25}, {100, 130}, {140, 150}, {165, 200}, {235, 262}, {300, 330}, {340, 370}},
			[][2]int{{100, 130}, {165, 200}, {235, 262}, {300, 330}, {340, 370}},
		},
		{
			// The sex line joined to glare below it (its centre low)
			// and a speck between it and the name: the name is the
			// line of a line's height nearest its place.
			"a speck above the sex line",
			[]string{"", "达高", "", "", "1965年11月28", "四川省成都市", "大街30号", "2004"}, "",
			[][2]int{{2, 25}, {88, 123}, {145, 159}, {161, 217}, {235, 262}, {304, 334}, {343, 381}, {382, 427}},
			[][2]int{{88, 123}, {161, 217}, {235, 262}, {304, 334}, {343, 381}, {382, 427}},
		},
		{
			// The birth line's digits split in two: its year leads.
			"year alone",
			[]string{"", "", "孙建", "男", "1965", "K7", "北京市"}, "",
			[][2]int{{10, 30}, {40, 60}, {100, 130}, {170, 195}, {235, 262}, {265, 280}, {300, 330}},
			[][2]int{{100, 130}, {170, 195}, {235, 262}, {265, 280}, {300, 330}},
		},
		{
			// The name lost: the birth line is second, the line
			// above it the sex; no line where the name is printed.
			"name lost",
			[]string{"男汉", "1965年11月28日", "北京市", "4号"}, "",
			[][2]int{{170, 200}, {240, 270}, {280, 300}, {310, 330}},
			[][2]int{{116, 116}, {170, 200}, {240, 270}, {280, 300}, {310, 330}},
		},
		{
			"in place",
			[]string{"陈慧嘉", "男满", "1965年11月28", "四川省"}, "",
			[][2]int{{100, 130}, {165, 200}, {235, 262}, {300, 330}},
			nil,
		},
		{
			// The English model read the birth line's digits.
			"digits read",
			[]string{"陈慧嘉", "男满", "", "1965年11月28"}, "19651128",
			[][2]int{{100, 130}, {165, 200}, {235, 262}, {300, 330}},
			nil,
		},
		{
			// Another date is no anchor: an address may hold digits.
			"no date of the number",
			[]string{"", "陈慧嘉", "男满", "1966年11月28", "四川省"}, "",
			[][2]int{{2, 25}, {100, 130}, {165, 200}, {235, 262}, {300, 330}},
			nil,
		},
	} {
		fr := frontRead{lines: tc.lines, birth: tc.birth, spans: tc.spans}
		got, ok := placeLines(fr, h, born)
		if ok != (tc.want != nil) || !slices.Equal(got, tc.want) {
			t.Errorf("%s: placeLines = %v, %v, want %v", tc.name, got, ok, tc.want)
		}
	}
}

func TestShowsBirth(t *testing.T) {
	for _, tc := range []struct {
		line, born string
		want       bool
	}{
		{"1965年11月28", "1965-11-28", true},
		{"1965年11月28日", "1965-11-28", true},
		{"出生1957", "1957-07-07", true}, // a caption leads; the rest lost
		{"19856月8", "1985-06-08", true},
		{"9856月8", "1985-06-08", false}, // no year
		{"1966年11月28", "1965-11-28", false},
		{"北京市1985号", "1985-06-08", false},
		{"", "1985-06-08", false},
	} {
		if got := showsBirth(tc.line, tc.born); got != tc.want {
			t.Errorf("showsBirth(%q, %q) = %v, want %v", tc.line, tc.born, got, tc.want)
		}
	}
}

func TestPlacesConfirmed(t *testing.T) {
	for _, tc := range []struct {
		lines []string
		birth string
		want  bool
	}{
		{[]string{"王军", "男汉", ""}, "", true},
		{[]string{"王军", "", "1990年1月1日"}, "", true},
		{[]string{"王军", "", ""}, "19900101", true}, // the English model's reading
		{[]string{"人", "", "", "1990年1月1日"}, "", false},
		{[]string{"人", "汉", "北京市"}, "", false}, // no sex: the ethnicity alone places nothing
		{[]string{"王军", "男汉"}, "", false},
	} {
		if got := placesConfirmed(tc.lines, tc.birth); got != tc.want {
			t.Errorf("placesConfirmed(%q, %q) = %v, want %v", tc.lines, tc.birth, got, tc.want)
		}
	}
}

// TestNameShort: a name line of three characters 30 rows high, each 30
// columns wide and set 34 apart, on a card 856 pixels wide (10 per
// millimetre), with a speck of the background to its left.
func TestNameShort(t *testing.T) {
	rects := [][4]int{{2, 20, 5, 23}, {40, 10, 70, 40}, {74, 10, 104, 40}, {108, 10, 138, 40}}
	p := textPlane(300, 60, rects...)
	if w := inkRunWidth(p, 10, 40, 15); w != 98 {
		t.Errorf("inkRunWidth = %d, want 98 (the speck apart)", w)
	}
	fr := frontRead{spans: [][2]int{{10, 40}}, tb: p}
	for _, tc := range []struct {
		n    int
		want bool
	}{
		{3, false}, // read whole
		{2, true},  // a character dropped
		{1, true},  // two dropped: ink beyond the name read
		{4, false},
	} {
		if got := nameShort(fr, 856, tc.n); got != tc.want {
			t.Errorf("nameShort(%d read) = %v, want %v", tc.n, got, tc.want)
		}
	}
	// A line with no place (an empty span) is never short.
	if nameShort(frontRead{spans: [][2]int{{30, 30}}, tb: p}, 856, 1) {
		t.Error("an empty span is short")
	}
}

// TestNameShortGlyphSize: the characters are counted at the line's own
// glyph size. The same three characters drawn at half the size (15 rows
// high, 17 apart) are 49 columns wide, under 5 mm of a card 856 pixels
// wide: three characters at their glyph size, but too short for three by
// their millimetres, so nothing is dropped from a name of two; on a card
// 428 pixels wide (5 per millimetre) they are three by both.
func TestNameShortGlyphSize(t *testing.T) {
	small := textPlane(300, 60, [4]int{40, 10, 55, 25}, [4]int{57, 10, 72, 25}, [4]int{74, 10, 89, 25})
	if nameShort(frontRead{spans: [][2]int{{10, 25}}, tb: small}, 856, 2) {
		t.Error("a small line of three read as two is short by 3.4 mm characters")
	}
	// The card 428 pixels wide: 5 per millimetre, the line's
	// characters 3.4 mm apart.
	if !nameShort(frontRead{spans: [][2]int{{10, 25}}, tb: small}, 428, 2) {
		t.Error("three characters at 5 px/mm read as two are not short")
	}
	if nameShort(frontRead{spans: [][2]int{{10, 25}}, tb: small}, 428, 3) {
		t.Error("three characters read whole are short")
	}
}

// strokeGlyph draws a character-like shape of strokes (three bars and
// two posts, each three pixels wide) of size s at (x, y) in grey v.
func strokeGlyph(p *plane, x, y, s int, v byte) {
	set := func(x0, y0, x1, y1 int) {
		for yy := y0; yy < y1; yy++ {
			for xx := x0; xx < x1; xx++ {
				p.pix[yy*p.w+xx] = v
			}
		}
	}
	for _, dy := range []int{0, s/2 - 1, s - 3} {
		set(x, y+dy, x+s, y+dy+3)
	}
	set(x, y, x+3, y+s)
	set(x+s-3, y, x+s, y+s)
}

// nameRaw returns a text block as photographed, ground 200, with a
// name of characters 30 pixels high set 34 apart from column 40, in
// the greys given.
func nameRaw(greys ...byte) *plane {
	raw := newPlane(432, 90)
	for i := range raw.pix {
		raw.pix[i] = 200
	}
	for i, v := range greys {
		strokeGlyph(raw, 40+34*i, 30, 30, v)
	}
	return raw
}

// TestNameInk: the first two characters printed black, a third
// lightened by a glare to 120 (darker than 80% of its neighbourhood,
// not than 62%): the cleaned block keeps two characters, the name's ink
// takes in the third. A thin line of the security pattern (one pixel,
// 120, also ink at 80%) 10 columns right of a name of two is not taken.
func TestNameInk(t *testing.T) {
	s := [2]int{30, 60}
	for _, tc := range []struct {
		name    string
		raw     *plane
		pattern bool
		printed int
		want    int // the name's last column
		short2  bool
	}{
		{"glare on the third", nameRaw(30, 30, 120), false, 3, 137, true},
		{"two and a pattern's line", nameRaw(30, 30), true, 2, 103, false},
	} {
		if tc.pattern {
			for y := 25; y < 65; y++ {
				tc.raw.pix[y*tc.raw.w+113] = 120
			}
		}
		tb := cleanAt(tc.raw.crop(0, 0, tc.raw.w, tc.raw.h), 24, 62)
		if x0, x1, _ := inkColumns(tb, s[0], s[1]); x0 != 40 || x1 != 103 {
			t.Fatalf("%s: the cleaned block's name at columns %d..%d, want 40..103 (two characters)", tc.name, x0, x1)
		}
		ni := nameInk(tb, tc.raw, s)
		if x0, x1, _ := inkColumns(ni, 0, ni.h); x0 != 40 || x1 != tc.want {
			t.Errorf("%s: the name's ink at columns %d..%d, want 40..%d", tc.name, x0, x1, tc.want)
		}
		fr := frontRead{spans: [][2]int{s}, tb: tb, nameInk: ni}
		if got := nameShort(fr, 960, 2); got != tc.short2 {
			t.Errorf("%s: two read: short %v, want %v", tc.name, got, tc.short2)
		}
		if nameShort(fr, 960, tc.printed) {
			t.Errorf("%s: read whole (%d): short", tc.name, tc.printed)
		}
		// The cleaned block alone lost the glare's character.
		if nameShort(frontRead{spans: [][2]int{s}, tb: tb}, 960, 2) {
			t.Errorf("%s: the cleaned block alone is short", tc.name)
		}
	}
	// The pattern's line is ink at glareInkPct: it is left out by its
	// density, not missed.
	raw := nameRaw(30, 30)
	for y := 25; y < 65; y++ {
		raw.pix[y*raw.w+113] = 120
	}
	if gl := glareRows(raw, s[0], s[1]); gl.pix[10*gl.w+113] >= 128 {
		t.Error("the pattern's line is not ink at glareInkPct")
	}
}

func TestForeignAddress(t *testing.T) {
	for _, tc := range []struct {
		addr string
		want bool
	}{
		{"四川省成都市武侯区朝阳北路18号", false},
		{"北京市朝阳区东风大街3号7栋2单元1201室", false},
		{"上海市徐汇区中山路179号A座1201室", false}, // a building's letter
		{"广东省深圳市南山区科技园B2栋", false},
		{"北京市海淀区学院路AB12号", false},              // two letters
		{"四川省成都市武保区朝阳北路18号WNRWNSUNNEME", true}, // a run of capitals after the number
		{"北京市朝阳区xyz路", true},
		{"", false},
		{"湖北省武汉市Ab1c武昌区", false}, // letters split by a digit
	} {
		if got := foreignAddress(tc.addr); got != tc.want {
			t.Errorf("foreignAddress(%q) = %v, want %v", tc.addr, got, tc.want)
		}
	}
}

func TestForeignAddressFromLines(t *testing.T) {
	// The lines parsed by place: a run of letters read into the address
	// is found in the parsed address, the sex and date parsed as usual.
	for _, tc := range []struct {
		lines []string
		want  bool
	}{
		{[]string{"王文", "女汉", "1977年4月8日", "住址四川省成都市武侯区朝阳北路18号WNRW"}, true},
		{[]string{"王文", "女汉", "1977年4月8日", "住址四川省成都市武侯区", "朝阳北路18号"}, false},
	} {
		var d kyc.DocumentRead
		parseLinesByPosition(tc.lines, &d)
		if d.Sex != "F" || d.BirthDate != "1977-04-08" {
			t.Errorf("parseLinesByPosition(%q): sex %q birth %q", tc.lines, d.Sex, d.BirthDate)
		}
		if got := foreignAddress(d.Address); got != tc.want {
			t.Errorf("foreignAddress of %q (from %q) = %v, want %v", d.Address, tc.lines, got, tc.want)
		}
	}
}

// BenchmarkNameInk times the name line's ink at the glare threshold on a
// text block of a card 960 pixels wide (432 columns, the name 30 rows
// high), the third character under a glare: run on every front whose
// lines are read.
func BenchmarkNameInk(b *testing.B) {
	raw := nameRaw(30, 30, 120)
	tb := cleanAt(raw.crop(0, 0, raw.w, raw.h), 24, 62)
	s := [2]int{30, 60}
	for b.Loop() {
		nameInk(tb, raw, s)
	}
}

func TestValueColumn(t *testing.T) {
	// The name's first character lost (its ink from column 74); the
	// sex, birth and address lines from columns 40, 43 and 40.
	p := textPlane(300, 160,
		[4]int{74, 10, 104, 40}, [4]int{108, 10, 138, 40},
		[4]int{40, 50, 65, 75}, [4]int{43, 85, 60, 110}, [4]int{40, 120, 200, 145})
	name := [2]int{10, 40}
	for _, tc := range []struct {
		spans [][2]int
		want  int
		ok    bool
	}{
		{[][2]int{name, {50, 75}, {85, 110}, {120, 145}}, 40, true}, // the median
		{[][2]int{name, {50, 75}, {85, 110}}, 43, true},             // of two, the later
		{[][2]int{name, {85, 110}, {120, 145}, {50, 75}}, 40, true}, // lines past the fourth not counted
		{[][2]int{name, {50, 75}}, 0, false},                        // one line
		{[][2]int{name, {150, 160}, {50, 75}}, 0, false},            // a blank place does not count
		{[][2]int{name}, 0, false},
	} {
		got, ok := valueColumn(p, tc.spans)
		if got != tc.want || ok != tc.ok {
			t.Errorf("valueColumn(%v) = %d, %v, want %d, %v", tc.spans, got, ok, tc.want, tc.ok)
		}
	}
}

// TestNameShortLead: a name of three whose first character a glare
// hid shows the ink of two (columns 74–138, 30 rows high): read as two
// it is short only when counted from the value column, 34 columns
// left of its ink (more than cnLeadChars of a pitch of 33).
func TestNameShortLead(t *testing.T) {
	p := textPlane(300, 60, [4]int{74, 10, 104, 40}, [4]int{108, 10, 138, 40})
	for _, tc := range []struct {
		lead, n int
		want    bool
	}{
		{0, 2, false},  // two characters, read as two
		{34, 2, true},  // a character's pitch left of the ink: one lost
		{34, 3, false}, // read whole (the recogniser shown the column)
		{10, 2, false}, // a few columns in: the column's own spread
	} {
		fr := frontRead{spans: [][2]int{{10, 40}}, tb: p, nameLead: tc.lead}
		if got := nameShort(fr, 856, tc.n); got != tc.want {
			t.Errorf("nameShort(lead %d, %d read) = %v, want %v", tc.lead, tc.n, got, tc.want)
		}
	}
}

func BenchmarkValueColumn(b *testing.B) {
	// A text block of a 960-pixel card: six lines, 30 rows high.
	var rects [][4]int
	for i := range 6 {
		rects = append(rects, [4]int{40, 20 + 70*i, 380, 50 + 70*i})
	}
	p := textPlane(432, 460, rects...)
	spans := [][2]int{{20, 50}, {90, 120}, {160, 190}, {230, 260}, {300, 330}, {370, 400}}
	for b.Loop() {
		valueColumn(p, spans)
	}
}

func TestCutAtValues(t *testing.T) {
	spans := [][2]int{{10, 40}, {50, 75}, {85, 110}, {120, 145}}
	for _, tc := range []struct {
		name string
		x    [5]int // the first ink column of the name and the next three lines
		want bool
	}{
		{"values a character in", [5]int{34, 33, 35, 34}, false},
		{"the block starts inside the values", [5]int{0, 0, 2, 0}, true},
		{"the name alone at the edge (a speck)", [5]int{0, 33, 35, 34}, false},
		{"the lines at the edge, the name in (a glare over its start)", [5]int{40, 0, 1, 0}, false},
		{"one line at the edge", [5]int{0, 0, 35, 34}, false},
	} {
		var rects [][4]int
		for i, s := range spans {
			rects = append(rects, [4]int{tc.x[i], s[0], tc.x[i] + 60, s[1]})
		}
		fr := frontRead{spans: spans, tb: textPlane(300, 160, rects...)}
		if got := cutAtValues(fr); got != tc.want {
			t.Errorf("%s: cutAtValues = %v, want %v", tc.name, got, tc.want)
		}
	}
	if cutAtValues(frontRead{}) {
		t.Error("no lines: cut")
	}
}

func TestSexLineFirst(t *testing.T) {
	const h = 540 // 10 rows a millimetre: the name 64 rows above the sex line
	spans := [][2]int{{170, 200}, {240, 270}, {310, 340}, {360, 390}}
	for _, tc := range []struct {
		name  string
		lines []string
		spans [][2]int
		want  [][2]int // nil: kept as read
	}{
		{"the sex line and its caption read as the name", []string{"女民族舞", "", "", "路17号"}, spans,
			[][2]int{{106, 136}, {170, 200}, {240, 270}, {310, 340}, {360, 390}}},
		{"the caption lost, an official name", []string{"男蒙古", "1965年11月28日", "北京市", "4号"}, spans,
			[][2]int{{106, 136}, {170, 200}, {240, 270}, {310, 340}, {360, 390}}},
		{"with the sex's caption", []string{"性别男民族汉", "1965年11月28日", "北京市", "4号"}, spans,
			[][2]int{{106, 136}, {170, 200}, {240, 270}, {310, 340}, {360, 390}}},
		{"a name", []string{"王丽", "女民族汉", "1965年11月28日", "北京市"}, spans, nil},
		{"a name read after a stray 女", []string{"女王丽", "女民族汉", "1965年11月28日", "北京市"}, spans, nil},
		{"no room above", []string{"女民族汉", "1965年11月28日", "北京市", "4号"},
			[][2]int{{40, 70}, {110, 140}, {180, 210}, {230, 260}}, nil},
		{"too few lines", []string{"女民族汉", "1965年11月28日"}, spans[:2], nil},
	} {
		got, ok := sexLineFirst(frontRead{lines: tc.lines, spans: tc.spans}, h)
		if ok != (tc.want != nil) || !slices.Equal(got, tc.want) {
			t.Errorf("%s: sexLineFirst = %v, %t; want %v", tc.name, got, ok, tc.want)
		}
	}
}
