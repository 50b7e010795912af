//go:build cgo && !noturbo

package turbojpeg

import (
	"fmt"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"testing"

	"github.com/kycq/kycq/imagecheck/turbojpeg/internal/scaledold"
)

// sparsePicture is a smooth RGB picture with a few isolated dots and
// short lines: its blocks hold long runs of zero coefficients (runs of
// 14 and 15 at low qualities) and many end after a coefficient or two.
func sparsePicture(w, h int, seed int64) []byte {
	r := rand.New(rand.NewSource(seed))
	pix := make([]byte, w*h*3)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			i := (y*w + x) * 3
			v := 120 + 40*math.Sin(float64(x)/97) + 30*math.Cos(float64(y)/131)
			pix[i], pix[i+1], pix[i+2] = clamp8(v), clamp8(v*0.8+20), clamp8(200-v/2)
		}
	}
	for n := w * h / 400; n > 0; n-- {
		x, y, l := r.Intn(w), r.Intn(h), 1+r.Intn(6)
		c := byte(r.Intn(256))
		for j := 0; j < l && x+j < w; j++ {
			i := (y*w + x + j) * 3
			pix[i], pix[i+1], pix[i+2] = c, 255-c, c/2
		}
	}
	return pix
}

// scaledInputs are the JPEGs TestDecodeScaledMatchesOld decodes: baseline
// and progressive, every sampling the reduced decoder takes, odd sizes,
// qualities 50 to 100 (at 100 many blocks end on position 63 with no end
// of block), noisy and sparse pictures, restart markers (restart.jpg),
// long runs in short codes (runs.jpg), the benchmark photos in
// $KYCQ_CACHE when there, and damaged copies.
func scaledInputs(t *testing.T) (names []string, files [][]byte) {
	t.Helper()
	add := func(name string, data []byte) {
		names = append(names, name)
		files = append(files, data)
	}
	type enc struct {
		w, h, q, ss  int
		prog, sparse bool
	}
	cases := []enc{
		{17, 9, 85, Samp420, false, false},
		{333, 211, 50, Samp420, false, true},
		{333, 211, 97, Samp422, false, false},
		{333, 211, 90, Samp444, false, true},
		{333, 211, 90, Samp440, false, false},
		{517, 389, 88, SampGray, false, false},
		{517, 389, 60, SampGray, false, true},
		{640, 480, 75, Samp420, false, false},
		{640, 480, 100, Samp420, false, false},
		{640, 480, 100, Samp444, false, true},
		{1001, 757, 92, Samp420, false, false},
		{1001, 757, 98, Samp422, false, true},
		{1001, 757, 50, Samp444, false, false},
		{4032, 3024, 93, Samp420, false, false},
		{4032, 3024, 70, Samp420, false, true},
		{1001, 757, 92, Samp420, true, false},
		{333, 211, 90, Samp444, true, true},
		{517, 389, 88, SampGray, true, false},
	}
	for i, c := range cases {
		var pix []byte
		if c.sparse {
			pix = sparsePicture(c.w, c.h, int64(i))
		} else {
			pix = testPicture(c.w, c.h, int64(i))
		}
		pf, stride := PixRGB, c.w*3
		if c.ss == SampGray {
			g := make([]byte, c.w*c.h)
			for j := range g {
				g[j] = pix[3*j]
			}
			pix, pf, stride = g, PixGray, c.w
		}
		data, err := Encode(pix, c.w, c.h, stride, pf, EncodeOptions{Quality: c.q, Subsamp: c.ss, Progressive: c.prog})
		if err != nil {
			t.Fatal(err)
		}
		add(fmt.Sprintf("%dx%d q%d sampling %d progressive %v sparse %v", c.w, c.h, c.q, c.ss, c.prog, c.sparse), data)
	}
	rst, err := os.ReadFile(filepath.Join("testdata", "restart.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	add("restart.jpg", rst)
	// testdata/runs.jpg: a 128×96 gray JPEG (cjpeg -quality 50 -optimize
	// -grayscale) of blocks drawn from a few chosen coefficients, a run of
	// 13 to 15 zeros between each two: its optimised AC table codes a run
	// of 14 or 15 before a ±1 in 3 bits, so that two coefficients with
	// such a run between them fit in one pair lookup (kq_pairs leaves a
	// second one with a run over 13 to the next lookup).
	runs, err := os.ReadFile(filepath.Join("testdata", "runs.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	add("runs.jpg", runs)
	// Damaged copies of some cases and of the restart JPEG: cut short, a
	// bit flipped, a byte set to 0xFF, bytes deleted.
	r := rand.New(rand.NewSource(449))
	for _, i := range []int{1, 2, 7, 9, 10, 12, len(cases)} {
		base := files[i]
		for j := 0; j < 8; j++ {
			b := append([]byte(nil), base...)
			pos := len(b)/3 + r.Intn(len(b)*2/3-2)
			switch j % 4 {
			case 0:
				b = b[:pos]
			case 1:
				b[pos] ^= 1 << r.Intn(8)
			case 2:
				b[pos] = 0xFF
			default:
				b = append(b[:pos], b[pos+1+r.Intn(3):]...)
			}
			add(fmt.Sprintf("%s damaged %d", names[i], j), b)
		}
	}
	if dir := os.Getenv("KYCQ_CACHE"); dir != "" {
		m, _ := filepath.Glob(filepath.Join(dir, "imagecheck-dist-*.jpg"))
		for _, p := range m {
			if b, err := os.ReadFile(p); err == nil {
				add(filepath.Base(p), b)
			}
		}
	}
	return names, files
}

// The reduced decoder gives the planes (and the small planes) of the
// decoder before the block loop's instruction cut, byte for byte, and
// takes and refuses the same JPEGs, at ½, ¼ and ⅛.
func TestDecodeScaledMatchesOld(t *testing.T) {
	names, files := scaledInputs(t)
	d, err := NewDecoder()
	if err != nil {
		t.Fatal(err)
	}
	accepted, smalls := 0, 0
	for i, data := range files {
		h, err := d.Header(data)
		if err != nil {
			continue
		}
		for _, f := range []int{2, 4, 8} {
			w, hh := ScaledSize(h.Width, f), ScaledSize(h.Height, f)
			yw, yh := PlaneSize(0, w, hh, h.Subsamp)
			cw, ch := 0, 0
			if h.Subsamp != SampGray {
				cw, ch = PlaneSize(1, w, hh, h.Subsamp)
			}
			var s, so Small
			if f == 4 && h.Subsamp == Samp420 && w%4 == 0 && hh%4 == 0 {
				s = Small{W: w / 4, H: hh / 4}
				s.Y, s.Cb, s.Cr = make([]byte, s.W*s.H), make([]byte, s.W*s.H), make([]byte, s.W*s.H)
				so = s
				so.Y, so.Cb, so.Cr = make([]byte, s.W*s.H), make([]byte, s.W*s.H), make([]byte, s.W*s.H)
			}
			var got, want [3][]byte
			got[0], want[0] = make([]byte, yw*yh), make([]byte, yw*yh)
			if cw > 0 {
				for p := 1; p < 3; p++ {
					got[p], want[p] = make([]byte, cw*ch), make([]byte, cw*ch)
				}
			}
			ok, smallOK := d.DecodeScaledSmall(data, f, got[0], got[1], got[2], yw, cw, yw, yh, cw, ch, s)
			okOld, smallOld := scaledold.DecodeScaledSmall(data, f, want[0], want[1], want[2], yw, cw, yw, yh, cw, ch,
				scaledold.Small{Y: so.Y, Cb: so.Cb, Cr: so.Cr, W: so.W, H: so.H})
			name := fmt.Sprintf("%s at 1/%d", names[i], f)
			if ok != okOld || smallOK != smallOld {
				t.Errorf("%s: accepted %v (small %v), the old decoder %v (small %v)", name, ok, smallOK, okOld, smallOld)
				continue
			}
			if !ok {
				continue
			}
			accepted++
			for p := range 3 {
				if string(got[p]) != string(want[p]) {
					t.Errorf("%s: plane %d differs from the old decoder's", name, p)
				}
			}
			if smallOK {
				smalls++
				if string(s.Y) != string(so.Y) || string(s.Cb) != string(so.Cb) || string(s.Cr) != string(so.Cr) {
					t.Errorf("%s: the small planes differ from the old decoder's", name)
				}
			}
		}
	}
	// Every baseline case at ½, ¼ and ⅛, the progressive ones at ¼ and ⅛,
	// restart.jpg and runs.jpg at all three: the comparison is not vacuous.
	if accepted < 15*3+3*2+3+3 || smalls < 2 {
		t.Errorf("only %d decodes accepted (%d with small planes)", accepted, smalls)
	}
	t.Logf("%d inputs, %d decodes accepted by both, %d with small planes", len(files), accepted, smalls)
}
