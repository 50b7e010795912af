package storetest

import (
	"testing"
	"time"

	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
)

// testReopenAppeal: support reopens an appeal in progress; its rejected
// verification goes back to review, where a reviewer re-decides it.
func testReopenAppeal(t *testing.T, s storage.State) {
	submitted(t, s, "va", "appellant", at(1), "face")
	_, _, err := s.SaveDecision(bg(), storage.Decision{VerificationID: "va", Outcome: storage.Rejected,
		Reasons: []reason.Code{reason.FaceMismatch}, DecidedAt: at(2)})
	must(t, err)
	must(t, s.OpenCase(bg(), storage.SupportCase{ID: "case_appeal_va", Kind: storage.CaseAppeal, AccountID: "appellant",
		VerificationID: "va", CreatedAt: at(3)}))
	// A case of another kind is not an appeal.
	must(t, s.OpenCase(bg(), storage.SupportCase{ID: "cx", Kind: storage.CaseIdentityMisuse, AccountID: "appellant",
		VerificationID: "va", CreatedAt: at(3)}))
	_, err = s.TransitionCase(bg(), "cx", storage.CaseOpen, storage.CaseInProgress, "sam", at(4))
	must(t, err)
	mustIs(t, s.ReopenAppeal(bg(), "cx", "sam", at(5)), storage.ErrConflict, "reopen a misuse case")
	mustIs(t, s.ReopenAppeal(bg(), "case_appeal_va", "sam", at(5)), storage.ErrConflict, "reopen an open appeal")
	mustIs(t, s.ReopenAppeal(bg(), "missing", "sam", at(5)), storage.ErrNotFound, "reopen a missing case")
	_, err = s.TransitionCase(bg(), "case_appeal_va", storage.CaseOpen, storage.CaseInProgress, "sam", at(6))
	must(t, err)
	must(t, s.ReopenAppeal(bg(), "case_appeal_va", "sam", at(7)))
	mustIs(t, s.ReopenAppeal(bg(), "case_appeal_va", "sam", at(8)), storage.ErrConflict, "reopen twice")

	d, err := s.GetDecision(bg(), "va")
	must(t, err)
	eq(t, "appealed decision", [...]any{d.Outcome, d.Reasons}, [...]any{storage.ManualReview, []reason.Code{reason.ManualReview}})
	q, err := s.ReviewQueue(bg(), storage.ReviewFilter{})
	must(t, err)
	eq(t, "back in review", reviewIDs(q), []string{"va"})
	// A reviewer upholds the rejection; reopening again after that puts
	// the reviewed entry back in the queue rather than adding another.
	_, err = s.ClaimReview(bg(), "va", "rita", at(10), time.Hour)
	must(t, err)
	_, err = s.FinishReview(bg(), storage.ReviewDecision{VerificationID: "va", StaffID: "rita", Outcome: storage.Rejected,
		Reasons: []reason.Code{reason.FaceMismatch}, DecidedAt: at(11)})
	must(t, err)
	d, err = s.GetDecision(bg(), "va")
	must(t, err)
	eq(t, "upheld", d.Outcome, storage.Rejected)
	q, err = s.ReviewQueue(bg(), storage.ReviewFilter{})
	must(t, err)
	eq(t, "queue after upholding", len(q), 0)
	must(t, s.ReopenAppeal(bg(), "case_appeal_va", "sam", at(12)))
	q, err = s.ReviewQueue(bg(), storage.ReviewFilter{})
	must(t, err)
	eq(t, "reopened again", reviewIDs(q), []string{"va"})
	trail, err := s.AuditTrail(bg(), "case:case_appeal_va")
	must(t, err)
	eq(t, "case audit", auditLines(trail), []string{"sam case.transition open -> in_progress",
		"sam case.reopen_appeal rejected -> manual_review", "sam case.reopen_appeal rejected -> manual_review"})
}
