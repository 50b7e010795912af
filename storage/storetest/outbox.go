package storetest

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
)

// eventsOf returns the undispatched events of one subject, by Seq, as
// "type data" strings.
func eventsOf(t *testing.T, s storage.State, subject string) []string {
	t.Helper()
	all, err := s.Undispatched(bg(), 10000)
	must(t, err)
	out := []string{}
	var last int64
	for _, e := range all {
		if e.Seq <= last {
			t.Fatalf("Undispatched not in Seq order: %d after %d", e.Seq, last)
		}
		last = e.Seq
		if e.Subject != subject {
			continue
		}
		var data map[string]any
		must(t, json.Unmarshal(e.Data, &data))
		b, _ := json.Marshal(data) // keys sorted, whitespace dropped: same text from both dialects
		out = append(out, e.Type+" "+string(b))
	}
	return out
}

// The producers append exactly one event per state change, in the change's
// transaction, and none on an idempotent repeat.
func testEventsEmitted(t *testing.T, s storage.State) {
	submitted(t, s, "v-1", "acc-1", at(1))
	_, err := s.MarkSubmitted(bg(), "v-1", []string{"doc_data"}, nil, at(2))
	must(t, err)
	for range 2 {
		_, _, err = s.SaveDecision(bg(), storage.Decision{VerificationID: "v-1", Outcome: storage.Rejected,
			Reasons: []reason.Code{"doc_blurry", "face_mismatch"}, DecidedAt: at(3)})
		must(t, err)
	}
	eq(t, "verification events", eventsOf(t, s, "verification:v-1"), []string{
		`verification.submitted {"account_id":"acc-1","verification_id":"v-1"}`,
		`verification.decided {"account_id":"acc-1","outcome":"rejected","reasons":["doc_blurry","face_mismatch"],"verification_id":"v-1"}`,
	})

	h := newHolderCheck("hc-1")
	_, _, err = s.CreateHolderCheck(bg(), h)
	must(t, err)
	for range 2 {
		_, err = s.CompleteHolderCheck(bg(), "hc-1", true, 0.9, nil, at(4))
		must(t, err)
		_, err = s.ResolveHolderCheck(bg(), "hc-1", "not_mine", "", "case-1", at(5))
		must(t, err)
		must(t, s.OpenCase(bg(), storage.SupportCase{ID: "case-1", Kind: "identity_misuse", AccountID: h.AccountID,
			HolderAccount: h.HolderAccount, VerificationID: h.VerificationID, CreatedAt: at(5)}))
	}
	eq(t, "holder check events", eventsOf(t, s, "holder_check:hc-1"), []string{
		fmt.Sprintf(`holder_check.completed {"account_id":%q,"holder_check_id":"hc-1","outcome":"matched","verification_id":%q}`, h.AccountID, h.VerificationID),
		fmt.Sprintf(`holder_check.answered {"account_id":%q,"case_id":"case-1","holder_check_id":"hc-1","outcome":"not_mine","verification_id":%q}`, h.AccountID, h.VerificationID),
	})
	eq(t, "case events", eventsOf(t, s, "support_case:case-1"), []string{
		fmt.Sprintf(`support_case.opened {"account_id":%q,"case_id":"case-1","kind":"identity_misuse","verification_id":%q}`, h.AccountID, h.VerificationID),
	})

	ref := storage.ContactRef{Kind: storage.ContactEmail, Hash: "h-mail", Masked: "a***@x.org"}
	bind(t, s, ref, "acc-src")
	m := contactMigration("m-1", "acc-src", "acc-dst", ref)
	toExecuting(t, s, m)
	for range 2 {
		_, err = s.ExecuteMigration(bg(), "m-1", at(9))
		must(t, err)
	}
	step := func(typ, from, to, extra string) string {
		return fmt.Sprintf(`%s {"account_id":"acc-src",%s"kind":"contact","migration_id":"m-1","outcome":%q,%s"to":%q}`,
			typ, fromField(from), to, extra, to)
	}
	eq(t, "migration events", eventsOf(t, s, "migration:m-1"), []string{
		step("migration.step", "", "requested", ""),
		step("migration.step", "requested", "validated", ""),
		step("migration.step", "validated", "executing", ""),
		step("migration.completed", "executing", "completed", ""),
	})

	// A refusal carries its reason code.
	bind(t, s, storage.ContactRef{Kind: storage.ContactPhone, Hash: "h-phone"}, "acc-other")
	m2 := contactMigration("m-2", "acc-src2", "acc-dst", storage.ContactRef{Kind: storage.ContactPhone, Hash: "h-phone"})
	toExecuting(t, s, m2)
	got, err := s.ExecuteMigration(bg(), "m-2", at(9))
	must(t, err)
	evs := eventsOf(t, s, "migration:m-2")
	eq(t, "last event of a refused migration", evs[len(evs)-1],
		fmt.Sprintf(`migration.refused {"account_id":"acc-src2","from":"executing","kind":"contact","migration_id":"m-2","outcome":"refused","reasons":[%q],"to":"refused"}`, got.Refusal))
}

func fromField(from string) string {
	if from == "" {
		return ""
	}
	return fmt.Sprintf(`"from":%q,`, from)
}

// The outbox's own contract: append, dispatch, ordering, attempts, the
// dead-letter list and redelivery.
func testOutbox(t *testing.T, s storage.State) {
	ev := func(id, subject string, n int) storage.Event {
		return storage.Event{ID: id, Type: "verification.decided", Subject: subject, Data: json.RawMessage(`{"verification_id":"x"}`), CreatedAt: at(n)}
	}
	mustFail(t, s.AppendEvent(bg(), storage.Event{ID: "e-0", Type: "t"}), "event without subject")
	mustFail(t, s.AppendEvent(bg(), storage.Event{ID: "e-0", Type: "t", Subject: "s", Data: json.RawMessage("{")}), "event with bad data")
	for i, id := range []string{"e-1", "e-2", "e-3"} {
		must(t, s.AppendEvent(bg(), ev(id, "verification:a", i)))
	}
	must(t, s.AppendEvent(bg(), ev("e-1", "verification:a", 7))) // the same ID again: no-op
	must(t, s.AppendEvent(bg(), ev("e-b", "verification:b", 4)))
	_, err := s.GetEvent(bg(), "e-none")
	mustIs(t, err, storage.ErrNotFound, "GetEvent of a missing event")
	e1, err := s.GetEvent(bg(), "e-1")
	must(t, err)
	sameTime(t, "created", e1.CreatedAt, at(0))

	list, err := s.Undispatched(bg(), 3)
	must(t, err)
	eq(t, "first page of undispatched", eventIDs(list), []string{"e-1", "e-2", "e-3"})

	// e-2 waits for e-1, which is not dispatched; e-1 and e-b wait for nothing.
	blocked := func(id string, want bool) {
		t.Helper()
		got, err := s.DeliveryBlocked(bg(), id, "ep")
		must(t, err)
		if got != want {
			t.Fatalf("DeliveryBlocked(%s) = %v, want %v", id, got, want)
		}
	}
	blocked("e-1", false)
	blocked("e-2", true)
	blocked("e-b", false)
	all := []string{"e-1", "e-2", "e-3", "e-b"}
	mustIs(t, s.AddDeliveries(bg(), []string{"e-1", "e-none"}, []string{"ep"}, at(10)), storage.ErrNotFound, "deliveries of a missing event")
	_, err = s.GetDelivery(bg(), "e-1", "ep")
	mustIs(t, err, storage.ErrNotFound, "a delivery of a refused batch")
	must(t, s.AddDeliveries(bg(), all, []string{"ep"}, at(10)))
	must(t, s.AddDeliveries(bg(), all, []string{"ep"}, at(11))) // again: kept
	d, err := s.GetDelivery(bg(), "e-1", "ep")
	must(t, err)
	eq(t, "a new delivery", [2]any{d.State, d.Attempts}, [2]any{storage.DeliveryQueued, 0})
	sameTime(t, "delivery added", d.UpdatedAt, at(10))
	blocked("e-2", true) // e-1 is queued, not yet dispatched
	must(t, s.MarkDispatched(bg(), all, at(10)))
	must(t, s.MarkDispatched(bg(), []string{"e-1"}, at(11))) // again: first time stays
	mustIs(t, s.MarkDispatched(bg(), []string{"e-none"}, at(10)), storage.ErrNotFound, "dispatch a missing event")
	e1, err = s.GetEvent(bg(), "e-1")
	must(t, err)
	sameTime(t, "dispatched", e1.DispatchedAt, at(10))
	list, err = s.Undispatched(bg(), 10)
	must(t, err)
	eq(t, "undispatched after dispatch", eventIDs(list), []string{})
	blocked("e-2", true) // e-1 is queued
	blocked("e-3", true)

	d, err = s.RecordAttempt(bg(), "e-1", "ep", 503, "status 503", storage.DeliveryQueued, at(12))
	must(t, err)
	eq(t, "after a failed attempt", [3]any{d.State, d.Attempts, d.LastStatus}, [3]any{storage.DeliveryQueued, 1, 503})
	d, err = s.RecordAttempt(bg(), "e-1", "ep", 200, "", storage.DeliveryDelivered, at(13))
	must(t, err)
	eq(t, "after delivery", [3]any{d.State, d.Attempts, d.LastStatus}, [3]any{storage.DeliveryDelivered, 2, 200})
	sameTime(t, "delivered at", d.DeliveredAt, at(13))
	d, err = s.RecordAttempt(bg(), "e-1", "ep", 0, "timeout", storage.DeliveryDead, at(14)) // a late duplicate
	must(t, err)
	eq(t, "delivered stays delivered", [2]any{d.State, d.Attempts}, [2]any{storage.DeliveryDelivered, 2})
	_, err = s.RecordAttempt(bg(), "e-1", "other", 200, "", storage.DeliveryDelivered, at(14))
	mustIs(t, err, storage.ErrNotFound, "attempt of a missing delivery")
	_, err = s.RecordAttempt(bg(), "e-1", "ep", 200, "", "lost", at(14))
	mustFail(t, err, "attempt with an unknown state")
	blocked("e-2", false)
	blocked("e-3", true)

	// e-2 and e-b die; e-3 may go once e-2 is dead.
	_, err = s.RecordAttempt(bg(), "e-2", "ep", 500, "status 500", storage.DeliveryDead, at(20))
	must(t, err)
	_, err = s.RecordAttempt(bg(), "e-b", "ep", 0, "connection refused", storage.DeliveryDead, at(20))
	must(t, err)
	blocked("e-3", false)
	dead, err := s.DeadDeliveries(bg(), storage.Delivery{}, 1)
	must(t, err)
	eq(t, "first dead page", deliveryIDs(dead), []string{"e-2"})
	dead, err = s.DeadDeliveries(bg(), dead[0], 10)
	must(t, err)
	eq(t, "second dead page", deliveryIDs(dead), []string{"e-b"})
	eq(t, "dead error phrase", dead[0].LastError, "connection refused")
	dead, err = s.DeadDeliveries(bg(), dead[0], 10)
	must(t, err)
	eq(t, "past the end", deliveryIDs(dead), []string{})

	d, err = s.Redeliver(bg(), "e-2", "ep", at(30))
	must(t, err)
	eq(t, "redelivered", [2]any{d.State, d.Redeliveries}, [2]any{storage.DeliveryQueued, 1})
	_, err = s.Redeliver(bg(), "e-2", "ep", at(31))
	mustIs(t, err, storage.ErrConflict, "redeliver a queued delivery")
	_, err = s.Redeliver(bg(), "e-1", "ep", at(31))
	mustIs(t, err, storage.ErrConflict, "redeliver a delivered delivery")
	_, err = s.Redeliver(bg(), "e-none", "ep", at(31))
	mustIs(t, err, storage.ErrNotFound, "redeliver a missing delivery")
	blocked("e-3", true) // e-2 is queued again
	dead, err = s.DeadDeliveries(bg(), storage.Delivery{}, 10)
	must(t, err)
	eq(t, "dead after redeliver", deliveryIDs(dead), []string{"e-b"})

	// Pruning: only events delivered everywhere, created before the time.
	// e-1 is delivered; e-2 queued, e-3 queued, e-b dead; e-new undispatched.
	must(t, s.AppendEvent(bg(), ev("e-new", "verification:c", 0)))
	n, err := s.PruneEvents(bg(), at(1), 10)
	must(t, err)
	eq(t, "pruned", n, 1)
	_, err = s.GetEvent(bg(), "e-1")
	mustIs(t, err, storage.ErrNotFound, "a pruned event")
	_, err = s.GetDelivery(bg(), "e-1", "ep")
	mustIs(t, err, storage.ErrNotFound, "a pruned event's delivery")
	for _, id := range []string{"e-2", "e-b", "e-new"} {
		_, err := s.GetEvent(bg(), id)
		must(t, err)
	}
	_, err = s.RecordAttempt(bg(), "e-2", "ep", 200, "", storage.DeliveryDelivered, at(40))
	must(t, err)
	n, err = s.PruneEvents(bg(), at(2), 10) // e-2 was created at 1; e-3 at 2 is queued anyway
	must(t, err)
	eq(t, "pruned after e-2 was delivered", n, 1)
	n, err = s.PruneEvents(bg(), at(100), 0)
	must(t, err)
	eq(t, "pruned with limit 0", n, 0)
	blocked("e-3", false) // its predecessors are gone or delivered
}

// Of racing decisions exactly one emits verification.decided; racing
// attempts and dispatches count every attempt once.
func testRaceOutbox(t *testing.T, s storage.State) {
	submitted(t, s, "v-r", "acc-1", at(1))
	race(20, func(i int) {
		s.SaveDecision(bg(), storage.Decision{VerificationID: "v-r", Outcome: storage.Approved, DecidedAt: at(2 + i)})
	})
	evs := eventsOf(t, s, "verification:v-r")
	eq(t, "events after racing decisions", len(evs), 2)

	all, err := s.Undispatched(bg(), 10)
	must(t, err)
	var e errs
	race(10, func(i int) {
		id := all[i%len(all)].ID
		e.add(s.AddDeliveries(bg(), []string{id}, []string{"ep"}, at(5)))
		e.add(s.MarkDispatched(bg(), []string{id}, at(5)))
	})
	race(10, func(i int) {
		_, err := s.RecordAttempt(bg(), all[0].ID, "ep", 503, "status 503", storage.DeliveryQueued, at(6))
		e.add(err)
	})
	e.check(t)
	d, err := s.GetDelivery(bg(), all[0].ID, "ep")
	must(t, err)
	eq(t, "attempts after 10 racing attempts", d.Attempts, 10)
}

func eventIDs(es []storage.Event) []string {
	out := []string{}
	for _, e := range es {
		out = append(out, e.ID)
	}
	return out
}

func deliveryIDs(ds []storage.Delivery) []string {
	out := []string{}
	for _, d := range ds {
		out = append(out, d.EventID)
	}
	return out
}

// The review console's producers: a new claim (not a renewal), the
// reviewer's decision and a case's resolution each append one event.
func testReviewEvents(t *testing.T, s storage.State) {
	inReview(t, s, "v-rv", "acc-rv", 10, reason.FaceMismatch)
	newStaff(t, s, "alice", storage.RoleReviewer)
	for _, m := range []int{20, 21} { // a claim, then its renewal
		_, err := s.ClaimReview(bg(), "v-rv", "alice", at(m), 10*time.Minute)
		must(t, err)
	}
	_, err := s.FinishReview(bg(), storage.ReviewDecision{VerificationID: "v-rv", StaffID: "alice", Outcome: storage.Rejected,
		Reasons: []reason.Code{reason.FaceMismatch}, DecidedAt: at(22)})
	must(t, err)
	evs := eventsOf(t, s, "verification:v-rv")
	eq(t, "review events", evs[len(evs)-2:], []string{
		`review.claimed {"account_id":"acc-rv","verification_id":"v-rv"}`,
		`verification.reviewed {"account_id":"acc-rv","outcome":"rejected","reasons":["face_mismatch"],"verification_id":"v-rv"}`,
	})

	must(t, s.OpenCase(bg(), storage.SupportCase{ID: "case-r", Kind: "identity_misuse", AccountID: "acc-rv", VerificationID: "v-rv", CreatedAt: at(30)}))
	newStaff(t, s, "sam", storage.RoleSupport)
	_, err = s.TransitionCase(bg(), "case-r", storage.CaseOpen, storage.CaseInProgress, "sam", at(31))
	must(t, err)
	_, err = s.TransitionCase(bg(), "case-r", storage.CaseInProgress, storage.CaseResolved, "sam", at(32))
	must(t, err)
	eq(t, "case events", eventsOf(t, s, "support_case:case-r"), []string{
		`support_case.opened {"account_id":"acc-rv","case_id":"case-r","kind":"identity_misuse","verification_id":"v-rv"}`,
		`support_case.resolved {"account_id":"acc-rv","case_id":"case-r","kind":"identity_misuse","outcome":"resolved","verification_id":"v-rv"}`,
	})
}
