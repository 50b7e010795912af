package workers

import (
	"context"
	"time"

	"github.com/kycq/kycq/storage"
)

// Checks are the pure domain functions the handlers call. The production
// set is built by package pipeline from imagecheck, face and kyc; handlers
// only move data between them and the stores.
type Checks interface {
	// Document runs the image-quality checks on one document photo.
	Document(ctx context.Context, data []byte, slot storage.Slot) storage.CheckResult
	// Data runs the document-data rules on the applicant's sealed-then-opened
	// basic info (JSON).
	Data(ctx context.Context, applicant []byte, now time.Time) storage.CheckResult
	// Face scores the selfie against the document front. selfiePath is a
	// local file holding the selfie (video or still image); contentType is
	// the type it was uploaded as. An error means the check could not run
	// and should be retried.
	Face(ctx context.Context, docFront []byte, selfiePath, contentType string) (storage.CheckResult, []float32, error)
	// Decide fans in every result of a verification.
	Decide(results []storage.CheckResult, recentRejections int) storage.Decision
}

// Policy holds the tunables of the handlers.
type Policy struct {
	RejectionWindow time.Duration // window counted for repeated rejections
	Retention       time.Duration // how long uploads are kept after the decision
	StallAfter      time.Duration // how long a submitted verification may wait before the sweeper looks at it
}

// DefaultPolicy is the policy used when none is configured.
func DefaultPolicy() Policy {
	return Policy{RejectionWindow: 24 * time.Hour, Retention: 30 * 24 * time.Hour, StallAfter: 5 * time.Minute}
}
