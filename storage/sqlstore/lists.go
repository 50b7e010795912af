package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/kycq/kycq/storage"
)

// page runs a keyset query: where holds the filter with its parameters
// ($1…$n for args), col is the ordering time column; rows after the
// cursor, by (col, id), at most limit.
func page[T any](ctx context.Context, s *Store, cols, table, where, col string, args []any, after storage.Cursor, limit int, scan func(rowScanner) (T, error)) ([]T, error) {
	if limit <= 0 {
		return nil, nil
	}
	q := `SELECT ` + cols + ` FROM ` + table + ` WHERE ` + where
	if !after.At.IsZero() {
		args = append(args, s.ts(after.At), after.ID)
		q += fmt.Sprintf(` AND (%s > $%d OR (%s = $%d AND id > $%d))`, col, len(args)-1, col, len(args)-1, len(args))
	}
	args = append(args, limit)
	q += fmt.Sprintf(` ORDER BY %s, id LIMIT $%d`, col, len(args))
	return queryAll(ctx, s, q, args, scan)
}

// PageAccountVerifications lists an account's verifications by creation.
func (s *Store) PageAccountVerifications(ctx context.Context, accountID string, after storage.Cursor, limit int) ([]*storage.Verification, error) {
	return page(ctx, s, verificationCols, "verifications", "account_id = $1", "created_at",
		[]any{accountID}, after, limit, scanVerification)
}

// statusTime is the column holding when a verification reached a status.
var statusTime = map[storage.Status]string{
	storage.StatusCreated:   "created_at",
	storage.StatusSubmitted: "submitted_at",
	storage.StatusDecided:   "decided_at",
}

// VerificationsByStatus lists the verifications in a status that reached
// it within [from, to), by that time.
func (s *Store) VerificationsByStatus(ctx context.Context, status storage.Status, from, to time.Time, after storage.Cursor, limit int) ([]*storage.Verification, error) {
	col, ok := statusTime[status]
	if !ok {
		return nil, fmt.Errorf("sqlstore: unknown verification status %q", status)
	}
	where, args := "status = $1", []any{string(status)}
	if !from.IsZero() {
		args = append(args, s.ts(from))
		where += fmt.Sprintf(" AND %s >= $%d", col, len(args))
	}
	if !to.IsZero() {
		args = append(args, s.ts(to))
		where += fmt.Sprintf(" AND %s < $%d", col, len(args))
	}
	return page(ctx, s, verificationCols, "verifications", where, col, args, after, limit, scanVerification)
}

// AccountHolderChecks lists the holder checks an account asked for.
func (s *Store) AccountHolderChecks(ctx context.Context, accountID string, after storage.Cursor, limit int) ([]*storage.HolderCheck, error) {
	return page(ctx, s, holderCheckCols, "holder_checks", "account_id = $1", "created_at",
		[]any{accountID}, after, limit, scanHolderCheck)
}

// AccountMigrations lists the migrations an account is the source or the
// target of.
func (s *Store) AccountMigrations(ctx context.Context, accountID string, after storage.Cursor, limit int) ([]*storage.Migration, error) {
	return page(ctx, s, migrationCols, "migrations", "(source_account = $1 OR target_account = $1)", "created_at",
		[]any{accountID}, after, limit, scanMigration)
}

// AccountCases lists the support cases an account opened.
func (s *Store) AccountCases(ctx context.Context, accountID string, after storage.Cursor, limit int) ([]storage.SupportCase, error) {
	return page(ctx, s, caseCols, "support_cases", "account_id = $1", "created_at",
		[]any{accountID}, after, limit, scanCase)
}
