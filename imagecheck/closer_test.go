package imagecheck

import (
	"bytes"
	"image"
	"image/png"
	"testing"

	"github.com/kycq/kycq/kyc/reason"
)

// detailFaces is a FaceDetector that sees a face only where the
// document is not white (the portrait, away from the view's border) and
// scores it by its detail: a textured portrait (a fine checkerboard) is a
// clear face at any size; a flat one (the checkerboard averaged away by a
// coarse decode, or flat in the photo) a doubtful face only while it is
// small, as in the whole view, and none when large.
type detailFaces struct{ calls int }

func (f *detailFaces) DetectFaces(img image.Image) ([]FaceBox, error) {
	f.calls++
	m := img.(*image.YCbCr)
	b := m.Rect
	const margin = 6
	box := image.Rectangle{}
	var steps, n int
	for y := b.Min.Y + margin; y < b.Max.Y-margin; y++ {
		for x := b.Min.X + margin; x < b.Max.X-margin; x++ {
			v := m.Y[m.YOffset(x, y)]
			if v >= 200 {
				continue
			}
			box = box.Union(image.Rect(x, y, x+1, y+1))
			d := int(v) - int(m.Y[m.YOffset(x+1, y)])
			steps += max(d, -d)
			n++
		}
	}
	if n == 0 {
		return nil, nil
	}
	score := 0.0
	switch {
	case steps/n > 40:
		score = 0.8
	case box.Dx() < 85:
		score = 0.55
	default:
		return nil, nil
	}
	return []FaceBox{{Rect: box, Score: score}}, nil
}

// cardPNG draws a 2400×1600 gray photo of a white card on black, its
// portrait a 300-pixel square of one-pixel checks (40 and 216) or, when
// flat, of their mean: decoded at working size (by 2) both look flat.
func cardPNG(t *testing.T, flat bool) []byte {
	img := image.NewGray(image.Rect(0, 0, 2400, 1600))
	card := image.Rect(400, 294, 2000, 1306)
	face := image.Rect(600, 650, 900, 950)
	for y := card.Min.Y; y < card.Max.Y; y++ {
		for x := card.Min.X; x < card.Max.X; x++ {
			v := byte(255)
			if image.Pt(x, y).In(face) {
				switch {
				case flat:
					v = 128
				case (x+y)%2 == 0:
					v = 40
				default:
					v = 216
				}
			}
			img.Pix[y*img.Stride+x] = v
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// A doubtful portrait is confirmed by a closer look only when the finer
// decode shows it better; otherwise the tiles are searched as before.
func TestFaceCloserLook(t *testing.T) {
	for _, c := range []struct {
		name   string
		flat   bool
		calls  int
		noFace bool
	}{
		// The four whole views (0.55), then the closer look confirms.
		{"detail at twice the resolution", false, 5, false},
		// The four whole views, a closer look at the two best, the eight
		// tilted views, the eight tiles.
		{"flat portrait", true, 22, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			data := cardPNG(t, c.flat)
			det := &detailFaces{}
			opts := DefaultOptions()
			opts.Side = Front
			opts.FaceDetector = det
			rep := Check(data, opts)
			if rep.Document == nil || rep.Scale != 2 {
				t.Fatalf("document %v at scale %v", rep.Document, rep.Scale)
			}
			if det.calls != c.calls {
				t.Errorf("detector called %d times, want %d", det.calls, c.calls)
			}
			if rep.Failed(reason.DocNoFace) != c.noFace {
				t.Fatalf("reasons %v, face %v", rep.Reasons, rep.Face)
			}
			if !c.noFace {
				// Reported in photo pixels, on the portrait.
				want := image.Rect(600, 650, 900, 950)
				if rep.Face == nil || rep.Face.Score != 0.8 || rectIoU(rep.Face.Rect, want) < 0.7 {
					t.Errorf("face %v, want about %v", rep.Face, want)
				}
			}
		})
	}
}

func TestRectIoU(t *testing.T) {
	a := image.Rect(0, 0, 10, 10)
	for _, c := range []struct {
		b    image.Rectangle
		want float64
	}{
		{a, 1}, {image.Rect(5, 0, 15, 10), 50.0 / 150}, {image.Rect(10, 10, 20, 20), 0}, {image.Rectangle{}, 0},
	} {
		if got := rectIoU(a, c.b); got != c.want {
			t.Errorf("rectIoU(%v, %v) = %v, want %v", a, c.b, got, c.want)
		}
	}
}

// tallFaces is a FaceDetector that sees an upright face only in a view
// taller than wide (as a portrait printed on a vertical card shows in a
// quarter turn of the landscape view): the view's non-white pixels.
type tallFaces struct{ calls, tall int }

func (f *tallFaces) DetectFaces(img image.Image) ([]FaceBox, error) {
	f.calls++
	m := img.(*image.YCbCr)
	b := m.Rect
	if b.Dy() <= b.Dx() {
		return nil, nil
	}
	f.tall++
	box := image.Rectangle{}
	for y := b.Min.Y + 6; y < b.Max.Y-6; y++ {
		for x := b.Min.X + 6; x < b.Max.X-6; x++ {
			if m.Y[m.YOffset(x, y)] < 200 {
				box = box.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	if box.Empty() {
		return nil, nil
	}
	return []FaceBox{{Rect: box, Score: 0.9}}, nil
}

// A card printed upright (vertical ID-1, its portrait at the top) shows
// its portrait sideways in both landscape views: the quarter turns find
// it, and it is reported on the portrait in photo pixels.
func TestFaceQuarterTurn(t *testing.T) {
	img := image.NewGray(image.Rect(0, 0, 2400, 1600))
	card := image.Rect(880, 190, 1520, 1205) // 640 × 1015: 1.586 upright
	face := image.Rect(1050, 290, 1350, 620)
	for y := card.Min.Y; y < card.Max.Y; y++ {
		for x := card.Min.X; x < card.Max.X; x++ {
			v := byte(255)
			if image.Pt(x, y).In(face) {
				v = 90
			}
			img.Pix[y*img.Stride+x] = v
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	det := &tallFaces{}
	opts := DefaultOptions()
	opts.Side = Front
	opts.FaceDetector = det
	rep := Check(buf.Bytes(), opts)
	if rep.Document == nil {
		t.Fatal("no outline")
	}
	if rep.Failed(reason.DocNoFace) || rep.Face == nil {
		t.Fatalf("reasons %v, face %v", rep.Reasons, rep.Face)
	}
	// Two landscape views (nothing), then the first quarter turn.
	if det.calls != 3 || det.tall != 1 {
		t.Errorf("detector called %d times (%d tall views), want 3 (1)", det.calls, det.tall)
	}
	if rectIoU(rep.Face.Rect, face) < 0.7 {
		t.Errorf("face %v, want about %v", rep.Face.Rect, face)
	}
}
