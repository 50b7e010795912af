package workers

import (
	"context"
	"time"

	"github.com/kycq/kycq/kyc"
	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
)

// Checks are the pure domain functions the handlers call. The production
// set (Pipeline, in pipeline.go) is built from imagecheck, face and kyc;
// handlers only move data between them and the stores.
type Checks interface {
	// Document runs the image-quality checks on one document photo.
	Document(ctx context.Context, data []byte, slot storage.Slot) storage.CheckResult
	// Data runs the document-data rules on the applicant's basic info.
	Data(ctx context.Context, applicant kyc.Applicant, now time.Time) storage.CheckResult
	// Face scores the selfie against the document front. selfiePath is a
	// local file holding the selfie (video or still image); contentType is
	// the type it was uploaded as; challenge the liveness instruction
	// issued with its upload URL (empty for none). It also returns the selfie's face
	// descriptor (nil when no usable face was found), which the handler
	// seals and keeps for the "view holder" flow. An error means the check
	// could not run and should be retried.
	Face(ctx context.Context, docFront []byte, selfiePath, contentType, challenge string) (storage.CheckResult, []float32, error)
	// Holder scores a fresh selfie against the stored descriptor of the
	// account holding a document. A result that is not a match says why,
	// with the face check's codes.
	Holder(ctx context.Context, ref []float32, selfiePath, contentType string) (HolderMatch, error)
	// Read reads the document on one photo of slot. typed is the
	// applicant's basic info: a hint to the reader only, never a value of
	// the read. An error means the read could not run; docread.ErrBudget
	// that the photo used up its time budget.
	Read(ctx context.Context, data []byte, slot storage.Slot, typed kyc.Applicant) (kyc.DocumentRead, error)
	// CompareRead holds the typed info to what was read from every photo
	// of a verification (rules §8). It must be pure.
	CompareRead(a kyc.Applicant, reads []kyc.DocumentRead, now time.Time) kyc.ReadResult
	// Decide fans in every result of a verification. It must be a pure
	// function of its arguments, so a redelivered decision task decides
	// the same way.
	Decide(v *storage.Verification, results []storage.CheckResult, recentRejections int) storage.Decision
}

// HolderMatch is the outcome of a holder check's face match.
type HolderMatch struct {
	Matched bool
	Score   float64       // similarity to the holder's verified face
	Reasons []reason.Code // why it did not match: face_mismatch, face_poor_quality, liveness_failed...
}

// Policy holds the tunables of the handlers.
type Policy struct {
	RejectionWindow time.Duration // window counted for repeated rejections
	Retention       time.Duration // how long uploads are kept after the decision
	StallAfter      time.Duration // how long a submitted verification may wait before the sweeper looks at it
	MaxSelfieBytes  int64         // largest fresh selfie a holder check reads
	// KnownFaceDistance is the descriptor distance within which a known
	// face is the same person (default DefaultKnownFaceDistance).
	KnownFaceDistance float64
}

// DefaultPolicy is the policy used when none is configured.
func DefaultPolicy() Policy {
	return Policy{RejectionWindow: 24 * time.Hour, Retention: 30 * 24 * time.Hour, StallAfter: 5 * time.Minute,
		MaxSelfieBytes: 50 << 20}
}
