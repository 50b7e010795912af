package docread

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/kycq/kycq/kyc"
)

// TestRecogniseRegridTD1 renders the TD1 specimen, locates it, and hands
// the recogniser its three lines with one of them fitted to a pitch 5%
// short and 31 cells (as a speck chained on to a line of a hard-print
// card made the locator fit it): read on that grid the line is garbled
// and the zone is not Readable (a check fails, or the name's grammar),
// so the line is read again on the grid the two others give it, and the
// card is read whole. Each line in turn. The line is not tracked
// (trackLines off): tracking reads such a line on its own.
func TestRecogniseRegridTD1(t *testing.T) {
	defer func(old bool) { trackLines = old }(trackLines)
	trackLines = false
	const pitch = 16
	p := planeOf(renderMRZ(t, td1Specimen, pitch))
	cands := locateMRZ(p)
	if len(cands) == 0 || len(cands[0].lines) != 3 || cands[0].lines[0].n != 30 {
		t.Fatalf("the specimen was not located whole: %d candidates", len(cands))
	}
	for bad := range 3 {
		c := mrzCandidate{lines: slices.Clone(cands[0].lines)}
		l := c.lines[bad]
		l.ux, l.uy, l.n = 0.95*l.ux, 0.95*l.uy, 31
		c.lines[bad] = l.sub(0.4, 31)
		ls := slices.Clone(c.lines)
		ls[bad].n = 30
		if h, ok := recogniseCells(context.Background(), p, mrzCandidate{lines: ls}, 30, testNow); ok && h.data.Readable {
			t.Fatalf("line %d off its grid: read %q, Readable; want a garbled line", bad, h.lines)
		}
		h, ok := recogniseMRZ(context.Background(), p, c, testNow)
		if !ok || h.kind != kyc.ReadTD1 || !slices.Equal(h.lines, td1Specimen) || !h.data.Readable {
			t.Errorf("line %d off its grid: read %q as %s (readable %v); want the TD1 specimen", bad, h.lines, h.kind, h.data.Readable)
		}
	}
}

// TestRegridLine checks which line regridLine replaces, and that it
// leaves zones whose lines agree, or whose two others do not, alone.
func TestRegridLine(t *testing.T) {
	line := func(y, pitch float64, n int) textLine {
		return textLine{x0: 10, y0: y, ux: pitch, n: n, v: y}
	}
	for _, tc := range []struct {
		name  string
		lines []textLine
		want  int // the line replaced, -1 for none
	}{
		{"all agree", []textLine{line(0, 16, 30), line(30, 16.1, 30), line(60, 16, 30)}, -1},
		{"middle short", []textLine{line(0, 16, 30), line(30, 15.2, 31), line(60, 16, 30)}, 1},
		{"first long", []textLine{line(0, 16.8, 30), line(30, 16, 30), line(60, 16, 30)}, 0},
		{"last short", []textLine{line(0, 16, 30), line(30, 16, 30), line(60, 15, 30)}, 2},
		{"the two others disagree", []textLine{line(0, 16, 30), line(30, 15, 30), line(60, 16.5, 30)}, -1},
		{"the two others start apart", []textLine{line(0, 16, 30), line(30, 15, 30), {x0: 18, y0: 60, ux: 16, n: 30, v: 60}}, -1},
		{"an other line of 31 cells", []textLine{line(0, 16, 31), line(30, 15, 30), line(60, 16, 30)}, -1},
		{"two lines", []textLine{line(0, 16, 30), line(30, 15, 30)}, -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, ok := regridLine(tc.lines)
			if ok != (tc.want >= 0) {
				t.Fatalf("regridLine replaced a line: %v; want %v", ok, tc.want >= 0)
			}
			if !ok {
				return
			}
			for i, l := range out {
				if i != tc.want {
					if l != tc.lines[i] {
						t.Errorf("line %d changed to %+v", i, l)
					}
					continue
				}
				// The specimen's lines are 30 apart at pitch 16.
				if l.n != 30 || math.Abs(l.ux-16) > 1e-9 || math.Abs(l.y0-30*float64(i)) > 1e-9 || l.x0 != 10 {
					t.Errorf("line %d replaced by %+v; want pitch 16 at y %d", i, l, 30*i)
				}
			}
		})
	}
}

// TestRecogniseRegridPair renders the TD3 specimen, locates it, and hands
// the recogniser its two lines with one of them started a cell early (a
// speck before the code chained on) or fitted to 45 cells of a pitch
// 2.2 % short over its 44 glyphs: read there the zone is not Readable,
// so the line is read again on the other line's grid moved across onto
// it, and the passport is read whole. Each line in turn. The line is
// not tracked (trackLines off): tracking reads the 45 cells on its own;
// nor widened (widenLines off): a first line a cell early is read whole
// on its fit widened.
func TestRecogniseRegridPair(t *testing.T) {
	defer func(old bool) { trackLines = old }(trackLines)
	trackLines = false
	defer func(old bool) { widenLines = old }(widenLines)
	widenLines = false
	const pitch = 16
	p := planeOf(renderMRZ(t, td3Specimen, pitch))
	cands := locateMRZ(p)
	if len(cands) == 0 || len(cands[0].lines) != 2 || cands[0].lines[0].n != 44 {
		t.Fatalf("the specimen was not located whole: %d candidates", len(cands))
	}
	for bad := range 2 {
		for _, off := range []string{"a cell early", "45 cells"} {
			c := mrzCandidate{lines: slices.Clone(cands[0].lines)}
			l := c.lines[bad]
			if off == "a cell early" {
				c.lines[bad] = l.sub(-1, 44)
			} else {
				l.ux, l.uy = 44.0/45*l.ux, 44.0/45*l.uy
				c.lines[bad] = l.sub(0, 45)
			}
			if h, ok := recogniseCells(context.Background(), p, c, 44, testNow); ok && h.data.Readable {
				t.Fatalf("line %d %s: read %q, Readable; want a line read off its glyphs", bad, off, h.lines)
			}
			h, ok := recogniseMRZ(context.Background(), p, c, testNow)
			if !ok || h.kind != kyc.ReadTD3 || !slices.Equal(h.lines, td3Specimen) || !h.data.Readable {
				t.Errorf("line %d %s: read %q as %s (readable %v); want the TD3 specimen", bad, off, h.lines, h.kind, h.data.Readable)
			}
		}
	}
}

// TestRegridPair gives regridPair literal lines 30 pixels apart across:
// lines that agree are left; a line a pitch early, or of another pitch,
// is replaced by the other moved across onto it (the pitches 0.05 pixels
// apart drift 2.15 pixels over 44 cells, under a quarter pitch).
func TestRegridPair(t *testing.T) {
	line := func(x0, y0, pitch float64, n int) textLine {
		return textLine{x0: x0, y0: y0, ux: pitch, n: n, v: y0}
	}
	good := line(10, 0, 16, 44)
	for _, tc := range []struct {
		name  string
		lines []textLine
		i     int
		ok    bool
		want  textLine
	}{
		{"agreeing lines", []textLine{good, line(12, 30, 16.05, 44)}, 1, false, textLine{}},
		{"a second line a pitch early", []textLine{good, line(-6, 30, 16, 44)}, 1, true, line(10, 30, 16, 44)},
		{"a first line a pitch early", []textLine{line(-6, 0, 16, 44), line(10, 30, 16, 44)}, 0, true, line(10, 0, 16, 44)},
		{"a second line of another pitch", []textLine{good, line(10, 30, 15.6, 45)}, 1, true, line(10, 30, 16, 44)},
		{"one line", []textLine{good}, 0, false, textLine{}},
	} {
		out, ok := regridPair(tc.lines, tc.i)
		if ok != tc.ok {
			t.Errorf("%s: regridPair %v, want %v", tc.name, ok, tc.ok)
			continue
		}
		if !ok {
			continue
		}
		got := out[tc.i]
		if got.n != tc.want.n || math.Abs(got.x0-tc.want.x0) > 1e-9 || math.Abs(got.y0-tc.want.y0) > 1e-9 || got.ux != tc.want.ux || got.uy != tc.want.uy || got.v != tc.want.v {
			t.Errorf("%s: line %d replaced by %+v, want %+v", tc.name, tc.i, got, tc.want)
		}
		if out[1-tc.i] != tc.lines[1-tc.i] {
			t.Errorf("%s: the other line changed to %+v", tc.name, out[1-tc.i])
		}
	}
}
