package workers

import (
	"context"
	"errors"
	"fmt"

	"github.com/hibiken/asynq"

	"github.com/kycq/kycq/internal/privacy"
	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
	"github.com/kycq/kycq/tasks"
)

// HolderCheck matches the fresh selfie of a "view holder" request against
// the verified face of the account holding the document (rules §6), and
// records matched or mismatch, once. Only a match lets the API reveal the
// holder, masked.
//
// A holder with no stored face (approved before faces were kept, or from
// a still image that yielded none) cannot be matched: the check ends as a
// mismatch and the user is pointed to support by the API's remedy.
func (h *Handlers) HolderCheck(ctx context.Context, t *asynq.Task) error {
	p, err := tasks.ParseHolderCheck(t.Payload())
	if err != nil {
		return permanent(err)
	}
	hc, err := h.d.State.GetHolderCheck(ctx, p.HolderCheckID)
	if errors.Is(err, storage.ErrNotFound) {
		return fmt.Errorf("holder check %s: %w: %w", p.HolderCheckID, err, asynq.SkipRetry)
	}
	if err != nil {
		return err
	}
	if hc.State != storage.HolderCheckPending {
		return nil // decided before: a redelivered copy
	}
	ref, err := h.holderFace(ctx, hc.HolderAccount)
	if err != nil {
		return err
	}
	// Without a face of the holder's, or a usable upload, there is no match,
	// and the reasons say which.
	match := HolderMatch{Reasons: []reason.Code{reason.HolderFaceMissing}}
	if ref != nil {
		// Match a copy no client can write, and keep it as the evidence
		// of what was matched.
		key := holderEvidence(hc)
		_, err := h.d.Blobs.Copy(ctx, hc.SelfieKey, key)
		if err != nil && !errors.Is(err, storage.ErrNotFound) {
			return err
		}
		path, cleanup, err := spool(ctx, h.d.Blobs, key, h.d.Policy.MaxSelfieBytes, h.d.TempDir)
		defer cleanup()
		switch {
		case errors.Is(err, storage.ErrNotFound), errors.Is(err, ErrTooLarge):
			// Nothing usable was uploaded: no match.
			match = HolderMatch{Reasons: []reason.Code{reason.UploadMissing}}
		case err != nil:
			return err
		default:
			if match, err = h.d.Checks.Holder(ctx, ref, path, hc.SelfieType); err != nil {
				return err
			}
		}
	}
	if _, err := h.d.State.CompleteHolderCheck(ctx, hc.ID, match.Matched, match.Score, match.Reasons, h.d.Now()); err != nil {
		return err
	}
	h.d.Log.InfoContext(ctx, "holder check done", "holder_check_id", hc.ID, "matched", match.Matched, "reasons", match.Reasons)
	return nil
}

// holderFace opens the sealed face descriptor of a verified account; nil
// when it has none.
func (h *Handlers) holderFace(ctx context.Context, accountID string) ([]float32, error) {
	a, err := h.d.State.GetAccount(ctx, accountID)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if len(a.FaceSealed) == 0 {
		return nil, nil
	}
	b, err := h.d.Keys.Open(a.FaceSealed, a.VerificationID)
	if err != nil {
		return nil, fmt.Errorf("open the holder's face descriptor: %w: %w", err, asynq.SkipRetry)
	}
	return privacy.DecodeFloats(b)
}

// holderEvidence is the key of the copy of a holder check's selfie that the
// match reads.
func holderEvidence(hc *storage.HolderCheck) string { return storage.EvidenceKey(hc.SelfieKey, hc.ID) }
