package workers

import (
	"context"
	"fmt"

	"github.com/hibiken/asynq"

	"github.com/kycq/kycq/kyc"
	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
	"github.com/kycq/kycq/tasks"
)

// Decide fans in every check result and stores the decision, once.
//
// An approval must also claim the document for the account: one document
// verifies one account. The claim is made on the number read from the
// document, which the typed number must agree with (rules §8). When another
// account holds it, the verification is rejected with doc_already_used
// instead.
func (h *Handlers) Decide(ctx context.Context, t *asynq.Task) error {
	_, v, err := h.load(ctx, t)
	if err != nil {
		return err
	}
	var d storage.Decision
	if v.Status != storage.StatusDecided {
		var decided bool
		if d, decided, err = h.decide(ctx, v); err != nil {
			return err
		}
		if !decided {
			// Results are missing: the last result enqueues the decision
			// again. (Retrying would only hold the decision's TaskID in
			// backoff.)
			return nil
		}
	} else if d, err = h.d.State.GetDecision(ctx, v.ID); err != nil {
		return err
	}
	// Decided, now or before: make sure the follow-up exists. A worker
	// killed after storing the decision resumes here on redelivery.
	if d.Outcome == storage.Approved {
		t, err := tasks.NewOccupancy(v.ID)
		return h.enqueue(ctx, t, err)
	}
	return nil
}

// decide decides v from its check results and stores the decision (or
// finds the one stored first). It reports false, deciding nothing, when a
// result is still missing.
func (h *Handlers) decide(ctx context.Context, v *storage.Verification) (storage.Decision, bool, error) {
	results, err := h.d.State.CheckResults(ctx, v.ID)
	if err != nil {
		return storage.Decision{}, false, err
	}
	if missing := missingChecks(v, results); len(missing) > 0 {
		// Enqueued early (by hand or a stale sweep): nothing to decide yet.
		// The last result enqueues the decision again.
		h.d.Log.WarnContext(ctx, "decision before every result", "verification_id", v.ID, "missing", missing)
		return storage.Decision{}, false, nil
	}
	now := h.d.Now()
	// Rejections are counted in the window before the submission, not
	// before now, so a redelivered decision task counts the same ones.
	rejections, err := h.d.State.CountRejections(ctx, v.AccountID,
		v.SubmittedAt.Add(-h.d.Policy.RejectionWindow), v.SubmittedAt)
	if err != nil {
		return storage.Decision{}, false, err
	}
	results, number, err := h.compareReads(ctx, v, results)
	if err != nil {
		return storage.Decision{}, false, err
	}
	d := h.d.Checks.Decide(v, results, rejections)
	d.VerificationID = v.ID
	d.DecidedAt = now
	if d.Outcome == storage.Approved {
		// One face behind many accounts (rules §10).
		matches, err := h.knownFaceMatches(ctx, v, results)
		if err != nil {
			return storage.Decision{}, false, err
		}
		d = kyc.WithKnownFaces(d, v.AccountID, matches)
	}
	// The claim is made on the number read from the document, which the
	// typed number must agree with (rules §8).
	key, keyOK := h.claimKey(v, number)
	if d.Outcome == storage.Approved && !keyOK {
		// Approved without a number read that names the typed document:
		// the reads and the rules disagree. Never claim on the keyboard.
		d = storage.Decision{VerificationID: v.ID, Outcome: storage.ManualReview, Note: kyc.NoteCheckFailed,
			Reasons: []reason.Code{reason.ManualReview, reason.CheckFailed}, DecidedAt: now}
	}
	onDocument := *v
	if keyOK {
		onDocument.DocKey = key
	}
	d, claim, err := kyc.Settle(ctx, h.d.State, &onDocument, d, now)
	if err != nil {
		return storage.Decision{}, false, err
	}
	stored, created, err := h.d.State.SaveDecision(ctx, d)
	if err != nil {
		return storage.Decision{}, false, err
	}
	if created {
		if claim != "" {
			h.d.Observer.ObserveClaim(claim)
		}
		review := stored.DecidedAt.Sub(v.SubmittedAt)
		h.d.Observer.ObserveDecision(string(stored.Outcome), stored.Reasons, review)
		h.d.Log.InfoContext(ctx, "decided", "verification_id", v.ID, "outcome", stored.Outcome,
			"reasons", stored.Reasons, "review_seconds", review.Seconds())
	}
	return stored, true, nil
}

// missingChecks lists the expected checks that have no result yet.
func missingChecks(v *storage.Verification, results []storage.CheckResult) []string {
	have := make(map[string]bool, len(results))
	for _, r := range results {
		have[r.Check] = true
	}
	var missing []string
	for _, c := range v.Checks {
		if !have[c] {
			missing = append(missing, c)
		}
	}
	return missing
}

// Occupancy records an approved verification on its account: the account
// becomes verified, and the sealed descriptor of its approved selfie is kept
// for later "view holder" requests on its document.
func (h *Handlers) Occupancy(ctx context.Context, t *asynq.Task) error {
	_, v, err := h.load(ctx, t)
	if err != nil {
		return err
	}
	d, err := h.d.State.GetDecision(ctx, v.ID)
	if err != nil {
		// Enqueued only after the decision is stored; a missing one is a
		// store failure worth retrying.
		return fmt.Errorf("occupancy before decision of %s: %w", v.ID, err)
	}
	if d.Outcome != storage.Approved {
		return nil
	}
	var face []byte
	results, err := h.d.State.CheckResults(ctx, v.ID)
	if err != nil {
		return err
	}
	for _, r := range results {
		if r.Check == tasks.CheckFaceMatch {
			face = r.Sealed
		}
	}
	if err := h.d.State.MarkAccountVerified(ctx, v.AccountID, v.ID, face, h.d.Now()); err != nil {
		return err
	}
	if err := h.rememberFace(ctx, v, results); err != nil {
		return err
	}
	h.d.Log.InfoContext(ctx, "account verified", "verification_id", v.ID)
	return nil
}
