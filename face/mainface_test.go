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
