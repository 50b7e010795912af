package workers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/kycq/kycq/internal/privacy"
	"github.com/kycq/kycq/kyc"

	"github.com/hibiken/asynq"

	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
	"github.com/kycq/kycq/tasks"
)

// DocQuality runs the image-quality checks on one document photo.
func (h *Handlers) DocQuality(ctx context.Context, t *asynq.Task) error {
	p, v, err := h.load(ctx, t)
	if err != nil {
		return err
	}
	check := tasks.DocQualityCheck(p.Slot)
	if v.Status == storage.StatusDecided {
		return nil // a late copy: the decision is final
	}
	return h.finalAttempt(ctx, v, check, func() error {
		start := time.Now()
		data, _, err := h.readUpload(ctx, v, storage.Slot(p.Slot))
		if r, ok := photoUnreadable(check, err); ok {
			return h.record(ctx, v, r)
		}
		if err != nil {
			return err
		}
		r := h.d.Checks.Document(ctx, data, storage.Slot(p.Slot))
		r.Check = check
		r.Duration = time.Since(start)
		return h.record(ctx, v, r)
	})
}

// DocData runs the document-data rules on the applicant's basic info.
func (h *Handlers) DocData(ctx context.Context, t *asynq.Task) error {
	_, v, err := h.load(ctx, t)
	if err != nil {
		return err
	}
	if v.Status == storage.StatusDecided {
		return nil
	}
	return h.finalAttempt(ctx, v, tasks.CheckDocData, func() error {
		start := time.Now()
		info, err := h.applicant(v)
		if err != nil {
			return err
		}
		r := h.d.Checks.Data(ctx, info, h.d.Now())
		r.Check = tasks.CheckDocData
		r.Duration = time.Since(start)
		return h.record(ctx, v, r)
	})
}

// FaceMatch scores the selfie against the document portrait.
func (h *Handlers) FaceMatch(ctx context.Context, t *asynq.Task) error {
	_, v, err := h.load(ctx, t)
	if err != nil {
		return err
	}
	if v.Status == storage.StatusDecided {
		return nil
	}
	return h.finalAttempt(ctx, v, tasks.CheckFaceMatch, func() error {
		start := time.Now()
		missing := storage.CheckResult{Check: tasks.CheckFaceMatch, Reasons: []reason.Code{reason.UploadMissing}}
		doc, _, err := h.readUpload(ctx, v, storage.SlotFront)
		if r, ok := photoUnreadable(tasks.CheckFaceMatch, err); ok {
			return h.record(ctx, v, r)
		}
		if err != nil {
			return err
		}
		up := findUpload(v, storage.SlotSelfie)
		if up == nil {
			return h.record(ctx, v, missing)
		}
		path, cleanup, err := spool(ctx, h.d.Blobs, evidence(up), up.MaxBytes, h.d.TempDir)
		defer cleanup()
		switch {
		case errors.Is(err, storage.ErrNotFound):
			return h.record(ctx, v, missing)
		case errors.Is(err, ErrTooLarge):
			return h.record(ctx, v, storage.CheckResult{Check: tasks.CheckFaceMatch, Reasons: []reason.Code{reason.FaceTimeout}})
		case err != nil:
			return err
		}
		r, descriptor, err := h.d.Checks.Face(ctx, doc, path, up.ContentType, up.Challenge)
		if err != nil {
			return err
		}
		if descriptor != nil {
			r.Sealed = h.d.Keys.Seal(privacy.EncodeFloats(descriptor), v.ID)
		}
		r.Check = tasks.CheckFaceMatch
		r.Duration = time.Since(start)
		return h.record(ctx, v, r)
	})
}

// applicant opens the sealed basic info of a verification. A verification
// whose info cannot be opened was sealed under another data key: no retry
// can help, operators must restore the key, so the task is archived where
// they see it.
func (h *Handlers) applicant(v *storage.Verification) (kyc.Applicant, error) {
	var a kyc.Applicant
	b, err := h.d.Keys.Open(v.InfoSealed, v.ID)
	if err != nil {
		return a, fmt.Errorf("open applicant info of %s: %w: %w", v.ID, err, asynq.SkipRetry)
	}
	if err := json.Unmarshal(b, &a); err != nil {
		return a, fmt.Errorf("decode applicant info of %s: %w", v.ID, asynq.SkipRetry)
	}
	return a, nil
}
