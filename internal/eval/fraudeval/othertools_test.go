package fraudeval

import (
	"bytes"
	"context"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"os"
	"strings"
	"testing"

	"github.com/kycq/kycq/internal/eval/docgen"
)

// TestMakeOther makes one photo of each other-tools kind with the real
// programs (scripts/setup.d/45-forensics-tools.sh installs them) and
// checks what the generator promises by construction: a file of the
// right format and size written by the tool, the edit inside the photo,
// and the tables the re-saves were asked for. It asserts no detection:
// the set is held out from tuning.
func TestMakeOther(t *testing.T) {
	tools, err := FindTools("ffmpeg")
	if err != nil {
		if os.Getenv("KYCQ_TEST_REQUIRE_SERVICES") != "" || os.Getenv("CI") != "" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	dir := t.TempDir()
	for _, a := range OtherToolsAttacks() {
		p, err := MakeOther(context.Background(), tools, dir, a, 3, docgen.Size1MP)
		if err != nil {
			t.Fatalf("%s: %v", a, err)
		}
		cfg, format, err := image.DecodeConfig(bytes.NewReader(p.Data))
		if err != nil {
			t.Fatalf("%s: %v", a, err)
		}
		wantFormat := "jpeg"
		if a == OTScreenshot {
			wantFormat = "png"
		}
		if format != wantFormat {
			t.Errorf("%s: %s, want %s", a, format, wantFormat)
		}
		switch a {
		case OTScreenshot:
			if !(cfg.Width == 1170 && cfg.Height == 2532) && !(cfg.Width == 1080 && cfg.Height == 2340) {
				t.Errorf("%s: %d×%d is not a phone screen", a, cfg.Width, cfg.Height)
			}
		case OTGenuineResized:
			if cfg.Width >= 1280 {
				t.Errorf("%s: %d wide, not downscaled", a, cfg.Width)
			}
		default:
			if cfg.Width != 1280 || cfg.Height != 960 {
				t.Errorf("%s: %d×%d, want the 1 MP photo", a, cfg.Width, cfg.Height)
			}
		}
		if edited := a == OTPainted || a == OTPasted || a == OTColour; edited != !p.Region.Empty() || !p.Region.In(image.Rect(0, 0, 1280, 960)) {
			t.Errorf("%s: region %v", a, p.Region)
		}
		if a == OTEditorTables && !bytes.Contains(p.Data, []byte{0xFF, 0xDB}) {
			t.Errorf("%s: no quantisation table", a)
		}
	}
	if _, err := MakeOther(context.Background(), tools, dir, "nonsense", 1, docgen.Size1MP); err == nil || !strings.Contains(err.Error(), "nonsense") {
		t.Errorf("an unknown attack: %v", err)
	}
}
