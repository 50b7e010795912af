package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
	"github.com/kycq/kycq/webhooks"
)

const verificationCols = `id, account_id, status, country, doc_type, doc_key, info_sealed,
	flags, uploads, checks, created_at, submitted_at, decided_at, purged_at`

type rowScanner interface{ Scan(dest ...any) error }

func scanVerification(r rowScanner) (*storage.Verification, error) {
	v := &storage.Verification{}
	var status string
	err := r.Scan(&v.ID, &v.AccountID, &status, &v.Country, &v.DocType, &v.DocKey, blobCol{&v.InfoSealed},
		jsonCol{&v.Flags}, jsonCol{&v.Uploads}, jsonCol{&v.Checks},
		tsCol{&v.CreatedAt}, tsCol{&v.SubmittedAt}, tsCol{&v.DecidedAt}, tsCol{&v.PurgedAt})
	if err != nil {
		return nil, err
	}
	v.Status = storage.Status(status)
	return v, nil
}

// CreateVerification stores a new verification in StatusCreated. The same
// ID again with the same account is a no-op; with another account it is
// ErrConflict.
func (s *Store) CreateVerification(ctx context.Context, v *storage.Verification) error {
	if v == nil || v.ID == "" || v.AccountID == "" {
		return errors.New("sqlstore: verification needs an ID and an account")
	}
	flags, err := jsonText(nonNil(v.Flags))
	if err != nil {
		return err
	}
	uploads, err := jsonText(nonNilUploads(v.Uploads))
	if err != nil {
		return err
	}
	checks, err := jsonText(nonNil(v.Checks))
	if err != nil {
		return err
	}
	created := orNow(v.CreatedAt)
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO verifications
			(id, account_id, status, country, doc_type, doc_key, info_sealed, flags, uploads, checks, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
			ON CONFLICT (id) DO NOTHING`,
			v.ID, v.AccountID, string(storage.StatusCreated), v.Country, v.DocType, v.DocKey, blob(v.InfoSealed),
			flags, uploads, checks, s.ts(created))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			return s.ensureAccount(ctx, tx, v.AccountID, created)
		}
		var account string
		if err := tx.QueryRowContext(ctx, `SELECT account_id FROM verifications WHERE id = $1`, v.ID).Scan(&account); err != nil {
			return err
		}
		if account != v.AccountID {
			return fmt.Errorf("verification %s belongs to another account: %w", v.ID, storage.ErrConflict)
		}
		return nil
	})
}

// GetVerification returns the verification or ErrNotFound.
func (s *Store) GetVerification(ctx context.Context, id string) (*storage.Verification, error) {
	return s.getVerification(ctx, s.db, id, "")
}

// querier is what both *sql.DB and *sql.Tx offer.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func (s *Store) getVerification(ctx context.Context, q querier, id, lock string) (*storage.Verification, error) {
	v, err := scanVerification(q.QueryRowContext(ctx,
		`SELECT `+verificationCols+` FROM verifications WHERE id = $1`+lock, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("verification %s: %w", id, storage.ErrNotFound)
	}
	if err != nil {
		return nil, s.wrap(err)
	}
	return v, nil
}

// MarkSubmitted moves a created verification to StatusSubmitted with the
// expected checks (and, when given, its uploads as submitted); on a
// submitted or decided one it changes nothing.
func (s *Store) MarkSubmitted(ctx context.Context, id string, checks []string, uploads []storage.Upload, at time.Time) (*storage.Verification, error) {
	cj, err := jsonText(nonNil(checks))
	if err != nil {
		return nil, err
	}
	var uj any
	if uploads != nil {
		if uj, err = jsonText(uploads); err != nil {
			return nil, err
		}
	}
	var out *storage.Verification
	err = s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE verifications SET status = $1, checks = $2, submitted_at = $3,
			uploads = COALESCE($6, uploads)
			WHERE id = $4 AND status = $5`,
			string(storage.StatusSubmitted), cj, s.ts(orNow(at)), id, string(storage.StatusCreated), uj)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			if err := s.emitVerification(ctx, tx, webhooks.VerificationSubmitted, id, nil, at); err != nil {
				return err
			}
		}
		v, err := s.getVerification(ctx, tx, id, "")
		out = v
		return err
	})
	return out, err
}

// PutCheckResult stores a check result, first writer wins, and reports
// whether every expected check now has a result. The verification row is
// locked for the transaction so that, of concurrent writers of the last
// results, at least one sees the set complete.
func (s *Store) PutCheckResult(ctx context.Context, r storage.CheckResult) (bool, error) {
	if r.VerificationID == "" || r.Check == "" {
		return false, errors.New("sqlstore: check result needs a verification ID and a check name")
	}
	reasons, err := jsonText(nonNilReasons(r.Reasons))
	if err != nil {
		return false, err
	}
	scores := r.Scores
	if scores == nil {
		scores = map[string]float64{}
	}
	sj, err := jsonText(scores)
	if err != nil {
		return false, err
	}
	var complete bool
	err = s.tx(ctx, func(tx *sql.Tx) error {
		v, err := s.getVerification(ctx, tx, r.VerificationID, s.forUpdate())
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO check_results
			(verification_id, check_name, ok, reasons, scores, borderline, failed, sealed, duration_us, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
			ON CONFLICT (verification_id, check_name) DO NOTHING`,
			r.VerificationID, r.Check, r.OK, reasons, sj, r.Borderline, r.Failed, blob(r.Sealed),
			r.Duration.Microseconds(), s.ts(orNow(r.CreatedAt))); err != nil {
			return err
		}
		complete, err = s.resultsComplete(ctx, tx, v)
		return err
	})
	return complete, err
}

// resultsComplete reports whether every expected check of v has a result.
func (s *Store) resultsComplete(ctx context.Context, q querier, v *storage.Verification) (bool, error) {
	if v.Status == storage.StatusCreated || len(v.Checks) == 0 {
		return false, nil
	}
	rows, err := q.QueryContext(ctx, `SELECT check_name FROM check_results WHERE verification_id = $1`, v.ID)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	have := map[string]bool{}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return false, err
		}
		have[c] = true
	}
	if err := rows.Err(); err != nil {
		return false, err
	}
	for _, c := range v.Checks {
		if !have[c] {
			return false, nil
		}
	}
	return true, nil
}

// CheckResults returns every stored result of a verification, ordered by
// check name.
func (s *Store) CheckResults(ctx context.Context, id string) ([]storage.CheckResult, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT verification_id, check_name, ok, reasons, scores, borderline,
		failed, sealed, duration_us, created_at FROM check_results WHERE verification_id = $1 ORDER BY check_name`, id)
	if err != nil {
		return nil, s.wrap(err)
	}
	defer rows.Close()
	var out []storage.CheckResult
	for rows.Next() {
		var r storage.CheckResult
		var us int64
		if err := rows.Scan(&r.VerificationID, &r.Check, &r.OK, jsonCol{&r.Reasons}, jsonCol{&r.Scores},
			&r.Borderline, &r.Failed, blobCol{&r.Sealed}, &us, tsCol{&r.CreatedAt}); err != nil {
			return nil, s.wrap(err)
		}
		r.Duration = time.Duration(us) * time.Microsecond
		out = append(out, r)
	}
	return out, s.wrap(rows.Err())
}

// SaveDecision stores the decision and moves the verification to
// StatusDecided, once; an existing decision is returned with
// created=false.
func (s *Store) SaveDecision(ctx context.Context, d storage.Decision) (storage.Decision, bool, error) {
	switch d.Outcome {
	case storage.Approved, storage.Rejected, storage.ManualReview:
	default:
		return storage.Decision{}, false, fmt.Errorf("sqlstore: unknown decision outcome %q", d.Outcome)
	}
	if d.VerificationID == "" {
		return storage.Decision{}, false, errors.New("sqlstore: decision needs a verification ID")
	}
	reasons, err := jsonText(nonNilReasons(d.Reasons))
	if err != nil {
		return storage.Decision{}, false, err
	}
	d.DecidedAt = orNow(d.DecidedAt)
	var stored storage.Decision
	var created bool
	err = s.tx(ctx, func(tx *sql.Tx) error {
		v, err := s.getVerification(ctx, tx, d.VerificationID, s.forUpdate())
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO decisions (verification_id, account_id, outcome, reasons, note, decided_at)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (verification_id) DO NOTHING`,
			d.VerificationID, v.AccountID, string(d.Outcome), reasons, d.Note, s.ts(d.DecidedAt))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			if _, err := tx.ExecContext(ctx, `UPDATE verifications SET status = $1, decided_at = $2 WHERE id = $3`,
				string(storage.StatusDecided), s.ts(d.DecidedAt), d.VerificationID); err != nil {
				return err
			}
			if d.Outcome == storage.ManualReview {
				if err := s.enqueueReview(ctx, tx, v, d); err != nil {
					return err
				}
			}
			stored, created = d, true
			stored.Reasons = nonNilReasons(d.Reasons)
			return s.emitVerification(ctx, tx, webhooks.VerificationDecided, d.VerificationID, &stored, d.DecidedAt)
		}
		created = false
		stored, err = s.getDecision(ctx, tx, d.VerificationID)
		return err
	})
	if err != nil {
		return storage.Decision{}, false, err
	}
	return stored, created, nil
}

// GetDecision returns the decision or ErrNotFound.
func (s *Store) GetDecision(ctx context.Context, id string) (storage.Decision, error) {
	return s.getDecision(ctx, s.db, id)
}

func (s *Store) getDecision(ctx context.Context, q querier, id string) (storage.Decision, error) {
	var d storage.Decision
	var outcome string
	err := q.QueryRowContext(ctx, `SELECT verification_id, outcome, reasons, note, decided_at FROM decisions
		WHERE verification_id = $1`, id).Scan(&d.VerificationID, &outcome, jsonCol{&d.Reasons}, &d.Note, tsCol{&d.DecidedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return storage.Decision{}, fmt.Errorf("decision of %s: %w", id, storage.ErrNotFound)
	}
	if err != nil {
		return storage.Decision{}, s.wrap(err)
	}
	d.Outcome = storage.Outcome(outcome)
	d.Reasons = nonNilReasons(d.Reasons)
	return d, nil
}

// CountRejections counts rejected decisions of an account decided at or
// after since and before before (zero times leave that end open).
func (s *Store) CountRejections(ctx context.Context, accountID string, since, before time.Time) (int, error) {
	query := `SELECT COUNT(*) FROM decisions WHERE account_id = $1 AND outcome = $2`
	args := []any{accountID, string(storage.Rejected)}
	if !since.IsZero() {
		args = append(args, s.ts(since))
		query += fmt.Sprintf(` AND decided_at >= $%d`, len(args))
	}
	if !before.IsZero() {
		args = append(args, s.ts(before))
		query += fmt.Sprintf(` AND decided_at < $%d`, len(args))
	}
	var n int
	err := s.db.QueryRowContext(ctx, query, args...).Scan(&n)
	return n, s.wrap(err)
}

// Undecided lists submitted verifications without a decision submitted
// before the given time, oldest first, at most limit.
func (s *Store) Undecided(ctx context.Context, before time.Time, limit int) ([]*storage.Verification, error) {
	return s.listVerifications(ctx, `SELECT `+verificationCols+` FROM verifications
		WHERE status = 'submitted' AND submitted_at < $1 ORDER BY submitted_at, id LIMIT $2`, before, limit)
}

// OldestUndecided returns when the oldest submitted, undecided
// verification was submitted, counting those waiting in manual review
// (zero time if there is none).
func (s *Store) OldestUndecided(ctx context.Context) (time.Time, error) {
	var t time.Time
	// A verification waiting in manual review is undecided too.
	err := s.db.QueryRowContext(ctx, `SELECT MIN(t) FROM (
		SELECT MIN(submitted_at) AS t FROM verifications WHERE status = 'submitted'
		UNION ALL SELECT MIN(submitted_at) AS t FROM review_queue WHERE state = 'waiting') AS oldest`).Scan(tsCol{&t})
	return t, s.wrap(err)
}

// DecidedBefore lists decided verifications decided before the given time
// whose uploads are not purged yet, oldest first, at most limit; one still
// waiting in manual review is not listed (a reviewer needs its photos).
func (s *Store) DecidedBefore(ctx context.Context, before time.Time, limit int) ([]*storage.Verification, error) {
	return s.listVerifications(ctx, `SELECT `+verificationCols+` FROM verifications
		WHERE status = 'decided' AND purged_at IS NULL AND decided_at < $1
		AND NOT EXISTS (SELECT 1 FROM review_queue q WHERE q.verification_id = verifications.id AND q.state = 'waiting')
		ORDER BY decided_at, id LIMIT $2`, before, limit)
}

func (s *Store) listVerifications(ctx context.Context, query string, before time.Time, limit int) ([]*storage.Verification, error) {
	return listBefore(ctx, s, query, before, limit, scanVerification)
}

// listBefore runs query, whose parameters are a time ($1) and a limit
// ($2), and scans each row; nothing is listed for a limit below 1 or a
// zero time.
func listBefore[T any](ctx context.Context, s *Store, query string, before time.Time, limit int, scan func(rowScanner) (T, error)) ([]T, error) {
	if limit <= 0 || before.IsZero() {
		return nil, nil
	}
	return queryAll(ctx, s, query, []any{s.ts(before), limit}, scan)
}

// MarkPurged records that a verification's uploads were deleted; the first
// time stays.
func (s *Store) MarkPurged(ctx context.Context, id string, at time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE verifications SET purged_at = $1 WHERE id = $2 AND purged_at IS NULL`,
			s.ts(orNow(at)), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			return nil
		}
		var one int
		err = tx.QueryRowContext(ctx, `SELECT 1 FROM verifications WHERE id = $1`, id).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("verification %s: %w", id, storage.ErrNotFound)
		}
		return err
	})
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func nonNilUploads(u []storage.Upload) []storage.Upload {
	if u == nil {
		return []storage.Upload{}
	}
	return u
}

func nonNilReasons(r []reason.Code) []reason.Code {
	if r == nil {
		return []reason.Code{}
	}
	return r
}
