package storage

import (
	"context"
	"time"
)

// KnownFace is the face of an approved verification, kept so that each
// new verification's face can be searched against the faces already
// verified (rules §10, face_already_verified). The descriptor is biometric
// data: it is stored only sealed (internal/privacy, with the verification
// ID as associated data) and lives in memory, unsealed, only in the search
// index.
type KnownFace struct {
	AccountID      string
	VerificationID string
	// DocKey is the approved verification's document key: the same face
	// with the same document is the occupancy path, not a finding.
	DocKey     string
	FaceSealed []byte
	AddedAt    time.Time
}

// KnownFaces stores the known faces, one per account (its latest approved
// verification).
type KnownFaces interface {
	// PutKnownFace records the account's known face, replacing an older
	// one (idempotent: putting the same face again changes nothing). The
	// face of a closed account is refused (ErrConflict): closure deleted
	// it for good.
	PutKnownFace(ctx context.Context, f KnownFace) error
	// KnownFacesAfter lists up to limit known faces whose account ID sorts
	// after the given one, in account ID order: the index is rebuilt from
	// it page by page at start.
	KnownFacesAfter(ctx context.Context, afterAccount string, limit int) ([]KnownFace, error)
	// DeleteKnownFace deletes an account's known face (no error when there
	// is none). Closing an account (SetAccountStatus) deletes it too.
	DeleteKnownFace(ctx context.Context, accountID string) error
	// DeleteKnownFacesBefore deletes the known faces added before t
	// (retention) and returns the accounts whose face was deleted.
	DeleteKnownFacesBefore(ctx context.Context, t time.Time) ([]string, error)
}
