package storage

import (
	"context"
	"time"
)

// The Review methods of observedState (see ObserveState). ReviewWaiting
// is passed through unobserved: the metrics scrape counts its own failures
// (op "review_waiting").

func (o observedState) CreateStaff(ctx context.Context, s *Staff) (err error) {
	err = o.State.CreateStaff(ctx, s)
	o.observe("create_staff", err)
	return err
}

func (o observedState) GetStaff(ctx context.Context, id string) (r0 *Staff, err error) {
	r0, err = o.State.GetStaff(ctx, id)
	o.observe("get_staff", err)
	return r0, err
}

func (o observedState) StaffByUsername(ctx context.Context, username string) (r0 *Staff, err error) {
	r0, err = o.State.StaffByUsername(ctx, username)
	o.observe("staff_by_username", err)
	return r0, err
}

func (o observedState) ListStaff(ctx context.Context) (r0 []*Staff, err error) {
	r0, err = o.State.ListStaff(ctx)
	o.observe("list_staff", err)
	return r0, err
}

func (o observedState) SetStaffDisabled(ctx context.Context, id string, disabled bool, actor string, at time.Time) (err error) {
	err = o.State.SetStaffDisabled(ctx, id, disabled, actor, at)
	o.observe("set_staff_disabled", err)
	return err
}

func (o observedState) CreateSession(ctx context.Context, s StaffSession) (err error) {
	err = o.State.CreateSession(ctx, s)
	o.observe("create_session", err)
	return err
}

func (o observedState) GetSession(ctx context.Context, tokenHash string, t time.Time) (r0 StaffSession, err error) {
	r0, err = o.State.GetSession(ctx, tokenHash, t)
	o.observe("get_session", err)
	return r0, err
}

func (o observedState) DeleteSession(ctx context.Context, tokenHash string) (err error) {
	err = o.State.DeleteSession(ctx, tokenHash)
	o.observe("delete_session", err)
	return err
}

func (o observedState) ReviewQueue(ctx context.Context, f ReviewFilter) (r0 []*ReviewItem, err error) {
	r0, err = o.State.ReviewQueue(ctx, f)
	o.observe("review_queue", err)
	return r0, err
}

func (o observedState) ReviewWaiting(ctx context.Context) (int, time.Time, error) {
	return o.State.ReviewWaiting(ctx)
}

func (o observedState) GetReviewItem(ctx context.Context, id string) (r0 *ReviewItem, err error) {
	r0, err = o.State.GetReviewItem(ctx, id)
	o.observe("get_review_item", err)
	return r0, err
}

func (o observedState) ClaimReview(ctx context.Context, id, staffID string, at time.Time, lease time.Duration) (r0 *ReviewItem, err error) {
	r0, err = o.State.ClaimReview(ctx, id, staffID, at, lease)
	o.observe("claim_review", err)
	return r0, err
}

func (o observedState) ReleaseReview(ctx context.Context, id, staffID string, at time.Time) (err error) {
	err = o.State.ReleaseReview(ctx, id, staffID, at)
	o.observe("release_review", err)
	return err
}

func (o observedState) ApproveFirst(ctx context.Context, id, staffID string, at time.Time) (r0 *ReviewItem, err error) {
	r0, err = o.State.ApproveFirst(ctx, id, staffID, at)
	o.observe("approve_first", err)
	return r0, err
}

func (o observedState) FinishReview(ctx context.Context, d ReviewDecision) (r0 Decision, err error) {
	r0, err = o.State.FinishReview(ctx, d)
	o.observe("finish_review", err)
	return r0, err
}

func (o observedState) GetReviewDecision(ctx context.Context, id string) (r0 ReviewDecision, err error) {
	r0, err = o.State.GetReviewDecision(ctx, id)
	o.observe("get_review_decision", err)
	return r0, err
}

func (o observedState) AccountVerifications(ctx context.Context, accountID string, limit int) (r0 []*Verification, err error) {
	r0, err = o.State.AccountVerifications(ctx, accountID, limit)
	o.observe("account_verifications", err)
	return r0, err
}

func (o observedState) ListCases(ctx context.Context, f CaseFilter) (r0 []SupportCase, err error) {
	r0, err = o.State.ListCases(ctx, f)
	o.observe("list_cases", err)
	return r0, err
}

func (o observedState) TransitionCase(ctx context.Context, id string, from, to CaseState, staffID string, at time.Time) (r0 SupportCase, err error) {
	r0, err = o.State.TransitionCase(ctx, id, from, to, staffID, at)
	o.observe("transition_case", err)
	return r0, err
}

func (o observedState) AddCaseNote(ctx context.Context, n CaseNote) (err error) {
	err = o.State.AddCaseNote(ctx, n)
	o.observe("add_case_note", err)
	return err
}

func (o observedState) CaseNotes(ctx context.Context, id string) (r0 []CaseNote, err error) {
	r0, err = o.State.CaseNotes(ctx, id)
	o.observe("case_notes", err)
	return r0, err
}

func (o observedState) Audit(ctx context.Context, e AuditEntry) (err error) {
	err = o.State.Audit(ctx, e)
	o.observe("audit", err)
	return err
}

func (o observedState) AuditTrail(ctx context.Context, subject string) (r0 []AuditEntry, err error) {
	r0, err = o.State.AuditTrail(ctx, subject)
	o.observe("audit_trail", err)
	return r0, err
}

func (o observedState) ReleaseDocument(ctx context.Context, caseID, staffID string, at time.Time) (err error) {
	err = o.State.ReleaseDocument(ctx, caseID, staffID, at)
	o.observe("release_document", err)
	return err
}

func (o observedState) ReopenAppeal(ctx context.Context, caseID, staffID string, at time.Time) (err error) {
	err = o.State.ReopenAppeal(ctx, caseID, staffID, at)
	o.observe("reopen_appeal", err)
	return err
}
