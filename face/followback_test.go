package face

import (
	"context"
	"testing"
)

// TestFollowBackToTheRest: under a challenge, the frames before the
// video's first confidently detected face are gone back over from it: a
// weak detection there is taken when it lies on that face and is that
// person's, as forwards; a frame without one is not followed back. The
// engine needs a score of 0.9; hopper's photo scores 0.96 (a confident
// face), at 0.3 of its contrast 0.82 (a weak one), the astronaut's at half
// its contrast 0.84 (a weak face of another person, elsewhere in the frame).
func TestFollowBackToTheRest(t *testing.T) {
	e := testEngine(t, Options{DetectScore: 0.9})
	ws := e.get()
	defer e.put(ws)
	var hopper, astronaut rgbImage
	if err := decodeImage(readPhoto(t, "grace_hopper_512x512.jpg"), 40e6, &hopper); err != nil {
		t.Fatal(err)
	}
	if err := decodeImage(readPhoto(t, "astronaut.png"), 40e6, &astronaut); err != nil {
		t.Fatal(err)
	}
	weak := scaleContrast(hopper, 0.3)
	stranger := scaleContrast(astronaut, 0.5)
	// Hopper's face at 0.2 of its contrast (0.83) moved by 0.6 of its
	// box's width: a weak box away from the track's face.
	moved := shiftRight(scaleContrast(hopper, 0.2), 140)
	for _, c := range []struct {
		img  rgbImage
		want float64 // the score a weak detection must reach: bounds the photos' figures
		over bool
	}{{hopper, 0.9, true}, {weak, 0.9, false}, {weak, weakDetectScore, true}, {stranger, 0.9, false}, {stranger, weakDetectScore, true}, {moved, 0.9, false}, {moved, weakDetectScore, true}} {
		d := e.detect(ws, &c.img, e.opts.VideoDetectInput, weakDetectScore)
		if (len(d) > 0 && d[0].Score > c.want) != c.over {
			t.Fatalf("the test's photos no longer score as described (%d detections)", len(d))
		}
	}
	// At 0.1 of its contrast hopper's face is not detected at
	// weakDetectScore: forwards it is followed, backwards not.
	faint := scaleContrast(hopper, 0.1)
	if d := e.detect(ws, &faint, e.opts.VideoDetectInput, weakDetectScore); len(d) > 0 {
		t.Fatalf("the faint face is detected (%.3f)", d[0].Score)
	}
	for _, c := range []struct {
		name   string
		frames []rgbImage
		want   string // per frame: c confident, w weak, t followed, - no face
	}{
		{"the rest's weak frames before the first confident one", []rgbImage{weak, weak, hopper, weak}, "wwcw"},
		{"a face under the weak score not followed back", []rgbImage{faint, weak, hopper, faint}, "-wct"},
		{"another person before them", []rgbImage{stranger, weak, hopper}, "-wc"},
		{"a weak box away from the face", []rgbImage{moved, hopper}, "-c"},
	} {
		for _, ch := range []Challenge{ChallengeTurnLeft, ChallengeBlink} {
			faces, idx, err := e.analyzeFrames(context.Background(), ws, c.frames, ch)
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			for k, fi := range faces {
				switch {
				case idx[k] != k:
					t.Fatalf("%s: frame %d analysed as %d", c.name, k, idx[k])
				case !fi.Found:
					got += "-"
				case fi.tracked == 1:
					got += "t"
				case fi.weak:
					got += "w"
				case fi.tracked == 0:
					got += "c"
				default:
					got += "?"
				}
			}
			if got != c.want {
				t.Errorf("%s, %s: %q, want %q", c.name, ch, got, c.want)
			}
		}
	}
}

func scaleContrast(img rgbImage, f float64) rgbImage {
	out := rgbImage{W: img.W, H: img.H, Pix: make([]uint8, len(img.Pix))}
	for i, p := range img.Pix {
		out.Pix[i] = uint8(128 + (float64(p)-128)*f)
	}
	return out
}

func shiftRight(img rgbImage, dx int) rgbImage {
	out := rgbImage{W: img.W, H: img.H, Pix: make([]uint8, len(img.Pix))}
	for i := range out.Pix {
		out.Pix[i] = 128
	}
	for y := 0; y < img.H; y++ {
		copy(out.Pix[(y*img.W+dx)*3:(y+1)*img.W*3], img.Pix[y*img.W*3:((y+1)*img.W-dx)*3])
	}
	return out
}
