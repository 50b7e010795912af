package api

import (
	"errors"
	"net/http"
	"time"

	"github.com/kycq/kycq/storage"
)

// AppealResponse answers POST /v1/verifications/{id}/appeals.
type AppealResponse struct {
	CaseID    string            `json:"case_id"`
	State     storage.CaseState `json:"state"`
	CreatedAt time.Time         `json:"created_at"`
}

// appealCaseID is the one appeal case of a verification: appealing again
// finds it.
func appealCaseID(verificationID string) string { return "case_appeal_" + verificationID }

// appeal opens a support case of kind appeal for a rejected verification,
// on the applicant's behalf (the exchange's backend calls it with the API
// token). One verification has at most one appeal.
func (s *Server) appeal(w http.ResponseWriter, r *http.Request) {
	v := s.lookup(w, r)
	if v == nil {
		return
	}
	d, err := s.cfg.State.GetDecision(r.Context(), v.ID)
	if err != nil && !errors.Is(err, storage.ErrNotFound) {
		s.fail(w, r, err)
		return
	}
	if err != nil || d.Outcome != storage.Rejected {
		s.fail(w, r, &Error{Code: "not_appealable", Message: "only a rejected verification can be appealed", status: http.StatusConflict})
		return
	}
	id := appealCaseID(v.ID)
	if err := s.cfg.State.OpenCase(r.Context(), storage.SupportCase{ID: id, Kind: storage.CaseAppeal, AccountID: v.AccountID,
		VerificationID: v.ID, CreatedAt: s.cfg.Now().UTC()}); err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.cfg.State.GetCase(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.log.InfoContext(r.Context(), "appeal opened", "verification_id", v.ID, "case_id", id)
	writeJSON(w, http.StatusCreated, AppealResponse{CaseID: c.ID, State: c.State, CreatedAt: c.CreatedAt})
}
