package checkrun

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kycq/kycq/docread"
	"github.com/kycq/kycq/imagecheck"
	"github.com/kycq/kycq/internal/eval/docgen"
	"github.com/kycq/kycq/internal/eval/sample"
	"github.com/kycq/kycq/storage"
)

// TestFilesAnnotatesZoneRead checks that "kycq check --annotate" draws
// the MRZ the reader read on a passport, and that nothing read from the
// document (number, names) appears in what is printed or in the PNG.
func TestFilesAnnotatesZoneRead(t *testing.T) {
	o := sample.Options{Seed: 11, Kind: docgen.KindTD3}
	files, err := sample.Documents(o)
	if err != nil {
		t.Fatal(err)
	}
	data := files[storage.SlotFront].Data
	dir := t.TempDir()
	photo := filepath.Join(dir, "passport.jpg")
	if err := os.WriteFile(photo, data, 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := docread.New(docread.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	opts := imagecheck.DefaultOptions()
	res, err := r.Read(context.Background(), data, opts.Side, docread.Hint{})
	if err != nil || res.Data.Kind != "td3" || len(res.Zone) != 4 {
		t.Fatalf("the sample passport's MRZ was not read: %v %v", res, err)
	}

	out := filepath.Join(dir, "out.png")
	var printed bytes.Buffer
	if errs := Files([]string{photo}, opts, FilesOptions{JSON: true, Annotate: out, Reader: r}, &printed); len(errs) > 0 {
		t.Fatal(errs)
	}
	plain := filepath.Join(dir, "plain.png")
	rep := imagecheck.Check(data, opts)
	if err := WriteAnnotated(plain, data, rep, opts); err != nil {
		t.Fatal(err)
	}
	got, want := decodePNG(t, out), decodePNG(t, plain)

	// Pixels on the zone's edges (in preview pixels) are painted over.
	s := rep.Scale
	if s <= 0 {
		s = 1
	}
	changed, n := 0, 0
	for i := range 4 {
		a, b := res.Zone[i], res.Zone[(i+1)%4]
		for k := 1; k < 20; k++ {
			f := float64(k) / 20
			x, y := int((a.X+(b.X-a.X)*f)/s), int((a.Y+(b.Y-a.Y)*f)/s)
			n++
			if got.At(x, y) != want.At(x, y) {
				changed++
			}
		}
	}
	if changed < n*9/10 {
		t.Errorf("%d of %d points on the zone's edges changed; want nearly all", changed, n)
	}

	info := sample.InfoOf(o)
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range append(strings.Fields(info.FullName), info.IDNumber, res.Data.DocumentNumber, res.Data.Surname) {
		if len(v) < 3 {
			continue
		}
		if strings.Contains(printed.String(), v) || bytes.Contains(raw, []byte(v)) {
			t.Errorf("%q, read from the document, is in the output", v)
		}
	}
}

func decodePNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}
