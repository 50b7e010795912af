package review_test

import (
	"errors"
	"testing"
	"time"

	"github.com/kycq/kycq/internal/systest/reviewtest"
	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/review"
	"github.com/kycq/kycq/storage"
)

// An appealed rejection is re-decided from its case: support reopens it
// (a reviewer may not), a reviewer approves it, and the approval has the
// effects of any approval: the document is claimed for the account.
func TestAppealRedecided(t *testing.T) {
	r := reviewtest.New(t, "")
	v := r.ManualReview(t, reviewtest.Case{ID: "va", Account: "appellant", Doc: "passport-9", Borderline: true})
	rita := r.Login(t, "rita", storage.RoleReviewer)
	_, err := r.Service.Claim(bg(), rita, "va")
	must(t, err)
	_, err = r.Service.Decide(bg(), rita, "va", review.Decision{Outcome: storage.Rejected, Reasons: []reason.Code{reason.DocBlurry}})
	must(t, err)
	must(t, r.State.OpenCase(bg(), storage.SupportCase{ID: "case_appeal_va", Kind: storage.CaseAppeal, AccountID: "appellant",
		VerificationID: "va", CreatedAt: r.Clock.Now()}))
	sam := r.Login(t, "sam", storage.RoleSupport)
	_, err = r.Service.MoveCase(bg(), sam, "case_appeal_va", storage.CaseInProgress)
	must(t, err)
	if err := r.Service.ReopenAppeal(bg(), rita, "case_appeal_va"); !errors.Is(err, review.ErrForbidden) {
		t.Fatalf("a reviewer reopens an appeal: %v", err)
	}
	must(t, r.Service.ReopenAppeal(bg(), sam, "case_appeal_va"))
	r.Clock.Advance(time.Minute)
	_, err = r.Service.Claim(bg(), rita, "va")
	must(t, err)
	res, err := r.Service.Decide(bg(), rita, "va", review.Decision{Outcome: storage.Approved})
	must(t, err)
	if res.Decision.Outcome != storage.Approved || res.Refused != "" {
		t.Fatalf("appeal approval: %+v", res)
	}
	c, err := r.State.DocumentHolder(bg(), v.DocKey)
	must(t, err)
	if c.AccountID != "appellant" || c.VerificationID != "va" {
		t.Fatalf("claim after the appeal: %+v", c)
	}
	_, err = r.Service.MoveCase(bg(), sam, "case_appeal_va", storage.CaseResolved)
	must(t, err)
}
