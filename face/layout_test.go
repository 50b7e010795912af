package face

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	_ "image/jpeg"
	"testing"
)

// meanLayout places the mean face's landmarks (17–67; the jaw is laid
// under them) into box, upright, as the net reads a real face.
func meanLayout(box image.Rectangle) Landmarks {
	var lm Landmarks
	place := func(x, y float64) Point {
		return Point{float64(box.Min.X) + x*float64(box.Dx()), float64(box.Min.Y) + y*float64(box.Dy())}
	}
	for i := 17; i < 68; i++ {
		x, y := templatePoint(i, 100)
		lm[i] = place(x/100, y/100)
	}
	for i := 0; i < 17; i++ { // the jaw: an arc under the eyes
		t := float64(i) / 16
		lm[i] = place(0.18+0.64*t, 0.45+0.4*(1-(2*t-1)*(2*t-1)))
	}
	return lm
}

func TestPlausibleLayout(t *testing.T) {
	box := image.Rect(100, 100, 200, 200)
	upright := meanLayout(box)
	flipped := upright // upside down: the mouth above the eyes
	for i := range flipped {
		flipped[i].Y = 300 - flipped[i].Y
	}
	collapsed := upright // every point in one place (text read as a face)
	for i := range collapsed {
		collapsed[i] = Point{150, 150}
	}
	outside := upright
	for i := range outside {
		outside[i].X += 120
	}
	swapped := upright // the eyes exchanged: a mirror image of nonsense
	for i := 36; i < 42; i++ {
		swapped[i], swapped[i+6] = upright[i+6], upright[i]
	}
	cases := []struct {
		name   string
		lm     Landmarks
		misfit float64
		want   bool
	}{
		{"upright mean face", upright, 3, true},
		{"upright but far from the mean face", upright, 12, false},
		{"upside down", flipped, 3, false},
		{"collapsed points", collapsed, 3, false},
		{"points outside the box", outside, 3, false},
		{"eyes exchanged", swapped, 3, false},
	}
	for _, c := range cases {
		if got := PlausibleLayout(&c.lm, box, c.misfit); got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}

func TestLayoutOnPhotos(t *testing.T) {
	e := testEngine(t, Options{})
	for _, name := range []string{"sample1.jpg", "sample2.jpg", "grace_hopper_512x512.jpg"} {
		img, _, err := image.Decode(bytes.NewReader(readPhoto(t, name)))
		if err != nil {
			t.Fatal(err)
		}
		dets, err := e.Detect(img)
		if err != nil || len(dets) == 0 {
			t.Fatalf("%s: no face (%v)", name, err)
		}
		l, err := e.Layout(img, dets[0].Box)
		if err != nil {
			t.Fatal(err)
		}
		if !l.Plausible {
			t.Errorf("%s: a real face's layout judged implausible (misfit %.1f)", name, l.Misfit)
		}
		t.Logf("%s: misfit %.2f", name, l.Misfit)
	}
	// A field label: dark text on a pale card, boxed as a detector might.
	label := image.NewRGBA(image.Rect(0, 0, 200, 120))
	draw.Draw(label, label.Bounds(), image.NewUniform(color.RGBA{235, 228, 210, 255}), image.Point{}, draw.Src)
	for y := 40; y < 80; y++ {
		for x := 20; x < 180; x++ {
			if (x/6)%3 != 0 && (y-40)/8%2 == 0 {
				label.SetRGBA(x, y, color.RGBA{30, 30, 40, 255})
			}
		}
	}
	l, err := e.Layout(label, image.Rect(50, 20, 150, 100))
	if err != nil {
		t.Fatal(err)
	}
	if l.Plausible {
		t.Errorf("a field label's layout judged a face (misfit %.1f)", l.Misfit)
	}
	t.Logf("label: misfit %.2f", l.Misfit)
}

// hidden hides an image's SubImage method: Layout then converts all of it.
type hidden struct{ image.Image }

// Layout converts only the box of an image that gives sub-images, and
// reads the same layout as from the whole image converted (a 4:2:0 view
// with an odd box origin, and an RGBA one, offset).
func TestLayoutSubImageSame(t *testing.T) {
	e := testEngine(t, Options{})
	src, _, err := image.Decode(bytes.NewReader(readPhoto(t, "sample1.jpg")))
	if err != nil {
		t.Fatal(err)
	}
	b := src.Bounds()
	view := image.NewYCbCr(image.Rect(3, 5, 3+b.Dx(), 5+b.Dy()), image.YCbCrSubsampleRatio420)
	rgba := image.NewRGBA(view.Rect)
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			r, g, bb, _ := src.At(b.Min.X+x, b.Min.Y+y).RGBA()
			yy, cb, cr := color.RGBToYCbCr(uint8(r>>8), uint8(g>>8), uint8(bb>>8))
			view.Y[view.YOffset(3+x, 5+y)] = yy
			view.Cb[view.COffset(3+x, 5+y)], view.Cr[view.COffset(3+x, 5+y)] = cb, cr
			rgba.SetRGBA(3+x, 5+y, color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(bb >> 8), 255})
		}
	}
	for _, img := range []image.Image{view, rgba} {
		dets, err := e.Detect(img)
		if err != nil || len(dets) == 0 {
			t.Fatalf("no face (%v)", err)
		}
		box := dets[0].Box
		if box.Min.X%2 == 0 {
			box.Min.X++ // an odd origin: the sub-image's chroma starts mid-pair
		}
		got, err := e.Layout(img, box)
		if err != nil {
			t.Fatal(err)
		}
		want, err := e.Layout(hidden{img}, box)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("%T: sub-image layout %+v, whole image %+v", img, got, want)
		}
		if !got.Plausible {
			t.Errorf("%T: a real face's layout judged implausible", img)
		}
	}
}
