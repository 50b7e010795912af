package docread

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/kycq/kycq/kyc"
	"github.com/kycq/kycq/kyc/mrz"
)

// TestRecogniseTruncatedTD3 renders the TD3 specimen, locates it, and
// hands the recogniser its two lines with the first 8 cells cut off (as
// a glare patch over one end left the locator 36 cells): read as a TD2
// its checks fail, so the lines are read again 8 cells longer at each
// end, and the passport is read whole. A TD2 located whole stays a TD2,
// and a TD3 cut at its other end is read whole too, as is one located as
// 35 cells (read again 9 cells longer at each end) and a passport whose
// first 36 cells meet a TD2's checks (its code, P, is no TD2's).
func TestRecogniseTruncatedTD3(t *testing.T) {
	const pitch = 16
	p := planeOf(renderMRZ(t, td3Specimen, pitch))
	cands := locateMRZ(p)
	if len(cands) == 0 || len(cands[0].lines) != 2 || snapCells(cands[0].lines[0].n) != 44 {
		t.Fatalf("the specimen was not located whole: %d candidates", len(cands))
	}
	for _, cut := range []struct {
		name  string
		start float64
		n     int
	}{{"first 8 cells lost", 8, 36}, {"last 8 cells lost", 0, 36}, {"first 9 cells lost, 35 located", 9, 35}, {"last 9 cells lost, 35 located", 0, 35}} {
		t.Run(cut.name, func(t *testing.T) {
			c := mrzCandidate{}
			for _, l := range cands[0].lines {
				c.lines = append(c.lines, l.sub(cut.start, cut.n))
			}
			h, ok := recogniseMRZ(context.Background(), p, c, testNow)
			if !ok || h.kind != kyc.ReadTD3 || !slices.Equal(h.lines, td3Specimen) || !h.data.ChecksValid {
				t.Errorf("read %q as %s (checks %v); want the TD3 specimen", h.lines, h.kind, h.data.ChecksValid)
			}
		})
	}
	t.Run("a passport's first 36 cells meeting a TD2's checks", func(t *testing.T) {
		// A passport with fillers for optional data but the composite
		// of its first 36 cells, as a TD2's, in the 36th cell: read as
		// a TD2, its checks hold; its code is a passport's, so the
		// lines are read again longer and the passport is read whole.
		digit := func(s string) string {
			d, err := mrz.CheckDigit(s)
			if err != nil {
				t.Fatal(err)
			}
			return strconv.Itoa(d)
		}
		l1 := "L898902C36UTO7408122F1204159"
		l1 += "<<<<<<<" + digit(l1[0:10]+l1[13:20]+l1[21:28]+"<<<<<<<")
		l1 += "<<<<<<"
		l1 += digit(l1[28:42])
		l1 += digit(l1[0:10] + l1[13:20] + l1[21:43])
		spec := []string{td3Specimen[0], l1}
		short := []string{spec[0][:36], spec[1][:36]}
		if _, err := mrz.Parse(strings.Join(short, "\n")); err != nil {
			t.Fatalf("the first 36 cells %q do not meet a TD2's checks: %v", short, err)
		}
		p := planeOf(renderMRZ(t, spec, pitch))
		cands := locateMRZ(p)
		if len(cands) == 0 || len(cands[0].lines) != 2 || snapCells(cands[0].lines[0].n) != 44 {
			t.Fatalf("the passport was not located whole: %d candidates", len(cands))
		}
		c := mrzCandidate{}
		for _, l := range cands[0].lines {
			c.lines = append(c.lines, l.sub(0, 36))
		}
		h, ok := recogniseMRZ(context.Background(), p, c, testNow)
		if !ok || h.kind != kyc.ReadTD3 || !slices.Equal(h.lines, spec) || !h.data.ChecksValid {
			t.Errorf("read %q as %s (checks %v); want %q", h.lines, h.kind, h.data.ChecksValid, spec)
		}
	})
	t.Run("a TD2 stays a TD2", func(t *testing.T) {
		p := planeOf(renderMRZ(t, td2Specimen, pitch))
		cands := locateMRZ(p)
		if len(cands) == 0 {
			t.Fatal("the TD2 specimen was not located")
		}
		h, ok := recogniseMRZ(context.Background(), p, cands[0], testNow)
		if !ok || h.kind != kyc.ReadTD2 || !slices.Equal(h.lines, td2Specimen) || !h.data.Readable {
			t.Errorf("read %q as %s (readable %v); want the TD2 specimen", h.lines, h.kind, h.data.Readable)
		}
	})
}
