package review

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hibiken/asynq"
	"github.com/kycq/kycq/kyc"
	"github.com/kycq/kycq/storage"
	"github.com/kycq/kycq/tasks"
)

// Cases lists support cases.
func (s *Service) Cases(ctx context.Context, sess *Session, f storage.CaseFilter) ([]storage.SupportCase, error) {
	if err := require(sess, PermRead); err != nil {
		return nil, err
	}
	switch f.State {
	case "", storage.CaseOpen, storage.CaseInProgress, storage.CaseResolved, storage.CaseDismissed:
	default:
		return nil, invalid("unknown case state %q", f.State)
	}
	return s.State.ListCases(ctx, f)
}

// CaseDetail is a support case with its notes and audit trail.
type CaseDetail struct {
	Case  storage.SupportCase
	Notes []storage.CaseNote
	Texts []string // the notes' texts, opened, in order
	Audit []storage.AuditEntry
	Staff map[string]string
}

// SupportCase returns a case with its notes and audit trail, audited as a
// view.
func (s *Service) SupportCase(ctx context.Context, sess *Session, id string) (*CaseDetail, error) {
	if err := require(sess, PermRead); err != nil {
		return nil, err
	}
	c, err := s.State.GetCase(ctx, id)
	if err != nil {
		return nil, err
	}
	cd := &CaseDetail{Case: c, Staff: map[string]string{}}
	if cd.Notes, err = s.State.CaseNotes(ctx, id); err != nil {
		return nil, err
	}
	for _, n := range cd.Notes {
		text := "(a note that cannot be opened)"
		if b, err := s.Keys.Open(n.NoteSealed, noteContext(id)); err == nil {
			text = string(b)
		}
		cd.Texts = append(cd.Texts, text)
	}
	if err := s.State.Audit(ctx, storage.AuditEntry{At: s.now(), StaffID: sess.Staff.ID, Action: "case.view",
		Subject: "case:" + id}); err != nil {
		return nil, err
	}
	if cd.Audit, err = s.State.AuditTrail(ctx, "case:"+id); err != nil {
		return nil, err
	}
	s.names(ctx, cd.Staff, cd.Audit)
	for _, n := range cd.Notes {
		s.names(ctx, cd.Staff, []storage.AuditEntry{{StaffID: n.StaffID}})
	}
	return cd, nil
}

// MoveCase moves a case to another state (open → in_progress → resolved
// | dismissed; in_progress → open gives it back) and makes the session's
// staff user its owner.
func (s *Service) MoveCase(ctx context.Context, sess *Session, id string, to storage.CaseState) (storage.SupportCase, error) {
	if err := require(sess, PermSupport); err != nil {
		return storage.SupportCase{}, err
	}
	c, err := s.State.GetCase(ctx, id)
	if err != nil {
		return storage.SupportCase{}, err
	}
	if c.State == to {
		// Repeating the move heals one whose migration task was lost.
		return c, s.reviewedMigration(ctx, c)
	}
	if !storage.CaseTransitionAllowed(c.State, to) {
		return storage.SupportCase{}, invalid("a case that is %s cannot become %s", c.State, to)
	}
	c, err = s.State.TransitionCase(ctx, id, c.State, to, sess.Staff.ID, s.now())
	if err != nil {
		return c, err
	}
	s.Log.InfoContext(ctx, "support case moved", "case_id", id, "state", to, "staff_id", sess.Staff.ID)
	return c, s.reviewedMigration(ctx, c)
}

// reviewedMigration sets off the scenario-B migration of an
// occupancy_migration case that support has just resolved (approved: the
// migration task validates and executes it) or dismissed (the task refuses
// it with migration_review_dismissed). Other cases set off nothing.
func (s *Service) reviewedMigration(ctx context.Context, c storage.SupportCase) error {
	if c.Kind != storage.CaseOccupancyMigration || !c.State.Final() {
		return nil
	}
	hcID, ok := kyc.HolderCheckOfCase(c.ID)
	if !ok {
		return nil
	}
	t, err := tasks.NewMigration(kyc.OccupancyMigrationID(hcID))
	if err != nil {
		return err
	}
	if _, err := s.Enqueuer.EnqueueContext(ctx, t); err != nil &&
		!errors.Is(err, asynq.ErrTaskIDConflict) && !errors.Is(err, asynq.ErrDuplicateTask) {
		return fmt.Errorf("enqueue the reviewed migration (move the case again to retry): %w", err)
	}
	return nil
}

// AddNote adds a note to a case, sealed at rest.
func (s *Service) AddNote(ctx context.Context, sess *Session, id, text string) error {
	if err := require(sess, PermSupport); err != nil {
		return err
	}
	text = strings.TrimSpace(text)
	if text == "" || len(text) > MaxNote {
		return invalid("a note has 1 to %d bytes", MaxNote)
	}
	return s.State.AddCaseNote(ctx, storage.CaseNote{CaseID: id, StaffID: sess.Staff.ID,
		NoteSealed: s.Keys.Seal([]byte(text), noteContext(id)), At: s.now()})
}

// ReleaseDocument is the action of an identity-misuse case in progress
// (storage.Review.ReleaseDocument): the holder account's claim on the
// document is released and its KYC verification withdrawn, and the
// reporter's verification, refused with doc_already_used, returns to the
// review queue where a reviewer can now approve it.
func (s *Service) ReleaseDocument(ctx context.Context, sess *Session, caseID string) error {
	if err := require(sess, PermSupport); err != nil {
		return err
	}
	if err := s.State.ReleaseDocument(ctx, caseID, sess.Staff.ID, s.now()); err != nil {
		return err
	}
	s.Log.InfoContext(ctx, "document released", "case_id", caseID, "staff_id", sess.Staff.ID)
	return nil
}

// ReopenAppeal is the action of an appeal case in progress
// (storage.Review.ReopenAppeal): the appealed verification returns to the
// review queue, where a reviewer re-decides it with Decide: an approval
// settles it like any approval, a rejection upholds the first decision.
func (s *Service) ReopenAppeal(ctx context.Context, sess *Session, caseID string) error {
	if err := require(sess, PermSupport); err != nil {
		return err
	}
	if err := s.State.ReopenAppeal(ctx, caseID, sess.Staff.ID, s.now()); err != nil {
		return err
	}
	s.Log.InfoContext(ctx, "appeal reopened for review", "case_id", caseID, "staff_id", sess.Staff.ID)
	return nil
}
