//go:build cgo && !noturbo

package imagecheck

import (
	"bytes"
	"image"
	"testing"

	"github.com/kycq/kycq/internal/eval/docgen"
)

// smallTestPhoto is a w×h photo of gradients, a darker card-like
// rectangle and pixel noise (a xorshift sequence), so that neighbouring
// blocks and their chroma differ.
func smallTestPhoto(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	s := uint32(2463534242)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			s ^= s << 13
			s ^= s >> 17
			s ^= s << 5
			n := int(s%23) - 11
			r, g, b := 40+x*150/w, 60+y*140/h, 200-x*100/w
			if x > w/5 && x < 4*w/5 && y > h/4 && y < 3*h/4 {
				r, g, b = r/2+60, g/2, b/2+30
			}
			o := img.PixOffset(x, y)
			img.Pix[o] = byte(min(255, max(0, r+n)))
			img.Pix[o+1] = byte(min(255, max(0, g+n)))
			img.Pix[o+2] = byte(min(255, max(0, b-n)))
			img.Pix[o+3] = 255
		}
	}
	return img
}

// TestSmallPlanesFromDecoder holds the reduced planes the decoder writes
// along with a 4:2:0 photo's ¼-scale planes (the MCUs' means) to those
// smallPlanes computes from the planes themselves (boxDown), byte for
// byte: photos of whole MCUs in every EXIF orientation (the reduced
// planes turned with the planes), and photos whose last MCU column or
// row is partial, which smallPlanes reduces itself as before.
func TestSmallPlanesFromDecoder(t *testing.T) {
	cases := []struct {
		w, h  int
		turns []int
		fused bool
	}{
		{4032, 3024, []int{1, 2, 3, 4, 5, 6, 7, 8}, true},
		{4000, 3008, []int{1, 6}, true},
		{4040, 3024, []int{1}, false}, // 1010 luma columns
		{4032, 3030, []int{1, 8}, false},
	}
	for _, c := range cases {
		img := smallTestPhoto(c.w, c.h)
		for _, o := range c.turns {
			data, err := docgen.Encode(img, docgen.Encoding{Quality: 92, Orientation: o})
			if err != nil {
				t.Fatal(err)
			}
			ws := new(workspace)
			d, err := decode(data, DefaultOptions(), ws)
			if err != nil {
				t.Fatal(err)
			}
			if got := d.p.small[0] != nil; got != c.fused {
				t.Fatalf("%dx%d orientation %d: reduced by the decoder %v, want %v", c.w, c.h, o, got, c.fused)
			}
			sf, sw, sh, got := smallPlanes(&d.p, ws)
			ref := d.p
			ref.small = [3][]byte{}
			rsf, rsw, rsh, want := smallPlanes(&ref, new(workspace))
			if sf != rsf || sw != rsw || sh != rsh {
				t.Fatalf("%dx%d orientation %d: factor and size %d %dx%d, want %d %dx%d", c.w, c.h, o, sf, sw, sh, rsf, rsw, rsh)
			}
			for i := range got {
				if !bytes.Equal(got[i][:sw*sh], want[i][:sw*sh]) {
					t.Errorf("%dx%d orientation %d: plane %d differs from smallPlanes' own", c.w, c.h, o, i)
				}
			}
		}
	}
}

// TestSmallPlanesFromDecoderFlat: a photo of one colour decodes to flat
// planes, and its reduced planes hold the planes' one value each.
func TestSmallPlanesFromDecoderFlat(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 4032, 3024))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = 180, 120, 60, 255
	}
	data, err := docgen.Encode(img, docgen.Encoding{Quality: 95})
	if err != nil {
		t.Fatal(err)
	}
	ws := new(workspace)
	d, err := decode(data, DefaultOptions(), ws)
	if err != nil {
		t.Fatal(err)
	}
	p := &d.p
	if p.w != 1008 || p.h != 756 || p.small[0] == nil {
		t.Fatalf("planes %dx%d, reduced by the decoder %v: want 1008x756, true", p.w, p.h, p.small[0] != nil)
	}
	vals := [3]byte{p.y[0], p.cb[0], p.cr[0]}
	for i, pl := range [][]byte{p.y[:p.w*p.h], p.cb[:p.cw*p.ch], p.cr[:p.cw*p.ch]} {
		for _, v := range pl {
			if v != vals[i] {
				t.Fatalf("plane %d not flat: %d and %d", i, v, vals[i])
			}
		}
	}
	_, sw, sh, small := smallPlanes(p, ws)
	if sw != 252 || sh != 189 {
		t.Fatalf("reduced to %dx%d, want 252x189", sw, sh)
	}
	for i := range small {
		for _, v := range small[i][:sw*sh] {
			if v != vals[i] {
				t.Fatalf("reduced plane %d holds %d, want %d", i, v, vals[i])
			}
		}
	}
}
