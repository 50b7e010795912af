package api

import (
	"context"
	"errors"
	"net/http"

	"github.com/kycq/kycq/kyc"
	"github.com/kycq/kycq/storage"
)

// The early occupancy answer (rules §6): before anything is uploaded, say
// whether the document the applicant typed is already held, so that the
// app can offer "view the verified account" at once. It is a hint: the
// final word stays with the decision, which compares the number read from
// the document. The holder is never named here; the holder-check flow
// shows it, masked, after a face match.

// OccupancyView is the early answer.
type OccupancyView struct {
	// Claimed: the typed document verifies some account.
	Claimed bool `json:"claimed"`
	// ClaimedByThisAccount: the account asking holds it.
	ClaimedByThisAccount bool `json:"claimed_by_this_account"`
}

// OccupancyCheckRequest is the body of POST /v1/occupancy-checks.
type OccupancyCheckRequest struct {
	AccountID      string `json:"account_id"`
	IssuingCountry string `json:"issuing_country"`
	IDType         string `json:"id_type"`
	IDNumber       string `json:"id_number"`
}

// occupancy answers for a document key and the asking account.
func (s *Server) occupancy(ctx context.Context, docKey, accountID string) (*OccupancyView, error) {
	c, err := s.cfg.State.DocumentHolder(ctx, docKey)
	if errors.Is(err, storage.ErrNotFound) {
		return &OccupancyView{}, nil
	}
	if err != nil {
		return nil, err
	}
	return &OccupancyView{Claimed: true, ClaimedByThisAccount: c.AccountID == accountID}, nil
}

// occupancyCheck serves POST /v1/occupancy-checks. It changes nothing.
func (s *Server) occupancyCheck(w http.ResponseWriter, r *http.Request) {
	var req OccupancyCheckRequest
	if err := s.decode(r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	if !accountRE.MatchString(req.AccountID) {
		s.fail(w, r, fieldError("account_id", "must be 1 to 64 letters, digits, '_' or '-'"))
		return
	}
	if !countryRE.MatchString(req.IssuingCountry) {
		s.fail(w, r, fieldError("issuing_country", "must be an ISO 3166-1 alpha-2 code such as \"CN\""))
		return
	}
	if _, ok := kyc.LookupIDType(req.IDType); !ok {
		s.fail(w, r, fieldError("id_type", "unknown document type (see GET /v1/id-types)"))
		return
	}
	if !idNumberRE.MatchString(req.IDNumber) {
		s.fail(w, r, fieldError("id_number", "1 to 40 letters, digits, spaces, '-' or '<'"))
		return
	}
	canonical, err := kyc.NormaliseDocument(req.IssuingCountry, req.IDType, req.IDNumber)
	if err != nil {
		s.fail(w, r, fieldError("id_number", "is not a valid document number for this document type"))
		return
	}
	v, err := s.occupancy(r.Context(), s.cfg.Keys.Hash(kyc.DocumentHashDomain, canonical), req.AccountID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}
