package workers_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/kycq/kycq/internal/eval/sample"
	"github.com/kycq/kycq/knownfaces"
	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
	"github.com/kycq/kycq/tasks"
	"github.com/kycq/kycq/workers"
)

// run processes every task of a submitted verification in order.
func (r *rig) run(t *testing.T, v *storage.Verification) storage.Decision {
	t.Helper()
	ctx := context.Background()
	mk := func(task *asynq.Task, err error) *asynq.Task {
		if err != nil {
			t.Fatal(err)
		}
		return task
	}
	for _, task := range []*asynq.Task{
		mk(tasks.NewDocQuality(v.ID, "doc_front")), mk(tasks.NewDocQuality(v.ID, "doc_back")),
		mk(tasks.NewDocRead(v.ID, "doc_front")), mk(tasks.NewDocRead(v.ID, "doc_back")),
		mk(tasks.NewDocData(v.ID)), mk(tasks.NewFaceMatch(v.ID)), mk(tasks.NewDecide(v.ID)), mk(tasks.NewOccupancy(v.ID)),
	} {
		if err := r.h.Mux().ProcessTask(ctx, task); err != nil {
			t.Fatalf("%s: %v", task.Type(), err)
		}
	}
	d, err := r.state.GetDecision(ctx, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestKnownFaces decides, on real stores, the same person opening a second
// account with another document (manual review, face_already_verified),
// with the same document (the occupancy path: doc_already_used), and a
// different person (approved); then rebuilds the index from the store, and
// checks closure forgets the face.
func TestKnownFaces(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	app := func(seed int64, face string) *sample.Applicant {
		a, err := sample.New(ctx, sample.Options{Seed: seed, Face: face})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	faces := sample.Faces()
	first := r.run(t, r.submit(t, "v_knownfaces000000000000001", "kf-first", app(31, faces[0])))
	if first.Outcome != storage.Approved {
		t.Fatalf("first verification: %s %v", first.Outcome, first.Reasons)
	}
	for _, c := range []struct {
		name, id, account string
		a                 *sample.Applicant
		outcome           storage.Outcome
		reasons           []reason.Code
	}{
		{"same face, another document", "v_knownfaces000000000000002", "kf-second", app(32, faces[0]), storage.ManualReview,
			[]reason.Code{reason.ManualReview, reason.FaceAlreadyVerified}},
		{"same face, same document", "v_knownfaces000000000000003", "kf-third", app(31, faces[0]), storage.Rejected,
			[]reason.Code{reason.DocAlreadyUsed}},
		{"another person", "v_knownfaces000000000000004", "kf-fourth", app(34, faces[1]), storage.Approved, []reason.Code{}},
	} {
		d := r.run(t, r.submit(t, c.id, c.account, c.a))
		if d.Outcome != c.outcome || !slices.Equal(d.Reasons, c.reasons) {
			t.Errorf("%s: %s %v (%s), want %s %v", c.name, d.Outcome, d.Reasons, d.Note, c.outcome, c.reasons)
		}
	}
	// The approved accounts' faces are stored and load into a fresh index.
	idx := knownfaces.NewExact(0)
	n, err := workers.LoadKnownFaces(ctx, r.state, r.keys, idx)
	if err != nil || n != 2 || idx.Len() != 2 {
		t.Fatalf("rebuilt %d faces (%v), index %d; want the two approved accounts", n, err, idx.Len())
	}
	// Closing the first account deletes its face: the same person may then
	// verify another account.
	if err := r.state.SetAccountStatus(ctx, "kf-first", storage.AccountClosed, time.Now()); err != nil {
		t.Fatal(err)
	}
	d := r.run(t, r.submit(t, "v_knownfaces000000000000005", "kf-fifth", app(35, faces[0])))
	if d.Outcome != storage.Approved {
		t.Errorf("after the first account closed: %s %v", d.Outcome, d.Reasons)
	}
	got, err := r.state.KnownFacesAfter(ctx, "", 10)
	if err != nil {
		t.Fatal(err)
	}
	var accts []string
	for _, f := range got {
		accts = append(accts, f.AccountID)
	}
	if want := []string{"kf-fifth", "kf-fourth"}; !slices.Equal(accts, want) {
		t.Errorf("known faces of %v, want %v", accts, want)
	}
}
