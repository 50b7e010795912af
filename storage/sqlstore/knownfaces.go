package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/kycq/kycq/storage"
)

// PutKnownFace implements storage.KnownFaces.
func (s *Store) PutKnownFace(ctx context.Context, f storage.KnownFace) error {
	if f.AccountID == "" || f.VerificationID == "" || f.DocKey == "" || len(f.FaceSealed) == 0 {
		return errors.New("sqlstore: a known face needs an account, a verification, a document key and a sealed face")
	}
	at := orNow(f.AddedAt)
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.ensureAccount(ctx, tx, f.AccountID, at); err != nil {
			return err
		}
		a, err := s.getAccount(ctx, tx, f.AccountID, s.forUpdate())
		if err != nil {
			return err
		}
		if a.Status == storage.AccountClosed {
			return fmt.Errorf("account %s is closed: %w", f.AccountID, storage.ErrConflict)
		}
		var vid string
		var sealed []byte
		err = tx.QueryRowContext(ctx, `SELECT verification_id, face_sealed FROM known_faces WHERE account_id = $1`, f.AccountID).
			Scan(&vid, blobCol{&sealed})
		switch {
		case errors.Is(err, sql.ErrNoRows):
			_, err = tx.ExecContext(ctx, `INSERT INTO known_faces (account_id, verification_id, doc_key, face_sealed, added_at)
				VALUES ($1, $2, $3, $4, $5)`, f.AccountID, f.VerificationID, f.DocKey, blob(f.FaceSealed), s.ts(at))
			return err
		case err != nil:
			return err
		case vid == f.VerificationID && bytes.Equal(sealed, f.FaceSealed):
			return nil // the same face again
		}
		_, err = tx.ExecContext(ctx, `UPDATE known_faces SET verification_id = $1, doc_key = $2, face_sealed = $3, added_at = $4
			WHERE account_id = $5`, f.VerificationID, f.DocKey, blob(f.FaceSealed), s.ts(at), f.AccountID)
		return err
	})
}

// KnownFacesAfter implements storage.KnownFaces.
func (s *Store) KnownFacesAfter(ctx context.Context, after string, limit int) ([]storage.KnownFace, error) {
	if limit <= 0 {
		return nil, errors.New("sqlstore: KnownFacesAfter needs a positive limit")
	}
	rows, err := s.db.QueryContext(ctx, `SELECT account_id, verification_id, doc_key, face_sealed, added_at
		FROM known_faces WHERE account_id > $1 ORDER BY account_id LIMIT $2`, after, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []storage.KnownFace
	for rows.Next() {
		var f storage.KnownFace
		if err := rows.Scan(&f.AccountID, &f.VerificationID, &f.DocKey, blobCol{&f.FaceSealed}, tsCol{&f.AddedAt}); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// DeleteKnownFace implements storage.KnownFaces.
func (s *Store) DeleteKnownFace(ctx context.Context, accountID string) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM known_faces WHERE account_id = $1`, accountID)
	return err
}

// DeleteKnownFacesBefore implements storage.KnownFaces.
func (s *Store) DeleteKnownFacesBefore(ctx context.Context, t time.Time) ([]string, error) {
	var out []string
	err := s.tx(ctx, func(tx *sql.Tx) error {
		out = out[:0]
		rows, err := tx.QueryContext(ctx, `DELETE FROM known_faces WHERE added_at < $1 RETURNING account_id`, s.ts(t))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				return err
			}
			out = append(out, id)
		}
		return rows.Err()
	})
	return out, err
}
