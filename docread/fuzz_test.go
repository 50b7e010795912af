package docread

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kycq/kycq/imagecheck"
	"github.com/kycq/kycq/kyc"
)

var knownKinds = map[string]bool{
	kyc.ReadNone: true, kyc.ReadTD1: true, kyc.ReadTD2: true, kyc.ReadTD3: true, kyc.ReadMRVA: true,
	kyc.ReadMRVB: true, kyc.ReadCNIDFront: true, kyc.ReadCNIDBack: true, kyc.ReadVisual: true,
}

// FuzzRead feeds arbitrary bytes to the MRZ reader: it must never panic
// (an internal error is a failure here), and what it returns must be
// well formed. The corpus (testdata/fuzz/FuzzRead) holds small MRZ photos
// in PNG and JPEG and damaged copies of them.
func FuzzRead(f *testing.F) {
	r, err := New(Options{NoTesseract: true, MaxPixels: 4_000_000})
	if err != nil {
		f.Fatal(err)
	}
	defer r.Close()
	f.Add([]byte("not an image"))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := r.Read(context.Background(), data, imagecheck.AnySide, Hint{})
		if err != nil {
			if strings.Contains(err.Error(), "internal error") {
				t.Fatal(err)
			}
			return
		}
		d := res.Data
		if !knownKinds[d.Kind] {
			t.Fatalf("kind %q", d.Kind)
		}
		if d.Readable && !d.ChecksValid {
			t.Fatal("readable without valid checks")
		}
		if res.Zone != nil && len(res.Zone) != 4 {
			t.Fatalf("zone of %d points", len(res.Zone))
		}
		if d.Kind != kyc.ReadNone && len(d.MRZ) == 0 {
			t.Fatal("an MRZ kind without lines")
		}
	})
}

// TestWriteFuzzCorpus rewrites the committed seed corpus (go test
// ./docread -run TestWriteFuzzCorpus -args -update).
func TestWriteFuzzCorpus(t *testing.T) {
	if !*update {
		t.Skip("writes the fuzz corpus only with -update")
	}
	dir := filepath.Join("testdata", "fuzz", "FuzzRead")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := png.Encode(&b, renderMRZ(t, td1Specimen, 7)); err != nil {
		t.Fatal(err)
	}
	small := b.Bytes()
	card := renderCard(t, "td1", td1Specimen, cardOpts{})
	jpg := photograph(t, card, sceneOpts{w: 320, h: 240, fill: 0.8, angle: 10, jpegQ: 50, seed: 1})
	seeds := map[string][]byte{
		"td1-png":       small,
		"td1-photo-jpg": jpg,
		"truncated-png": small[:len(small)/2],
		"truncated-jpg": jpg[:len(jpg)/3],
		"flipped-bytes": flip(jpg, 200),
	}
	for name, data := range seeds {
		body := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", data)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// flip returns a copy of b with every step-th byte inverted.
func flip(b []byte, step int) []byte {
	c := bytes.Clone(b)
	for i := step; i < len(c); i += step {
		c[i] ^= 0xff
	}
	return c
}
