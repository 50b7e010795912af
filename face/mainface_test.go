package face

import (
	"image"
	"testing"
)

// TestMainFaceTwoDetections gives describe a frame with two detections:
// the face, and a larger, less confident box over the chest, as the
// detector found on a portrait cut from a party photo (sample3's first
// face). The largest box used to be taken as the face; the face must be
// taken, with the same descriptor as alone, and the chest box must not
// count as a second person.
func TestMainFaceTwoDetections(t *testing.T) {
	e := testEngine(t, Options{})
	ws := e.get()
	defer e.put(ws)
	var img rgbImage
	if err := decodeImage(readPhoto(t, "grace_hopper_512x512.jpg"), 40e6, &img); err != nil {
		t.Fatal(err)
	}
	dets := e.detect(ws, &img, e.opts.DetectInput, e.opts.DetectScore)
	if len(dets) != 1 {
		t.Fatalf("want one face on the photo, got %d", len(dets))
	}
	faceDet := dets[0]
	// Around the face and down over the chest, as on sample3's portrait
	// (where it held 89 % of the face box).
	chest := Detection{X: 60, Y: 100, W: 400, H: 412, Score: 0.54}
	chest.Box = image.Rect(60, 100, 460, 512)
	if chest.W*chest.H <= faceDet.W*faceDet.H {
		t.Fatal("the chest box must be the larger one")
	}
	alone := e.describe(ws, &img, []Detection{faceDet}, false)
	for _, c := range []struct {
		name  string
		dets  []Detection
		score float64
	}{
		{"face first", []Detection{faceDet, chest}, 0.54},
		{"chest first", []Detection{chest, faceDet}, 0.54},
		{"chest more confident", []Detection{chest, faceDet}, 0.99},
	} {
		for k := range c.dets {
			if c.dets[k].Box == chest.Box {
				c.dets[k].Score = c.score
			}
		}
		fi := e.describe(ws, &img, c.dets, false)
		if !fi.Found || fi.Det.Box != faceDet.Box {
			t.Errorf("%s: took box %v, want the face %v", c.name, fi.Det.Box, faceDet.Box)
			continue
		}
		if fi.Faces != 1 {
			t.Errorf("%s: %d faces counted, want 1 (the chest box is no person)", c.name, fi.Faces)
		}
		if fi.Desc != alone.Desc {
			t.Errorf("%s: descriptor differs from the face's alone", c.name)
		}
	}
}

// TestMainFaceSeveralPeople: on a group photo every face is a face, so a
// selfie frame with another person in it still fails several_faces.
func TestMainFaceSeveralPeople(t *testing.T) {
	e := testEngine(t, Options{})
	ws := e.get()
	defer e.put(ws)
	var img rgbImage
	if err := decodeImage(readPhoto(t, "sample1.jpg"), 40e6, &img); err != nil {
		t.Fatal(err)
	}
	dets := e.detect(ws, &img, e.opts.DetectInput, e.opts.DetectScore)
	if len(dets) != 3 {
		t.Fatalf("want the photo's three faces, got %d", len(dets))
	}
	fi := e.describe(ws, &img, dets, false)
	if !fi.Found || fi.Det.Score != dets[0].Score {
		t.Errorf("took a face of score %.3f, want the most confident (%.3f)", fi.Det.Score, dets[0].Score)
	}
	if fi.Faces != 3 {
		t.Errorf("%d faces counted, want 3", fi.Faces)
	}
	if p := e.problem(&fi); p != "several_faces" {
		t.Errorf("problem %q, want several_faces", p)
	}
}

// TestWeakFaceOnTheTrack: a video frame whose face the detector scores
// under Options.DetectScore is taken only when it is the face the
// video's other frames show: at the same place (IoU ≥ 0.5 with the
// reference face's box) and of the same person. The engine here needs a
// score of 0.99, so the photo's face (0.95) is a weak detection.
func TestWeakFaceOnTheTrack(t *testing.T) {
	strict := testEngine(t, Options{DetectScore: 0.99})
	e := testEngine(t, Options{})
	ws := e.get()
	defer e.put(ws)
	var img, other rgbImage
	if err := decodeImage(readPhoto(t, "grace_hopper_512x512.jpg"), 40e6, &img); err != nil {
		t.Fatal(err)
	}
	if err := decodeImage(readPhoto(t, "astronaut.png"), 40e6, &other); err != nil {
		t.Fatal(err)
	}
	ref := e.analyze(ws, &img, e.opts.VideoDetectInput, true)
	stranger := e.analyze(ws, &other, e.opts.VideoDetectInput, true)
	if !ref.Found || !stranger.Found || ref.Det.Score >= 0.99 || ref.Det.Score <= weakDetectScore {
		t.Fatalf("want a face scoring between %.2f and 0.99 on each photo (got %.3f, %v)", weakDetectScore, ref.Det.Score, stranger.Found)
	}
	if fi := strict.analyzeVideoFrame(ws, &img, nil); fi.Found {
		t.Error("a weak face was taken without a face on the track")
	}
	fi := strict.analyzeVideoFrame(ws, &img, &ref)
	if !fi.Found || !fi.weak || fi.Det.Box != ref.Det.Box || fi.Desc != ref.Desc {
		t.Errorf("the weak face on the track was not taken as the face (found %v, weak %v, box %v)", fi.Found, fi.weak, fi.Det.Box)
	}
	moved := ref
	moved.Det.X += 0.6 * moved.Det.W
	if fi := strict.analyzeVideoFrame(ws, &img, &moved); fi.Found {
		t.Error("a weak face away from the track's face was taken")
	}
	someoneElse := ref
	someoneElse.Desc = stranger.Desc
	if fi := strict.analyzeVideoFrame(ws, &img, &someoneElse); fi.Found {
		t.Error("a weak face of another person than the track's was taken")
	}
	if fi := e.analyzeVideoFrame(ws, &img, nil); !fi.Found || fi.weak {
		t.Error("a confident face must be taken as before, not as weak")
	}
}
