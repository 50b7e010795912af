package imagecheck

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/kycq/kycq/internal/eval/docgen"
	"github.com/kycq/kycq/kyc/reason"
)

// FuzzCheck feeds arbitrary bytes to the decode path and the checks:
// never a panic, and a report that is consistent with itself. The seed
// corpus (testdata/fuzz/FuzzCheck) holds small JPEG (baseline,
// progressive, EXIF-rotated, grey) and PNG photos and broken ones.
func FuzzCheck(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x10})
	f.Add(pngHeader(100, 100))
	f.Add(jpegWithSOF(0xC2, 8, 320, 240, 3))
	opts := DefaultOptions()
	opts.MaxPixels = 4_000_000 // keep each run fast
	f.Fuzz(func(t *testing.T, data []byte) {
		rep := Check(data, opts)
		if rep.OK != (len(rep.Reasons) == 0) {
			t.Fatalf("ok %v with reasons %v", rep.OK, rep.Reasons)
		}
		if rep.Error != "" && (len(rep.Reasons) != 1 || rep.Reasons[0] != reason.DocUnreadable) {
			t.Fatalf("error %q with reasons %v", rep.Error, rep.Reasons)
		}
		for _, c := range rep.Reasons {
			if !reason.Known(c) {
				t.Fatalf("unknown code %q", c)
			}
		}
		if rep.Error == "" && (rep.DecodedWidth <= 0 || rep.DecodedHeight <= 0 || rep.Width < rep.DecodedWidth) {
			t.Fatalf("sizes %dx%d decoded %dx%d", rep.Width, rep.Height, rep.DecodedWidth, rep.DecodedHeight)
		}
	})
}

// TestWriteFuzzCorpus regenerates the committed seed corpus:
// IMAGECHECK_WRITE_CORPUS=1 go test -run TestWriteFuzzCorpus ./imagecheck
func TestWriteFuzzCorpus(t *testing.T) {
	if os.Getenv("IMAGECHECK_WRITE_CORPUS") == "" {
		t.Skip("set IMAGECHECK_WRITE_CORPUS=1 to rewrite testdata/fuzz/FuzzCheck")
	}
	dir := filepath.Join("testdata", "fuzz", "FuzzCheck")
	os.MkdirAll(dir, 0o755)
	small := docgen.Spec{Seed: 9, Width: 160, Height: 120}
	encs := map[string]docgen.Encoding{
		"jpeg":        {Quality: 70},
		"progressive": {Quality: 70, Progressive: true},
		"rotated":     {Quality: 70, Orientation: 6},
		"grey":        {Quality: 70, Gray: true},
		"png":         {Format: docgen.PNG},
	}
	for name, e := range encs {
		img, _ := docgen.Generate(small)
		data, err := docgen.Encode(img, e)
		if err != nil {
			t.Logf("%s: %v", name, err)
			continue
		}
		write(t, filepath.Join(dir, name), data)
		if name == "jpeg" {
			write(t, filepath.Join(dir, "truncated"), data[:len(data)/2])
		}
	}
}

func write(t *testing.T, path string, data []byte) {
	body := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", data)
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}
