package checkrun

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kycq/kycq/imagecheck"
)

// writePhoto writes a 1280×960 JPEG of a light card on a dark table.
func writePhoto(t *testing.T, path string) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 1280, 960))
	draw.Draw(img, img.Rect, image.NewUniform(color.RGBA{40, 50, 60, 255}), image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(240, 200, 1040, 705), image.NewUniform(color.RGBA{210, 200, 180, 255}), image.Point{}, draw.Src)
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestTime(t *testing.T) {
	dir := t.TempDir()
	writePhoto(t, filepath.Join(dir, "a.jpg"))
	writePhoto(t, filepath.Join(dir, "b.jpg"))
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("not a photo"), 0o644)
	var out bytes.Buffer
	if err := Time(context.Background(), []string{dir}, imagecheck.DefaultOptions(), 2, 3, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"2 images", "6 checks", "2 workers", "per image ms: p50", "throughput:", "over budget: "} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestOverSummary(t *testing.T) {
	cases := []struct {
		over [][]string
		want string
	}{
		{[][]string{nil, nil}, "no stage"},
		{[][]string{{"total"}, {"decode", "total"}, nil}, "decode 1 of 3, total 2 of 3"},
		{[][]string{{"face"}, {"document", "face"}}, "document 1 of 2, face 2 of 2"},
	}
	for _, c := range cases {
		if got := overSummary(c.over); got != c.want {
			t.Errorf("%v: got %q, want %q", c.over, got, c.want)
		}
	}
}

func TestTimeNoPhotos(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("not a photo"), 0o644)
	err := Time(context.Background(), []string{dir}, imagecheck.DefaultOptions(), 1, 1, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "no .jpg") {
		t.Fatalf("err = %v, want no .jpg/.jpeg/.png files", err)
	}
	if err := Time(context.Background(), []string{filepath.Join(dir, "missing")}, imagecheck.DefaultOptions(), 1, 1, &bytes.Buffer{}); err == nil {
		t.Fatal("a missing path gave no error")
	}
}

func TestWriteAnnotated(t *testing.T) {
	dir := t.TempDir()
	data := writePhoto(t, filepath.Join(dir, "a.jpg"))
	opts := imagecheck.DefaultOptions()
	rep := imagecheck.Check(data, opts)
	out := filepath.Join(dir, "a.png")
	if err := WriteAnnotated(out, data, rep, opts); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("annotated file is not a PNG: %v", err)
	}
	if img.Bounds().Dx() == 0 {
		t.Fatal("empty annotated image")
	}
	if err := WriteAnnotated(out, []byte("not an image"), rep, opts); err == nil {
		t.Fatal("annotating garbage succeeded")
	}
}
