package storetest

import (
	"testing"

	"github.com/kycq/kycq/storage"
)

func newHolderCheck(id string) *storage.HolderCheck {
	return &storage.HolderCheck{ID: id, VerificationID: "v-new", AccountID: "new", HolderAccount: "holder",
		SelfieKey: "h/" + id + "/selfie", SelfieType: "video/mp4", State: storage.HolderCheckResolved, CreatedAt: at(1)}
}

func testHolderChecks(t *testing.T, s storage.State) {
	h := newHolderCheck("h1")
	stored, created, err := s.CreateHolderCheck(bg(), h)
	must(t, err)
	eq(t, "created", created, true)
	eq(t, "state is pending whatever the caller says", stored.State, storage.HolderCheckPending)
	eq(t, "selfie", stored.SelfieKey, h.SelfieKey)
	eq(t, "selfie type", stored.SelfieType, h.SelfieType)
	eq(t, "holder", stored.HolderAccount, "holder")
	eq(t, "account", stored.AccountID, "new")
	eq(t, "verification", stored.VerificationID, "v-new")
	sameTime(t, "created at", stored.CreatedAt, at(1))

	again := *h
	again.HolderAccount = "changed"
	stored2, created, err := s.CreateHolderCheck(bg(), &again)
	must(t, err)
	eq(t, "created again", created, false)
	eq(t, "stored again", stored2, stored)

	// Resolving before the face match: conflict.
	pending, err := s.ResolveHolderCheck(bg(), "h1", "mine", "m1", "", at(2))
	mustIs(t, err, storage.ErrConflict, "resolve a pending check")
	if pending == nil || pending.State != storage.HolderCheckPending {
		t.Fatalf("conflict returned %+v, want the stored pending check", pending)
	}

	matched, err := s.CompleteHolderCheck(bg(), "h1", true, 0.91, nil, at(3))
	must(t, err)
	eq(t, "matched", matched.State, storage.HolderCheckMatched)
	eq(t, "score", matched.Score, 0.91)
	sameTime(t, "updated", matched.UpdatedAt, at(3))
	// First writer wins.
	later, err := s.CompleteHolderCheck(bg(), "h1", false, 0.1, nil, at(4))
	must(t, err)
	eq(t, "second completion", later, matched)

	resolved, err := s.ResolveHolderCheck(bg(), "h1", "mine", "m1", "", at(5))
	must(t, err)
	eq(t, "resolved", resolved.State, storage.HolderCheckResolved)
	eq(t, "answer", resolved.Answer, "mine")
	eq(t, "migration", resolved.MigrationID, "m1")
	eq(t, "case", resolved.CaseID, "")
	eq(t, "score kept", resolved.Score, 0.91)
	again2, err := s.ResolveHolderCheck(bg(), "h1", "not_mine", "", "c1", at(6))
	must(t, err)
	eq(t, "second answer ignored", again2, resolved)
	got, err := s.GetHolderCheck(bg(), "h1")
	must(t, err)
	eq(t, "get", got, resolved)

	// A mismatch can never be resolved.
	_, _, err = s.CreateHolderCheck(bg(), newHolderCheck("h2"))
	must(t, err)
	mm, err := s.CompleteHolderCheck(bg(), "h2", false, 0.12, nil, at(3))
	must(t, err)
	eq(t, "mismatch", mm.State, storage.HolderCheckMismatch)
	_, err = s.ResolveHolderCheck(bg(), "h2", "not_mine", "", "c1", at(4))
	mustIs(t, err, storage.ErrConflict, "resolve a mismatch")

	_, err = s.GetHolderCheck(bg(), "missing")
	mustIs(t, err, storage.ErrNotFound, "get missing")
	_, err = s.CompleteHolderCheck(bg(), "missing", true, 1, nil, at(1))
	mustIs(t, err, storage.ErrNotFound, "complete missing")
	_, err = s.ResolveHolderCheck(bg(), "missing", "mine", "", "", at(1))
	mustIs(t, err, storage.ErrNotFound, "resolve missing")
	_, _, err = s.CreateHolderCheck(bg(), newHolderCheck("h3"))
	must(t, err)
	_, err = s.CompleteHolderCheck(bg(), "h3", true, 0.9, nil, at(2))
	must(t, err)
	_, err = s.ResolveHolderCheck(bg(), "h3", "maybe", "", "", at(3))
	mustFail(t, err, "unknown answer")
	for _, bad := range []*storage.HolderCheck{nil, {ID: "x"}, {AccountID: "a", VerificationID: "v", HolderAccount: "h"}} {
		_, _, err := s.CreateHolderCheck(bg(), bad)
		mustFail(t, err, "invalid holder check")
	}
}

func testSupportCases(t *testing.T, s storage.State) {
	c := storage.SupportCase{ID: "c1", Kind: "identity_misuse", AccountID: "new", HolderAccount: "holder",
		VerificationID: "v-new", CreatedAt: at(1)}
	must(t, s.OpenCase(bg(), c))
	other := c
	other.HolderAccount, other.CreatedAt = "changed", at(2)
	must(t, s.OpenCase(bg(), other))
	got, err := s.GetCase(bg(), "c1")
	must(t, err)
	eq(t, "account", got.AccountID, c.AccountID)
	eq(t, "holder kept", got.HolderAccount, "holder")
	eq(t, "kind", got.Kind, c.Kind)
	eq(t, "verification", got.VerificationID, c.VerificationID)
	sameTime(t, "created", got.CreatedAt, at(1))
	_, err = s.GetCase(bg(), "missing")
	mustIs(t, err, storage.ErrNotFound, "get missing case")
	mustFail(t, s.OpenCase(bg(), storage.SupportCase{Kind: "identity_misuse"}), "case without an ID")
}

// testHolderChecksBefore: retention lists holder checks by their last
// update, oldest first, until their selfie is marked purged.
func testHolderChecksBefore(t *testing.T, s storage.State) {
	hcIDs := func(hs []*storage.HolderCheck) []string {
		out := []string{}
		for _, h := range hs {
			out = append(out, h.ID)
		}
		return out
	}
	for i, id := range []string{"h30", "h10", "h20"} {
		h := newHolderCheck(id)
		h.CreatedAt = at(10 * (i + 1))
		_, _, err := s.CreateHolderCheck(bg(), h)
		must(t, err)
	}
	// h30 was created at 10, h10 at 20, h20 at 30; completing h30 at 40
	// makes it the most recently updated.
	_, err := s.CompleteHolderCheck(bg(), "h30", true, 0.9, nil, at(40))
	must(t, err)
	got, err := s.HolderChecksBefore(bg(), at(100), 10)
	must(t, err)
	eq(t, "HolderChecksBefore", hcIDs(got), []string{"h10", "h20", "h30"})
	got, err = s.HolderChecksBefore(bg(), at(35), 10)
	must(t, err)
	eq(t, "updated before 35", hcIDs(got), []string{"h10", "h20"})
	got, err = s.HolderChecksBefore(bg(), at(100), 1)
	must(t, err)
	eq(t, "limit", hcIDs(got), []string{"h10"})
	if !got[0].PurgedAt.IsZero() {
		t.Fatalf("unpurged check has a purge time: %+v", got[0])
	}

	must(t, s.MarkHolderCheckPurged(bg(), "h10", at(50)))
	must(t, s.MarkHolderCheckPurged(bg(), "h10", at(60))) // idempotent, first time stays
	h, err := s.GetHolderCheck(bg(), "h10")
	must(t, err)
	sameTime(t, "purged", h.PurgedAt, at(50))
	got, err = s.HolderChecksBefore(bg(), at(100), 10)
	must(t, err)
	eq(t, "after purge", hcIDs(got), []string{"h20", "h30"})
	mustIs(t, s.MarkHolderCheckPurged(bg(), "missing", at(1)), storage.ErrNotFound, "purge missing")
	got, err = s.HolderChecksBefore(bg(), at(100), 0)
	must(t, err)
	eq(t, "limit 0", len(got), 0)
}
