package storetest

import (
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
)

// newStaff creates a staff user with role r.
func newStaff(t *testing.T, s storage.State, id string, r storage.StaffRole) *storage.Staff {
	t.Helper()
	st := &storage.Staff{ID: id, Username: "user-" + id, Role: r, PasswordHash: []byte("$2a$hash-" + id), CreatedAt: at(0)}
	must(t, s.CreateStaff(bg(), st))
	return st
}

// inReview creates a verification decided manual_review at minute sub+1,
// submitted at minute sub, with one check result carrying codes.
func inReview(t *testing.T, s storage.State, id, acc string, sub int, codes ...reason.Code) {
	t.Helper()
	newVerification(t, s, id, acc, at(sub-1))
	_, err := s.MarkSubmitted(bg(), id, []string{"face"}, nil, at(sub))
	must(t, err)
	_, err = s.PutCheckResult(bg(), storage.CheckResult{VerificationID: id, Check: "face", OK: false, Reasons: codes, CreatedAt: at(sub)})
	must(t, err)
	_, created, err := s.SaveDecision(bg(), storage.Decision{VerificationID: id, Outcome: storage.ManualReview,
		Reasons: []reason.Code{reason.ManualReview}, Note: "repeated rejections", DecidedAt: at(sub + 1)})
	must(t, err)
	if !created {
		t.Fatalf("decision of %s existed", id)
	}
}

func reviewIDs(items []*storage.ReviewItem) []string {
	out := []string{}
	for _, it := range items {
		out = append(out, it.VerificationID)
	}
	return out
}

func testStaff(t *testing.T, s storage.State) {
	a := newStaff(t, s, "s1", storage.RoleReviewer)
	newStaff(t, s, "s2", storage.RoleAdmin)
	mustIs(t, s.CreateStaff(bg(), &storage.Staff{ID: "s3", Username: a.Username, Role: storage.RoleSupport,
		PasswordHash: []byte("x")}), storage.ErrConflict, "taken username")
	mustFail(t, s.CreateStaff(bg(), &storage.Staff{ID: "s4", Username: "u4", Role: "boss", PasswordHash: []byte("x")}), "unknown role")
	mustFail(t, s.CreateStaff(bg(), &storage.Staff{ID: "s5", Username: "u5", Role: storage.RoleSupport}), "no password hash")

	got, err := s.GetStaff(bg(), "s1")
	must(t, err)
	eq(t, "staff", *got, storage.Staff{ID: "s1", Username: "user-s1", Role: storage.RoleReviewer,
		PasswordHash: a.PasswordHash, CreatedAt: at(0), UpdatedAt: at(0)})
	byName, err := s.StaffByUsername(bg(), "user-s2")
	must(t, err)
	eq(t, "by username", byName.ID, "s2")
	_, err = s.StaffByUsername(bg(), "nobody")
	mustIs(t, err, storage.ErrNotFound, "unknown username")
	all, err := s.ListStaff(bg())
	must(t, err)
	eq(t, "list", len(all), 2)

	must(t, s.CreateSession(bg(), storage.StaffSession{TokenHash: "t1", StaffID: "s1", CSRF: "c1", CreatedAt: at(1), ExpiresAt: at(61)}))
	ss, err := s.GetSession(bg(), "t1", at(30))
	must(t, err)
	eq(t, "session", ss, storage.StaffSession{TokenHash: "t1", StaffID: "s1", CSRF: "c1", CreatedAt: at(1), ExpiresAt: at(61)})
	_, err = s.GetSession(bg(), "t1", at(61))
	mustIs(t, err, storage.ErrNotFound, "expired session")
	must(t, s.DeleteSession(bg(), "t1"))
	must(t, s.DeleteSession(bg(), "t1"))
	_, err = s.GetSession(bg(), "t1", at(2))
	mustIs(t, err, storage.ErrNotFound, "deleted session")

	// Disabling ends the sessions and refuses new ones.
	must(t, s.CreateSession(bg(), storage.StaffSession{TokenHash: "t2", StaffID: "s1", CSRF: "c2", ExpiresAt: at(61)}))
	must(t, s.SetStaffDisabled(bg(), "s1", true, "s2", at(5)))
	must(t, s.SetStaffDisabled(bg(), "s1", true, "s2", at(6))) // no-op
	_, err = s.GetSession(bg(), "t2", at(10))
	mustIs(t, err, storage.ErrNotFound, "session of a disabled user")
	mustIs(t, s.CreateSession(bg(), storage.StaffSession{TokenHash: "t3", StaffID: "s1", CSRF: "c3", ExpiresAt: at(61)}),
		storage.ErrConflict, "session of a disabled user")
	mustIs(t, s.SetStaffDisabled(bg(), "nobody", true, "s2", at(5)), storage.ErrNotFound, "disable unknown")
	trail, err := s.AuditTrail(bg(), "staff:s1")
	must(t, err)
	eq(t, "staff audit", auditLines(trail), []string{"system staff.add  -> reviewer", "s2 staff.disable enabled -> disabled"})
}

func auditLines(es []storage.AuditEntry) []string {
	out := []string{}
	for _, e := range es {
		out = append(out, fmt.Sprintf("%s %s %s -> %s", e.StaffID, e.Action, e.Before, e.After))
	}
	return out
}

// testReviewQueue: manual_review decisions, and only they, enter the queue
// with every code; the queue filters, pages and lists oldest first.
func testReviewQueue(t *testing.T, s storage.State) {
	inReview(t, s, "r30", "a1", 30, reason.FaceMismatch)
	inReview(t, s, "r10", "a2", 10, reason.LivenessFailed, reason.FacePoorQuality)
	inReview(t, s, "r20", "a3", 20, reason.FaceMismatch)
	submitted(t, s, "rej", "a4", at(5), "face")
	_, _, err := s.SaveDecision(bg(), storage.Decision{VerificationID: "rej", Outcome: storage.Rejected,
		Reasons: []reason.Code{reason.DocBlurry}, DecidedAt: at(6)})
	must(t, err)
	submitted(t, s, "pending", "a5", at(25), "face") // undecided, not in review

	all, err := s.ReviewQueue(bg(), storage.ReviewFilter{})
	must(t, err)
	eq(t, "queue", reviewIDs(all), []string{"r10", "r20", "r30"})
	first := all[0]
	eq(t, "reasons", first.Reasons, []reason.Code{reason.ManualReview, reason.LivenessFailed, reason.FacePoorQuality})
	eq(t, "item", [...]any{first.AccountID, first.Country, first.DocType, first.Note, first.State, first.ClaimedBy},
		[...]any{"a2", "CN", "id_card", "repeated rejections", storage.ReviewWaiting, ""})
	sameTime(t, "submitted", first.SubmittedAt, at(10))
	sameTime(t, "queued", first.QueuedAt, at(11))

	for _, tc := range []struct {
		name string
		f    storage.ReviewFilter
		want []string
	}{
		{"reason", storage.ReviewFilter{Reason: reason.FaceMismatch}, []string{"r20", "r30"}},
		{"reason none", storage.ReviewFilter{Reason: reason.DocBlurry}, []string{}},
		{"country", storage.ReviewFilter{Country: "CN"}, []string{"r10", "r20", "r30"}},
		{"country none", storage.ReviewFilter{Country: "DE"}, []string{}},
		{"doc type", storage.ReviewFilter{DocType: "passport"}, []string{}},
		{"age", storage.ReviewFilter{SubmittedBefore: at(25)}, []string{"r10", "r20"}},
		{"limit", storage.ReviewFilter{Limit: 1}, []string{"r10"}},
		{"page", storage.ReviewFilter{AfterSubmitted: at(10), AfterID: "r10"}, []string{"r20", "r30"}},
		{"reason page", storage.ReviewFilter{Reason: reason.FaceMismatch, AfterSubmitted: at(20), AfterID: "r20"}, []string{"r30"}},
		{"reason and age", storage.ReviewFilter{Reason: reason.FaceMismatch, SubmittedBefore: at(25), Country: "CN"}, []string{"r20"}},
	} {
		got, err := s.ReviewQueue(bg(), tc.f)
		must(t, err)
		eq(t, tc.name, reviewIDs(got), tc.want)
	}

	n, oldest, err := s.ReviewWaiting(bg())
	must(t, err)
	eq(t, "waiting", n, 3)
	sameTime(t, "oldest waiting", oldest, at(10))
	// The undecided gauge counts verifications waiting for a reviewer.
	o, err := s.OldestUndecided(bg())
	must(t, err)
	sameTime(t, "oldest undecided", o, at(10))
	// Retention keeps the photos of a verification waiting for a reviewer.
	dec, err := s.DecidedBefore(bg(), at(100), 10)
	must(t, err)
	eq(t, "decided before", ids(dec), []string{"rej"})
	_, err = s.GetReviewItem(bg(), "rej")
	mustIs(t, err, storage.ErrNotFound, "a rejection is not reviewed")
}

// testClaimReview: the lease, its lapse, and the one decision.
func testClaimReview(t *testing.T, s storage.State) {
	inReview(t, s, "v1", "a1", 10, reason.FaceMismatch)
	newStaff(t, s, "alice", storage.RoleReviewer)
	newStaff(t, s, "bob", storage.RoleReviewer)
	lease := 10 * time.Minute

	it, err := s.ClaimReview(bg(), "v1", "alice", at(20), lease)
	must(t, err)
	eq(t, "claimed by", it.ClaimedBy, "alice")
	sameTime(t, "until", it.ClaimUntil, at(30))
	_, err = s.ClaimReview(bg(), "v1", "bob", at(25), lease)
	mustIs(t, err, storage.ErrConflict, "claim held by another")
	it, err = s.ClaimReview(bg(), "v1", "alice", at(25), lease) // renew
	must(t, err)
	sameTime(t, "renewed", it.ClaimUntil, at(35))
	_, err = s.ClaimReview(bg(), "missing", "alice", at(25), lease)
	mustIs(t, err, storage.ErrNotFound, "claim missing")

	// Bob cannot decide without the claim.
	_, err = s.FinishReview(bg(), storage.ReviewDecision{VerificationID: "v1", StaffID: "bob", Outcome: storage.Approved, DecidedAt: at(26)})
	mustIs(t, err, storage.ErrConflict, "decide without claim")
	// Alice's lease lapses; Bob takes the case, Alice can no longer decide.
	it, err = s.ClaimReview(bg(), "v1", "bob", at(35), lease)
	must(t, err)
	eq(t, "lapsed claim taken", it.ClaimedBy, "bob")
	_, err = s.FinishReview(bg(), storage.ReviewDecision{VerificationID: "v1", StaffID: "alice", Outcome: storage.Approved, DecidedAt: at(36)})
	mustIs(t, err, storage.ErrConflict, "decide after the lease lapsed")
	mustIs(t, s.ReleaseReview(bg(), "v1", "alice", at(36)), storage.ErrConflict, "release another's claim")
	must(t, s.ReleaseReview(bg(), "v1", "bob", at(36)))
	_, err = s.ClaimReview(bg(), "v1", "alice", at(37), lease)
	must(t, err)

	mustFail(t, func() error {
		_, err := s.FinishReview(bg(), storage.ReviewDecision{VerificationID: "v1", StaffID: "alice", Outcome: storage.ManualReview, DecidedAt: at(38)})
		return err
	}(), "decide manual_review")
	d, err := s.FinishReview(bg(), storage.ReviewDecision{VerificationID: "v1", StaffID: "alice", Outcome: storage.Rejected,
		Reasons: []reason.Code{reason.FaceMismatch}, NoteSealed: []byte{9, 9, 9}, DecidedAt: at(40)})
	must(t, err)
	stored, err := s.GetDecision(bg(), "v1")
	must(t, err)
	eq(t, "decision replaced", stored, d)
	eq(t, "outcome", stored.Outcome, storage.Rejected)
	eq(t, "reasons", stored.Reasons, []reason.Code{reason.FaceMismatch})
	sameTime(t, "decided", stored.DecidedAt, at(40))
	rd, err := s.GetReviewDecision(bg(), "v1")
	must(t, err)
	eq(t, "review decision", [...]any{rd.StaffID, rd.Outcome, rd.NoteSealed}, [...]any{"alice", storage.Rejected, []byte{9, 9, 9}})
	_, err = s.GetReviewDecision(bg(), "nope")
	mustIs(t, err, storage.ErrNotFound, "no review decision")

	// Decided once: no second decision, no claim, out of the queue.
	_, err = s.FinishReview(bg(), storage.ReviewDecision{VerificationID: "v1", StaffID: "alice", Outcome: storage.Approved, DecidedAt: at(41)})
	mustIs(t, err, storage.ErrConflict, "decide twice")
	_, err = s.ClaimReview(bg(), "v1", "bob", at(42), lease)
	mustIs(t, err, storage.ErrConflict, "claim decided")
	q, err := s.ReviewQueue(bg(), storage.ReviewFilter{Reason: reason.FaceMismatch})
	must(t, err)
	eq(t, "queue after decision", reviewIDs(q), []string{})
	n, _, err := s.ReviewWaiting(bg())
	must(t, err)
	eq(t, "waiting after decision", n, 0)
	o, err := s.OldestUndecided(bg())
	must(t, err)
	sameTime(t, "oldest undecided after decision", o, time.Time{})
	rejections, err := s.CountRejections(bg(), "a1", time.Time{}, time.Time{})
	must(t, err)
	eq(t, "a reviewer's rejection counts", rejections, 1)

	trail, err := s.AuditTrail(bg(), "verification:v1")
	must(t, err)
	eq(t, "audit", auditLines(trail), []string{
		"alice review.claim unclaimed -> claimed:alice",
		"alice review.claim claimed:alice -> claimed:alice",
		"bob review.claim claimed:alice -> claimed:bob",
		"bob review.release claimed:bob -> unclaimed",
		"alice review.claim unclaimed -> claimed:alice",
		"alice review.decide manual_review -> rejected face_mismatch",
	})
}

// testFourEyes: a first approval gives the case back to the queue; only
// a decision naming that approver finishes it.
func testFourEyes(t *testing.T, s storage.State) {
	inReview(t, s, "v1", "a1", 10, reason.FaceMismatch)
	lease := 10 * time.Minute
	_, err := s.ApproveFirst(bg(), "v1", "alice", at(20))
	mustIs(t, err, storage.ErrConflict, "first approval without claim")
	_, err = s.ClaimReview(bg(), "v1", "alice", at(20), lease)
	must(t, err)
	it, err := s.ApproveFirst(bg(), "v1", "alice", at(21))
	must(t, err)
	eq(t, "first approver", [...]string{it.FirstApprover, it.ClaimedBy}, [...]string{"alice", ""})
	q, err := s.ReviewQueue(bg(), storage.ReviewFilter{})
	must(t, err)
	eq(t, "back in the queue", reviewIDs(q), []string{"v1"})
	eq(t, "queue shows the first approver", q[0].FirstApprover, "alice")

	_, err = s.ClaimReview(bg(), "v1", "carol", at(22), lease)
	must(t, err)
	_, err = s.ApproveFirst(bg(), "v1", "carol", at(23))
	mustIs(t, err, storage.ErrConflict, "a second first approval")
	_, err = s.FinishReview(bg(), storage.ReviewDecision{VerificationID: "v1", StaffID: "carol", Outcome: storage.Approved, DecidedAt: at(23)})
	mustIs(t, err, storage.ErrConflict, "second approval without naming the first")
	d, err := s.FinishReview(bg(), storage.ReviewDecision{VerificationID: "v1", StaffID: "carol", FirstApprover: "alice",
		Outcome: storage.Approved, DecidedAt: at(24)})
	must(t, err)
	eq(t, "approved", d.Outcome, storage.Approved)
	rd, err := s.GetReviewDecision(bg(), "v1")
	must(t, err)
	eq(t, "both reviewers kept", [...]string{rd.FirstApprover, rd.StaffID}, [...]string{"alice", "carol"})
}

// testSupportCaseFlow: the case state machine, owners, notes and audit.
func testSupportCaseFlow(t *testing.T, s storage.State) {
	for i, id := range []string{"c1", "c2", "c3"} {
		kind := storage.CaseIdentityMisuse
		if id == "c3" {
			kind = storage.CaseAppeal
		}
		must(t, s.OpenCase(bg(), storage.SupportCase{ID: id, Kind: kind, AccountID: "new", HolderAccount: "old",
			VerificationID: "v" + id, CreatedAt: at(i)}))
	}
	c, err := s.GetCase(bg(), "c1")
	must(t, err)
	eq(t, "new case", [...]any{c.State, c.Owner}, [...]any{storage.CaseOpen, ""})
	sameTime(t, "updated", c.UpdatedAt, at(0))

	c, err = s.TransitionCase(bg(), "c1", storage.CaseOpen, storage.CaseInProgress, "sam", at(10))
	must(t, err)
	eq(t, "in progress", [...]any{c.State, c.Owner}, [...]any{storage.CaseInProgress, "sam"})
	_, err = s.TransitionCase(bg(), "c1", storage.CaseOpen, storage.CaseInProgress, "sam", at(11)) // repeated
	must(t, err)
	_, err = s.TransitionCase(bg(), "c1", storage.CaseOpen, storage.CaseDismissed, "sam", at(11))
	mustIs(t, err, storage.ErrConflict, "transition from a state the case left")
	_, err = s.TransitionCase(bg(), "c1", storage.CaseOpen, storage.CaseResolved, "sam", at(11))
	mustFail(t, err, "open → resolved skips in_progress")
	must(t, s.AddCaseNote(bg(), storage.CaseNote{CaseID: "c1", StaffID: "sam", NoteSealed: []byte{1, 2}, At: at(12)}))
	mustIs(t, s.AddCaseNote(bg(), storage.CaseNote{CaseID: "none", StaffID: "sam", NoteSealed: []byte{1}, At: at(12)}),
		storage.ErrNotFound, "note on a missing case")
	mustFail(t, s.AddCaseNote(bg(), storage.CaseNote{CaseID: "c1", StaffID: "sam", At: at(12)}), "empty note")
	c, err = s.TransitionCase(bg(), "c1", storage.CaseInProgress, storage.CaseResolved, "sam", at(13))
	must(t, err)
	eq(t, "resolved", c.State, storage.CaseResolved)
	_, err = s.TransitionCase(bg(), "c1", storage.CaseResolved, storage.CaseOpen, "sam", at(14))
	mustFail(t, err, "reopen a resolved case")

	notes, err := s.CaseNotes(bg(), "c1")
	must(t, err)
	eq(t, "notes", len(notes), 1)
	eq(t, "note", notes[0].NoteSealed, []byte{1, 2})
	open, err := s.ListCases(bg(), storage.CaseFilter{State: storage.CaseOpen})
	must(t, err)
	eq(t, "open cases", len(open), 2)
	appeals, err := s.ListCases(bg(), storage.CaseFilter{Kind: storage.CaseAppeal})
	must(t, err)
	eq(t, "appeals", len(appeals), 1)
	eq(t, "appeal", appeals[0].ID, "c3")
	for _, tc := range []struct {
		account string
		want    int
	}{{"new", 3}, {"old", 3}, {"nobody", 0}} {
		got, err := s.ListCases(bg(), storage.CaseFilter{Account: tc.account})
		must(t, err)
		eq(t, "cases of "+tc.account, len(got), tc.want)
	}
	trail, err := s.AuditTrail(bg(), "case:c1")
	must(t, err)
	eq(t, "case audit", auditLines(trail), []string{
		"sam case.transition open -> in_progress", "sam case.note  -> ", "sam case.transition in_progress -> resolved"})
}

// testAuditLog: views are appended in order; bad entries are refused.
func testAuditLog(t *testing.T, s storage.State) {
	must(t, s.Audit(bg(), storage.AuditEntry{At: at(1), StaffID: "a", Action: "verification.view", Subject: "verification:v1"}))
	must(t, s.Audit(bg(), storage.AuditEntry{At: at(2), StaffID: "b", Action: "photo.view", Subject: "verification:v1", After: "doc_front"}))
	mustFail(t, s.Audit(bg(), storage.AuditEntry{At: at(2), Action: "x", Subject: "y"}), "entry without staff")
	trail, err := s.AuditTrail(bg(), "verification:v1")
	must(t, err)
	eq(t, "trail", auditLines(trail), []string{"a verification.view  -> ", "b photo.view  -> doc_front"})
	sameTime(t, "at", trail[1].At, at(2))
	if trail[0].Seq >= trail[1].Seq {
		t.Fatalf("sequence not increasing: %+v", trail)
	}
	vs, err := s.AccountVerifications(bg(), "nobody", 5)
	must(t, err)
	eq(t, "no verifications", len(vs), 0)
}

// testRaceReview: reviewers race to claim and decide the same cases; every
// case is decided exactly once.
func testRaceReview(t *testing.T, s storage.State) {
	const cases, reviewers = 5, 8
	for i := 0; i < cases; i++ {
		inReview(t, s, fmt.Sprintf("rv%d", i), acct(i), 10+i, reason.FaceMismatch)
	}
	var decided atomic.Int64
	var e errs
	race(reviewers, func(r int) {
		staff := fmt.Sprintf("rev-%d", r)
		for i := 0; i < cases; i++ {
			id := fmt.Sprintf("rv%d", i)
			if _, err := s.ClaimReview(bg(), id, staff, at(100), time.Hour); err != nil {
				if !errors.Is(err, storage.ErrConflict) {
					e.add(err)
				}
				continue
			}
			_, err := s.FinishReview(bg(), storage.ReviewDecision{VerificationID: id, StaffID: staff,
				Outcome: storage.Rejected, Reasons: []reason.Code{reason.FaceMismatch}, DecidedAt: at(101)})
			switch {
			case err == nil:
				decided.Add(1)
			case !errors.Is(err, storage.ErrConflict):
				e.add(err)
			}
		}
	})
	e.check(t)
	eq(t, "decisions", decided.Load(), int64(cases))
	for i := 0; i < cases; i++ {
		trail, err := s.AuditTrail(bg(), fmt.Sprintf("verification:rv%d", i))
		must(t, err)
		n := 0
		for _, a := range trail {
			if a.Action == "review.decide" {
				n++
			}
		}
		eq(t, "decided once", n, 1)
	}
}

// testReleaseDocument: support releases a document a holder account used
// fraudulently; the reporter's refused verification goes back to review
// and can now be approved.
func testReleaseDocument(t *testing.T, s storage.State) {
	// The holder verified with the document first.
	submitted(t, s, "vh", "holder", at(1), "face")
	_, _, err := s.SaveDecision(bg(), storage.Decision{VerificationID: "vh", Outcome: storage.Approved, DecidedAt: at(2)})
	must(t, err)
	vh, err := s.GetVerification(bg(), "vh")
	must(t, err)
	_, won, err := s.ClaimDocument(bg(), storage.Claim{DocKey: vh.DocKey, AccountID: "holder", VerificationID: "vh", ClaimedAt: at(2)})
	must(t, err)
	eq(t, "holder claim", won, true)
	must(t, s.MarkAccountVerified(bg(), "holder", "vh", []byte{1}, at(3)))
	// The real owner's verification of the same document is refused.
	newVerificationWithDoc(t, s, "vr", "owner", vh.DocKey, at(10))
	_, _, err = s.SaveDecision(bg(), storage.Decision{VerificationID: "vr", Outcome: storage.Rejected,
		Reasons: []reason.Code{reason.DocAlreadyUsed}, DecidedAt: at(11)})
	must(t, err)
	must(t, s.OpenCase(bg(), storage.SupportCase{ID: "cm", Kind: storage.CaseIdentityMisuse, AccountID: "owner",
		HolderAccount: "holder", VerificationID: "vr", CreatedAt: at(12)}))

	mustIs(t, s.ReleaseDocument(bg(), "cm", "sam", at(13)), storage.ErrConflict, "release on an open case")
	_, err = s.TransitionCase(bg(), "cm", storage.CaseOpen, storage.CaseInProgress, "sam", at(14))
	must(t, err)
	must(t, s.ReleaseDocument(bg(), "cm", "sam", at(15)))
	mustIs(t, s.ReleaseDocument(bg(), "cm", "sam", at(16)), storage.ErrConflict, "release twice")
	mustIs(t, s.ReleaseDocument(bg(), "missing", "sam", at(16)), storage.ErrNotFound, "release of a missing case")

	_, err = s.DocumentHolder(bg(), vh.DocKey)
	mustIs(t, err, storage.ErrNotFound, "claim after release")
	acc, err := s.GetAccount(bg(), "holder")
	must(t, err)
	eq(t, "holder verified", [...]any{acc.KYCVerified, acc.VerificationID, len(acc.FaceSealed)}, [...]any{false, "", 0})
	d, err := s.GetDecision(bg(), "vr")
	must(t, err)
	eq(t, "reporter decision", [...]any{d.Outcome, d.Reasons}, [...]any{storage.ManualReview, []reason.Code{reason.ManualReview}})
	q, err := s.ReviewQueue(bg(), storage.ReviewFilter{})
	must(t, err)
	eq(t, "back in review", reviewIDs(q), []string{"vr"})
	// Now a reviewer can approve, and the owner claims the document.
	_, err = s.ClaimReview(bg(), "vr", "rita", at(20), time.Hour)
	must(t, err)
	_, err = s.FinishReview(bg(), storage.ReviewDecision{VerificationID: "vr", StaffID: "rita", Outcome: storage.Approved, DecidedAt: at(21)})
	must(t, err)
	_, won, err = s.ClaimDocument(bg(), storage.Claim{DocKey: vh.DocKey, AccountID: "owner", VerificationID: "vr", ClaimedAt: at(21)})
	must(t, err)
	eq(t, "owner claims", won, true)
	trail, err := s.AuditTrail(bg(), "case:cm")
	must(t, err)
	eq(t, "case audit", auditLines(trail), []string{"sam case.transition open -> in_progress", "sam case.release_document held:holder -> released"})
}

// newVerificationWithDoc creates and submits a verification of a given
// document key.
func newVerificationWithDoc(t *testing.T, s storage.State, id, acc, docKey string, sub time.Time) {
	t.Helper()
	must(t, s.CreateVerification(bg(), &storage.Verification{ID: id, AccountID: acc, Country: "DE", DocType: "id_card",
		DocKey: docKey, CreatedAt: sub.Add(-time.Minute)}))
	_, err := s.MarkSubmitted(bg(), id, []string{"face"}, nil, sub)
	must(t, err)
}
