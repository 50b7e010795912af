package imagecheck

import (
	"image"
	"math"
	"testing"

	"github.com/kycq/kycq/internal/eval/docgen"
	"github.com/kycq/kycq/kyc/reason"
)

func TestTiltedRect(t *testing.T) {
	cases := []struct {
		w, h, tilt float64
		want       [4][2]float64
	}{
		{400, 200, 0, [4][2]float64{{0, 0}, {400, 0}, {400, 200}, {0, 200}}},
		// A quarter turn clockwise on screen (y down) about (200, 100).
		{400, 200, 90, [4][2]float64{{300, -100}, {300, 300}, {100, 300}, {100, -100}}},
		{400, 200, 180, [4][2]float64{{400, 200}, {0, 200}, {0, 0}, {400, 0}}},
		// 30°: the top-left corner (-200, -100) from the centre goes to
		// (-200·cos30 + 100·sin30, -200·sin30 - 100·cos30).
		{400, 200, 30, [4][2]float64{
			{200 - 173.20508075688772 + 50, 100 - 100 - 86.60254037844386},
			{200 + 173.20508075688772 + 50, 100 + 100 - 86.60254037844386},
			{200 + 173.20508075688772 - 50, 100 + 100 + 86.60254037844386},
			{200 - 173.20508075688772 - 50, 100 - 100 + 86.60254037844386},
		}},
	}
	for _, c := range cases {
		got := tiltedRect(c.w, c.h, c.tilt)
		for i := range got {
			if math.Abs(got[i][0]-c.want[i][0]) > 1e-9 || math.Abs(got[i][1]-c.want[i][1]) > 1e-9 {
				t.Errorf("tiltedRect(%v, %v, %v) = %v, want %v", c.w, c.h, c.tilt, got, c.want)
				break
			}
		}
	}
}

// A view tilted by 180° shows the document upside down: rectifying a
// 8×4 plane whose luma is 10·x + y onto itself, tilted by 180°, gives
// the plane turned over, pixel for pixel.
func TestRectifyTilt(t *testing.T) {
	p := &planes{w: 8, h: 4, ys: 8, cw: 4, ch: 2, cs: 4}
	p.y = make([]byte, 32)
	for y := 0; y < 4; y++ {
		for x := 0; x < 8; x++ {
			p.y[y*8+x] = byte(10*x + y)
		}
	}
	p.cb, p.cr = make([]byte, 8), make([]byte, 8)
	c := [4][2]float64{{0, 0}, {8, 0}, {8, 4}, {0, 4}}
	img, hom := rectify(p, c, 2, 8, image.Rect(0, 0, 8, 4), 180, new(workspace))
	want := []byte{
		73, 63, 53, 43, 33, 23, 13, 3,
		72, 62, 52, 42, 32, 22, 12, 2,
		71, 61, 51, 41, 31, 21, 11, 1,
		70, 60, 50, 40, 30, 20, 10, 0,
	}
	for i, v := range want {
		if img.Y[i] != v {
			t.Fatalf("view luma %v, want %v", img.Y, want)
		}
	}
	// The view's top-left corner is the plane's bottom-right one.
	if x, y := hom.Apply(0, 0); math.Abs(x-8) > 1e-9 || math.Abs(y-4) > 1e-9 {
		t.Errorf("view (0, 0) maps to (%v, %v), want (8, 4)", x, y)
	}
}

// bigFaces is a FaceDetector that returns, in every whole view, a box
// over most of the view scoring 0.8 (larger than a portrait can be) and
// a portrait-sized one scoring 0.6.
type bigFaces struct{ calls int }

func (f *bigFaces) DetectFaces(img image.Image) ([]FaceBox, error) {
	f.calls++
	b := img.Bounds()
	if b.Dx() != faceSide {
		return nil, nil
	}
	return []FaceBox{
		{Rect: image.Rect(20, 10, 20+b.Dx()*6/10, 10+b.Dy()*9/10), Score: 0.8},
		{Rect: image.Rect(40, 60, 100, 120), Score: 0.6},
	}, nil
}

func (f *bigFaces) ConfirmFace(image.Image, image.Rectangle) (bool, error) { return true, nil }

// A box too large to be a portrait does not hide the portrait-sized face
// the same view shows: the search reports the smaller one.
func TestPortraitBoxTooLarge(t *testing.T) {
	data, _ := photo(t, docgen.Spec{Seed: 5, Size: docgen.Size1MP}, docgen.Encoding{Quality: 90})
	det := &bigFaces{}
	opts := DefaultOptions()
	opts.Side = Front
	opts.FaceDetector = det
	rep := Check(data, opts)
	if rep.Failed(reason.DocNoFace) || rep.Face == nil || rep.Face.Score != 0.6 {
		t.Fatalf("reasons %v, face %v", rep.Reasons, rep.Face)
	}
	if det.calls != 1 {
		t.Errorf("detector called %d times, want 1", det.calls)
	}
}

// With a detector that reads layouts, a front whose views show only
// boxes that are not faces is searched in the four views, their eight
// tilted ones, the four close tiles of the two landscape views and the
// four views again in skin tones, twice each (skinViews), not in the
// tiles: twenty-four passes.
func TestNoTilesWithLayouts(t *testing.T) {
	data, _ := photo(t, docgen.Spec{Seed: 5, Size: docgen.Size1MP}, docgen.Encoding{Quality: 90})
	det := &layoutFaces{fakeFaces: fakeFaces{whole: 0.9, tile: 0.9}, ok: false}
	opts := DefaultOptions()
	opts.Side = Front
	opts.FaceDetector = det
	rep := Check(data, opts)
	if !rep.Failed(reason.DocNoFace) {
		t.Errorf("reasons %v, face %v", rep.Reasons, rep.Face)
	}
	if det.calls != 24 || det.confirmed != 24 {
		t.Errorf("detector called %d times, layouts read %d times, want 24 and 24", det.calls, det.confirmed)
	}
}
