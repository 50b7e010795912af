package kyc

import (
	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
)

// NoteFaceAlreadyVerified is the manual-review note of a face already
// verified on another account with another document (rules §10).
const NoteFaceAlreadyVerified = "face already verified on another account"

// KnownFaceMatch is a known face (an approved verification's) near the
// face of the verification being decided.
type KnownFaceMatch struct {
	AccountID string
	// SameDocument: the known face was approved with the same document
	// as this verification's.
	SameDocument bool
	Distance     float64
}

// WithKnownFaces applies the known-faces rule (rules §10) to a decision d
// of a verification of accountID: an approval whose face is already
// verified on another account with a different document goes to manual
// review with face_already_verified. The same face with the same document
// is the occupancy path (the claim decides); the account's own earlier
// face is no finding; and any other outcome stands (a rejection is told
// at once, a review is reviewed anyway).
func WithKnownFaces(d storage.Decision, accountID string, matches []KnownFaceMatch) storage.Decision {
	if d.Outcome != storage.Approved {
		return d
	}
	for _, m := range matches {
		if m.AccountID != accountID && !m.SameDocument {
			return storage.Decision{VerificationID: d.VerificationID, Outcome: storage.ManualReview,
				Reasons: []reason.Code{reason.ManualReview, reason.FaceAlreadyVerified}, Note: NoteFaceAlreadyVerified,
				DecidedAt: d.DecidedAt}
		}
	}
	return d
}
