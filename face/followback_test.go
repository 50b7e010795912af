package face

import (
	"context"
	"testing"
)

// TestFollowBackToTheRest: under a challenge, the frames before the
// video's first confidently detected face are gone back over from it as
// the frames after it are followed: a weak detection there is taken when
// it lies on that face and is that person's. The engine needs a score of
// 0.9; hopper's photo scores 0.96 (a confident face), at 0.3 of its
// contrast 0.82 (a weak one), the astronaut's at half its contrast 0.84
// (a weak face of another person, elsewhere in the frame).
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
	for _, c := range []struct {
		name   string
		frames []rgbImage
		want   []bool // found, per frame
		weak   []bool
	}{
		{"the rest's weak frames before the first confident one", []rgbImage{weak, weak, hopper, weak}, []bool{true, true, true, true}, []bool{true, true, false, true}},
		{"another person before them", []rgbImage{stranger, weak, hopper}, []bool{false, true, true}, []bool{false, true, false}},
		{"a weak box away from the face", []rgbImage{moved, hopper}, []bool{false, true}, []bool{false, false}},
	} {
		for _, ch := range []Challenge{ChallengeTurnLeft, ChallengeBlink} {
			faces, idx, err := e.analyzeFrames(context.Background(), ws, c.frames, ch)
			if err != nil {
				t.Fatal(err)
			}
			if len(faces) != len(c.frames) {
				t.Fatalf("%s: %d faces for %d frames", c.name, len(faces), len(c.frames))
			}
			for k, fi := range faces {
				if idx[k] != k || fi.Found != c.want[k] || fi.weak != c.weak[k] || fi.tracked != 0 {
					t.Errorf("%s, %s: frame %d found %v weak %v tracked %d, want found %v weak %v",
						c.name, ch, k, fi.Found, fi.weak, fi.tracked, c.want[k], c.weak[k])
				}
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
