package docgen

import (
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestPreview(t *testing.T) {
	dir := os.Getenv("DOCGEN_PREVIEW")
	if dir == "" {
		t.Skip("set DOCGEN_PREVIEW=DIR to write sample photos")
	}
	sheet := image.NewRGBA(image.Rect(0, 0, 4*400, 3*300))
	defer func() {
		f, _ := os.Create(filepath.Join(dir, "sheet.png"))
		png.Encode(f, sheet)
		f.Close()
	}()
	for i, d := range append([]Defect{Clean, Clean}, Defects...) {
		start := time.Now()
		img, lab := Generate(Spec{Seed: int64(i + 7), Size: Size(os.Getenv("DOCGEN_SIZE")), Defect: d, Strength: Clear})
		gen := time.Since(start)
		data, err := Encode(img, Encoding{Quality: 90})
		if err != nil {
			t.Fatal(err)
		}
		b := img.Rect
		for y := 0; y < 300; y++ {
			for x := 0; x < 400; x++ {
				sx, sy := x*b.Dx()/400, y*b.Dy()/300
				copy(sheet.Pix[(300*(i/4)+y)*sheet.Stride+4*(400*(i%4)+x):][:4], img.Pix[sy*img.Stride+4*sx:][:4])
			}
		}
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("%02d_%s.jpg", i, d)), data, 0o644)
		t.Logf("%s %s bg=%s gen=%v enc=%v size=%d quad=%v", d, lab.Variant, lab.Background, gen, time.Since(start)-gen, len(data), lab.Quad)
	}
}
