package storetest

import (
	"testing"

	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
)

var allProofs = storage.Proofs{NewContactCode: true, OriginalContactCode: true, Target2FA: true}

// contactMigration returns a contact migration of the given contacts.
func contactMigration(id, src, dst string, refs ...storage.ContactRef) *storage.Migration {
	return &storage.Migration{ID: id, Kind: storage.MigrationContact, SourceAccount: src, TargetAccount: dst,
		Contacts: refs, Proofs: allProofs, CreatedAt: at(1)}
}

var (
	phone = storage.ContactRef{Kind: storage.ContactPhone, Hash: "h-phone", Masked: "+86******1234"}
	email = storage.ContactRef{Kind: storage.ContactEmail, Hash: "h-email", Masked: "j***@example.com"}
)

// bind binds a contact ref to an account.
func bind(t *testing.T, s storage.State, ref storage.ContactRef, acc string) {
	t.Helper()
	_, won, err := s.BindContact(bg(), storage.Contact{Kind: ref.Kind, Hash: ref.Hash, Masked: ref.Masked, AccountID: acc, BoundAt: at(0)})
	must(t, err)
	if !won {
		t.Fatalf("bind %s to %s: already bound elsewhere", ref.Hash, acc)
	}
}

// toExecuting creates m and moves it to executing.
func toExecuting(t *testing.T, s storage.State, m *storage.Migration) {
	t.Helper()
	_, _, err := s.CreateMigration(bg(), m)
	must(t, err)
	_, err = s.TransitionMigration(bg(), m.ID, storage.MigrationRequested, storage.MigrationValidated, "", "checks passed", at(2))
	must(t, err)
	_, err = s.TransitionMigration(bg(), m.ID, storage.MigrationValidated, storage.MigrationExecuting, "", "executing", at(3))
	must(t, err)
}

// trail returns the (from, to) steps of a migration's audit trail.
func trail(t *testing.T, s storage.State, id string) [][2]storage.MigrationState {
	t.Helper()
	evs, err := s.MigrationEvents(bg(), id)
	must(t, err)
	out := [][2]storage.MigrationState{}
	for _, e := range evs {
		if e.MigrationID != id {
			t.Fatalf("event of %s in the trail of %s", e.MigrationID, id)
		}
		if e.At.IsZero() {
			t.Fatalf("event without a time: %+v", e)
		}
		out = append(out, [2]storage.MigrationState{e.From, e.To})
	}
	return out
}

func testCreateMigration(t *testing.T, s storage.State) {
	m := contactMigration("m1", "dup", "main", phone, email)
	m.VerificationID = "v1"
	stored, created, err := s.CreateMigration(bg(), m)
	must(t, err)
	eq(t, "created", created, true)
	eq(t, "state", stored.State, storage.MigrationRequested)
	eq(t, "contacts", stored.Contacts, m.Contacts)
	eq(t, "proofs", stored.Proofs, m.Proofs)
	eq(t, "kind", stored.Kind, storage.MigrationContact)
	eq(t, "source", stored.SourceAccount, "dup")
	eq(t, "target", stored.TargetAccount, "main")
	eq(t, "verification", stored.VerificationID, "v1")
	sameTime(t, "created at", stored.CreatedAt, at(1))

	got, err := s.GetMigration(bg(), "m1")
	must(t, err)
	eq(t, "get", got, stored)
	eq(t, "trail", trail(t, s, "m1"), [][2]storage.MigrationState{{"", storage.MigrationRequested}})

	// The same again: no-op.
	again := *m
	again.CreatedAt = at(9)
	stored2, created, err := s.CreateMigration(bg(), &again)
	must(t, err)
	eq(t, "created again", created, false)
	eq(t, "stored again", stored2, stored)
	eq(t, "trail after repeat", len(trail(t, s, "m1")), 1)

	// Other content: conflict.
	for name, mutate := range map[string]func(m *storage.Migration){
		"target":   func(m *storage.Migration) { m.TargetAccount = "other" },
		"contacts": func(m *storage.Migration) { m.Contacts = m.Contacts[:1] },
		"proofs":   func(m *storage.Migration) { m.Proofs.Target2FA = false },
		"kind":     func(m *storage.Migration) { m.Kind = storage.MigrationOccupancy },
	} {
		o := *m
		o.Contacts = append([]storage.ContactRef(nil), m.Contacts...)
		mutate(&o)
		_, _, err := s.CreateMigration(bg(), &o)
		mustIs(t, err, storage.ErrConflict, "create with other "+name)
	}

	_, err = s.GetMigration(bg(), "missing")
	mustIs(t, err, storage.ErrNotFound, "get missing migration")
	evs, err := s.MigrationEvents(bg(), "missing")
	must(t, err)
	eq(t, "events of missing", len(evs), 0)

	for name, bad := range map[string]*storage.Migration{
		"nil":         nil,
		"no id":       contactMigration("", "a", "b", phone),
		"same ends":   contactMigration("x1", "a", "a", phone),
		"no source":   contactMigration("x2", "", "b", phone),
		"no contacts": contactMigration("x3", "a", "b"),
		"bad kind":    {ID: "x4", Kind: "merge", SourceAccount: "a", TargetAccount: "b", Contacts: []storage.ContactRef{phone}},
		"bad contact": contactMigration("x5", "a", "b", storage.ContactRef{Kind: "fax", Hash: "h"}),
		"twice":       contactMigration("x6", "a", "b", phone, phone),
	} {
		_, _, err := s.CreateMigration(bg(), bad)
		mustFail(t, err, "invalid migration: "+name)
	}
}

func testTransitionMigration(t *testing.T, s storage.State) {
	_, _, err := s.CreateMigration(bg(), contactMigration("m1", "dup", "main", phone))
	must(t, err)

	m, err := s.TransitionMigration(bg(), "m1", storage.MigrationRequested, storage.MigrationValidated, "", "proofs ok", at(2))
	must(t, err)
	eq(t, "validated", m.State, storage.MigrationValidated)
	sameTime(t, "updated", m.UpdatedAt, at(2))

	// Redelivered step: no-op, no new event.
	m2, err := s.TransitionMigration(bg(), "m1", storage.MigrationRequested, storage.MigrationValidated, "", "proofs ok", at(3))
	must(t, err)
	eq(t, "redelivered", m2, m)

	// Wrong from: the stored migration and a conflict.
	m3, err := s.TransitionMigration(bg(), "m1", storage.MigrationExecuting, storage.MigrationFailed, "", "boom", at(4))
	mustIs(t, err, storage.ErrConflict, "transition from the wrong state")
	if m3 == nil || m3.State != storage.MigrationValidated {
		t.Fatalf("conflict returned %+v, want the stored (validated) migration", m3)
	}

	// Refused with a reason code.
	m4, err := s.TransitionMigration(bg(), "m1", storage.MigrationValidated, storage.MigrationRefused,
		reason.MigrationSourceNotEmpty, string(reason.MigrationSourceNotEmpty), at(5))
	must(t, err)
	eq(t, "refused", m4.State, storage.MigrationRefused)
	eq(t, "refusal", m4.Refusal, reason.MigrationSourceNotEmpty)
	eq(t, "error of refused", m4.Error, "")
	// Final: nothing leaves it.
	_, err = s.TransitionMigration(bg(), "m1", storage.MigrationValidated, storage.MigrationExecuting, "", "", at(6))
	mustIs(t, err, storage.ErrConflict, "leave refused")

	eq(t, "trail", trail(t, s, "m1"), [][2]storage.MigrationState{
		{"", storage.MigrationRequested},
		{storage.MigrationRequested, storage.MigrationValidated},
		{storage.MigrationValidated, storage.MigrationRefused},
	})
	evs, err := s.MigrationEvents(bg(), "m1")
	must(t, err)
	eq(t, "detail of validated", evs[1].Detail, "proofs ok")
	eq(t, "detail of refused", evs[2].Detail, string(reason.MigrationSourceNotEmpty))
	sameTime(t, "time of refused", evs[2].At, at(5))

	// Failed keeps the detail as Error.
	_, _, err = s.CreateMigration(bg(), contactMigration("m2", "dup", "main", email))
	must(t, err)
	m5, err := s.TransitionMigration(bg(), "m2", storage.MigrationRequested, storage.MigrationFailed, "", "exchange unavailable", at(2))
	must(t, err)
	eq(t, "failed", m5.State, storage.MigrationFailed)
	eq(t, "error", m5.Error, "exchange unavailable")
	eq(t, "refusal of failed", m5.Refusal, reason.Code(""))

	// Steps the state machine lacks are errors; completed comes only from
	// ExecuteMigration.
	_, _, err = s.CreateMigration(bg(), contactMigration("m3", "dup", "main", email))
	must(t, err)
	for _, step := range [][2]storage.MigrationState{
		{storage.MigrationRequested, storage.MigrationExecuting},
		{storage.MigrationExecuting, storage.MigrationCompleted},
		{storage.MigrationRequested, storage.MigrationRequested},
		{storage.MigrationRequested, "exploded"},
	} {
		_, err := s.TransitionMigration(bg(), "m3", step[0], step[1], "", "", at(2))
		mustFail(t, err, "illegal step "+string(step[0])+"→"+string(step[1]))
	}
	m6, err := s.GetMigration(bg(), "m3")
	must(t, err)
	eq(t, "after illegal steps", m6.State, storage.MigrationRequested)

	_, err = s.TransitionMigration(bg(), "missing", storage.MigrationRequested, storage.MigrationValidated, "", "", at(2))
	mustIs(t, err, storage.ErrNotFound, "transition a missing migration")
}

func testExecuteContactMigration(t *testing.T, s storage.State) {
	bind(t, s, phone, "dup")
	bind(t, s, email, "dup")
	must(t, s.SetAccountStatus(bg(), "main", storage.AccountActive, at(0)))
	m := contactMigration("m1", "dup", "main", phone)
	toExecuting(t, s, m)

	done, err := s.ExecuteMigration(bg(), "m1", at(4))
	must(t, err)
	eq(t, "state", done.State, storage.MigrationCompleted)
	sameTime(t, "updated", done.UpdatedAt, at(4))

	holder, err := s.ContactHolder(bg(), phone.Kind, phone.Hash)
	must(t, err)
	eq(t, "phone moved to", holder.AccountID, "main")
	eq(t, "masked kept", holder.Masked, phone.Masked)
	migrated, err := s.ContactMigrated(bg(), phone.Kind, phone.Hash)
	must(t, err)
	eq(t, "phone migrated", migrated, true)
	migrated, err = s.ContactMigrated(bg(), email.Kind, email.Hash)
	must(t, err)
	eq(t, "email not migrated", migrated, false)
	_, err = s.ContactHolder(bg(), email.Kind, email.Hash)
	mustIs(t, err, storage.ErrNotFound, "email left on the closed source is released")

	src, err := s.GetAccount(bg(), "dup")
	must(t, err)
	eq(t, "source closed", src.Status, storage.AccountClosed)
	eq(t, "referrals dropped", src.ReferralsDropped, true)
	dst, err := s.GetAccount(bg(), "main")
	must(t, err)
	eq(t, "target untouched", dst.Status, storage.AccountActive)

	// Again: unchanged.
	again, err := s.ExecuteMigration(bg(), "m1", at(5))
	must(t, err)
	eq(t, "executed again", again, done)
	eq(t, "trail", trail(t, s, "m1"), [][2]storage.MigrationState{
		{"", storage.MigrationRequested},
		{storage.MigrationRequested, storage.MigrationValidated},
		{storage.MigrationValidated, storage.MigrationExecuting},
		{storage.MigrationExecuting, storage.MigrationCompleted},
	})

	// Closed is final.
	mustIs(t, s.SetAccountStatus(bg(), "dup", storage.AccountActive, at(6)), storage.ErrConflict, "reopen the closed source")

	// The phone can never be migrated again, even back.
	toExecuting(t, s, contactMigration("m2", "main", "third", phone))
	m2, err := s.ExecuteMigration(bg(), "m2", at(7))
	must(t, err)
	eq(t, "second migration", m2.State, storage.MigrationRefused)
	eq(t, "second refusal", m2.Refusal, reason.MigrationAlreadyUsed)
	holder, err = s.ContactHolder(bg(), phone.Kind, phone.Hash)
	must(t, err)
	eq(t, "phone stays with main", holder.AccountID, "main")
	a, err := s.GetAccount(bg(), "main")
	must(t, err)
	eq(t, "refused source untouched", a.Status, storage.AccountActive)
	evs, err := s.MigrationEvents(bg(), "m2")
	must(t, err)
	last := evs[len(evs)-1]
	eq(t, "refusal audited", [3]string{string(last.From), string(last.To), last.Detail},
		[3]string{"executing", "refused", string(reason.MigrationAlreadyUsed)})
}

func testExecuteOccupancyMigration(t *testing.T, s storage.State) {
	bind(t, s, phone, "new")
	bind(t, s, email, "new")
	m := &storage.Migration{ID: "m1", Kind: storage.MigrationOccupancy, SourceAccount: "new", TargetAccount: "holder",
		Contacts: []storage.ContactRef{email, phone}, VerificationID: "v-new", Proofs: allProofs, CreatedAt: at(1)}
	toExecuting(t, s, m)
	done, err := s.ExecuteMigration(bg(), "m1", at(4))
	must(t, err)
	eq(t, "state", done.State, storage.MigrationCompleted)
	list, err := s.Contacts(bg(), "holder")
	must(t, err)
	eq(t, "contacts moved", len(list), 2)
	list, err = s.Contacts(bg(), "new")
	must(t, err)
	eq(t, "source has none", len(list), 0)
	src, err := s.GetAccount(bg(), "new")
	must(t, err)
	eq(t, "source frozen", src.Status, storage.AccountFrozen)
	eq(t, "referrals kept", src.ReferralsDropped, false)

	// A closed source is refused and stays closed.
	p2 := storage.ContactRef{Kind: storage.ContactPhone, Hash: "h-p2", Masked: "+1****2"}
	bind(t, s, p2, "gone")
	must(t, s.SetAccountStatus(bg(), "gone", storage.AccountClosed, at(0)))
	m2 := &storage.Migration{ID: "m2", Kind: storage.MigrationOccupancy, SourceAccount: "gone", TargetAccount: "holder",
		Contacts: []storage.ContactRef{p2}, Proofs: allProofs, CreatedAt: at(1)}
	toExecuting(t, s, m2)
	done, err = s.ExecuteMigration(bg(), "m2", at(4))
	must(t, err)
	eq(t, "state 2", done.State, storage.MigrationRefused)
	eq(t, "refusal 2", done.Refusal, reason.MigrationInvalid)
	src, err = s.GetAccount(bg(), "gone")
	must(t, err)
	eq(t, "closed stays closed", src.Status, storage.AccountClosed)
}

func testExecuteRefusals(t *testing.T, s storage.State) {
	bind(t, s, phone, "dup")
	bind(t, s, email, "someone-else")

	// Not executing yet: conflict, nothing happens.
	_, _, err := s.CreateMigration(bg(), contactMigration("m0", "dup", "main", phone))
	must(t, err)
	m0, err := s.ExecuteMigration(bg(), "m0", at(4))
	mustIs(t, err, storage.ErrConflict, "execute a requested migration")
	if m0 == nil || m0.State != storage.MigrationRequested {
		t.Fatalf("conflict returned %+v, want the stored migration", m0)
	}
	_, err = s.ExecuteMigration(bg(), "missing", at(4))
	mustIs(t, err, storage.ErrNotFound, "execute a missing migration")

	// One contact is bound elsewhere: refused, nothing moves, not even the
	// contact that was fine.
	toExecuting(t, s, contactMigration("m1", "dup", "main", phone, email))
	m1, err := s.ExecuteMigration(bg(), "m1", at(4))
	must(t, err)
	eq(t, "state", m1.State, storage.MigrationRefused)
	eq(t, "refusal", m1.Refusal, reason.MigrationContactNotFound)
	h, err := s.ContactHolder(bg(), phone.Kind, phone.Hash)
	must(t, err)
	eq(t, "phone not moved", h.AccountID, "dup")
	for _, ref := range []storage.ContactRef{phone, email} {
		migrated, err := s.ContactMigrated(bg(), ref.Kind, ref.Hash)
		must(t, err)
		eq(t, "not recorded as migrated", migrated, false)
	}
	a, err := s.GetAccount(bg(), "dup")
	must(t, err)
	eq(t, "source stays active", a.Status, storage.AccountActive)
	again, err := s.ExecuteMigration(bg(), "m1", at(5))
	must(t, err)
	eq(t, "refused again", again, m1)

	// A contact bound to nobody.
	ghost := storage.ContactRef{Kind: storage.ContactEmail, Hash: "h-ghost"}
	toExecuting(t, s, contactMigration("m2", "dup", "main", ghost))
	m2, err := s.ExecuteMigration(bg(), "m2", at(4))
	must(t, err)
	eq(t, "ghost refusal", m2.Refusal, reason.MigrationContactNotFound)

	// The phone still moves on a migration of its own.
	toExecuting(t, s, contactMigration("m3", "dup", "main", phone))
	m3, err := s.ExecuteMigration(bg(), "m3", at(6))
	must(t, err)
	eq(t, "clean migration", m3.State, storage.MigrationCompleted)
}
