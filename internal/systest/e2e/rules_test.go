package e2e

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/kycq/kycq/api"
	"github.com/kycq/kycq/api/client"
	"github.com/kycq/kycq/internal/eval/sample"
	"github.com/kycq/kycq/internal/systest/harness"
	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
)

var allProofs = storage.Proofs{NewContactCode: true, OriginalContactCode: true, Target2FA: true}

func migrate(t *testing.T, c *client.Client, req api.MigrationRequest) *api.MigrationView {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	m, err := c.Migrate(ctx, req, "")
	if err != nil {
		t.Fatalf("migrate: %v", err)
	}
	m, err = c.WaitMigration(ctx, m.ID, 50*time.Millisecond)
	if err != nil {
		t.Fatalf("wait for migration: %v", err)
	}
	return m
}

func bind(t *testing.T, c *client.Client, account string, kind storage.ContactKind, value string) {
	t.Helper()
	if _, err := c.BindContact(context.Background(), account, kind, value); err != nil {
		t.Fatalf("bind %s to %s: %v", kind, account, err)
	}
}

func refusal(m *api.MigrationView) reason.Code {
	if m.Refusal == nil {
		return ""
	}
	return m.Refusal.Code
}

// TestContactMigration walks rules §7 through the API and the migration
// task on real services: a migration completes once and closes the
// duplicate; every refusal leaves everything as it was.
func TestContactMigration(t *testing.T) {
	svc := harness.Start(t, harness.RealEnv(t), false)
	c := svc.Client
	ctx := context.Background()

	bind(t, c, "dup-1", storage.ContactPhone, "+49 151 2345 6789")
	bind(t, c, "dup-1", storage.ContactEmail, "dup.one@example.org")
	bind(t, c, "main-1", storage.ContactEmail, "main.one@example.org")
	bind(t, c, "main-1", storage.ContactPhone, "+49 151 0000 0001")

	// Proofs missing: refused, nothing moves.
	m := migrate(t, c, api.MigrationRequest{SourceAccount: "dup-1", TargetAccount: "main-1",
		Contact: api.ContactRequest{Kind: storage.ContactPhone, Value: "+4915123456789"},
		Proofs:  storage.Proofs{NewContactCode: true, Target2FA: true}})
	if m.State != storage.MigrationRefused || refusal(m) != reason.MigrationProofMissing {
		t.Fatalf("without the original-contact proof: %s %s", m.State, refusal(m))
	}

	// The duplicate still holds assets: refused.
	if err := c.SetHoldings(ctx, "dup-1", storage.Holdings{Assets: true}); err != nil {
		t.Fatal(err)
	}
	m = migrate(t, c, api.MigrationRequest{SourceAccount: "dup-1", TargetAccount: "main-1",
		Contact: api.ContactRequest{Kind: storage.ContactPhone, Value: "+4915123456789"}, Proofs: allProofs})
	if m.State != storage.MigrationRefused || refusal(m) != reason.MigrationSourceNotEmpty {
		t.Fatalf("source with assets: %s %s", m.State, refusal(m))
	}
	if a, _ := c.Account(ctx, "dup-1"); a.Status != storage.AccountActive || len(a.Contacts) != 2 {
		t.Fatalf("a refusal changed the source: %+v", a)
	}

	// Emptied: the migration completes, the phone moves, the duplicate closes.
	if err := c.SetHoldings(ctx, "dup-1", storage.Holdings{}); err != nil {
		t.Fatal(err)
	}
	m = migrate(t, c, api.MigrationRequest{SourceAccount: "dup-1", TargetAccount: "main-1",
		Contact: api.ContactRequest{Kind: storage.ContactPhone, Value: "+4915123456789"}, Proofs: allProofs})
	if m.State != storage.MigrationCompleted {
		t.Fatalf("migration: %s %s %s", m.State, refusal(m), m.Error)
	}
	var steps []storage.MigrationState
	for _, e := range m.Events {
		steps = append(steps, e.To)
	}
	if fmt.Sprint(steps) != fmt.Sprint([]storage.MigrationState{storage.MigrationRequested, storage.MigrationValidated,
		storage.MigrationExecuting, storage.MigrationCompleted}) {
		t.Errorf("audit trail %v", steps)
	}
	// The moved phone replaced main-1's own phone (rules §7: replaced, not
	// added); the email left on the closed duplicate was released. The
	// migration's contact trail says so.
	var changes []string
	for _, ch := range m.Changes {
		changes = append(changes, string(ch.Change)+" "+ch.Masked)
	}
	if fmt.Sprint(changes) != "[moved +49******6789 replaced +49******0001 released d***@example.org]" {
		t.Errorf("contact trail %v", changes)
	}
	dup, _ := c.Account(ctx, "dup-1")
	main, _ := c.Account(ctx, "main-1")
	if dup.Status != storage.AccountClosed || len(dup.Contacts) != 0 || fmt.Sprint(masked(main)) != "[m***@example.org +49******6789]" {
		t.Errorf("after migration: dup %+v, main %+v", dup, main)
	}
	bind(t, c, "main-3", storage.ContactEmail, "dup.one@example.org")
	bind(t, c, "main-4", storage.ContactPhone, "+49 151 0000 0001")

	// The same phone can be migrated only once, whoever holds it now.
	m = migrate(t, c, api.MigrationRequest{SourceAccount: "main-1", TargetAccount: "main-2",
		Contact: api.ContactRequest{Kind: storage.ContactPhone, Value: "+4915123456789"}, Proofs: allProofs})
	if m.State != storage.MigrationRefused || refusal(m) != reason.MigrationAlreadyUsed {
		t.Errorf("second migration of one phone: %s %s", m.State, refusal(m))
	}

	// A closed account cannot take a new contact.
	_, err := c.BindContact(ctx, "dup-1", storage.ContactEmail, "new@example.org")
	var ae *client.APIError
	if !errors.As(err, &ae) || ae.Status != 409 {
		t.Errorf("bind to a closed account: %v", err)
	}

	// Two migrations of one phone racing: exactly one completes.
	bind(t, c, "dup-2", storage.ContactPhone, "+4915199990000")
	if err := c.SetHoldings(ctx, "dup-2", storage.Holdings{}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	results := make([]*api.MigrationView, 2)
	for i, target := range []string{"main-a", "main-b"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = migrate(t, c, api.MigrationRequest{SourceAccount: "dup-2", TargetAccount: target,
				Contact: api.ContactRequest{Kind: storage.ContactPhone, Value: "+4915199990000"}, Proofs: allProofs})
		}()
	}
	wg.Wait()
	completed := 0
	for _, r := range results {
		switch {
		case r.State == storage.MigrationCompleted:
			completed++
		case r.State == storage.MigrationRefused && (refusal(r) == reason.MigrationAlreadyUsed ||
			refusal(r) == reason.MigrationContactNotFound || refusal(r) == reason.MigrationInvalid):
		default:
			t.Errorf("racing migration ended %s %s", r.State, refusal(r))
		}
	}
	if completed != 1 {
		t.Errorf("%d racing migrations completed, want exactly 1", completed)
	}
}

// TestViewHolder walks rules §6: a document held by another account; the
// new account asks to see the holder with a fresh selfie; only a matching
// face reveals the holder, masked; "mine" moves the new account's contacts
// to the holder and freezes it; another person's selfie reveals nothing.
func TestViewHolder(t *testing.T) {
	svc := harness.Start(t, harness.RealEnv(t), false)
	c := svc.Client
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	alice := applicant(t, sample.Options{Seed: 11})
	bind(t, c, "holder-1", storage.ContactEmail, "erika.holder@example.org")
	requireApproved(t, apply(t, c, "holder-1", alice))
	waitAccount(t, c, "holder-1", func(a *api.AccountResponse) bool { return a.KYCVerified })

	// The same person, from a new account she made when she lost access.
	bind(t, c, "new-1", storage.ContactPhone, "+49 170 1112223")
	bind(t, c, "new-1", storage.ContactEmail, "new.erika@example.org")
	if err := c.SetHoldings(ctx, "new-1", storage.Holdings{}); err != nil {
		t.Fatal(err)
	}
	v := apply(t, c, "new-1", alice)
	if v.Decision.Outcome != storage.Rejected || !hasCode(v.Decision.Reasons, reason.DocAlreadyUsed) {
		t.Fatalf("second account: %s %v", v.Decision.Outcome, codes(v.Decision.Reasons))
	}

	// Someone else's face first: nothing is revealed.
	other := applicant(t, sample.Options{Seed: 13, Face: "hopper"})
	hc, err := c.HolderCheck(ctx, v.ID, other.Files[storage.SlotSelfie])
	if err != nil {
		t.Fatal(err)
	}
	hc, err = c.WaitHolderCheck(ctx, hc.ID, 50*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if hc.State != storage.HolderCheckMismatch || hc.Holder != nil || len(hc.Reasons) == 0 || hc.Reasons[0].Remedy == "" {
		t.Fatalf("another face: %+v", hc)
	}
	if _, err := c.AnswerHolder(ctx, hc.ID, api.HolderAnswerRequest{Answer: "mine", Proofs: storage.Proofs{NewContactCode: true}}); err == nil {
		t.Fatal("answering a mismatched holder check was accepted")
	}

	// Her own face: the holder is shown, masked.
	hc, err = c.HolderCheck(ctx, v.ID, alice.Files[storage.SlotSelfie])
	if err != nil {
		t.Fatal(err)
	}
	hc, err = c.WaitHolderCheck(ctx, hc.ID, 50*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if hc.State != storage.HolderCheckMatched || hc.Holder == nil {
		t.Fatalf("her own face: %+v", hc)
	}
	if hc.Holder.AccountID == "holder-1" || len(hc.Holder.Emails) != 1 || hc.Holder.Emails[0] == "erika.holder@example.org" {
		t.Errorf("holder not masked: %+v", hc.Holder)
	}

	// "Belongs to me", holder account inaccessible: scenario B.
	hc, err = c.AnswerHolder(ctx, hc.ID, api.HolderAnswerRequest{Answer: "mine", Proofs: storage.Proofs{NewContactCode: true}})
	if err != nil {
		t.Fatal(err)
	}
	if hc.MigrationID == "" || hc.CaseID == "" {
		t.Fatalf("no migration and review case started: %+v", hc)
	}
	// Scenario B is reviewed (rules §9): the migration waits, requested,
	// until support resolves its case.
	m, err := c.Migration(ctx, hc.MigrationID)
	if err != nil || m.State != storage.MigrationRequested {
		t.Fatalf("scenario B before review: %+v, %v", m, err)
	}
	approveCase(t, svc, hc.CaseID)
	m, err = c.WaitMigration(ctx, hc.MigrationID, 50*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if m.State != storage.MigrationCompleted || m.Kind != storage.MigrationOccupancy {
		t.Fatalf("scenario B migration: %s %s %s", m.State, refusal(m), m.Error)
	}
	newAcct, _ := c.Account(ctx, "new-1")
	holder, _ := c.Account(ctx, "holder-1")
	// Her new email replaced the holder's lost one; her phone was added.
	if newAcct.Status != storage.AccountFrozen || len(newAcct.Contacts) != 0 || fmt.Sprint(masked(holder)) != "[n***@example.org +49******2223]" {
		t.Errorf("after scenario B: new %+v, holder %+v", newAcct, holder)
	}
	// Answering again changes nothing.
	again, err := c.AnswerHolder(ctx, hc.ID, api.HolderAnswerRequest{Answer: "mine", Proofs: storage.Proofs{NewContactCode: true}})
	if err != nil || again.MigrationID != hc.MigrationID {
		t.Errorf("repeated answer: %+v, %v", again, err)
	}
}

// masked lists an account's contacts as the API shows them, emails first.
func masked(a *api.AccountResponse) []string {
	var out []string
	for _, c := range a.Contacts {
		out = append(out, c.Masked)
	}
	return out
}
