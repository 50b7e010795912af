//go:build cgo && !noturbo

package turbojpeg

import (
	"fmt"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"testing"
)

// testPicture is an RGB picture with smooth areas, edges and noise, so
// that every coefficient position carries values.
func testPicture(w, h int, seed int64) []byte {
	r := rand.New(rand.NewSource(seed))
	pix := make([]byte, w*h*3)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			i := (y*w + x) * 3
			v := 128 + 90*math.Sin(float64(x)/17+float64(y)/29)
			if (x/23+y/31)%3 == 0 {
				v = 255 - v
			}
			n := r.NormFloat64() * 12
			pix[i] = clamp8(v + n)
			pix[i+1] = clamp8(v*0.6 + float64(x%200) + n)
			pix[i+2] = clamp8(255 - v + n)
		}
	}
	return pix
}

func clamp8(v float64) byte { return byte(max(0, min(255, v))) }

// encodeTestPicture is testPicture(w, h, seed) (its first channel alone for
// SampGray) encoded by libjpeg-turbo at quality q, progressive or not.
func encodeTestPicture(t *testing.T, w, h, q, ss int, seed int64, progressive bool) []byte {
	t.Helper()
	pix := testPicture(w, h, seed)
	pf, stride := PixRGB, w*3
	if ss == SampGray {
		g := make([]byte, w*h)
		for i := range g {
			g[i] = pix[3*i]
		}
		pix, pf, stride = g, PixGray, w
	}
	data, err := Encode(pix, w, h, stride, pf, EncodeOptions{Quality: q, Subsamp: ss, Progressive: progressive})
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// planesOf decodes data at 1/f both ways and returns the two results.
func planesOf(t *testing.T, data []byte, f int) (ref, got [3][]byte, ok bool, sizes [3][2]int) {
	t.Helper()
	d, err := NewDecoder()
	if err != nil {
		t.Fatal(err)
	}
	h, err := d.Header(data)
	if err != nil {
		t.Fatal(err)
	}
	w, hh := ScaledSize(h.Width, f), ScaledSize(h.Height, f)
	yw, yh := PlaneSize(0, w, hh, h.Subsamp)
	sizes[0] = [2]int{yw, yh}
	ref[0], got[0] = make([]byte, yw*yh), make([]byte, yw*yh)
	cw, ch := 0, 0
	if h.Subsamp != SampGray {
		cw, ch = PlaneSize(1, w, hh, h.Subsamp)
		for i := 1; i < 3; i++ {
			ref[i], got[i] = make([]byte, cw*ch), make([]byte, cw*ch)
			sizes[i] = [2]int{cw, ch}
		}
	}
	if err := d.DecodePlanes(data, w, hh, ref[0], ref[1], ref[2], yw, cw, h.Subsamp); err != nil {
		t.Fatal(err)
	}
	ok = d.DecodeScaled(data, f, got[0], got[1], got[2], yw, cw, yw, yh, cw, ch)
	return ref, got, ok, sizes
}

// The reduced decoder gives libjpeg-turbo's scaled planes to within
// rounding: the mean of the full IDCT over each output's f×f pixels is
// what libjpeg's reduced IDCTs compute too, in fixed point.
//
// testdata/runs.jpg (cjpeg -quality 50 -optimize -grayscale of a 128×96
// picture drawn from coefficients with runs of 13–15 zeros between them)
// has an optimised table that codes a run of 14 or 15 before a ±1 in 3
// bits, so that two such coefficients fit one lookup of the decoder's pair
// table, which the standard tables' longer codes never do.
func TestDecodeScaledMatchesLibjpeg(t *testing.T) {
	for _, c := range []struct {
		w, h, q, ss int
		file        string // a JPEG in testdata instead of an encoded testPicture
	}{
		{1001, 757, 92, Samp420, ""},
		{640, 480, 75, Samp420, ""},
		{333, 211, 97, Samp422, ""},
		{333, 211, 90, Samp444, ""},
		{333, 211, 90, Samp440, ""},
		{517, 389, 88, SampGray, ""},
		{17, 9, 85, Samp420, ""},
		{128, 96, 50, SampGray, "runs.jpg"},
	} {
		var data []byte
		if c.file != "" {
			var err error
			if data, err = os.ReadFile(filepath.Join("testdata", c.file)); err != nil {
				t.Fatal(err)
			}
		} else {
			data = encodeTestPicture(t, c.w, c.h, c.q, c.ss, int64(c.w), false)
		}
		for _, f := range []int{2, 4, 8} {
			ref, got, ok, sizes := planesOf(t, data, f)
			if !ok {
				t.Fatalf("%dx%d q%d subsampling %d at 1/%d: the reduced decoder refused a baseline JPEG", c.w, c.h, c.q, c.ss, f)
			}
			comparePlanes(t, fmt.Sprintf("%dx%d q%d subsampling %d at 1/%d", c.w, c.h, c.q, c.ss, f), c.w, c.h, c.ss, f, ref, got, sizes, 2, 0.2)
		}
	}
}

// Progressive JPEGs at ¼ and ⅛ (every scan present, so that libjpeg-turbo
// does no block smoothing) give libjpeg-turbo's planes to within rounding,
// as baseline ones do; so does one whose scans carry restart markers
// (jpegtran -restart of a progressive JPEG is not at hand: the encoder
// writes none, so the restart case is the baseline test's).
func TestDecodeScaledProgressiveMatchesLibjpeg(t *testing.T) {
	for _, c := range []struct {
		w, h, q, ss int
	}{
		{1001, 757, 92, Samp420},
		{640, 480, 75, Samp420},
		{333, 211, 97, Samp422},
		{333, 211, 90, Samp444},
		{333, 211, 90, Samp440},
		{517, 389, 88, SampGray},
		{17, 9, 85, Samp420},
		{1203, 905, 98, Samp420},
	} {
		data := encodeTestPicture(t, c.w, c.h, c.q, c.ss, int64(c.w)+1, true)
		for _, f := range []int{4, 8} {
			ref, got, ok, sizes := planesOf(t, data, f)
			if !ok {
				t.Fatalf("%dx%d q%d subsampling %d at 1/%d: the reduced decoder refused a progressive JPEG", c.w, c.h, c.q, c.ss, f)
			}
			comparePlanes(t, fmt.Sprintf("progressive %dx%d q%d subsampling %d at 1/%d", c.w, c.h, c.q, c.ss, f), c.w, c.h, c.ss, f, ref, got, sizes, 2, 0.2)
		}
	}
}

// comparePlanes compares the pixels of each component's own samples
// (libjpeg leaves the dummy blocks that pad a plane to whole MCUs
// undecoded) and fails beyond worst levels or a mean difference of mean.
func comparePlanes(t *testing.T, name string, w, h, ss, f int, ref, got [3][]byte, sizes [3][2]int, worstOK int, meanOK float64) {
	t.Helper()
	sub := map[int][2]int{Samp420: {2, 2}, Samp422: {2, 1}, Samp440: {1, 2}, Samp444: {1, 1}, SampGray: {1, 1}}[ss]
	rx, ry := sub[0], sub[1]
	for p := range 3 {
		if ref[p] == nil {
			continue
		}
		vw, vh := ScaledSize(w, f), ScaledSize(h, f)
		if p > 0 {
			vw, vh = ScaledSize((w+rx-1)/rx, f), ScaledSize((h+ry-1)/ry, f)
		}
		worst, sum := 0, 0
		for y := range vh {
			for x := range vw {
				i := y*sizes[p][0] + x
				d := int(ref[p][i]) - int(got[p][i])
				d = max(d, -d)
				worst = max(worst, d)
				sum += d
			}
		}
		mean := float64(sum) / float64(vw*vh)
		if worst > worstOK || mean > meanOK {
			t.Errorf("%s, plane %d (%dx%d): max difference %d, mean %.3f", name, p, sizes[p][0], sizes[p][1], worst, mean)
		}
	}
}

// Restart markers (testdata/restart.jpg: jpegtran -restart 1 of a 4:2:0
// JPEG, one row of MCUs per interval) are followed, and a stream whose
// markers or data are wrong is refused, to be decoded (or refused) by
// libjpeg-turbo.
func TestDecodeScaledRestartsAndRefusals(t *testing.T) {
	rst, err := os.ReadFile(filepath.Join("testdata", "restart.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	ref, got, ok, _ := planesOf(t, rst, 4)
	if !ok {
		t.Fatal("a JPEG with restart markers was refused")
	}
	for i := range ref[0] {
		if d := int(ref[0][i]) - int(got[0][i]); d > 2 || d < -2 {
			t.Fatalf("restart JPEG: luma %d differs by %d", i, d)
		}
	}

	pix := testPicture(320, 240, 3)
	base, err := Encode(pix, 320, 240, 960, PixRGB, EncodeOptions{Quality: 90, Subsamp: Samp420})
	if err != nil {
		t.Fatal(err)
	}
	prog, err := Encode(pix, 320, 240, 960, PixRGB, EncodeOptions{Quality: 90, Subsamp: Samp420, Progressive: true})
	if err != nil {
		t.Fatal(err)
	}
	sos := 0
	for i := 0; i+1 < len(base); i++ {
		if base[i] == 0xFF && base[i+1] == 0xDA {
			sos = i
			break
		}
	}
	mid := sos + (len(base)-sos)/2
	flipped := append([]byte(nil), base...)
	flipped[mid] ^= 0x5A
	refuse := map[string][]byte{
		"progressive at ½": prog,
		"truncated":        base[:mid],
		"no EOI":           base[:len(base)-2],
		"junk before EOI":  append(append(append([]byte(nil), base[:len(base)-2]...), 0x12, 0x34), 0xFF, 0xD9),
		"not a JPEG":       []byte("not a jpeg at all"),
	}
	// A chroma DC table whose last symbol, on an 11-bit code (longer than
	// the fast lookup), is a size of 62: libjpeg-turbo refuses the table.
	for i := 0; i+4 < sos; i++ {
		if base[i] == 0xFF && base[i+1] == 0xC4 && base[i+4] == 0x01 {
			bad := append([]byte(nil), base...)
			n := 0
			for _, c := range bad[i+5 : i+21] {
				n += int(c)
			}
			bad[i+21+n-1] = 62
			refuse["DC size over 15 on a long code"] = bad
			break
		}
	}
	if len(refuse) != 6 {
		t.Fatal("no chroma DC table found in the test JPEG")
	}
	// A restart marker removed: the decoder must not read on through it.
	for i := 0; i+1 < len(rst); i++ {
		if rst[i] == 0xFF && rst[i+1] == 0xD3 {
			refuse["restart marker missing"] = append(append([]byte(nil), rst[:i]...), rst[i+2:]...)
			break
		}
	}
	d, _ := NewDecoder()
	buf := make([]byte, 160*120*2)
	if d.DecodeScaled(prog, 2, buf[:160*120], buf[160*120:160*120+80*60], buf[160*120+80*60:], 160, 80, 160, 120, 80, 60) {
		t.Error("a progressive JPEG at ½: accepted")
	}
	delete(refuse, "progressive at ½")
	for name, data := range refuse {
		if d.DecodeScaled(data, 4, buf[:80*60], buf[80*60:80*60+40*30], buf[80*60+40*30:], 80, 40, 80, 60, 40, 30) {
			t.Errorf("%s: accepted", name)
		}
	}
	// A flipped byte inside the data either fails or decodes; it must not
	// crash, and it is libjpeg-turbo's call (it may decode it with a
	// different picture, as may this decoder).
	d.DecodeScaled(flipped, 4, buf[:80*60], buf[80*60:80*60+40*30], buf[80*60+40*30:], 80, 40, 80, 60, 40, 30)
}

func BenchmarkDecodeScaled(b *testing.B) {
	dir := os.Getenv("KYCQ_CACHE")
	data, err := os.ReadFile(filepath.Join(dir, "imagecheck-dist-12mp-q85-95-4.jpg"))
	if err != nil {
		b.Skip("run the imagecheck distribution benchmark first to cache its photos:", err)
	}
	d, _ := NewDecoder()
	h, _ := d.Header(data)
	w, hh := ScaledSize(h.Width, 4), ScaledSize(h.Height, 4)
	yw, yh := PlaneSize(0, w, hh, h.Subsamp)
	cw, ch := PlaneSize(1, w, hh, h.Subsamp)
	y, cb, cr := make([]byte, yw*yh), make([]byte, cw*ch), make([]byte, cw*ch)
	b.Run("libjpeg-turbo", func(b *testing.B) {
		for b.Loop() {
			if err := d.DecodePlanes(data, w, hh, y, cb, cr, yw, cw, h.Subsamp); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("reduced", func(b *testing.B) {
		for b.Loop() {
			if !d.DecodeScaled(data, 4, y, cb, cr, yw, cw, yw, yh, cw, ch) {
				b.Fatal("refused")
			}
		}
	})
}

// Whatever the bytes, the reduced decoder stays inside its buffers, and
// it takes only what libjpeg-turbo decodes without a warning.
//
//	go test ./imagecheck/turbojpeg -run '^$' -fuzz FuzzDecodeScaled -fuzztime 2m
func FuzzDecodeScaled(f *testing.F) {
	pix := testPicture(48, 40, 9)
	for _, ss := range []int{Samp420, Samp422, Samp444} {
		b, err := Encode(pix, 48, 40, 144, PixRGB, EncodeOptions{Quality: 90, Subsamp: ss})
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, uint8(4))
		if b, err = Encode(pix, 48, 40, 144, PixRGB, EncodeOptions{Quality: 90, Subsamp: ss, Progressive: true}); err != nil {
			f.Fatal(err)
		}
		f.Add(b, uint8(1))
	}
	if rst, err := os.ReadFile(filepath.Join("testdata", "restart.jpg")); err == nil {
		f.Add(rst, uint8(2))
	}
	f.Fuzz(func(t *testing.T, data []byte, fb uint8) {
		sc := []int{2, 4, 8}[int(fb)%3]
		d, err := NewDecoder()
		if err != nil {
			t.Fatal(err)
		}
		h, err := d.Header(data)
		if err != nil || h.Width*h.Height > 1<<20 {
			return
		}
		w, hh := ScaledSize(h.Width, sc), ScaledSize(h.Height, sc)
		yw, yh := PlaneSize(0, w, hh, h.Subsamp)
		y := make([]byte, yw*yh)
		var cb, cr []byte
		cw, ch := 0, 0
		if h.Subsamp != SampGray {
			cw, ch = PlaneSize(1, w, hh, h.Subsamp)
			cb, cr = make([]byte, cw*ch), make([]byte, cw*ch)
		}
		if !d.DecodeScaled(data, sc, y, cb, cr, yw, cw, yw, yh, cw, ch) {
			return
		}
		if err := d.DecodePlanes(data, w, hh, y, cb, cr, yw, cw, h.Subsamp); err != nil {
			t.Fatalf("the reduced decoder took a JPEG libjpeg-turbo refuses: %v", err)
		}
	})
}
