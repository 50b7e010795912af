package doceval

import (
	"image"

	"github.com/kycq/kycq/imagecheck"
)

// ConfirmFace passes the layout check on to the counted detector, when it
// has one (imagecheck.FaceConfirmer); otherwise every box is confirmed,
// as imagecheck does for a detector without it.
func (c countingDetector) ConfirmFace(img image.Image, box image.Rectangle) (bool, error) {
	if fc, ok := c.d.(imagecheck.FaceConfirmer); ok {
		return fc.ConfirmFace(img, box)
	}
	return true, nil
}

// FaceFit passes the layout's misfit on to the counted detector, when it
// measures it (imagecheck.FaceFitter); otherwise it answers as
// ConfirmFace does, with no misfit.
func (c countingDetector) FaceFit(img image.Image, box image.Rectangle) (bool, float64, error) {
	if ff, ok := c.d.(imagecheck.FaceFitter); ok {
		return ff.FaceFit(img, box)
	}
	face, err := c.ConfirmFace(img, box)
	return face, 0, err
}
