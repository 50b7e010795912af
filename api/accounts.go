package api

import (
	"errors"
	"net/http"
	"sort"
	"time"

	"github.com/kycq/kycq/kyc"
	"github.com/kycq/kycq/storage"
)

// ContactRequest is the body of POST /v1/accounts/{account}/contacts: the
// exchange tells kycq which email or phone an account uses, so that kycq
// can keep each contact bound to one account (rules §7) and move it in a
// migration. The value is hashed with the server secret and kept only as
// the hash and a masked display form.
type ContactRequest struct {
	Kind  storage.ContactKind `json:"kind"` // "email" or "phone"
	Value string              `json:"value"`
}

// ContactView is a bound contact as the API shows it: masked. BoundAt is
// left out where it does not apply (the contacts a migration moves).
type ContactView struct {
	Kind    storage.ContactKind `json:"kind"`
	Masked  string              `json:"masked"`
	BoundAt time.Time           `json:"bound_at,omitzero"`
}

// AccountResponse is the answer to GET /v1/accounts/{account}.
type AccountResponse struct {
	ID             string                `json:"id"`
	Status         storage.AccountStatus `json:"status"`
	KYCVerified    bool                  `json:"kyc_verified"`
	VerificationID string                `json:"verification_id,omitempty"`
	Contacts       []ContactView         `json:"contacts"`
	// Holdings is null while the account's holdings were never reported:
	// unknown, which is not empty (a migration from it is refused).
	Holdings *HoldingsView `json:"holdings"`
}

// HoldingsView is what an account holds, as the API shows it: the fields
// of HoldingsRequest.
type HoldingsView struct {
	Assets             bool `json:"assets"`
	PendingWithdrawals bool `json:"pending_withdrawals"`
	OpenOrders         bool `json:"open_orders"`
}

func holdingsView(h storage.Holdings) HoldingsView {
	return HoldingsView{Assets: h.Assets, PendingWithdrawals: h.PendingWithdrawals, OpenOrders: h.OpenOrders}
}

// HoldingsRequest is the body of PUT /v1/accounts/{account}/holdings: what
// the account holds on the exchange, for the store-backed account state
// that migrations ask (an exchange may plug in its own instead).
type HoldingsRequest struct {
	Assets             *bool `json:"assets"`
	PendingWithdrawals *bool `json:"pending_withdrawals"`
	OpenOrders         *bool `json:"open_orders"`
}

// contactKey normalises a contact and returns its keyed hash and masked
// form.
func (s *Server) contactKey(kind storage.ContactKind, value string) (hash, masked string, err error) {
	if kind != storage.ContactEmail && kind != storage.ContactPhone {
		return "", "", fieldError("kind", `must be "email" or "phone"`)
	}
	if len(value) > 320 {
		return "", "", fieldError("value", "is longer than 320 characters")
	}
	canonical, err := kyc.NormaliseContact(kind, value)
	if err != nil {
		return "", "", fieldError("value", "is not a valid "+string(kind))
	}
	masked, err = kyc.MaskContact(kind, canonical)
	if err != nil {
		return "", "", fieldError("value", "is not a valid "+string(kind))
	}
	return s.cfg.Keys.Hash(kyc.ContactHashDomain, canonical), masked, nil
}

func (s *Server) accountParam(w http.ResponseWriter, r *http.Request) (string, bool) {
	id := r.PathValue("account")
	if !accountRE.MatchString(id) {
		s.fail(w, r, &Error{Code: "invalid_id", Message: "not an account id (1 to 64 letters, digits, '_' or '-')", status: http.StatusBadRequest})
		return "", false
	}
	return id, true
}

func (s *Server) bindContact(w http.ResponseWriter, r *http.Request) {
	account, ok := s.accountParam(w, r)
	if !ok {
		return
	}
	var req ContactRequest
	if err := s.decode(r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	hash, masked, err := s.contactKey(req.Kind, req.Value)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	inactive := &Error{Code: "account_inactive", Message: "the account is frozen or closed", status: http.StatusConflict}
	if a, err := s.cfg.State.GetAccount(r.Context(), account); err == nil && a.Status != storage.AccountActive {
		s.fail(w, r, inactive)
		return
	} else if err != nil && !errors.Is(err, storage.ErrNotFound) {
		s.fail(w, r, err)
		return
	}
	inUse := &Error{Code: "contact_in_use", Message: "this " + string(req.Kind) + " is bound to another account", status: http.StatusConflict}
	// Refuse a contact held elsewhere before BindContact, which would
	// bring the requesting account into being: a refusal changes nothing.
	// BindContact still decides a race.
	if held, err := s.cfg.State.ContactHolder(r.Context(), req.Kind, hash); err == nil && held.AccountID != account {
		s.fail(w, r, inUse)
		return
	} else if err != nil && !errors.Is(err, storage.ErrNotFound) {
		s.fail(w, r, err)
		return
	}
	c, won, err := s.cfg.State.BindContact(r.Context(), storage.Contact{
		Kind: req.Kind, Hash: hash, Masked: masked, AccountID: account, BoundAt: s.cfg.Now().UTC(),
	})
	if errors.Is(err, storage.ErrAccountInactive) {
		err = inactive // frozen or closed meanwhile
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !won {
		// Which account holds it is not said: that is what the holder
		// flow, with its face match, is for.
		s.fail(w, r, inUse)
		return
	}
	writeJSON(w, http.StatusOK, ContactView{Kind: c.Kind, Masked: c.Masked, BoundAt: c.BoundAt})
}

func (s *Server) getAccount(w http.ResponseWriter, r *http.Request) {
	account, ok := s.accountParam(w, r)
	if !ok {
		return
	}
	resp := AccountResponse{ID: account, Status: storage.AccountActive, Contacts: []ContactView{}}
	a, err := s.cfg.State.GetAccount(r.Context(), account)
	switch {
	case err == nil:
		resp.Status, resp.KYCVerified, resp.VerificationID = a.Status, a.KYCVerified, a.VerificationID
	case !errors.Is(err, storage.ErrNotFound):
		s.fail(w, r, err)
		return
	}
	contacts, err := s.cfg.State.Contacts(r.Context(), account)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, c := range contacts {
		resp.Contacts = append(resp.Contacts, ContactView{Kind: c.Kind, Masked: c.Masked, BoundAt: c.BoundAt})
	}
	sort.Slice(resp.Contacts, func(i, j int) bool {
		if resp.Contacts[i].Kind != resp.Contacts[j].Kind {
			return resp.Contacts[i].Kind < resp.Contacts[j].Kind
		}
		return resp.Contacts[i].Masked < resp.Contacts[j].Masked
	})
	h, err := s.cfg.State.GetHoldings(r.Context(), account)
	switch {
	case err == nil:
		hv := holdingsView(h)
		resp.Holdings = &hv
	case !errors.Is(err, storage.ErrNotFound):
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

func (s *Server) putHoldings(w http.ResponseWriter, r *http.Request) {
	account, ok := s.accountParam(w, r)
	if !ok {
		return
	}
	var req HoldingsRequest
	if err := s.decode(r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	if req.Assets == nil || req.PendingWithdrawals == nil || req.OpenOrders == nil {
		s.fail(w, r, badRequest("invalid_field", "assets, pending_withdrawals and open_orders are all required"))
		return
	}
	h := storage.Holdings{Assets: *req.Assets, PendingWithdrawals: *req.PendingWithdrawals, OpenOrders: *req.OpenOrders}
	if err := s.cfg.State.SetHoldings(r.Context(), account, h, s.cfg.Now().UTC()); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, holdingsView(h))
}

// idTypes lists the document types and the rules attached to each.
func (s *Server) idTypes(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"id_types": kyc.IDTypes()})
}
