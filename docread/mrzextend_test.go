package docread

import (
	"context"
	"slices"
	"testing"

	"github.com/kycq/kycq/kyc"
)

// TestRecogniseTruncatedTD3 renders the TD3 specimen, locates it, and
// hands the recogniser its two lines with the first 8 cells cut off (as
// a glare patch over one end left the locator 36 cells): read as a TD2
// its checks fail, so the lines are read again 8 cells longer at each
// end, and the passport is read whole. A TD2 located whole stays a TD2,
// and a TD3 cut at its other end is read whole too.
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
	}{{"first 8 cells lost", 8}, {"last 8 cells lost", 0}} {
		t.Run(cut.name, func(t *testing.T) {
			c := mrzCandidate{}
			for _, l := range cands[0].lines {
				c.lines = append(c.lines, l.sub(cut.start, 36))
			}
			h, ok := recogniseMRZ(context.Background(), p, c, testNow)
			if !ok || h.kind != kyc.ReadTD3 || !slices.Equal(h.lines, td3Specimen) || !h.data.ChecksValid {
				t.Errorf("read %q as %s (checks %v); want the TD3 specimen", h.lines, h.kind, h.data.ChecksValid)
			}
		})
	}
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
