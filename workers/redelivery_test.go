package workers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/kycq/kycq/docread"
	"github.com/kycq/kycq/face"
	"github.com/kycq/kycq/internal/eval/sample"
	"github.com/kycq/kycq/internal/privacy"
	"github.com/kycq/kycq/internal/systest/testenv"
	"github.com/kycq/kycq/knownfaces"
	"github.com/kycq/kycq/kyc"
	"github.com/kycq/kycq/storage"
	"github.com/kycq/kycq/storage/blob"
	"github.com/kycq/kycq/storage/sqlstore"
	"github.com/kycq/kycq/tasks"
	"github.com/kycq/kycq/workers"
)

// rig is a set of handlers on real PostgreSQL, S3 and Redis.
type rig struct {
	state     *sqlstore.Store
	blobs     *blob.Store
	keys      *privacy.Keys
	client    *asynq.Client
	inspector *asynq.Inspector
	h         *workers.Handlers
}

func newRig(t *testing.T) *rig {
	t.Helper()
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, testenv.Postgres(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	bl, err := blob.New(ctx, testenv.S3(t))
	if err != nil {
		t.Fatal(err)
	}
	addr, db := testenv.RedisDB(t)
	redis := asynq.RedisClientOpt{Addr: addr, DB: db}
	keys, err := privacy.NewKeys(bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32))
	if err != nil {
		t.Fatal(err)
	}
	engine, err := face.New(face.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := &rig{state: st, blobs: bl, keys: keys, client: asynq.NewClient(redis), inspector: asynq.NewInspector(redis)}
	t.Cleanup(func() { r.client.Close(); r.inspector.Close() })
	reader, err := docread.New(docread.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { reader.Close() })
	checks := workers.NewPipeline(engine, kyc.DefaultDataPolicy(), kyc.Policy{})
	checks.Reader = reader
	r.h = workers.New(workers.Deps{
		State: st, Blobs: bl, Keys: keys, Enqueuer: r.client, Inspector: r.inspector,
		Checks:     checks,
		Log:        slog.New(slog.NewJSONHandler(io.Discard, nil)),
		KnownFaces: knownfaces.NewExact(0),
	})
	return r
}

// submit stores a submitted verification whose uploads are in S3.
func (r *rig) submit(t *testing.T, id, account string, a *sample.Applicant) *storage.Verification {
	t.Helper()
	return r.submitChallenge(t, id, account, a, "")
}

// submitChallenge is submit with a liveness challenge issued with the
// selfie's upload URL.
func (r *rig) submitChallenge(t *testing.T, id, account string, a *sample.Applicant, challenge string) *storage.Verification {
	t.Helper()
	ctx := context.Background()
	info, _ := json.Marshal(a.Info)
	canonical, err := kyc.NormaliseDocument(a.Info.IssuingCountry, a.Info.IDType, a.Info.IDNumber)
	if err != nil {
		t.Fatal(err)
	}
	v := &storage.Verification{ID: id, AccountID: account, Status: storage.StatusCreated,
		Country: a.Info.IssuingCountry, DocType: a.Info.IDType,
		DocKey: r.keys.Hash(kyc.DocumentHashDomain, canonical), InfoSealed: r.keys.Seal(info, id), CreatedAt: time.Now()}
	for slot, f := range a.Files {
		key := "v/" + id + "/" + string(slot)
		if err := r.blobs.Put(ctx, key, f.ContentType, bytes.NewReader(f.Data), int64(len(f.Data))); err != nil {
			t.Fatal(err)
		}
		up := storage.Upload{Slot: slot, Key: key, ContentType: f.ContentType, MaxBytes: int64(len(f.Data))}
		if slot == storage.SlotSelfie {
			up.Challenge = challenge
		}
		v.Uploads = append(v.Uploads, up)
	}
	if err := r.state.CreateVerification(ctx, v); err != nil {
		t.Fatal(err)
	}
	checks := []string{tasks.DocQualityCheck("doc_back"), tasks.DocQualityCheck("doc_front"),
		tasks.DocReadCheck("doc_back"), tasks.DocReadCheck("doc_front"), tasks.CheckDocData, tasks.CheckFaceMatch}
	v, err = r.state.MarkSubmitted(ctx, id, checks, nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// twice delivers a task twice at once, as asynq may after a lost lease,
// and fails the test if either copy errs.
func (r *rig) twice(t *testing.T, task *asynq.Task) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = r.h.Mux().ProcessTask(context.Background(), task)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatalf("%s: %v", task.Type(), err)
		}
	}
}

// snapshot is the part of the state a verification's tasks change.
func (r *rig) snapshot(t *testing.T, v *storage.Verification) string {
	t.Helper()
	ctx := context.Background()
	got, err := r.state.GetVerification(ctx, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	results, err := r.state.CheckResults(ctx, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	var rs []string
	for _, c := range results {
		rs = append(rs, fmt.Sprintf("%s ok=%v %v failed=%v sealed=%v", c.Check, c.OK, c.Reasons, c.Failed, len(c.Sealed) > 0))
	}
	d, derr := r.state.GetDecision(ctx, v.ID)
	claim, cerr := r.state.DocumentHolder(ctx, v.DocKey)
	acct, aerr := r.state.GetAccount(ctx, v.AccountID)
	var acctView string
	if aerr == nil {
		acctView = fmt.Sprintf("%s verified=%v by=%s face=%v", acct.Status, acct.KYCVerified, acct.VerificationID, len(acct.FaceSealed) > 0)
	}
	return fmt.Sprintf("status=%s results=%v decision=%s %v (%v) claim=%s/%s (%v) account=%s (%v)",
		got.Status, rs, d.Outcome, d.Reasons, derr, claim.AccountID, claim.VerificationID, cerr, acctView, aerr)
}

// TestEveryTaskDeliveredTwice delivers every task of a verification twice,
// concurrently, and checks each pair leaves the state a single delivery
// would: one result per check, one decision, one claim, one verified
// account, and one decision task in the queue.
func TestEveryTaskDeliveredTwice(t *testing.T) {
	r := newRig(t)
	a, err := sample.New(context.Background(), sample.Options{Seed: 11})
	if err != nil {
		t.Fatal(err)
	}
	v := r.submit(t, "v_redelivery0000000000000000", "acct-twice", a)
	mk := func(task *asynq.Task, err error) *asynq.Task {
		if err != nil {
			t.Fatal(err)
		}
		return task
	}
	steps := []*asynq.Task{
		mk(tasks.NewDocQuality(v.ID, "doc_front")),
		mk(tasks.NewDocQuality(v.ID, "doc_back")),
		mk(tasks.NewDocRead(v.ID, "doc_front")),
		mk(tasks.NewDocRead(v.ID, "doc_back")),
		mk(tasks.NewDocData(v.ID)),
		mk(tasks.NewFaceMatch(v.ID)),
		mk(tasks.NewDecide(v.ID)),
		mk(tasks.NewOccupancy(v.ID)),
	}
	for _, task := range steps {
		r.twice(t, task)
		after := r.snapshot(t, v)
		// A third, late delivery changes nothing either.
		if err := r.h.Mux().ProcessTask(context.Background(), task); err != nil {
			t.Fatalf("late %s: %v", task.Type(), err)
		}
		if again := r.snapshot(t, v); again != after {
			t.Fatalf("a late %s changed the state:\n before %s\n after  %s", task.Type(), after, again)
		}
	}
	final := r.snapshot(t, v)
	t.Logf("final state: %s", final)
	d, err := r.state.GetDecision(context.Background(), v.ID)
	if err != nil {
		t.Fatal(err)
	}
	acct, err := r.state.GetAccount(context.Background(), v.AccountID)
	if err != nil {
		t.Fatal(err)
	}
	// The sample is a genuine applicant: the run must end approved, or
	// the redeliveries above proved nothing about the approval path.
	if d.Outcome != storage.Approved {
		t.Fatalf("the sample was not approved: %s", final)
	}
	if !acct.KYCVerified || len(acct.FaceSealed) == 0 || acct.VerificationID != v.ID {
		t.Errorf("approved, but the account was not updated: %s", final)
	}
	if claim, err := r.state.DocumentHolder(context.Background(), v.DocKey); err != nil || claim.AccountID != v.AccountID || claim.VerificationID != v.ID {
		t.Errorf("approved, but the document claim is %+v (%v)", claim, err)
	}
	// The fan-in enqueued the decision once, whatever the deliveries.
	info, err := r.inspector.GetTaskInfo(tasks.QueueCritical, tasks.ID(tasks.TypeDecide, tasks.Verification{VerificationID: v.ID}))
	if err != nil {
		t.Fatalf("decision task: %v", err)
	}
	if info.State != asynq.TaskStatePending {
		t.Errorf("decision task state %v", info.State)
	}
	if n := queueSize(t, r.inspector, tasks.QueueCritical); d.Outcome == storage.Approved && n != 2 { // decide + occupancy
		t.Errorf("%d tasks in %s, want the decision and the follow-up once each", n, tasks.QueueCritical)
	}
}

func queueSize(t *testing.T, in *asynq.Inspector, q string) int {
	t.Helper()
	info, err := in.GetQueueInfo(q)
	if err != nil {
		t.Fatal(err)
	}
	return info.Size
}

// TestMigrationDeliveredTwice runs the migration task twice at once, twice
// over: the contact moves once, the source closes once, and the audit
// trail holds each step once.
func TestMigrationDeliveredTwice(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	now := time.Now()
	phone := storage.Contact{Kind: storage.ContactPhone, Hash: r.keys.Hash(kyc.ContactHashDomain, "+4915100000001"),
		Masked: "+49*********01", AccountID: "dup", BoundAt: now}
	if _, won, err := r.state.BindContact(ctx, phone); err != nil || !won {
		t.Fatalf("bind: %v %v", won, err)
	}
	// Unknown holdings refuse a migration: the exchange reported none.
	if err := r.state.SetHoldings(ctx, "dup", storage.Holdings{}, now); err != nil {
		t.Fatal(err)
	}
	m := &storage.Migration{ID: "m_redelivery000000000000000", Kind: storage.MigrationContact,
		SourceAccount: "dup", TargetAccount: "main",
		Contacts: []storage.ContactRef{{Kind: phone.Kind, Hash: phone.Hash, Masked: phone.Masked}},
		Proofs:   storage.Proofs{NewContactCode: true, OriginalContactCode: true, Target2FA: true},
		State:    storage.MigrationRequested, CreatedAt: now, UpdatedAt: now}
	if _, _, err := r.state.CreateMigration(ctx, m); err != nil {
		t.Fatal(err)
	}
	task, err := tasks.NewMigration(m.ID)
	if err != nil {
		t.Fatal(err)
	}
	r.twice(t, task)
	r.twice(t, task)
	got, err := r.state.GetMigration(ctx, m.ID)
	if err != nil || got.State != storage.MigrationCompleted {
		t.Fatalf("migration %+v, %v", got, err)
	}
	events, err := r.state.MigrationEvents(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	var steps []storage.MigrationState
	for _, e := range events {
		steps = append(steps, e.To)
	}
	if fmt.Sprint(steps) != "[requested validated executing completed]" {
		t.Errorf("audit trail %v, want each step once", steps)
	}
	holder, err := r.state.ContactHolder(ctx, phone.Kind, phone.Hash)
	if err != nil || holder.AccountID != "main" {
		t.Errorf("phone bound to %q (%v), want main", holder.AccountID, err)
	}
	src, err := r.state.GetAccount(ctx, "dup")
	if err != nil || src.Status != storage.AccountClosed || !src.ReferralsDropped {
		t.Errorf("source %+v (%v), want closed with referrals dropped", src, err)
	}
}
