package app

import (
	"fmt"

	"github.com/kycq/kycq/face"
	"github.com/kycq/kycq/kyc"
	"github.com/kycq/kycq/workers"
)

// Pipeline builds the checks the workers run: the face engine (its weights
// are embedded in the binary; ffmpeg must be installed for selfie videos),
// the document photo checks, and the rules.
func (a *App) Pipeline() (*workers.Pipeline, error) {
	if err := face.CheckFFmpeg(a.Config.FFmpeg); err != nil {
		return nil, err
	}
	engine, err := face.New(face.Options{Threshold: a.Config.FaceThreshold, FFmpeg: a.Config.FFmpeg})
	if err != nil {
		return nil, fmt.Errorf("face engine: %w", err)
	}
	return workers.NewPipeline(engine, kyc.DefaultDataPolicy(), kyc.Policy{RepeatedRejections: a.Config.RejectionLimit}), nil
}
