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
// not a face's (a field label), and passes when it is and the face is
// confident. (A doubtful score,
// between MinFace and ConfirmFace, with a face's layout also needs a
// photo's tones in a whole view, or to be found again in a tilted one:
// how many passes that takes here depends on the card's print under the
// fake's box; TestPortraitDoubtfulAndTilted counts them. The fake's box
// lies on the card's printed text, two tones: a confident face there
// is the portrait once found again in the view turned 15°, the second
// pass.)
func TestPortraitLayoutConfirmed(t *testing.T) {
	data, _ := photo(t, docgen.Spec{Seed: 5, Size: docgen.Size1MP}, docgen.Encoding{Quality: 90})
	for _, c := range []struct {
		name   string
		score  float64
		layout bool
		calls  int // detector passes; 0: not checked
		noFace bool
	}{
		{"confident, a face's layout", 0.9, true, 2, false},
		{"confident, a label's layout", 0.9, false, 0, true},
		// The print under the box has no photo's tones once the light
		// is taken out (unlitShading): a doubtful face there is not
		// the portrait, whatever its layout.
		{"doubtful, a face's layout", 0.55, true, 0, true},
		{"doubtful, a label's layout", 0.55, false, 0, true},
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
			if rep.Failed(reason.DocNoFace) != c.noFace {
				t.Errorf("reasons %v (layout plausible: %v), want doc_no_face: %v", rep.Reasons, c.layout, c.noFace)
			}
			if c.calls > 0 && det.calls != c.calls {
				t.Errorf("detector called %d times, want %d", det.calls, c.calls)
			}
		})
	}
}

// rejectBoxes is a FaceConfirmer that reads the boxes in no as not a
// face's layout, and counts its calls.
type rejectBoxes struct {
	no    map[image.Rectangle]bool
	calls int
}

func (r *rejectBoxes) ConfirmFace(img image.Image, box image.Rectangle) (bool, error) {
	r.calls++
	return !r.no[box], nil
}

// pick confirms only the box a view reports, best first, until one has a
// face's layout, and gives what confirming every box would have given.
func TestPickConfirmsBestFirst(t *testing.T) {
	box := func(i int) image.Rectangle { return image.Rect(i*10, 0, i*10+8, 8) }
	faces := []FaceBox{{box(0), 0.6}, {box(1), 0.9}, {box(2), 0.4}, {box(3), 0.7}, {box(4), 0.9}}
	all := func(FaceBox) bool { return true }
	for _, c := range []struct {
		name  string
		no    []int // boxes whose layout is not a face's
		ok    func(FaceBox) bool
		want  int // index of the face picked, -1: none
		calls int
	}{
		{"the best is a face", nil, all, 1, 1},
		{"the best two are not faces", []int{1, 4}, all, 3, 3},
		{"no box of at least MinFace is a face", []int{0, 1, 3, 4}, all, 2, 4},
		{"only those ok accepts", []int{3}, func(f FaceBox) bool { return f.Rect.Min.X < 40 && f.Score >= 0.5 }, 1, 1},
		{"none accepted", nil, func(f FaceBox) bool { return f.Score > 0.95 }, -1, 0},
	} {
		r := &rejectBoxes{no: map[image.Rectangle]bool{}}
		for _, i := range c.no {
			r.no[box(i)] = true
		}
		s := faceSearch{conf: r, confMin: 0.5}
		got, found, err := s.pick(nil, faces, c.ok)
		if err != nil {
			t.Fatal(err)
		}
		// What confirming every box first gives: the best of the boxes ok
		// accepts that are below MinFace or a face.
		want := -1
		for i, f := range faces {
			if c.ok(f) && (f.Score < 0.5 || !r.no[f.Rect]) && (want < 0 || f.Score > faces[want].Score) {
				want = i
			}
		}
		if want != c.want {
			t.Fatalf("%s: the table's want %d, confirming every box gives %d", c.name, c.want, want)
		}
		if (want < 0) == found || (found && got != faces[want]) {
			t.Errorf("%s: picked %v (found %v), want face %d", c.name, got, found, want)
		}
		if r.calls != c.calls {
			t.Errorf("%s: %d confirmations, want %d", c.name, r.calls, c.calls)
		}
	}
}
