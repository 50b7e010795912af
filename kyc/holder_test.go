package kyc

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
)

func occupied() (*storage.Verification, storage.Decision, storage.Claim) {
	v := &storage.Verification{ID: "v1", AccountID: "new", Status: storage.StatusDecided, DocKey: "k"}
	d := storage.Decision{VerificationID: "v1", Outcome: storage.Rejected, Reasons: []reason.Code{reason.DocAlreadyUsed}}
	return v, d, storage.Claim{DocKey: "k", AccountID: "holder", VerificationID: "v0"}
}

func TestCanViewHolder(t *testing.T) {
	v, d, c := occupied()
	if err := CanViewHolder(v, d, c, "new", nil); err != nil {
		t.Fatalf("allowed case: %v", err)
	}
	if err := CanViewHolder(v, d, c, "new", &storage.Account{ID: "new", Status: storage.AccountActive}); err != nil {
		t.Fatalf("active account: %v", err)
	}
	for _, tc := range []struct {
		name string
		mut  func(*storage.Verification, *storage.Decision, *storage.Claim, *string, **storage.Account)
		want error
	}{
		{"another account asks", func(_ *storage.Verification, _ *storage.Decision, _ *storage.Claim, r *string, _ **storage.Account) {
			*r = "other"
		}, ErrNotRequester},
		{"no verification", func(v *storage.Verification, _ *storage.Decision, _ *storage.Claim, _ *string, _ **storage.Account) {
			v.AccountID = ""
		}, ErrNotRequester},
		{"not decided", func(v *storage.Verification, _ *storage.Decision, _ *storage.Claim, _ *string, _ **storage.Account) {
			v.Status = storage.StatusSubmitted
		}, ErrNotOccupied},
		{"approved", func(_ *storage.Verification, d *storage.Decision, _ *storage.Claim, _ *string, _ **storage.Account) {
			d.Outcome = storage.Approved
		}, ErrNotOccupied},
		{"other rejection", func(_ *storage.Verification, d *storage.Decision, _ *storage.Claim, _ *string, _ **storage.Account) {
			d.Reasons = []reason.Code{reason.DocExpired}
		}, ErrNotOccupied},
		{"claim of another document", func(_ *storage.Verification, _ *storage.Decision, c *storage.Claim, _ *string, _ **storage.Account) {
			c.DocKey = "other"
		}, ErrNotOccupied},
		{"requester holds it", func(_ *storage.Verification, _ *storage.Decision, c *storage.Claim, _ *string, _ **storage.Account) {
			c.AccountID = "new"
		}, ErrNotOccupied},
		{"frozen", func(_ *storage.Verification, _ *storage.Decision, _ *storage.Claim, _ *string, a **storage.Account) {
			*a = &storage.Account{Status: storage.AccountFrozen}
		}, ErrAccountInactive},
		{"closed", func(_ *storage.Verification, _ *storage.Decision, _ *storage.Claim, _ *string, a **storage.Account) {
			*a = &storage.Account{Status: storage.AccountClosed}
		}, ErrAccountInactive},
	} {
		v, d, c := occupied()
		requester := "new"
		var acct *storage.Account
		tc.mut(v, &d, &c, &requester, &acct)
		if err := CanViewHolder(v, d, c, requester, acct); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
	if err := CanViewHolder(nil, d, c, "new", nil); !errors.Is(err, ErrNotRequester) {
		t.Errorf("nil verification: %v", err)
	}
}

func holderCheck(state storage.HolderCheckState) storage.HolderCheck {
	return storage.HolderCheck{ID: "h1", VerificationID: "v1", AccountID: "new", HolderAccount: "35123456789", State: state}
}

func TestRevealHolder(t *testing.T) {
	contacts := []storage.Contact{
		{Kind: storage.ContactPhone, Hash: "p", Masked: "+86******1234", AccountID: "35123456789"},
		{Kind: storage.ContactEmail, Hash: "e2", Masked: "z***@example.com", AccountID: "35123456789"},
		{Kind: storage.ContactEmail, Hash: "e1", Masked: "a***@example.com", AccountID: "35123456789"},
		{Kind: storage.ContactEmail, Hash: "x", Masked: "x***@example.com", AccountID: "someone-else"},
	}
	for _, s := range []storage.HolderCheckState{storage.HolderCheckPending, storage.HolderCheckMismatch, ""} {
		if _, err := RevealHolder(holderCheck(s), contacts); !errors.Is(err, ErrHolderNotMatched) {
			t.Errorf("%q revealed: %v", s, err)
		}
	}
	for _, s := range []storage.HolderCheckState{storage.HolderCheckMatched, storage.HolderCheckResolved} {
		got, err := RevealHolder(holderCheck(s), contacts)
		want := HolderView{AccountID: "35****89", Emails: []string{"a***@example.com", "z***@example.com"}, Phones: []string{"+86******1234"}}
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %+v, %v", s, got, err)
		}
	}
}

func TestResolveHolder(t *testing.T) {
	now := time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC)
	contacts := []storage.Contact{
		{Kind: storage.ContactPhone, Hash: "p", Masked: "+86******1234", AccountID: "new"},
		{Kind: storage.ContactEmail, Hash: "e", Masked: "a***@example.com", AccountID: "new"},
		{Kind: storage.ContactEmail, Hash: "e", Masked: "a***@example.com", AccountID: "new"},
		{Kind: storage.ContactEmail, Hash: "o", Masked: "o***@example.com", AccountID: "other"},
	}
	proofs := storage.Proofs{NewContactCode: true}
	r, err := ResolveHolder(holderCheck(storage.HolderCheckMatched), AnswerMine, proofs, contacts, now)
	if err != nil || r.Case == nil || r.Migration == nil {
		t.Fatalf("mine: %+v, %v", r, err)
	}
	wantReview := storage.SupportCase{ID: "case_h1", Kind: CaseOccupancyMigration, AccountID: "new", HolderAccount: "35123456789", VerificationID: "v1", CreatedAt: now}
	if !reflect.DeepEqual(*r.Case, wantReview) {
		t.Fatalf("review case\n got %+v\nwant %+v", *r.Case, wantReview)
	}
	if id, ok := HolderCheckOfCase(r.Case.ID); !ok || id != "h1" {
		t.Fatalf("HolderCheckOfCase(%q) = %q, %v", r.Case.ID, id, ok)
	}
	if id, ok := HolderCheckOfCase("case_appeal_v1"); ok {
		t.Fatalf("HolderCheckOfCase of an appeal = %q", id)
	}
	m := *r.Migration
	want := storage.Migration{ID: "m_occ_h1", Kind: storage.MigrationOccupancy, SourceAccount: "new", TargetAccount: "35123456789",
		Contacts: []storage.ContactRef{{Kind: storage.ContactEmail, Hash: "e", Masked: "a***@example.com"}, {Kind: storage.ContactPhone, Hash: "p", Masked: "+86******1234"}},
		Proofs:   proofs, VerificationID: "v1", State: storage.MigrationRequested, CreatedAt: now, UpdatedAt: now}
	if !reflect.DeepEqual(m, want) {
		t.Fatalf("migration\n got %+v\nwant %+v", m, want)
	}
	if err := ValidateMigrationRequest(m); err != nil {
		t.Fatalf("the migration is not a valid request: %v", err)
	}
	if id, ok := HolderCheckOf(m.ID); !ok || id != "h1" {
		t.Fatalf("HolderCheckOf(%q) = %q, %v", m.ID, id, ok)
	}
	if _, ok := HolderCheckOf("m_other"); ok {
		t.Fatal("HolderCheckOf accepted a contact migration ID")
	}
	// A repeated answer resolves the same way.
	resolved := holderCheck(storage.HolderCheckResolved)
	resolved.Answer = AnswerMine
	again, err := ResolveHolder(resolved, AnswerMine, proofs, contacts, now)
	if err != nil || !reflect.DeepEqual(again, r) {
		t.Fatalf("repeated answer: %+v, %v", again, err)
	}
	if _, err := ResolveHolder(resolved, AnswerNotMine, proofs, contacts, now); !errors.Is(err, ErrHolderAnswered) {
		t.Fatalf("changed answer: %v", err)
	}

	r, err = ResolveHolder(holderCheck(storage.HolderCheckMatched), AnswerNotMine, proofs, nil, now)
	wantCase := storage.SupportCase{ID: "case_h1", Kind: CaseIdentityMisuse, AccountID: "new", HolderAccount: "35123456789", VerificationID: "v1", CreatedAt: now}
	if err != nil || r.Migration != nil || r.Case == nil || *r.Case != wantCase {
		t.Fatalf("not mine: %+v, %v", r, err)
	}

	for _, tc := range []struct {
		name   string
		h      storage.HolderCheck
		answer string
		cs     []storage.Contact
		want   error
	}{
		{"pending", holderCheck(storage.HolderCheckPending), AnswerMine, contacts, ErrHolderNotMatched},
		{"mismatch", holderCheck(storage.HolderCheckMismatch), AnswerNotMine, contacts, ErrHolderNotMatched},
		{"bad answer", holderCheck(storage.HolderCheckMatched), "maybe", contacts, ErrBadAnswer},
		{"no contacts", holderCheck(storage.HolderCheckMatched), AnswerMine, contacts[3:], ErrNoContacts},
	} {
		if _, err := ResolveHolder(tc.h, tc.answer, proofs, tc.cs, now); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
}

type fakeHoldings map[string]storage.Holdings

func (f fakeHoldings) GetHoldings(_ context.Context, id string) (storage.Holdings, error) {
	h, ok := f[id]
	if !ok {
		return storage.Holdings{}, errors.New("unknown")
	}
	return h, nil
}

func TestStoreAccountState(t *testing.T) {
	s := StoreAccountState(fakeHoldings{"a": {OpenOrders: true}})
	h, err := s.Holdings(context.Background(), "a")
	if err != nil || !h.OpenOrders || h.Empty() {
		t.Fatalf("holdings %+v, %v", h, err)
	}
	if _, err := s.Holdings(context.Background(), "b"); err == nil {
		t.Fatal("error not passed through")
	}
}
