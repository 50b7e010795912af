package review

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/hibiken/asynq"

	"github.com/kycq/kycq/internal/privacy"
	"github.com/kycq/kycq/kyc"
	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
	"github.com/kycq/kycq/tasks"
)

// Enqueuer is the part of asynq.Client the service uses.
type Enqueuer interface {
	EnqueueContext(ctx context.Context, t *asynq.Task, opts ...asynq.Option) (*asynq.TaskInfo, error)
}

// Observer receives what the service measures; *metrics.Metrics is one.
type Observer interface {
	ObserveReviewerDecision(outcome string, reasons []reason.Code, review time.Duration)
	ObserveClaim(result string)
}

// Defaults of a Service.
const (
	DefaultLease      = 15 * time.Minute
	DefaultSessionTTL = 12 * time.Hour
)

// Service is the staff side of kycq. Set State, Keys and Enqueuer; the
// rest has defaults.
type Service struct {
	State    storage.State
	Blobs    storage.Blobs
	Keys     *privacy.Keys
	Enqueuer Enqueuer
	Observer Observer // may be nil
	Log      *slog.Logger
	Now      func() time.Time
	// Lease is how long a claim holds a case for its reviewer.
	Lease time.Duration
	// SessionTTL is how long a login lasts.
	SessionTTL time.Duration
	// Photos renders document photos for the case view; nil shows them
	// as uploaded, without the overlay.
	Photos Annotator
	// Frames extracts selfie-video frames for the case view; nil shows
	// the video only.
	Frames Framer

	frames *frameCache
	logins *loginLimiter
}

// New returns a Service with s's settings and defaults filled.
func New(s Service) *Service {
	if s.Log == nil {
		s.Log = slog.Default()
	}
	if s.Now == nil {
		s.Now = time.Now
	}
	if s.Lease <= 0 {
		s.Lease = DefaultLease
	}
	if s.SessionTTL <= 0 {
		s.SessionTTL = DefaultSessionTTL
	}
	s.frames = &frameCache{}
	s.logins = newLoginLimiter()
	return &s
}

func (s *Service) now() time.Time { return s.Now().UTC().Truncate(time.Microsecond) }

// Clock returns the service's current time (what leases and ages are
// measured against).
func (s *Service) Clock() time.Time { return s.now() }

// require fails with ErrForbidden unless the session's role has p.
func require(sess *Session, p Permission) error {
	if sess == nil || sess.Staff == nil {
		return ErrUnauthenticated
	}
	if !Can(sess.Staff.Role, p) {
		return ErrForbidden
	}
	return nil
}

// Queue lists waiting reviews, oldest first.
func (s *Service) Queue(ctx context.Context, sess *Session, f storage.ReviewFilter) ([]*storage.ReviewItem, error) {
	if err := require(sess, PermRead); err != nil {
		return nil, err
	}
	if f.Reason != "" && !reason.Known(f.Reason) {
		return nil, invalid("unknown reason code %q", f.Reason)
	}
	if f.Country != "" && !isAlpha2(f.Country) {
		return nil, invalid("country is an ISO 3166 alpha-2 code")
	}
	if len(f.DocType) > 40 {
		return nil, invalid("document type too long")
	}
	return s.State.ReviewQueue(ctx, f)
}

func isAlpha2(c string) bool {
	return len(c) == 2 && c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' && c[1] <= 'Z'
}

// Waiting counts the waiting reviews and the age of the oldest.
func (s *Service) Waiting(ctx context.Context) (int, time.Duration, error) {
	n, oldest, err := s.State.ReviewWaiting(ctx)
	if err != nil || oldest.IsZero() {
		return n, 0, err
	}
	return n, s.now().Sub(oldest), nil
}

// Claim gives the case to the session's reviewer for the lease. A case
// waiting for its second approval may be claimed only by a senior
// reviewer other than the first approver.
func (s *Service) Claim(ctx context.Context, sess *Session, id string) (*storage.ReviewItem, error) {
	if err := require(sess, PermReview); err != nil {
		return nil, err
	}
	it, err := s.State.GetReviewItem(ctx, id)
	if err != nil {
		return nil, err
	}
	if it.FirstApprover != "" {
		if !Can(sess.Staff.Role, PermSecondApproval) {
			return nil, ErrForbidden
		}
		if it.FirstApprover == sess.Staff.ID {
			return nil, invalid("you gave the first approval: a different senior reviewer must give the second")
		}
	}
	it, err = s.State.ClaimReview(ctx, id, sess.Staff.ID, s.now(), s.Lease)
	if err == nil {
		s.Log.InfoContext(ctx, "review claimed", "verification_id", id, "staff_id", sess.Staff.ID)
	}
	return it, err
}

// Release gives a claimed case back to the queue.
func (s *Service) Release(ctx context.Context, sess *Session, id string) error {
	if err := require(sess, PermReview); err != nil {
		return err
	}
	return s.State.ReleaseReview(ctx, id, sess.Staff.ID, s.now())
}

// Decision is what a reviewer decides.
type Decision struct {
	Outcome storage.Outcome // approved or rejected
	Reasons []reason.Code   // rejected: at least one catalogue code
	Note    string          // free text, sealed at rest, never logged
}

// Result is what came of a reviewer's decision.
type Result struct {
	// State is "decided", or "awaiting_second_approval" after the first
	// approval of a four-eyes case.
	State    string
	Decision storage.Decision // the verification's decision when decided
	// Refused is set when the approval was refused by the same rule as an
	// automatic one: the document is held by another account
	// (doc_already_used), and the verification was rejected.
	Refused reason.Code
}

// Result states.
const (
	StateDecided        = "decided"
	StateAwaitingSecond = "awaiting_second_approval"
)

// MaxNote bounds a reviewer's note.
const MaxNote = 4000

// Decide records the session's reviewer's decision on a case they hold.
// An approval has exactly the effects of an automatic one — the atomic
// document claim (kyc.Settle, as the decide task), the account verified by
// the occupancy follow-up — and the same refusal: a document held by
// another account ends as rejected doc_already_used. Approving over a hard
// automatic finding (NeedsFourEyes) takes two approvals: the first gives
// the case back to the queue for a different senior reviewer.
func (s *Service) Decide(ctx context.Context, sess *Session, id string, d Decision) (Result, error) {
	if err := require(sess, PermReview); err != nil {
		return Result{}, err
	}
	if err := validDecision(d); err != nil {
		return Result{}, err
	}
	it, err := s.State.GetReviewItem(ctx, id)
	if err != nil {
		return Result{}, err
	}
	now := s.now()
	if it.State == storage.ReviewDecided {
		return s.redecided(ctx, sess, it, d)
	}
	if it.ClaimedBy != sess.Staff.ID || !it.Claimed(now) {
		return Result{}, fmt.Errorf("claim the case first (your claim may have lapsed): %w", storage.ErrConflict)
	}
	first := it.FirstApprover
	if d.Outcome == storage.Approved && NeedsFourEyes(it.Reasons) {
		if first == "" {
			if _, err := s.State.ApproveFirst(ctx, id, sess.Staff.ID, now); err != nil {
				return Result{}, err
			}
			s.Log.InfoContext(ctx, "review first approval", "verification_id", id, "staff_id", sess.Staff.ID)
			return Result{State: StateAwaitingSecond}, nil
		}
		if !Can(sess.Staff.Role, PermSecondApproval) || first == sess.Staff.ID {
			return Result{}, ErrForbidden
		}
	}
	v, err := s.State.GetVerification(ctx, id)
	if err != nil {
		return Result{}, err
	}
	want := storage.Decision{VerificationID: id, Outcome: d.Outcome, Reasons: d.Reasons, DecidedAt: now}
	if want.Reasons == nil {
		want.Reasons = []reason.Code{}
	}
	settled, claim, err := kyc.Settle(ctx, s.State, v, want, now)
	if err != nil {
		return Result{}, err
	}
	var sealed []byte
	if strings.TrimSpace(d.Note) != "" {
		sealed = s.Keys.Seal([]byte(d.Note), noteContext(id))
	}
	stored, err := s.State.FinishReview(ctx, storage.ReviewDecision{VerificationID: id, StaffID: sess.Staff.ID,
		FirstApprover: first, Outcome: settled.Outcome, Reasons: settled.Reasons, NoteSealed: sealed, DecidedAt: now})
	if err != nil {
		return Result{}, err
	}
	if s.Observer != nil {
		if claim != "" {
			s.Observer.ObserveClaim(claim)
		}
		s.Observer.ObserveReviewerDecision(string(stored.Outcome), stored.Reasons, stored.DecidedAt.Sub(v.SubmittedAt))
	}
	s.Log.InfoContext(ctx, "review decided", "verification_id", id, "staff_id", sess.Staff.ID,
		"outcome", stored.Outcome, "reasons", stored.Reasons)
	res := Result{State: StateDecided, Decision: stored}
	if d.Outcome == storage.Approved && stored.Outcome != storage.Approved {
		res.Refused = reason.DocAlreadyUsed
	}
	return res, s.followUp(ctx, stored)
}

// redecided answers a decision on a case already decided: the same
// reviewer repeating their decision (a retried request) gets the stored
// result and the follow-up is enqueued again; anything else is a
// conflict.
func (s *Service) redecided(ctx context.Context, sess *Session, it *storage.ReviewItem, d Decision) (Result, error) {
	rd, err := s.State.GetReviewDecision(ctx, it.VerificationID)
	if err != nil {
		return Result{}, err
	}
	if rd.StaffID != sess.Staff.ID || rd.Outcome != d.Outcome && !(d.Outcome == storage.Approved && rd.Outcome == storage.Rejected) {
		return Result{}, fmt.Errorf("the case was decided: %w", storage.ErrConflict)
	}
	stored, err := s.State.GetDecision(ctx, it.VerificationID)
	if err != nil {
		return Result{}, err
	}
	res := Result{State: StateDecided, Decision: stored}
	if d.Outcome == storage.Approved && stored.Outcome != storage.Approved {
		res.Refused = reason.DocAlreadyUsed
	}
	return res, s.followUp(ctx, stored)
}

// followUp enqueues what an approval sets off, as the decide task does:
// the occupancy follow-up that marks the account verified.
func (s *Service) followUp(ctx context.Context, d storage.Decision) error {
	if d.Outcome != storage.Approved {
		return nil
	}
	t, err := tasks.NewOccupancy(d.VerificationID)
	if err != nil {
		return err
	}
	if _, err := s.Enqueuer.EnqueueContext(ctx, t); err != nil &&
		!errors.Is(err, asynq.ErrTaskIDConflict) && !errors.Is(err, asynq.ErrDuplicateTask) {
		return fmt.Errorf("enqueue the occupancy follow-up (decide again to retry): %w", err)
	}
	return nil
}

func validDecision(d Decision) error {
	switch d.Outcome {
	case storage.Approved:
		if len(d.Reasons) > 0 {
			return invalid("an approval carries no reason codes")
		}
	case storage.Rejected:
		if len(d.Reasons) == 0 {
			return invalid("a rejection needs at least one reason code")
		}
		for _, c := range d.Reasons {
			if !rejectable(c) {
				return invalid("%q is not a reason code a reviewer may reject with", c)
			}
		}
		if len(d.Reasons) > 10 {
			return invalid("at most 10 reason codes")
		}
	default:
		return invalid("the outcome is approved or rejected")
	}
	if len(d.Note) > MaxNote {
		return invalid("the note has at most %d bytes", MaxNote)
	}
	return nil
}

// noteContext binds a sealed note to its verification or case.
func noteContext(id string) string { return "review-note:" + id }

// Earlier is one earlier verification of the same account.
type Earlier struct {
	Verification *storage.Verification
	Decision     *storage.Decision // nil while undecided
}

// CaseView is everything a reviewer needs on one page. It holds personal
// data: building one is audited as a view.
type CaseView struct {
	Verification *storage.Verification
	Item         *storage.ReviewItem // nil when the verification never went to review
	Applicant    kyc.Applicant       // what was typed
	// Read are the fields read from the document (a doc_read check's
	// sealed artefact), when there is one: field → value.
	Read     map[string]string
	Results  []storage.CheckResult
	Decision *storage.Decision
	Review   *storage.ReviewDecision
	Note     string // the reviewer's note, opened
	// HardFindings are the codes that make an approval need four eyes.
	HardFindings []reason.Code
	Holder       *storage.Claim // the claim on the document, when someone holds it
	// Cases are the support cases reported by or about the account;
	// Flagged is set while one of them is an open identity-misuse case
	// naming it as the holder of someone else's document.
	Cases   []storage.SupportCase
	Flagged bool
	Earlier []Earlier
	Audit   []storage.AuditEntry
	Staff   map[string]string // staff ID → username, for the audit trail
}

// Case gathers the case view of a verification and audits the view.
func (s *Service) Case(ctx context.Context, sess *Session, id string) (*CaseView, error) {
	if err := require(sess, PermRead); err != nil {
		return nil, err
	}
	v, err := s.State.GetVerification(ctx, id)
	if err != nil {
		return nil, err
	}
	cv := &CaseView{Verification: v, Staff: map[string]string{}}
	if it, err := s.State.GetReviewItem(ctx, id); err == nil {
		cv.Item = it
		cv.HardFindings = HardFindings(it.Reasons)
	} else if !errors.Is(err, storage.ErrNotFound) {
		return nil, err
	}
	if b, err := s.Keys.Open(v.InfoSealed, v.ID); err == nil {
		_ = json.Unmarshal(b, &cv.Applicant)
	}
	if cv.Results, err = s.State.CheckResults(ctx, id); err != nil {
		return nil, err
	}
	for _, r := range cv.Results {
		if r.Check == CheckDocRead && len(r.Sealed) > 0 {
			cv.Read = s.openRead(r.Sealed, v.ID)
		}
	}
	if d, err := s.State.GetDecision(ctx, id); err == nil {
		cv.Decision = &d
	} else if !errors.Is(err, storage.ErrNotFound) {
		return nil, err
	}
	if rd, err := s.State.GetReviewDecision(ctx, id); err == nil {
		cv.Review = &rd
		if len(rd.NoteSealed) > 0 {
			if b, err := s.Keys.Open(rd.NoteSealed, noteContext(id)); err == nil {
				cv.Note = string(b)
			}
		}
	} else if !errors.Is(err, storage.ErrNotFound) {
		return nil, err
	}
	if v.DocKey != "" {
		if c, err := s.State.DocumentHolder(ctx, v.DocKey); err == nil {
			cv.Holder = &c
		}
	}
	if cv.Cases, err = s.State.ListCases(ctx, storage.CaseFilter{Account: v.AccountID, Limit: 20}); err != nil {
		return nil, err
	}
	for _, c := range cv.Cases {
		cv.Flagged = cv.Flagged || c.Kind == storage.CaseIdentityMisuse && c.HolderAccount == v.AccountID && !c.State.Final()
	}
	others, err := s.State.AccountVerifications(ctx, v.AccountID, 20)
	if err != nil {
		return nil, err
	}
	for _, o := range others {
		if o.ID == v.ID {
			continue
		}
		e := Earlier{Verification: o}
		if d, err := s.State.GetDecision(ctx, o.ID); err == nil {
			e.Decision = &d
		}
		cv.Earlier = append(cv.Earlier, e)
	}
	if err := s.State.Audit(ctx, storage.AuditEntry{At: s.now(), StaffID: sess.Staff.ID, Action: "verification.view",
		Subject: "verification:" + id}); err != nil {
		return nil, err
	}
	if cv.Audit, err = s.State.AuditTrail(ctx, "verification:"+id); err != nil {
		return nil, err
	}
	s.names(ctx, cv.Staff, cv.Audit)
	return cv, nil
}

// CheckDocRead is the check name under which a document reader stores
// what it read (sealed).
const CheckDocRead = "doc_read"

// openRead opens a sealed document read into displayable fields; an
// artefact that does not open or parse shows nothing.
func (s *Service) openRead(sealed []byte, id string) map[string]string {
	b, err := s.Keys.Open(sealed, id)
	if err != nil {
		return nil
	}
	var m map[string]any
	if json.Unmarshal(b, &m) != nil {
		return nil
	}
	out := map[string]string{}
	for k, v := range m {
		switch x := v.(type) {
		case string:
			if x != "" {
				out[k] = x
			}
		case bool, float64:
			out[k] = fmt.Sprint(x)
		case []any:
			parts := make([]string, 0, len(x))
			for _, p := range x {
				parts = append(parts, fmt.Sprint(p))
			}
			out[k] = strings.Join(parts, " / ")
		}
	}
	return out
}

// names fills staff usernames for the IDs in an audit trail.
func (s *Service) names(ctx context.Context, into map[string]string, trail []storage.AuditEntry) {
	for _, e := range trail {
		if _, ok := into[e.StaffID]; ok {
			continue
		}
		into[e.StaffID] = e.StaffID
		if st, err := s.State.GetStaff(ctx, e.StaffID); err == nil {
			into[e.StaffID] = st.Username
		}
	}
}

// SortedKeys returns the keys of m in order (for templates).
func SortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
