// Package pipeline binds the pure checks (imagecheck, face, kyc) to the
// shapes the workers store: it is the one place that knows both.
package workers

import (
	"context"
	"strings"

	"github.com/kycq/kycq/face"
	"github.com/kycq/kycq/imagecheck"
	"github.com/kycq/kycq/storage"
)

// Checks implements workers.Checks.
type Checks struct {
	Face   *face.Engine      // nil: face matching unavailable (results fail the check)
	Image  imagecheck.Options // base options; Side and FaceDetector are set per call
	Policy Policy
}

// New returns the production checks.
func New(engine *face.Engine, p Policy) *Checks {
	return &Checks{Face: engine, Image: imagecheck.DefaultOptions(), Policy: p}
}

// Document runs imagecheck on one document photo.
func (c *Checks) Document(_ context.Context, data []byte, slot storage.Slot) storage.CheckResult {
	opts := c.Image
	opts.Side = imagecheck.Back
	if slot == storage.SlotFront {
		opts.Side = imagecheck.Front
		if c.Face != nil {
			opts.FaceDetector = c.Face
		}
	}
	rep := imagecheck.Check(data, opts)
	return storage.CheckResult{OK: rep.OK, Reasons: rep.Reasons, Scores: rep.Scores}
}

// Face matches the selfie (a video, or a still image) against the
// document front.
func (c *Checks) Face(ctx context.Context, doc []byte, selfiePath, contentType string) (storage.CheckResult, []float32, error) {
	var (
		res *face.Result
		err error
	)
	if strings.HasPrefix(contentType, "video/") {
		res, err = c.Face.MatchVideo(ctx, doc, selfiePath)
	} else {
		var selfie []byte
		selfie, err = readFile(selfiePath)
		if err == nil {
			res, err = c.Face.MatchImage(ctx, doc, selfie)
		}
	}
	if err != nil {
		return storage.CheckResult{}, nil, err
	}
	return storage.CheckResult{OK: res.OK, Reasons: res.Reasons, Scores: res.Scores, Borderline: res.Borderline}, res.Descriptor, nil
}
