package imagecheck

import (
	"image"
	"testing"
)

// skinView on flat 4×2 views: the chroma of a skin in the mid-tones
// (Cb 128−28, Cr 128+30), fading linearly to grey over the darkest 60
// and the lightest 40 levels; darkened, luma v becomes
// round(255·(v/255)^1.4) first (128 → 97). A chroma sample takes the
// mean luma of its 2×2 block (0, 0, 60, 60: 30, half the skin's chroma).
func TestSkinView(t *testing.T) {
	cases := []struct {
		name   string
		y      [8]byte // two rows of four
		darken bool
		wantY0 byte
		wantCb [2]byte
		wantCr [2]byte
	}{
		{"black", [8]byte{}, false, 0, [2]byte{128, 128}, [2]byte{128, 128}},
		{"white", [8]byte{255, 255, 255, 255, 255, 255, 255, 255}, false, 255, [2]byte{128, 128}, [2]byte{128, 128}},
		{"mid-tone", [8]byte{128, 128, 128, 128, 128, 128, 128, 128}, false, 128, [2]byte{100, 100}, [2]byte{158, 158}},
		{"half way from black, and from white", [8]byte{30, 30, 235, 235, 30, 30, 235, 235}, false, 30, [2]byte{114, 114}, [2]byte{143, 143}},
		{"a block's mean", [8]byte{0, 0, 128, 128, 60, 60, 128, 128}, false, 0, [2]byte{114, 100}, [2]byte{143, 158}},
		{"darkened mid-tone", [8]byte{128, 128, 128, 128, 128, 128, 128, 128}, true, 97, [2]byte{100, 100}, [2]byte{158, 158}},
		{"darkened white", [8]byte{255, 255, 255, 255, 255, 255, 255, 255}, true, 255, [2]byte{128, 128}, [2]byte{128, 128}},
	}
	for _, c := range cases {
		img := image.NewYCbCr(image.Rect(0, 0, 4, 2), image.YCbCrSubsampleRatio420)
		copy(img.Y, c.y[:])
		for i := range img.Cb {
			img.Cb[i], img.Cr[i] = 90, 200 // a strong tint, replaced
		}
		skinView(img, c.darken)
		if img.Y[0] != c.wantY0 || [2]byte(img.Cb) != c.wantCb || [2]byte(img.Cr) != c.wantCr {
			t.Errorf("%s: Y[0] %d Cb %v Cr %v; want %d %v %v", c.name, img.Y[0], img.Cb, img.Cr, c.wantY0, c.wantCb, c.wantCr)
		}
	}
}

// An odd-sized view: the last column and row of chroma take their block's
// pixels that exist (no reads past the planes).
func TestSkinViewOdd(t *testing.T) {
	img := image.NewYCbCr(image.Rect(0, 0, 3, 3), image.YCbCrSubsampleRatio420)
	for i := range img.Y {
		img.Y[i] = 128
	}
	skinView(img, false)
	for i := range img.Cb {
		if img.Cb[i] != 100 || img.Cr[i] != 158 {
			t.Fatalf("chroma %d: %d, %d; want 100, 158", i, img.Cb[i], img.Cr[i])
		}
	}
}

func BenchmarkSkinView(b *testing.B) {
	img := image.NewYCbCr(image.Rect(0, 0, faceSide, faceSide*54/86), image.YCbCrSubsampleRatio420)
	for i := range img.Y {
		img.Y[i] = byte(i * 7)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		skinView(img, i%2 == 0)
	}
}
