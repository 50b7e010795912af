package doceval

import (
	"bytes"
	"strings"
	"testing"

	"github.com/kycq/kycq/imagecheck"
	"github.com/kycq/kycq/internal/eval/docgen"
)

// TestScoreQuantilesCountsPhotos: a group's n is its photos, whichever
// scores they carry (blur_edge_width is reported only in blur's doubt
// band), and a score no photo of the group has prints "-".
func TestScoreQuantilesCountsPhotos(t *testing.T) {
	blur := docgen.Item{Label: docgen.Label{Defect: docgen.Blur, Strength: 2}}
	outs := []docOutcome{
		{item: blur, rep: imagecheck.Report{Scores: map[string]float64{imagecheck.CheckBlur: 0.27, imagecheck.CheckBlurEdgeWidth: 2.5}}},
		{item: blur, rep: imagecheck.Report{Scores: map[string]float64{imagecheck.CheckBlur: 0.40}}},
		{item: blur, rep: imagecheck.Report{Scores: map[string]float64{imagecheck.CheckBlur: 0.50}}},
		{item: docgen.Item{Label: docgen.Label{Defect: docgen.Clean}}, rep: imagecheck.Report{Scores: map[string]float64{imagecheck.CheckBlur: 0.1}}},
	}
	var out bytes.Buffer
	printScoreQuantiles(&out, outs)
	var header, blurRow, cleanRow []string
	for _, l := range strings.Split(out.String(), "\n") {
		f := strings.Fields(l)
		switch {
		case len(f) > 0 && f[0] == "group":
			header = f
		case len(f) > 0 && f[0] == "blur/s2":
			blurRow = f
		case len(f) > 0 && f[0] == "clean":
			cleanRow = f
		}
	}
	if header == nil || blurRow == nil || cleanRow == nil {
		t.Fatalf("missing rows:\n%s", out.String())
	}
	col := func(name string) int {
		for i, h := range header {
			if h == name {
				return i
			}
		}
		t.Fatalf("no column %q in %v", name, header)
		return -1
	}
	if got := blurRow[col("n")]; got != "3" {
		t.Errorf("blur/s2 n = %s, want 3 (photos, not the photos with a blur_edge_width)", got)
	}
	if got := blurRow[col(imagecheck.CheckBlur)]; got != "0.27/0.27/0.4/0.5/0.5" {
		t.Errorf("blur/s2 blur = %s", got)
	}
	if got := blurRow[col(imagecheck.CheckBlurEdgeWidth)]; got != "2.5/2.5/2.5/2.5/2.5" {
		t.Errorf("blur/s2 blur_edge_width = %s", got)
	}
	if got := cleanRow[col(imagecheck.CheckBlurEdgeWidth)]; got != "-" {
		t.Errorf("clean blur_edge_width = %s, want -", got)
	}
}
