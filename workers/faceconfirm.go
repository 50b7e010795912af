package workers

import (
	"fmt"
	"image"
)

// ConfirmFace implements imagecheck.FaceConfirmer: the face engine's
// landmark net must read box of img as an upright face's layout.
func (d FaceDetector) ConfirmFace(img image.Image, box image.Rectangle) (bool, error) {
	if d.Engine == nil {
		return false, fmt.Errorf("workers: no face engine")
	}
	l, err := d.Engine.Layout(img, box)
	if err != nil {
		return false, err
	}
	return l.Plausible, nil
}

// FaceFit implements imagecheck.FaceFitter: ConfirmFace's answer and how
// closely the landmarks fit the mean face.
func (d FaceDetector) FaceFit(img image.Image, box image.Rectangle) (bool, float64, error) {
	if d.Engine == nil {
		return false, 0, fmt.Errorf("workers: no face engine")
	}
	l, err := d.Engine.Layout(img, box)
	if err != nil {
		return false, 0, err
	}
	return l.Plausible, l.Misfit, nil
}
