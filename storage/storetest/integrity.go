package storetest

import (
	"errors"
	"fmt"
	"testing"

	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
)

// A frozen or closed account claims no document: an approval needs an
// active account, decided inside the claim's transaction.
func testClaimNeedsActiveAccount(t *testing.T, s storage.State) {
	for _, st := range []storage.AccountStatus{storage.AccountFrozen, storage.AccountClosed} {
		acc := "acc-" + string(st)
		must(t, s.SetAccountStatus(bg(), acc, st, at(0)))
		_, won, err := s.ClaimDocument(bg(), storage.Claim{DocKey: "doc-" + acc, AccountID: acc, VerificationID: "v-" + acc, ClaimedAt: at(1)})
		mustIs(t, err, storage.ErrAccountInactive, "claim by a "+string(st)+" account")
		eq(t, "won by a "+string(st)+" account", won, false)
		_, err = s.DocumentHolder(bg(), "doc-"+acc)
		mustIs(t, err, storage.ErrNotFound, "document claimed by a "+string(st)+" account")
	}
	// A claim made while active stays the account's: repeating it (a
	// redelivered decision) still reports it won.
	_, won, err := s.ClaimDocument(bg(), storage.Claim{DocKey: "doc-x", AccountID: "acc-x", VerificationID: "v-x", ClaimedAt: at(1)})
	must(t, err)
	eq(t, "active claim", won, true)
	must(t, s.SetAccountStatus(bg(), "acc-x", storage.AccountFrozen, at(2)))
	holder, won, err := s.ClaimDocument(bg(), storage.Claim{DocKey: "doc-x", AccountID: "acc-x", VerificationID: "v-x", ClaimedAt: at(3)})
	must(t, err)
	eq(t, "repeated claim after freezing", won, true)
	eq(t, "holder", holder.VerificationID, "v-x")
}

// A frozen or closed account binds no new contact; a binding it has stays
// and repeating it is still a no-op.
func testBindNeedsActiveAccount(t *testing.T, s storage.State) {
	bind(t, s, phone, "acc-f")
	must(t, s.SetAccountStatus(bg(), "acc-f", storage.AccountFrozen, at(1)))
	_, won, err := s.BindContact(bg(), storage.Contact{Kind: email.Kind, Hash: email.Hash, Masked: email.Masked, AccountID: "acc-f", BoundAt: at(2)})
	mustIs(t, err, storage.ErrAccountInactive, "bind to a frozen account")
	eq(t, "won", won, false)
	_, err = s.ContactHolder(bg(), email.Kind, email.Hash)
	mustIs(t, err, storage.ErrNotFound, "contact refused by a frozen account")
	holder, won, err := s.BindContact(bg(), storage.Contact{Kind: phone.Kind, Hash: phone.Hash, Masked: phone.Masked, AccountID: "acc-f", BoundAt: at(2)})
	must(t, err)
	eq(t, "repeat on a frozen account", won, true)
	eq(t, "binding kept", holder.AccountID, "acc-f")

	must(t, s.SetAccountStatus(bg(), "acc-c", storage.AccountClosed, at(1)))
	_, _, err = s.BindContact(bg(), storage.Contact{Kind: email.Kind, Hash: email.Hash, Masked: email.Masked, AccountID: "acc-c", BoundAt: at(2)})
	mustIs(t, err, storage.ErrAccountInactive, "bind to a closed account")
}

// The executing transaction re-checks the facts the store holds: a source
// that meanwhile completed KYC, claimed a document, has a verification in
// progress, reported holdings or left the active state, or a target that
// did, refuses the migration and changes nothing else (issue 12, items 2
// and 4).
func testExecuteRechecksFacts(t *testing.T, s storage.State) {
	for i, tc := range []struct {
		name   string
		change func(src, dst string) error
		want   reason.Code // "" = completes
	}{
		{"nothing changed", func(src, dst string) error { return nil }, ""},
		{"empty holdings reported", func(src, dst string) error {
			return s.SetHoldings(bg(), src, storage.Holdings{}, at(3))
		}, ""},
		{"source verified", func(src, dst string) error {
			return s.MarkAccountVerified(bg(), src, "v-"+src, nil, at(3))
		}, reason.MigrationSourceVerified},
		{"source claimed a document", func(src, dst string) error {
			_, _, err := s.ClaimDocument(bg(), storage.Claim{DocKey: "doc-" + src, AccountID: src, VerificationID: "v-" + src, ClaimedAt: at(3)})
			return err
		}, reason.MigrationSourceVerified},
		{"source verification undecided", func(src, dst string) error {
			submitted(t, s, "v-"+src, src, at(3))
			return nil
		}, reason.MigrationSourceVerifying},
		{"source verification rejected", func(src, dst string) error {
			submitted(t, s, "v-"+src, src, at(3))
			_, _, err := s.SaveDecision(bg(), storage.Decision{VerificationID: "v-" + src, Outcome: storage.Rejected,
				Reasons: []reason.Code{reason.DocBlurry}, DecidedAt: at(3)})
			return err
		}, ""},
		{"source holds assets", func(src, dst string) error {
			return s.SetHoldings(bg(), src, storage.Holdings{Assets: true}, at(3))
		}, reason.MigrationSourceNotEmpty},
		{"source has open orders", func(src, dst string) error {
			return s.SetHoldings(bg(), src, storage.Holdings{OpenOrders: true}, at(3))
		}, reason.MigrationSourceNotEmpty},
		{"source has pending withdrawals", func(src, dst string) error {
			return s.SetHoldings(bg(), src, storage.Holdings{PendingWithdrawals: true}, at(3))
		}, reason.MigrationSourceNotEmpty},
		{"source frozen", func(src, dst string) error {
			return s.SetAccountStatus(bg(), src, storage.AccountFrozen, at(3))
		}, reason.MigrationInvalid},
		{"source closed", func(src, dst string) error {
			return s.SetAccountStatus(bg(), src, storage.AccountClosed, at(3))
		}, reason.MigrationInvalid},
		{"target frozen", func(src, dst string) error {
			return s.SetAccountStatus(bg(), dst, storage.AccountFrozen, at(3))
		}, reason.MigrationInvalid},
		{"target closed", func(src, dst string) error {
			return s.SetAccountStatus(bg(), dst, storage.AccountClosed, at(3))
		}, reason.MigrationInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src, dst := fmt.Sprintf("src-%d", i), fmt.Sprintf("dst-%d", i)
			ref := storage.ContactRef{Kind: storage.ContactPhone, Hash: fmt.Sprintf("h-%d", i), Masked: "+1***0"}
			bind(t, s, ref, src)
			id := fmt.Sprintf("m-%d", i)
			toExecuting(t, s, contactMigration(id, src, dst, ref))
			must(t, tc.change(src, dst))
			before, err := s.GetAccount(bg(), src)
			must(t, err)

			m, err := s.ExecuteMigration(bg(), id, at(4))
			must(t, err)
			holder, err := s.ContactHolder(bg(), ref.Kind, ref.Hash)
			must(t, err)
			if tc.want == "" {
				eq(t, "state", m.State, storage.MigrationCompleted)
				eq(t, "contact moved", holder.AccountID, dst)
				return
			}
			eq(t, "state", m.State, storage.MigrationRefused)
			eq(t, "refusal", m.Refusal, tc.want)
			eq(t, "contact stays", holder.AccountID, src)
			migrated, err := s.ContactMigrated(bg(), ref.Kind, ref.Hash)
			must(t, err)
			eq(t, "not recorded as migrated", migrated, false)
			after, err := s.GetAccount(bg(), src)
			must(t, err)
			eq(t, "source untouched", after, before)
			changes, err := s.ContactChanges(bg(), id)
			must(t, err)
			eq(t, "no contact changes", len(changes), 0)
		})
	}
}

// A migration and an approval of the source race: exactly one of them
// happens. Either the claim is won and the migration refused (the source
// stays active and keeps its contact), or the source is closed and the
// claim refused — never a closed account holding a document (item 2).
func testRaceClaimAndMigration(t *testing.T, s storage.State) {
	const rounds = 12
	for r := range rounds {
		src, dst := fmt.Sprintf("rsrc-%d", r), fmt.Sprintf("rdst-%d", r)
		ref := storage.ContactRef{Kind: storage.ContactEmail, Hash: fmt.Sprintf("rh-%d", r), Masked: "a***@b.c"}
		bind(t, s, ref, src)
		id := fmt.Sprintf("rm-%d", r)
		toExecuting(t, s, contactMigration(id, src, dst, ref))
		var m *storage.Migration
		var won bool
		var claimErr, execErr error
		race(2, func(i int) {
			if i == 0 {
				_, won, claimErr = s.ClaimDocument(bg(), storage.Claim{DocKey: "rdoc-" + src, AccountID: src, VerificationID: "rv-" + src, ClaimedAt: at(5)})
			} else {
				m, execErr = s.ExecuteMigration(bg(), id, at(5))
			}
		})
		must(t, execErr)
		a, err := s.GetAccount(bg(), src)
		must(t, err)
		switch {
		case claimErr == nil && won:
			eq(t, "migration after the claim", m.State, storage.MigrationRefused)
			eq(t, "refusal", m.Refusal, reason.MigrationSourceVerified)
			eq(t, "source stays active", a.Status, storage.AccountActive)
		case errors.Is(claimErr, storage.ErrAccountInactive):
			eq(t, "migration before the claim", m.State, storage.MigrationCompleted)
			eq(t, "source closed", a.Status, storage.AccountClosed)
			_, err := s.DocumentHolder(bg(), "rdoc-"+src)
			mustIs(t, err, storage.ErrNotFound, "document of the closed source")
		default:
			t.Fatalf("round %d: claim won=%v err=%v, migration %s", r, won, claimErr, m.State)
		}
	}
}

// Transfer replaces the target's contact of the same kind, and a closed
// source keeps no contact: both are recorded in the migration's contact
// trail (items 3 and 5).
func testReplaceAndRelease(t *testing.T, s storage.State) {
	mainPhone := storage.ContactRef{Kind: storage.ContactPhone, Hash: "h-main-phone", Masked: "+86******0000"}
	mainEmail := storage.ContactRef{Kind: storage.ContactEmail, Hash: "h-main-email", Masked: "m***@example.com"}
	bind(t, s, phone, "dup")
	bind(t, s, email, "dup")
	bind(t, s, mainPhone, "main")
	bind(t, s, mainEmail, "main")
	toExecuting(t, s, contactMigration("m1", "dup", "main", phone))
	done, err := s.ExecuteMigration(bg(), "m1", at(4))
	must(t, err)
	eq(t, "state", done.State, storage.MigrationCompleted)

	list, err := s.Contacts(bg(), "main")
	must(t, err)
	got := []string{}
	for _, c := range list {
		got = append(got, string(c.Kind)+":"+c.Hash)
	}
	eq(t, "target contacts: its email and the moved phone", got, []string{"email:h-main-email", "phone:h-phone"})
	list, err = s.Contacts(bg(), "dup")
	must(t, err)
	eq(t, "closed source keeps no contact", len(list), 0)
	for _, ref := range []storage.ContactRef{mainPhone, email} {
		_, err := s.ContactHolder(bg(), ref.Kind, ref.Hash)
		mustIs(t, err, storage.ErrNotFound, "unbound "+ref.Hash)
		migrated, err := s.ContactMigrated(bg(), ref.Kind, ref.Hash)
		must(t, err)
		eq(t, "not migrated "+ref.Hash, migrated, false)
	}
	changes, err := s.ContactChanges(bg(), "m1")
	must(t, err)
	for i := range changes {
		sameTime(t, "change time", changes[i].At, at(4))
		changes[i].At = at(4)
	}
	eq(t, "contact trail", changes, []storage.ContactChange{
		{MigrationID: "m1", Change: storage.ContactMoved, Kind: phone.Kind, Hash: phone.Hash, Masked: phone.Masked, Account: "dup", At: at(4)},
		{MigrationID: "m1", Change: storage.ContactReplaced, Kind: mainPhone.Kind, Hash: mainPhone.Hash, Masked: mainPhone.Masked, Account: "main", At: at(4)},
		{MigrationID: "m1", Change: storage.ContactReleased, Kind: email.Kind, Hash: email.Hash, Masked: email.Masked, Account: "dup", At: at(4)},
	})
	// Executing again changes nothing and records nothing more.
	_, err = s.ExecuteMigration(bg(), "m1", at(5))
	must(t, err)
	again, err := s.ContactChanges(bg(), "m1")
	must(t, err)
	eq(t, "trail after a repeat", len(again), 3)

	// Released and replaced contacts can be bound again, and migrated.
	bind(t, s, email, "third")
	bind(t, s, mainPhone, "fourth")
	bind(t, s, storage.ContactRef{Kind: storage.ContactPhone, Hash: "h-third-phone"}, "third")
	toExecuting(t, s, contactMigration("m2", "third", "main", email))
	m2, err := s.ExecuteMigration(bg(), "m2", at(6))
	must(t, err)
	eq(t, "released contact migrates", m2.State, storage.MigrationCompleted)
	holder, err := s.ContactHolder(bg(), email.Kind, email.Hash)
	must(t, err)
	eq(t, "email now with main", holder.AccountID, "main")
	_, err = s.ContactHolder(bg(), mainEmail.Kind, mainEmail.Hash)
	mustIs(t, err, storage.ErrNotFound, "main's email replaced")

	// An occupancy migration replaces too, and freezes: the frozen source
	// keeps nothing it did not name, since it named all it had.
	changes, err = s.ContactChanges(bg(), "missing")
	must(t, err)
	eq(t, "trail of a missing migration", len(changes), 0)
}

// Holdings never reported are unknown, not empty.
func testHoldingsUnknown(t *testing.T, s storage.State) {
	_, err := s.GetHoldings(bg(), "never")
	mustIs(t, err, storage.ErrNotFound, "holdings never reported")
	must(t, s.SetHoldings(bg(), "known", storage.Holdings{}, at(1)))
	h, err := s.GetHoldings(bg(), "known")
	must(t, err)
	eq(t, "reported empty", h.Empty(), true)
}

// CreateHolderCheckWithin counts per verification and per account, in the
// window, and a repeated ID is not a new attempt.
func testHolderCheckLimit(t *testing.T, s storage.State) {
	lim := storage.HolderCheckLimit{PerVerification: 2, PerAccount: 3, Since: at(10)}
	mk := func(id, v string, n int) *storage.HolderCheck {
		return &storage.HolderCheck{ID: id, VerificationID: v, AccountID: "lim", HolderAccount: "holder", CreatedAt: at(n)}
	}
	// An old attempt, before the window, does not count.
	_, _, err := s.CreateHolderCheck(bg(), mk("old", "v1", 1))
	must(t, err)
	for _, step := range []struct {
		id, v   string
		created bool
		limited bool
	}{
		{"a", "v1", true, false},
		{"b", "v1", true, false},
		{"b", "v1", false, false}, // a repeat is not an attempt
		{"c", "v1", false, true},  // two for v1 already
		{"d", "v2", true, false},  // third for the account
		{"e", "v2", false, true},  // three for the account already
		{"e", "v3", false, true},
	} {
		h, created, err := s.CreateHolderCheckWithin(bg(), mk(step.id, step.v, 11), lim)
		if step.limited {
			mustIs(t, err, storage.ErrLimit, "attempt "+step.id+" over the limit")
			_, err := s.GetHolderCheck(bg(), step.id)
			mustIs(t, err, storage.ErrNotFound, "refused attempt stored")
			continue
		}
		must(t, err)
		eq(t, "created "+step.id, created, step.created)
		eq(t, "id", h.ID, step.id)
	}
	// No bound, no limit.
	_, created, err := s.CreateHolderCheckWithin(bg(), mk("f", "v1", 12), storage.HolderCheckLimit{})
	must(t, err)
	eq(t, "unbounded", created, true)
}

// Racing attempts never exceed the limit.
func testRaceHolderCheckLimit(t *testing.T, s storage.State) {
	lim := storage.HolderCheckLimit{PerVerification: 100, PerAccount: 3, Since: at(0)}
	var e errs
	created := make([]bool, 16)
	race(len(created), func(i int) {
		_, c, err := s.CreateHolderCheckWithin(bg(), &storage.HolderCheck{ID: fmt.Sprintf("rh-%d", i), VerificationID: fmt.Sprintf("v-%d", i),
			AccountID: "racer", HolderAccount: "holder", CreatedAt: at(1)}, lim)
		if errors.Is(err, storage.ErrLimit) {
			return
		}
		e.add(err)
		created[i] = c
	})
	e.check(t)
	n := 0
	for _, c := range created {
		if c {
			n++
		}
	}
	eq(t, "checks created by racing attempts", n, 3)
}

// A mismatch keeps its reasons; a match has none.
func testHolderCheckReasons(t *testing.T, s storage.State) {
	_, _, err := s.CreateHolderCheck(bg(), newHolderCheck("hr1"))
	must(t, err)
	mm, err := s.CompleteHolderCheck(bg(), "hr1", false, 0.2, []reason.Code{reason.FacePoorQuality, reason.LivenessFailed}, at(2))
	must(t, err)
	eq(t, "reasons", mm.Reasons, []reason.Code{reason.FacePoorQuality, reason.LivenessFailed})
	got, err := s.GetHolderCheck(bg(), "hr1")
	must(t, err)
	eq(t, "stored reasons", got.Reasons, mm.Reasons)
	_, _, err = s.CreateHolderCheck(bg(), newHolderCheck("hr2"))
	must(t, err)
	ok, err := s.CompleteHolderCheck(bg(), "hr2", true, 0.9, []reason.Code{reason.FaceMismatch}, at(2))
	must(t, err)
	eq(t, "a match has no reasons", ok.Reasons, []reason.Code{})
}
