package api

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"time"

	"github.com/kycq/kycq/kyc"
	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
	"github.com/kycq/kycq/tasks"
)

// The "view holder" flow (rules §6): a verification ended as
// doc_already_used; its account asks to see which account holds the
// document. It uploads a fresh selfie, which a worker matches against the
// holder's verified face; only on a match is the holder shown, masked. The
// user then answers "mine" (scenario B: its contacts move to the holder and
// this account is frozen — or, when the holder account is still accessible,
// nothing moves: the user logs in there) or "not_mine" (a support case for
// suspected identity misuse).

// HolderCheckRequest is the body of POST /v1/verifications/{id}/holder-checks.
type HolderCheckRequest struct {
	Selfie UploadSpec `json:"selfie"`
}

// HolderAnswerRequest is the body of POST /v1/holder-checks/{id}/answer.
type HolderAnswerRequest struct {
	Answer string `json:"answer"` // "mine" or "not_mine"
	// HolderAccessible: with "mine", the user can still log in to the
	// holding account (scenario A): nothing moves.
	HolderAccessible bool `json:"holder_accessible,omitempty"`
	// Proofs the calling service attests for the scenario-B migration (a
	// code sent to the contacts being moved).
	Proofs storage.Proofs `json:"proofs"`
}

// HolderCheckView is a holder check as the API shows it.
type HolderCheckView struct {
	ID             string                   `json:"id"`
	VerificationID string                   `json:"verification_id"`
	State          storage.HolderCheckState `json:"state"`
	Holder         *kyc.HolderView          `json:"holder,omitempty"` // only after a match
	Answer         string                   `json:"answer,omitempty"`
	// Reasons say why a mismatch did not match, with remedies.
	Reasons     []reason.Detail `json:"reasons,omitempty"`
	MigrationID string          `json:"migration_id,omitempty"`
	CaseID      string          `json:"case_id,omitempty"`
	Upload      *UploadURL      `json:"upload,omitempty"` // on creation
	CreatedAt   time.Time       `json:"created_at"`
}

// AnswerMineAccessible is stored as the answer of scenario A.
const AnswerMineAccessible = kyc.AnswerMineAccessible

var holderIDRE = regexp.MustCompile(`^h_[a-z2-7]{26}$`)

func (s *Server) createHolderCheck(w http.ResponseWriter, r *http.Request) {
	v := s.lookup(w, r)
	if v == nil {
		return
	}
	var req HolderCheckRequest
	if err := s.decode(r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	ctx := r.Context()
	d, err := s.cfg.State.GetDecision(ctx, v.ID)
	if err != nil && !errors.Is(err, storage.ErrNotFound) {
		s.fail(w, r, err)
		return
	}
	holder, err := s.cfg.State.DocumentHolder(ctx, v.DocKey)
	if err != nil && !errors.Is(err, storage.ErrNotFound) {
		s.fail(w, r, err)
		return
	}
	account, err := s.cfg.State.GetAccount(ctx, v.AccountID)
	if errors.Is(err, storage.ErrNotFound) {
		account, err = nil, nil
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := kyc.CanViewHolder(v, d, holder, v.AccountID, account); err != nil {
		s.fail(w, r, &Error{Code: "holder_not_viewable", Message: userMessage(err), status: http.StatusConflict})
		return
	}
	spec := req.Selfie
	if err := s.checkUpload(storage.SlotSelfie, "selfie", spec); err != nil {
		s.fail(w, r, err)
		return
	}
	ikey, err := idempotencyKey(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	now := s.cfg.Now().UTC()
	id := newPrefixedID("h_", v.ID, ikey)
	hc, created, err := s.cfg.State.CreateHolderCheckWithin(ctx, &storage.HolderCheck{
		ID: id, VerificationID: v.ID, AccountID: v.AccountID, HolderAccount: holder.AccountID,
		SelfieKey: storage.HolderPrefix + id + "/selfie", SelfieType: spec.ContentType, State: storage.HolderCheckPending,
		CreatedAt: now, UpdatedAt: now,
	}, s.holderLimit(now))
	if errors.Is(err, storage.ErrLimit) {
		err = s.attemptsExceeded(ctx, v, holder.AccountID, now)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if created {
		s.observeHolder(HolderAttemptCreated)
	}
	// A retry with the same Idempotency-Key: refuse another selfie type
	// under the key, and hand out no upload URL once the face match ran
	// (it would let the client replace the selfie that was matched).
	if hc.SelfieType != spec.ContentType {
		s.fail(w, r, &Error{Code: "idempotency_conflict", Message: "this Idempotency-Key was used for another request", status: http.StatusConflict})
		return
	}
	if hc.State != storage.HolderCheckPending {
		writeJSON(w, http.StatusOK, holderView(hc))
		return
	}
	url, headers, err := s.cfg.Blobs.PresignPut(ctx, hc.SelfieKey, hc.SelfieType, spec.Size, s.cfg.Limits.URLTTL)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	view := holderView(hc)
	view.Upload = &UploadURL{Method: http.MethodPut, URL: url, Headers: headers, ExpiresAt: now.Add(s.cfg.Limits.URLTTL)}
	s.log.InfoContext(ctx, "holder check created", "holder_check_id", hc.ID, "verification_id", v.ID)
	writeJSON(w, http.StatusCreated, view)
}

func (s *Server) lookupHolderCheck(w http.ResponseWriter, r *http.Request) *storage.HolderCheck {
	id := r.PathValue("id")
	if !holderIDRE.MatchString(id) {
		s.fail(w, r, &Error{Code: "invalid_id", Message: "not a holder check id", status: http.StatusBadRequest})
		return nil
	}
	hc, err := s.cfg.State.GetHolderCheck(r.Context(), id)
	if errors.Is(err, storage.ErrNotFound) {
		s.fail(w, r, &Error{Code: "not_found", Message: "no such holder check", status: http.StatusNotFound})
		return nil
	}
	if err != nil {
		s.fail(w, r, err)
		return nil
	}
	return hc
}

func (s *Server) submitHolderCheck(w http.ResponseWriter, r *http.Request) {
	hc := s.lookupHolderCheck(w, r)
	if hc == nil {
		return
	}
	if err := s.startHolderCheck(r.Context(), hc); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusAccepted, holderView(hc))
}

// startHolderCheck enqueues the face match of a pending holder check once
// its selfie is uploaded (idempotent).
func (s *Server) startHolderCheck(ctx context.Context, hc *storage.HolderCheck) error {
	if hc.State != storage.HolderCheckPending {
		return nil
	}
	if _, err := s.cfg.Blobs.Head(ctx, hc.SelfieKey); errors.Is(err, storage.ErrNotFound) {
		return &Error{Code: "upload_missing", Message: "upload the selfie before submitting", Missing: []string{"selfie"}, status: http.StatusConflict}
	} else if err != nil {
		return err
	}
	t, err := tasks.NewHolderCheck(hc.ID)
	if err != nil {
		return err
	}
	return s.enqueue(ctx, t)
}

func (s *Server) getHolderCheck(w http.ResponseWriter, r *http.Request) {
	hc := s.lookupHolderCheck(w, r)
	if hc == nil {
		return
	}
	view := holderView(hc)
	if hc.State == storage.HolderCheckMatched || hc.State == storage.HolderCheckResolved {
		contacts, err := s.cfg.State.Contacts(r.Context(), hc.HolderAccount)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if hv, err := kyc.RevealHolder(*hc, contacts); err == nil {
			view.Holder = &hv
		}
	}
	writeJSON(w, http.StatusOK, view)
}

func (s *Server) answerHolderCheck(w http.ResponseWriter, r *http.Request) {
	hc := s.lookupHolderCheck(w, r)
	if hc == nil {
		return
	}
	var req HolderAnswerRequest
	if err := s.decode(r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	ctx := r.Context()
	now := s.cfg.Now().UTC()
	if req.Answer == kyc.AnswerMine && req.HolderAccessible {
		// Scenario A: the user logs in to the holding account; nothing moves.
		s.resolveHolder(w, r, hc, kyc.HolderResolution{Answer: AnswerMineAccessible})
		return
	}
	if hc.State == storage.HolderCheckResolved && hc.Answer == AnswerMineAccessible {
		s.fail(w, r, &Error{Code: "already_answered", Message: "this holder check was answered already", status: http.StatusConflict})
		return
	}
	if hc.State == storage.HolderCheckResolved && hc.Answer == req.Answer && hc.MigrationID != "" {
		// Answered before. Once its migration exists, the contacts may
		// have moved already, so the answer is not worked out again: the
		// migration is only nudged along in case its task was lost.
		m, err := s.cfg.State.GetMigration(ctx, hc.MigrationID)
		switch {
		case err == nil:
			if e := migrationEnded(m, hc); e != nil {
				// Answering again does not restart a refused migration:
				// say why it ended and what to do instead.
				s.fail(w, r, e)
				return
			}
			if err := s.advanceMigration(ctx, m); err != nil {
				s.fail(w, r, err)
				return
			}
			writeJSON(w, http.StatusOK, holderView(hc))
			return
		case !errors.Is(err, storage.ErrNotFound):
			s.fail(w, r, err)
			return
		}
		// Resolved but the migration was never stored (a crash between
		// the two steps): work it out again below.
	}
	contacts, err := s.cfg.State.Contacts(ctx, hc.AccountID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	res, err := kyc.ResolveHolder(*hc, req.Answer, req.Proofs, contacts, now)
	switch {
	case errors.Is(err, kyc.ErrHolderNotMatched):
		s.fail(w, r, &Error{Code: "holder_not_matched", Message: "the fresh selfie has not matched the holder", status: http.StatusConflict})
		return
	case errors.Is(err, kyc.ErrHolderAnswered):
		s.fail(w, r, &Error{Code: "already_answered", Message: "this holder check was answered differently", status: http.StatusConflict})
		return
	case err != nil:
		s.fail(w, r, badRequest("invalid_answer", "%s", userMessage(err)))
		return
	}
	s.resolveHolder(w, r, hc, res)
}

// resolveHolder records the answer first (the scenario-B migration checks
// it), then starts what it leads to. Both steps are idempotent, so a client
// retrying after a failure completes a half-done answer.
func (s *Server) resolveHolder(w http.ResponseWriter, r *http.Request, hc *storage.HolderCheck, res kyc.HolderResolution) {
	ctx := r.Context()
	var migrationID, caseID string
	if res.Migration != nil {
		migrationID = res.Migration.ID
	}
	if res.Case != nil {
		caseID = res.Case.ID
	}
	stored, err := s.cfg.State.ResolveHolderCheck(ctx, hc.ID, res.Answer, migrationID, caseID, s.cfg.Now().UTC())
	if errors.Is(err, storage.ErrConflict) {
		s.fail(w, r, &Error{Code: "holder_not_matched", Message: "the holder check is not matched, or was answered differently", status: http.StatusConflict})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if stored.Answer != res.Answer {
		s.fail(w, r, &Error{Code: "already_answered", Message: "this holder check was answered differently", status: http.StatusConflict})
		return
	}
	if res.Case != nil {
		// The case first: a scenario-B migration waits for its review
		// case, so it must never be stored without one.
		if err := s.cfg.State.OpenCase(ctx, *res.Case); err != nil {
			s.fail(w, r, err)
			return
		}
		s.log.InfoContext(ctx, "support case opened", "case_id", res.Case.ID, "kind", res.Case.Kind)
	}
	if res.Migration != nil {
		if _, err := s.startMigration(ctx, res.Migration); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	writeJSON(w, http.StatusOK, holderView(stored))
}

func holderView(hc *storage.HolderCheck) HolderCheckView {
	v := HolderCheckView{ID: hc.ID, VerificationID: hc.VerificationID, State: hc.State, Answer: hc.Answer,
		MigrationID: hc.MigrationID, CaseID: hc.CaseID, CreatedAt: hc.CreatedAt}
	if hc.State == storage.HolderCheckMismatch && len(hc.Reasons) > 0 {
		v.Reasons = reason.Details(hc.Reasons)
	}
	return v
}
