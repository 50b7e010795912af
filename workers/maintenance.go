package workers

import (
	"context"
	"errors"

	"github.com/hibiken/asynq"

	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
	"github.com/kycq/kycq/tasks"
)

// Sweep finds submitted verifications that have waited longer than the
// stall limit and repairs their pipeline: a check whose task is gone is
// enqueued again; a check whose task was archived (it failed every retry) is
// recorded as failed so the decision goes to manual review; a complete set
// gets its decision enqueued. Everything it does is idempotent, so any
// number of sweeps may run.
func (h *Handlers) Sweep(ctx context.Context, _ *asynq.Task) error {
	stalled, err := h.d.State.Undecided(ctx, h.d.Now().Add(-h.d.Policy.StallAfter), 200)
	if err != nil {
		return err
	}
	for _, v := range stalled {
		if err := h.repair(ctx, v); err != nil {
			h.d.Log.ErrorContext(ctx, "sweep", "verification_id", v.ID, "error", err)
		}
	}
	return nil
}

func (h *Handlers) repair(ctx context.Context, v *storage.Verification) error {
	results, err := h.d.State.CheckResults(ctx, v.ID)
	if err != nil {
		return err
	}
	missing := missingChecks(v, results)
	if len(missing) == 0 {
		t, err := tasks.NewDecide(v.ID)
		return h.enqueue(ctx, t, err)
	}
	for _, check := range missing {
		t, err := tasks.ForCheck(v.ID, check)
		if err != nil {
			return err
		}
		p, _ := tasks.ParseVerification(t.Payload())
		info, err := h.d.Inspector.GetTaskInfo(tasks.QueueChecks, tasks.ID(t.Type(), p))
		switch {
		case errors.Is(err, asynq.ErrTaskNotFound) || errors.Is(err, asynq.ErrQueueNotFound):
			h.d.Log.WarnContext(ctx, "sweep: re-enqueue lost check", "verification_id", v.ID, "check", check)
			if err := h.enqueue(ctx, t, nil); err != nil {
				return err
			}
		case err != nil:
			return err
		case info.State == asynq.TaskStateArchived:
			if err := h.record(ctx, v, storage.CheckResult{Check: check, Failed: true,
				Reasons: []reason.Code{reason.CheckFailed}}); err != nil {
				return err
			}
		}
	}
	return nil
}

// Retention deletes the uploads of verifications decided longer ago than
// the retention period, and the fresh selfies of holder checks last
// updated longer ago than that (they are biometric data too), and the
// known faces added longer ago than that. Decisions,
// check results and the holder checks' outcomes stay. Deleting a missing
// object is not an error and every record is marked purged once, so a
// repeated or concurrent run does no harm.
func (h *Handlers) Retention(ctx context.Context, _ *asynq.Task) error {
	before := h.d.Now().Add(-h.d.Policy.Retention)
	if err := h.purgeKnownFaces(ctx, before); err != nil {
		return err
	}
	for {
		due, err := h.d.State.DecidedBefore(ctx, before, 100)
		if err != nil {
			return err
		}
		if len(due) == 0 {
			break
		}
		for _, v := range due {
			for _, up := range v.Uploads {
				if err := h.deleteBlobs(ctx, up.Key, up.Evidence); err != nil {
					return err
				}
			}
			if err := h.d.State.MarkPurged(ctx, v.ID, h.d.Now()); err != nil {
				return err
			}
			h.d.Log.InfoContext(ctx, "uploads purged", "verification_id", v.ID)
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	for {
		due, err := h.d.State.HolderChecksBefore(ctx, before, 100)
		if err != nil {
			return err
		}
		if len(due) == 0 {
			return nil
		}
		for _, hc := range due {
			if hc.SelfieKey != "" {
				if err := h.deleteBlobs(ctx, hc.SelfieKey, holderEvidence(hc)); err != nil {
					return err
				}
			}
			if err := h.d.State.MarkHolderCheckPurged(ctx, hc.ID, h.d.Now()); err != nil {
				return err
			}
			h.d.Log.InfoContext(ctx, "holder check selfie purged", "holder_check_id", hc.ID)
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
}

// deleteBlobs deletes the objects of keys, skipping empty ones (an upload
// never copied to evidence has no evidence key).
func (h *Handlers) deleteBlobs(ctx context.Context, keys ...string) error {
	for _, key := range keys {
		if key == "" {
			continue
		}
		if err := h.d.Blobs.Delete(ctx, key); err != nil {
			return err
		}
	}
	return nil
}
