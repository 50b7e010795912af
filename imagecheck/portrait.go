package imagecheck

import (
	"image"
	"math"
)

// A detector box on a document is the portrait only if it is a face: a
// field label, an emblem or a rosette can score as a face. Three tests
// confirm it, besides the detector's score:
//
//   - its layout (FaceConfirmer, when the detector implements it: the face
//     engine's 68-point landmark net, eyes and mouth where a face has
//     them), judged on the very view the detector was shown, only for
//     the box that view would report (best first, until one is a
//     face);
//   - it lies inside the document's outline (most of its box);
//   - its size is a portrait's relative to the document: the detector's
//     box is about 60–80 % of a printed portrait's width, and portraits
//     are a fifth to a third of an ID card's long side, less on a
//     passport page.

// FaceConfirmer is implemented by a FaceDetector that can also judge
// whether a box it found shows a face's layout (the face engine: its
// landmark net). img and box are as given to and returned by
// DetectFaces; img must not be kept.
type FaceConfirmer interface {
	ConfirmFace(img image.Image, box image.Rectangle) (bool, error)
}

// FaceFitter is implemented by a FaceConfirmer that also measures how
// closely the landmarks it read in box fit the mean face (the face
// engine: the RMS distance in its chip's pixels, 2–4 for a face it
// understood). When the detector implements it, the portrait search
// calls FaceFit instead of ConfirmFace (one landmark pass either way).
type FaceFitter interface {
	FaceFit(img image.Image, box image.Rectangle) (face bool, misfit float64, err error)
}

// maxTiltedMisfit is the largest misfit (FaceFitter) of a confident face
// with a photo's tones found in a tilted view that counts without being
// found again (tiltedConfirmed). A head leaning on its portrait, turned
// upright by the tilt, is mostly read closely: on the development
// families' seed 116 the ten portraits found in tilted views fit within
// 2.0–3.9 (on seed 117, two more within 4.9–5.2, found again 15°
// further), while the boxes with a face's layout that the tilted views
// found on fronts without a portrait fit within 3.7–8.5 (a signature,
// confident at 0.71 with twoTone 0.71, at 6.6). Faces in the whole views
// are not held to it: portraits found there fit within 1.5–8.9 (a face
// printed small, or half in shadow).
const maxTiltedMisfit = 4.5

// Limits of a portrait's box: its width over the document's long side,
// and the share of its area inside the outline.
const (
	minPortraitWidth = 0.04
	maxPortraitWidth = 0.5
	minPortraitIn    = 0.8
)

// portraitPlausible reports whether box (working pixels) lies inside the
// document wq and is of a portrait's size relative to it.
func portraitPlausible(box image.Rectangle, wq [4][2]float64) bool {
	if box.Empty() {
		return false
	}
	long := math.Max((dist(wq[0], wq[1])+dist(wq[2], wq[3]))/2, (dist(wq[1], wq[2])+dist(wq[3], wq[0]))/2)
	size := math.Max(float64(box.Dx()), float64(box.Dy()))
	if long <= 0 || size < minPortraitWidth*long || size > maxPortraitWidth*long {
		return false
	}
	// The share of the box inside the outline, on an 8×8 grid.
	const k = 8
	in := 0
	for j := 0; j < k; j++ {
		for i := 0; i < k; i++ {
			x := float64(box.Min.X) + (float64(i)+0.5)*float64(box.Dx())/k
			y := float64(box.Min.Y) + (float64(j)+0.5)*float64(box.Dy())/k
			if insideDoc(wq, x, y) {
				in++
			}
		}
	}
	return float64(in) >= minPortraitIn*k*k
}

// insideDoc reports whether (x, y) lies inside the convex quadrilateral c.
func insideDoc(c [4][2]float64, x, y float64) bool {
	sgn := 0.0
	for i := 0; i < 4; i++ {
		a, b := c[i], c[(i+1)%4]
		s := (b[0]-a[0])*(y-a[1]) - (b[1]-a[1])*(x-a[0])
		if s == 0 {
			continue
		}
		if sgn == 0 {
			sgn = math.Copysign(1, s)
		} else if s*sgn < 0 {
			return false
		}
	}
	return true
}
