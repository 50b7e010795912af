package storage

import (
	"context"
	"time"
)

// Cursor is a position in a list ordered by (time, ID): the last item of
// the previous page. The zero Cursor is the start.
type Cursor struct {
	At time.Time
	ID string
}

// Lists pages through what an account has and through verifications for
// reconciliation. Every list is ordered by (time, ID), oldest first, and
// returns at most limit items after the cursor; its query is served by an
// index.
type Lists interface {
	// PageAccountVerifications lists an account's verifications by creation.
	PageAccountVerifications(ctx context.Context, accountID string, after Cursor, limit int) ([]*Verification, error)
	// VerificationsByStatus lists the verifications in a status whose time
	// of reaching it (CreatedAt, SubmittedAt or DecidedAt) is in [from,
	// to) (a zero time leaves that end open), by that time.
	VerificationsByStatus(ctx context.Context, status Status, from, to time.Time, after Cursor, limit int) ([]*Verification, error)
	// AccountHolderChecks lists the holder checks an account asked for, by
	// creation.
	AccountHolderChecks(ctx context.Context, accountID string, after Cursor, limit int) ([]*HolderCheck, error)
	// AccountMigrations lists the migrations an account is the source or
	// the target of, by creation.
	AccountMigrations(ctx context.Context, accountID string, after Cursor, limit int) ([]*Migration, error)
	// AccountCases lists the support cases an account opened, by creation.
	AccountCases(ctx context.Context, accountID string, after Cursor, limit int) ([]SupportCase, error)
}
