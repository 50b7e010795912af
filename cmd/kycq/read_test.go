package main

import (
	"bytes"
	"context"
	"encoding/json"
	"github.com/kycq/kycq/docread"
	"image"
	"image/draw"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// writeMRZPhoto renders MRZ lines in OCR-B (Debian fonts-ocr-b) on a white
// page and writes it as a PNG.
func writeMRZPhoto(t *testing.T, lines []string) string {
	t.Helper()
	b, err := os.ReadFile("/usr/share/fonts/opentype/ocr-b/OCRBS.otf")
	if err != nil {
		t.Fatalf("OCR-B font missing (run scripts/setup.sh test): %v", err)
	}
	f, err := opentype.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	const pitch = 22.0
	fc, err := opentype.NewFace(f, &opentype.FaceOptions{Size: pitch / 0.723, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		t.Fatal(err)
	}
	img := image.NewGray(image.Rect(0, 0, int(48*pitch), int(8*pitch)))
	draw.Draw(img, img.Rect, image.White, image.Point{}, draw.Src)
	for i, l := range lines {
		d := font.Drawer{Dst: img, Src: image.Black, Face: fc, Dot: fixed.P(int(2*pitch), int(4*pitch+float64(i)*1.7*pitch))}
		d.DrawString(l)
	}
	path := filepath.Join(t.TempDir(), "mrz.png")
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestReadJSON(t *testing.T) {
	file := writeMRZPhoto(t, []string{
		"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
		"L898902C36UTO7408122F1204159ZE184226B<<<<<10",
	})
	var out, errb bytes.Buffer
	if code := dispatch(context.Background(), []string{"read", "--json", file}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 1 {
		t.Fatalf("%d lines, want 1: %s", len(lines), out.String())
	}
	var got docread.FileReport
	if err := json.Unmarshal([]byte(lines[0]), &got); err != nil {
		t.Fatal(err)
	}
	got.MS = 0
	want := docread.FileReport{File: file, Document: "td3", ChecksValid: true,
		Fields: docread.FileFields{DocumentNumber: "L898902C3", Surname: "ERIKSSON", GivenNames: "ANNA MARIA",
			Nationality: "UTO", BirthDate: "1974-08-12", ExpiryDate: "2012-04-15", Sex: "F"},
		MRZ: []string{"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"}}
	gb, _ := json.Marshal(got)
	wb, _ := json.Marshal(want)
	if string(gb) != string(wb) {
		t.Errorf("got  %s\nwant %s", gb, wb)
	}
	for _, key := range []string{`"file"`, `"document"`, `"fields"`, `"mrz"`, `"checks_valid"`, `"ms"`} {
		if !strings.Contains(lines[0], key) {
			t.Errorf("output lacks %s", key)
		}
	}
}

func TestReadTableAndBadFile(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.jpg")
	if err := os.WriteFile(bad, []byte("not an image"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := dispatch(context.Background(), []string{"read", bad}, &out, &errb)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if !strings.Contains(out.String(), "FILE") || !strings.Contains(out.String(), "error:") {
		t.Errorf("table:\n%s", out.String())
	}
}
