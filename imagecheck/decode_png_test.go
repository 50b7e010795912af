package imagecheck

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"runtime"
	"testing"
)

// referencePNG is how PNGs were decoded before streaming: image/png at
// full size, converted to full-size 4:4:4 planes, then box-reduced. It is
// the reference the streaming decoder must match, pixel for pixel.
func referencePNG(t *testing.T, data []byte, f int) planes {
	t.Helper()
	ws := new(workspace)
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	mw, mh := b.Dx(), b.Dy()
	if g, ok := img.(*image.Gray); ok {
		return fromGray(g.Pix, mw, mh, g.Stride, f, ws)
	}
	full := &image.YCbCr{Y: make([]byte, mw*mh), Cb: make([]byte, mw*mh), Cr: make([]byte, mw*mh),
		YStride: mw, CStride: mw, SubsampleRatio: image.YCbCrSubsampleRatio444, Rect: image.Rect(0, 0, mw, mh)}
	for y := range mh {
		for x := range mw {
			var r, g, bb uint8
			switch m := img.(type) {
			case *image.NRGBA:
				c := m.NRGBAAt(x, y)
				r, g, bb = c.R, c.G, c.B
			case *image.NRGBA64:
				c := m.NRGBA64At(x, y)
				r, g, bb = uint8(c.R>>8), uint8(c.G>>8), uint8(c.B>>8)
			default:
				cr, cg, cb, _ := img.At(x, y).RGBA()
				r, g, bb = uint8(cr>>8), uint8(cg>>8), uint8(cb>>8)
			}
			full.Y[y*mw+x], full.Cb[y*mw+x], full.Cr[y*mw+x] = color.RGBToYCbCr(r, g, bb)
		}
	}
	p, err := fromYCbCr(full, f, ws)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// noisy returns an opaque image of the given model with structure and
// noise, so that every filter type and every bin sees varied values.
func noisy(w, h int, model string, seed uint64) image.Image {
	r := rand.New(rand.NewPCG(seed, 1))
	rect := image.Rect(0, 0, w, h)
	pal := color.Palette{}
	for i := range 16 {
		pal = append(pal, color.RGBA{uint8(i * 16), uint8(255 - i*13), uint8(i * 7), 255})
	}
	var img interface {
		image.Image
		Set(x, y int, c color.Color)
	}
	switch model {
	case "gray":
		img = image.NewGray(rect)
	case "gray16":
		img = image.NewGray16(rect)
	case "rgba":
		img = image.NewRGBA(rect)
	case "nrgba":
		img = image.NewNRGBA(rect)
	case "rgba64":
		img = image.NewRGBA64(rect)
	case "paletted":
		img = image.NewPaletted(rect, pal)
	}
	for y := range h {
		for x := range w {
			v := uint8((x*3 + y*5) % 256)
			n := uint8(r.IntN(40))
			img.Set(x, y, color.RGBA{v + n, uint8(y*7) ^ n, uint8(x*11) + n, 255})
		}
	}
	return img
}

// The streaming decoder gives the planes image/png gave, for every colour
// type and depth it writes, odd sizes, every reduction factor.
func TestDecodePNGMatchesImagePNG(t *testing.T) {
	for _, model := range []string{"gray", "gray16", "rgba", "nrgba", "rgba64", "paletted"} {
		// 400×300 of noise compresses to more than one IDAT chunk.
		for _, size := range [][2]int{{1, 1}, {7, 5}, {33, 17}, {130, 97}, {400, 300}} {
			var buf bytes.Buffer
			if err := png.Encode(&buf, noisy(size[0], size[1], model, uint64(size[0]))); err != nil {
				t.Fatal(err)
			}
			if size[0] == 400 && bytes.Count(buf.Bytes(), []byte("IDAT")) < 2 {
				t.Fatalf("%s 400×300: one IDAT chunk; the case does not test several", model)
			}
			for _, f := range []int{1, 2, 4, 8} {
				t.Run(fmt.Sprintf("%s_%dx%d_f%d", model, size[0], size[1], f), func(t *testing.T) {
					want := referencePNG(t, buf.Bytes(), f)
					got, err := decodePNG(buf.Bytes(), f, new(workspace))
					if err != nil {
						t.Fatal(err)
					}
					samePlanes(t, got, want)
				})
			}
		}
	}
}

// Packed depths and interlacing, written by hand (image/png writes
// neither): the streaming decoder agrees with image/png on them too.
func TestDecodePNGPackedAndInterlaced(t *testing.T) {
	for _, tc := range []struct {
		colour, depth byte
		interlace     byte
	}{
		{0, 1, 0}, {0, 2, 0}, {0, 4, 0}, {3, 1, 0}, {3, 2, 0}, {3, 4, 0},
		{0, 8, 1}, {2, 8, 1}, {6, 16, 1}, {0, 4, 1}, {3, 8, 1}, {4, 8, 0}, {4, 16, 1},
	} {
		for _, size := range [][2]int{{1, 1}, {9, 3}, {37, 29}} {
			data := handmadePNG(size[0], size[1], tc.colour, tc.depth, tc.interlace)
			for _, f := range []int{1, 2, 4} {
				t.Run(fmt.Sprintf("ct%d_d%d_i%d_%dx%d_f%d", tc.colour, tc.depth, tc.interlace, size[0], size[1], f), func(t *testing.T) {
					want := referencePNG(t, data, f)
					got, err := decodePNG(data, f, new(workspace))
					if err != nil {
						t.Fatal(err)
					}
					samePlanes(t, got, want)
				})
			}
		}
	}
}

func samePlanes(t *testing.T, got, want planes) {
	t.Helper()
	if got.w != want.w || got.h != want.h || got.cw != want.cw || got.ch != want.ch || got.gray != want.gray {
		t.Fatalf("geometry %dx%d (%dx%d, gray %v), want %dx%d (%dx%d, gray %v)",
			got.w, got.h, got.cw, got.ch, got.gray, want.w, want.h, want.cw, want.ch, want.gray)
	}
	for name, pair := range map[string][2][]byte{"Y": {got.y, want.y}, "Cb": {got.cb, want.cb}, "Cr": {got.cr, want.cr}} {
		if !bytes.Equal(pair[0], pair[1]) {
			for i := range pair[1] {
				if pair[0][i] != pair[1][i] {
					t.Fatalf("%s differs first at %d: %d, want %d", name, i, pair[0][i], pair[1][i])
				}
			}
		}
	}
}

// handmadePNG writes a w×h PNG of the given colour type, depth and
// interlacing, with every filter type in turn (a valid palette for type
// 3), opaque.
func handmadePNG(w, h int, colour, depth, interlace byte) []byte {
	r := rand.New(rand.NewPCG(uint64(w*h), uint64(colour)))
	var out bytes.Buffer
	out.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr, uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9], ihdr[12] = depth, colour, interlace
	writeChunk(&out, "IHDR", ihdr)
	if colour == 3 {
		n := 1 << min(depth, 8)
		pal := make([]byte, 3*n)
		for i := range pal {
			pal[i] = byte(r.IntN(256))
		}
		writeChunk(&out, "PLTE", pal)
	}
	channels := map[byte]int{0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[colour]
	bitsPP := channels * int(depth)
	var raw bytes.Buffer
	passes := adam7[:]
	if interlace == 0 {
		passes = []struct{ x0, y0, dx, dy int }{{0, 0, 1, 1}}
	}
	filter := byte(0)
	for _, ps := range passes {
		pw := (w - ps.x0 + ps.dx - 1) / ps.dx
		ph := (h - ps.y0 + ps.dy - 1) / ps.dy
		if pw <= 0 || ph <= 0 {
			continue
		}
		for range ph {
			row := make([]byte, (pw*bitsPP+7)/8)
			for i := range row {
				row[i] = byte(r.IntN(256))
			}
			if colour == 4 || colour == 6 { // opaque: alpha samples at maximum
				step := int(depth) / 8
				for p := range pw {
					a := (p*channels + channels - 1) * step
					for k := range step {
						row[a+k] = 0xff
					}
				}
			}
			// The bytes are taken as already filtered with type filter:
			// any byte string is a valid filtered row.
			raw.WriteByte(filter % 5)
			raw.Write(row)
			filter++
		}
	}
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(raw.Bytes())
	zw.Close()
	writeChunk(&out, "IDAT", z.Bytes())
	writeChunk(&out, "IEND", nil)
	return out.Bytes()
}

func writeChunk(b *bytes.Buffer, typ string, data []byte) {
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(data)))
	b.Write(n[:])
	b.WriteString(typ)
	b.Write(data)
	c := crc32.NewIEEE()
	c.Write([]byte(typ))
	c.Write(data)
	binary.BigEndian.PutUint32(n[:], c.Sum32())
	b.Write(n[:])
}

// bombPNG is the upload of issue 12, item 9: a 16-bit RGBA PNG of
// 7740×7740 (59.9 MP, under the 60 MP limit) that compresses to under
// 0.5 MB and that image/png decodes into 480 MB.
func bombPNG() []byte {
	const w, h = 7740, 7740
	var out bytes.Buffer
	out.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr, w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 16, 6
	writeChunk(&out, "IHDR", ihdr)
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	row := make([]byte, 1+w*8)
	for range h {
		zw.Write(row)
	}
	zw.Close()
	writeChunk(&out, "IDAT", z.Bytes())
	writeChunk(&out, "IEND", nil)
	return out.Bytes()
}

// The bomb costs one check a few MB, not a gigabyte: everything the check
// allocates, measured with the runtime's own counters, stays under 64 MB
// (issue 12, item 9; image/png alone allocated 480 MB for it).
func TestPNGBombMemoryIsBounded(t *testing.T) {
	data := bombPNG()
	if len(data) > 15<<20 {
		t.Fatalf("the bomb is %d bytes, over the upload limit: not the case to test", len(data))
	}
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	rep := Check(data, DefaultOptions())
	runtime.ReadMemStats(&after)
	allocated := after.TotalAlloc - before.TotalAlloc
	t.Logf("%d-byte PNG of 7740×7740×16-bit RGBA: %.1f MB allocated, decoded to %dx%d, ok=%v reasons=%v",
		len(data), float64(allocated)/(1<<20), rep.DecodedWidth, rep.DecodedHeight, rep.OK, rep.Reasons)
	if rep.Error != "" || rep.DecodedWidth == 0 {
		t.Fatalf("the PNG was not decoded: %q", rep.Error)
	}
	if allocated > 64<<20 {
		t.Fatalf("one check allocated %.1f MB, over the 64 MB bound", float64(allocated)/(1<<20))
	}
}

// The decode budget counts what the pixels cost once decoded, depth and
// channels included, and refuses before decoding: a JPEG decoded at full
// size by image/jpeg is refused over it; the same pixels as a streamed PNG
// cost only the working planes.
func TestDecodeBudget(t *testing.T) {
	for _, tc := range []struct {
		name   string
		hdr    header
		f      int
		goJPEG bool
		want   int64
	}{
		{"png 16-bit rgba bomb", header{format: formatPNG, width: 7740, height: 7740, components: 3}, 8, false, 3 * (968*968 + 2*484*484)},
		{"jpeg full size, image/jpeg", header{format: formatJPEG, width: 8000, height: 6000, components: 3}, 8, true, 8000*6000*3 + 1000*750 + 2*500*375},
		{"jpeg, turbo scaled", header{format: formatJPEG, width: 8000, height: 6000, components: 3}, 8, false, 1000*750*3 + 1000*750 + 2*500*375},
		{"gray jpeg", header{format: formatJPEG, width: 100, height: 100, components: 1}, 1, true, 100*100 + 100*100 + 2*50*50},
	} {
		if got := decodeCost(tc.hdr, tc.f, tc.goJPEG); got != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, got, tc.want)
		}
	}
	// Over the budget: doc_unreadable with a reason, before any decoding.
	var buf bytes.Buffer
	if err := png.Encode(&buf, noisy(200, 100, "rgba", 1)); err != nil {
		t.Fatal(err)
	}
	opts := DefaultOptions()
	opts.MaxDecodeBytes = 1000
	rep := Check(buf.Bytes(), opts)
	if rep.OK || len(rep.Reasons) != 1 || rep.Reasons[0] != "doc_unreadable" || rep.Error == "" {
		t.Fatalf("over the budget: ok=%v reasons=%v error=%q", rep.OK, rep.Reasons, rep.Error)
	}
}

// BenchmarkDecodePNGBomb measures decoding the 59.9 MP 16-bit PNG of
// TestPNGBombMemoryIsBounded (go test -bench DecodePNGBomb -benchmem).
func BenchmarkDecodePNGBomb(b *testing.B) {
	data := bombPNG()
	f := scaleFor(7740, 7740, DefaultOptions().WorkSize)
	b.ResetTimer()
	for range b.N {
		if _, err := decodePNG(data, f, new(workspace)); err != nil {
			b.Fatal(err)
		}
	}
}

// Broken PNGs are unreadable with a reason, never a panic or a partial
// image.
func TestDecodePNGRefusesBrokenFiles(t *testing.T) {
	good := handmadePNG(37, 29, 2, 8, 0)
	idat := bytes.Index(good, []byte("IDAT"))
	mut := func(f func(b []byte) []byte) []byte { return f(bytes.Clone(good)) }
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"bad checksum", mut(func(b []byte) []byte { b[idat+10] ^= 0xff; return b }), "checksum"},
		{"truncated chunk", good[:idat+20], "truncated"},
		{"no image data", func() []byte {
			var b bytes.Buffer
			b.Write(good[:8+25])
			writeChunk(&b, "IEND", nil)
			return b.Bytes()
		}(), "no image data"},
		{"palette image without a palette", handmadeWithout(t, "PLTE"), "palette"},
		{"bad depth for the colour type", func() []byte {
			var b bytes.Buffer
			b.WriteString("\x89PNG\r\n\x1a\n")
			ihdr := make([]byte, 13)
			binary.BigEndian.PutUint32(ihdr, 4)
			binary.BigEndian.PutUint32(ihdr[4:], 4)
			ihdr[8], ihdr[9] = 4, 2 // RGB at 4 bits
			writeChunk(&b, "IHDR", ihdr)
			return b.Bytes()
		}(), "depth"},
		{"too little image data", func() []byte {
			var b bytes.Buffer
			b.Write(good[:8+25])
			var z bytes.Buffer
			zw := zlib.NewWriter(&z)
			zw.Write([]byte{0, 1, 2, 3})
			zw.Close()
			writeChunk(&b, "IDAT", z.Bytes())
			writeChunk(&b, "IEND", nil)
			return b.Bytes()
		}(), "truncated image data"},
		{"unknown filter", func() []byte {
			var b bytes.Buffer
			b.Write(good[:8+25])
			var z bytes.Buffer
			zw := zlib.NewWriter(&z)
			zw.Write(append([]byte{9}, make([]byte, 37*3)...))
			zw.Close()
			writeChunk(&b, "IDAT", z.Bytes())
			writeChunk(&b, "IEND", nil)
			return b.Bytes()
		}(), "filter"},
	} {
		_, err := decodePNG(tc.data, 1, new(workspace))
		if err == nil || !bytes.Contains([]byte(err.Error()), []byte(tc.want)) {
			t.Errorf("%s: %v, want an unreadable error about %q", tc.name, err, tc.want)
		}
	}
}

// handmadeWithout is a palette PNG with one chunk type left out.
func handmadeWithout(t *testing.T, typ string) []byte {
	t.Helper()
	data := handmadePNG(9, 3, 3, 8, 0)
	i := bytes.Index(data, []byte(typ))
	if i < 4 {
		t.Fatalf("no %s chunk", typ)
	}
	n := int(binary.BigEndian.Uint32(data[i-4:]))
	return append(bytes.Clone(data[:i-4]), data[i+4+n+4:]...)
}
