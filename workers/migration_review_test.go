package workers_test

import (
	"context"
	"strings"
	"testing"

	"github.com/kycq/kycq/kyc"
	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
	"github.com/kycq/kycq/tasks"
)

// TestOccupancyMigrationWaitsForItsCase runs the migration task of a
// scenario-B migration on PostgreSQL and SQLite: while its review case is
// open the task leaves it requested; once support dismisses the case the
// task refuses it with migration_review_dismissed and nothing moves.
func TestOccupancyMigrationWaitsForItsCase(t *testing.T) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			d := newDecider(t, open(t))
			ctx := context.Background()
			hcID := "h_" + strings.Repeat("r", 26)
			vID := "v_" + strings.Repeat("s", 26)
			if _, _, err := d.st.CreateHolderCheck(ctx, &storage.HolderCheck{ID: hcID, VerificationID: vID, AccountID: "acct-new",
				HolderAccount: "acct-holder", SelfieKey: "h/" + hcID + "/selfie", SelfieType: "video/mp4",
				State: storage.HolderCheckPending, CreatedAt: submittedAt, UpdatedAt: submittedAt}); err != nil {
				t.Fatal(err)
			}
			if _, err := d.st.CompleteHolderCheck(ctx, hcID, true, 0.9, nil, submittedAt); err != nil {
				t.Fatal(err)
			}
			mID, caseID := kyc.OccupancyMigrationID(hcID), kyc.MisuseCaseID(hcID)
			if _, err := d.st.ResolveHolderCheck(ctx, hcID, kyc.AnswerMine, mID, caseID, submittedAt); err != nil {
				t.Fatal(err)
			}
			if err := d.st.OpenCase(ctx, storage.SupportCase{ID: caseID, Kind: storage.CaseOccupancyMigration, AccountID: "acct-new",
				HolderAccount: "acct-holder", VerificationID: vID, CreatedAt: submittedAt}); err != nil {
				t.Fatal(err)
			}
			phone := storage.Contact{Kind: storage.ContactPhone, Hash: "hr", Masked: "+1***1", AccountID: "acct-new", BoundAt: submittedAt}
			if _, _, err := d.st.BindContact(ctx, phone); err != nil {
				t.Fatal(err)
			}
			if _, _, err := d.st.CreateMigration(ctx, &storage.Migration{ID: mID, Kind: storage.MigrationOccupancy,
				SourceAccount: "acct-new", TargetAccount: "acct-holder", VerificationID: vID,
				Contacts: []storage.ContactRef{{Kind: phone.Kind, Hash: phone.Hash, Masked: phone.Masked}},
				Proofs:   storage.Proofs{NewContactCode: true}, State: storage.MigrationRequested, CreatedAt: submittedAt, UpdatedAt: submittedAt}); err != nil {
				t.Fatal(err)
			}
			run := func() *storage.Migration {
				t.Helper()
				task, err := tasks.NewMigration(mID)
				if err != nil {
					t.Fatal(err)
				}
				if err := d.h.Mux().ProcessTask(ctx, task); err != nil {
					t.Fatal(err)
				}
				m, err := d.st.GetMigration(ctx, mID)
				if err != nil {
					t.Fatal(err)
				}
				return m
			}
			if m := run(); m.State != storage.MigrationRequested {
				t.Fatalf("with the case open: %s (%s), want requested", m.State, m.Refusal)
			}
			if _, err := d.st.TransitionCase(ctx, caseID, storage.CaseOpen, storage.CaseDismissed, "staff-1", submittedAt); err != nil {
				t.Fatal(err)
			}
			if m := run(); m.State != storage.MigrationRefused || m.Refusal != reason.MigrationReviewDismissed {
				t.Fatalf("with the case dismissed: %s (%s), want refused %s", m.State, m.Refusal, reason.MigrationReviewDismissed)
			}
			if h, err := d.st.ContactHolder(ctx, phone.Kind, phone.Hash); err != nil || h.AccountID != "acct-new" {
				t.Fatalf("phone bound to %q (%v), want it left on the source", h.AccountID, err)
			}
			if a, err := d.st.GetAccount(ctx, "acct-new"); err == nil && a.Status != storage.AccountActive {
				t.Fatalf("source %s after a dismissal", a.Status)
			}
		})
	}
}
