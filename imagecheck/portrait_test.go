package imagecheck

import (
	"image"
	"testing"

	"github.com/kycq/kycq/internal/eval/docgen"
	"github.com/kycq/kycq/kyc/reason"
)

func TestPortraitPlausible(t *testing.T) {
	card := [4][2]float64{{100, 100}, {500, 100}, {500, 352}, {100, 352}} // 400 wide
	cases := []struct {
		name string
		box  image.Rectangle
		want bool
	}{
		{"a portrait's face", image.Rect(140, 160, 220, 250), true},
		{"a field label's size", image.Rect(300, 200, 312, 210), false},
		{"larger than a portrait can be", image.Rect(110, 110, 400, 340), false},
		{"half outside the card", image.Rect(460, 200, 540, 280), false},
		{"outside the card", image.Rect(600, 200, 680, 280), false},
		{"empty", image.Rectangle{}, false},
	}
	for _, c := range cases {
		if got := portraitPlausible(c.box, card); got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}

// layoutFaces is a fakeFaces whose boxes' layout is judged by ok.
type layoutFaces struct {
	fakeFaces
	ok        bool
	confirmed int
}

func (f *layoutFaces) ConfirmFace(img image.Image, box image.Rectangle) (bool, error) {
	f.confirmed++
	return f.ok, nil
}

// A box the detector scores as a face fails doc_no_face when its layout is
// not a face's (a field label), and passes when it is; a doubtful score
// (between MinFace and ConfirmFace) with a face's layout needs no further
// pass.
func TestPortraitLayoutConfirmed(t *testing.T) {
	data, _ := photo(t, docgen.Spec{Seed: 5, Size: docgen.Size1MP}, docgen.Encoding{Quality: 90})
	for _, c := range []struct {
		name   string
		score  float64
		layout bool
		calls  int // detector passes; 0: not checked
	}{
		{"confident, a face's layout", 0.9, true, 1},
		{"confident, a label's layout", 0.9, false, 0},
		{"doubtful, a face's layout", 0.55, true, 1},
		{"doubtful, a label's layout", 0.55, false, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			det := &layoutFaces{fakeFaces: fakeFaces{whole: c.score, tile: c.score}, ok: c.layout}
			opts := DefaultOptions()
			opts.Side = Front
			opts.FaceDetector = det
			rep := Check(data, opts)
			if det.confirmed == 0 {
				t.Fatal("the layout was never judged")
			}
			if rep.Failed(reason.DocNoFace) == c.layout {
				t.Errorf("reasons %v (layout plausible: %v)", rep.Reasons, c.layout)
			}
			if c.calls > 0 && det.calls != c.calls {
				t.Errorf("detector called %d times, want %d", det.calls, c.calls)
			}
		})
	}
}
