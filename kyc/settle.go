package kyc

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
)

// Claim results of Settle, as kycq_occupancy_claims_total labels them.
const (
	ClaimWon        = "won"              // the document is now held by the verification's account
	ClaimHeld       = "held"             // another account holds it: doc_already_used
	ClaimIdempotent = "idempotent"       // the account held it already
	ClaimInactive   = "account_inactive" // the account is frozen or closed: no claim
)

// Settle applies ID occupancy (rules §6) to a final decision d about to be
// stored for v, whoever made it — the decide task or a reviewer — so that
// both have the same effects and the same refusals:
//
//   - an approval claims the document for v's account atomically; when
//     another account holds it, the decision becomes rejected with
//     doc_already_used; when v's account was frozen or closed meanwhile (a
//     migration), rejected with account_inactive — a frozen or closed
//     account is never verified;
//   - any other decision of a verification that already holds the claim
//     (an earlier run approved and claimed, then died before storing the
//     decision) becomes an approval: the claim is the commit point.
//
// It returns the decision to store and the claim result ("" when nothing
// was claimed). d.VerificationID and d.DecidedAt are kept.
func Settle(ctx context.Context, occ storage.Occupancy, v *storage.Verification, d storage.Decision, now time.Time) (storage.Decision, string, error) {
	if d.Outcome == storage.Approved {
		holder, won, err := occ.ClaimDocument(ctx, storage.Claim{
			DocKey: v.DocKey, AccountID: v.AccountID, VerificationID: v.ID, ClaimedAt: now,
		})
		switch {
		case errors.Is(err, storage.ErrAccountInactive):
			return storage.Decision{VerificationID: d.VerificationID, Outcome: storage.Rejected,
				Reasons: []reason.Code{reason.AccountInactive}, DecidedAt: d.DecidedAt}, ClaimInactive, nil
		case err != nil:
			return storage.Decision{}, "", fmt.Errorf("claim document: %w", err)
		case !won:
			return storage.Decision{VerificationID: d.VerificationID, Outcome: storage.Rejected,
				Reasons: []reason.Code{reason.DocAlreadyUsed}, DecidedAt: d.DecidedAt}, ClaimHeld, nil
		case holder.VerificationID != v.ID:
			return d, ClaimIdempotent, nil
		}
		return d, ClaimWon, nil
	}
	held, err := occ.DocumentHolder(ctx, v.DocKey)
	switch {
	case err == nil && held.VerificationID == v.ID:
		return storage.Decision{VerificationID: d.VerificationID, Outcome: storage.Approved,
			Reasons: []reason.Code{}, DecidedAt: d.DecidedAt}, "", nil
	case err != nil && !errors.Is(err, storage.ErrNotFound):
		return storage.Decision{}, "", fmt.Errorf("document holder: %w", err)
	}
	return d, "", nil
}
