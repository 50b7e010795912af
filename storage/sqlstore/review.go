package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
	"github.com/kycq/kycq/webhooks"
)

const staffCols = `id, username, role, password_hash, disabled, created_at, updated_at`

func scanStaff(r rowScanner) (*storage.Staff, error) {
	st := &storage.Staff{}
	var role string
	if err := r.Scan(&st.ID, &st.Username, &role, blobCol{&st.PasswordHash}, &st.Disabled,
		tsCol{&st.CreatedAt}, tsCol{&st.UpdatedAt}); err != nil {
		return nil, err
	}
	st.Role = storage.StaffRole(role)
	return st, nil
}

func validRole(r storage.StaffRole) bool { return slices.Contains(storage.Roles, r) }

// CreateStaff stores a staff user; a taken username or ID is ErrConflict.
func (s *Store) CreateStaff(ctx context.Context, st *storage.Staff) error {
	if st == nil || st.ID == "" || strings.TrimSpace(st.Username) == "" || len(st.PasswordHash) == 0 {
		return errors.New("sqlstore: staff needs an ID, a username and a password hash")
	}
	if !validRole(st.Role) {
		return fmt.Errorf("sqlstore: unknown staff role %q", st.Role)
	}
	created := orNow(st.CreatedAt)
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO staff (`+staffCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT DO NOTHING`,
			st.ID, st.Username, string(st.Role), st.PasswordHash, st.Disabled, s.ts(created), s.ts(created))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("staff %s: username or ID taken: %w", st.ID, storage.ErrConflict)
		}
		return s.staffAudit(ctx, tx, storage.AuditEntry{At: created, StaffID: "system", Action: "staff.add",
			Subject: "staff:" + st.ID, After: string(st.Role)})
	})
}

func (s *Store) getStaff(ctx context.Context, q querier, where string, arg any) (*storage.Staff, error) {
	st, err := scanStaff(q.QueryRowContext(ctx, `SELECT `+staffCols+` FROM staff WHERE `+where+` = $1`, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("staff: %w", storage.ErrNotFound)
	}
	return st, s.wrap(err)
}

// GetStaff returns the staff user or ErrNotFound.
func (s *Store) GetStaff(ctx context.Context, id string) (*storage.Staff, error) {
	return s.getStaff(ctx, s.db, "id", id)
}

// StaffByUsername returns the staff user or ErrNotFound.
func (s *Store) StaffByUsername(ctx context.Context, username string) (*storage.Staff, error) {
	return s.getStaff(ctx, s.db, "username", username)
}

// ListStaff lists staff users by username.
func (s *Store) ListStaff(ctx context.Context) ([]*storage.Staff, error) {
	return queryAll(ctx, s, `SELECT `+staffCols+` FROM staff ORDER BY username`, nil, scanStaff)
}

// SetStaffDisabled disables or re-enables a staff user and, on disabling,
// ends their sessions; audited as done by actor.
func (s *Store) SetStaffDisabled(ctx context.Context, id string, disabled bool, actor string, at time.Time) error {
	at = orNow(at)
	return s.tx(ctx, func(tx *sql.Tx) error {
		st, err := s.getStaff(ctx, tx, "id", id)
		if err != nil {
			return err
		}
		if st.Disabled == disabled {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE staff SET disabled = $1, updated_at = $2 WHERE id = $3`,
			disabled, s.ts(at), id); err != nil {
			return err
		}
		if disabled {
			if _, err := tx.ExecContext(ctx, `DELETE FROM staff_sessions WHERE staff_id = $1`, id); err != nil {
				return err
			}
		}
		return s.staffAudit(ctx, tx, storage.AuditEntry{At: at, StaffID: actor, Action: "staff.disable",
			Subject: "staff:" + id, Before: enabledWord(st.Disabled), After: enabledWord(disabled)})
	})
}

func enabledWord(disabled bool) string {
	if disabled {
		return "disabled"
	}
	return "enabled"
}

// CreateSession stores a session of an enabled staff user.
func (s *Store) CreateSession(ctx context.Context, ss storage.StaffSession) error {
	if ss.TokenHash == "" || ss.StaffID == "" || ss.CSRF == "" || ss.ExpiresAt.IsZero() {
		return errors.New("sqlstore: session needs a token hash, a staff ID, a CSRF token and an expiry")
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		st, err := s.getStaff(ctx, tx, "id", ss.StaffID)
		if err != nil {
			return err
		}
		if st.Disabled {
			return fmt.Errorf("staff %s is disabled: %w", st.ID, storage.ErrConflict)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO staff_sessions (token_hash, staff_id, csrf, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5)`, ss.TokenHash, ss.StaffID, ss.CSRF, s.ts(orNow(ss.CreatedAt)), s.ts(ss.ExpiresAt))
		return err
	})
}

// GetSession returns a session that has not expired at t, or ErrNotFound.
func (s *Store) GetSession(ctx context.Context, tokenHash string, t time.Time) (storage.StaffSession, error) {
	var ss storage.StaffSession
	err := s.db.QueryRowContext(ctx, `SELECT token_hash, staff_id, csrf, created_at, expires_at FROM staff_sessions
		WHERE token_hash = $1 AND expires_at > $2`, tokenHash, s.ts(orNow(t))).
		Scan(&ss.TokenHash, &ss.StaffID, &ss.CSRF, tsCol{&ss.CreatedAt}, tsCol{&ss.ExpiresAt})
	if errors.Is(err, sql.ErrNoRows) {
		return storage.StaffSession{}, fmt.Errorf("session: %w", storage.ErrNotFound)
	}
	return ss, s.wrap(err)
}

// DeleteSession ends a session (idempotent).
func (s *Store) DeleteSession(ctx context.Context, tokenHash string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM staff_sessions WHERE token_hash = $1`, tokenHash)
		return err
	})
}

const reviewCols = `verification_id, account_id, country, doc_type, reasons, note, submitted_at, queued_at,
	state, claimed_by, claim_until, first_approver, decided_at`

// reviewColsQ is reviewCols qualified by the alias q.
const reviewColsQ = `q.verification_id, q.account_id, q.country, q.doc_type, q.reasons, q.note, q.submitted_at,
	q.queued_at, q.state, q.claimed_by, q.claim_until, q.first_approver, q.decided_at`

func scanReview(r rowScanner) (*storage.ReviewItem, error) {
	it := &storage.ReviewItem{}
	var state string
	if err := r.Scan(&it.VerificationID, &it.AccountID, &it.Country, &it.DocType, jsonCol{&it.Reasons}, &it.Note,
		tsCol{&it.SubmittedAt}, tsCol{&it.QueuedAt}, &state, &it.ClaimedBy, tsCol{&it.ClaimUntil},
		&it.FirstApprover, tsCol{&it.DecidedAt}); err != nil {
		return nil, err
	}
	it.State = storage.ReviewState(state)
	it.Reasons = nonNilReasons(it.Reasons)
	return it, nil
}

func (s *Store) getReview(ctx context.Context, q querier, id, lock string) (*storage.ReviewItem, error) {
	it, err := scanReview(q.QueryRowContext(ctx, `SELECT `+reviewCols+` FROM review_queue WHERE verification_id = $1`+lock, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("review %s: %w", id, storage.ErrNotFound)
	}
	return it, s.wrap(err)
}

// enqueueReview puts a verification that was just decided manual_review in
// the review queue, with the codes of the decision and of every check
// result (in the decision's transaction).
func (s *Store) enqueueReview(ctx context.Context, tx *sql.Tx, v *storage.Verification, d storage.Decision) error {
	codes := slices.Clone(d.Reasons)
	rows, err := tx.QueryContext(ctx, `SELECT reasons FROM check_results WHERE verification_id = $1 ORDER BY check_name`, v.ID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var rs []reason.Code
		if err := rows.Scan(jsonCol{&rs}); err != nil {
			rows.Close()
			return err
		}
		codes = append(codes, rs...)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	codes = dedupCodes(codes)
	text, err := jsonText(codes)
	if err != nil {
		return err
	}
	submitted := v.SubmittedAt
	if submitted.IsZero() {
		submitted = v.CreatedAt
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO review_queue (verification_id, account_id, country, doc_type, reasons, note,
		submitted_at, queued_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (verification_id) DO NOTHING`,
		v.ID, v.AccountID, v.Country, v.DocType, text, d.Note, s.ts(submitted), s.ts(d.DecidedAt))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nil
	}
	for _, c := range codes {
		if _, err := tx.ExecContext(ctx, `INSERT INTO review_queue_reasons (code, submitted_at, verification_id, country, doc_type)
			VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`, string(c), s.ts(submitted), v.ID, v.Country, v.DocType); err != nil {
			return err
		}
	}
	return nil
}

func dedupCodes(in []reason.Code) []reason.Code {
	out := []reason.Code{}
	for _, c := range in {
		if c != "" && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// ReviewQueue lists waiting reviews matching f, oldest submission first.
func (s *Store) ReviewQueue(ctx context.Context, f storage.ReviewFilter) ([]*storage.ReviewItem, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, 500)
	var (
		args  []any
		where []string
	)
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	// Without a reason filter the queue's own indexes serve; with one,
	// the reason index (which repeats country and type) is walked in
	// submission order and only the page is joined.
	from, t := `review_queue q`, "q"
	if f.Reason != "" {
		from, t = `review_queue_reasons r JOIN review_queue q ON q.verification_id = r.verification_id`, "r"
		where = append(where, `r.code = `+arg(string(f.Reason)))
	}
	where = append(where, `q.state = 'waiting'`)
	if f.Country != "" {
		where = append(where, t+`.country = `+arg(f.Country))
	}
	if f.DocType != "" {
		where = append(where, t+`.doc_type = `+arg(f.DocType))
	}
	if !f.SubmittedBefore.IsZero() {
		where = append(where, t+`.submitted_at < `+arg(s.ts(f.SubmittedBefore)))
	}
	if !f.AfterSubmitted.IsZero() {
		where = append(where, fmt.Sprintf(`(%s.submitted_at, %s.verification_id) > (%s, %s)`, t, t,
			arg(s.ts(f.AfterSubmitted)), arg(f.AfterID)))
	}
	order := t + `.submitted_at, ` + t + `.verification_id`
	query := `SELECT ` + reviewColsQ + ` FROM ` + from + ` WHERE ` + strings.Join(where, " AND ") +
		` ORDER BY ` + order + ` LIMIT ` + arg(limit)
	return queryAll(ctx, s, query, args, scanReview)
}

// ReviewWaiting counts waiting reviews and returns the oldest submission.
func (s *Store) ReviewWaiting(ctx context.Context) (int, time.Time, error) {
	var (
		n      int
		oldest time.Time
	)
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*), MIN(submitted_at) FROM review_queue WHERE state = 'waiting'`).
		Scan(&n, tsCol{&oldest})
	return n, oldest, s.wrap(err)
}

// GetReviewItem returns a review or ErrNotFound.
func (s *Store) GetReviewItem(ctx context.Context, id string) (*storage.ReviewItem, error) {
	return s.getReview(ctx, s.db, id, "")
}

// ClaimReview gives staffID the lease on a waiting review.
func (s *Store) ClaimReview(ctx context.Context, id, staffID string, at time.Time, lease time.Duration) (*storage.ReviewItem, error) {
	if staffID == "" || lease <= 0 {
		return nil, errors.New("sqlstore: a claim needs a staff ID and a positive lease")
	}
	at = orNow(at)
	var out *storage.ReviewItem
	err := s.tx(ctx, func(tx *sql.Tx) error {
		it, err := s.getReview(ctx, tx, id, s.forUpdate())
		if err != nil {
			return err
		}
		out = it
		if it.State != storage.ReviewWaiting || it.Claimed(at) && it.ClaimedBy != staffID {
			return fmt.Errorf("review %s: %w", id, storage.ErrConflict)
		}
		before := "unclaimed"
		if it.ClaimedBy != "" {
			before = "claimed:" + it.ClaimedBy
		}
		until := at.Add(lease)
		if _, err := tx.ExecContext(ctx, `UPDATE review_queue SET claimed_by = $1, claim_until = $2 WHERE verification_id = $3`,
			staffID, s.ts(until), id); err != nil {
			return err
		}
		if before != "claimed:"+staffID { // a new claim, not a renewal
			if err := s.emitVerification(ctx, tx, webhooks.ReviewClaimed, id, nil, at); err != nil {
				return err
			}
		}
		it.ClaimedBy, it.ClaimUntil = staffID, until
		return s.staffAudit(ctx, tx, storage.AuditEntry{At: at, StaffID: staffID, Action: "review.claim",
			Subject: "verification:" + id, Before: before, After: "claimed:" + staffID})
	})
	if err != nil && !errors.Is(err, storage.ErrConflict) {
		return nil, err
	}
	return out, err
}

// ReleaseReview gives a claim back to the queue.
func (s *Store) ReleaseReview(ctx context.Context, id, staffID string, at time.Time) error {
	at = orNow(at)
	return s.tx(ctx, func(tx *sql.Tx) error {
		it, err := s.getReview(ctx, tx, id, s.forUpdate())
		if err != nil {
			return err
		}
		if it.ClaimedBy != staffID || it.State != storage.ReviewWaiting {
			return fmt.Errorf("review %s not claimed by this staff: %w", id, storage.ErrConflict)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE review_queue SET claimed_by = '', claim_until = NULL WHERE verification_id = $1`, id); err != nil {
			return err
		}
		return s.staffAudit(ctx, tx, storage.AuditEntry{At: at, StaffID: staffID, Action: "review.release",
			Subject: "verification:" + id, Before: "claimed:" + staffID, After: "unclaimed"})
	})
}

// ApproveFirst records the first approval of a four-eyes review.
func (s *Store) ApproveFirst(ctx context.Context, id, staffID string, at time.Time) (*storage.ReviewItem, error) {
	at = orNow(at)
	var out *storage.ReviewItem
	err := s.tx(ctx, func(tx *sql.Tx) error {
		it, err := s.getReview(ctx, tx, id, s.forUpdate())
		if err != nil {
			return err
		}
		out = it
		if it.State != storage.ReviewWaiting || it.ClaimedBy != staffID || !it.Claimed(at) || it.FirstApprover != "" {
			return fmt.Errorf("review %s: %w", id, storage.ErrConflict)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE review_queue SET first_approver = $1, claimed_by = '', claim_until = NULL
			WHERE verification_id = $2`, staffID, id); err != nil {
			return err
		}
		it.FirstApprover, it.ClaimedBy, it.ClaimUntil = staffID, "", time.Time{}
		return s.staffAudit(ctx, tx, storage.AuditEntry{At: at, StaffID: staffID, Action: "review.approve_first",
			Subject: "verification:" + id, Before: "manual_review", After: "awaiting_second_approval"})
	})
	if err != nil && !errors.Is(err, storage.ErrConflict) {
		return nil, err
	}
	return out, err
}

// reviewedNote is the decision note of a reviewer's decision: a fixed
// phrase; the reviewer's own note is sealed in review_decisions.
const reviewedNote = "decided by a reviewer"

// FinishReview replaces the manual_review decision with the reviewer's.
func (s *Store) FinishReview(ctx context.Context, d storage.ReviewDecision) (storage.Decision, error) {
	if d.Outcome != storage.Approved && d.Outcome != storage.Rejected {
		return storage.Decision{}, fmt.Errorf("sqlstore: a review decides approved or rejected, not %q", d.Outcome)
	}
	if d.VerificationID == "" || d.StaffID == "" {
		return storage.Decision{}, errors.New("sqlstore: a review decision needs a verification and a staff ID")
	}
	d.DecidedAt = orNow(d.DecidedAt)
	d.Reasons = nonNilReasons(d.Reasons)
	reasons, err := jsonText(d.Reasons)
	if err != nil {
		return storage.Decision{}, err
	}
	out := storage.Decision{VerificationID: d.VerificationID, Outcome: d.Outcome, Reasons: d.Reasons,
		Note: reviewedNote, DecidedAt: d.DecidedAt}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		it, err := s.getReview(ctx, tx, d.VerificationID, s.forUpdate())
		if err != nil {
			return err
		}
		if it.State != storage.ReviewWaiting || it.ClaimedBy != d.StaffID || !it.Claimed(d.DecidedAt) ||
			it.FirstApprover != d.FirstApprover {
			return fmt.Errorf("review %s: %w", d.VerificationID, storage.ErrConflict)
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO review_decisions (verification_id, staff_id, first_approver, outcome,
			reasons, note_sealed, decided_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
			d.VerificationID, d.StaffID, d.FirstApprover, string(d.Outcome), reasons, blob(d.NoteSealed), s.ts(d.DecidedAt))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("review %s decided before: %w", d.VerificationID, storage.ErrConflict)
		}
		res, err = tx.ExecContext(ctx, `UPDATE decisions SET outcome = $1, reasons = $2, note = $3, decided_at = $4
			WHERE verification_id = $5 AND outcome = 'manual_review'`,
			string(d.Outcome), reasons, reviewedNote, s.ts(d.DecidedAt), d.VerificationID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("decision of %s is not manual_review: %w", d.VerificationID, storage.ErrConflict)
		}
		for _, q := range []string{
			`UPDATE verifications SET decided_at = $1 WHERE id = $2`,
			`UPDATE review_queue SET state = 'decided', decided_at = $1, claimed_by = '', claim_until = NULL WHERE verification_id = $2`,
		} {
			if _, err := tx.ExecContext(ctx, q, s.ts(d.DecidedAt), d.VerificationID); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM review_queue_reasons WHERE verification_id = $1`, d.VerificationID); err != nil {
			return err
		}
		if err := s.emitVerification(ctx, tx, webhooks.VerificationReviewed, d.VerificationID, &out, d.DecidedAt); err != nil {
			return err
		}
		after := string(d.Outcome)
		for _, c := range d.Reasons {
			after += " " + string(c)
		}
		return s.staffAudit(ctx, tx, storage.AuditEntry{At: d.DecidedAt, StaffID: d.StaffID, Action: "review.decide",
			Subject: "verification:" + d.VerificationID, Before: "manual_review", After: after})
	})
	if err != nil {
		return storage.Decision{}, err
	}
	return out, nil
}

// GetReviewDecision returns a reviewer's decision or ErrNotFound.
func (s *Store) GetReviewDecision(ctx context.Context, id string) (storage.ReviewDecision, error) {
	var d storage.ReviewDecision
	var outcome string
	err := s.db.QueryRowContext(ctx, `SELECT verification_id, staff_id, first_approver, outcome, reasons, note_sealed, decided_at
		FROM review_decisions WHERE verification_id = $1 ORDER BY decided_at DESC LIMIT 1`, id).Scan(&d.VerificationID, &d.StaffID, &d.FirstApprover,
		&outcome, jsonCol{&d.Reasons}, blobCol{&d.NoteSealed}, tsCol{&d.DecidedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return storage.ReviewDecision{}, fmt.Errorf("review decision of %s: %w", id, storage.ErrNotFound)
	}
	d.Outcome = storage.Outcome(outcome)
	d.Reasons = nonNilReasons(d.Reasons)
	return d, s.wrap(err)
}

// AccountVerifications lists an account's verifications, newest first.
func (s *Store) AccountVerifications(ctx context.Context, accountID string, limit int) ([]*storage.Verification, error) {
	if limit <= 0 {
		limit = 20
	}
	return queryAll(ctx, s, `SELECT `+verificationCols+` FROM verifications WHERE account_id = $1
		ORDER BY created_at DESC, id DESC LIMIT $2`, []any{accountID, limit}, scanVerification)
}

const caseCols = `id, kind, account_id, holder_account, verification_id, created_at, state, owner, updated_at`

func scanCase(r rowScanner) (storage.SupportCase, error) {
	var c storage.SupportCase
	var state string
	err := r.Scan(&c.ID, &c.Kind, &c.AccountID, &c.HolderAccount, &c.VerificationID, tsCol{&c.CreatedAt},
		&state, &c.Owner, tsCol{&c.UpdatedAt})
	c.State = storage.CaseState(state)
	if c.UpdatedAt.IsZero() {
		c.UpdatedAt = c.CreatedAt
	}
	return c, err
}

func (s *Store) getCase(ctx context.Context, q querier, id, lock string) (storage.SupportCase, error) {
	c, err := scanCase(q.QueryRowContext(ctx, `SELECT `+caseCols+` FROM support_cases WHERE id = $1`+lock, id))
	if errors.Is(err, sql.ErrNoRows) {
		return storage.SupportCase{}, fmt.Errorf("support case %s: %w", id, storage.ErrNotFound)
	}
	return c, s.wrap(err)
}

// ListCases lists support cases matching f, oldest first.
func (s *Store) ListCases(ctx context.Context, f storage.CaseFilter) ([]storage.SupportCase, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	args := []any{string(f.State), f.Kind, f.Account, min(limit, 500)}
	return queryAll(ctx, s, `SELECT `+caseCols+` FROM support_cases
		WHERE ($1 = '' OR state = $1) AND ($2 = '' OR kind = $2) AND ($3 = '' OR account_id = $3 OR holder_account = $3)
		ORDER BY created_at, id LIMIT $4`, args, scanCase)
}

// TransitionCase moves a case between states and makes staffID its owner.
func (s *Store) TransitionCase(ctx context.Context, id string, from, to storage.CaseState, staffID string, at time.Time) (storage.SupportCase, error) {
	if !storage.CaseTransitionAllowed(from, to) || staffID == "" {
		return storage.SupportCase{}, fmt.Errorf("sqlstore: case transition %s → %s not allowed", from, to)
	}
	at = orNow(at)
	var out storage.SupportCase
	err := s.tx(ctx, func(tx *sql.Tx) error {
		c, err := s.getCase(ctx, tx, id, s.forUpdate())
		if err != nil {
			return err
		}
		out = c
		if c.State == to {
			return nil
		}
		if c.State != from {
			return fmt.Errorf("case %s is %s, not %s: %w", id, c.State, from, storage.ErrConflict)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE support_cases SET state = $1, owner = $2, updated_at = $3 WHERE id = $4`,
			string(to), staffID, s.ts(at), id); err != nil {
			return err
		}
		out.State, out.Owner, out.UpdatedAt = to, staffID, at
		if to.Final() {
			if err := s.emitCase(ctx, tx, webhooks.SupportCaseResolved, out); err != nil {
				return err
			}
		}
		return s.staffAudit(ctx, tx, storage.AuditEntry{At: at, StaffID: staffID, Action: "case.transition",
			Subject: "case:" + id, Before: string(from), After: string(to)})
	})
	if err != nil && !errors.Is(err, storage.ErrConflict) {
		return storage.SupportCase{}, err
	}
	return out, err
}

// releasedNote is the decision note of a verification sent back to review
// by ReleaseDocument.
const releasedNote = "document released after a misuse review"

// appealedNote is the decision note of a verification sent back to review
// by ReopenAppeal.
const appealedNote = "appeal reopened for review"

// ReleaseDocument frees a misused document and sends the reporter's
// verification back to manual review.
func (s *Store) ReleaseDocument(ctx context.Context, caseID, staffID string, at time.Time) error {
	if staffID == "" {
		return errors.New("sqlstore: ReleaseDocument needs a staff ID")
	}
	at = orNow(at)
	return s.tx(ctx, func(tx *sql.Tx) error {
		c, err := s.getCase(ctx, tx, caseID, s.forUpdate())
		if err != nil {
			return err
		}
		if c.Kind != storage.CaseIdentityMisuse || c.State != storage.CaseInProgress || c.HolderAccount == "" {
			return fmt.Errorf("case %s is not an identity-misuse case in progress: %w", caseID, storage.ErrConflict)
		}
		v, err := s.getVerification(ctx, tx, c.VerificationID, s.forUpdate())
		if err != nil {
			return err
		}
		held, err := s.documentHolder(ctx, tx, v.DocKey)
		if errors.Is(err, storage.ErrNotFound) || err == nil && held.AccountID != c.HolderAccount {
			return fmt.Errorf("the document is not held by the case's holder account: %w", storage.ErrConflict)
		}
		if err != nil {
			return err
		}
		d, err := s.getDecision(ctx, tx, v.ID)
		if err != nil {
			return err
		}
		if d.Outcome != storage.Rejected || !slices.Contains(d.Reasons, reason.DocAlreadyUsed) {
			return fmt.Errorf("verification %s was not refused with doc_already_used: %w", v.ID, storage.ErrConflict)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM document_claims WHERE doc_key = $1 AND account_id = $2`, v.DocKey, c.HolderAccount); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE accounts SET kyc_verified = $1, verification_id = '', face_sealed = NULL, updated_at = $2
			WHERE id = $3`, false, s.ts(at), c.HolderAccount); err != nil {
			return err
		}
		if err := s.backToReview(ctx, tx, v, releasedNote, at); err != nil {
			return err
		}
		if err := s.emit(ctx, tx, webhooks.DocumentReleased, "support_case:"+caseID, webhooks.Data{CaseID: caseID,
			VerificationID: v.ID, AccountID: c.AccountID, Outcome: string(storage.ManualReview)}, at); err != nil {
			return err
		}
		for _, e := range []storage.AuditEntry{
			{Action: "case.release_document", Subject: "case:" + caseID, Before: "held:" + c.HolderAccount, After: "released"},
			{Action: "case.release_document", Subject: "verification:" + held.VerificationID, Before: "verified", After: "claim released"},
			{Action: "case.release_document", Subject: "verification:" + v.ID, Before: "rejected doc_already_used", After: "manual_review"},
		} {
			e.At, e.StaffID = at, staffID
			if err := s.staffAudit(ctx, tx, e); err != nil {
				return err
			}
		}
		return nil
	})
}

// backToReview turns the decision of verification v into manual_review
// with the fixed phrase note and puts it in the review queue (reopening
// its entry when it was reviewed before), inside tx.
func (s *Store) backToReview(ctx context.Context, tx *sql.Tx, v *storage.Verification, note string, at time.Time) error {
	back := storage.Decision{VerificationID: v.ID, Outcome: storage.ManualReview, Reasons: []reason.Code{reason.ManualReview},
		Note: note, DecidedAt: at}
	reasons, _ := jsonText(back.Reasons)
	if _, err := tx.ExecContext(ctx, `UPDATE decisions SET outcome = $1, reasons = $2, note = $3, decided_at = $4 WHERE verification_id = $5`,
		string(back.Outcome), reasons, back.Note, s.ts(at), v.ID); err != nil {
		return err
	}
	// A verification reviewed before is already in the queue, decided:
	// reopen it.
	if _, err := tx.ExecContext(ctx, `UPDATE review_queue SET state = 'waiting', decided_at = NULL, claimed_by = '',
		claim_until = NULL, first_approver = '', note = $1 WHERE verification_id = $2`, note, v.ID); err != nil {
		return err
	}
	var one int
	switch err := tx.QueryRowContext(ctx, `SELECT 1 FROM review_queue WHERE verification_id = $1`, v.ID).Scan(&one); {
	case errors.Is(err, sql.ErrNoRows):
		return s.enqueueReview(ctx, tx, v, back)
	case err != nil:
		return err
	default:
		return s.indexReasons(ctx, tx, v.ID)
	}
}

// ReopenAppeal sends the rejected verification of an appeal case in
// progress back to manual review.
func (s *Store) ReopenAppeal(ctx context.Context, caseID, staffID string, at time.Time) error {
	if staffID == "" {
		return errors.New("sqlstore: ReopenAppeal needs a staff ID")
	}
	at = orNow(at)
	return s.tx(ctx, func(tx *sql.Tx) error {
		c, err := s.getCase(ctx, tx, caseID, s.forUpdate())
		if err != nil {
			return err
		}
		if c.Kind != storage.CaseAppeal || c.State != storage.CaseInProgress {
			return fmt.Errorf("case %s is not an appeal in progress: %w", caseID, storage.ErrConflict)
		}
		v, err := s.getVerification(ctx, tx, c.VerificationID, s.forUpdate())
		if err != nil {
			return err
		}
		d, err := s.getDecision(ctx, tx, v.ID)
		if err != nil {
			return err
		}
		if d.Outcome != storage.Rejected {
			return fmt.Errorf("verification %s is not rejected: %w", v.ID, storage.ErrConflict)
		}
		if err := s.backToReview(ctx, tx, v, appealedNote, at); err != nil {
			return err
		}
		before := "rejected"
		for _, r := range d.Reasons {
			before += " " + string(r)
		}
		for _, e := range []storage.AuditEntry{
			{Action: "case.reopen_appeal", Subject: "case:" + caseID, Before: "rejected", After: "manual_review"},
			{Action: "case.reopen_appeal", Subject: "verification:" + v.ID, Before: before, After: "manual_review"},
		} {
			e.At, e.StaffID = at, staffID
			if err := s.staffAudit(ctx, tx, e); err != nil {
				return err
			}
		}
		return nil
	})
}

// indexReasons rebuilds the reason index of a review from its codes.
func (s *Store) indexReasons(ctx context.Context, tx *sql.Tx, id string) error {
	it, err := s.getReview(ctx, tx, id, "")
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM review_queue_reasons WHERE verification_id = $1`, id); err != nil {
		return err
	}
	for _, c := range it.Reasons {
		if _, err := tx.ExecContext(ctx, `INSERT INTO review_queue_reasons (code, submitted_at, verification_id, country, doc_type)
			VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`, string(c), s.ts(it.SubmittedAt), id, it.Country, it.DocType); err != nil {
			return err
		}
	}
	return nil
}

// AddCaseNote appends a sealed note to a case.
func (s *Store) AddCaseNote(ctx context.Context, n storage.CaseNote) error {
	if n.CaseID == "" || n.StaffID == "" || len(n.NoteSealed) == 0 {
		return errors.New("sqlstore: a case note needs a case, a staff ID and a sealed note")
	}
	n.At = orNow(n.At)
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := s.getCase(ctx, tx, n.CaseID, ""); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO case_notes (case_id, staff_id, note_sealed, at) VALUES ($1, $2, $3, $4)`,
			n.CaseID, n.StaffID, n.NoteSealed, s.ts(n.At)); err != nil {
			return err
		}
		return s.staffAudit(ctx, tx, storage.AuditEntry{At: n.At, StaffID: n.StaffID, Action: "case.note", Subject: "case:" + n.CaseID})
	})
}

// CaseNotes lists a case's notes, oldest first.
func (s *Store) CaseNotes(ctx context.Context, id string) ([]storage.CaseNote, error) {
	return queryAll(ctx, s, `SELECT case_id, staff_id, note_sealed, at FROM case_notes WHERE case_id = $1 ORDER BY seq`,
		[]any{id}, func(r rowScanner) (storage.CaseNote, error) {
			var n storage.CaseNote
			err := r.Scan(&n.CaseID, &n.StaffID, blobCol{&n.NoteSealed}, tsCol{&n.At})
			return n, err
		})
}

// staffAudit appends an entry to the staff audit log inside tx.
func (s *Store) staffAudit(ctx context.Context, tx *sql.Tx, e storage.AuditEntry) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO audit_log (at, staff_id, action, subject, before, after)
		VALUES ($1, $2, $3, $4, $5, $6)`, s.ts(orNow(e.At)), e.StaffID, e.Action, e.Subject, e.Before, e.After)
	return err
}

// Audit appends an entry to the audit log.
func (s *Store) Audit(ctx context.Context, e storage.AuditEntry) error {
	if e.StaffID == "" || e.Action == "" || e.Subject == "" {
		return errors.New("sqlstore: an audit entry needs a staff ID, an action and a subject")
	}
	return s.tx(ctx, func(tx *sql.Tx) error { return s.staffAudit(ctx, tx, e) })
}

// AuditTrail lists the entries about a subject, oldest first.
func (s *Store) AuditTrail(ctx context.Context, subject string) ([]storage.AuditEntry, error) {
	return queryAll(ctx, s, `SELECT seq, at, staff_id, action, subject, before, after FROM audit_log
		WHERE subject = $1 ORDER BY seq`, []any{subject}, func(r rowScanner) (storage.AuditEntry, error) {
		var e storage.AuditEntry
		err := r.Scan(&e.Seq, tsCol{&e.At}, &e.StaffID, &e.Action, &e.Subject, &e.Before, &e.After)
		return e, err
	})
}

// queryAll runs a query and scans every row.
func queryAll[T any](ctx context.Context, s *Store, query string, args []any, scan func(rowScanner) (T, error)) ([]T, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, s.wrap(err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, s.wrap(err)
		}
		out = append(out, v)
	}
	return out, s.wrap(rows.Err())
}
