package docread

import "testing"

// sexLinePlane returns a cleaned sex line 20 rows high (ink black on
// white, 240 columns) with ink in the column runs given, full height.
func sexLinePlane(runs ...[2]int) *plane {
	p := newPlane(240, 20)
	for i := range p.pix {
		p.pix[i] = 255
	}
	for _, r := range runs {
		for y := range p.h {
			for x := r[0]; x < r[1]; x++ {
				p.pix[y*p.w+x] = 0
			}
		}
	}
	return p
}

// The line's parts, in columns, for a line 20 rows high: the sex at 10
// (one character), the caption at 3 heights from it (two characters
// with a gap of 8 between, 2 heights in all), the ethnicity at 7.
var (
	sexRun     = [2]int{10, 30}
	captionA   = [2]int{70, 86}
	captionB   = [2]int{94, 110}
	ethnicRun  = [2]int{150, 170}
	patternDot = [2]int{200, 203}
)

func TestBlankRuns(t *testing.T) {
	p := sexLinePlane(sexRun, captionA, captionB, ethnicRun)
	got := blankRuns(p, 10, 0, 170, 20, 20)
	want := [][2]int{{30, 70}, {110, 150}} // the gap of 8 inside the caption is short
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("blankRuns = %v, want %v", got, want)
	}
	if got := blankRuns(p, 10, 0, 170, 20, 7); len(got) != 3 || got[1] != [2]int{86, 94} {
		t.Errorf("blankRuns longer than 7 = %v, want the caption's gap too", got)
	}
	if got := blankRuns(p, 0, 0, 240, 20, 20); len(got) != 2 {
		t.Errorf("blankRuns of the whole row = %v: blanks at its ends end no run", got)
	}
}

func TestSexLineCut(t *testing.T) {
	for _, tc := range []struct {
		name string
		runs [][2]int
		want [2]int
		ok   bool
	}{
		{"sex, caption, ethnicity", [][2]int{sexRun, captionA, captionB, ethnicRun}, [2]int{40, 140}, true},
		{"caption lost", [][2]int{sexRun, ethnicRun}, [2]int{}, false},
		{"a speck after the ethnicity", [][2]int{sexRun, captionA, captionB, ethnicRun, patternDot}, [2]int{}, false},
		{"caption lost, a speck after a one-character ethnicity", [][2]int{sexRun, {70, 90}, {130, 133}}, [2]int{}, false},
		{"middle group too close to the sex", [][2]int{sexRun, {32 + 20, 52 + 20}, {120, 140}}, [2]int{}, false},
		{"ethnicity too close to the sex", [][2]int{sexRun, {52, 68}, {76, 92}, {115, 135}}, [2]int{}, false},
	} {
		p := sexLinePlane(tc.runs...)
		x0, x1, _ := inkColumns(p, 0, p.h)
		got, ok := sexLineCut(p, x0, 0, x1+1, p.h)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%s: sexLineCut = %v, %t; want %v, %t", tc.name, got, ok, tc.want, tc.ok)
		}
	}
}

// TestPaddleSexLine: the line PaddleOCR reads is the sex, one blank of
// the line's height, then the ethnicity, with paddleLine's margin of 5
// (a quarter of the height) on each side; a line without its caption is
// compacted as before.
func TestPaddleSexLine(t *testing.T) {
	p := sexLinePlane(sexRun, captionA, captionB, ethnicRun)
	l := paddleSexLine(p, p, 10, 0, 170, 20)
	if l == nil || l.w != 5+20+20+20+5 {
		t.Fatalf("width %v, want 70", l)
	}
	for x := range l.w {
		want := byte(255)
		if x >= 5 && x < 25 || x >= 45 && x < 65 {
			want = 0
		}
		if v := l.pix[10*l.w+x]; v != want {
			t.Fatalf("column %d is %d, want %d", x, v, want)
		}
	}
	q := sexLinePlane(sexRun, ethnicRun)
	a, b := paddleSexLine(q, q, 10, 0, 170, 20), paddleLineCompact(q, q, 10, 0, 170, 20)
	if a.w != b.w || a.w != 5+20+20+20+5 {
		t.Errorf("without a caption: width %d, compacted %d, want 70", a.w, b.w)
	}
}

// sexLineKeys are the classes of the tests' outputs: the blank, the
// line's characters, 葬 (which the model reads for 彝), then a space.
var sexLineKeys = []rune{0, '男', '民', '族', '彝', '汉', '葬', '克', ' '}

// sexLineProbs returns an output of the recogniser over sexLineKeys:
// per step, the given probabilities of some classes, the rest of the
// step's mass on the blank.
func sexLineProbs(steps ...map[rune]float32) []float32 {
	n := len(sexLineKeys)
	out := make([]float32, len(steps)*n)
	for t, s := range steps {
		rest := float32(1)
		for j, r := range sexLineKeys {
			if p, ok := s[r]; ok && j > 0 {
				out[t*n+j] = p
				rest -= p
			}
		}
		out[t*n] = rest
	}
	return out
}

func TestKeepClasses(t *testing.T) {
	probs := sexLineProbs(map[rune]float32{'葬': 0.84, '彝': 0.05, '克': 0.1})
	got := keepClasses(probs, len(sexLineKeys), sexLineKeys, "彝")
	want := []float32{probs[0], 0, 0, 0, 0.05, 0, 0, 0, 0}
	for j := range want {
		if got[j] != want[j] {
			t.Fatalf("kept %v, want %v", got, want)
		}
	}
	if probs[6] != 0.84 {
		t.Error("the output was changed")
	}
}

func TestSexLineText(t *testing.T) {
	blank := map[rune]float32{}
	for _, tc := range []struct {
		name  string
		steps []map[rune]float32
		want  string
	}{
		{"彝 read 葬: decoded among the line's characters", []map[rune]float32{{'男': 0.99}, blank, {'葬': 0.84, '彝': 0.12}}, "男彝"},
		{"an official name read: kept", []map[rune]float32{{'男': 0.99}, blank, {'汉': 0.6, '彝': 0.3}}, "男汉"},
		{"restricted, no official name either", []map[rune]float32{{'男': 0.99}, blank, {'葬': 0.84, '克': 0.1}}, "男葬"},
		{"no sex read: not decoded again", nil, ""},
		{"the restricted decoding's sex differs", []map[rune]float32{{'葬': 0.6, '男': 0.3}, blank, {'葬': 0.84, '彝': 0.05}}, "葬葬"},
		{"with its caption", []map[rune]float32{{'男': 0.99}, {'民': 0.9}, {'族': 0.9}, {'葬': 0.7, '彝': 0.2}}, "男民族彝"},
	} {
		got := sexLineText(sexLineProbs(tc.steps...), len(tc.steps), len(sexLineKeys), sexLineKeys)
		if got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestSexLineParts(t *testing.T) {
	for _, tc := range []struct{ line, sex, eth string }{
		{"男民族汉", "男", "汉"},
		{"女彝", "女", "彝"},       // the caption lost
		{"性别男民族蒙古", "男", "蒙古"}, // the caption before the sex
		{"男民族维吾乐", "男", "维吾尔"}, // snapped
		{"女葬", "女", "葬"},       // no official name: as read
		{"男", "男", ""},
		{"", "", ""},
	} {
		if sex, eth := sexLineParts(tc.line); sex != tc.sex || eth != tc.eth {
			t.Errorf("sexLineParts(%q) = %q, %q; want %q, %q", tc.line, sex, eth, tc.sex, tc.eth)
		}
	}
}
