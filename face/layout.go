package face

import (
	"errors"
	"image"
	"math"
)

// A detector box can sit on something that is not a face (a field label,
// an emblem, a guilloche rosette on a card). The 68-point landmark net
// reads any box as a face; on a real, upright face its points fall where
// a face has its features and fit the mean face closely. Layout runs the
// net on a box and judges that layout.

// Limits of a plausible face layout (ratios of the distance between the
// eyes' centres, d).
const (
	maxLayoutMisfit = 10.0 // RMS distance to the mean face, chip pixels (2–4 for a face)
	minEyeSpan      = 0.15 // d over the box's width (real faces: 0.24–0.34)
	maxEyeSpan      = 0.75 //
	maxEyeTilt      = 1.1  // vertical offset between the eyes over d (real faces: up to 0.55)
	minMouthDrop    = 0.6  // the mouth's centre below the eyes' midpoint, over d
	maxMouthDrop    = 1.8  //
	boxSlack        = 0.25 // the points may leave the box by this share of its size
)

// FaceLayout is how the landmark net reads a detected box.
type FaceLayout struct {
	Landmarks Landmarks
	// Misfit is the RMS distance between the points and the mean face
	// after the best similarity fit, in chip pixels.
	Misfit float64
	// Plausible: an upright face's layout (see PlausibleLayout).
	Plausible bool
}

// Layout runs the landmark net on box of img and judges its layout.
// img is not kept.
func (e *Engine) Layout(img image.Image, box image.Rectangle) (FaceLayout, error) {
	if img == nil {
		return FaceLayout{}, errors.New("face: nil image")
	}
	b := img.Bounds()
	if b.Dx() <= 0 || b.Dy() <= 0 || b.Dx() > e.opts.MaxPixels/max(b.Dy(), 1) {
		return FaceLayout{}, errors.New("face: image outside the pixel limit")
	}
	box = box.Intersect(b)
	if box.Empty() {
		return FaceLayout{}, nil
	}
	ws := e.get()
	defer e.put(ws)
	// The landmark net reads only the box's pixels (its crop is the box):
	// only those are converted when img can give them as a sub-image.
	at := b.Min
	if sub, ok := img.(interface {
		SubImage(image.Rectangle) image.Image
	}); ok {
		img, at = sub.SubImage(box), box.Min
	}
	ws.img.from(img)
	r := box.Sub(at)
	d := Detection{Box: r, X: float64(r.Min.X), Y: float64(r.Min.Y), W: float64(r.Dx()), H: float64(r.Dy())}
	lm, ok := e.landmarks(ws, &ws.img, d)
	if !ok {
		return FaceLayout{}, nil
	}
	for i := range lm {
		lm[i].X += float64(at.X)
		lm[i].Y += float64(at.Y)
	}
	misfit := templateMisfit(&lm, chipTransform(&lm, chipSize))
	return FaceLayout{Landmarks: lm, Misfit: misfit, Plausible: PlausibleLayout(&lm, box, misfit)}, nil
}

// PlausibleLayout reports whether landmarks lm (image pixels), read in
// box with the given misfit to the mean face, are an upright face's: the
// points close to the mean face, the eyes level and apart by a plausible
// share of the box, the mouth about between them and below them by about their
// distance, every point in or near the box.
func PlausibleLayout(lm *Landmarks, box image.Rectangle, misfit float64) bool {
	if math.IsNaN(misfit) || misfit > maxLayoutMisfit || box.Dx() <= 0 || box.Dy() <= 0 {
		return false
	}
	sx, sy := boxSlack*float64(box.Dx()), boxSlack*float64(box.Dy())
	for _, p := range lm {
		if p.X < float64(box.Min.X)-sx || p.X > float64(box.Max.X)+sx ||
			p.Y < float64(box.Min.Y)-sy || p.Y > float64(box.Max.Y)+sy {
			return false
		}
	}
	l, r := lm.Eyes()
	d := r.X - l.X // the image's left eye is on the left of an upright face
	if d < minEyeSpan*float64(box.Dx()) || d > maxEyeSpan*float64(box.Dx()) {
		return false
	}
	if math.Abs(r.Y-l.Y) > maxEyeTilt*d {
		return false
	}
	m := lm.centroid(48, 68)
	drop := m.Y - (l.Y+r.Y)/2
	if drop < minMouthDrop*d || drop > maxMouthDrop*d {
		return false
	}
	nose := lm[30]
	eyesY := (l.Y + r.Y) / 2
	return m.X > l.X-0.25*d && m.X < r.X+0.25*d && nose.Y > eyesY && nose.Y < m.Y
}
