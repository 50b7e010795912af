package authenticity

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/kycq/kycq/kyc/reason"
)

// tag is one IFD entry for exifBlock: an ASCII value, or a LONG when num
// is set.
type tag struct {
	id  uint16
	s   string
	num uint32
}

// exifBlock builds a big-endian TIFF block with IFD0 (ifd0 tags, plus the
// Exif IFD pointer when exif tags are given) and, when thumb is set, IFD1
// pointing at it.
func exifBlock(ifd0, exif []tag, thumb []byte) []byte {
	var data bytes.Buffer // values stored after all IFDs
	type ifd struct{ tags []tag }
	ifds := []ifd{{ifd0}}
	if len(exif) > 0 {
		ifds[0].tags = append(slices.Clone(ifd0), tag{id: 0x8769, num: 1}) // patched below
		ifds = append(ifds, ifd{exif})
	}
	if thumb != nil {
		ifds = append(ifds, ifd{[]tag{{id: 0x0201, num: 1}, {id: 0x0202, num: uint32(len(thumb))}}})
	}
	size := func(d ifd) int { return 2 + 12*len(d.tags) + 4 }
	offs := []int{8}
	for _, d := range ifds[:len(ifds)-1] {
		offs = append(offs, offs[len(offs)-1]+size(d))
	}
	dataStart := offs[len(offs)-1] + size(ifds[len(ifds)-1])
	var t bytes.Buffer
	t.WriteString("MM\x00\x2a")
	binary.Write(&t, binary.BigEndian, uint32(8))
	thumbIFD := -1
	if thumb != nil {
		thumbIFD = len(ifds) - 1
	}
	for k, d := range ifds {
		binary.Write(&t, binary.BigEndian, uint16(len(d.tags)))
		for _, e := range d.tags {
			binary.Write(&t, binary.BigEndian, e.id)
			switch {
			case e.id == 0x8769:
				binary.Write(&t, binary.BigEndian, uint16(4))
				binary.Write(&t, binary.BigEndian, uint32(1))
				binary.Write(&t, binary.BigEndian, uint32(offs[1]))
			case e.id == 0x0201:
				binary.Write(&t, binary.BigEndian, uint16(4))
				binary.Write(&t, binary.BigEndian, uint32(1))
				binary.Write(&t, binary.BigEndian, uint32(0)) // patched below
			case e.s == "":
				binary.Write(&t, binary.BigEndian, uint16(4))
				binary.Write(&t, binary.BigEndian, uint32(1))
				binary.Write(&t, binary.BigEndian, e.num)
			default:
				v := append([]byte(e.s), 0)
				binary.Write(&t, binary.BigEndian, uint16(2))
				binary.Write(&t, binary.BigEndian, uint32(len(v)))
				binary.Write(&t, binary.BigEndian, uint32(dataStart+data.Len()))
				data.Write(v)
			}
		}
		next := uint32(0)
		// IFD0 links to IFD1 (the thumbnail's); the Exif IFD links nowhere.
		if k == 0 && thumbIFD > 0 {
			next = uint32(offs[thumbIFD])
		}
		binary.Write(&t, binary.BigEndian, next)
	}
	thumbAt := dataStart + data.Len()
	data.Write(thumb)
	out := append(t.Bytes(), data.Bytes()...)
	if thumb != nil {
		// Patch the JPEGInterchangeFormat value.
		p := offs[thumbIFD] + 2 + 8
		binary.BigEndian.PutUint32(out[p:], uint32(thumbAt))
	}
	return out
}

// withSegment inserts a marker segment after a JPEG's SOI.
func withSegment(jpg []byte, marker byte, payload []byte) []byte {
	var out bytes.Buffer
	out.Write(jpg[:2])
	out.Write([]byte{0xFF, marker})
	binary.Write(&out, binary.BigEndian, uint16(len(payload)+2))
	out.Write(payload)
	out.Write(jpg[2:])
	return out.Bytes()
}

// noisy returns a w×h gray-ish photo with sensor-like noise.
func noisy(w, h int, seed uint64) *image.RGBA {
	r := rand.New(rand.NewPCG(seed, 1))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := uint8(100 + x*60/w + int(r.NormFloat64()*6))
			img.SetRGBA(x, y, color.RGBA{v, v + 10, v - 10, 255})
		}
	}
	return img
}

func jpegOf(t *testing.T, img image.Image, q int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: q}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestParseMeta(t *testing.T) {
	base := jpegOf(t, noisy(64, 48, 1), 90)
	xmp := append([]byte("http://ns.adobe.com/xap/1.0/\x00"), []byte(`<x:xmpmeta><rdf:Description xmp:CreatorTool="GIMP 2.10"/></x:xmpmeta>`)...)
	var pngText bytes.Buffer
	png.Encode(&pngText, noisy(16, 16, 2))
	pngWith := func(key, val string) []byte {
		b := pngText.Bytes()
		var chunk bytes.Buffer
		body := append(append([]byte(key), 0), val...)
		binary.Write(&chunk, binary.BigEndian, uint32(len(body)))
		chunk.WriteString("tEXt")
		chunk.Write(body)
		chunk.Write([]byte{0, 0, 0, 0}) // CRC, not checked here
		return append(append(slices.Clone(b[:33]), chunk.Bytes()...), b[33:]...)
	}
	for _, c := range []struct {
		name                  string
		data                  []byte
		make, model, software string
		captured              time.Time
		adobe, thumb, exif    bool
		quality               int
	}{
		{"plain image/jpeg", base, "", "", "", time.Time{}, false, false, false, 90},
		{"camera EXIF", withSegment(base, 0xE1, append([]byte("Exif\x00\x00"), exifBlock(
			[]tag{{id: 0x010F, s: "Canon"}, {id: 0x0110, s: "EOS R6"}}, []tag{{id: 0x9003, s: "2026:11:30 10:20:30"}}, nil)...)),
			"Canon", "EOS R6", "", time.Date(2026, 11, 30, 10, 20, 30, 0, time.UTC), false, false, true, 90},
		{"editor software", withSegment(base, 0xE1, append([]byte("Exif\x00\x00"), exifBlock([]tag{{id: 0x0131, s: "Adobe Photoshop 25.0"}}, nil, nil)...)),
			"", "", "Adobe Photoshop 25.0", time.Time{}, false, false, true, 90},
		{"XMP creator tool", withSegment(base, 0xE1, xmp), "", "", "GIMP 2.10", time.Time{}, false, false, false, 90},
		{"Adobe APP14", withSegment(base, 0xEE, []byte("Adobe\x00\x64\x00\x00\x00\x00\x01")), "", "", "", time.Time{}, true, false, false, 90},
		{"thumbnail", withSegment(base, 0xE1, append([]byte("Exif\x00\x00"), exifBlock(nil, nil, jpegOf(t, noisy(16, 12, 3), 80))...)),
			"", "", "", time.Time{}, false, true, true, 90},
		{"PNG Software chunk", pngWith("Software", "Snapseed"), "", "", "Snapseed", time.Time{}, false, false, false, 0},
		{"not an image", []byte("hello"), "", "", "", time.Time{}, false, false, false, 0},
		{"truncated JPEG", base[:20], "", "", "", time.Time{}, false, false, false, 0},
	} {
		m := parseMeta(c.data)
		if m.make != c.make || m.model != c.model || m.software != c.software || !m.captured.Equal(c.captured) ||
			m.adobe != c.adobe || (m.thumb != nil) != c.thumb || m.exif != c.exif || ijgQuality(m.luma) != c.quality {
			t.Errorf("%s: got make %q model %q software %q captured %v adobe %v thumb %v exif %v quality %d",
				c.name, m.make, m.model, m.software, m.captured, m.adobe, m.thumb != nil, m.exif, ijgQuality(m.luma))
		}
	}
}

func TestEditorName(t *testing.T) {
	for _, c := range []struct {
		software string
		editor   bool
	}{
		{"Adobe Photoshop 25.3 (Windows)", true}, {"GIMP 2.10.36", true}, {"Snapseed 2.21", true},
		{"iOS 17.1", false}, {"HDR+ 1.0.540104767zd", false}, {"G998BXXU5CVDD", false}, {"", false},
	} {
		if got := editorName(c.software) != ""; got != c.editor {
			t.Errorf("editorName(%q) editor=%v, want %v", c.software, got, c.editor)
		}
	}
}

func TestScreenSize(t *testing.T) {
	for _, c := range []struct {
		w, h int
		want bool
	}{{1170, 2532, true}, {2532, 1170, true}, {1920, 1080, true}, {4032, 3024, false}, {1600, 1200, false}} {
		if screenSize(c.w, c.h) != c.want {
			t.Errorf("screenSize(%d, %d) = %v", c.w, c.h, !c.want)
		}
	}
}

func ycbcr(img *image.RGBA) *image.YCbCr {
	out := image.NewYCbCr(img.Rect, image.YCbCrSubsampleRatio444)
	for y := 0; y < img.Rect.Dy(); y++ {
		for x := 0; x < img.Rect.Dx(); x++ {
			c := img.RGBAAt(x, y)
			yy, cb, cr := color.RGBToYCbCr(c.R, c.G, c.B)
			out.Y[out.YOffset(x, y)], out.Cb[out.COffset(x, y)], out.Cr[out.COffset(x, y)] = yy, cb, cr
		}
	}
	return out
}

func TestAnalyse(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	photo := noisy(640, 480, 7)
	painted := noisy(640, 480, 7)
	field := image.Rect(320, 200, 480, 240)
	for y := field.Min.Y; y < field.Max.Y; y++ {
		for x := field.Min.X; x < field.Max.X; x++ {
			painted.SetRGBA(x, y, color.RGBA{140, 150, 130, 255})
		}
	}
	screen := image.NewRGBA(image.Rect(0, 0, 1170, 2532))
	for i := range screen.Pix {
		screen.Pix[i] = 240
	}
	copyInto := func(dst, src *image.RGBA, at image.Point) {
		for y := 0; y < src.Rect.Dy(); y++ {
			for x := 0; x < src.Rect.Dx(); x++ {
				dst.SetRGBA(at.X+x, at.Y+y, src.RGBAAt(x, y))
			}
		}
	}
	copyInto(screen, photo, image.Point{200, 900})
	camera := func(data []byte, captured string, thumb []byte) []byte {
		return withSegment(data, 0xE1, append([]byte("Exif\x00\x00"), exifBlock(
			[]tag{{id: 0x010F, s: "Google"}, {id: 0x0110, s: "Pixel 8"}}, []tag{{id: 0x9003, s: captured}}, thumb)...))
	}
	goodThumb := jpegOf(t, noisy(160, 120, 7), 80)
	// Another picture: quadrants, which no orientation of the photo's
	// left-to-right gradient resembles.
	other := image.NewRGBA(image.Rect(0, 0, 160, 120))
	for y := 0; y < 120; y++ {
		for x := 0; x < 160; x++ {
			v := uint8(30)
			if (x < 80) == (y < 60) {
				v = 220
			}
			other.SetRGBA(x, y, color.RGBA{v, v, v, 255})
		}
	}
	for _, c := range []struct {
		name     string
		img      *image.RGBA
		data     []byte
		verdict  Verdict
		findings []string
		region   image.Rectangle // the region must overlap this
	}{
		{"a camera photo", photo, camera(jpegOf(t, photo, 92), "2026:12:01 11:58:00", goodThumb), Clean, nil, image.Rectangle{}},
		{"a photo without metadata", photo, jpegOf(t, photo, 92), Clean, nil, image.Rectangle{}},
		{"an editor named", photo, withSegment(jpegOf(t, photo, 92), 0xE1, append([]byte("Exif\x00\x00"), exifBlock([]tag{{id: 0x0131, s: "Adobe Photoshop 25.0"}}, nil, nil)...)), Edited, []string{SignalEditor}, image.Rectangle{}},
		{"a capture months old", photo, camera(jpegOf(t, photo, 92), "2026:03:01 09:00:00", nil), Review, []string{SignalCaptureAge}, image.Rectangle{}},
		{"a thumbnail of another picture", photo, camera(jpegOf(t, photo, 92), "2026:12:01 11:58:00", jpegOf(t, other, 80)), Review, []string{SignalThumbnail}, image.Rectangle{}},
		{"a painted field", painted, jpegOf(t, painted, 92), Review, []string{SignalLocal}, field},
		{"a phone screenshot", screen, func() []byte { var b bytes.Buffer; png.Encode(&b, screen); return b.Bytes() }(), Screenshot, []string{SignalScreenshot}, image.Rectangle{}},
	} {
		rep := Analyse(Input{Data: c.data, Work: ycbcr(c.img), Scale: 1, Width: c.img.Rect.Dx(), Height: c.img.Rect.Dy(), Now: now}, Options{})
		if rep.Verdict != c.verdict || !slices.Equal(rep.Findings, c.findings) {
			t.Errorf("%s: verdict %s findings %v scores %v, want %s %v", c.name, rep.Verdict, rep.Findings, rep.Scores, c.verdict, c.findings)
			continue
		}
		if !c.region.Empty() && (len(rep.Regions) == 0 || !rep.Regions[0].Overlaps(c.region) || rep.Regions[0].Dx() > 2*c.region.Dx()) {
			t.Errorf("%s: regions %v, want one on %v", c.name, rep.Regions, c.region)
		}
		want := map[Verdict]reason.Code{Edited: reason.DocEdited, Screenshot: reason.DocNotOriginal}[c.verdict]
		if rep.Reason() != want {
			t.Errorf("%s: reason %q, want %q", c.name, rep.Reason(), want)
		}
	}
}

// TestReportable checks the region rule: noise-free regions, and a little
// noisier ones that are flat in brightness, are reported when large enough.
func TestReportable(t *testing.T) {
	o := Options{}
	o.defaults()
	for _, c := range []struct {
		name          string
		n, total      int
		resid, spread float64
		want          bool
	}{
		{"noise-free", 40, 1000, 0.01, 5, true},
		{"at the residual cut", 40, 1000, 0.036, 5, true},
		{"noisier, flat", 40, 1000, 0.05, 0.3, true},
		{"noisier, following the light", 40, 1000, 0.05, 1.5, false},
		{"noisy", 40, 1000, 0.08, 0, false},
		{"too small a share", 5, 2000, 0.0, 0, false},
		{"fewer than four cells", 3, 100, 0.0, 0, false},
	} {
		if got := reportable(c.n, c.total, c.resid, c.spread, o); got != c.want {
			t.Errorf("%s: reportable = %v, want %v", c.name, got, c.want)
		}
	}
}
