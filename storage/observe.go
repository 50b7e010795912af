package storage

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/kycq/kycq/kyc/reason"
)

// ObserveState returns st wrapped so that every call that fails is
// reported to failed with its operation, the method's name in snake case
// (GetVerification: "get_verification"). The API and the workers share
// the wrapped store, so kycq_storage_errors_total counts both.
//
// Answers that are part of the contract are not failures: ErrNotFound,
// ErrConflict, ErrAccountInactive, ErrLimit and a cancelled context (the
// caller went away). Ping and
// OldestUndecided are passed through unobserved: the readiness probe and
// the metrics scrape count their own failures (op "ping",
// "oldest_undecided"), timeouts included.
func ObserveState(st State, failed func(op string)) State {
	return observedState{State: st, failed: failed}
}

// ObserveBlobs is ObserveState for the object store: ErrNotFound and
// ErrTooLarge are answers, not failures, and an error reading a Get's
// body counts as a failed "get".
func ObserveBlobs(b Blobs, failed func(op string)) Blobs {
	return observedBlobs{Blobs: b, failed: failed}
}

// expected reports whether err is an answer of the storage contract rather
// than a failure of the backend.
func expected(err error) bool {
	return err == nil || errors.Is(err, ErrNotFound) || errors.Is(err, ErrConflict) ||
		errors.Is(err, ErrTooLarge) || errors.Is(err, context.Canceled) ||
		errors.Is(err, ErrAccountInactive) || errors.Is(err, ErrLimit)
}

var (
	_ State = observedState{}
	_ Blobs = observedBlobs{}
)

// observedState forwards every method of State, reporting failures. The
// interface is not embedded, so a method added to State fails to compile
// here until it is observed.
type observedState struct {
	State  State
	failed func(op string)
}

func (o observedState) observe(op string, err error) {
	if !expected(err) {
		o.failed(op)
	}
}

func (o observedState) Ping(ctx context.Context) error { return o.State.Ping(ctx) }

func (o observedState) Close() error { return o.State.Close() }

func (o observedState) OldestUndecided(ctx context.Context) (time.Time, error) {
	return o.State.OldestUndecided(ctx)
}

// observedBlobs forwards every method of Blobs, reporting failures.
type observedBlobs struct {
	Blobs  Blobs
	failed func(op string)
}

func (o observedBlobs) observe(op string, err error) {
	if !expected(err) {
		o.failed(op)
	}
}

func (o observedBlobs) Ping(ctx context.Context) error { return o.Blobs.Ping(ctx) }

// observedBody reports an error reading a Get's body as a failed "get".
type observedBody struct {
	io.ReadCloser
	observe func(op string, err error)
}

func (b observedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != io.EOF {
		b.observe("get", err)
	}
	return n, err
}

func (o observedState) CreateVerification(ctx context.Context, v *Verification) (err error) {
	err = o.State.CreateVerification(ctx, v)
	o.observe("create_verification", err)
	return err
}

func (o observedState) GetVerification(ctx context.Context, id string) (r0 *Verification, err error) {
	r0, err = o.State.GetVerification(ctx, id)
	o.observe("get_verification", err)
	return r0, err
}

func (o observedState) MarkSubmitted(ctx context.Context, id string, checks []string, uploads []Upload, at time.Time) (r0 *Verification, err error) {
	r0, err = o.State.MarkSubmitted(ctx, id, checks, uploads, at)
	o.observe("mark_submitted", err)
	return r0, err
}

func (o observedState) PutCheckResult(ctx context.Context, r CheckResult) (r0 bool, err error) {
	r0, err = o.State.PutCheckResult(ctx, r)
	o.observe("put_check_result", err)
	return r0, err
}

func (o observedState) CheckResults(ctx context.Context, id string) (r0 []CheckResult, err error) {
	r0, err = o.State.CheckResults(ctx, id)
	o.observe("check_results", err)
	return r0, err
}

func (o observedState) SaveDecision(ctx context.Context, d Decision) (r0 Decision, r1 bool, err error) {
	r0, r1, err = o.State.SaveDecision(ctx, d)
	o.observe("save_decision", err)
	return r0, r1, err
}

func (o observedState) GetDecision(ctx context.Context, id string) (r0 Decision, err error) {
	r0, err = o.State.GetDecision(ctx, id)
	o.observe("get_decision", err)
	return r0, err
}

func (o observedState) CountRejections(ctx context.Context, accountID string, since, before time.Time) (r0 int, err error) {
	r0, err = o.State.CountRejections(ctx, accountID, since, before)
	o.observe("count_rejections", err)
	return r0, err
}

func (o observedState) Undecided(ctx context.Context, before time.Time, limit int) (r0 []*Verification, err error) {
	r0, err = o.State.Undecided(ctx, before, limit)
	o.observe("undecided", err)
	return r0, err
}

func (o observedState) DecidedBefore(ctx context.Context, before time.Time, limit int) (r0 []*Verification, err error) {
	r0, err = o.State.DecidedBefore(ctx, before, limit)
	o.observe("decided_before", err)
	return r0, err
}

func (o observedState) MarkPurged(ctx context.Context, id string, at time.Time) (err error) {
	err = o.State.MarkPurged(ctx, id, at)
	o.observe("mark_purged", err)
	return err
}

func (o observedState) ClaimDocument(ctx context.Context, c Claim) (r0 Claim, r1 bool, err error) {
	r0, r1, err = o.State.ClaimDocument(ctx, c)
	o.observe("claim_document", err)
	return r0, r1, err
}

func (o observedState) DocumentHolder(ctx context.Context, docKey string) (r0 Claim, err error) {
	r0, err = o.State.DocumentHolder(ctx, docKey)
	o.observe("document_holder", err)
	return r0, err
}

func (o observedState) GetAccount(ctx context.Context, id string) (r0 *Account, err error) {
	r0, err = o.State.GetAccount(ctx, id)
	o.observe("get_account", err)
	return r0, err
}

func (o observedState) MarkAccountVerified(ctx context.Context, accountID, verificationID string, faceSealed []byte, at time.Time) (err error) {
	err = o.State.MarkAccountVerified(ctx, accountID, verificationID, faceSealed, at)
	o.observe("mark_account_verified", err)
	return err
}

func (o observedState) SetAccountStatus(ctx context.Context, accountID string, s AccountStatus, at time.Time) (err error) {
	err = o.State.SetAccountStatus(ctx, accountID, s, at)
	o.observe("set_account_status", err)
	return err
}

func (o observedState) BindContact(ctx context.Context, c Contact) (r0 Contact, r1 bool, err error) {
	r0, r1, err = o.State.BindContact(ctx, c)
	o.observe("bind_contact", err)
	return r0, r1, err
}

func (o observedState) ContactHolder(ctx context.Context, kind ContactKind, hash string) (r0 Contact, err error) {
	r0, err = o.State.ContactHolder(ctx, kind, hash)
	o.observe("contact_holder", err)
	return r0, err
}

func (o observedState) Contacts(ctx context.Context, accountID string) (r0 []Contact, err error) {
	r0, err = o.State.Contacts(ctx, accountID)
	o.observe("contacts", err)
	return r0, err
}

func (o observedState) SetHoldings(ctx context.Context, accountID string, h Holdings, at time.Time) (err error) {
	err = o.State.SetHoldings(ctx, accountID, h, at)
	o.observe("set_holdings", err)
	return err
}

func (o observedState) GetHoldings(ctx context.Context, accountID string) (r0 Holdings, err error) {
	r0, err = o.State.GetHoldings(ctx, accountID)
	o.observe("get_holdings", err)
	return r0, err
}

func (o observedState) CreateMigration(ctx context.Context, m *Migration) (r0 *Migration, r1 bool, err error) {
	r0, r1, err = o.State.CreateMigration(ctx, m)
	o.observe("create_migration", err)
	return r0, r1, err
}

func (o observedState) GetMigration(ctx context.Context, id string) (r0 *Migration, err error) {
	r0, err = o.State.GetMigration(ctx, id)
	o.observe("get_migration", err)
	return r0, err
}

func (o observedState) TransitionMigration(ctx context.Context, id string, from, to MigrationState, refusal reason.Code, detail string, at time.Time) (r0 *Migration, err error) {
	r0, err = o.State.TransitionMigration(ctx, id, from, to, refusal, detail, at)
	o.observe("transition_migration", err)
	return r0, err
}

func (o observedState) ExecuteMigration(ctx context.Context, id string, at time.Time) (r0 *Migration, err error) {
	r0, err = o.State.ExecuteMigration(ctx, id, at)
	o.observe("execute_migration", err)
	return r0, err
}

func (o observedState) MigrationEvents(ctx context.Context, id string) (r0 []MigrationEvent, err error) {
	r0, err = o.State.MigrationEvents(ctx, id)
	o.observe("migration_events", err)
	return r0, err
}

func (o observedState) ContactMigrated(ctx context.Context, kind ContactKind, hash string) (r0 bool, err error) {
	r0, err = o.State.ContactMigrated(ctx, kind, hash)
	o.observe("contact_migrated", err)
	return r0, err
}

func (o observedState) CreateHolderCheck(ctx context.Context, h *HolderCheck) (r0 *HolderCheck, r1 bool, err error) {
	r0, r1, err = o.State.CreateHolderCheck(ctx, h)
	o.observe("create_holder_check", err)
	return r0, r1, err
}

func (o observedState) GetHolderCheck(ctx context.Context, id string) (r0 *HolderCheck, err error) {
	r0, err = o.State.GetHolderCheck(ctx, id)
	o.observe("get_holder_check", err)
	return r0, err
}

func (o observedState) CompleteHolderCheck(ctx context.Context, id string, matched bool, score float64, reasons []reason.Code, at time.Time) (r0 *HolderCheck, err error) {
	r0, err = o.State.CompleteHolderCheck(ctx, id, matched, score, reasons, at)
	o.observe("complete_holder_check", err)
	return r0, err
}

func (o observedState) CreateHolderCheckWithin(ctx context.Context, h *HolderCheck, lim HolderCheckLimit) (r0 *HolderCheck, r1 bool, err error) {
	r0, r1, err = o.State.CreateHolderCheckWithin(ctx, h, lim)
	o.observe("create_holder_check", err)
	return r0, r1, err
}

func (o observedState) ContactChanges(ctx context.Context, id string) (r0 []ContactChange, err error) {
	r0, err = o.State.ContactChanges(ctx, id)
	o.observe("contact_changes", err)
	return r0, err
}

func (o observedState) ResolveHolderCheck(ctx context.Context, id, answer, migrationID, caseID string, at time.Time) (r0 *HolderCheck, err error) {
	r0, err = o.State.ResolveHolderCheck(ctx, id, answer, migrationID, caseID, at)
	o.observe("resolve_holder_check", err)
	return r0, err
}

func (o observedState) OpenCase(ctx context.Context, c SupportCase) (err error) {
	err = o.State.OpenCase(ctx, c)
	o.observe("open_case", err)
	return err
}

func (o observedState) GetCase(ctx context.Context, id string) (r0 SupportCase, err error) {
	r0, err = o.State.GetCase(ctx, id)
	o.observe("get_case", err)
	return r0, err
}

func (o observedState) HolderChecksBefore(ctx context.Context, before time.Time, limit int) (r0 []*HolderCheck, err error) {
	r0, err = o.State.HolderChecksBefore(ctx, before, limit)
	o.observe("holder_checks_before", err)
	return r0, err
}

func (o observedState) MarkHolderCheckPurged(ctx context.Context, id string, at time.Time) (err error) {
	err = o.State.MarkHolderCheckPurged(ctx, id, at)
	o.observe("mark_holder_check_purged", err)
	return err
}

func (o observedBlobs) PresignPut(ctx context.Context, key, contentType string, size int64, ttl time.Duration) (r0 string, r1 map[string]string, err error) {
	r0, r1, err = o.Blobs.PresignPut(ctx, key, contentType, size, ttl)
	o.observe("presign_put", err)
	return r0, r1, err
}

func (o observedBlobs) Head(ctx context.Context, key string) (r0 ObjectInfo, err error) {
	r0, err = o.Blobs.Head(ctx, key)
	o.observe("head", err)
	return r0, err
}

func (o observedBlobs) Get(ctx context.Context, key string, max int64) (r0 io.ReadCloser, r1 ObjectInfo, err error) {
	r0, r1, err = o.Blobs.Get(ctx, key, max)
	o.observe("get", err)
	if err == nil {
		r0 = observedBody{r0, o.observe}
	}
	return r0, r1, err
}

func (o observedBlobs) Copy(ctx context.Context, src, dst string) (r0 ObjectInfo, err error) {
	r0, err = o.Blobs.Copy(ctx, src, dst)
	o.observe("copy", err)
	return r0, err
}

func (o observedBlobs) Put(ctx context.Context, key, contentType string, r io.Reader, size int64) (err error) {
	err = o.Blobs.Put(ctx, key, contentType, r, size)
	o.observe("put", err)
	return err
}

func (o observedBlobs) Delete(ctx context.Context, key string) (err error) {
	err = o.Blobs.Delete(ctx, key)
	o.observe("delete", err)
	return err
}
