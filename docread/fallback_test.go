package docread

import (
	"context"
	"math"
	"testing"

	"github.com/kycq/kycq/imagecheck"
	"github.com/kycq/kycq/kyc"
)

// A back whose outline is wrong (a tile of the table, a sheet beside
// the card) is still read: from the line of digits where the back prints
// its validity period, or from the whole photo.
func TestCNBackWrongOutline(t *testing.T) {
	r := fullReader(t)
	photo := photograph(t, renderCNBack(t, "深圳市公安局南山分局", "2014.10.16-2034.10.16", true),
		sceneOpts{w: 1600, h: 1200, fill: 0.6, angle: 7, persp: 0.03, noise: 4, jpegQ: 80, seed: 5})
	dec, err := imagecheck.Decode(photo, workSize, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range [][4][2]float64{
		{{10, 10}, {300, 12}, {298, 200}, {12, 198}}, // a tile in a corner
		{{0, 0}, {float64(dec.Gray.Rect.Dx()) / 2, 0}, {float64(dec.Gray.Rect.Dx()) / 2, float64(dec.Gray.Rect.Dy())}, {0, float64(dec.Gray.Rect.Dy())}}, // half the photo
	} {
		src := &source{p: planeFromGray(dec.Gray), scale: dec.Scale, doc: q, hasDoc: true}
		res := &Result{Timings: timings{}}
		if err := r.readCNID(context.Background(), src, imagecheck.Back, "", res); err != nil {
			t.Fatal(err)
		}
		d := res.Data
		if d.Kind != kyc.ReadCNIDBack || d.IssueDate != "2014-10-16" || d.ExpiryDate != "2034-10-16" || !d.Readable {
			t.Errorf("outline %v: read %q %q %q readable %v", q, d.Kind, d.IssueDate, d.ExpiryDate, d.Readable)
		}
		if len(res.Zone) != 4 {
			t.Errorf("outline %v: zone %v", q, res.Zone)
		}
	}
}

// A zone whose filler run broke off one line (a security line or a
// glare patch across it) is located on the grid of the whole line beside
// it; without a whole line nothing is guessed.
func TestGroupPartialMRZ(t *testing.T) {
	whole := textLine{x0: 100, y0: 200, ux: 12, uy: 0.5, n: 44, v: 200}
	// The second line, 2.2 pitches lower, chained only over its first
	// 28 cells, its fit a little off the grid.
	broken := textLine{x0: 100 - 0.55 + 0.3, y0: 200 + 26.4 + 0.2, ux: 12.05, uy: 0.5, n: 28, v: 226.4}
	if got := groupMRZ([]textLine{whole, broken}, false); len(got) != 0 {
		t.Fatalf("whole groups only: %d candidates", len(got))
	}
	got := groupMRZ([]textLine{whole, broken}, true)
	if len(got) != 1 || len(got[0].lines) != 2 {
		t.Fatalf("partial groups: %+v", got)
	}
	l := got[0].lines[1]
	if l.n != 44 {
		t.Errorf("projected line has %d cells", l.n)
	}
	for _, i := range []float64{0, 27, 43} {
		x, y, _, _ := l.centre(i)
		wx, wy, _, _ := whole.centre(i)
		if dx, dy := x-(wx-0.55), y-(wy+26.4); dx*dx+dy*dy > 1 {
			t.Errorf("cell %v at (%.1f, %.1f), want (%.1f, %.1f)", i, x, y, wx-0.55, wy+26.4)
		}
	}
	// Half the line (a glare patch over the first fillers, the rest
	// chained apart): still taken on the whole line's grid.
	half := broken
	half.n = 22
	if got := groupMRZ([]textLine{whole, half}, true); len(got) != 1 || got[0].lines[1].n != 44 {
		t.Errorf("a 22-cell fragment: %+v", got)
	}
	// Too short a fragment, or no whole line: nothing.
	short := broken
	short.n = 21
	if got := groupMRZ([]textLine{whole, short}, true); len(got) != 0 {
		t.Errorf("a 21-cell fragment made %d candidates", len(got))
	}
	other := broken
	other.n, other.v, other.y0 = 30, 252.8, 252.8
	if got := groupMRZ([]textLine{broken, other}, true); len(got) != 0 {
		t.Errorf("no whole line, %d candidates", len(got))
	}
}

// A zone with a character washed out by glare (its ink lighter than
// halfway between the zone's ink and paper) is vouched for only when
// that character kept half the zone's contrast and was recognised with
// confidence; a zone evenly printed, or under an even shadow, is.
func TestWashedOut(t *testing.T) {
	const text = "P<UTOERIKSSON<<ANNA<MARIA<<<<<"
	// zone draws 30 cells 12 px apart, each a bar of ink inkOf(k) on
	// paper, and cell 7's paper paperAt7 (a glare patch lifts both).
	zone := func(inkOf func(k int) byte, paper, paperAt7 byte) (*plane, []textLine, []string) {
		p := blank(400, 60, paper)
		fillRect(p, 20+12*7-6, 18, 20+12*7+6, 42, paperAt7)
		l := textLine{x0: 20, y0: 30, ux: 12, n: 30}
		for k := 0; k < l.n; k++ {
			x := 20 + 12*k
			fillRect(p, x-2, 24, x+2, 36, inkOf(k))
		}
		return p, []textLine{l}, []string{text}
	}
	// scores: every cell's own character at best, the next class lead
	// behind; cell 7 scoring s7.
	scores := func(best7, lead7 float32) [][]cellScores {
		sc := make([][]cellScores, 1)
		sc[0] = make([]cellScores, len(text))
		for k := range text {
			best, lead := float32(0.95), float32(0.3)
			if k == 7 {
				best, lead = best7, lead7
			}
			for c := range sc[0][k] {
				sc[0][k][c] = best - lead - 0.1
			}
			sc[0][k][indexOf(text[k])] = best
			sc[0][k][(indexOf(text[k])+1)%len(mrzAlphabet)] = best - lead
		}
		return sc
	}
	sure := scores(0.95, 0.3)
	flat := func(int) byte { return 30 }
	p, ls, txt := zone(flat, 220, 220)
	if washedOut(p, kyc.ReadTD1, ls, txt, sure) {
		t.Error("an even zone washed out")
	}
	p, ls, txt = zone(func(int) byte { return 20 }, 120, 120)
	if washedOut(p, kyc.ReadTD1, ls, txt, sure) {
		t.Error("a zone in shadow washed out")
	}
	glared := func(ink byte) func(k int) byte {
		return func(k int) byte {
			if k == 7 {
				return ink
			}
			return 30
		}
	}
	// Erased: ink 150 on paper 220 keeps 70 of the zone's 190 levels.
	p, ls, txt = zone(glared(150), 220, 220)
	if !washedOut(p, kyc.ReadTD1, ls, txt, sure) {
		t.Error("an erased character not seen")
	}
	// Lifted: ink 130 on paper 250 keeps 120 of 190, over half.
	p, ls, txt = zone(glared(130), 220, 250)
	if washedOut(p, kyc.ReadTD1, ls, txt, sure) {
		t.Error("a lifted character read with confidence made a retake")
	}
	if !washedOut(p, kyc.ReadTD1, ls, txt, scores(0.75, 0.3)) {
		t.Error("a lifted character scoring 0.75 vouched for")
	}
	if !washedOut(p, kyc.ReadTD1, ls, txt, scores(0.95, 0.03)) {
		t.Error("a lifted character 0.03 ahead of the next vouched for")
	}
	// A filler is thin: its contrast does not count.
	p, ls, txt = zone(func(k int) byte {
		if k == 1 {
			return 150
		}
		return 30
	}, 220, 220)
	if washedOut(p, kyc.ReadTD1, ls, txt, sure) {
		t.Error("a light filler counted")
	}
}

// A back issued in the future is a misread, never vouched for.
func TestSetBackFuture(t *testing.T) {
	var d kyc.DocumentRead
	setBack(&d, "2006-10-30", "", true)
	if !d.Readable || !d.ChecksValid {
		t.Errorf("a long-term card of 2006 not valid: %+v", d)
	}
	setBack(&d, "2086-10-30", "", true)
	if d.Readable || d.ChecksValid || d.IssueDate != "2086-10-30" {
		t.Errorf("a card issued in 2086 vouched for: %+v", d)
	}
	setBack(&d, "2015-06-12", "2035-06-12", false)
	if !d.Readable {
		t.Errorf("a 20-year period not valid: %+v", d)
	}
}

// A character lifted by a glare patch (ink 150 on paper 250, the line's
// threshold 110) is centred on its own ink: the cell's own midpoint
// replaces the line's threshold, which sees none of it. An evenly lit
// cell (the line's threshold well inside its range) and a blank cell
// keep the line's threshold.
func TestCellThreshold(t *testing.T) {
	for _, tc := range []struct {
		name            string
		ink, paper, thr float64
		inkShare        int // per 100 samples
		want            float64
	}{
		{"lifted by glare", 150, 250, 110, 20, 200},
		{"evenly lit", 30, 220, 125, 20, 125},
		{"in shadow", 20, 120, 125, 20, 125},
		{"blank", 250, 250, 110, 0, 110},
	} {
		vals := make([]float64, 100)
		for i := range vals {
			vals[i] = tc.paper
			if i < tc.inkShare {
				vals[i] = tc.ink
			}
		}
		if got := cellThreshold(vals, tc.thr); got != tc.want {
			t.Errorf("%s: threshold %v, want %v", tc.name, got, tc.want)
		}
	}
	// The cell: a bar 0.3 pitch wide and 0.8 high, its centre 0.2 pitch
	// right of the nominal one, on a 20 px pitch.
	p := blank(100, 100, 250)
	fillRect(p, 51, 42, 57, 58, 150)
	f := cellFrame{cx: 50, cy: 50, ux: 20, vy: 20}
	cs, ct, ok := inkCentre(p, f, 110)
	if !ok || math.Abs(cs-0.2) > 0.06 || math.Abs(ct) > 0.06 {
		t.Errorf("lifted bar centred at (%.2f, %.2f) ok %t, want (0.2, 0)", cs, ct, ok)
	}
}
