package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/kycq/kycq/storage"
)

// ensureAccount creates an active, unverified account the first time
// anything refers to it.
func (s *Store) ensureAccount(ctx context.Context, tx *sql.Tx, id string, at time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO accounts (id, status, updated_at) VALUES ($1, $2, $3)
		ON CONFLICT (id) DO NOTHING`, id, string(storage.AccountActive), s.ts(orNow(at)))
	return err
}

const accountCols = `id, status, kyc_verified, verification_id, face_sealed, referrals_dropped, updated_at`

func (s *Store) getAccount(ctx context.Context, q querier, id, lock string) (*storage.Account, error) {
	a := &storage.Account{}
	var status string
	err := q.QueryRowContext(ctx, `SELECT `+accountCols+` FROM accounts WHERE id = $1`+lock, id).Scan(
		&a.ID, &status, &a.KYCVerified, &a.VerificationID, blobCol{&a.FaceSealed}, &a.ReferralsDropped, tsCol{&a.UpdatedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("account %s: %w", id, storage.ErrNotFound)
	}
	if err != nil {
		return nil, s.wrap(err)
	}
	a.Status = storage.AccountStatus(status)
	return a, nil
}

// GetAccount returns the account or ErrNotFound.
func (s *Store) GetAccount(ctx context.Context, id string) (*storage.Account, error) {
	return s.getAccount(ctx, s.db, id, "")
}

// MarkAccountVerified records an approved verification and its sealed face
// descriptor on the account; the first approved verification stays.
func (s *Store) MarkAccountVerified(ctx context.Context, accountID, verificationID string, faceSealed []byte, at time.Time) error {
	if accountID == "" || verificationID == "" {
		return errors.New("sqlstore: MarkAccountVerified needs an account and a verification")
	}
	at = orNow(at)
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.ensureAccount(ctx, tx, accountID, at); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE accounts SET kyc_verified = $1, verification_id = $2, face_sealed = $3,
			updated_at = $4 WHERE id = $5 AND kyc_verified = $6`,
			true, verificationID, blob(faceSealed), s.ts(at), accountID, false)
		return err
	})
}

// SetAccountStatus freezes, closes (or reactivates) an account. Closed is
// final: reopening or freezing a closed account is ErrConflict; closing it
// again is a no-op.
func (s *Store) SetAccountStatus(ctx context.Context, accountID string, st storage.AccountStatus, at time.Time) error {
	switch st {
	case storage.AccountActive, storage.AccountFrozen, storage.AccountClosed:
	default:
		return fmt.Errorf("sqlstore: unknown account status %q", st)
	}
	if accountID == "" {
		return errors.New("sqlstore: SetAccountStatus needs an account")
	}
	at = orNow(at)
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.ensureAccount(ctx, tx, accountID, at); err != nil {
			return err
		}
		a, err := s.getAccount(ctx, tx, accountID, s.forUpdate())
		if err != nil {
			return err
		}
		if a.Status == st {
			return nil
		}
		if a.Status == storage.AccountClosed {
			return fmt.Errorf("account %s is closed: %w", accountID, storage.ErrConflict)
		}
		_, err = tx.ExecContext(ctx, `UPDATE accounts SET status = $1, updated_at = $2 WHERE id = $3`,
			string(st), s.ts(at), accountID)
		if err == nil && st == storage.AccountClosed {
			// Closure deletes the account's known face (biometric data).
			_, err = tx.ExecContext(ctx, `DELETE FROM known_faces WHERE account_id = $1`, accountID)
		}
		return err
	})
}

func validContactKind(k storage.ContactKind) bool {
	return k == storage.ContactEmail || k == storage.ContactPhone
}

// BindContact binds a contact to an account, first binding wins: a contact
// bound to the same account is a no-op (won=true), one bound to another
// account is refused (won=false) and that binding returned. A new binding
// to a frozen or closed account is ErrAccountInactive, decided under the
// account's row lock.
func (s *Store) BindContact(ctx context.Context, c storage.Contact) (storage.Contact, bool, error) {
	if !validContactKind(c.Kind) {
		return storage.Contact{}, false, fmt.Errorf("sqlstore: unknown contact kind %q", c.Kind)
	}
	if c.Hash == "" || c.AccountID == "" {
		return storage.Contact{}, false, errors.New("sqlstore: contact needs a hash and an account")
	}
	c.BoundAt = orNow(c.BoundAt)
	var holder storage.Contact
	err := s.tx(ctx, func(tx *sql.Tx) error {
		a, err := s.lockAccount(ctx, tx, c.AccountID, c.BoundAt)
		if err != nil {
			return err
		}
		holder, err = s.contactHolder(ctx, tx, c.Kind, c.Hash, "")
		if err == nil {
			return nil // bound already, here or elsewhere
		}
		if !errors.Is(err, storage.ErrNotFound) {
			return err
		}
		if a.Status != storage.AccountActive {
			return fmt.Errorf("bind a contact to account %s (%s): %w", c.AccountID, a.Status, storage.ErrAccountInactive)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO contacts (kind, hash, masked, account_id, bound_at)
			VALUES ($1, $2, $3, $4, $5) ON CONFLICT (kind, hash) DO NOTHING`,
			string(c.Kind), c.Hash, c.Masked, c.AccountID, s.ts(c.BoundAt)); err != nil {
			return err
		}
		holder, err = s.contactHolder(ctx, tx, c.Kind, c.Hash, "")
		return err
	})
	if err != nil {
		return storage.Contact{}, false, err
	}
	return holder, holder.AccountID == c.AccountID, nil
}

// lockAccount brings an account into being if needed and returns it with
// its row locked for the transaction: the writes that depend on an
// account's state (claims, bindings, holdings, migrations) serialise on it.
func (s *Store) lockAccount(ctx context.Context, tx *sql.Tx, id string, at time.Time) (*storage.Account, error) {
	if err := s.ensureAccount(ctx, tx, id, at); err != nil {
		return nil, err
	}
	return s.getAccount(ctx, tx, id, s.forUpdate())
}

const contactCols = `kind, hash, masked, account_id, bound_at`

func scanContact(r rowScanner) (storage.Contact, error) {
	var c storage.Contact
	var kind string
	err := r.Scan(&kind, &c.Hash, &c.Masked, &c.AccountID, tsCol{&c.BoundAt})
	c.Kind = storage.ContactKind(kind)
	return c, err
}

func (s *Store) contactHolder(ctx context.Context, q querier, kind storage.ContactKind, hash, lock string) (storage.Contact, error) {
	c, err := scanContact(q.QueryRowContext(ctx, `SELECT `+contactCols+` FROM contacts WHERE kind = $1 AND hash = $2`+lock,
		string(kind), hash))
	if errors.Is(err, sql.ErrNoRows) {
		return storage.Contact{}, fmt.Errorf("%s contact: %w", kind, storage.ErrNotFound)
	}
	if err != nil {
		return storage.Contact{}, s.wrap(err)
	}
	return c, nil
}

// ContactHolder returns the binding of a contact hash or ErrNotFound.
func (s *Store) ContactHolder(ctx context.Context, kind storage.ContactKind, hash string) (storage.Contact, error) {
	return s.contactHolder(ctx, s.db, kind, hash, "")
}

// Contacts lists the contacts bound to an account, by kind then hash.
func (s *Store) Contacts(ctx context.Context, accountID string) ([]storage.Contact, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+contactCols+` FROM contacts WHERE account_id = $1 ORDER BY kind, hash`, accountID)
	if err != nil {
		return nil, s.wrap(err)
	}
	defer rows.Close()
	var out []storage.Contact
	for rows.Next() {
		c, err := scanContact(rows)
		if err != nil {
			return nil, s.wrap(err)
		}
		out = append(out, c)
	}
	return out, s.wrap(rows.Err())
}

// SetHoldings records what an account holds.
func (s *Store) SetHoldings(ctx context.Context, accountID string, h storage.Holdings, at time.Time) error {
	if accountID == "" {
		return errors.New("sqlstore: SetHoldings needs an account")
	}
	at = orNow(at)
	return s.tx(ctx, func(tx *sql.Tx) error {
		// Locked so that a migration executing on the account sees these
		// holdings, or runs before they are written.
		if _, err := s.lockAccount(ctx, tx, accountID, at); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO holdings (account_id, assets, pending_withdrawals, open_orders, updated_at)
			VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (account_id) DO UPDATE SET assets = excluded.assets,
				pending_withdrawals = excluded.pending_withdrawals, open_orders = excluded.open_orders,
				updated_at = excluded.updated_at`,
			accountID, h.Assets, h.PendingWithdrawals, h.OpenOrders, s.ts(at))
		return err
	})
}

// GetHoldings returns what an account holds, or ErrNotFound when its
// holdings were never reported: unknown, never empty.
func (s *Store) GetHoldings(ctx context.Context, accountID string) (storage.Holdings, error) {
	return s.getHoldings(ctx, s.db, accountID)
}

func (s *Store) getHoldings(ctx context.Context, q querier, accountID string) (storage.Holdings, error) {
	var h storage.Holdings
	err := q.QueryRowContext(ctx, `SELECT assets, pending_withdrawals, open_orders FROM holdings WHERE account_id = $1`,
		accountID).Scan(&h.Assets, &h.PendingWithdrawals, &h.OpenOrders)
	if errors.Is(err, sql.ErrNoRows) {
		return storage.Holdings{}, fmt.Errorf("holdings of account %s: %w", accountID, storage.ErrNotFound)
	}
	return h, s.wrap(err)
}

// ClaimDocument claims a document for an account; the first account wins,
// the same account again is a no-op with won=true, and the holder's claim
// is always returned. A frozen or closed account claims nothing
// (ErrAccountInactive): the account's row is locked for the claim, so a
// migration closing the account runs wholly before or after it.
func (s *Store) ClaimDocument(ctx context.Context, c storage.Claim) (storage.Claim, bool, error) {
	if c.DocKey == "" || c.AccountID == "" {
		return storage.Claim{}, false, errors.New("sqlstore: claim needs a document key and an account")
	}
	c.ClaimedAt = orNow(c.ClaimedAt)
	var holder storage.Claim
	err := s.tx(ctx, func(tx *sql.Tx) error {
		a, err := s.lockAccount(ctx, tx, c.AccountID, c.ClaimedAt)
		if err != nil {
			return err
		}
		holder, err = s.documentHolder(ctx, tx, c.DocKey)
		if err == nil {
			return nil // claimed already, by this account or another
		}
		if !errors.Is(err, storage.ErrNotFound) {
			return err
		}
		if a.Status != storage.AccountActive {
			return fmt.Errorf("claim for account %s (%s): %w", c.AccountID, a.Status, storage.ErrAccountInactive)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO document_claims (doc_key, account_id, verification_id, claimed_at)
			VALUES ($1, $2, $3, $4) ON CONFLICT (doc_key) DO NOTHING`,
			c.DocKey, c.AccountID, c.VerificationID, s.ts(c.ClaimedAt)); err != nil {
			return err
		}
		holder, err = s.documentHolder(ctx, tx, c.DocKey)
		return err
	})
	if err != nil {
		return storage.Claim{}, false, err
	}
	return holder, holder.AccountID == c.AccountID, nil
}

// DocumentHolder returns the claim on a document or ErrNotFound.
func (s *Store) DocumentHolder(ctx context.Context, docKey string) (storage.Claim, error) {
	return s.documentHolder(ctx, s.db, docKey)
}

func (s *Store) documentHolder(ctx context.Context, q querier, docKey string) (storage.Claim, error) {
	var c storage.Claim
	err := q.QueryRowContext(ctx, `SELECT doc_key, account_id, verification_id, claimed_at FROM document_claims
		WHERE doc_key = $1`, docKey).Scan(&c.DocKey, &c.AccountID, &c.VerificationID, tsCol{&c.ClaimedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return storage.Claim{}, fmt.Errorf("document claim: %w", storage.ErrNotFound)
	}
	if err != nil {
		return storage.Claim{}, s.wrap(err)
	}
	return c, nil
}
