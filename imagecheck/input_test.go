package imagecheck

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"slices"
	"testing"

	"github.com/kycq/kycq/imagecheck/turbojpeg"
	"github.com/kycq/kycq/internal/eval/docgen"
	"github.com/kycq/kycq/kyc/reason"
)

// pngHeader returns a PNG signature and IHDR announcing w×h RGB pixels,
// followed by no image data.
func pngHeader(w, h uint32) []byte {
	b := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR")
	b = binary.BigEndian.AppendUint32(b, w)
	b = binary.BigEndian.AppendUint32(b, h)
	b = append(b, 8, 2, 0, 0, 0)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b[12:]))
}

// jpegWithSOF returns a minimal JPEG prefix whose frame header declares
// w×h with the given marker and precision.
func jpegWithSOF(marker byte, precision byte, w, h uint16, comps byte) []byte {
	b := []byte{0xFF, 0xD8, 0xFF, marker}
	seg := []byte{precision, byte(h >> 8), byte(h), byte(w >> 8), byte(w), comps}
	for c := byte(0); c < comps; c++ {
		seg = append(seg, c+1, 0x11, 0)
	}
	b = binary.BigEndian.AppendUint16(b, uint16(len(seg)+2))
	b = append(b, seg...)
	return append(b, 0xFF, 0xDA, 0, 8, 1, 1, 0, 0, 63, 0, 1, 2, 3, 4)
}

func TestBadInputIsUnreadable(t *testing.T) {
	good, _ := photo(t, docgen.Spec{Seed: 1}, docgen.Encoding{Quality: 85})
	var pngBuf bytes.Buffer
	png.Encode(&pngBuf, image.NewRGBA(image.Rect(0, 0, 64, 48)))
	cases := []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"zero bytes", make([]byte, 1000)},
		{"text", []byte("hello, this is not a photo")},
		{"jpeg magic only", []byte{0xFF, 0xD8, 0xFF}},
		{"truncated jpeg", good[:len(good)/2]},
		{"jpeg cut in the header", good[:200]},
		{"truncated png", pngBuf.Bytes()[:len(pngBuf.Bytes())-20]},
		{"png bomb", pngHeader(100000, 100000)},
		{"png over the pixel limit", pngHeader(10000, 7000)},
		{"jpeg bomb", jpegWithSOF(0xC0, 8, 65000, 65000, 3)},
		{"jpeg zero height", jpegWithSOF(0xC0, 8, 640, 0, 3)},
		{"12-bit jpeg", jpegWithSOF(0xC1, 12, 640, 480, 3)},
		{"arithmetic-coded jpeg", jpegWithSOF(0xC9, 8, 640, 480, 3)},
		{"lossless jpeg", jpegWithSOF(0xC3, 8, 640, 480, 3)},
		{"cmyk jpeg header", jpegWithSOF(0xC0, 8, 640, 480, 4)},
		{"two components", jpegWithSOF(0xC0, 8, 640, 480, 2)},
		{"gif", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rep := Check(c.data, DefaultOptions())
			if rep.OK || !slices.Equal(rep.Reasons, []reason.Code{reason.DocUnreadable}) {
				t.Fatalf("reasons %v, want [doc_unreadable]", rep.Reasons)
			}
			if rep.Error == "" {
				t.Error("no error text")
			}
			if len(rep.Checks) != 1 || rep.Checks[0].Name != CheckDecode || rep.Scores[CheckDecode] != 0 {
				t.Errorf("checks %+v", rep.Checks)
			}
		})
	}
}

func TestCMYKJPEGIsUnreadable(t *testing.T) {
	if !turbojpeg.Available {
		t.Skip("writing a CMYK JPEG needs libjpeg-turbo")
	}
	pix := make([]byte, 64*48*4)
	for i := range pix {
		pix[i] = byte(i * 7)
	}
	data, err := turbojpeg.Encode(pix, 64, 48, 64*4, turbojpeg.PixCMYK, turbojpeg.EncodeOptions{Quality: 90, Subsamp: turbojpeg.Samp444})
	if err != nil {
		t.Fatal(err)
	}
	rep := Check(data, DefaultOptions())
	if !slices.Equal(rep.Reasons, []reason.Code{reason.DocUnreadable}) {
		t.Fatalf("reasons %v, want [doc_unreadable]", rep.Reasons)
	}
}

// A grayscale file decodes: it is a black-and-white photo, which the
// colour check refuses (doc_not_colour), not an unreadable one.
func TestGrayscaleIsNotColour(t *testing.T) {
	for _, f := range []docgen.Format{docgen.JPEG, docgen.PNG} {
		t.Run(string(f), func(t *testing.T) {
			data, _ := photo(t, docgen.Spec{Seed: 3}, docgen.Encoding{Format: f, Gray: true, Quality: 90})
			rep := Check(data, DefaultOptions())
			if rep.Failed(reason.DocUnreadable) || !rep.Failed(reason.DocNotColour) {
				t.Fatalf("reasons %v, want doc_not_colour and not doc_unreadable (%s)", rep.Reasons, rep.Error)
			}
			if rep.Scores[CheckColour] != 0 {
				t.Errorf("colour score %v, want 0", rep.Scores[CheckColour])
			}
		})
	}
}

func TestFormats(t *testing.T) {
	encs := []docgen.Encoding{
		{Format: docgen.JPEG, Quality: 85},
		{Format: docgen.PNG},
	}
	if turbojpeg.Available {
		encs = append(encs, docgen.Encoding{Format: docgen.JPEG, Quality: 85, Progressive: true})
	}
	for _, e := range encs {
		data, lab := photo(t, docgen.Spec{Seed: 11}, e)
		rep := Check(data, DefaultOptions())
		if rep.Error != "" || rep.Width != lab.Width || rep.Height != lab.Height {
			t.Errorf("%+v: error %q, size %dx%d, want %dx%d", e, rep.Error, rep.Width, rep.Height, lab.Width, lab.Height)
		}
		if e.Progressive != rep.Progressive {
			t.Errorf("%+v: progressive %v", e, rep.Progressive)
		}
	}
}

// Each EXIF orientation gives the upright photo: the same size, and the
// same pixels as the photo stored upright (up to JPEG loss).
func TestEXIFOrientation(t *testing.T) {
	img, lab := docgen.Generate(docgen.Spec{Seed: 21, Size: docgen.SizeTest})
	var upright *image.RGBA
	for o := 1; o <= 8; o++ {
		data, err := docgen.Encode(img, docgen.Encoding{Quality: 95, Orientation: o})
		if err != nil {
			t.Fatal(err)
		}
		rep := Check(data, DefaultOptions())
		if rep.Orientation != o || rep.Width != lab.Width || rep.Height != lab.Height {
			t.Fatalf("orientation %d: got orientation %d, %dx%d, want %dx%d", o, rep.Orientation, rep.Width, rep.Height, lab.Width, lab.Height)
		}
		prev, err := Preview(data, DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		if o == 1 {
			upright = prev
			if len(rep.Document) != 4 || quadDistance(rep.Document, lab.Quad) > 0.03*float64(lab.Width) {
				t.Errorf("document %v, label %v", rep.Document, lab.Quad)
			}
			continue
		}
		if d := meanAbsDiff(prev, upright); d > 3 {
			t.Errorf("orientation %d: upright pixels differ by %.1f on average", o, d)
		}
	}
}

func meanAbsDiff(a, b *image.RGBA) float64 {
	if a.Rect != b.Rect {
		return 255
	}
	var s float64
	for i := range a.Pix {
		d := int(a.Pix[i]) - int(b.Pix[i])
		if d < 0 {
			d = -d
		}
		s += float64(d)
	}
	return s / float64(len(a.Pix))
}

// quadDistance is the largest distance from a label corner to the nearest
// reported corner.
func quadDistance(got []Point, want [4][2]float64) float64 {
	worst := 0.0
	for _, w := range want {
		best := 1e18
		for _, g := range got {
			dx, dy := g.X-w[0], g.Y-w[1]
			best = min(best, dx*dx+dy*dy)
		}
		worst = max(worst, best)
	}
	return sqrt(worst)
}

// The orientation transform itself, pixel for pixel.
func TestOrientPlane(t *testing.T) {
	const w, h = 5, 3
	src := make([]byte, w*h)
	for i := range src {
		src[i] = byte(i)
	}
	at := func(x, y int) byte { return src[y*w+x] }
	// want[o](x, y) is the stored pixel shown at (x, y).
	want := map[int]func(x, y int) byte{
		1: func(x, y int) byte { return at(x, y) },
		2: func(x, y int) byte { return at(w-1-x, y) },
		3: func(x, y int) byte { return at(w-1-x, h-1-y) },
		4: func(x, y int) byte { return at(x, h-1-y) },
		5: func(x, y int) byte { return at(y, x) },
		6: func(x, y int) byte { return at(y, h-1-x) },
		7: func(x, y int) byte { return at(w-1-y, h-1-x) },
		8: func(x, y int) byte { return at(w-1-y, x) },
	}
	for o := 1; o <= 8; o++ {
		dw, dh := orientedSize(w, h, o)
		dst := make([]byte, dw*dh)
		orient(src, w, h, w, o, dst, dw)
		for y := 0; y < dh; y++ {
			for x := 0; x < dw; x++ {
				if dst[y*dw+x] != want[o](x, y) {
					t.Fatalf("orientation %d: (%d,%d) = %d, want %d", o, x, y, dst[y*dw+x], want[o](x, y))
				}
			}
		}
	}
}

// PNG palette and 16-bit images go through the generic converter.
func TestPNGColourModels(t *testing.T) {
	pal := image.NewPaletted(image.Rect(0, 0, 300, 200), color.Palette{color.RGBA{200, 30, 30, 255}, color.RGBA{20, 20, 200, 255}})
	for i := range pal.Pix {
		pal.Pix[i] = byte(i / 7 % 2)
	}
	g16 := image.NewGray16(image.Rect(0, 0, 300, 200))
	for _, img := range []image.Image{pal, g16} {
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			t.Fatal(err)
		}
		rep := Check(buf.Bytes(), DefaultOptions())
		if rep.Error != "" || rep.Width != 300 || rep.Height != 200 {
			t.Errorf("%T: %q %dx%d", img, rep.Error, rep.Width, rep.Height)
		}
	}
}
