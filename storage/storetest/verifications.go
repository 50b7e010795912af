package storetest

import (
	"testing"
	"time"

	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
)

func testPing(t *testing.T, s storage.State) {
	must(t, s.Ping(bg()))
}

func testCreateVerification(t *testing.T, s storage.State) {
	want := newVerification(t, s, "v1", "acc-1", at(0))
	got, err := s.GetVerification(bg(), "v1")
	must(t, err)
	eq(t, "status", got.Status, storage.StatusCreated)
	eq(t, "account", got.AccountID, want.AccountID)
	eq(t, "country", got.Country, want.Country)
	eq(t, "doc type", got.DocType, want.DocType)
	eq(t, "doc key", got.DocKey, want.DocKey)
	eq(t, "sealed info", got.InfoSealed, want.InfoSealed)
	eq(t, "flags", got.Flags, want.Flags)
	eq(t, "uploads", got.Uploads, want.Uploads)
	eq(t, "checks", len(got.Checks), 0)
	sameTime(t, "created", got.CreatedAt, at(0))
	if !got.SubmittedAt.IsZero() || !got.DecidedAt.IsZero() || !got.PurgedAt.IsZero() {
		t.Fatalf("new verification has submitted/decided/purged times: %+v", got)
	}

	// The account comes into being, active and unverified.
	a, err := s.GetAccount(bg(), "acc-1")
	must(t, err)
	eq(t, "account status", a.Status, storage.AccountActive)
	eq(t, "account verified", a.KYCVerified, false)

	// Same ID and account again: a no-op, the stored one stays.
	again := *want
	again.Country, again.InfoSealed, again.CreatedAt = "HK", []byte("other"), at(5)
	must(t, s.CreateVerification(bg(), &again))
	got2, err := s.GetVerification(bg(), "v1")
	must(t, err)
	eq(t, "after repeat", got2, got)

	// Same ID, another account: conflict, nothing changes.
	other := *want
	other.AccountID = "acc-2"
	mustIs(t, s.CreateVerification(bg(), &other), storage.ErrConflict, "create for another account")
	got3, err := s.GetVerification(bg(), "v1")
	must(t, err)
	eq(t, "after conflict", got3, got)

	// A status given by the caller is ignored: new is created.
	sv := &storage.Verification{ID: "v2", AccountID: "acc-1", Status: storage.StatusDecided, CreatedAt: at(1)}
	must(t, s.CreateVerification(bg(), sv))
	got4, err := s.GetVerification(bg(), "v2")
	must(t, err)
	eq(t, "status of v2", got4.Status, storage.StatusCreated)

	_, err = s.GetVerification(bg(), "missing")
	mustIs(t, err, storage.ErrNotFound, "get missing")

	for _, bad := range []*storage.Verification{nil, {AccountID: "a"}, {ID: "x"}} {
		mustFail(t, s.CreateVerification(bg(), bad), "invalid verification")
	}
}

func testMarkSubmitted(t *testing.T, s storage.State) {
	newVerification(t, s, "v1", "acc-1", at(0))
	checks := []string{"doc_data", "face", "image"}
	v, err := s.MarkSubmitted(bg(), "v1", checks, nil, at(1))
	must(t, err)
	eq(t, "status", v.Status, storage.StatusSubmitted)
	eq(t, "checks", v.Checks, checks)
	sameTime(t, "submitted", v.SubmittedAt, at(1))

	// Again, even with other checks: unchanged.
	v2, err := s.MarkSubmitted(bg(), "v1", []string{"image"}, nil, at(2))
	must(t, err)
	eq(t, "resubmitted", v2, v)

	// After the decision: unchanged, still decided.
	_, _, err = s.SaveDecision(bg(), storage.Decision{VerificationID: "v1", Outcome: storage.Approved, DecidedAt: at(3)})
	must(t, err)
	v3, err := s.MarkSubmitted(bg(), "v1", []string{"image"}, nil, at(4))
	must(t, err)
	eq(t, "status after decision", v3.Status, storage.StatusDecided)
	eq(t, "checks after decision", v3.Checks, checks)
	sameTime(t, "submitted after decision", v3.SubmittedAt, at(1))

	_, err = s.MarkSubmitted(bg(), "missing", checks, nil, at(1))
	mustIs(t, err, storage.ErrNotFound, "submit missing")

	// Uploads given at submit are stored with it; the first submit's stand.
	created := newVerification(t, s, "v2", "acc-1", at(0))
	withEvidence := func(token string) []storage.Upload {
		out := append([]storage.Upload(nil), created.Uploads...)
		for i := range out {
			out[i].Evidence = storage.EvidenceKey(out[i].Key, token)
		}
		return out
	}
	first, err := s.MarkSubmitted(bg(), "v2", checks, withEvidence("first"), at(1))
	must(t, err)
	eq(t, "uploads as submitted", first.Uploads, withEvidence("first"))
	second, err := s.MarkSubmitted(bg(), "v2", checks, withEvidence("second"), at(2))
	must(t, err)
	eq(t, "uploads after a racing submit", second.Uploads, withEvidence("first"))
}

func testPutCheckResult(t *testing.T, s storage.State) {
	// Results before the submit are stored but never complete.
	newVerification(t, s, "v1", "acc-1", at(0))
	complete, err := s.PutCheckResult(bg(), storage.CheckResult{VerificationID: "v1", Check: "image", OK: true, CreatedAt: at(1)})
	must(t, err)
	eq(t, "complete before submit", complete, false)

	_, err = s.MarkSubmitted(bg(), "v1", []string{"doc_data", "face", "image"}, nil, at(1))
	must(t, err)
	face := storage.CheckResult{
		VerificationID: "v1", Check: "face", OK: false,
		Reasons:    []reason.Code{reason.FaceMismatch, reason.LivenessFailed},
		Scores:     map[string]float64{"similarity": 0.31, "liveness": 0.5},
		Borderline: true, Failed: false, Sealed: []byte{9, 8, 7, 0},
		Duration: 1500 * time.Millisecond, CreatedAt: at(2),
	}
	complete, err = s.PutCheckResult(bg(), face)
	must(t, err)
	eq(t, "complete after 2 of 3", complete, false)

	// A later, different result for the same check is ignored.
	late := face
	late.OK, late.Reasons, late.Scores, late.Sealed = true, nil, nil, nil
	complete, err = s.PutCheckResult(bg(), late)
	must(t, err)
	eq(t, "complete after a duplicate", complete, false)

	failed := storage.CheckResult{VerificationID: "v1", Check: "doc_data", Failed: true,
		Reasons: []reason.Code{reason.CheckFailed}, CreatedAt: at(3)}
	complete, err = s.PutCheckResult(bg(), failed)
	must(t, err)
	eq(t, "complete after the last", complete, true)
	// A redelivered last result still reports complete.
	complete, err = s.PutCheckResult(bg(), failed)
	must(t, err)
	eq(t, "complete on redelivery", complete, true)

	rs, err := s.CheckResults(bg(), "v1")
	must(t, err)
	if len(rs) != 3 {
		t.Fatalf("got %d results, want 3", len(rs))
	}
	eq(t, "order", []string{rs[0].Check, rs[1].Check, rs[2].Check}, []string{"doc_data", "face", "image"})
	got := rs[1]
	eq(t, "verification", got.VerificationID, "v1")
	eq(t, "ok", got.OK, false)
	eq(t, "reasons", got.Reasons, face.Reasons)
	eq(t, "scores", got.Scores, face.Scores)
	eq(t, "borderline", got.Borderline, true)
	eq(t, "sealed", got.Sealed, face.Sealed)
	eq(t, "duration", got.Duration, face.Duration)
	sameTime(t, "created", got.CreatedAt, at(2))
	eq(t, "failed", rs[0].Failed, true)
	eq(t, "first image result kept", rs[2].OK, true)

	rs, err = s.CheckResults(bg(), "none")
	must(t, err)
	eq(t, "results of unknown verification", len(rs), 0)

	_, err = s.PutCheckResult(bg(), storage.CheckResult{VerificationID: "missing", Check: "face"})
	mustIs(t, err, storage.ErrNotFound, "result for a missing verification")
	_, err = s.PutCheckResult(bg(), storage.CheckResult{VerificationID: "v1"})
	mustFail(t, err, "result without a check name")
}

func testSaveDecision(t *testing.T, s storage.State) {
	submitted(t, s, "v1", "acc-1", at(1))
	d := storage.Decision{VerificationID: "v1", Outcome: storage.Rejected,
		Reasons: []reason.Code{reason.DocBlurry, reason.FaceMismatch}, Note: "", DecidedAt: at(2)}
	stored, created, err := s.SaveDecision(bg(), d)
	must(t, err)
	eq(t, "created", created, true)
	eq(t, "outcome", stored.Outcome, storage.Rejected)
	eq(t, "reasons", stored.Reasons, d.Reasons)
	sameTime(t, "decided", stored.DecidedAt, at(2))

	v, err := s.GetVerification(bg(), "v1")
	must(t, err)
	eq(t, "status", v.Status, storage.StatusDecided)
	sameTime(t, "verification decided", v.DecidedAt, at(2))

	// A second, different decision: the first is returned unchanged.
	other := storage.Decision{VerificationID: "v1", Outcome: storage.Approved, DecidedAt: at(3)}
	stored2, created, err := s.SaveDecision(bg(), other)
	must(t, err)
	eq(t, "created again", created, false)
	eq(t, "outcome kept", stored2.Outcome, storage.Rejected)
	eq(t, "reasons kept", stored2.Reasons, d.Reasons)
	sameTime(t, "time kept", stored2.DecidedAt, at(2))

	got, err := s.GetDecision(bg(), "v1")
	must(t, err)
	eq(t, "get outcome", got.Outcome, storage.Rejected)
	eq(t, "get verification", got.VerificationID, "v1")
	sameTime(t, "get decided", got.DecidedAt, at(2))

	// Manual review with a note; reasons may be empty.
	submitted(t, s, "v2", "acc-1", at(1))
	mr, created, err := s.SaveDecision(bg(), storage.Decision{VerificationID: "v2", Outcome: storage.ManualReview,
		Note: "compliance flag", DecidedAt: at(4)})
	must(t, err)
	eq(t, "manual created", created, true)
	got, err = s.GetDecision(bg(), "v2")
	must(t, err)
	eq(t, "note", got.Note, "compliance flag")
	eq(t, "stored note", mr.Note, "compliance flag")
	eq(t, "empty reasons", len(got.Reasons), 0)

	_, err = s.GetDecision(bg(), "missing")
	mustIs(t, err, storage.ErrNotFound, "get missing decision")
	_, _, err = s.SaveDecision(bg(), storage.Decision{VerificationID: "missing", Outcome: storage.Approved})
	mustIs(t, err, storage.ErrNotFound, "decide a missing verification")
	submitted(t, s, "v3", "acc-1", at(1))
	_, _, err = s.SaveDecision(bg(), storage.Decision{VerificationID: "v3", Outcome: "maybe"})
	mustFail(t, err, "unknown outcome")
	v3, err := s.GetVerification(bg(), "v3")
	must(t, err)
	eq(t, "status after a refused decision", v3.Status, storage.StatusSubmitted)
}

func testCountRejections(t *testing.T, s storage.State) {
	decide := func(id, acc string, o storage.Outcome, when time.Time) {
		t.Helper()
		submitted(t, s, id, acc, when.Add(-time.Minute))
		_, _, err := s.SaveDecision(bg(), storage.Decision{VerificationID: id, Outcome: o, DecidedAt: when})
		must(t, err)
	}
	decide("a1", "acc-a", storage.Rejected, at(10))
	decide("a2", "acc-a", storage.Rejected, at(20))
	decide("a3", "acc-a", storage.Approved, at(25))
	decide("a4", "acc-a", storage.ManualReview, at(26))
	decide("a5", "acc-a", storage.Rejected, at(30))
	decide("b1", "acc-b", storage.Rejected, at(30))
	submitted(t, s, "a6", "acc-a", at(31)) // undecided: not counted

	for _, tc := range []struct {
		acc           string
		since, before time.Time
		want          int
	}{
		{"acc-a", time.Time{}, time.Time{}, 3},
		{"acc-a", at(0), time.Time{}, 3},
		{"acc-a", at(10), time.Time{}, 3}, // at or after
		{"acc-a", at(11), time.Time{}, 2},
		{"acc-a", at(30), time.Time{}, 1},
		{"acc-a", at(31), time.Time{}, 0},
		{"acc-a", at(0), at(30), 2}, // before, not at
		{"acc-a", at(0), at(31), 3},
		{"acc-a", at(11), at(20), 0},
		{"acc-a", at(11), at(21), 1},
		{"acc-a", time.Time{}, at(10), 0},
		{"acc-b", at(0), time.Time{}, 1},
		{"acc-c", at(0), time.Time{}, 0},
	} {
		n, err := s.CountRejections(bg(), tc.acc, tc.since, tc.before)
		must(t, err)
		if n != tc.want {
			t.Errorf("CountRejections(%s, %v, %v) = %d, want %d", tc.acc, tc.since, tc.before, n, tc.want)
		}
	}
}

func testUndecided(t *testing.T, s storage.State) {
	oldest, err := s.OldestUndecided(bg())
	must(t, err)
	if !oldest.IsZero() {
		t.Fatalf("OldestUndecided of an empty store = %v", oldest)
	}
	newVerification(t, s, "created", "acc-1", at(0)) // never submitted: not listed
	submitted(t, s, "s30", "acc-1", at(30))
	submitted(t, s, "s10", "acc-2", at(10))
	submitted(t, s, "s20", "acc-3", at(20))
	submitted(t, s, "s5-decided", "acc-4", at(5))
	_, _, err = s.SaveDecision(bg(), storage.Decision{VerificationID: "s5-decided", Outcome: storage.Approved, DecidedAt: at(40)})
	must(t, err)

	for _, tc := range []struct {
		before time.Time
		limit  int
		want   []string
	}{
		{at(100), 10, []string{"s10", "s20", "s30"}},
		{at(100), 2, []string{"s10", "s20"}},
		{at(20), 10, []string{"s10"}}, // strictly before
		{at(10), 10, []string{}},
		{at(100), 0, []string{}},
	} {
		vs, err := s.Undecided(bg(), tc.before, tc.limit)
		must(t, err)
		eq(t, "Undecided", ids(vs), tc.want)
	}
	vs, err := s.Undecided(bg(), at(100), 1)
	must(t, err)
	eq(t, "listed status", vs[0].Status, storage.StatusSubmitted)
	sameTime(t, "listed submitted", vs[0].SubmittedAt, at(10))

	oldest, err = s.OldestUndecided(bg())
	must(t, err)
	sameTime(t, "OldestUndecided", oldest, at(10))
	_, _, err = s.SaveDecision(bg(), storage.Decision{VerificationID: "s10", Outcome: storage.Rejected, DecidedAt: at(41)})
	must(t, err)
	oldest, err = s.OldestUndecided(bg())
	must(t, err)
	sameTime(t, "OldestUndecided after a decision", oldest, at(20))
}

func testDecidedBefore(t *testing.T, s storage.State) {
	decide := func(id string, when time.Time) {
		t.Helper()
		submitted(t, s, id, "acc-1", when.Add(-time.Minute))
		_, _, err := s.SaveDecision(bg(), storage.Decision{VerificationID: id, Outcome: storage.Approved, DecidedAt: when})
		must(t, err)
	}
	decide("d30", at(30))
	decide("d10", at(10))
	decide("d20", at(20))
	submitted(t, s, "undecided", "acc-1", at(1))

	vs, err := s.DecidedBefore(bg(), at(100), 10)
	must(t, err)
	eq(t, "DecidedBefore", ids(vs), []string{"d10", "d20", "d30"})
	vs, err = s.DecidedBefore(bg(), at(20), 10)
	must(t, err)
	eq(t, "DecidedBefore strictly", ids(vs), []string{"d10"})
	vs, err = s.DecidedBefore(bg(), at(100), 2)
	must(t, err)
	eq(t, "DecidedBefore limit", ids(vs), []string{"d10", "d20"})

	must(t, s.MarkPurged(bg(), "d10", at(50)))
	must(t, s.MarkPurged(bg(), "d10", at(60))) // idempotent, first time stays
	v, err := s.GetVerification(bg(), "d10")
	must(t, err)
	sameTime(t, "purged", v.PurgedAt, at(50))
	vs, err = s.DecidedBefore(bg(), at(100), 10)
	must(t, err)
	eq(t, "DecidedBefore after purge", ids(vs), []string{"d20", "d30"})

	mustIs(t, s.MarkPurged(bg(), "missing", at(1)), storage.ErrNotFound, "purge missing")
}
