package app

import (
	"fmt"
	"time"

	"github.com/kycq/kycq/docread"
	"github.com/kycq/kycq/face"
	"github.com/kycq/kycq/kyc"
	"github.com/kycq/kycq/workers"
)

// ReadBudget bounds the time the document reader spends on one photo in a
// worker: far above a read's normal cost (tens of milliseconds for an MRZ,
// about a second for a mainland ID on a busy core), so that a loaded node
// does not turn readable photos into "nothing read", and far below the
// doc_read task's timeout, so that no photo can hold a worker.
const ReadBudget = 15 * time.Second

// Pipeline builds the checks the workers run: the face engine (its weights
// are embedded in the binary; ffmpeg must be installed for selfie videos),
// the document photo checks, the document reader (libtesseract with its
// eng and chi_sim data, ONNX Runtime and the PaddleOCR recogniser must be
// installed) and the rules.
func (a *App) Pipeline() (*workers.Pipeline, error) {
	if err := face.CheckFFmpeg(a.Config.FFmpeg); err != nil {
		return nil, err
	}
	engine, err := face.New(face.Options{Threshold: a.Config.FaceThreshold, FFmpeg: a.Config.FFmpeg})
	if err != nil {
		return nil, fmt.Errorf("face engine: %w", err)
	}
	// Without the reader no verification could be decided on the
	// document's own data (rules §8): refuse to start.
	reader, err := docread.New(docread.Options{Budget: ReadBudget, PaddleDir: a.Config.PaddleDir})
	if err != nil {
		return nil, fmt.Errorf("document reader: %w", err)
	}
	a.closers = append(a.closers, func() { reader.Close() })
	p := workers.NewPipeline(engine, kyc.DefaultDataPolicy(), kyc.Policy{RepeatedRejections: a.Config.RejectionLimit})
	p.Reader = reader
	return p, nil
}
