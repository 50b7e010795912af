package workers_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/kycq/kycq/internal/systest/testenv"
	"github.com/kycq/kycq/kyc"
	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
	"github.com/kycq/kycq/storage/sqlstore"
	"github.com/kycq/kycq/tasks"
	"github.com/kycq/kycq/workers"
)

// The tests below drive the handlers deterministically: results, decisions
// and the clock are set by the test, tasks are processed in the order it
// chooses, and nothing waits on time. They run on both stores.

// submittedAt is when the verification under test was submitted; the
// handlers' clock reads an hour later.
var submittedAt = time.Date(2026, 5, 6, 7, 0, 0, 0, time.UTC)

// stores opens a fresh migrated store of each kind.
func stores(t *testing.T) map[string]func(t *testing.T) *sqlstore.Store {
	open := func(t *testing.T, url string) *sqlstore.Store {
		st, err := sqlstore.Open(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		if err := st.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		return st
	}
	return map[string]func(t *testing.T) *sqlstore.Store{
		"sqlite":   func(t *testing.T) *sqlstore.Store { return open(t, "sqlite:"+filepath.Join(t.TempDir(), "kycq.db")) },
		"postgres": func(t *testing.T) *sqlstore.Store { return open(t, testenv.Postgres(t)) },
	}
}

// decider is the handlers over a store, a leased Redis database and the
// pure decision rules (the decision reads only stored results).
type decider struct {
	st        *sqlstore.Store
	h         *workers.Handlers
	inspector *asynq.Inspector
}

func newDecider(t *testing.T, st *sqlstore.Store) *decider {
	addr, db := testenv.RedisDB(t)
	redis := asynq.RedisClientOpt{Addr: addr, DB: db}
	client, inspector := asynq.NewClient(redis), asynq.NewInspector(redis)
	t.Cleanup(func() { client.Close(); inspector.Close() })
	h := workers.New(workers.Deps{State: st, Enqueuer: client, Inspector: inspector,
		Checks: workers.NewPipeline(nil, kyc.DefaultDataPolicy(), kyc.Policy{}),
		Policy: workers.Policy{RejectionWindow: 24 * time.Hour},
		Now:    func() time.Time { return submittedAt.Add(time.Hour) },
		Log:    slog.New(slog.NewJSONHandler(io.Discard, nil))})
	return &decider{st: st, h: h, inspector: inspector}
}

var expected = []string{tasks.DocQualityCheck("doc_front"), tasks.CheckDocData, tasks.CheckFaceMatch}

// verification stores a submitted verification of account expecting the
// three checks.
func (d *decider) verification(t *testing.T, id, account string, at time.Time) *storage.Verification {
	t.Helper()
	ctx := context.Background()
	if err := d.st.CreateVerification(ctx, &storage.Verification{ID: id, AccountID: account, Country: "CN",
		DocType: "id_card", DocKey: "dk-" + id, CreatedAt: at.Add(-time.Minute)}); err != nil {
		t.Fatal(err)
	}
	v, err := d.st.MarkSubmitted(ctx, id, expected, nil, at)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// rejected stores a verification of account rejected at the given time.
func (d *decider) rejected(t *testing.T, id, account string, at time.Time) {
	t.Helper()
	d.verification(t, id, account, at.Add(-time.Minute))
	if _, _, err := d.st.SaveDecision(context.Background(), storage.Decision{VerificationID: id, Outcome: storage.Rejected,
		Reasons: []reason.Code{reason.DocBlurry}, DecidedAt: at}); err != nil {
		t.Fatal(err)
	}
}

// pass stores a passing result of one check.
func (d *decider) pass(t *testing.T, id, check string) {
	t.Helper()
	if _, err := d.st.PutCheckResult(context.Background(), storage.CheckResult{VerificationID: id, Check: check, OK: true,
		Reasons: []reason.Code{}, CreatedAt: submittedAt}); err != nil {
		t.Fatal(err)
	}
}

func (d *decider) decide(t *testing.T, id string) (storage.Decision, error) {
	t.Helper()
	task, err := tasks.NewDecide(id)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.h.Mux().ProcessTask(context.Background(), task); err != nil {
		t.Fatalf("decide: %v", err)
	}
	return d.st.GetDecision(context.Background(), id)
}

// Repeated rejections are counted in the window before the submission:
// from submittedAt−window (included) to submittedAt (excluded). Passing
// zero, swapping the bounds or counting up to now each fail a row
// (issue 12, item 12).
func TestDecideCountsRejectionsBeforeTheSubmission(t *testing.T) {
	window := 24 * time.Hour
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			for i, tc := range []struct {
				name       string
				rejections []time.Time
				want       storage.Outcome
			}{
				{"none", nil, storage.Approved},
				{"three in the window", []time.Time{submittedAt.Add(-time.Hour), submittedAt.Add(-2 * time.Hour), submittedAt.Add(-23 * time.Hour)}, storage.ManualReview},
				{"three, the oldest on the window's start", []time.Time{submittedAt.Add(-window), submittedAt.Add(-time.Hour), submittedAt.Add(-time.Minute)}, storage.ManualReview},
				{"three before the window", []time.Time{submittedAt.Add(-window - time.Second), submittedAt.Add(-30 * time.Hour), submittedAt.Add(-48 * time.Hour)}, storage.Approved},
				{"two in the window, one before", []time.Time{submittedAt.Add(-time.Hour), submittedAt.Add(-2 * time.Hour), submittedAt.Add(-25 * time.Hour)}, storage.Approved},
				{"three after the submission, before now", []time.Time{submittedAt, submittedAt.Add(10 * time.Minute), submittedAt.Add(30 * time.Minute)}, storage.Approved},
			} {
				t.Run(tc.name, func(t *testing.T) {
					d := newDecider(t, open(t))
					account := fmt.Sprintf("acct-%d", i)
					for j, at := range tc.rejections {
						d.rejected(t, fmt.Sprintf("v_old%d_%d", i, j), account, at)
					}
					id := fmt.Sprintf("v_now%d", i)
					d.verification(t, id, account, submittedAt)
					for _, c := range expected {
						d.pass(t, id, c)
					}
					got, err := d.decide(t, id)
					if err != nil {
						t.Fatal(err)
					}
					if got.Outcome != tc.want {
						t.Fatalf("decided %s %v, want %s", got.Outcome, got.Reasons, tc.want)
					}
					if tc.want == storage.ManualReview && got.Note != kyc.NoteRepeatedRejections {
						t.Fatalf("manual review for %q, want repeated rejections", got.Note)
					}
				})
			}
		})
	}
}

// The decision waits for every check: a decision task delivered after
// each result but the last decides nothing and ends without error; after
// the last it decides (issue 12, item 12, without a timing race).
func TestDecideWaitsForEveryCheck(t *testing.T) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			d := newDecider(t, open(t))
			id := "v_waits"
			d.verification(t, id, "acct-waits", submittedAt)
			for i, c := range expected {
				if _, err := d.decide(t, id); !errors.Is(err, storage.ErrNotFound) {
					t.Fatalf("with %d of %d results: a decision (%v)", i, len(expected), err)
				}
				v, err := d.st.GetVerification(context.Background(), id)
				if err != nil || v.Status != storage.StatusSubmitted {
					t.Fatalf("with %d of %d results: status %v (%v)", i, len(expected), v.Status, err)
				}
				d.pass(t, id, c)
			}
			got, err := d.decide(t, id)
			if err != nil || got.Outcome != storage.Approved {
				t.Fatalf("with every result: %+v, %v", got, err)
			}
			if _, err := d.inspector.GetTaskInfo(tasks.QueueCritical, tasks.ID(tasks.TypeOccupancy, tasks.Verification{VerificationID: id})); err != nil {
				t.Fatalf("the approval's follow-up was not enqueued: %v", err)
			}
		})
	}
}

// An account closed (or frozen) while its verification runs is never
// approved: the claim's transaction refuses it and the decision is
// account_inactive; no claim, no verified account (issue 12, item 2).
func TestDecideRefusesAnInactiveAccount(t *testing.T) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			d := newDecider(t, open(t))
			ctx := context.Background()
			v := d.verification(t, "v_inactive", "acct-closed", submittedAt)
			for _, c := range expected {
				d.pass(t, v.ID, c)
			}
			if err := d.st.SetAccountStatus(ctx, "acct-closed", storage.AccountClosed, submittedAt.Add(time.Minute)); err != nil {
				t.Fatal(err)
			}
			got, err := d.decide(t, v.ID)
			if err != nil || got.Outcome != storage.Rejected || fmt.Sprint(got.Reasons) != "[account_inactive]" {
				t.Fatalf("decided %+v (%v), want rejected account_inactive", got, err)
			}
			if _, err := d.st.DocumentHolder(ctx, v.DocKey); !errors.Is(err, storage.ErrNotFound) {
				t.Fatalf("the closed account claimed the document (%v)", err)
			}
			if a, err := d.st.GetAccount(ctx, "acct-closed"); err != nil || a.KYCVerified {
				t.Fatalf("account %+v (%v)", a, err)
			}
		})
	}
}

// A migration left in executing (its worker died after that step) and
// redelivered later acts on the facts of now: a source that meanwhile
// completed KYC, claimed a document, received assets or never had its
// holdings reported is not closed (issue 12, items 2, 4 and 6).
func TestMigrationRedeliveredAfterTheFactsChanged(t *testing.T) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			for i, tc := range []struct {
				name  string
				state storage.MigrationState // where the task finds the migration
				world func(t *testing.T, d *decider, src string) error
				want  reason.Code
			}{
				{"assets and KYC", storage.MigrationExecuting, func(t *testing.T, d *decider, src string) error {
					if err := d.st.SetHoldings(context.Background(), src, storage.Holdings{Assets: true, OpenOrders: true}, submittedAt); err != nil {
						return err
					}
					return d.st.MarkAccountVerified(context.Background(), src, "v_x", nil, submittedAt)
				}, reason.MigrationSourceVerified},
				{"assets", storage.MigrationExecuting, func(t *testing.T, d *decider, src string) error {
					return d.st.SetHoldings(context.Background(), src, storage.Holdings{Assets: true}, submittedAt)
				}, reason.MigrationSourceNotEmpty},
				{"approved, follow-up not run", storage.MigrationExecuting, func(t *testing.T, d *decider, src string) error {
					if err := d.st.SetHoldings(context.Background(), src, storage.Holdings{}, submittedAt); err != nil {
						return err
					}
					_, _, err := d.st.ClaimDocument(context.Background(), storage.Claim{DocKey: "dk-" + src, AccountID: src, VerificationID: "v_" + src, ClaimedAt: submittedAt})
					return err
				}, reason.MigrationSourceVerified},
				{"verification in progress", storage.MigrationExecuting, func(t *testing.T, d *decider, src string) error {
					if err := d.st.SetHoldings(context.Background(), src, storage.Holdings{}, submittedAt); err != nil {
						return err
					}
					d.verification(t, "v_pending_"+src, src, submittedAt)
					return nil
				}, reason.MigrationSourceVerifying},
				{"holdings never reported", storage.MigrationRequested, func(t *testing.T, d *decider, src string) error { return nil }, reason.MigrationHoldingsUnknown},
				{"nothing changed", storage.MigrationExecuting, func(t *testing.T, d *decider, src string) error {
					return d.st.SetHoldings(context.Background(), src, storage.Holdings{}, submittedAt)
				}, ""},
			} {
				t.Run(tc.name, func(t *testing.T) {
					d := newDecider(t, open(t))
					ctx := context.Background()
					src := fmt.Sprintf("dup%d", i)
					phone := storage.Contact{Kind: storage.ContactPhone, Hash: fmt.Sprintf("h%d", i), Masked: "+1***1", AccountID: src, BoundAt: submittedAt}
					if _, _, err := d.st.BindContact(ctx, phone); err != nil {
						t.Fatal(err)
					}
					m := &storage.Migration{ID: fmt.Sprintf("m_stale%d", i), Kind: storage.MigrationContact, SourceAccount: src, TargetAccount: "main",
						Contacts: []storage.ContactRef{{Kind: phone.Kind, Hash: phone.Hash, Masked: phone.Masked}},
						Proofs:   storage.Proofs{NewContactCode: true, OriginalContactCode: true, Target2FA: true}, CreatedAt: submittedAt}
					if _, _, err := d.st.CreateMigration(ctx, m); err != nil {
						t.Fatal(err)
					}
					if tc.state == storage.MigrationExecuting {
						for _, step := range [][2]storage.MigrationState{{storage.MigrationRequested, storage.MigrationValidated}, {storage.MigrationValidated, storage.MigrationExecuting}} {
							if _, err := d.st.TransitionMigration(ctx, m.ID, step[0], step[1], "", "validated earlier", submittedAt); err != nil {
								t.Fatal(err)
							}
						}
					}
					if err := tc.world(t, d, src); err != nil {
						t.Fatal(err)
					}
					task, err := tasks.NewMigration(m.ID)
					if err != nil {
						t.Fatal(err)
					}
					if err := d.h.Mux().ProcessTask(ctx, task); err != nil {
						t.Fatal(err)
					}
					got, err := d.st.GetMigration(ctx, m.ID)
					if err != nil {
						t.Fatal(err)
					}
					a, err := d.st.GetAccount(ctx, src)
					if err != nil {
						t.Fatal(err)
					}
					if tc.want == "" {
						if got.State != storage.MigrationCompleted || a.Status != storage.AccountClosed {
							t.Fatalf("migration %s (%s), source %s; want completed and closed", got.State, got.Refusal, a.Status)
						}
						return
					}
					if got.State != storage.MigrationRefused || got.Refusal != tc.want {
						t.Fatalf("migration %s (%s), want refused %s", got.State, got.Refusal, tc.want)
					}
					if a.Status != storage.AccountActive {
						t.Fatalf("source %s after a refusal", a.Status)
					}
					if h, err := d.st.ContactHolder(ctx, phone.Kind, phone.Hash); err != nil || h.AccountID != src {
						t.Fatalf("phone bound to %q (%v), want it left on the source", h.AccountID, err)
					}
				})
			}
		})
	}
}
