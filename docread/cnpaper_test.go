package docread

import "testing"

// TestReadCNNumberOCRBGlarePaper: a card whose paper is grey (the print
// darkened to 70%) under a glare over the number's first three glyphs
// (their darkness halved, paper and ink alike). The 18 glyphs are found
// at 70% and at glareInkPct, but isolated on the paper of all the boxes,
// the glare's glyphs are sampled inside a frame of darker grey and score
// low: no reading is vouched for. Isolated on their own boxes' paper they
// are read, at glareInkPct.
func TestReadCNNumberOCRBGlarePaper(t *testing.T) {
	num := "110101199003074514"
	c := glarePaperCard(t, num)
	b := c.crop(int(cnNumberOnly[0]*float64(c.w)), int(cnNumberOnly[1]*float64(c.h)), c.w, c.h)
	for _, tc := range []struct {
		pct          uint32
		local, found bool
		want         string
	}{
		{62, false, false, ""},
		{70, false, true, ""},
		{70, true, true, ""},
		{glareInkPct, false, true, ""},
		{glareInkPct, true, true, num},
	} {
		bs := glyphBoxesAt(b, c.h, tc.pct)
		if (bs != nil) != tc.found {
			t.Errorf("at %d%%: %d boxes, found %t", tc.pct, len(bs), tc.found)
			continue
		}
		if bs == nil {
			continue
		}
		if got, _, _, _, ok := classifyCNNumber(b, bs, tc.local); got != tc.want || ok != (tc.want != "") {
			t.Errorf("at %d%%, each box's paper %t: read %q %t, want %q", tc.pct, tc.local, got, ok, tc.want)
		}
	}
	if r, _ := readCNNumberOCRB(c); !r.ok || r.num != num {
		t.Errorf("read %q %t, want %q", r.num, r.ok, num)
	}
}

// glarePaperCard is the card of TestReadCNNumberOCRBGlarePaper: the
// print darkened to 70%, the number's first three glyphs under a glare.
func glarePaperCard(t testing.TB, num string) *plane {
	c, boxes := cnNumberCard(t, num)
	for i := range c.pix {
		c.pix[i] = byte(float64(c.pix[i]) * 0.7)
	}
	for y := 0; y < c.h; y++ {
		for x := 0; x < boxes[2].x1+4; x++ {
			c.pix[y*c.w+x] = byte(255 - (255-float64(c.pix[y*c.w+x]))*0.5)
		}
	}
	return c
}
