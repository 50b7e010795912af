package checkrun

import (
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kycq/kycq/authenticity"
	"github.com/kycq/kycq/imagecheck"
	"github.com/kycq/kycq/internal/eval/docgen"
	"github.com/kycq/kycq/internal/eval/fraudeval"
)

// A painted card's annotation shows the region in magenta where the
// field was painted.
func TestWriteAnnotatedAuthenticity(t *testing.T) {
	p, err := fraudeval.Make(fraudeval.Painted, 2, docgen.Size2MP)
	if err != nil {
		t.Fatal(err)
	}
	opts := imagecheck.DefaultOptions()
	rep, auth := authenticity.Check(p.Data, opts, authenticity.Options{}, time.Now())
	if auth.Verdict != authenticity.Review || len(auth.Regions) == 0 {
		t.Fatalf("painted card: %s %v", auth.Verdict, auth.Findings)
	}
	if s := AuthenticitySummary(auth); !strings.Contains(s, "authenticity=review(local_anomaly") {
		t.Errorf("summary %q", s)
	}
	out := filepath.Join(t.TempDir(), "a.png")
	if err := WriteAnnotatedAuthenticity(out, p.Data, rep, auth, opts); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	// The box's top-left corner, in preview pixels, is drawn.
	b := auth.Regions[0]
	x, y := int(float64(b.Min.X)/rep.Scale), int(float64(b.Min.Y)/rep.Scale)
	r, g, bl, _ := img.At(x+1, y+1).RGBA()
	if r>>8 != 255 || g>>8 != 0 || bl>>8 != 200 {
		t.Errorf("pixel at the region's corner (%d, %d) is %d,%d,%d, want the region colour", x, y, r>>8, g>>8, bl>>8)
	}
}
