package loadgen

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kycq/kycq/internal/eval/docgen"
	"github.com/kycq/kycq/internal/eval/sample"
	"github.com/kycq/kycq/storage"
)

// writeSample writes the sample of o into dir as internal/tools/sample
// does: the document photos sample.Documents renders, a stand-in selfie
// and info.json, the info the document prints.
func writeSample(t *testing.T, dir string, o sample.Options) {
	t.Helper()
	files, err := sample.Documents(o)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	names := map[storage.Slot]string{storage.SlotFront: "front.jpg", storage.SlotBack: "back.jpg"}
	for slot, f := range files {
		if err := os.WriteFile(filepath.Join(dir, names[slot]), f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	info, _ := json.Marshal(sample.InfoOf(o))
	for name, data := range map[string][]byte{"selfie.jpg": []byte("selfie"), "info.json": info} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestDirSourceSubmitsEachSamplesIdentity checks that applicants made
// from sample directories submit the info their own document prints, not
// invented info the read would refuse as doc_data_mismatch.
func TestDirSourceSubmitsEachSamplesIdentity(t *testing.T) {
	root := t.TempDir()
	opts := []sample.Options{{Seed: 11}, {Seed: 12, Kind: docgen.KindTD3}}
	for k, o := range opts {
		writeSample(t, filepath.Join(root, []string{"a", "b"}[k]), o)
	}
	// One directory alone, then the directory of both.
	one, err := DirSource(filepath.Join(root, "b"), 5)
	if err != nil {
		t.Fatal(err)
	}
	a, err := one(3)
	if err != nil {
		t.Fatal(err)
	}
	if a.Info != sample.InfoOf(opts[1]) || a.Account != "load-5-3" {
		t.Errorf("one sample: applicant 3 is %s with %+v; want its passport's info %+v", a.Account, a.Info, sample.InfoOf(opts[1]))
	}
	src, err := DirSource(root, 5)
	if err != nil {
		t.Fatal(err)
	}
	accounts := map[string]bool{}
	for i := range 4 {
		a, err := src(i)
		if err != nil {
			t.Fatal(err)
		}
		o := opts[i%2]
		docs, err := sample.Documents(o)
		if err != nil {
			t.Fatal(err)
		}
		if a.Info != sample.InfoOf(o) {
			t.Errorf("applicant %d submits %+v; its document prints %+v", i, a.Info, sample.InfoOf(o))
		}
		if !bytes.Equal(a.Files[storage.SlotFront].Data, docs[storage.SlotFront].Data) {
			t.Errorf("applicant %d: the front is not its sample's", i)
		}
		if _, back := a.Files[storage.SlotBack]; back != (o.Kind != docgen.KindTD3) {
			t.Errorf("applicant %d: back photo present %t", i, back)
		}
		accounts[a.Account] = true
	}
	if len(accounts) != 4 {
		t.Errorf("accounts %v; want one per applicant", accounts)
	}
}

func TestDirSourceRefusesSampleWithoutInfo(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"front.jpg", "selfie.mp4"} {
		if err := os.WriteFile(filepath.Join(dir, n), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := DirSource(dir, 1); err == nil || !strings.Contains(err.Error(), "info.json") {
		t.Errorf("DirSource without info.json: %v; want an error naming info.json", err)
	}
	if _, err := DirSource(t.TempDir(), 1); err == nil {
		t.Error("DirSource of an empty directory: no error")
	}
}
