//go:build cgo && !noturbo

package imagecheck

import (
	"bytes"
	"math"
	"testing"

	"github.com/kycq/kycq/imagecheck/turbojpeg"
)

func TestLumaFinalScan(t *testing.T) {
	// Scan headers after the length: Ns, (Cs, Td/Ta)×Ns, Ss, Se, Ah/Al.
	cases := []struct {
		name string
		sos  []byte
		want bool
	}{
		{"luma AC last bit", []byte{1, 1, 0x00, 1, 63, 0x10}, true},
		{"luma AC 6..63 last bit", []byte{1, 1, 0x00, 6, 63, 0x10}, true},
		{"luma AC first pass", []byte{1, 1, 0x00, 1, 5, 0x02}, false},
		{"luma AC refine to bit 1", []byte{1, 1, 0x00, 1, 63, 0x21}, false},
		{"chroma AC last bit", []byte{1, 2, 0x11, 1, 63, 0x10}, false},
		{"DC last bit", []byte{3, 1, 0, 2, 0x11, 3, 0x11, 0, 0, 0x10}, false},
		{"luma DC last bit alone", []byte{1, 1, 0x00, 0, 0, 0x10}, false},
		{"short", []byte{1, 1}, false},
	}
	for _, c := range cases {
		if got := lumaFinalScan(c.sos, 1); got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}

// testPattern is a w×h RGB image with edges, stripes and a gradient.
func testPattern(w, h int) []byte {
	pix := make([]byte, 3*w*h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			i := 3 * (y*w + x)
			v := byte(x * 255 / w)
			if (x/7+y/11)%2 == 0 {
				v /= 2
			}
			if x > w/3 && x < 2*w/3 && y > h/3 && y < 2*h/3 {
				v = 240
			}
			pix[i], pix[i+1], pix[i+2] = v, byte(y*255/h), 255-v
		}
	}
	return pix
}

func countSOS(b []byte) int { return bytes.Count(b, []byte{0xFF, 0xDA}) }

func TestDropFinalLuma(t *testing.T) {
	const w, h = 512, 384
	pix := testPattern(w, h)
	prog, err := turbojpeg.Encode(pix, w, h, 3*w, turbojpeg.PixRGB, turbojpeg.EncodeOptions{Quality: 92, Subsamp: turbojpeg.Samp420, Progressive: true})
	if err != nil {
		t.Fatal(err)
	}
	base, err := turbojpeg.Encode(pix, w, h, 3*w, turbojpeg.PixRGB, turbojpeg.EncodeOptions{Quality: 92, Subsamp: turbojpeg.Samp420})
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := dropFinalLuma(base, nil); ok || &got[0] != &base[0] {
		t.Errorf("a baseline JPEG was changed")
	}
	pruned, ok := dropFinalLuma(prog, nil)
	if !ok {
		t.Fatal("no final luma scan dropped from libjpeg's standard progression")
	}
	if n, m := countSOS(prog), countSOS(pruned); m != n-1 {
		t.Errorf("scans: %d → %d, want one fewer", n, m)
	}
	if len(pruned) >= len(prog) || !bytes.HasSuffix(pruned, []byte{0xFF, 0xD9}) {
		t.Errorf("pruned stream: %d of %d bytes, ends % x", len(pruned), len(prog), pruned[len(pruned)-2:])
	}
	// Both decode at ¼ scale without a warning and differ by about a
	// quantisation step's share of a 4×4 average.
	hdr, err := parseHeader(prog)
	if err != nil {
		t.Fatal(err)
	}
	a, err := decodeJPEG(prog, hdr, 4, true, new(workspace))
	if err != nil {
		t.Fatal(err)
	}
	b, err := decodeJPEG(pruned, hdr, 4, true, new(workspace))
	if err != nil {
		t.Fatal(err)
	}
	var sum, worst float64
	for i := range a.y {
		d := math.Abs(float64(a.y[i]) - float64(b.y[i]))
		sum += d
		worst = max(worst, d)
	}
	if mean := sum / float64(len(a.y)); mean > 1 || worst > 12 {
		t.Errorf("luma differs by %.2f on average, %v at worst", mean, worst)
	}
	if !bytes.Equal(a.cb, b.cb) || !bytes.Equal(a.cr, b.cr) {
		t.Errorf("chroma changed")
	}
	// A stream cut inside the dropped scan (the last) still fails.
	cut, _ := dropFinalLuma(prog[:len(prog)-len(prog)/8], nil)
	if _, err := decodeJPEG(cut, hdr, 4, true, new(workspace)); err == nil {
		t.Errorf("a truncated progressive JPEG decoded")
	}
}

func TestScanEnd(t *testing.T) {
	cases := []struct {
		name string
		data []byte
		from int
		want int
	}{
		{"marker", []byte{1, 2, 0xFF, 0xDA, 0}, 0, 2},
		{"stuffed byte", []byte{1, 0xFF, 0x00, 3, 0xFF, 0xD9}, 0, 4},
		{"restart markers", []byte{0xFF, 0xD0, 7, 0xFF, 0xD7, 0xFF, 0xC4}, 0, 5},
		{"fill byte before a marker", []byte{5, 0xFF, 0xFF, 0xD9}, 0, 2},
		{"from an offset", []byte{0xFF, 0xD9, 1, 0xFF, 0xD9}, 2, 3},
		{"no marker", []byte{1, 2, 3}, 0, 3},
		{"0xFF last", []byte{1, 2, 0xFF}, 0, 3},
	}
	for _, c := range cases {
		if got := scanEnd(c.data, c.from); got != c.want {
			t.Errorf("%s: got %d, want %d", c.name, got, c.want)
		}
	}
}

// FuzzDropFinalLuma: on any input, dropFinalLuma neither panics nor grows
// the stream, and hands back the input itself when it drops nothing.
func FuzzDropFinalLuma(f *testing.F) {
	pix := testPattern(64, 48)
	for _, prog := range []bool{true, false} {
		b, err := turbojpeg.Encode(pix, 64, 48, 3*64, turbojpeg.PixRGB, turbojpeg.EncodeOptions{Quality: 90, Subsamp: turbojpeg.Samp420, Progressive: prog})
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		f.Add(b[:len(b)/2])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		out, ok := dropFinalLuma(data, nil)
		if len(out) > len(data) {
			t.Fatalf("grew from %d to %d bytes", len(data), len(out))
		}
		if !ok && len(data) > 0 && &out[0] != &data[0] {
			t.Fatalf("nothing dropped, yet a copy")
		}
	})
}
