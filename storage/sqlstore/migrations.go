package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"time"

	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
)

// Audit details written by the store itself (fixed phrases, never
// personal data).
const (
	detailCreated      = "migration requested"
	detailSourceClosed = "contacts moved; source account closed"
	detailSourceFrozen = "contacts moved; source account frozen"
)

const migrationCols = `id, kind, source_account, target_account, contacts, proofs, verification_id, state,
	refusal, error, created_at, updated_at`

func scanMigration(r rowScanner) (*storage.Migration, error) {
	m := &storage.Migration{}
	var kind, state, refusal string
	err := r.Scan(&m.ID, &kind, &m.SourceAccount, &m.TargetAccount, jsonCol{&m.Contacts}, jsonCol{&m.Proofs},
		&m.VerificationID, &state, &refusal, &m.Error, tsCol{&m.CreatedAt}, tsCol{&m.UpdatedAt})
	if err != nil {
		return nil, err
	}
	m.Kind, m.State, m.Refusal = storage.MigrationKind(kind), storage.MigrationState(state), reason.Code(refusal)
	return m, nil
}

func (s *Store) getMigration(ctx context.Context, q querier, id, lock string) (*storage.Migration, error) {
	m, err := scanMigration(q.QueryRowContext(ctx, `SELECT `+migrationCols+` FROM migrations WHERE id = $1`+lock, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("migration %s: %w", id, storage.ErrNotFound)
	}
	if err != nil {
		return nil, s.wrap(err)
	}
	return m, nil
}

// GetMigration returns the migration or ErrNotFound.
func (s *Store) GetMigration(ctx context.Context, id string) (*storage.Migration, error) {
	return s.getMigration(ctx, s.db, id, "")
}

func validateMigration(m *storage.Migration) error {
	if m == nil || m.ID == "" {
		return errors.New("sqlstore: migration needs an ID")
	}
	if m.Kind != storage.MigrationContact && m.Kind != storage.MigrationOccupancy {
		return fmt.Errorf("sqlstore: unknown migration kind %q", m.Kind)
	}
	if m.SourceAccount == "" || m.TargetAccount == "" || m.SourceAccount == m.TargetAccount {
		return errors.New("sqlstore: migration needs distinct source and target accounts")
	}
	if len(m.Contacts) == 0 {
		return errors.New("sqlstore: migration moves no contact")
	}
	seen := map[storage.ContactRef]bool{}
	for _, c := range m.Contacts {
		if !validContactKind(c.Kind) || c.Hash == "" {
			return errors.New("sqlstore: migration contact needs a kind (email, phone) and a hash")
		}
		k := storage.ContactRef{Kind: c.Kind, Hash: c.Hash}
		if seen[k] {
			return errors.New("sqlstore: migration names a contact twice")
		}
		seen[k] = true
	}
	return nil
}

// sameMigration reports whether two migrations ask for the same thing.
func sameMigration(a, b *storage.Migration) bool {
	return a.Kind == b.Kind && a.SourceAccount == b.SourceAccount && a.TargetAccount == b.TargetAccount &&
		a.VerificationID == b.VerificationID && a.Proofs == b.Proofs && reflect.DeepEqual(a.Contacts, b.Contacts)
}

// CreateMigration stores a migration in MigrationRequested and audits it.
// The same ID with the same content again is a no-op (created=false); with
// other content it is ErrConflict.
func (s *Store) CreateMigration(ctx context.Context, m *storage.Migration) (*storage.Migration, bool, error) {
	if err := validateMigration(m); err != nil {
		return nil, false, err
	}
	contacts, err := jsonText(m.Contacts)
	if err != nil {
		return nil, false, err
	}
	proofs, err := jsonText(m.Proofs)
	if err != nil {
		return nil, false, err
	}
	at := orNow(m.CreatedAt)
	var stored *storage.Migration
	var created bool
	err = s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO migrations (id, kind, source_account, target_account, contacts,
			proofs, verification_id, state, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) ON CONFLICT (id) DO NOTHING`,
			m.ID, string(m.Kind), m.SourceAccount, m.TargetAccount, contacts, proofs, m.VerificationID,
			string(storage.MigrationRequested), s.ts(at))
		if err != nil {
			return err
		}
		created = false
		if n, _ := res.RowsAffected(); n == 1 {
			created = true
			for _, acc := range []string{m.SourceAccount, m.TargetAccount} {
				if err := s.ensureAccount(ctx, tx, acc, at); err != nil {
					return err
				}
			}
			if err := s.audit(ctx, tx, m.ID, "", storage.MigrationRequested, detailCreated, at); err != nil {
				return err
			}
		}
		stored, err = s.getMigration(ctx, tx, m.ID, "")
		if err != nil {
			return err
		}
		if !created && !sameMigration(stored, m) {
			return fmt.Errorf("migration %s exists with other content: %w", m.ID, storage.ErrConflict)
		}
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	return stored, created, nil
}

// audit appends one event to a migration's trail.
func (s *Store) audit(ctx context.Context, tx *sql.Tx, id string, from, to storage.MigrationState, detail string, at time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO migration_events (migration_id, from_state, to_state, detail, at)
		VALUES ($1, $2, $3, $4, $5)`, id, string(from), string(to), detail, s.ts(at))
	if err != nil {
		return err
	}
	return s.emitMigrationStep(ctx, tx, id, from, to, at)
}

// transitionAllowed is the migration state machine: requested → validated
// → executing, refused or failed from any state that is not final.
// Completed is reached only through ExecuteMigration, which moves the
// contacts.
func transitionAllowed(from, to storage.MigrationState) bool {
	switch to {
	case storage.MigrationValidated:
		return from == storage.MigrationRequested
	case storage.MigrationExecuting:
		return from == storage.MigrationValidated
	case storage.MigrationRefused, storage.MigrationFailed:
		return from == storage.MigrationRequested || from == storage.MigrationValidated || from == storage.MigrationExecuting
	}
	return false
}

// TransitionMigration moves a migration from one state to another and
// audits the step, atomically. Already in to: a no-op returning the stored
// migration. In neither from nor to: the stored migration and ErrConflict.
// A step the state machine does not have (e.g. to completed, which only
// ExecuteMigration reaches) is an error.
func (s *Store) TransitionMigration(ctx context.Context, id string, from, to storage.MigrationState,
	refusal reason.Code, detail string, at time.Time) (*storage.Migration, error) {
	if !transitionAllowed(from, to) {
		return nil, fmt.Errorf("sqlstore: no migration step from %q to %q", from, to)
	}
	at = orNow(at)
	var out *storage.Migration
	err := s.tx(ctx, func(tx *sql.Tx) error {
		m, err := s.getMigration(ctx, tx, id, s.forUpdate())
		if err != nil {
			return err
		}
		out = m
		if m.State == to {
			return nil
		}
		if m.State != from {
			return fmt.Errorf("migration %s is %s, not %s: %w", id, m.State, from, storage.ErrConflict)
		}
		ref, errText := "", ""
		if to == storage.MigrationRefused {
			ref = string(refusal)
		}
		if to == storage.MigrationFailed {
			errText = detail
		}
		if _, err := tx.ExecContext(ctx, `UPDATE migrations SET state = $1, refusal = $2, error = $3, updated_at = $4
			WHERE id = $5 AND state = $6`, string(to), ref, errText, s.ts(at), id, string(from)); err != nil {
			return err
		}
		if err := s.audit(ctx, tx, id, from, to, detail, at); err != nil {
			return err
		}
		out, err = s.getMigration(ctx, tx, id, "")
		return err
	})
	if errors.Is(err, storage.ErrConflict) {
		return out, err
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ExecuteMigration performs an executing migration in one transaction (see
// storage.Migrations). Rows are locked in a fixed order — the migration,
// the two accounts by ID, then the contacts by (kind, hash) — the order the
// other account-dependent writes (claims, bindings, holdings) keep, so
// concurrent writers serialise without deadlocking. Every fact the refusal
// depends on is read under those locks: a redelivered task acting on
// facts validated hours earlier cannot close a source that meanwhile
// completed KYC, claimed a document or received assets.
func (s *Store) ExecuteMigration(ctx context.Context, id string, at time.Time) (*storage.Migration, error) {
	at = orNow(at)
	var out *storage.Migration
	err := s.tx(ctx, func(tx *sql.Tx) error {
		m, err := s.getMigration(ctx, tx, id, s.forUpdate())
		if err != nil {
			return err
		}
		out = m
		switch m.State {
		case storage.MigrationCompleted, storage.MigrationRefused:
			return nil
		case storage.MigrationExecuting:
		default:
			return fmt.Errorf("migration %s is %s, not executing: %w", id, m.State, storage.ErrConflict)
		}
		accounts, err := s.lockAccounts(ctx, tx, at, m.SourceAccount, m.TargetAccount)
		if err != nil {
			return err
		}
		refs := append([]storage.ContactRef(nil), m.Contacts...)
		sort.Slice(refs, func(i, j int) bool {
			if refs[i].Kind != refs[j].Kind {
				return refs[i].Kind < refs[j].Kind
			}
			return refs[i].Hash < refs[j].Hash
		})
		refusal, err := s.executeRefusal(ctx, tx, m, accounts[m.SourceAccount], accounts[m.TargetAccount], refs)
		if err != nil {
			return err
		}
		if refusal != "" {
			if err := s.finish(ctx, tx, m, storage.MigrationRefused, refusal, string(refusal), at); err != nil {
				return err
			}
		} else {
			detail, err := s.moveContacts(ctx, tx, m, refs, at)
			if err != nil {
				return err
			}
			if err := s.finish(ctx, tx, m, storage.MigrationCompleted, "", detail, at); err != nil {
				return err
			}
		}
		out, err = s.getMigration(ctx, tx, id, "")
		return err
	})
	if errors.Is(err, storage.ErrConflict) {
		return out, err
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// lockAccounts locks the given accounts in ID order and returns them by ID.
func (s *Store) lockAccounts(ctx context.Context, tx *sql.Tx, at time.Time, ids ...string) (map[string]*storage.Account, error) {
	ids = append([]string(nil), ids...)
	sort.Strings(ids)
	out := make(map[string]*storage.Account, len(ids))
	for _, id := range ids {
		a, err := s.lockAccount(ctx, tx, id, at)
		if err != nil {
			return nil, err
		}
		out[id] = a
	}
	return out, nil
}

// executeRefusal re-checks, under the locks of ExecuteMigration, every fact
// the store holds and returns the refusal that applies or "". The order is
// kyc.MigrationRefusal's, except that a contact migrated before comes
// first: of two migrations racing for one contact, the loser reads
// migration_already_used even though the winner closed their source.
func (s *Store) executeRefusal(ctx context.Context, tx *sql.Tx, m *storage.Migration, src, dst *storage.Account,
	refs []storage.ContactRef) (reason.Code, error) {
	contacts, err := s.checkContacts(ctx, tx, m, refs)
	if err != nil || contacts == reason.MigrationAlreadyUsed {
		return contacts, err
	}
	switch {
	case src.Status == storage.AccountClosed, dst.Status != storage.AccountActive,
		m.Kind == storage.MigrationContact && src.Status != storage.AccountActive:
		return reason.MigrationInvalid, nil
	}
	claimed, err := s.holdsClaim(ctx, tx, src.ID)
	if err != nil {
		return "", err
	}
	if src.KYCVerified || claimed {
		return reason.MigrationSourceVerified, nil
	}
	var undecided int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM verifications WHERE account_id = $1 AND status = $2`,
		src.ID, string(storage.StatusSubmitted)).Scan(&undecided); err != nil {
		return "", err
	}
	if undecided > 0 {
		return reason.MigrationSourceVerifying, nil
	}
	if contacts != "" {
		return contacts, nil
	}
	h, err := s.getHoldings(ctx, tx, src.ID)
	switch {
	case errors.Is(err, storage.ErrNotFound):
		// Never reported to the store: the task asked the exchange's
		// account state right before this step (unknown refuses there).
	case err != nil:
		return "", err
	case !h.Empty():
		return reason.MigrationSourceNotEmpty, nil
	}
	return "", nil
}

// holdsClaim reports whether an account holds a document claim: it
// completed KYC even if the follow-up that marks it verified has not run.
func (s *Store) holdsClaim(ctx context.Context, q querier, accountID string) (bool, error) {
	var one int
	err := q.QueryRowContext(ctx, `SELECT 1 FROM document_claims WHERE account_id = $1 LIMIT 1`, accountID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// checkContacts locks the migration's contacts and returns the refusal
// that applies, if any: a contact migrated before (checked first, so that
// of two migrations racing for one contact the loser reads "already used")
// or one no longer bound to the source.
func (s *Store) checkContacts(ctx context.Context, tx *sql.Tx, m *storage.Migration, refs []storage.ContactRef) (reason.Code, error) {
	var refusal reason.Code
	for _, ref := range refs {
		holder, err := s.contactHolder(ctx, tx, ref.Kind, ref.Hash, s.forUpdate())
		notFound := errors.Is(err, storage.ErrNotFound)
		if err != nil && !notFound {
			return "", err
		}
		migrated, err := s.contactMigrated(ctx, tx, ref.Kind, ref.Hash)
		if err != nil {
			return "", err
		}
		switch {
		case migrated:
			return reason.MigrationAlreadyUsed, nil
		case (notFound || holder.AccountID != m.SourceAccount) && refusal == "":
			refusal = reason.MigrationContactNotFound
		}
	}
	return refusal, nil
}

// moveContacts records the contacts as migrated and rebinds them to the
// target, unbinding the target's own contacts of the kinds moved
// (replaced); then it closes the source, unbinding what is left on it
// (released), or freezes it. Every change is recorded in the contact
// trail. It returns the audit detail.
func (s *Store) moveContacts(ctx context.Context, tx *sql.Tx, m *storage.Migration, refs []storage.ContactRef, at time.Time) (string, error) {
	moved := map[storage.ContactRef]bool{}
	kinds := map[storage.ContactKind]bool{}
	for _, ref := range refs {
		moved[storage.ContactRef{Kind: ref.Kind, Hash: ref.Hash}] = true
		kinds[ref.Kind] = true
	}
	// The target's contacts of the kinds moved are replaced.
	targets, err := s.accountContacts(ctx, tx, m.TargetAccount)
	if err != nil {
		return "", err
	}
	var replaced []storage.Contact
	for _, c := range targets {
		if kinds[c.Kind] && !moved[storage.ContactRef{Kind: c.Kind, Hash: c.Hash}] {
			replaced = append(replaced, c)
		}
	}
	for _, ref := range refs {
		res, err := tx.ExecContext(ctx, `INSERT INTO migrated_contacts (kind, hash, migration_id, migrated_at)
			VALUES ($1, $2, $3, $4) ON CONFLICT (kind, hash) DO NOTHING`, string(ref.Kind), ref.Hash, m.ID, s.ts(at))
		if err != nil {
			return "", err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			// Another transaction migrated it after our check: impossible
			// while the contact row is locked, but run again rather than
			// move it twice.
			return "", errRetry
		}
		if _, err := tx.ExecContext(ctx, `UPDATE contacts SET account_id = $1, bound_at = $2
			WHERE kind = $3 AND hash = $4 AND account_id = $5`,
			m.TargetAccount, s.ts(at), string(ref.Kind), ref.Hash, m.SourceAccount); err != nil {
			return "", err
		}
		if err := s.recordChange(ctx, tx, m.ID, storage.ContactMoved, storage.Contact{Kind: ref.Kind, Hash: ref.Hash,
			Masked: ref.Masked, AccountID: m.SourceAccount}, at); err != nil {
			return "", err
		}
	}
	if err := s.unbind(ctx, tx, m.ID, storage.ContactReplaced, replaced, at); err != nil {
		return "", err
	}
	if m.Kind == storage.MigrationContact {
		left, err := s.accountContacts(ctx, tx, m.SourceAccount)
		if err != nil {
			return "", err
		}
		if err := s.unbind(ctx, tx, m.ID, storage.ContactReleased, left, at); err != nil {
			return "", err
		}
		_, err = tx.ExecContext(ctx, `UPDATE accounts SET status = $1, referrals_dropped = $2, updated_at = $3 WHERE id = $4`,
			string(storage.AccountClosed), true, s.ts(at), m.SourceAccount)
		return detailSourceClosed, err
	}
	_, err = tx.ExecContext(ctx, `UPDATE accounts SET status = $1, updated_at = $2 WHERE id = $3`,
		string(storage.AccountFrozen), s.ts(at), m.SourceAccount)
	return detailSourceFrozen, err
}

// accountContacts lists (and locks) the contacts bound to an account, by
// kind then hash.
func (s *Store) accountContacts(ctx context.Context, tx *sql.Tx, accountID string) ([]storage.Contact, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+contactCols+` FROM contacts WHERE account_id = $1 ORDER BY kind, hash`+s.forUpdate(), accountID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []storage.Contact
	for rows.Next() {
		c, err := scanContact(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// unbind deletes contacts' bindings and records each in the contact trail.
func (s *Store) unbind(ctx context.Context, tx *sql.Tx, migrationID string, change storage.ContactChangeKind, cs []storage.Contact, at time.Time) error {
	for _, c := range cs {
		if _, err := tx.ExecContext(ctx, `DELETE FROM contacts WHERE kind = $1 AND hash = $2 AND account_id = $3`,
			string(c.Kind), c.Hash, c.AccountID); err != nil {
			return err
		}
		if err := s.recordChange(ctx, tx, migrationID, change, c, at); err != nil {
			return err
		}
	}
	return nil
}

// recordChange appends one entry to a migration's contact trail; c's
// AccountID is the account the contact was bound to before.
func (s *Store) recordChange(ctx context.Context, tx *sql.Tx, migrationID string, change storage.ContactChangeKind, c storage.Contact, at time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO migration_contact_changes (migration_id, change, kind, hash, masked, account_id, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, migrationID, string(change), string(c.Kind), c.Hash, c.Masked, c.AccountID, s.ts(at))
	return err
}

// ContactChanges returns the contacts a completed migration moved, replaced
// and released, in the order they were changed.
func (s *Store) ContactChanges(ctx context.Context, id string) ([]storage.ContactChange, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT migration_id, change, kind, hash, masked, account_id, at
		FROM migration_contact_changes WHERE migration_id = $1 ORDER BY seq`, id)
	if err != nil {
		return nil, s.wrap(err)
	}
	defer rows.Close()
	var out []storage.ContactChange
	for rows.Next() {
		var c storage.ContactChange
		var change, kind string
		if err := rows.Scan(&c.MigrationID, &change, &kind, &c.Hash, &c.Masked, &c.Account, tsCol{&c.At}); err != nil {
			return nil, s.wrap(err)
		}
		c.Change, c.Kind = storage.ContactChangeKind(change), storage.ContactKind(kind)
		out = append(out, c)
	}
	return out, s.wrap(rows.Err())
}

// finish moves an executing migration to a final state and audits it.
func (s *Store) finish(ctx context.Context, tx *sql.Tx, m *storage.Migration, to storage.MigrationState,
	refusal reason.Code, detail string, at time.Time) error {
	if _, err := tx.ExecContext(ctx, `UPDATE migrations SET state = $1, refusal = $2, updated_at = $3 WHERE id = $4`,
		string(to), string(refusal), s.ts(at), m.ID); err != nil {
		return err
	}
	return s.audit(ctx, tx, m.ID, m.State, to, detail, at)
}

// MigrationEvents returns the audit trail of a migration, oldest first.
func (s *Store) MigrationEvents(ctx context.Context, id string) ([]storage.MigrationEvent, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT migration_id, from_state, to_state, detail, at FROM migration_events
		WHERE migration_id = $1 ORDER BY seq`, id)
	if err != nil {
		return nil, s.wrap(err)
	}
	defer rows.Close()
	var out []storage.MigrationEvent
	for rows.Next() {
		var e storage.MigrationEvent
		var from, to string
		if err := rows.Scan(&e.MigrationID, &from, &to, &e.Detail, tsCol{&e.At}); err != nil {
			return nil, s.wrap(err)
		}
		e.From, e.To = storage.MigrationState(from), storage.MigrationState(to)
		out = append(out, e)
	}
	return out, s.wrap(rows.Err())
}

// ContactMigrated reports whether a contact was ever migrated.
func (s *Store) ContactMigrated(ctx context.Context, kind storage.ContactKind, hash string) (bool, error) {
	ok, err := s.contactMigrated(ctx, s.db, kind, hash)
	return ok, s.wrap(err)
}

func (s *Store) contactMigrated(ctx context.Context, q querier, kind storage.ContactKind, hash string) (bool, error) {
	var one int
	err := q.QueryRowContext(ctx, `SELECT 1 FROM migrated_contacts WHERE kind = $1 AND hash = $2`, string(kind), hash).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}
