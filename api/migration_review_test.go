package api_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/kycq/kycq/internal/systest/reviewtest"
	"github.com/kycq/kycq/kyc"
	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/review"
	"github.com/kycq/kycq/storage"
	"github.com/kycq/kycq/tasks"
)

// TestScenarioBIsReviewed: "mine" with the holder account not accessible
// opens an occupancy_migration support case linking both accounts and the
// verification, and stores the migration without starting it; answering
// again does not start it either. Support resolving the case (through
// /v1/review) enqueues the migration task; a reviewer without the support
// role cannot.
func TestScenarioBIsReviewed(t *testing.T) {
	r, srv := reviewAPI(t)
	ctx := context.Background()
	st := r.State
	now := time.Now().UTC()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(st.CreateVerification(ctx, &storage.Verification{ID: occVerification, AccountID: "new", Country: "CN", DocType: "id_card", DocKey: "dk", CreatedAt: now}))
	_, err := st.MarkSubmitted(ctx, occVerification, []string{"face"}, nil, now)
	must(err)
	_, _, err = st.SaveDecision(ctx, storage.Decision{VerificationID: occVerification, Outcome: storage.Rejected, Reasons: []reason.Code{reason.DocAlreadyUsed}, DecidedAt: now})
	must(err)
	_, _, err = st.BindContact(ctx, storage.Contact{Kind: storage.ContactEmail, Hash: "h-new", Masked: "n***@example.com", AccountID: "new", BoundAt: now})
	must(err)
	_, _, err = st.CreateHolderCheck(ctx, &storage.HolderCheck{ID: occCheck, VerificationID: occVerification, AccountID: "new", HolderAccount: "holder",
		SelfieKey: "h/" + occCheck + "/selfie", SelfieType: "video/mp4", CreatedAt: now})
	must(err)
	_, err = st.CompleteHolderCheck(ctx, occCheck, true, 0.5, nil, now)
	must(err)

	mID, caseID := kyc.OccupancyMigrationID(occCheck), kyc.MisuseCaseID(occCheck)
	queued := func() bool {
		_, err := r.Inspector.GetTaskInfo(tasks.QueueCritical, tasks.TypeMigration+":"+mID)
		return err == nil
	}
	for i := 0; i < 2; i++ {
		code, out := call(t, srv, "POST", "/v1/holder-checks/"+occCheck+"/answer", token, map[string]any{"answer": "mine", "proofs": map[string]bool{"new_contact_code": true}})
		if code != http.StatusOK || out["migration_id"] != mID || out["case_id"] != caseID {
			t.Fatalf("answer %d: %d %v", i, code, out)
		}
	}
	c, err := st.GetCase(ctx, caseID)
	if err != nil || c.Kind != storage.CaseOccupancyMigration || c.State != storage.CaseOpen ||
		c.AccountID != "new" || c.HolderAccount != "holder" || c.VerificationID != occVerification {
		t.Fatalf("review case %+v, %v", c, err)
	}
	if m, err := st.GetMigration(ctx, mID); err != nil || m.State != storage.MigrationRequested {
		t.Fatalf("migration before review: %+v, %v", m, err)
	}
	if queued() {
		t.Fatal("the migration task was enqueued before the review")
	}

	rita := staffLogin(t, r, srv, "rita", storage.RoleReviewer)
	if code, out := call(t, srv, "POST", "/v1/review/support-cases/"+caseID+"/transition", rita, map[string]string{"to": "in_progress"}); code != http.StatusForbidden {
		t.Fatalf("a reviewer moved the case: %d %v", code, out)
	}
	sam := staffLogin(t, r, srv, "sam", storage.RoleSupport)
	for _, to := range []string{"in_progress", "resolved"} {
		if code, out := call(t, srv, "POST", "/v1/review/support-cases/"+caseID+"/transition", sam, map[string]string{"to": to}); code != http.StatusOK || out["state"] != to {
			t.Fatalf("case to %s: %d %v", to, code, out)
		}
	}
	if !queued() {
		t.Fatal("resolving the review case did not enqueue the migration")
	}
}

// TestStaffLoginLocked: the API answers 429 login_locked once a username
// has failed too often.
func TestStaffLoginLocked(t *testing.T) {
	r, srv := reviewAPI(t)
	r.Staff(t, "rita", storage.RoleReviewer)
	for i := 0; i < review.MaxUserFailures; i++ {
		if code, _ := call(t, srv, "POST", "/v1/review/sessions", "", map[string]string{"username": "rita", "password": "wrong"}); code != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d", i, code)
		}
	}
	code, out := call(t, srv, "POST", "/v1/review/sessions", "", map[string]string{"username": "rita", "password": reviewtest.Password("rita")})
	if code != http.StatusTooManyRequests || errCode(out) != "login_locked" {
		t.Fatalf("locked login: %d %v", code, out)
	}
}
