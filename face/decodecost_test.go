package face

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"testing"
)

func TestDecodeCost(t *testing.T) {
	for _, tc := range []struct {
		name  string
		model color.Model
		w, h  int
		want  int64
	}{
		{"jpeg", color.YCbCrModel, 4000, 3000, 4000 * 3000 * 6},
		{"gray", color.GrayModel, 100, 100, 100 * 100 * 4},
		{"8-bit rgba png", color.NRGBAModel, 100, 100, 100 * 100 * 7},
		{"16-bit rgba png", color.NRGBA64Model, 100, 100, 100 * 100 * 11},
		{"palette", color.Palette{color.Black}, 10, 10, 10 * 10 * 4},
	} {
		if got := decodeCost(image.Config{ColorModel: tc.model, Width: tc.w, Height: tc.h}); got != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, got, tc.want)
		}
	}
}

// A 16-bit RGBA PNG selfie under the 40 MP limit is refused from its
// header, before image/png allocates 8 bytes a pixel for it.
func TestDecodeImageRefusesCostlyPixels(t *testing.T) {
	const w, h = 6000, 6000 // 36 MP: 288 MB as NRGBA64, plus the RGB copy
	var out bytes.Buffer
	out.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr, w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 16, 6
	chunk := func(typ string, data []byte) {
		var n [4]byte
		binary.BigEndian.PutUint32(n[:], uint32(len(data)))
		out.Write(n[:])
		out.WriteString(typ)
		out.Write(data)
		binary.BigEndian.PutUint32(n[:], crc32.ChecksumIEEE(append([]byte(typ), data...)))
		out.Write(n[:])
	}
	chunk("IHDR", ihdr)
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(make([]byte, 1+w*8)) // one row: the header is all decodeImage may read
	zw.Close()
	chunk("IDAT", z.Bytes())
	chunk("IEND", nil)
	var img rgbImage
	if err := decodeImage(out.Bytes(), 40_000_000, &img); !errors.Is(err, errTooLarge) {
		t.Fatalf("decodeImage: %v, want errTooLarge", err)
	}
	if img.Pix != nil {
		t.Fatal("pixels were allocated")
	}
}
