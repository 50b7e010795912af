// Package storetest is the conformance suite of storage.State: every
// implementation (storage/sqlstore on PostgreSQL and on SQLite) must pass
// Run. It checks each method's documented contract with table tests, that
// every write is idempotent, and the concurrency guarantees with real
// races (many goroutines on one store).
package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/kycq/kycq/storage"
)

// Run runs the suite. open returns a fresh, empty, migrated store for one
// test (it is called once per subtest, in parallel subtests); Run closes
// it when the subtest ends.
func Run(t *testing.T, open func(t *testing.T) storage.State) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s storage.State)
	}{
		{"Ping", testPing},
		{"CreateVerification", testCreateVerification},
		{"MarkSubmitted", testMarkSubmitted},
		{"PutCheckResult", testPutCheckResult},
		{"SaveDecision", testSaveDecision},
		{"CountRejections", testCountRejections},
		{"Undecided", testUndecided},
		{"DecidedBeforeAndPurge", testDecidedBefore},
		{"ClaimDocument", testClaimDocument},
		{"Accounts", testAccounts},
		{"AccountStatus", testAccountStatus},
		{"BindContact", testBindContact},
		{"Holdings", testHoldings},
		{"CreateMigration", testCreateMigration},
		{"TransitionMigration", testTransitionMigration},
		{"ExecuteContactMigration", testExecuteContactMigration},
		{"ExecuteOccupancyMigration", testExecuteOccupancyMigration},
		{"ExecuteRefusals", testExecuteRefusals},
		{"HolderChecks", testHolderChecks},
		{"SupportCases", testSupportCases},
		{"HolderChecksBeforeAndPurge", testHolderChecksBefore},
		{"WritesTwice", testWritesTwice},
		{"RaceClaimDocument", testRaceClaimDocument},
		{"RaceBindContact", testRaceBindContact},
		{"RaceSaveDecision", testRaceSaveDecision},
		{"RacePutCheckResult", testRacePutCheckResult},
		{"RaceTransitionMigration", testRaceTransitionMigration},
		{"RaceExecuteMigration", testRaceExecuteMigration},
		{"RaceHolderCheck", testRaceHolderCheck},
		{"EventsEmitted", testEventsEmitted},
		{"Outbox", testOutbox},
		{"RaceOutbox", testRaceOutbox},
		{"Lists", testLists},
		{"ReviewEvents", testReviewEvents},
		{"Staff", testStaff},
		{"ReviewQueue", testReviewQueue},
		{"ClaimReview", testClaimReview},
		{"FourEyes", testFourEyes},
		{"SupportCaseFlow", testSupportCaseFlow},
		{"AuditLog", testAuditLog},
		{"RaceReview", testRaceReview},
		{"ReleaseDocument", testReleaseDocument},
		{"ReopenAppeal", testReopenAppeal},
		{"ClaimNeedsActiveAccount", testClaimNeedsActiveAccount},
		{"BindNeedsActiveAccount", testBindNeedsActiveAccount},
		{"ExecuteRechecksFacts", testExecuteRechecksFacts},
		{"RaceClaimAndMigration", testRaceClaimAndMigration},
		{"ReplaceAndRelease", testReplaceAndRelease},
		{"HoldingsUnknown", testHoldingsUnknown},
		{"HolderCheckLimit", testHolderCheckLimit},
		{"RaceHolderCheckLimit", testRaceHolderCheckLimit},
		{"HolderCheckReasons", testHolderCheckReasons},
		{"KnownFaces", testKnownFaces},
		{"RaceKnownFaces", testRaceKnownFaces},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := open(t)
			t.Cleanup(func() { s.Close() })
			tc.fn(t, s)
		})
	}
}

// base is the suite's clock: times are whole microseconds, the resolution
// every implementation keeps.
var base = time.Date(2025, 3, 4, 5, 6, 7, 890123000, time.UTC)

// at returns base plus n minutes.
func at(n int) time.Time { return base.Add(time.Duration(n) * time.Minute) }

func bg() context.Context { return context.Background() }

// must fails the test on err.
func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// mustIs checks err wraps target.
func mustIs(t *testing.T, err, target error, what string) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("%s: got error %v, want %v", what, err, target)
	}
}

// mustFail checks err is a plain error (not a sentinel the caller would
// treat as a valid outcome).
func mustFail(t *testing.T, err error, what string) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: no error", what)
	}
}

// eq fails when got and want differ.
func eq[T any](t *testing.T, what string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s:\n got %+v\nwant %+v", what, got, want)
	}
}

// sameTime fails when two times are not the same instant.
func sameTime(t *testing.T, what string, got, want time.Time) {
	t.Helper()
	if !got.Equal(want) {
		t.Fatalf("%s: got %v, want %v", what, got, want)
	}
}

// newVerification creates a verification of account acc and returns it.
func newVerification(t *testing.T, s storage.State, id, acc string, created time.Time) *storage.Verification {
	t.Helper()
	v := &storage.Verification{
		ID: id, AccountID: acc, Country: "CN", DocType: "id_card", DocKey: "dk-" + id,
		InfoSealed: []byte{0, 1, 2, 0xff, byte(len(id))}, Flags: []string{"pep"},
		Uploads: []storage.Upload{
			{Slot: storage.SlotFront, Key: "v/" + id + "/doc_front", ContentType: "image/jpeg", MaxBytes: 1234},
			{Slot: storage.SlotSelfie, Key: "v/" + id + "/selfie", ContentType: "video/mp4", MaxBytes: 99999},
		},
		CreatedAt: created,
	}
	must(t, s.CreateVerification(bg(), v))
	return v
}

// submitted creates and submits a verification expecting checks.
func submitted(t *testing.T, s storage.State, id, acc string, sub time.Time, checks ...string) *storage.Verification {
	t.Helper()
	newVerification(t, s, id, acc, sub.Add(-time.Minute))
	if len(checks) == 0 {
		checks = []string{"doc_data", "face", "image"}
	}
	v, err := s.MarkSubmitted(bg(), id, checks, nil, sub)
	must(t, err)
	return v
}

// ids returns the IDs of verifications.
func ids(vs []*storage.Verification) []string {
	out := []string{}
	for _, v := range vs {
		out = append(out, v.ID)
	}
	return out
}

func acct(i int) string { return fmt.Sprintf("acc-%03d", i) }
