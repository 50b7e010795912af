package storetest

import (
	"testing"
	"time"

	"github.com/kycq/kycq/storage"
)

// testWritesTwice runs one full life (verification, checks, decision,
// claim, account, contacts, migration, holder check) twice over: once with
// every write made once, once with every write made twice in a row, as a
// redelivered task would, under other IDs in the same store. Both runs
// must end in the same state (compared with the IDs mapped).
func testWritesTwice(t *testing.T, s storage.State) {
	once := snapshot(t, s, lifecycle(t, s, 1))
	twice := snapshot(t, s, lifecycle(t, s, 2))
	eq(t, "state after writes made twice", twice, once)
}

// ids of one lifecycle run.
type lifeIDs struct{ p string }

func (l lifeIDs) id(s string) string { return l.p + s }

// lifecycle performs the writes, each repeat times, and returns the IDs it
// used (prefixed by the repeat count).
func lifecycle(t *testing.T, s storage.State, repeat int) lifeIDs {
	t.Helper()
	l := lifeIDs{p: string(rune('a'+repeat-1)) + "-"}
	do := func(what string, fn func() error) {
		t.Helper()
		for i := 0; i < repeat; i++ {
			if err := fn(); err != nil {
				t.Fatalf("%s (call %d): %v", what, i+1, err)
			}
		}
	}
	v, acc, dup := l.id("v"), l.id("acc"), l.id("dup")
	do("create", func() error {
		return s.CreateVerification(bg(), &storage.Verification{ID: v, AccountID: acc, Country: "CN", DocType: "id_card",
			DocKey: l.id("doc"), InfoSealed: []byte{1, 2}, CreatedAt: at(0)})
	})
	do("submit", func() error { _, err := s.MarkSubmitted(bg(), v, []string{"face", "image"}, nil, at(1)); return err })
	do("result image", func() error {
		_, err := s.PutCheckResult(bg(), storage.CheckResult{VerificationID: v, Check: "image", OK: true, CreatedAt: at(2)})
		return err
	})
	do("result face", func() error {
		_, err := s.PutCheckResult(bg(), storage.CheckResult{VerificationID: v, Check: "face", OK: true,
			Scores: map[string]float64{"similarity": 0.9}, Sealed: []byte{7}, CreatedAt: at(3)})
		return err
	})
	do("claim", func() error {
		_, _, err := s.ClaimDocument(bg(), storage.Claim{DocKey: l.id("doc"), AccountID: acc, VerificationID: v, ClaimedAt: at(4)})
		return err
	})
	do("decide", func() error {
		_, _, err := s.SaveDecision(bg(), storage.Decision{VerificationID: v, Outcome: storage.Approved, DecidedAt: at(4)})
		return err
	})
	do("verify account", func() error { return s.MarkAccountVerified(bg(), acc, v, []byte{7}, at(5)) })
	do("holdings", func() error { return s.SetHoldings(bg(), dup, storage.Holdings{}, at(5)) })
	for _, ref := range []storage.ContactRef{
		{Kind: storage.ContactEmail, Hash: l.id("mail"), Masked: "a***@b.c"},
		{Kind: storage.ContactPhone, Hash: l.id("phone"), Masked: "+1***9"},
	} {
		do("bind", func() error {
			_, _, err := s.BindContact(bg(), storage.Contact{Kind: ref.Kind, Hash: ref.Hash, Masked: ref.Masked, AccountID: dup, BoundAt: at(5)})
			return err
		})
	}
	m := l.id("m")
	do("create migration", func() error {
		_, _, err := s.CreateMigration(bg(), &storage.Migration{ID: m, Kind: storage.MigrationContact, SourceAccount: dup,
			TargetAccount: acc, Contacts: []storage.ContactRef{{Kind: storage.ContactPhone, Hash: l.id("phone"), Masked: "+1***9"}},
			Proofs: allProofs, CreatedAt: at(6)})
		return err
	})
	do("validate", func() error {
		_, err := s.TransitionMigration(bg(), m, storage.MigrationRequested, storage.MigrationValidated, "", "ok", at(7))
		return err
	})
	do("executing", func() error {
		_, err := s.TransitionMigration(bg(), m, storage.MigrationValidated, storage.MigrationExecuting, "", "go", at(8))
		return err
	})
	do("execute", func() error { _, err := s.ExecuteMigration(bg(), m, at(9)); return err })
	do("freeze", func() error { return s.SetAccountStatus(bg(), l.id("other"), storage.AccountFrozen, at(9)) })
	h := l.id("h")
	do("holder check", func() error {
		_, _, err := s.CreateHolderCheck(bg(), &storage.HolderCheck{ID: h, VerificationID: v, AccountID: l.id("other"),
			HolderAccount: acc, SelfieKey: "k", SelfieType: "image/jpeg", CreatedAt: at(10)})
		return err
	})
	do("complete holder check", func() error { _, err := s.CompleteHolderCheck(bg(), h, true, 0.8, nil, at(11)); return err })
	do("open case", func() error {
		return s.OpenCase(bg(), storage.SupportCase{ID: l.id("c"), Kind: "identity_misuse", AccountID: l.id("other"),
			HolderAccount: acc, VerificationID: v, CreatedAt: at(12)})
	})
	do("resolve holder check", func() error {
		_, err := s.ResolveHolderCheck(bg(), h, "not_mine", "", l.id("c"), at(12))
		return err
	})
	do("purge", func() error { return s.MarkPurged(bg(), v, at(13)) })
	return l
}

// state is what the store shows of one lifecycle run, with the run's
// prefix taken off the IDs.
type state struct {
	Verification storage.Verification
	Results      []storage.CheckResult
	Decision     storage.Decision
	Claim        storage.Claim
	Accounts     []storage.Account
	Contacts     []storage.Contact
	Holdings     storage.Holdings
	Migration    storage.Migration
	Events       []storage.MigrationEvent
	Migrated     bool
	Holder       storage.HolderCheck
	Case         storage.SupportCase
	Rejections   int
}

func snapshot(t *testing.T, s storage.State, l lifeIDs) state {
	t.Helper()
	strip := func(id string) string {
		if len(id) >= len(l.p) && id[:len(l.p)] == l.p {
			return id[len(l.p):]
		}
		return id
	}
	var st state
	v, err := s.GetVerification(bg(), l.id("v"))
	must(t, err)
	st.Verification = *v
	st.Verification.ID, st.Verification.AccountID, st.Verification.DocKey = strip(v.ID), strip(v.AccountID), strip(v.DocKey)
	st.Results, err = s.CheckResults(bg(), l.id("v"))
	must(t, err)
	for i := range st.Results {
		st.Results[i].VerificationID = strip(st.Results[i].VerificationID)
	}
	st.Decision, err = s.GetDecision(bg(), l.id("v"))
	must(t, err)
	st.Decision.VerificationID = strip(st.Decision.VerificationID)
	st.Claim, err = s.DocumentHolder(bg(), l.id("doc"))
	must(t, err)
	st.Claim.DocKey, st.Claim.AccountID, st.Claim.VerificationID = strip(st.Claim.DocKey), strip(st.Claim.AccountID), strip(st.Claim.VerificationID)
	for _, id := range []string{"acc", "dup", "other"} {
		a, err := s.GetAccount(bg(), l.id(id))
		must(t, err)
		a.ID, a.VerificationID = strip(a.ID), strip(a.VerificationID)
		a.UpdatedAt = a.UpdatedAt.UTC()
		st.Accounts = append(st.Accounts, *a)
	}
	for _, id := range []string{"acc", "dup"} {
		cs, err := s.Contacts(bg(), l.id(id))
		must(t, err)
		for _, c := range cs {
			c.Hash, c.AccountID = strip(c.Hash), strip(c.AccountID)
			st.Contacts = append(st.Contacts, c)
		}
	}
	st.Holdings, err = s.GetHoldings(bg(), l.id("dup"))
	must(t, err)
	m, err := s.GetMigration(bg(), l.id("m"))
	must(t, err)
	st.Migration = *m
	st.Migration.ID, st.Migration.SourceAccount, st.Migration.TargetAccount = strip(m.ID), strip(m.SourceAccount), strip(m.TargetAccount)
	st.Migration.Contacts = append([]storage.ContactRef(nil), m.Contacts...)
	for i := range st.Migration.Contacts {
		st.Migration.Contacts[i].Hash = strip(st.Migration.Contacts[i].Hash)
	}
	st.Events, err = s.MigrationEvents(bg(), l.id("m"))
	must(t, err)
	for i := range st.Events {
		st.Events[i].MigrationID = strip(st.Events[i].MigrationID)
	}
	st.Migrated, err = s.ContactMigrated(bg(), storage.ContactPhone, l.id("phone"))
	must(t, err)
	h, err := s.GetHolderCheck(bg(), l.id("h"))
	must(t, err)
	st.Holder = *h
	st.Holder.ID, st.Holder.VerificationID, st.Holder.AccountID = strip(h.ID), strip(h.VerificationID), strip(h.AccountID)
	st.Holder.HolderAccount, st.Holder.CaseID = strip(h.HolderAccount), strip(h.CaseID)
	st.Case, err = s.GetCase(bg(), l.id("c"))
	must(t, err)
	st.Case.ID, st.Case.AccountID, st.Case.HolderAccount, st.Case.VerificationID =
		strip(st.Case.ID), strip(st.Case.AccountID), strip(st.Case.HolderAccount), strip(st.Case.VerificationID)
	st.Rejections, err = s.CountRejections(bg(), l.id("acc"), at(0), time.Time{})
	must(t, err)
	// Sanity: the run did what it meant to.
	if st.Migration.State != storage.MigrationCompleted || st.Decision.Outcome != storage.Approved ||
		st.Holder.State != storage.HolderCheckResolved || !st.Migrated || len(st.Events) != 4 {
		t.Fatalf("lifecycle did not complete: %+v", st)
	}
	return st
}
