// Package workers holds kycq's asynq task handlers and their wiring.
//
// Handlers are thin: they load what a task is about from the stores, call a
// pure check or rule, and store the result. Each one is idempotent: a task
// delivered twice, retried, or rerun after its worker was killed leaves the
// same final state, because results are first-writer-wins and the decision
// is stored once.
package workers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/kycq/kycq/kyc"

	"github.com/hibiken/asynq"

	"github.com/kycq/kycq/internal/privacy"
	"github.com/kycq/kycq/knownfaces"
	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
	"github.com/kycq/kycq/tasks"
)

// Enqueuer is the part of asynq.Client the handlers use.
type Enqueuer interface {
	EnqueueContext(ctx context.Context, t *asynq.Task, opts ...asynq.Option) (*asynq.TaskInfo, error)
}

// TaskInspector is the part of asynq.Inspector the sweeper uses.
type TaskInspector interface {
	GetTaskInfo(queue, id string) (*asynq.TaskInfo, error)
}

// Deps is everything the handlers need.
type Deps struct {
	State  storage.State
	Blobs  storage.Blobs
	Keys   *privacy.Keys
	Checks Checks
	// AccountState answers what a migration source holds; nil means the
	// store-backed implementation (kyc.StoreAccountState).
	AccountState kyc.AccountState
	Enqueuer     Enqueuer
	Inspector    TaskInspector
	Observer     Observer // may be nil
	Log          *slog.Logger
	Policy       Policy
	TempDir      string // where selfie videos are spooled for ffmpeg; "" = os.TempDir
	Now          func() time.Time
	// KnownFaces is the search index of the faces already verified (see
	// LoadKnownFaces); nil turns the known-faces rule off.
	KnownFaces knownfaces.Index
}

// Handlers implements every task type.
type Handlers struct{ d Deps }

// New returns the handlers for deps, filling defaults.
func New(d Deps) *Handlers {
	if d.Log == nil {
		d.Log = slog.Default()
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Observer == nil {
		d.Observer = nopObserver{}
	}
	def := DefaultPolicy()
	if d.Policy.RejectionWindow <= 0 {
		d.Policy.RejectionWindow = def.RejectionWindow
	}
	if d.Policy.Retention <= 0 {
		d.Policy.Retention = def.Retention
	}
	if d.Policy.StallAfter <= 0 {
		d.Policy.StallAfter = def.StallAfter
	}
	if d.Policy.MaxSelfieBytes <= 0 {
		d.Policy.MaxSelfieBytes = def.MaxSelfieBytes
	}
	if d.Policy.KnownFaceDistance <= 0 {
		d.Policy.KnownFaceDistance = DefaultKnownFaceDistance
	}
	if d.AccountState == nil {
		d.AccountState = kyc.StoreAccountState(d.State)
	}
	return &Handlers{d: d}
}

// Mux returns an asynq mux routing every task type to its handler.
func (h *Handlers) Mux() *asynq.ServeMux {
	mux := asynq.NewServeMux()
	mux.HandleFunc(tasks.TypeDocQuality, h.DocQuality)
	mux.HandleFunc(tasks.TypeDocData, h.DocData)
	mux.HandleFunc(tasks.TypeFaceMatch, h.FaceMatch)
	mux.HandleFunc(tasks.TypeDocRead, h.DocRead)
	mux.HandleFunc(tasks.TypeDecide, h.Decide)
	mux.HandleFunc(tasks.TypeOccupancy, h.Occupancy)
	mux.HandleFunc(tasks.TypeMigration, h.Migration)
	mux.HandleFunc(tasks.TypeHolder, h.HolderCheck)
	mux.HandleFunc(tasks.TypeSweep, h.Sweep)
	mux.HandleFunc(tasks.TypeRetention, h.Retention)
	return mux
}

// load decodes a per-verification payload and loads its verification.
// Errors that no retry can fix carry asynq.SkipRetry.
func (h *Handlers) load(ctx context.Context, t *asynq.Task) (tasks.Verification, *storage.Verification, error) {
	p, err := tasks.ParseVerification(t.Payload())
	if err != nil {
		return p, nil, permanent(err)
	}
	v, err := h.d.State.GetVerification(ctx, p.VerificationID)
	if errors.Is(err, storage.ErrNotFound) {
		return p, nil, fmt.Errorf("verification %s: %w: %w", p.VerificationID, err, asynq.SkipRetry)
	}
	if err != nil {
		return p, nil, err
	}
	return p, v, nil
}

// record stores a check result and, when it completes the set, enqueues the
// decision. It runs the fan-in even when the result was stored before (a
// redelivered task), so a worker killed between the two steps loses nothing.
func (h *Handlers) record(ctx context.Context, v *storage.Verification, r storage.CheckResult) error {
	r.VerificationID = v.ID
	if r.CreatedAt.IsZero() {
		r.CreatedAt = h.d.Now()
	}
	complete, err := h.d.State.PutCheckResult(ctx, r)
	if err != nil {
		return err
	}
	if !r.Failed {
		h.d.Observer.ObserveCheck(tasks.CheckFamily(r.Check), r.Duration)
	}
	h.d.Log.InfoContext(ctx, "check done", "verification_id", v.ID, "check", r.Check, "ok", r.OK,
		"reasons", r.Reasons, "complete", complete)
	if complete {
		t, err := tasks.NewDecide(v.ID)
		return h.enqueue(ctx, t, err)
	}
	return nil
}

// enqueue enqueues a task, treating a duplicate TaskID as success.
func (h *Handlers) enqueue(ctx context.Context, t *asynq.Task, err error) error {
	if err != nil {
		return err
	}
	_, err = h.d.Enqueuer.EnqueueContext(ctx, t)
	if err == nil || errors.Is(err, asynq.ErrTaskIDConflict) || errors.Is(err, asynq.ErrDuplicateTask) {
		return nil
	}
	return fmt.Errorf("enqueue %s: %w", t.Type(), err)
}

// finalAttempt runs a check and, when it fails on its last allowed attempt,
// stores a failed result so the decision is not held up forever (it goes to
// manual review). The error is still returned so asynq archives the task
// where operators see it.
func (h *Handlers) finalAttempt(ctx context.Context, v *storage.Verification, check string, run func() error) error {
	err := run()
	if err == nil || errors.Is(err, asynq.SkipRetry) {
		return err
	}
	if !lastAttempt(ctx) {
		return err
	}
	h.d.Log.ErrorContext(ctx, "check gave up", "verification_id", v.ID, "check", check, "error", err)
	if rerr := h.record(ctx, v, storage.CheckResult{Check: check, Failed: true, Reasons: []reason.Code{reason.CheckFailed}}); rerr != nil {
		return errors.Join(err, rerr)
	}
	return err
}

// readUpload reads one uploaded object. A missing object is a result (the
// user did not upload it), not an error.
func (h *Handlers) readUpload(ctx context.Context, v *storage.Verification, slot storage.Slot) ([]byte, *storage.Upload, error) {
	up := findUpload(v, slot)
	if up == nil {
		return nil, nil, storage.ErrNotFound
	}
	data, err := readAll(ctx, h.d.Blobs, evidence(up), up.MaxBytes)
	if err != nil && !errors.Is(err, storage.ErrNotFound) && !errors.Is(err, ErrTooLarge) {
	}
	return data, up, err
}

func findUpload(v *storage.Verification, slot storage.Slot) *storage.Upload {
	for i := range v.Uploads {
		if v.Uploads[i].Slot == slot {
			return &v.Uploads[i]
		}
	}
	return nil
}

// evidence is the key a check reads an upload from: the copy made at
// submit, which no client can write (storage.EvidenceKey). Verifications
// submitted before evidence copies existed have none: their upload is read.
func evidence(up *storage.Upload) string {
	if up.Evidence != "" {
		return up.Evidence
	}
	return up.Key
}

// permanent marks err as one no retry can fix: the result wraps both err
// (so that errors.Is still finds tasks.ErrPayload and the like) and
// asynq.SkipRetry.
func permanent(err error) error {
	return fmt.Errorf("%w: %w", err, asynq.SkipRetry)
}
