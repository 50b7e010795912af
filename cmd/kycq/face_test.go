package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/kycq/kycq/internal/systest/testenv"
)

// facePhotos is where scripts/setup.d/40-face-photos.sh puts the photos.
func facePhotos(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("KYCQ_CACHE")
	if dir == "" {
		_, file, _, _ := runtime.Caller(0)
		dir = filepath.Join(filepath.Dir(file), "..", "..", ".cache")
	}
	dir = filepath.Join(dir, "face", "photos")
	if _, err := os.Stat(filepath.Join(dir, "face.jpg")); err != nil {
		testenv.Unavailable(t, "face photos (scripts/setup.d/40-face-photos.sh fetches them)", err)
	}
	return dir
}

func TestFaceCommand(t *testing.T) {
	dir := facePhotos(t)
	ctx := context.Background()
	var out, errb bytes.Buffer
	code := dispatch(ctx, []string{"face", "--json", filepath.Join(dir, "face-detect.jpg"), filepath.Join(dir, "astronaut.png")}, &out, &errb)
	if code != 1 {
		t.Fatalf("different people: exit %d, stderr %s", code, errb.String())
	}
	var o struct {
		Document string             `json:"document"`
		File     string             `json:"file"`
		OK       bool               `json:"ok"`
		Reasons  []string           `json:"reasons"`
		Scores   map[string]float64 `json:"scores"`
		MS       float64            `json:"ms"`
	}
	if err := json.Unmarshal(out.Bytes(), &o); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out.String())
	}
	if o.OK || len(o.Reasons) != 1 || o.Reasons[0] != "face_mismatch" || o.Scores["similarity"] <= 0 || o.MS <= 0 || !strings.HasSuffix(o.File, "astronaut.png") || !strings.HasSuffix(o.Document, "face-detect.jpg") {
		t.Errorf("output %+v", o)
	}

	out.Reset()
	code = dispatch(ctx, []string{"face", filepath.Join(dir, "face-detect.jpg"), filepath.Join(dir, "face.jpg")}, &out, &errb)
	if code != 1 || !strings.Contains(out.String(), "MATCH (borderline: manual review)") || !strings.Contains(out.String(), "similarity") {
		t.Errorf("same man, still image: exit %d\n%s", code, out.String())
	}
	// The verdict names the files in the order they were given: document, selfie.
	if want := filepath.Join(dir, "face-detect.jpg") + " vs " + filepath.Join(dir, "face.jpg") + ":"; !strings.HasPrefix(out.String(), want) {
		t.Errorf("verdict line %q; want it to start %q", strings.SplitN(out.String(), "\n", 2)[0], want)
	}

	if code := dispatch(ctx, []string{"face", "only-one-file"}, &out, &errb); code != 2 {
		t.Errorf("usage error: exit %d", code)
	}
	if code := dispatch(ctx, []string{"face", filepath.Join(dir, "missing.jpg"), filepath.Join(dir, "face.jpg")}, &out, &errb); code != 3 {
		t.Errorf("missing file: exit %d", code)
	}
	if _, ok := evaluations()["face"]; !ok {
		t.Error("kycq eval face is not registered")
	}
}
