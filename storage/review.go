package storage

import (
	"context"
	"time"

	"github.com/kycq/kycq/kyc/reason"
)

// StaffRole says what a staff user of the review console may do (rules §9).
type StaffRole string

const (
	RoleReviewer       StaffRole = "reviewer"        // decides manual reviews
	RoleSeniorReviewer StaffRole = "senior_reviewer" // also gives the second approval of four-eyes cases
	RoleSupport        StaffRole = "support"         // works support cases
	RoleAuditor        StaffRole = "auditor"         // reads everything, changes nothing
	RoleAdmin          StaffRole = "admin"           // manages staff; may do everything
)

// Roles lists every staff role.
var Roles = []StaffRole{RoleReviewer, RoleSeniorReviewer, RoleSupport, RoleAuditor, RoleAdmin}

// Staff is a named user of the review console. Usernames are operator
// data, not applicants' personal data.
type Staff struct {
	ID           string
	Username     string
	Role         StaffRole
	PasswordHash []byte // bcrypt
	Disabled     bool
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// StaffSession is a logged-in staff user: a console cookie or a staff
// bearer token. Only a hash of the token is stored.
type StaffSession struct {
	TokenHash string // hex SHA-256 of the session token
	StaffID   string
	CSRF      string // the console's anti-CSRF token bound to this session
	CreatedAt time.Time
	ExpiresAt time.Time
}

// ReviewState is where a manual review is.
type ReviewState string

const (
	ReviewWaiting ReviewState = "waiting" // in the queue, claimed or not
	ReviewDecided ReviewState = "decided" // a reviewer decided; final
)

// ReviewItem is one verification that a decision sent to manual review.
// It carries no personal data: codes, country and document type only.
type ReviewItem struct {
	VerificationID string
	AccountID      string
	Country        string
	DocType        string
	// Reasons are the codes of the manual_review decision and of every
	// check result, deduplicated: what a reviewer filters on.
	Reasons     []reason.Code
	Note        string // the decision's fixed phrase ("repeated rejections")
	SubmittedAt time.Time
	QueuedAt    time.Time
	State       ReviewState
	ClaimedBy   string    // staff ID holding the lease, "" when none
	ClaimUntil  time.Time // when the lease lapses
	// FirstApprover is the staff ID of the first approval of a case that
	// needs four eyes; "" until then.
	FirstApprover string
	DecidedAt     time.Time
}

// Claimed reports whether someone holds a live lease on the item at t.
func (r *ReviewItem) Claimed(t time.Time) bool {
	return r.ClaimedBy != "" && t.Before(r.ClaimUntil)
}

// ReviewFilter selects waiting reviews. Zero fields do not filter.
type ReviewFilter struct {
	Reason          reason.Code
	Country         string
	DocType         string
	SubmittedBefore time.Time // only reviews submitted before this (an age filter)
	// After continues a listing after this item (its submission time and
	// ID), for paging.
	AfterSubmitted time.Time
	AfterID        string
	Limit          int // default 50, at most 500
}

// ReviewDecision is a reviewer's final answer on a manual review.
type ReviewDecision struct {
	VerificationID string
	StaffID        string // who decided (the second approver of a four-eyes case)
	FirstApprover  string // the first approver of a four-eyes case, or ""
	Outcome        Outcome
	Reasons        []reason.Code
	NoteSealed     []byte // the reviewer's free-text note, sealed; never in logs
	DecidedAt      time.Time
}

// CaseState is where a support case is: open → in_progress → resolved |
// dismissed.
type CaseState string

const (
	CaseOpen       CaseState = "open"
	CaseInProgress CaseState = "in_progress"
	CaseResolved   CaseState = "resolved"
	CaseDismissed  CaseState = "dismissed"
)

// Final reports whether no transition leaves s.
func (s CaseState) Final() bool { return s == CaseResolved || s == CaseDismissed }

// CaseTransitionAllowed reports whether a case may move from one state to
// another.
func CaseTransitionAllowed(from, to CaseState) bool {
	switch from {
	case CaseOpen:
		return to == CaseInProgress || to == CaseDismissed
	case CaseInProgress:
		return to == CaseResolved || to == CaseDismissed || to == CaseOpen
	}
	return false
}

// Kinds of support cases.
const (
	CaseIdentityMisuse     = "identity_misuse"     // "not mine" in the holder flow
	CaseOccupancyMigration = "occupancy_migration" // a scenario-B migration to review
	CaseAppeal             = "appeal"              // an applicant contests a decision
)

// CaseFilter selects support cases. Zero fields do not filter.
type CaseFilter struct {
	State CaseState
	Kind  string
	// Account selects cases reported by or about (holder) this account.
	Account string
	Limit   int // default 50, at most 500
}

// CaseNote is a staff note on a support case, sealed like personal data.
type CaseNote struct {
	CaseID     string
	StaffID    string
	NoteSealed []byte
	At         time.Time
}

// AuditEntry is one line of the append-only staff audit log: who did or
// saw what, when, and the state before and after. Before and After are
// states or codes, never personal data.
type AuditEntry struct {
	Seq     int64
	At      time.Time
	StaffID string
	Action  string // e.g. "review.claim", "review.decide", "verification.view"
	Subject string // e.g. "verification:v_1", "case:case_1", "staff:s_1"
	Before  string
	After   string
}

// Review stores the staff side of kycq: staff users and sessions, the
// manual-review queue and its decisions, support cases, and the audit log.
type Review interface {
	// CreateStaff stores a staff user; a taken username is ErrConflict.
	CreateStaff(ctx context.Context, s *Staff) error
	// GetStaff returns the staff user or ErrNotFound.
	GetStaff(ctx context.Context, id string) (*Staff, error)
	// StaffByUsername returns the staff user or ErrNotFound.
	StaffByUsername(ctx context.Context, username string) (*Staff, error)
	// ListStaff lists staff users by username.
	ListStaff(ctx context.Context) ([]*Staff, error)
	// SetStaffDisabled disables or re-enables a staff user, audited as
	// done by actor; disabling also ends the user's sessions.
	SetStaffDisabled(ctx context.Context, id string, disabled bool, actor string, at time.Time) error

	// CreateSession stores a session.
	CreateSession(ctx context.Context, s StaffSession) error
	// GetSession returns a session that has not expired at t, or
	// ErrNotFound.
	GetSession(ctx context.Context, tokenHash string, t time.Time) (StaffSession, error)
	// DeleteSession ends a session (idempotent).
	DeleteSession(ctx context.Context, tokenHash string) error

	// ReviewQueue lists waiting reviews matching f, oldest submission
	// first.
	ReviewQueue(ctx context.Context, f ReviewFilter) ([]*ReviewItem, error)
	// ReviewWaiting counts waiting reviews and returns when the oldest
	// was submitted (zero when none).
	ReviewWaiting(ctx context.Context) (n int, oldest time.Time, err error)
	// GetReviewItem returns a review, waiting or decided, or ErrNotFound.
	GetReviewItem(ctx context.Context, id string) (*ReviewItem, error)
	// ClaimReview gives staffID the lease on a waiting review until
	// at+lease, audited. Claiming one's own live claim renews it; a live
	// claim of another or a decided review is ErrConflict, returned with
	// the stored item.
	ClaimReview(ctx context.Context, id, staffID string, at time.Time, lease time.Duration) (*ReviewItem, error)
	// ReleaseReview gives a claim back to the queue (only its holder may).
	ReleaseReview(ctx context.Context, id, staffID string, at time.Time) error
	// ApproveFirst records the first approval of a four-eyes review by the
	// holder of its live claim and gives the review back to the queue for
	// a second reviewer, audited. Not holding the claim is ErrConflict.
	ApproveFirst(ctx context.Context, id, staffID string, at time.Time) (*ReviewItem, error)
	// FinishReview replaces the manual_review decision with the
	// reviewer's, marks the review decided and audits it, at most once:
	// d.StaffID must hold a live claim at d.DecidedAt and d.FirstApprover
	// must be the stored first approver; otherwise ErrConflict and
	// nothing changes. It returns the verification's new decision.
	FinishReview(ctx context.Context, d ReviewDecision) (Decision, error)
	// GetReviewDecision returns a reviewer's decision or ErrNotFound.
	GetReviewDecision(ctx context.Context, id string) (ReviewDecision, error)
	// AccountVerifications lists an account's verifications, newest first.
	AccountVerifications(ctx context.Context, accountID string, limit int) ([]*Verification, error)

	// ListCases lists support cases matching f, oldest first.
	ListCases(ctx context.Context, f CaseFilter) ([]SupportCase, error)
	// TransitionCase moves a case between states (CaseTransitionAllowed)
	// and sets its owner to staffID, audited. A case already in to is a
	// no-op; in neither from nor to, ErrConflict.
	TransitionCase(ctx context.Context, id string, from, to CaseState, staffID string, at time.Time) (SupportCase, error)
	// ReleaseDocument is the action of an identity-misuse case in
	// progress, after support found the holder account used someone
	// else's document: in one transaction the holder's claim on the
	// document of the case's verification is deleted, the holder account
	// loses its KYC verification, and the reporter's verification —
	// rejected with doc_already_used — goes back to manual review (its
	// decision becomes manual_review and it enters the review queue), so a
	// reviewer can now approve it. Audited on the case and both
	// verifications. A case of another kind or state, or a document no
	// longer held by the case's holder account, is ErrConflict.
	ReleaseDocument(ctx context.Context, caseID, staffID string, at time.Time) error
	// ReopenAppeal is the action of an appeal case in progress: in one
	// transaction the case's rejected verification goes back to manual
	// review (its decision becomes manual_review and it enters, or
	// re-enters, the review queue), where a reviewer approves it (through
	// kyc.Settle, like any approval) or upholds the rejection. Audited on
	// the case and the verification. A case of another kind or state, or a
	// verification that is not rejected, is ErrConflict.
	ReopenAppeal(ctx context.Context, caseID, staffID string, at time.Time) error
	// AddCaseNote appends a note to a case, audited.
	AddCaseNote(ctx context.Context, n CaseNote) error
	// CaseNotes lists a case's notes, oldest first.
	CaseNotes(ctx context.Context, id string) ([]CaseNote, error)

	// Audit appends an entry to the audit log (staff views of personal
	// data; actions the store does not audit itself).
	Audit(ctx context.Context, e AuditEntry) error
	// AuditTrail lists the entries about a subject, oldest first.
	AuditTrail(ctx context.Context, subject string) ([]AuditEntry, error)
}
