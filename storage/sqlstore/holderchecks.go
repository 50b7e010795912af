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

const holderCheckCols = `id, verification_id, account_id, holder_account, selfie_key, selfie_type, state, score,
	answer, migration_id, case_id, created_at, updated_at, purged_at, reasons`

func scanHolderCheck(r rowScanner) (*storage.HolderCheck, error) {
	h := &storage.HolderCheck{}
	var state string
	err := r.Scan(&h.ID, &h.VerificationID, &h.AccountID, &h.HolderAccount, &h.SelfieKey, &h.SelfieType, &state,
		&h.Score, &h.Answer, &h.MigrationID, &h.CaseID, tsCol{&h.CreatedAt}, tsCol{&h.UpdatedAt}, tsCol{&h.PurgedAt},
		jsonCol{&h.Reasons})
	h.State = storage.HolderCheckState(state)
	h.Reasons = nonNilReasons(h.Reasons)
	return h, err
}

func (s *Store) getHolderCheck(ctx context.Context, q querier, id, lock string) (*storage.HolderCheck, error) {
	h, err := scanHolderCheck(q.QueryRowContext(ctx, `SELECT `+holderCheckCols+` FROM holder_checks WHERE id = $1`+lock, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("holder check %s: %w", id, storage.ErrNotFound)
	}
	if err != nil {
		return nil, s.wrap(err)
	}
	return h, nil
}

// CreateHolderCheck stores a pending check; the same ID again is a no-op
// returning the stored one with created=false.
func (s *Store) CreateHolderCheck(ctx context.Context, h *storage.HolderCheck) (*storage.HolderCheck, bool, error) {
	return s.CreateHolderCheckWithin(ctx, h, storage.HolderCheckLimit{})
}

// CreateHolderCheckWithin is CreateHolderCheck under a limit of attempts
// per verification and per account since lim.Since (ErrLimit beyond it).
// The requesting account's row is locked while counting, so racing
// attempts are counted one after the other.
func (s *Store) CreateHolderCheckWithin(ctx context.Context, h *storage.HolderCheck, lim storage.HolderCheckLimit) (*storage.HolderCheck, bool, error) {
	if h == nil || h.ID == "" || h.AccountID == "" || h.VerificationID == "" || h.HolderAccount == "" {
		return nil, false, errors.New("sqlstore: holder check needs an ID, a verification, an account and the holder")
	}
	at := orNow(h.CreatedAt)
	var stored *storage.HolderCheck
	var created bool
	err := s.tx(ctx, func(tx *sql.Tx) error {
		created = false
		if lim.PerAccount > 0 || lim.PerVerification > 0 {
			if _, err := s.lockAccount(ctx, tx, h.AccountID, at); err != nil {
				return err
			}
			if old, err := s.getHolderCheck(ctx, tx, h.ID, ""); err == nil {
				stored = old
				return nil // a repeat is not another attempt
			} else if !errors.Is(err, storage.ErrNotFound) {
				return err
			}
			if err := s.holderAttemptsLeft(ctx, tx, h, lim); err != nil {
				return err
			}
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO holder_checks (id, verification_id, account_id, holder_account,
			selfie_key, selfie_type, state, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) ON CONFLICT (id) DO NOTHING`,
			h.ID, h.VerificationID, h.AccountID, h.HolderAccount, h.SelfieKey, h.SelfieType,
			string(storage.HolderCheckPending), s.ts(at))
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		created = n == 1
		stored, err = s.getHolderCheck(ctx, tx, h.ID, "")
		return err
	})
	if err != nil {
		return nil, false, err
	}
	return stored, created, nil
}

// GetHolderCheck returns the check or ErrNotFound.
func (s *Store) GetHolderCheck(ctx context.Context, id string) (*storage.HolderCheck, error) {
	return s.getHolderCheck(ctx, s.db, id, "")
}

// holderAttemptsLeft returns ErrLimit when h would be one attempt too
// many for its verification or its account since lim.Since.
func (s *Store) holderAttemptsLeft(ctx context.Context, tx *sql.Tx, h *storage.HolderCheck, lim storage.HolderCheckLimit) error {
	since := lim.Since
	if since.IsZero() {
		since = time.Unix(0, 0) // no window: every attempt counts
	}
	for _, c := range []struct {
		col, val string
		max      int
	}{
		{"verification_id", h.VerificationID, lim.PerVerification},
		{"account_id", h.AccountID, lim.PerAccount},
	} {
		if c.max <= 0 {
			continue
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM holder_checks WHERE `+c.col+` = $1 AND created_at >= $2`,
			c.val, s.ts(since)).Scan(&n); err != nil {
			return err
		}
		if n >= c.max {
			return fmt.Errorf("holder checks by %s: %d of %d: %w", c.col, n, c.max, storage.ErrLimit)
		}
	}
	return nil
}

// CompleteHolderCheck records the face-match outcome of a pending check
// and, on a mismatch, its reasons; on a check that is no longer pending it
// returns the stored check unchanged.
func (s *Store) CompleteHolderCheck(ctx context.Context, id string, matched bool, score float64, reasons []reason.Code, at time.Time) (*storage.HolderCheck, error) {
	state := storage.HolderCheckMismatch
	if matched {
		state, reasons = storage.HolderCheckMatched, nil
	}
	rj, err := jsonText(nonNilReasons(reasons))
	if err != nil {
		return nil, err
	}
	var out *storage.HolderCheck
	err = s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE holder_checks SET state = $1, score = $2, updated_at = $3, reasons = $6
			WHERE id = $4 AND state = $5`, string(state), score, s.ts(orNow(at)), id, string(storage.HolderCheckPending), rj)
		if err != nil {
			return err
		}
		if out, err = s.getHolderCheck(ctx, tx, id, ""); err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			return s.emitHolderCheck(ctx, tx, webhooks.HolderCheckCompleted, out, string(state), at)
		}
		return nil
	})
	return out, err
}

// ResolveHolderCheck records the user's answer ("mine", "mine_accessible"
// or "not_mine") on a
// matched check with the migration or case it started; first writer wins;
// a check that is neither matched nor resolved is ErrConflict.
func (s *Store) ResolveHolderCheck(ctx context.Context, id, answer, migrationID, caseID string, at time.Time) (*storage.HolderCheck, error) {
	if answer != "mine" && answer != "not_mine" && answer != "mine_accessible" {
		return nil, fmt.Errorf("sqlstore: holder check answer must be mine, mine_accessible or not_mine, got %q", answer)
	}
	var out *storage.HolderCheck
	err := s.tx(ctx, func(tx *sql.Tx) error {
		h, err := s.getHolderCheck(ctx, tx, id, s.forUpdate())
		if err != nil {
			return err
		}
		out = h
		switch h.State {
		case storage.HolderCheckResolved:
			return nil
		case storage.HolderCheckMatched:
		default:
			return fmt.Errorf("holder check %s is %s, not matched: %w", id, h.State, storage.ErrConflict)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE holder_checks SET state = $1, answer = $2, migration_id = $3,
			case_id = $4, updated_at = $5 WHERE id = $6`,
			string(storage.HolderCheckResolved), answer, migrationID, caseID, s.ts(orNow(at)), id); err != nil {
			return err
		}
		if out, err = s.getHolderCheck(ctx, tx, id, ""); err != nil {
			return err
		}
		return s.emitHolderCheck(ctx, tx, webhooks.HolderCheckAnswered, out, answer, at)
	})
	if errors.Is(err, storage.ErrConflict) {
		return out, err
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// OpenCase stores a support case; the same ID again is a no-op.
func (s *Store) OpenCase(ctx context.Context, c storage.SupportCase) error {
	if c.ID == "" || c.Kind == "" {
		return errors.New("sqlstore: support case needs an ID and a kind")
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO support_cases (id, kind, account_id, holder_account, verification_id, created_at)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING`,
			c.ID, c.Kind, c.AccountID, c.HolderAccount, c.VerificationID, s.ts(orNow(c.CreatedAt)))
		if n, _ := res.RowsAffected(); err == nil && n == 1 {
			err = s.emitCase(ctx, tx, webhooks.SupportCaseOpened, c)
		}
		return err
	})
}

// GetCase returns the case or ErrNotFound.
func (s *Store) GetCase(ctx context.Context, id string) (storage.SupportCase, error) {
	return s.getCase(ctx, s.db, id, "")
}

// HolderChecksBefore lists holder checks last updated before the given
// time whose selfie is not purged yet, oldest first, at most limit.
func (s *Store) HolderChecksBefore(ctx context.Context, before time.Time, limit int) ([]*storage.HolderCheck, error) {
	return listBefore(ctx, s, `SELECT `+holderCheckCols+` FROM holder_checks
		WHERE purged_at IS NULL AND updated_at < $1 ORDER BY updated_at, id LIMIT $2`, before, limit, scanHolderCheck)
}

// MarkHolderCheckPurged records that a holder check's selfie was deleted;
// the first time stays.
func (s *Store) MarkHolderCheckPurged(ctx context.Context, id string, at time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE holder_checks SET purged_at = $1 WHERE id = $2 AND purged_at IS NULL`,
			s.ts(orNow(at)), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			return nil
		}
		_, err = s.getHolderCheck(ctx, tx, id, "")
		return err
	})
}
