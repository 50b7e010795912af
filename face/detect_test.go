package face

import (
	"image"
	"image/color"
	"math"
	"math/rand"
	"testing"

	"github.com/kycq/kycq/face/model"
	"github.com/kycq/kycq/face/nn"
)

func TestTrimmedInput(t *testing.T) {
	cases := []struct {
		w, h, side int
		iw, ih     int
	}{
		{416, 416, 416, 416, 416}, // square: face-api's input
		{416, 262, 416, 416, 288}, // imagecheck's view of an ID-1 card
		{262, 416, 416, 288, 416}, // the same, upright
		{640, 480, 416, 416, 320}, // 480 scaled to 312, rounded up to the grid
		{208, 131, 416, 416, 288}, // scaled up by 2
		{1000, 10, 416, 416, 32},  // at least one grid cell
		{416, 288, 416, 416, 288}, // already on the grid
		{300, 200, 320, 320, 224}, // 213.3 rounds to 213, up to 224
	}
	for _, c := range cases {
		iw, ih := trimmedInput(c.w, c.h, c.side)
		if iw != c.iw || ih != c.ih {
			t.Errorf("trimmedInput(%d, %d, %d) = %d×%d, want %d×%d", c.w, c.h, c.side, iw, ih, c.iw, c.ih)
		}
	}
}

// TestDetectTrimmedAgrees compares the detector on trimmed inputs with
// face-api's square one on the cached photos, whole and cut to a
// document's landscape and portrait shapes: the same faces, with the same
// boxes and scores when they lie two grid cells or more inside the trimmed
// input's right and bottom edges, within what the padding moves them
// nearer.
func TestDetectTrimmedAgrees(t *testing.T) {
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	ws := e.get()
	defer e.put(ws)
	var worstScore, worstIoU float64 = 0, 1
	for _, name := range goldenPhotos {
		var full rgbImage
		if err := decodeImage(readPhoto(t, name), 40e6, &full); err != nil {
			t.Fatal(err)
		}
		views := map[string]image.Rectangle{"whole": image.Rect(0, 0, full.W, full.H)}
		if w := full.W; int(float64(w)/1.586) <= full.H {
			views["landscape"] = image.Rect(0, 0, w, int(float64(w)/1.586))
		}
		if h := full.H; int(float64(h)/1.586) <= full.W {
			views["upright"] = image.Rect(0, 0, int(float64(h)/1.586), h)
		}
		for vn, r := range views {
			var img rgbImage
			crop(&full, r, &img)
			want := e.detect(ws, &img, 416, 0.3)
			got := e.detectTrimmed(ws, &img, 416, 0.3)
			for _, w := range want {
				if w.Score < 0.5 {
					continue
				}
				best, bi := 0.0, -1
				for i, g := range got {
					if v := iou(w, g); v > best {
						best, bi = v, i
					}
				}
				if bi < 0 {
					t.Errorf("%s %s: face %v (score %.3f) not found trimmed", name, vn, w.Box, w.Score)
					continue
				}
				ds := math.Abs(got[bi].Score - w.Score)
				// How far the face lies from the trimmed input's right and
				// bottom edges, in input pixels: beyond them the square
				// input is black, the trimmed one the network's zeros.
				scale := 416 / float64(max(img.W, img.H))
				iw, ih := trimmedInput(img.W, img.H, 416)
				gap := math.Min(float64(iw)-(w.X+w.W)*scale, float64(ih)-(w.Y+w.H)*scale)
				t.Logf("%s %s %dx%d: score %.4f → %.4f, IoU %.3f, %.0f input px from its edge", name, vn, img.W, img.H, w.Score, got[bi].Score, best, gap)
				tolScore, tolIoU := 0.1, 0.9 // near the edge
				if gap >= 2*detectGrid {
					tolScore, tolIoU = 1e-4, 0.999
					worstScore, worstIoU = math.Max(worstScore, ds), math.Min(worstIoU, best)
				}
				if ds > tolScore || best < tolIoU {
					t.Errorf("%s %s: face %v score %.3f, trimmed %v score %.3f (IoU %.3f)", name, vn, w.Box, w.Score, got[bi].Box, got[bi].Score, best)
				}
			}
		}
	}
	t.Logf("faces two grid cells or more inside the edges: largest score difference %.2g, smallest IoU %.4f", worstScore, worstIoU)
}

// TestFrom420 checks the 4:2:0 fast path of rgbImage.from against
// image/color's conversion, on a sub-image at odd coordinates.
func TestFrom420(t *testing.T) {
	full := image.NewYCbCr(image.Rect(1, 3, 24, 20), image.YCbCrSubsampleRatio420)
	for i := range full.Y {
		full.Y[i] = uint8(i * 7)
	}
	for i := range full.Cb {
		full.Cb[i], full.Cr[i] = uint8(i*13+40), uint8(250-i*5)
	}
	sub := full.SubImage(image.Rect(4, 5, 21, 18)).(*image.YCbCr)
	var img rgbImage
	img.from(sub)
	if img.W != 17 || img.H != 13 {
		t.Fatalf("size %d×%d, want 17×13", img.W, img.H)
	}
	for y := 0; y < img.H; y++ {
		for x := 0; x < img.W; x++ {
			c := sub.YCbCrAt(4+x, 5+y)
			r, g, b := color.YCbCrToRGB(c.Y, c.Cb, c.Cr)
			p := img.Pix[(y*img.W+x)*3:]
			if p[0] != r || p[1] != g || p[2] != b {
				t.Fatalf("(%d, %d): %v, want %v", x, y, p[:3], []uint8{r, g, b})
			}
		}
	}
}

// TestResizeUnscaled checks the detector input of an image already at the
// input's size: each value is the pixel's, normalized, and black (minus
// the mean) below the image.
func TestResizeUnscaled(t *testing.T) {
	img := syntheticImage(64, 40, 7)
	var rs resizer
	var ar nn.Arena
	iw, ih := trimmedInput(img.W, img.H, 64)
	in := ar.Tensor(ih, iw, 3)
	rs.resize(img, letterboxCanvas(img), 64, model.DetectorMean, in)
	if iw != 64 || ih != 64 {
		t.Fatalf("input %d×%d, want 64×64", iw, ih)
	}
	for y := 0; y < ih; y++ {
		for x := 0; x < iw; x++ {
			for c := 0; c < 3; c++ {
				var v float32
				if y < img.H {
					v = float32(img.Pix[(y*img.W+x)*3+c])
				}
				if got, want := in.At(y, x, c), (v-model.DetectorMean[c])/255; got != want {
					t.Fatalf("(%d, %d, %d): %v, want %v", x, y, c, got, want)
				}
			}
		}
	}
}

// TestResizeWritesEveryValue checks that resize writes every value of the
// detector's input, scaled or not, trimmed or square (detectInput takes
// that input from the arena unzeroed).
func TestResizeWritesEveryValue(t *testing.T) {
	for _, c := range []struct{ w, h, side int }{{64, 40, 64}, {40, 64, 64}, {100, 70, 64}, {30, 20, 64}} {
		img := syntheticImage(c.w, c.h, 3)
		for _, trim := range []bool{false, true} {
			iw, ih := c.side, c.side
			if trim {
				iw, ih = trimmedInput(img.W, img.H, c.side)
			}
			var ar nn.Arena
			in := ar.TensorUninit(ih, iw, 3)
			for i := range in.Data {
				in.Data[i] = float32(math.NaN())
			}
			var rs resizer
			rs.resize(img, letterboxCanvas(img), c.side, model.DetectorMean, in)
			for i, v := range in.Data {
				if v != v {
					t.Fatalf("%+v trim %v: value %d not written", c, trim, i)
				}
			}
		}
	}
}

// TestFill420MatchesResize checks that the detector's input written
// straight from a 4:2:0 image (fill420) is, value for value and bit for
// bit, what resize writes from the RGB image from420 converts it to, for
// trimmed and square inputs, both orientations, odd sizes and a
// sub-image; every value is written (the tensor starts as NaNs).
func TestFill420MatchesResize(t *testing.T) {
	cases := []struct {
		w, h, side int
		at         image.Point // the sub-image's top-left in a larger image
		trim       bool
	}{
		{64, 40, 64, image.Point{}, true},
		{40, 64, 64, image.Point{}, true},
		{64, 41, 64, image.Point{}, true},
		{33, 64, 64, image.Point{}, false},
		{64, 40, 64, image.Point{3, 5}, true},
		{64, 64, 64, image.Point{}, true},
	}
	for _, c := range cases {
		full := image.NewYCbCr(image.Rect(0, 0, c.w+c.at.X+2, c.h+c.at.Y+2), image.YCbCrSubsampleRatio420)
		rng := rand.New(rand.NewSource(int64(c.w*100 + c.h)))
		rng.Read(full.Y)
		rng.Read(full.Cb)
		rng.Read(full.Cr)
		src := full.SubImage(image.Rect(c.at.X, c.at.Y, c.at.X+c.w, c.at.Y+c.h)).(*image.YCbCr)
		iw, ih := c.side, c.side
		if c.trim {
			iw, ih = trimmedInput(c.w, c.h, c.side)
		}
		var ar nn.Arena
		want := ar.Tensor(ih, iw, 3)
		var rgb rgbImage
		rgb.from(src)
		var rs resizer
		rs.resize(&rgb, letterboxCanvas(&rgb), c.side, model.DetectorMean, want)
		got := ar.TensorUninit(ih, iw, 3)
		for i := range got.Data {
			got.Data[i] = float32(math.NaN())
		}
		fill420(src, model.DetectorMean, got)
		for i := range want.Data {
			if math.Float32bits(got.Data[i]) != math.Float32bits(want.Data[i]) {
				t.Fatalf("%dx%d at %v: value %d is %v, want %v", c.w, c.h, c.at, i, got.Data[i], want.Data[i])
			}
		}
	}
}

// TestFill420RowMatchesLoop holds fill420's eight pixels at a time
// (fill420Row) to its loop, bit for bit: every width from 1 to 40 (whole
// groups and the loop's tail), even and odd sub-image origins, random
// planes and the planes' extremes, where ycbcrToRGB's sums leave 0..255
// on both sides (luma 0 and 255 under chroma 0 and 255).
func TestFill420RowMatchesLoop(t *testing.T) {
	if !useFillAVX2 {
		t.Log("no AVX2: fill420Row declines")
		if fill420Row(make([]float32, 24), make([]byte, 8), make([]byte, 4), make([]byte, 4), &model.DetectorMean) != 0 {
			t.Fatal("fill420Row wrote pixels without AVX2")
		}
		return
	}
	rng := rand.New(rand.NewSource(7))
	extremes := []byte{0, 255, 0, 0, 255, 255, 128, 1, 254}
	for w := 1; w <= 40; w++ {
		for _, at := range []image.Point{{0, 0}, {2, 1}, {1, 0}} {
			for _, plane := range []string{"random", "extremes"} {
				full := image.NewYCbCr(image.Rect(0, 0, w+at.X+1, 7+at.Y), image.YCbCrSubsampleRatio420)
				for _, p := range [][]byte{full.Y, full.Cb, full.Cr} {
					for i := range p {
						if plane == "random" {
							p[i] = byte(rng.Intn(256))
						} else {
							p[i] = extremes[rng.Intn(len(extremes))]
						}
					}
				}
				src := full.SubImage(image.Rect(at.X, at.Y, at.X+w, at.Y+6)).(*image.YCbCr)
				var ar nn.Arena
				want := ar.TensorUninit(8, w+3, 3)
				got := ar.TensorUninit(8, w+3, 3)
				for i := range got.Data {
					got.Data[i] = float32(math.NaN())
				}
				useFillAVX2 = false
				fill420(src, model.DetectorMean, want)
				useFillAVX2 = true
				fill420(src, model.DetectorMean, got)
				for i := range want.Data {
					if math.Float32bits(got.Data[i]) != math.Float32bits(want.Data[i]) {
						t.Fatalf("width %d at %v, %s: value %d is %v, the loop's %v", w, at, plane, i, got.Data[i], want.Data[i])
					}
				}
			}
		}
	}
}

// TestUnscaledWhole is a table of when Detect runs the detector once on
// an unscaled image (and may fill its input from 4:2:0 planes).
func TestUnscaledWhole(t *testing.T) {
	cases := []struct {
		w, h, side int
		want       bool
	}{
		{416, 262, 416, true},
		{262, 416, 416, true},
		{416, 416, 416, true},
		{415, 262, 416, false},
		{417, 262, 416, false},
		{832, 524, 416, false},
	}
	for _, c := range cases {
		if got := unscaledWhole(c.w, c.h, c.side); got != c.want {
			t.Errorf("unscaledWhole(%d, %d, %d) = %v, want %v", c.w, c.h, c.side, got, c.want)
		}
	}
}
