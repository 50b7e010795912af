package docread

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/kycq/kycq/imagecheck"
	"github.com/kycq/kycq/kyc"
)

// reading builds a name reading from its characters, their confidences
// and each one's runner-ups.
func reading(text string, conf []float32, runnerUps ...[]tessChoice) nameReading {
	nr := nameReading{text: []rune(text), conf: conf}
	for i := range nr.text {
		var ch []tessChoice
		if i < len(runnerUps) {
			ch = runnerUps[i]
		}
		nr.choices = append(nr.choices, append([]tessChoice{{string(nr.text[i]), conf[i]}}, ch...))
	}
	return nr
}

func TestNameAlternatives(t *testing.T) {
	sure := []float32{99, 98}
	for _, tc := range []struct {
		name  string
		voted string
		reads []nameReading
		want  []string
	}{
		{"sure everywhere", "张伟", []nameReading{reading("张伟", sure), reading("张伟", sure)}, []string{"", ""}},
		{"readings disagree", "张鑫", []nameReading{reading("张鑫", sure), reading("张春", sure)}, []string{"", "春"}},
		{"low confidence, no candidate", "张讲", []nameReading{reading("张讲", []float32{99, 57})}, []string{"", "?"}},
		{"close runner-up", "张讲", []nameReading{reading("张讲", []float32{99, 97}, nil, []tessChoice{{"鑫", 40}, {"大", 0}})},
			[]string{"", "鑫"}},
		{"runner-up far behind", "张伟", []nameReading{reading("张伟", sure, nil, []tessChoice{{"传", 5}})}, []string{"", ""}},
		{"non-Han candidates ignored", "张伟", []nameReading{reading("张伟", sure, nil, []tessChoice{{"1", 90}, {"，", 90}})}, []string{"", ""}},
		{"readings of another length ignored", "张伟", []nameReading{reading("张伟", sure), reading("张伟伟", []float32{99, 98, 10})}, []string{"", ""}},
		{"candidates gathered over readings", "李价舌", []nameReading{
			reading("李价舌", []float32{98, 73, 84}, nil, []tessChoice{{"和", 78}}, []tessChoice{{"奉", 15}}),
			reading("李多磊", []float32{97, 83, 85}),
		}, []string{"", "和多", "奉磊"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := nameAlternatives([]rune(tc.voted), tc.reads); !slices.Equal(got, tc.want) {
				t.Errorf("nameAlternatives = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestOnlyUncertainDiffer(t *testing.T) {
	for _, tc := range []struct {
		name, read, typed string
		alts              []string
		want              bool
	}{
		{"equal", "张伟", "张伟", []string{"", "?"}, false},
		{"differs where unsure", "张讲", "张鑫", []string{"", "?"}, true},
		{"differs where sure", "张讲", "王讲", []string{"", "?"}, false},
		{"differs at both", "张讲", "王鑫", []string{"", "春"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := onlyUncertainDiffer([]rune(tc.read), []rune(tc.typed), tc.alts); got != tc.want {
				t.Errorf("onlyUncertainDiffer(%q, %q, %q) = %v, want %v", tc.read, tc.typed, tc.alts, got, tc.want)
			}
		})
	}
}

func TestHanReading(t *testing.T) {
	nr := hanReading([]tessSymbol{
		{tessChoice: tessChoice{"张", 99}}, {tessChoice: tessChoice{":", 90}},
		{tessChoice: tessChoice{"鑫", 60}, choices: []tessChoice{{"鑫", 30}, {"春", 20}}}, {tessChoice: tessChoice{"AB", 90}},
	})
	if string(nr.text) != "张鑫" || !slices.Equal(nr.conf, []float32{99, 60}) || len(nr.choices) != 2 || len(nr.choices[1]) != 2 {
		t.Errorf("hanReading = %+v", nr)
	}
}

// TestReadCNNameTyped reads mainland fronts photographed small, each
// with the holder's name typed and with a relative's (the last character
// changed): the holder's name must never be a clear mismatch where it
// was read exactly, and a relative's must never agree; a misread holder's
// name must not agree either (the name read is the reading, never the
// typed one).
func TestReadCNNameTyped(t *testing.T) {
	r := fullReader(t)
	rng := rand.New(rand.NewPCG(20261203, 7))
	given := []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚")
	for i := range 4 {
		f := randomCNFront(rng)
		if i%2 == 0 {
			f.name = string([]rune(f.name)[:1]) + "鑫"
		}
		o := sceneOpts{w: 760, h: 570, fill: 0.8, seed: rng.Uint64(), angle: rng.Float64()*6 - 3, noise: 4, jpegQ: 80}
		photo := photograph(t, renderCNFront(t, f, true), o)
		rs := []rune(f.name)
		rel := slices.Clone(rs)
		for rel[len(rel)-1] == rs[len(rs)-1] {
			rel[len(rel)-1] = given[rng.IntN(len(given))]
		}
		for _, typed := range []string{f.name, string(rel)} {
			h := cnHint
			h.LocalName = typed
			res, err := r.Read(context.Background(), photo, imagecheck.Front, h)
			if err != nil {
				t.Fatal(err)
			}
			d := res.Data
			if d.NameAlternatives != nil && len(d.NameAlternatives) != len([]rune(d.Name)) {
				t.Errorf("front %d: %d alternatives for a name of %d characters", i, len(d.NameAlternatives), len([]rune(d.Name)))
			}
			got := kyc.CompareReadName(typed, d.Name, d.NameAlternatives)
			switch {
			case typed != f.name && got == kyc.NameAgrees:
				t.Errorf("front %d: a relative's name agrees", i)
			case typed == f.name && d.Name == f.name && got != kyc.NameAgrees:
				t.Errorf("front %d: the holder's name read exactly compares %v", i, got)
			case typed == f.name && d.Name != f.name && got == kyc.NameAgrees:
				t.Errorf("front %d: a misread name agrees", i)
			}
			t.Logf("front %d, typed %s: %v (uncertain characters: %d)", i, map[bool]string{true: "own", false: "relative"}[typed == f.name], got, uncertainCount(d.NameAlternatives))
		}
	}
}

func uncertainCount(alts []string) int {
	n := 0
	for _, a := range alts {
		if a != "" {
			n++
		}
	}
	return n
}

func TestAllUncertain(t *testing.T) {
	if got := allUncertain("欧阳娜"); !slices.Equal(got, []string{"?", "?", "?"}) {
		t.Errorf("allUncertain = %q", got)
	}
	if got := allUncertain(""); got != nil {
		t.Errorf("allUncertain of no name = %q", got)
	}
}
