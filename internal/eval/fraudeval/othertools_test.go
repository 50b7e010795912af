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

	"github.com/kycq/kycq/authenticity"
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
		if edited := a == OTPainted || a == OTPaintedLowQ || a == OTPasted || a == OTColour; edited != !p.Region.Empty() || !p.Region.In(image.Rect(0, 0, 1280, 960)) {
			t.Errorf("%s: region %v", a, p.Region)
		}
		if a == OTEditorTables && !bytes.Contains(p.Data, []byte{0xFF, 0xDB}) {
			t.Errorf("%s: no quantisation table", a)
		}
		if lo, hi, ok := resaveScale(a); ok {
			if qs := quantScale(p.Data); qs < lo || qs > hi {
				t.Errorf("%s: quant_scale %.3f, want %.2f–%.2f", a, qs, lo, hi)
			}
		}
	}
	if _, err := MakeOther(context.Background(), tools, dir, "nonsense", 1, docgen.Size1MP); err == nil || !strings.Contains(err.Error(), "nonsense") {
		t.Errorf("an unknown attack: %v", err)
	}
}

// resaveScale is the range of the luma quantiser's scale (QuantScale:
// libjpeg's (200 − 2q)/100, up to its rounding) a re-save was asked for:
// quality 50–60 for the low-quality controls, 70–92 for the others.
func resaveScale(a Attack) (lo, hi float64, ok bool) {
	switch a {
	case OTGenuineLowQ, GenuineLowQ, PaintedLowQ: // OTPaintedLowQ is the same name
		return 0.75, 1.05, true
	case OTGenuineResaved, GenuineResaved:
		return 0.1, 0.65, true
	}
	return 0, 0, false
}

// quantScale reads a JPEG's quant_scale score (no pixels needed).
func quantScale(data []byte) float64 {
	return authenticity.Analyse(authenticity.Input{Data: data}, authenticity.Options{MaxDCTBlocks: -1}).Scores[authenticity.SignalQuantScale]
}

// TestLowQualityResave: the in-house re-saves are written at the
// quality asked for: 50–60 for genuine_lowq and painted_lowq, 70–92 for
// genuine_resaved.
func TestLowQualityResave(t *testing.T) {
	for _, a := range []Attack{GenuineLowQ, PaintedLowQ, GenuineResaved} {
		lo, hi, _ := resaveScale(a)
		for seed := int64(1); seed <= 3; seed++ {
			p, err := Make(a, seed, docgen.Size1MP)
			if err != nil {
				t.Fatalf("%s %d: %v", a, seed, err)
			}
			if qs := quantScale(p.Data); qs < lo || qs > hi {
				t.Errorf("%s %d: quant_scale %.3f, want %.2f–%.2f", a, seed, qs, lo, hi)
			}
		}
	}
}
