package imagecheck

import (
	"errors"
	"image"
	"slices"
	"sync"
	"testing"

	"github.com/kycq/kycq/imagecheck/turbojpeg"
	"github.com/kycq/kycq/internal/docgen"
	"github.com/kycq/kycq/kyc/reason"
)

// fakeFaces is a FaceDetector returning fixed boxes, for tests.
type fakeFaces struct {
	boxes []FaceBox
	err   error
	panic bool
	calls int
	size  image.Rectangle
}

func (f *fakeFaces) DetectFaces(img image.Image) ([]FaceBox, error) {
	f.calls++
	f.size = img.Bounds()
	if f.panic {
		panic("detector bug")
	}
	return f.boxes, f.err
}

func TestFaceCheck(t *testing.T) {
	data, lab := photo(t, docgen.Spec{Seed: 5}, docgen.Encoding{Quality: 90})
	// A box around the middle of the card, in working pixels (the test
	// photo is decoded at full size: 800 px is nearest to 1000).
	var cx, cy float64
	for _, c := range lab.Quad {
		cx += c[0] / 4
		cy += c[1] / 4
	}
	inside := image.Rect(int(cx)-20, int(cy)-20, int(cx)+20, int(cy)+20)
	outside := image.Rect(0, 0, 10, 10)
	cases := []struct {
		name     string
		side     Side
		det      *fakeFaces
		want     []reason.Code // among the reasons
		wantNot  []reason.Code
		evaluate bool
	}{
		{"face on the card", Front, &fakeFaces{boxes: []FaceBox{{Rect: inside, Score: 0.9}}}, nil, []reason.Code{reason.DocNoFace}, true},
		{"no face", Front, &fakeFaces{}, []reason.Code{reason.DocNoFace}, nil, true},
		{"face off the card", Front, &fakeFaces{boxes: []FaceBox{{Rect: outside, Score: 0.9}}}, []reason.Code{reason.DocNoFace}, nil, true},
		{"weak face", Front, &fakeFaces{boxes: []FaceBox{{Rect: inside, Score: 0.2}}}, []reason.Code{reason.DocNoFace}, nil, true},
		{"detector error", Front, &fakeFaces{err: errors.New("model missing")}, []reason.Code{reason.CheckFailed}, []reason.Code{reason.DocNoFace}, true},
		{"detector panic", Front, &fakeFaces{panic: true}, []reason.Code{reason.CheckFailed}, []reason.Code{reason.DocNoFace}, true},
		{"back side", Back, &fakeFaces{}, nil, []reason.Code{reason.DocNoFace}, false},
		{"unknown side", AnySide, &fakeFaces{}, nil, []reason.Code{reason.DocNoFace}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			opts := DefaultOptions()
			opts.Side = c.side
			opts.FaceDetector = c.det
			rep := Check(data, opts)
			if (c.det.calls > 0) != c.evaluate {
				t.Fatalf("detector called %d times", c.det.calls)
			}
			_, scored := rep.Scores[CheckFace]
			if scored != c.evaluate {
				t.Errorf("face score present: %v", scored)
			}
			for _, w := range c.want {
				if !rep.Failed(w) {
					t.Errorf("reasons %v, want %s", rep.Reasons, w)
				}
			}
			for _, w := range c.wantNot {
				if rep.Failed(w) {
					t.Errorf("reasons %v, did not want %s", rep.Reasons, w)
				}
			}
			if c.evaluate && c.det.size != image.Rect(0, 0, rep.DecodedWidth, rep.DecodedHeight) {
				t.Errorf("detector saw %v, decoded %dx%d", c.det.size, rep.DecodedWidth, rep.DecodedHeight)
			}
			if c.name == "face on the card" && (rep.Face == nil || rep.Face.Score != 0.9) {
				t.Errorf("face %+v", rep.Face)
			}
		})
	}
}

// Check is deterministic and safe for concurrent use: the same bytes
// give the same scores from many goroutines at once.
func TestConcurrentDeterministic(t *testing.T) {
	var inputs [][]byte
	for i := 0; i < 4; i++ {
		d, _ := photo(t, docgen.Spec{Seed: int64(100 + i), Defect: docgen.Defects[i], Strength: docgen.Clear}, docgen.Encoding{Quality: 88})
		inputs = append(inputs, d)
	}
	want := make([]Report, len(inputs))
	for i, d := range inputs {
		want[i] = Check(d, DefaultOptions())
	}
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for k := 0; k < 3; k++ {
				i := (g + k) % len(inputs)
				got := Check(inputs[i], DefaultOptions())
				if !slices.Equal(got.Reasons, want[i].Reasons) || !equalScores(got.Scores, want[i].Scores) {
					errs <- "input " + string(rune('0'+i)) + " differs"
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func equalScores(a, b map[string]float64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// The libjpeg-turbo and image/jpeg paths reach the same verdicts.
func TestTurboAndGoAgree(t *testing.T) {
	if !turbojpeg.Available {
		t.Skip("this build has no libjpeg-turbo (cgo off): nothing to compare")
	}
	sizes := []docgen.Size{docgen.SizeTest, docgen.Size1MP}
	n, differ := 0, 0
	for i, d := range append([]docgen.Defect{docgen.Clean, docgen.Clean, docgen.Clean}, docgen.Defects...) {
		spec := docgen.Spec{Seed: int64(300 + i), Size: sizes[i%len(sizes)], Defect: d, Strength: docgen.Clear}
		data, _ := photo(t, spec, docgen.Encoding{Quality: 88, Orientation: []int{1, 6, 3}[i%3]})
		fast := Check(data, DefaultOptions())
		opts := DefaultOptions()
		opts.pureGo = true
		slow := Check(data, opts)
		if fast.Decoder != "turbojpeg" || slow.Decoder != "go" {
			t.Fatalf("decoders %q and %q", fast.Decoder, slow.Decoder)
		}
		n++
		if !slices.Equal(fast.Reasons, slow.Reasons) {
			differ++
			t.Errorf("%s (%s): turbojpeg %v, go %v\n turbo scores %v\n go scores    %v", d, spec.Size, fast.Reasons, slow.Reasons, fast.Scores, slow.Scores)
		}
	}
	t.Logf("%d photos, %d verdicts differ", n, differ)
}
