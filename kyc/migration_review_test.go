package kyc

import (
	"testing"

	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
)

// TestOccupancyMigrationWaitsForReview holds a scenario-B migration to its
// review case (rules §6, §9): it stays requested until support resolves
// the case, runs once it is resolved, and is refused with
// migration_review_dismissed once it is dismissed.
func TestOccupancyMigrationWaitsForReview(t *testing.T) {
	wait := Step{Action: ActionNone, From: storage.MigrationRequested, To: storage.MigrationRequested}
	validate := Step{Action: ActionTransition, From: storage.MigrationRequested, To: storage.MigrationValidated, Detail: DetailValidated}
	dismissed := Step{Action: ActionTransition, From: storage.MigrationRequested, To: storage.MigrationRefused,
		Refusal: reason.MigrationReviewDismissed, Detail: string(reason.MigrationReviewDismissed)}
	for _, tc := range []struct {
		name     string
		reviewed bool
		review   storage.CaseState
		want     Step
	}{
		{"no case yet", true, "", wait},
		{"case open", true, storage.CaseOpen, wait},
		{"case in progress", true, storage.CaseInProgress, wait},
		{"case resolved", true, storage.CaseResolved, validate},
		{"case dismissed", true, storage.CaseDismissed, dismissed},
		{"not from a holder check", false, "", validate},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := occupancyMigration()
			f := goodFacts(m)
			f.Occupancy.Reviewed, f.Occupancy.Review = tc.reviewed, tc.review
			if got := NextMigrationStep(m, f); got != tc.want {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

// TestReviewGateOnlyOccupancy: a contact migration never waits for a
// review, whatever its facts say.
func TestReviewGateOnlyOccupancy(t *testing.T) {
	m := contactMigration()
	f := goodFacts(m)
	f.Occupancy = OccupancyFacts{Reviewed: true, Review: storage.CaseOpen}
	if AwaitingReview(m, f.Occupancy) {
		t.Fatal("a contact migration awaits a review")
	}
	if got := NextMigrationStep(m, f); got.To != storage.MigrationValidated {
		t.Fatalf("contact migration: %+v", got)
	}
}

// TestReviewDismissedRemedy: the new code has a remedy in both the general
// and the occupancy wording.
func TestReviewDismissedRemedy(t *testing.T) {
	if !reason.Known(reason.MigrationReviewDismissed) || reason.OccupancyRemedy(reason.MigrationReviewDismissed) == "" {
		t.Fatal("migration_review_dismissed has no remedy")
	}
}
