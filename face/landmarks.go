package face

import (
	"math"

	"github.com/kycq/kycq/face/model"
)

// Point is a position in image pixels.
type Point struct{ X, Y float64 }

// Landmarks are the 68 points of the iBUG 300-W scheme: jaw 0–16, brows
// 17–26, nose 27–35, eyes 36–41 (the subject's right, on the image's left)
// and 42–47, mouth 48–67.
type Landmarks [68]Point

// landmarkCrop is the integer crop face-api takes for a detection: the box
// clipped at the image borders, each of x, y, width and height floored.
func landmarkCrop(d Detection, w, h int) (x, y, cw, ch int) {
	cx := math.Max(d.X, 0)
	cy := math.Max(d.Y, 0)
	nw := math.Min(d.X+d.W-cx, float64(w)-cx)
	nh := math.Min(d.Y+d.H-cy, float64(h)-cy)
	return int(math.Floor(cx)), int(math.Floor(cy)), int(math.Floor(nw)), int(math.Floor(nh))
}

// landmarks runs the landmark net on a detection's crop (padded to a
// centered square and resized to 112) and maps its output back to image
// pixels as face-api does. ok is false when the crop is empty.
func (e *Engine) landmarks(ws *workspace, img *rgbImage, d Detection) (lm Landmarks, ok bool) {
	x, y, w, h := landmarkCrop(d, img.W, img.H)
	if w <= 0 || h <= 0 {
		return lm, false
	}
	ws.ar.Reset()
	in := ws.ar.Tensor(model.LandmarksInput, model.LandmarksInput, 3)
	ws.rs.resize(img, centeredCanvas(x, y, w, h), model.LandmarksInput, model.FaceMean, in)
	var out [136]float32
	e.nets.Landmarks.Forward(&ws.ar, in, out[:])

	// face-api's postProcess: undo the centered padding assuming it was
	// split evenly, relative to the crop, then scale to pixels and shift.
	const size = float64(model.LandmarksInput)
	s := size / float64(max(w, h))
	iw, ih := float64(w)*s, float64(h)*s
	var padX, padY float64
	if iw < ih {
		padX = math.Abs(iw-ih) / 2
	} else if ih < iw {
		padY = math.Abs(iw-ih) / 2
	}
	for i := range lm {
		rx := (float64(out[2*i])*size - padX) / iw
		ry := (float64(out[2*i+1])*size - padY) / ih
		lm[i] = Point{X: rx*float64(w) + float64(x), Y: ry*float64(h) + float64(y)}
	}
	return lm, true
}

// centroid averages points lm[from:to].
func (lm *Landmarks) centroid(from, to int) Point {
	var p Point
	for _, q := range lm[from:to] {
		p.X += q.X
		p.Y += q.Y
	}
	n := float64(to - from)
	return Point{p.X / n, p.Y / n}
}

// Eyes returns the centers of the eye on the image's left (points 36–41)
// and on its right (42–47).
func (lm *Landmarks) Eyes() (left, right Point) {
	return lm.centroid(36, 42), lm.centroid(42, 48)
}
