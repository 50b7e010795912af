// Package storage defines where kycq keeps its state and its blobs.
//
// State (verifications, check results, decisions, document claims,
// accounts, contacts, migrations) lives behind the State interface,
// implemented by storage/sqlstore for PostgreSQL (production) and an
// embedded SQLite file (the one-command run); both pass the same conformance
// suite (storage/storetest). Blobs (document photos, selfie videos) live
// behind the Blobs interface, implemented by storage/blob for any
// S3-compatible server; storage/s3embed runs one in-process over a local
// directory for the one-command run.
//
// Every write is idempotent: task handlers may run twice, concurrently, or
// be killed half way, and the store must end in the same state.
//
// Personal data never reaches the store in the clear: the applicant's basic
// info and face descriptors are sealed (package internal/privacy) by the
// caller, document numbers and contacts are stored only as keyed hashes,
// and contacts additionally as a masked form fit to show the user
// ("j***@example.com", "+86******1234").
package storage

import (
	"context"
	"errors"
	"time"

	"github.com/kycq/kycq/kyc/reason"
)

// ErrNotFound is returned when a record or object does not exist.
var ErrNotFound = errors.New("storage: not found")

// ErrConflict is returned when a write contradicts what is stored: a record
// created twice with different content, or a state transition whose
// expected current state is not the stored one.
var ErrConflict = errors.New("storage: conflict")

// Status is where a verification is in its life.
type Status string

const (
	StatusCreated   Status = "created"   // waiting for uploads and submit
	StatusSubmitted Status = "submitted" // checks enqueued, waiting for the decision
	StatusDecided   Status = "decided"   // final; see Decision
)

// Outcome is the final answer of a decision.
type Outcome string

const (
	Approved     Outcome = "approved"
	Rejected     Outcome = "rejected"
	ManualReview Outcome = "manual_review"
)

// Slot names one uploaded object of a verification.
type Slot string

const (
	SlotFront  Slot = "doc_front"
	SlotBack   Slot = "doc_back"
	SlotSelfie Slot = "selfie"
)

// Upload is one expected object of a verification.
type Upload struct {
	Slot        Slot   `json:"slot"`
	Key         string `json:"key"`          // object key in the bucket
	ContentType string `json:"content_type"` // the type the presigned URL was signed for
	MaxBytes    int64  `json:"max_bytes"`    // the exact size the presigned URL was signed for
	// Evidence is the key of the server-side copy made at submit (see
	// EvidenceKey): what the checks read and what is kept.
	Evidence string `json:"evidence,omitempty"`
	// Challenge is the liveness instruction issued with a selfie video's
	// upload URL ("turn_left", "turn_right", "blink", "turn_left_right", "turn_right_left"; empty for none), which the
	// face check verifies.
	Challenge string `json:"challenge,omitempty"`
}

// Verification is one application for identity verification.
//
// The applicant's basic info is personal data: it is stored only sealed
// (encrypted with the data key), and the document number only as a keyed
// hash (DocKey) for occupancy.
type Verification struct {
	ID          string
	AccountID   string
	Status      Status
	Country     string   // ISO 3166 alpha-2 of the issuing country; not personal on its own
	DocType     string   // id_type of the basic info
	DocKey      string   // HMAC of the normalised (country, type, number)
	InfoSealed  []byte   // encrypted applicant info (see package internal/privacy)
	Flags       []string // compliance flags set by the caller (force manual review); never personal data
	Uploads     []Upload
	Checks      []string // check names expected before the decision; set at submit
	CreatedAt   time.Time
	SubmittedAt time.Time // zero until submitted
	DecidedAt   time.Time // zero until decided
	PurgedAt    time.Time // zero until the uploads were deleted by retention
}

// CheckResult is the stored outcome of one check of one verification.
type CheckResult struct {
	VerificationID string             `json:"-"`
	Check          string             `json:"check"`
	OK             bool               `json:"ok"`
	Reasons        []reason.Code      `json:"reasons"`
	Scores         map[string]float64 `json:"scores,omitempty"`
	Borderline     bool               `json:"borderline,omitempty"`
	Failed         bool               `json:"failed,omitempty"` // the check could not run (gave up after retries)
	// Sealed is an opaque, sealed artefact of the check that later steps
	// need and the API never shows: the face check's selfie descriptor,
	// copied to the account on approval for the "view holder" flow.
	Sealed    []byte        `json:"-"`
	Duration  time.Duration `json:"-"`
	CreatedAt time.Time     `json:"created_at"`
}

// Decision is the final, immutable answer for a verification.
type Decision struct {
	VerificationID string        `json:"-"`
	Outcome        Outcome       `json:"outcome"`
	Reasons        []reason.Code `json:"reasons"`
	Note           string        `json:"note,omitempty"` // why manual review; a fixed phrase, never personal data
	DecidedAt      time.Time     `json:"decided_at"`
}

// Verifications stores verifications, their check results and decisions.
type Verifications interface {
	// CreateVerification stores a new verification in StatusCreated.
	// Creating the same ID again with the same account is a no-op;
	// with another account it returns ErrConflict.
	CreateVerification(ctx context.Context, v *Verification) error
	// GetVerification returns the verification or ErrNotFound.
	GetVerification(ctx context.Context, id string) (*Verification, error)
	// MarkSubmitted moves a created verification to StatusSubmitted with the
	// given expected checks and, when uploads is not nil, its uploads as
	// submitted (with their evidence keys), in one write. It is idempotent:
	// submitting a submitted or decided verification changes nothing and
	// returns the stored one, so of two racing submits the first one's
	// uploads stand.
	MarkSubmitted(ctx context.Context, id string, checks []string, uploads []Upload, at time.Time) (*Verification, error)
	// PutCheckResult stores a check result; the first result stored for a
	// (verification, check) wins and later ones are ignored. It reports
	// whether every expected check now has a result.
	PutCheckResult(ctx context.Context, r CheckResult) (complete bool, err error)
	// CheckResults returns every stored result of a verification, ordered
	// by check name.
	CheckResults(ctx context.Context, id string) ([]CheckResult, error)
	// SaveDecision stores the decision and moves the verification to
	// StatusDecided, once: if a decision exists it is returned unchanged
	// with created=false.
	SaveDecision(ctx context.Context, d Decision) (stored Decision, created bool, err error)
	// GetDecision returns the decision or ErrNotFound.
	GetDecision(ctx context.Context, id string) (Decision, error)
	// CountRejections counts rejected decisions of an account decided at
	// or after since and before before (a zero time leaves that end open).
	CountRejections(ctx context.Context, accountID string, since, before time.Time) (int, error)
	// Undecided lists submitted verifications without a decision that were
	// submitted before t, oldest first, at most limit.
	Undecided(ctx context.Context, before time.Time, limit int) ([]*Verification, error)
	// OldestUndecided returns when the oldest submitted, undecided
	// verification was submitted, counting those decided manual_review
	// and still waiting for a reviewer (zero time if there is none).
	OldestUndecided(ctx context.Context) (time.Time, error)
	// DecidedBefore lists decided verifications decided before t whose
	// uploads have not been purged yet, oldest first, at most limit;
	// verifications waiting for a reviewer are left out.
	DecidedBefore(ctx context.Context, before time.Time, limit int) ([]*Verification, error)
	// MarkPurged records that a verification's uploads were deleted
	// (idempotent).
	MarkPurged(ctx context.Context, id string, at time.Time) error
}

// Claim records which account holds a document (rules §6).
type Claim struct {
	DocKey         string // keyed hash of (issuing country, type, normalised number)
	AccountID      string
	VerificationID string
	ClaimedAt      time.Time
}

// Occupancy stores document claims: one document verifies one account.
type Occupancy interface {
	// ClaimDocument claims a document for an account atomically. The first
	// account to claim wins; a repeated claim by the same account is a no-op
	// returning won=true. The holder's claim is always returned, so two
	// accounts racing for one document see the same winner. A frozen or
	// closed account claims nothing: ErrAccountInactive, decided in the
	// claim's transaction (an approval needs an active account).
	ClaimDocument(ctx context.Context, c Claim) (holder Claim, won bool, err error)
	// DocumentHolder returns the claim on a document or ErrNotFound.
	DocumentHolder(ctx context.Context, docKey string) (Claim, error)
}

// AccountStatus is kycq's view of an exchange account's life.
type AccountStatus string

const (
	AccountActive AccountStatus = "active"
	AccountFrozen AccountStatus = "frozen" // occupancy scenario B: the new, unverified account
	AccountClosed AccountStatus = "closed" // the source of a completed contact migration; permanent
)

// Account is what kycq knows of an exchange account. Accounts come into
// being implicitly, the first time anything refers to them, as active and
// unverified.
type Account struct {
	ID               string
	Status           AccountStatus
	KYCVerified      bool
	VerificationID   string // the approved verification, if any
	FaceSealed       []byte // sealed face descriptor of the approved selfie, for holder checks
	ReferralsDropped bool   // set when the account was closed by a migration
	UpdatedAt        time.Time
}

// ContactKind is the kind of a contact bound to an account.
type ContactKind string

const (
	ContactEmail ContactKind = "email"
	ContactPhone ContactKind = "phone"
)

// Contact is an email address or phone number bound to an account. Each
// contact is bound to at most one account at a time (rules §7).
type Contact struct {
	Kind      ContactKind
	Hash      string // keyed hash of the normalised value; the identity of the contact
	Masked    string // display form, e.g. "j***@example.com"; never the full value
	AccountID string
	BoundAt   time.Time
}

// Holdings is what an account holds on the exchange; a migration source
// must hold nothing (rules §7).
type Holdings struct {
	Assets             bool // any non-zero balance
	PendingWithdrawals bool
	OpenOrders         bool
}

// Empty reports whether the account holds nothing.
func (h Holdings) Empty() bool { return !h.Assets && !h.PendingWithdrawals && !h.OpenOrders }

// Accounts stores kycq's view of accounts, their contacts and holdings.
type Accounts interface {
	// GetAccount returns the account or ErrNotFound.
	GetAccount(ctx context.Context, id string) (*Account, error)
	// MarkAccountVerified records an approved verification and its sealed
	// face descriptor on the account (idempotent; the first approved
	// verification stays).
	MarkAccountVerified(ctx context.Context, accountID, verificationID string, faceSealed []byte, at time.Time) error
	// SetAccountStatus freezes or closes an account. Closed is final: a
	// closed account is never reopened or frozen (ErrConflict).
	SetAccountStatus(ctx context.Context, accountID string, s AccountStatus, at time.Time) error
	// BindContact binds a contact to an account. Binding a contact already
	// bound to the same account is a no-op (won=true); one bound to another
	// account is refused (won=false) and the holder's binding is returned.
	// A new binding to a frozen or closed account is ErrAccountInactive.
	BindContact(ctx context.Context, c Contact) (holder Contact, won bool, err error)
	// ContactHolder returns the binding of a contact hash or ErrNotFound.
	ContactHolder(ctx context.Context, kind ContactKind, hash string) (Contact, error)
	// Contacts lists the contacts bound to an account.
	Contacts(ctx context.Context, accountID string) ([]Contact, error)
	// SetHoldings records what an account holds (the store-backed
	// implementation of the exchange's account-state interface).
	SetHoldings(ctx context.Context, accountID string, h Holdings, at time.Time) error
	// GetHoldings returns what an account holds, or ErrNotFound for an
	// account whose holdings were never reported: unknown, never empty.
	GetHoldings(ctx context.Context, accountID string) (Holdings, error)
}

// MigrationState is a step of the contact-migration state machine (rules
// §7): requested → validated → executing → completed | refused | failed.
type MigrationState string

const (
	MigrationRequested MigrationState = "requested"
	MigrationValidated MigrationState = "validated"
	MigrationExecuting MigrationState = "executing"
	MigrationCompleted MigrationState = "completed"
	MigrationRefused   MigrationState = "refused"
	MigrationFailed    MigrationState = "failed"
)

// Final reports whether no transition leaves s.
func (s MigrationState) Final() bool {
	return s == MigrationCompleted || s == MigrationRefused || s == MigrationFailed
}

// MigrationKind says why contacts move and what happens to the source.
type MigrationKind string

const (
	// MigrationContact moves one email or phone from a duplicate, non-KYC
	// account to the main account and closes the duplicate (rules §7).
	MigrationContact MigrationKind = "contact"
	// MigrationOccupancy is scenario B of rules §6: the new account's
	// contacts move to the account holding the document, and the new,
	// unverified account is frozen.
	MigrationOccupancy MigrationKind = "occupancy"
)

// Proofs are what the calling service attests it verified before asking
// for a migration (rules §7).
type Proofs struct {
	NewContactCode      bool `json:"new_contact_code"`      // code sent to the contact at its new home
	OriginalContactCode bool `json:"original_contact_code"` // code sent to the original contact...
	OriginalFactorReset bool `json:"original_factor_reset"` // ...or a completed reset of that factor
	Target2FA           bool `json:"target_2fa"`            // the main account's 2FA
}

// ContactRef names one contact a migration moves.
type ContactRef struct {
	Kind   ContactKind `json:"kind"`
	Hash   string      `json:"hash"`
	Masked string      `json:"masked"`
}

// Migration moves contacts from a source account to a target account.
type Migration struct {
	ID             string
	Kind           MigrationKind
	SourceAccount  string
	TargetAccount  string
	Contacts       []ContactRef
	Proofs         Proofs
	VerificationID string // MigrationOccupancy: the verification that found the document held
	State          MigrationState
	Refusal        reason.Code // set when State is MigrationRefused
	Error          string      // set when State is MigrationFailed; a fixed phrase, never personal data
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// MigrationEvent is one audited step of a migration.
type MigrationEvent struct {
	MigrationID string
	From, To    MigrationState
	Detail      string // a reason code or fixed phrase; never personal data
	At          time.Time
}

// Migrations stores contact migrations and their audit trail.
type Migrations interface {
	// CreateMigration stores a migration in MigrationRequested and audits
	// it. Creating the same ID again with the same content is a no-op
	// returning the stored migration and created=false; with other content
	// it returns ErrConflict.
	CreateMigration(ctx context.Context, m *Migration) (stored *Migration, created bool, err error)
	// GetMigration returns the migration or ErrNotFound.
	GetMigration(ctx context.Context, id string) (*Migration, error)
	// TransitionMigration moves a migration from one state to another and
	// audits the step, atomically. If the stored state is already to, it is
	// a no-op returning the stored migration (a redelivered step); if it is
	// neither from nor to, it returns the stored migration and ErrConflict.
	// refusal is stored with MigrationRefused, detail with every event
	// (and as Error for MigrationFailed).
	TransitionMigration(ctx context.Context, id string, from, to MigrationState, refusal reason.Code, detail string, at time.Time) (*Migration, error)
	// ExecuteMigration performs an executing migration in one transaction.
	// It first re-checks, inside the transaction, the facts the store holds:
	// the target is active and the source is not closed (a contact
	// migration's source is active), else migration_invalid; the source has
	// not completed KYC (verified, or holding a document claim), else
	// migration_source_verified; the source has no submitted, undecided
	// verification, else migration_source_verifying; every contact is still
	// bound to the source and was never migrated before, else
	// migration_contact_not_found or migration_already_used; the holdings
	// reported for the source (SetHoldings), if any, are empty, else
	// migration_source_not_empty. On a refusal nothing changes but the
	// migration, which becomes MigrationRefused with the code.
	//
	// Otherwise it records every contact as migrated (a contact is migrated
	// at most once, ever) and rebinds it to the target, unbinding the
	// target's own contacts of the same kind (replaced, rules §7); then it
	// closes (MigrationContact, dropping referral links, and unbinding the
	// contacts left on the source: released) or freezes
	// (MigrationOccupancy) the source and moves the migration to
	// MigrationCompleted. Every moved, replaced and released contact is
	// recorded (ContactChanges). Running it on a completed or refused
	// migration returns it unchanged; on another state, ErrConflict.
	ExecuteMigration(ctx context.Context, id string, at time.Time) (*Migration, error)
	// MigrationEvents returns the audit trail of a migration, oldest first.
	MigrationEvents(ctx context.Context, id string) ([]MigrationEvent, error)
	// ContactMigrated reports whether a contact was ever migrated.
	ContactMigrated(ctx context.Context, kind ContactKind, hash string) (bool, error)
	// ContactChanges returns the contacts a completed migration moved,
	// replaced and released, in the order they were changed.
	ContactChanges(ctx context.Context, id string) ([]ContactChange, error)
}

// HolderCheckState is where a "view holder" request is (rules §6).
type HolderCheckState string

const (
	HolderCheckPending  HolderCheckState = "pending"  // waiting for the fresh selfie's face match
	HolderCheckMatched  HolderCheckState = "matched"  // the selfie matched the holder: the holder may be shown, masked
	HolderCheckMismatch HolderCheckState = "mismatch" // no match: nothing is shown
	HolderCheckResolved HolderCheckState = "resolved" // the user answered "belongs to me" or "not mine"
)

// HolderCheck is a request, by the account whose verification ended as
// doc_already_used, to see which account holds the document.
type HolderCheck struct {
	ID             string
	VerificationID string // the verification refused with doc_already_used
	AccountID      string // the requesting account
	HolderAccount  string // the account holding the document
	SelfieKey      string // object key of the fresh selfie
	SelfieType     string // its content type
	State          HolderCheckState
	Score          float64 // face similarity of the fresh selfie to the holder's verified face
	Answer         string  // "mine", "mine_accessible" (scenario A) or "not_mine" once resolved
	MigrationID    string  // the migration started by "mine" (scenario B)
	CaseID         string  // the support case opened by "not_mine"
	CreatedAt      time.Time
	UpdatedAt      time.Time
	PurgedAt       time.Time // zero until retention deleted the selfie
	// Reasons say why a completed check did not match (the face check's
	// codes: face_mismatch, face_poor_quality, liveness_failed...); empty
	// on a match.
	Reasons []reason.Code
}

// SupportCase is a case opened for the support team, such as suspected
// identity misuse (rules §6, "not mine").
type SupportCase struct {
	ID             string
	Kind           string // "identity_misuse"
	AccountID      string // who reported it
	HolderAccount  string
	VerificationID string
	CreatedAt      time.Time
	// State, Owner (a staff ID) and UpdatedAt are the case's workflow in
	// the review console; a new case is CaseOpen.
	State     CaseState
	Owner     string
	UpdatedAt time.Time
}

// HolderChecks stores "view holder" requests and support cases.
type HolderChecks interface {
	// CreateHolderCheck stores a pending check; the same ID again is a
	// no-op returning the stored one and created=false.
	CreateHolderCheck(ctx context.Context, h *HolderCheck) (stored *HolderCheck, created bool, err error)
	// GetHolderCheck returns the check or ErrNotFound.
	GetHolderCheck(ctx context.Context, id string) (*HolderCheck, error)
	// CreateHolderCheckWithin is CreateHolderCheck under a limit: a new
	// check is refused with ErrLimit when the account already started
	// lim.PerAccount checks, or the verification lim.PerVerification,
	// since lim.Since. Counting and creating are one transaction, so
	// racing requests cannot exceed the limit. The same ID again returns
	// the stored check, whatever the count.
	CreateHolderCheckWithin(ctx context.Context, h *HolderCheck, lim HolderCheckLimit) (stored *HolderCheck, created bool, err error)
	// CompleteHolderCheck records the face-match outcome of a pending check
	// and, on a mismatch, its reasons (first writer wins; a later call
	// returns the stored check unchanged).
	CompleteHolderCheck(ctx context.Context, id string, matched bool, score float64, reasons []reason.Code, at time.Time) (*HolderCheck, error)
	// ResolveHolderCheck records the user's answer on a matched check,
	// with the migration or case it started (first writer wins; a check
	// that is not matched gives ErrConflict).
	ResolveHolderCheck(ctx context.Context, id, answer, migrationID, caseID string, at time.Time) (*HolderCheck, error)
	// OpenCase stores a support case; the same ID again is a no-op.
	OpenCase(ctx context.Context, c SupportCase) error
	// GetCase returns the case or ErrNotFound.
	GetCase(ctx context.Context, id string) (SupportCase, error)
	// HolderChecksBefore lists holder checks last updated before t whose
	// selfie has not been purged yet, oldest first, at most limit.
	HolderChecksBefore(ctx context.Context, before time.Time, limit int) ([]*HolderCheck, error)
	// MarkHolderCheckPurged records that a holder check's selfie was
	// deleted (idempotent: the first time stays).
	MarkHolderCheckPurged(ctx context.Context, id string, at time.Time) error
}

// State is the transactional store behind kycq.
type State interface {
	Verifications
	Occupancy
	Accounts
	Migrations
	HolderChecks
	Outbox
	Lists
	KnownFaces
	Review

	// Ping checks the database answers.
	Ping(ctx context.Context) error
	// Close releases the store's connections.
	Close() error
}
