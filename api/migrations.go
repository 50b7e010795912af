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

// MigrationRequest is the body of POST /v1/migrations: move one email or
// phone number from a duplicate, non-KYC account (source) to the user's
// main account (target), once and irreversibly; the source is closed
// (rules §7). The calling service attests the proofs it collected.
type MigrationRequest struct {
	SourceAccount string         `json:"source_account"`
	TargetAccount string         `json:"target_account"`
	Contact       ContactRequest `json:"contact"`
	Proofs        storage.Proofs `json:"proofs"`
}

// MigrationView is a migration as the API shows it: contacts masked, the
// refusal with its remedy, and the audit trail.
type MigrationView struct {
	ID            string                 `json:"id"`
	Kind          storage.MigrationKind  `json:"kind"`
	State         storage.MigrationState `json:"state"`
	SourceAccount string                 `json:"source_account"`
	TargetAccount string                 `json:"target_account"`
	Contacts      []ContactView          `json:"contacts"`
	Refusal       *reason.Detail         `json:"refusal,omitempty"`
	Error         string                 `json:"error,omitempty"`
	CreatedAt     time.Time              `json:"created_at"`
	UpdatedAt     time.Time              `json:"updated_at"`
	Events        []MigrationEventView   `json:"events"`
	// Changes is the contact trail of a completed migration: each contact
	// moved, replaced on the target or released from the closed source,
	// masked.
	Changes []ContactChangeView `json:"changes"`
}

// ContactChangeView is one entry of a migration's contact trail.
type ContactChangeView struct {
	Change storage.ContactChangeKind `json:"change"` // moved, replaced or released
	Kind   storage.ContactKind       `json:"kind"`
	Masked string                    `json:"masked"`
	At     time.Time                 `json:"at"`
}

// MigrationEventView is one audited step.
type MigrationEventView struct {
	From   storage.MigrationState `json:"from,omitempty"`
	To     storage.MigrationState `json:"to"`
	Detail string                 `json:"detail,omitempty"`
	At     time.Time              `json:"at"`
}

var migrationIDRE = regexp.MustCompile(`^m_[a-z0-9_]{6,60}$`)

func (s *Server) createMigration(w http.ResponseWriter, r *http.Request) {
	var req MigrationRequest
	if err := s.decode(r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	for field, v := range map[string]string{"source_account": req.SourceAccount, "target_account": req.TargetAccount} {
		if !accountRE.MatchString(v) {
			s.fail(w, r, fieldError(field, "must be 1 to 64 letters, digits, '_' or '-'"))
			return
		}
	}
	hash, masked, err := s.contactKey(req.Contact.Kind, req.Contact.Value)
	if err != nil {
		if e, ok := err.(*Error); ok {
			e.Field = "contact." + e.Field
		}
		s.fail(w, r, err)
		return
	}
	ikey, err := idempotencyKey(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	now := s.cfg.Now().UTC()
	m := &storage.Migration{
		ID:            newPrefixedID("m_", req.SourceAccount+"\x00"+req.TargetAccount, ikey),
		Kind:          storage.MigrationContact,
		SourceAccount: req.SourceAccount,
		TargetAccount: req.TargetAccount,
		Contacts:      []storage.ContactRef{{Kind: req.Contact.Kind, Hash: hash, Masked: masked}},
		Proofs:        req.Proofs,
		State:         storage.MigrationRequested,
		CreatedAt:     now,
		UpdatedAt:     now,
	}
	if err := kyc.ValidateMigrationRequest(*m); err != nil {
		s.fail(w, r, badRequest("invalid_migration", "%s", userMessage(err)))
		return
	}
	stored, err := s.startMigration(r.Context(), m)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeMigration(w, r, http.StatusAccepted, stored)
}

// startMigration stores a migration (idempotently) and enqueues its task.
// Repeating it heals a previous attempt that stored but did not enqueue.
func (s *Server) startMigration(ctx context.Context, m *storage.Migration) (*storage.Migration, error) {
	stored, created, err := s.cfg.State.CreateMigration(ctx, m)
	if errors.Is(err, storage.ErrConflict) {
		return nil, &Error{Code: "idempotency_conflict", Message: "this Idempotency-Key was used for another migration", status: http.StatusConflict}
	}
	if err != nil {
		return nil, err
	}
	if err := s.advanceMigration(ctx, stored); err != nil {
		return nil, err
	}
	if created {
		s.log.InfoContext(ctx, "migration requested", "migration_id", stored.ID, "kind", stored.Kind)
	}
	return stored, nil
}

// advanceMigration enqueues the task that carries a stored migration on
// until it is final (a no-op when it is, or when the task is queued).
//
// A scenario-B migration started by a holder check is not enqueued while
// its review case is open: the review console enqueues it when support
// resolves or dismisses the case (review.Service.MoveCase). Enqueuing it
// early would spend its task ID on a run that only waits.
func (s *Server) advanceMigration(ctx context.Context, m *storage.Migration) error {
	if m.State.Final() {
		return nil
	}
	if hcID, ok := kyc.HolderCheckOf(m.ID); ok && m.Kind == storage.MigrationOccupancy {
		c, err := s.cfg.State.GetCase(ctx, kyc.MisuseCaseID(hcID))
		switch {
		case errors.Is(err, storage.ErrNotFound):
			return nil
		case err != nil:
			return err
		case !c.State.Final():
			return nil
		}
	}
	t, err := tasks.NewMigration(m.ID)
	if err != nil {
		return err
	}
	return s.enqueue(ctx, t)
}

func (s *Server) getMigration(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !migrationIDRE.MatchString(id) {
		s.fail(w, r, &Error{Code: "invalid_id", Message: "not a migration id", status: http.StatusBadRequest})
		return
	}
	m, err := s.cfg.State.GetMigration(r.Context(), id)
	if errors.Is(err, storage.ErrNotFound) {
		s.fail(w, r, &Error{Code: "not_found", Message: "no such migration", status: http.StatusNotFound})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeMigration(w, r, http.StatusOK, m)
}

func (s *Server) writeMigration(w http.ResponseWriter, r *http.Request, status int, m *storage.Migration) {
	events, err := s.cfg.State.MigrationEvents(r.Context(), m.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := MigrationView{ID: m.ID, Kind: m.Kind, State: m.State, SourceAccount: m.SourceAccount,
		TargetAccount: m.TargetAccount, Contacts: []ContactView{}, Error: m.Error,
		CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt, Events: []MigrationEventView{}}
	for _, c := range m.Contacts {
		v.Contacts = append(v.Contacts, ContactView{Kind: c.Kind, Masked: c.Masked})
	}
	if m.Refusal != "" {
		v.Refusal = refusalDetail(m)
	}
	for _, e := range events {
		v.Events = append(v.Events, MigrationEventView{From: e.From, To: e.To, Detail: e.Detail, At: e.At})
	}
	changes, err := s.cfg.State.ContactChanges(r.Context(), m.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v.Changes = []ContactChangeView{}
	for _, c := range changes {
		v.Changes = append(v.Changes, ContactChangeView{Change: c.Change, Kind: c.Kind, Masked: c.Masked, At: c.At})
	}
	writeJSON(w, status, v)
}
