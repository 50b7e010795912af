package api

import (
	"context"
	"net/http"
	"time"

	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
)

// HolderLimit bounds the holder checks (fresh-selfie face matches against
// a document's holder) one verification and one account may start in a
// window (rules §6, docs/rules.md): a match followed by "mine" moves
// contacts, so unlimited attempts would let anyone try faces until one
// passes.
type HolderLimit struct {
	PerVerification int
	PerAccount      int
	Window          time.Duration
}

// DefaultHolderLimit is used when none is configured.
func DefaultHolderLimit() HolderLimit {
	return HolderLimit{PerVerification: 3, PerAccount: 5, Window: 24 * time.Hour}
}

// HolderObserver counts holder-check attempts by result: "created" or
// "limited" (metric labels only, never personal data).
type HolderObserver interface {
	ObserveHolderAttempt(result string)
}

// Holder-check attempt results, as HolderObserver receives them.
const (
	HolderAttemptCreated = "created"
	HolderAttemptLimited = "limited"
)

// CaseHolderAttempts is the kind of the support case opened when a
// verification's holder checks reach the limit.
const CaseHolderAttempts = "holder_attempts_exceeded"

// AttemptsCaseID is the ID of the support case opened when the holder
// checks of a verification reach the limit: one per verification.
func AttemptsCaseID(verificationID string) string { return "case_attempts_" + verificationID }

// errAttemptsExceeded answers a holder check over the limit.
var errAttemptsExceeded = &Error{Code: "holder_attempts_exceeded", Message: reason.Remedy(reason.HolderAttemptsExceeded),
	status: http.StatusTooManyRequests}

func (s *Server) holderLimit(now time.Time) storage.HolderCheckLimit {
	l := s.cfg.HolderLimit
	return storage.HolderCheckLimit{PerVerification: l.PerVerification, PerAccount: l.PerAccount, Since: now.Add(-l.Window)}
}

// attemptsExceeded opens the support case of a verification whose holder
// checks reached the limit (once; a repeat is a no-op) and counts it.
func (s *Server) attemptsExceeded(ctx context.Context, v *storage.Verification, holder string, now time.Time) error {
	if err := s.cfg.State.OpenCase(ctx, storage.SupportCase{ID: AttemptsCaseID(v.ID), Kind: CaseHolderAttempts,
		AccountID: v.AccountID, HolderAccount: holder, VerificationID: v.ID, CreatedAt: now}); err != nil {
		return err
	}
	s.observeHolder(HolderAttemptLimited)
	s.log.WarnContext(ctx, "holder check attempts exceeded", "verification_id", v.ID, "case_id", AttemptsCaseID(v.ID))
	return errAttemptsExceeded
}

func (s *Server) observeHolder(result string) {
	if s.cfg.HolderObserver != nil {
		s.cfg.HolderObserver.ObserveHolderAttempt(result)
	}
}
