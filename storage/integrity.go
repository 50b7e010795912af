package storage

import (
	"errors"
	"time"
)

// ErrAccountInactive is returned when a write needs an active account and
// the account is frozen or closed: claiming a document (an approval) or
// binding a new contact (rules §6, §7).
var ErrAccountInactive = errors.New("storage: account is frozen or closed")

// ErrLimit is returned when a write would exceed a limit the caller set,
// such as the holder checks an account may start in a window.
var ErrLimit = errors.New("storage: limit reached")

// ContactChangeKind says what a completed migration did to one contact.
type ContactChangeKind string

const (
	// ContactMoved: the contact was rebound from the source to the target.
	ContactMoved ContactChangeKind = "moved"
	// ContactReplaced: the target's own contact of the kind of a moved one
	// was unbound from the target; the moved contact replaces it (rules §7).
	ContactReplaced ContactChangeKind = "replaced"
	// ContactReleased: a contact the migration did not name was left on the
	// source the migration closed; it was unbound, so that it can be bound
	// to another account again (rules §7).
	ContactReleased ContactChangeKind = "released"
)

// ContactChange is one entry of a migration's contact audit trail: which
// contact (kind, keyed hash and masked form, never the value) was moved,
// replaced or released, and which account it was bound to before.
type ContactChange struct {
	MigrationID string
	Change      ContactChangeKind
	Kind        ContactKind
	Hash        string
	Masked      string
	Account     string // the account the contact was bound to before the change
	At          time.Time
}

// HolderCheckLimit bounds the "view holder" attempts (holder checks) an
// account may start (rules §6): at most PerVerification checks for one
// verification and PerAccount checks for one account, counting the checks
// created at or after Since. A zero bound does not limit.
type HolderCheckLimit struct {
	PerVerification int
	PerAccount      int
	Since           time.Time
}
