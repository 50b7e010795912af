package imagecheck

import (
	"bytes"
	"errors"
	"image"
	"image/jpeg"
	"slices"
	"sync"
	"testing"

	"github.com/kycq/kycq/imagecheck/turbojpeg"
	"github.com/kycq/kycq/internal/eval/docgen"
	"github.com/kycq/kycq/kyc/reason"
)

// fakeFaces is a FaceDetector returning, for every image, a face of
// score whole (none when 0) in the middle of the whole document's view
// (faceSide pixels wide) and of score tile in the middle of any other
// image (a tile, or the whole photo).
type fakeFaces struct {
	whole, tile float64
	err         error
	panic       bool
	calls       int
	sizes       []image.Rectangle
}

func (f *fakeFaces) DetectFaces(img image.Image) ([]FaceBox, error) {
	f.calls++
	b := img.Bounds()
	f.sizes = append(f.sizes, b)
	if f.panic {
		panic("detector bug")
	}
	score := f.tile
	if b.Dx() == faceSide || b.Dy() == faceSide { // a whole view, landscape or a quarter turn
		score = f.whole
	}
	if score == 0 || f.err != nil {
		return nil, f.err
	}
	c := image.Pt(b.Dx()/2, b.Dy()/2)
	return []FaceBox{{Rect: image.Rectangle{c.Sub(image.Pt(20, 20)), c.Add(image.Pt(20, 20))}, Score: score}}, nil
}

func TestFaceCheck(t *testing.T) {
	data, _ := photo(t, docgen.Spec{Seed: 5, Size: docgen.Size1MP}, docgen.Encoding{Quality: 90})
	cases := []struct {
		name     string
		side     Side
		det      *fakeFaces
		want     reason.Code // among the reasons, or not when ""
		calls    int
		evaluate bool
	}{
		{"confident face", Front, &fakeFaces{whole: 0.9}, "", 1, true},
		// Four orientations, each tilted both ways; no view returned a
		// box, so no tiles.
		{"no face: four orientations, then tilted both ways", Front, &fakeFaces{}, reason.DocNoFace, 12, true},
		// A face in a tile only, while no whole or tilted view shows
		// anything: not searched for (see faceSearch.portrait).
		{"face only in a tile, nothing in any view", Front, &fakeFaces{tile: 0.7}, reason.DocNoFace, 12, true},
		// Boxes were seen, and the detector cannot confirm layouts: the
		// four orientations, the eight tilted views, then the landscape
		// ones' tiles.
		{"weak face", Front, &fakeFaces{whole: 0.3, tile: 0.3}, reason.DocNoFace, 20, true},
		{"unconfirmed face", Front, &fakeFaces{whole: 0.55}, reason.DocNoFace, 20, true},
		{"face confirmed by a tile", Front, &fakeFaces{whole: 0.55, tile: 0.6}, "", 13, true},
		{"detector error", Front, &fakeFaces{err: errors.New("model missing")}, reason.CheckFailed, 1, true},
		{"detector panic", Front, &fakeFaces{panic: true}, reason.CheckFailed, 1, true},
		{"back side", Back, &fakeFaces{}, "", 0, false},
		{"unknown side", AnySide, &fakeFaces{}, "", 0, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			opts := DefaultOptions()
			opts.Side = c.side
			opts.FaceDetector = c.det
			rep := Check(data, opts)
			if c.det.calls != c.calls {
				t.Errorf("detector called %d times, want %d", c.det.calls, c.calls)
			}
			if _, scored := rep.Scores[CheckFace]; scored != c.evaluate {
				t.Errorf("face score present: %v", scored)
			}
			if rep.Failed(reason.DocNoFace) != (c.want == reason.DocNoFace) || rep.Failed(reason.CheckFailed) != (c.want == reason.CheckFailed) {
				t.Errorf("reasons %v, want %q", rep.Reasons, c.want)
			}
			if c.evaluate && len(rep.Document) == 4 {
				// The detector is shown the document, rectified: the
				// first view is the whole of it, faceSide wide.
				if s := c.det.sizes[0]; s.Dx() != faceSide || float64(s.Dx())/float64(s.Dy()) < minAspect || float64(s.Dx())/float64(s.Dy()) > maxAspect {
					t.Errorf("detector saw %v first", s)
				}
			}
			if c.want == "" && c.evaluate {
				// The face is reported in photo pixels, on the document.
				if rep.Face == nil {
					t.Fatal("no face reported")
				}
				ctr := rep.Face.Rect.Min.Add(rep.Face.Rect.Max).Div(2)
				var q [4][2]float64
				for i, p := range rep.Document {
					q[i] = [2]float64{p.X, p.Y}
				}
				if polyArea(q) == 0 || !insideQuad(q, float64(ctr.X), float64(ctr.Y)) {
					t.Errorf("face at %v, document %v", rep.Face.Rect, rep.Document)
				}
			}
		})
	}
}

// Without a document outline the detector searches the whole photo.
func TestFaceCheckWithoutOutline(t *testing.T) {
	img := image.NewGray(image.Rect(0, 0, 800, 600))
	for i := range img.Pix {
		img.Pix[i] = 128
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	det := &fakeFaces{tile: 0.9}
	opts := DefaultOptions()
	opts.Side = Front
	opts.FaceDetector = det
	rep := Check(buf.Bytes(), opts)
	if rep.Document != nil {
		t.Fatalf("an outline in a flat photo: %v", rep.Document)
	}
	if det.calls != 1 || det.sizes[0] != image.Rect(0, 0, rep.DecodedWidth, rep.DecodedHeight) {
		t.Errorf("detector saw %v", det.sizes)
	}
	if rep.Failed(reason.DocNoFace) {
		t.Errorf("reasons %v", rep.Reasons)
	}
}

// insideQuad reports whether (x, y) is inside the convex quadrilateral c.
func insideQuad(c [4][2]float64, x, y float64) bool {
	pos, neg := false, false
	for i := 0; i < 4; i++ {
		a, b := c[i], c[(i+1)%4]
		cr := (b[0]-a[0])*(y-a[1]) - (b[1]-a[1])*(x-a[0])
		pos = pos || cr > 0
		neg = neg || cr < 0
	}
	return !(pos && neg)
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
		opts.PureGo = true
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
