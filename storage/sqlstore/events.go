package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/kycq/kycq/storage"
	"github.com/kycq/kycq/webhooks"
)

// The producers' events. Each runs inside the transaction of the change it
// reports and only when that change happened (not on an idempotent repeat).

// emitVerification appends a verification event; d is the decision of
// verification.decided.
func (s *Store) emitVerification(ctx context.Context, tx *sql.Tx, typ, id string, d *storage.Decision, at time.Time) error {
	var account string
	if err := tx.QueryRowContext(ctx, `SELECT account_id FROM verifications WHERE id = $1`, id).Scan(&account); err != nil {
		return err
	}
	data := webhooks.Data{VerificationID: id, AccountID: account}
	if d != nil {
		data.Outcome = string(d.Outcome)
		for _, r := range d.Reasons {
			data.Reasons = append(data.Reasons, string(r))
		}
	}
	return s.emit(ctx, tx, typ, "verification:"+id, data, at)
}

// emitHolderCheck appends a holder-check event with its outcome
// (matched, mismatch, mine, not_mine).
func (s *Store) emitHolderCheck(ctx context.Context, tx *sql.Tx, typ string, h *storage.HolderCheck, outcome string, at time.Time) error {
	return s.emit(ctx, tx, typ, "holder_check:"+h.ID, webhooks.Data{
		HolderCheckID: h.ID, VerificationID: h.VerificationID, AccountID: h.AccountID,
		Outcome: outcome, MigrationID: h.MigrationID, CaseID: h.CaseID,
	}, at)
}

// emitCase appends a support-case event.
func (s *Store) emitCase(ctx context.Context, tx *sql.Tx, typ string, c storage.SupportCase) error {
	at, outcome := c.CreatedAt, ""
	if typ != webhooks.SupportCaseOpened {
		at, outcome = c.UpdatedAt, string(c.State)
	}
	return s.emit(ctx, tx, typ, "support_case:"+c.ID, webhooks.Data{
		CaseID: c.ID, Kind: c.Kind, AccountID: c.AccountID, VerificationID: c.VerificationID, Outcome: outcome,
	}, at)
}

// emitMigrationStep appends the event of one audited migration step:
// migration.completed, .refused or .failed for the final states,
// migration.step for the others. The migration row is already updated.
func (s *Store) emitMigrationStep(ctx context.Context, tx *sql.Tx, id string, from, to storage.MigrationState, at time.Time) error {
	var kind, source, refusal string
	if err := tx.QueryRowContext(ctx, `SELECT kind, source_account, refusal FROM migrations WHERE id = $1`, id).
		Scan(&kind, &source, &refusal); err != nil {
		return err
	}
	typ := webhooks.MigrationStep
	switch to {
	case storage.MigrationCompleted:
		typ = webhooks.MigrationCompleted
	case storage.MigrationRefused:
		typ = webhooks.MigrationRefused
	case storage.MigrationFailed:
		typ = webhooks.MigrationFailed
	}
	d := webhooks.Data{MigrationID: id, Kind: kind, AccountID: source, From: string(from), To: string(to), Outcome: string(to)}
	if refusal != "" && to == storage.MigrationRefused {
		d.Reasons = []string{refusal}
	}
	return s.emit(ctx, tx, typ, "migration:"+id, d, at)
}
