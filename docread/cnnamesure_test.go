package docread

import (
	"context"
	"testing"

	"github.com/kycq/kycq/imagecheck"
	"github.com/kycq/kycq/kyc"
)

func TestNameDoubtful(t *testing.T) {
	for _, tc := range []struct {
		name string
		alts []string
		want bool
	}{
		{"林兰", nil, false},
		{"林兰了", []string{"", "", "?"}, true},
		{"林兰了", []string{"", "", "子"}, false},
		{"高敏", []string{"", "?"}, false},
		{"欧阳娜海", []string{"?", "", "", ""}, false},
		{"林兰一了", []string{"", "", "丨", "?"}, true},
		{"林兰一了", []string{"", "", "丨", "子"}, true},
		{"买买提艾力", nil, false},
		{"买买提艾力", []string{"", "", "", "", "?"}, true},
		{"林兰", []string{"?", "?"}, false},
		{"罗英欣人", []string{"", "", "", "儿"}, true},  // a character read past the name, unsure with a candidate
		{"罗英欣人", []string{"", "", "", "?"}, true},  // without one
		{"欧阳娜海", []string{"", "", "", "每"}, true},  // four characters printed, the last unsure: a retake
		{"黄建磊", []string{"", "", "嘉"}, false},      // three characters, the last unsure with a candidate: review
		{"欧阳娜海", []string{"", "", "奶", ""}, false}, // four, one unsure inside the name
	} {
		if got := nameDoubtful(tc.name, tc.alts); got != tc.want {
			t.Errorf("%s %q: %t, want %t", tc.name, tc.alts, got, tc.want)
		}
	}
}

// TestReadCNNameSmudge: a front printing 林兰 with a dark stroke of a
// smudge after the name, about a character's width on, at the height of
// a 一's stroke. The name may be read exactly; read with the smudge as a
// character, the front is not vouched for (the smudge is read as 一,
// unsure without a candidate: nameDoubtful).
func TestReadCNNameSmudge(t *testing.T) {
	r := fullReader(t)
	f := cnFront{"林兰", "男", "汉", "1951", "11", "22", []string{"广东省广州市天河区长江路215号"}, "440106195111225092"}
	g := renderCNFront(t, f, true)
	// The name is drawn from x 160 at 36 px: two characters end near
	// x 232; its strokes' middle is near y 78.
	for y := 76; y < 80; y++ {
		for x := 248; x < 272; x++ {
			g.Pix[y*g.Stride+x] = min(g.Pix[y*g.Stride+x], 90)
		}
	}
	photo := photograph(t, g, sceneOpts{w: 760, h: 570, fill: 0.8, seed: 5, noise: 4, jpegQ: 80})
	h := cnHint
	h.LocalName = f.name
	res, err := r.Read(context.Background(), photo, imagecheck.Front, h)
	if err != nil {
		t.Fatal(err)
	}
	d := res.Data
	t.Logf("name %q, alternatives %q, readable %t", d.Name, d.NameAlternatives, d.Readable)
	if d.DocumentNumber != f.number {
		t.Fatalf("number read %q, want %q", d.DocumentNumber, f.number)
	}
	if d.Name != f.name && d.Readable {
		t.Errorf("name read %q for %q, vouched for", d.Name, f.name)
	}
}

func TestSameDoubtfulEnd(t *testing.T) {
	first := kyc.DocumentRead{Name: "林兰了", NameAlternatives: []string{"", "", "?"}}
	for _, tc := range []struct {
		name string
		want bool
	}{{"林兰了", true}, {"林兰", false}, {"林兰子", false}} {
		if got := sameDoubtfulEnd(first, tc.name); got != tc.want {
			t.Errorf("%s after %s: %t, want %t", tc.name, first.Name, got, tc.want)
		}
	}
	sure := kyc.DocumentRead{Name: "胡兰霞", NameAlternatives: []string{"", "", "管"}}
	if sameDoubtfulEnd(sure, "胡兰霞") {
		t.Error("a name not doubtful binds a later framing")
	}
}
