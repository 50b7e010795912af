package storetest

import (
	"testing"
	"time"

	"github.com/kycq/kycq/storage"
)

// pages walks a list to its end, limit items at a time, and returns every
// page's IDs.
func pages[T any](t *testing.T, limit int, list func(after storage.Cursor, limit int) ([]T, error), key func(T) storage.Cursor) [][]string {
	t.Helper()
	out := [][]string{}
	var after storage.Cursor
	for range 20 {
		items, err := list(after, limit)
		must(t, err)
		if len(items) == 0 {
			return out
		}
		ids := []string{}
		for _, it := range items {
			ids = append(ids, key(it).ID)
		}
		out = append(out, ids)
		after = key(items[len(items)-1])
	}
	t.Fatal("the list never ends")
	return nil
}

func testLists(t *testing.T, s storage.State) {
	// Two verifications share a creation time: the ID breaks the tie.
	for _, c := range []struct {
		id, acc string
		created int
	}{{"v-a", "acc-1", 1}, {"v-c", "acc-1", 2}, {"v-b", "acc-1", 2}, {"v-d", "acc-1", 3}, {"v-x", "acc-2", 1}, {"v-e", "acc-1", 4}} {
		newVerification(t, s, c.id, c.acc, at(c.created))
	}
	vkey := func(v *storage.Verification) storage.Cursor { return storage.Cursor{At: v.CreatedAt, ID: v.ID} }
	eq(t, "acc-1 by twos", pages(t, 2, func(a storage.Cursor, n int) ([]*storage.Verification, error) {
		return s.PageAccountVerifications(bg(), "acc-1", a, n)
	}, vkey), [][]string{{"v-a", "v-b"}, {"v-c", "v-d"}, {"v-e"}})
	eq(t, "nobody's", pages(t, 2, func(a storage.Cursor, n int) ([]*storage.Verification, error) {
		return s.PageAccountVerifications(bg(), "acc-none", a, n)
	}, vkey), [][]string{})
	none, err := s.PageAccountVerifications(bg(), "acc-1", storage.Cursor{}, 0)
	must(t, err)
	eq(t, "limit 0", len(none), 0)

	// By status and time: submitted at 10, 11, 12; decided at 20, 21.
	for i, id := range []string{"v-a", "v-b", "v-c"} {
		_, err := s.MarkSubmitted(bg(), id, []string{"doc_data"}, nil, at(10+i))
		must(t, err)
	}
	for i, id := range []string{"v-b", "v-c"} {
		_, _, err := s.SaveDecision(bg(), storage.Decision{VerificationID: id, Outcome: storage.Approved, DecidedAt: at(20 + i)})
		must(t, err)
	}
	byStatus := func(st storage.Status, from, to time.Time) [][]string {
		return pages(t, 1, func(a storage.Cursor, n int) ([]*storage.Verification, error) {
			return s.VerificationsByStatus(bg(), st, from, to, a, n)
		}, func(v *storage.Verification) storage.Cursor {
			switch st {
			case storage.StatusSubmitted:
				return storage.Cursor{At: v.SubmittedAt, ID: v.ID}
			case storage.StatusDecided:
				return storage.Cursor{At: v.DecidedAt, ID: v.ID}
			}
			return vkey(v)
		})
	}
	eq(t, "decided", byStatus(storage.StatusDecided, time.Time{}, time.Time{}), [][]string{{"v-b"}, {"v-c"}})
	eq(t, "decided from 21", byStatus(storage.StatusDecided, at(21), time.Time{}), [][]string{{"v-c"}})
	eq(t, "decided before 21", byStatus(storage.StatusDecided, time.Time{}, at(21)), [][]string{{"v-b"}})
	eq(t, "submitted", byStatus(storage.StatusSubmitted, at(0), at(30)), [][]string{{"v-a"}})
	eq(t, "created from 2 to 4", byStatus(storage.StatusCreated, at(2), at(4)), [][]string{{"v-d"}})
	_, err = s.VerificationsByStatus(bg(), "lost", time.Time{}, time.Time{}, storage.Cursor{}, 5)
	mustFail(t, err, "an unknown status")

	// Holder checks and cases of the asking account; migrations of the
	// source and of the target.
	for i, id := range []string{"hc-2", "hc-1"} {
		h := newHolderCheck(id)
		h.CreatedAt = at(i)
		_, _, err := s.CreateHolderCheck(bg(), h)
		must(t, err)
	}
	eq(t, "holder checks", pages(t, 5, func(a storage.Cursor, n int) ([]*storage.HolderCheck, error) {
		return s.AccountHolderChecks(bg(), "new", a, n)
	}, func(h *storage.HolderCheck) storage.Cursor { return storage.Cursor{At: h.CreatedAt, ID: h.ID} }), [][]string{{"hc-2", "hc-1"}})
	for _, id := range []string{"case-1", "case-2"} {
		must(t, s.OpenCase(bg(), storage.SupportCase{ID: id, Kind: "identity_misuse", AccountID: "new", CreatedAt: at(1)}))
	}
	must(t, s.OpenCase(bg(), storage.SupportCase{ID: "case-0", Kind: "identity_misuse", AccountID: "other", CreatedAt: at(0)}))
	eq(t, "cases", pages(t, 1, func(a storage.Cursor, n int) ([]storage.SupportCase, error) {
		return s.AccountCases(bg(), "new", a, n)
	}, func(c storage.SupportCase) storage.Cursor { return storage.Cursor{At: c.CreatedAt, ID: c.ID} }), [][]string{{"case-1"}, {"case-2"}})
	for i, m := range []*storage.Migration{
		contactMigration("m-1", "dup", "main", phone), contactMigration("m-2", "main", "other", email), contactMigration("m-3", "x", "y", email),
	} {
		m.CreatedAt = at(i)
		_, _, err := s.CreateMigration(bg(), m)
		must(t, err)
	}
	mkey := func(m *storage.Migration) storage.Cursor { return storage.Cursor{At: m.CreatedAt, ID: m.ID} }
	eq(t, "migrations of main", pages(t, 5, func(a storage.Cursor, n int) ([]*storage.Migration, error) {
		return s.AccountMigrations(bg(), "main", a, n)
	}, mkey), [][]string{{"m-1", "m-2"}})
	eq(t, "migrations of dup", pages(t, 5, func(a storage.Cursor, n int) ([]*storage.Migration, error) {
		return s.AccountMigrations(bg(), "dup", a, n)
	}, mkey), [][]string{{"m-1"}})
}
