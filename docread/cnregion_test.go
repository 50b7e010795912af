package docread

import (
	"strings"
	"testing"
)

// glyphScores returns the templates' scores of a number's 18 glyphs
// read as num: each glyph's character 0.85, every other 0.3, but for
// the scores set (position, character, score).
func glyphScores(num string, set ...struct {
	at int
	ch byte
	v  float32
}) []cellScores {
	sc := make([]cellScores, len(num))
	for i := range sc {
		for k := range sc[i] {
			sc[i][k] = 0.3
		}
		sc[i][strings.IndexByte(mrzAlphabet, num[i])] = 0.85
	}
	for _, s := range set {
		sc[s.at][strings.IndexByte(mrzAlphabet, s.ch)] = s.v
	}
	return sc
}

type setScore = struct {
	at int
	ch byte
	v  float32
}

func TestProvinceOpen(t *testing.T) {
	// 230104… and 310104… differ in their first two digits and both
	// check (3·7 + 1·9 = 2·7 + 3·9 − 11); 320102… is 31 but for one
	// digit, which another digit can balance (310107…, 310102…21…).
	const (
		hlj   = "230104198809034206"
		sh    = "310104198809034206"
		js    = "320102199001011232"
		shAlt = "310107199001011232"
	)
	for _, tc := range []struct {
		name     string
		num      string
		sc       []cellScores
		addr     string
		alt      string
		wantOpen bool
	}{
		{"the address's province", sh, nil, "上海市徐汇区幸福里233号", "", false},
		{"no province in the address", hlj, nil, "徐汇区幸福里233号", "", false},
		{"no address", hlj, nil, "", "", false},
		{"another province, no templates' scores", hlj, nil, "上海市徐汇区幸福里233号", "", true},
		{"another province, the glyphs sure", hlj, glyphScores(hlj), "上海市徐汇区幸福里233号", "", false},
		{"another province, both digits open, the templates' best the address's", hlj,
			glyphScores(hlj, setScore{0, '2', 0.30}, setScore{0, '3', 0.47}, setScore{1, '3', 0.20}, setScore{1, '1', 0.46}),
			"上海市徐汇区幸福里233号", sh, true},
		{"another province, both digits open, the number's the best", hlj,
			glyphScores(hlj, setScore{0, '3', 0.80}, setScore{1, '1', 0.78}),
			"上海市徐汇区幸福里233号", "", true},
		{"another province, one digit open, the other ruled out", hlj,
			glyphScores(hlj, setScore{0, '3', 0.80}, setScore{1, '1', 0.70}),
			"上海市徐汇区幸福里233号", "", false},
		{"another province, no number of it within two glyphs", hlj, nil, "北京市朝阳区建设路1号", "", false},
		{"one digit off, the glyphs sure", js, glyphScores(js), "上海市黄浦区", "", false},
		{"one digit off, no templates' scores", js, nil, "上海市黄浦区", "", true},
		{"one digit off, balanced in the address code, both the best", js,
			glyphScores(js, setScore{1, '1', 0.88}, setScore{5, '7', 0.90}),
			"上海市黄浦区", shAlt, true},
		{"one digit off, balanced in the address code, the number's the best", js,
			glyphScores(js, setScore{1, '1', 0.80}, setScore{5, '7', 0.80}),
			"上海市黄浦区", "", true},
		{"one digit off, balanced in the birth date", js,
			glyphScores(js, setScore{1, '1', 0.88}, setScore{12, '2', 0.90}),
			"上海市黄浦区", "", true},
		{"one digit off, its balance ruled out", js,
			glyphScores(js, setScore{1, '1', 0.88}),
			"上海市黄浦区", "", false},
	} {
		alt, open := provinceOpen(tc.num, tc.sc, tc.addr)
		if alt != tc.alt || open != tc.wantOpen {
			t.Errorf("%s: provinceOpen = %q, %t; want %q, %t", tc.name, alt, open, tc.alt, tc.wantOpen)
		}
	}
}

// BenchmarkProvinceOpen: a number one digit off the address's province,
// every balancing character tried, none open.
func BenchmarkProvinceOpen(b *testing.B) {
	const js = "320102199001011232"
	sc := glyphScores(js, setScore{1, '1', 0.88})
	for b.Loop() {
		if _, open := provinceOpen(js, sc, "上海市黄浦区"); open {
			b.Fatal("open")
		}
	}
}
