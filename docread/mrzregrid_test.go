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
// card is read whole. Each line in turn.
func TestRecogniseRegridTD1(t *testing.T) {
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
