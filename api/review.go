package api

import (
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/review"
	"github.com/kycq/kycq/storage"
)

// The reviewer API, under /v1/review (issue 14). Staff authenticate as
// themselves: POST /v1/review/sessions with a username and password
// returns a staff bearer token. The service API token is not a staff
// login, and no cookie is ever read here, so a cross-site request cannot
// act for a logged-in reviewer.

// mountReview registers the reviewer routes; without a review service
// they answer 503.
func (s *Server) mountReview() {
	s.mux.HandleFunc("POST /v1/review/sessions", s.reviewLogin)
	s.mux.Handle("DELETE /v1/review/sessions/current", s.staff(s.reviewLogout))
	s.mux.Handle("GET /v1/review/queue", s.staff(s.reviewQueue))
	s.mux.Handle("GET /v1/review/cases/{id}", s.staff(s.reviewCase))
	s.mux.Handle("POST /v1/review/cases/{id}/claim", s.staff(s.reviewClaim))
	s.mux.Handle("DELETE /v1/review/cases/{id}/claim", s.staff(s.reviewRelease))
	s.mux.Handle("POST /v1/review/cases/{id}/decision", s.staff(s.reviewDecide))
	s.mux.Handle("GET /v1/review/support-cases", s.staff(s.supportCases))
	s.mux.Handle("GET /v1/review/support-cases/{id}", s.staff(s.supportCase))
	s.mux.Handle("POST /v1/review/support-cases/{id}/transition", s.staff(s.supportTransition))
	s.mux.Handle("POST /v1/review/support-cases/{id}/notes", s.staff(s.supportNote))
	s.mux.Handle("POST /v1/review/support-cases/{id}/release-document", s.staff(s.supportRelease))
	s.mux.Handle("POST /v1/review/support-cases/{id}/reopen-appeal", s.staff(s.supportReopenAppeal))
	s.mux.Handle(reviewCatchAll, s.staff(func(w http.ResponseWriter, r *http.Request, _ *review.Session) { s.noRoute(w, r) }))
}

// reviewCatchAll answers, for staff, every /v1/review request no route
// takes (404, or 405 naming the methods the path has).
const reviewCatchAll = "/v1/review/"

type staffHandler func(w http.ResponseWriter, r *http.Request, sess *review.Session)

var errStaffUnauthorized = &Error{Code: "unauthorized", Message: "a staff bearer token from POST /v1/review/sessions is required",
	status: http.StatusUnauthorized}

// staff requires a staff bearer token.
func (s *Server) staff(next staffHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.cfg.Review == nil {
			s.fail(w, r, errUnavailable)
			return
		}
		scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") {
			s.fail(w, r, errStaffUnauthorized)
			return
		}
		sess, err := s.cfg.Review.Authenticate(r.Context(), strings.TrimSpace(token))
		if err != nil {
			s.reviewFail(w, r, err)
			return
		}
		next(w, r, sess)
	})
}

// reviewFail maps the review service's errors to API errors.
func (s *Server) reviewFail(w http.ResponseWriter, r *http.Request, err error) {
	var inv *review.InvalidError
	switch {
	case errors.As(err, &inv):
		s.fail(w, r, badRequest("invalid_request", "%s", inv.Msg))
	case errors.Is(err, review.ErrUnauthenticated):
		s.fail(w, r, errStaffUnauthorized)
	case errors.Is(err, review.ErrLoginLocked):
		s.fail(w, r, &Error{Code: "login_locked", Message: "too many failed logins; try again in 15 minutes", status: http.StatusTooManyRequests})
	case errors.Is(err, review.ErrForbidden):
		s.fail(w, r, &Error{Code: "forbidden", Message: "your role does not allow this", status: http.StatusForbidden})
	case errors.Is(err, storage.ErrNotFound):
		s.fail(w, r, &Error{Code: "not_found", Message: "no such case", status: http.StatusNotFound})
	case errors.Is(err, storage.ErrConflict):
		s.fail(w, r, &Error{Code: "conflict", Message: "another reviewer holds or decided this case, or your claim lapsed: reload it",
			status: http.StatusConflict})
	default:
		s.fail(w, r, err)
	}
}

// StaffLoginRequest is the body of POST /v1/review/sessions.
type StaffLoginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// StaffSessionView answers a login.
type StaffSessionView struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
	Staff     StaffView `json:"staff"`
}

// StaffView is a staff user as the API shows them.
type StaffView struct {
	ID       string            `json:"id"`
	Username string            `json:"username"`
	Role     storage.StaffRole `json:"role"`
}

func (s *Server) reviewLogin(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Review == nil {
		s.fail(w, r, errUnavailable)
		return
	}
	var req StaffLoginRequest
	if err := s.decode(r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	sess, err := s.cfg.Review.LoginFrom(r.Context(), req.Username, req.Password, review.ClientAddr(r))
	if err != nil {
		s.reviewFail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, StaffSessionView{Token: sess.Token, ExpiresAt: sess.Until,
		Staff: StaffView{ID: sess.Staff.ID, Username: sess.Staff.Username, Role: sess.Staff.Role}})
}

func (s *Server) reviewLogout(w http.ResponseWriter, r *http.Request, sess *review.Session) {
	if err := s.cfg.Review.Logout(r.Context(), sess); err != nil {
		s.reviewFail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// ReviewItemView is one case of the review queue. It holds no personal
// data.
type ReviewItemView struct {
	VerificationID string        `json:"verification_id"`
	AccountID      string        `json:"account_id"`
	Country        string        `json:"country"`
	DocType        string        `json:"doc_type"`
	Reasons        []reason.Code `json:"reasons"`
	Note           string        `json:"note,omitempty"`
	SubmittedAt    time.Time     `json:"submitted_at"`
	AgeSeconds     int64         `json:"age_seconds"`
	State          string        `json:"state"`
	ClaimedBy      string        `json:"claimed_by,omitempty"`
	ClaimUntil     *time.Time    `json:"claim_until,omitempty"`
	FourEyes       bool          `json:"four_eyes"`
	FirstApprover  string        `json:"first_approver,omitempty"`
}

func (s *Server) itemView(it *storage.ReviewItem) ReviewItemView {
	now := s.cfg.Now()
	v := ReviewItemView{VerificationID: it.VerificationID, AccountID: it.AccountID, Country: it.Country,
		DocType: it.DocType, Reasons: it.Reasons, Note: it.Note, SubmittedAt: it.SubmittedAt,
		AgeSeconds: int64(now.Sub(it.SubmittedAt) / time.Second), State: string(it.State),
		FourEyes: review.NeedsFourEyes(it.Reasons), FirstApprover: it.FirstApprover}
	if it.Claimed(now) {
		until := it.ClaimUntil
		v.ClaimedBy, v.ClaimUntil = it.ClaimedBy, &until
	}
	return v
}

// QueueView is the answer of GET /v1/review/queue.
type QueueView struct {
	Items []ReviewItemView `json:"items"`
	// Next continues the listing (the after parameter); empty at the end.
	Next string `json:"next,omitempty"`
}

// ParseQueueFilter reads the queue's query parameters: reason, country,
// doc_type, older_than (a Go duration such as 2h), after (a cursor) and
// limit. The console uses it too.
func ParseQueueFilter(q map[string][]string, now time.Time) (storage.ReviewFilter, error) {
	get := func(k string) string {
		if v := q[k]; len(v) > 0 {
			return strings.TrimSpace(v[0])
		}
		return ""
	}
	f := storage.ReviewFilter{Reason: reason.Code(get("reason")), Country: strings.ToUpper(get("country")), DocType: get("doc_type")}
	if v := get("older_than"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			return f, badRequest("invalid_request", "older_than is a duration such as 30m or 2h")
		}
		f.SubmittedBefore = now.Add(-d)
	}
	if v := get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 500 {
			return f, badRequest("invalid_request", "limit is 1 to 500")
		}
		f.Limit = n
	}
	if v := get("after"); v != "" {
		t, id, err := parseCursor(v)
		if err != nil {
			return f, badRequest("invalid_request", "after is a cursor from a previous page")
		}
		f.AfterSubmitted, f.AfterID = t, id
	}
	return f, nil
}

// cursor encodes where a queue page ended.
func cursor(it *storage.ReviewItem) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(it.SubmittedAt.UnixMicro(), 10) + "/" + it.VerificationID))
}

func parseCursor(c string) (time.Time, string, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return time.Time{}, "", err
	}
	us, id, ok := strings.Cut(string(b), "/")
	n, err := strconv.ParseInt(us, 10, 64)
	if !ok || err != nil || id == "" {
		return time.Time{}, "", errors.New("bad cursor")
	}
	return time.UnixMicro(n).UTC(), id, nil
}

func (s *Server) reviewQueue(w http.ResponseWriter, r *http.Request, sess *review.Session) {
	f, err := ParseQueueFilter(r.URL.Query(), s.cfg.Now())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	limit := f.Limit
	if limit == 0 {
		limit = 50
	}
	f.Limit = limit
	items, err := s.cfg.Review.Queue(r.Context(), sess, f)
	if err != nil {
		s.reviewFail(w, r, err)
		return
	}
	out := QueueView{Items: []ReviewItemView{}}
	for _, it := range items {
		out.Items = append(out.Items, s.itemView(it))
	}
	if len(items) == limit {
		out.Next = cursor(items[len(items)-1])
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) reviewClaim(w http.ResponseWriter, r *http.Request, sess *review.Session) {
	it, err := s.cfg.Review.Claim(r.Context(), sess, r.PathValue("id"))
	if err != nil {
		s.reviewFail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.itemView(it))
}

func (s *Server) reviewRelease(w http.ResponseWriter, r *http.Request, sess *review.Session) {
	if err := s.cfg.Review.Release(r.Context(), sess, r.PathValue("id")); err != nil {
		s.reviewFail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// ReviewDecisionRequest is the body of POST /v1/review/cases/{id}/decision.
type ReviewDecisionRequest struct {
	Outcome storage.Outcome `json:"outcome"`
	Reasons []reason.Code   `json:"reasons,omitempty"`
	Note    string          `json:"note,omitempty"`
}

// ReviewResultView answers a decision.
type ReviewResultView struct {
	State   string       `json:"state"` // decided | awaiting_second_approval
	Outcome string       `json:"outcome,omitempty"`
	Reasons []ReasonView `json:"reasons,omitempty"`
	Refused reason.Code  `json:"refused,omitempty"`
}

// ReasonView is a reason code with its remedy.
type ReasonView struct {
	Code   reason.Code `json:"code"`
	Remedy string      `json:"remedy,omitempty"`
}

func reasonViews(codes []reason.Code) []ReasonView {
	out := []ReasonView{}
	for _, c := range codes {
		out = append(out, ReasonView{Code: c, Remedy: reason.Remedy(c)})
	}
	return out
}

func (s *Server) reviewDecide(w http.ResponseWriter, r *http.Request, sess *review.Session) {
	var req ReviewDecisionRequest
	if err := s.decode(r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	res, err := s.cfg.Review.Decide(r.Context(), sess, r.PathValue("id"),
		review.Decision{Outcome: req.Outcome, Reasons: req.Reasons, Note: req.Note})
	if err != nil {
		s.reviewFail(w, r, err)
		return
	}
	out := ReviewResultView{State: res.State, Refused: res.Refused}
	if res.State == review.StateDecided {
		out.Outcome, out.Reasons = string(res.Decision.Outcome), reasonViews(res.Decision.Reasons)
	}
	writeJSON(w, http.StatusOK, out)
}

// CaseView is the answer of GET /v1/review/cases/{id}: everything a
// reviewer needs, personal data included (the read is audited).
type CaseView struct {
	Verification struct {
		ID          string    `json:"id"`
		AccountID   string    `json:"account_id"`
		Status      string    `json:"status"`
		Country     string    `json:"country"`
		DocType     string    `json:"doc_type"`
		Flags       []string  `json:"flags"`
		SubmittedAt time.Time `json:"submitted_at"`
	} `json:"verification"`
	Review       *ReviewItemView   `json:"review,omitempty"`
	Typed        any               `json:"typed"`
	Read         map[string]string `json:"read,omitempty"`
	Checks       []ReviewCheckView `json:"checks"`
	Decision     *ReviewResultView `json:"decision,omitempty"`
	HardFindings []reason.Code     `json:"hard_findings"`
	DocumentHeld bool              `json:"document_held_by_another_account"`
	Earlier      []EarlierView     `json:"earlier"`
	Audit        []AuditView       `json:"audit"`
}

// ReviewCheckView is one check result with its scores.
type ReviewCheckView struct {
	Check      string             `json:"check"`
	OK         bool               `json:"ok"`
	Borderline bool               `json:"borderline,omitempty"`
	Failed     bool               `json:"failed,omitempty"`
	Reasons    []reason.Code      `json:"reasons"`
	Scores     map[string]float64 `json:"scores,omitempty"`
}

// EarlierView is another verification of the same account.
type EarlierView struct {
	ID        string        `json:"id"`
	CreatedAt time.Time     `json:"created_at"`
	Outcome   string        `json:"outcome,omitempty"`
	Reasons   []reason.Code `json:"reasons,omitempty"`
}

// AuditView is one audit entry.
type AuditView struct {
	At     time.Time `json:"at"`
	Staff  string    `json:"staff"`
	Action string    `json:"action"`
	Before string    `json:"before,omitempty"`
	After  string    `json:"after,omitempty"`
}

func auditViews(trail []storage.AuditEntry, names map[string]string) []AuditView {
	out := []AuditView{}
	for _, e := range trail {
		out = append(out, AuditView{At: e.At, Staff: names[e.StaffID], Action: e.Action, Before: e.Before, After: e.After})
	}
	return out
}

func (s *Server) reviewCase(w http.ResponseWriter, r *http.Request, sess *review.Session) {
	cv, err := s.cfg.Review.Case(r.Context(), sess, r.PathValue("id"))
	if err != nil {
		s.reviewFail(w, r, err)
		return
	}
	var out CaseView
	v := cv.Verification
	out.Verification.ID, out.Verification.AccountID, out.Verification.Status = v.ID, v.AccountID, string(v.Status)
	out.Verification.Country, out.Verification.DocType, out.Verification.Flags = v.Country, v.DocType, v.Flags
	out.Verification.SubmittedAt = v.SubmittedAt
	if out.Verification.Flags == nil {
		out.Verification.Flags = []string{}
	}
	if cv.Item != nil {
		iv := s.itemView(cv.Item)
		out.Review = &iv
	}
	out.Typed, out.Read = cv.Applicant, cv.Read
	out.Checks = []ReviewCheckView{}
	for _, c := range cv.Results {
		out.Checks = append(out.Checks, ReviewCheckView{Check: c.Check, OK: c.OK, Borderline: c.Borderline, Failed: c.Failed,
			Reasons: nonNilCodes(c.Reasons), Scores: c.Scores})
	}
	if cv.Decision != nil {
		out.Decision = &ReviewResultView{State: string(cv.Decision.Outcome), Outcome: string(cv.Decision.Outcome),
			Reasons: reasonViews(cv.Decision.Reasons)}
	}
	out.HardFindings = nonNilCodes(cv.HardFindings)
	out.DocumentHeld = cv.Holder != nil && cv.Holder.AccountID != v.AccountID
	out.Earlier = []EarlierView{}
	for _, e := range cv.Earlier {
		ev := EarlierView{ID: e.Verification.ID, CreatedAt: e.Verification.CreatedAt}
		if e.Decision != nil {
			ev.Outcome, ev.Reasons = string(e.Decision.Outcome), e.Decision.Reasons
		}
		out.Earlier = append(out.Earlier, ev)
	}
	out.Audit = auditViews(cv.Audit, cv.Staff)
	writeJSON(w, http.StatusOK, out)
}

func nonNilCodes(c []reason.Code) []reason.Code {
	if c == nil {
		return []reason.Code{}
	}
	return c
}

// SupportCaseView is a support case as the reviewer API shows it.
type SupportCaseView struct {
	ID             string            `json:"id"`
	Kind           string            `json:"kind"`
	State          storage.CaseState `json:"state"`
	Owner          string            `json:"owner,omitempty"`
	AccountID      string            `json:"account_id,omitempty"`
	HolderAccount  string            `json:"holder_account,omitempty"`
	VerificationID string            `json:"verification_id,omitempty"`
	CreatedAt      time.Time         `json:"created_at"`
	UpdatedAt      time.Time         `json:"updated_at"`
	Notes          []string          `json:"notes,omitempty"`
	Audit          []AuditView       `json:"audit,omitempty"`
}

func caseView(c storage.SupportCase) SupportCaseView {
	return SupportCaseView{ID: c.ID, Kind: c.Kind, State: c.State, Owner: c.Owner, AccountID: c.AccountID,
		HolderAccount: c.HolderAccount, VerificationID: c.VerificationID, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
}

func (s *Server) supportCases(w http.ResponseWriter, r *http.Request, sess *review.Session) {
	q := r.URL.Query()
	cases, err := s.cfg.Review.Cases(r.Context(), sess, storage.CaseFilter{State: storage.CaseState(q.Get("state")), Kind: q.Get("kind")})
	if err != nil {
		s.reviewFail(w, r, err)
		return
	}
	out := []SupportCaseView{}
	for _, c := range cases {
		out = append(out, caseView(c))
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
}

func (s *Server) supportCase(w http.ResponseWriter, r *http.Request, sess *review.Session) {
	cd, err := s.cfg.Review.SupportCase(r.Context(), sess, r.PathValue("id"))
	if err != nil {
		s.reviewFail(w, r, err)
		return
	}
	v := caseView(cd.Case)
	v.Notes, v.Audit = cd.Texts, auditViews(cd.Audit, cd.Staff)
	writeJSON(w, http.StatusOK, v)
}

// CaseTransitionRequest is the body of POST .../transition.
type CaseTransitionRequest struct {
	To storage.CaseState `json:"to"`
}

func (s *Server) supportTransition(w http.ResponseWriter, r *http.Request, sess *review.Session) {
	var req CaseTransitionRequest
	if err := s.decode(r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.cfg.Review.MoveCase(r.Context(), sess, r.PathValue("id"), req.To)
	if err != nil {
		s.reviewFail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, caseView(c))
}

// CaseNoteRequest is the body of POST .../notes.
type CaseNoteRequest struct {
	Text string `json:"text"`
}

func (s *Server) supportNote(w http.ResponseWriter, r *http.Request, sess *review.Session) {
	var req CaseNoteRequest
	if err := s.decode(r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.cfg.Review.AddNote(r.Context(), sess, r.PathValue("id"), req.Text); err != nil {
		s.reviewFail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) supportRelease(w http.ResponseWriter, r *http.Request, sess *review.Session) {
	if err := s.cfg.Review.ReleaseDocument(r.Context(), sess, r.PathValue("id")); err != nil {
		s.reviewFail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) supportReopenAppeal(w http.ResponseWriter, r *http.Request, sess *review.Session) {
	if err := s.cfg.Review.ReopenAppeal(r.Context(), sess, r.PathValue("id")); err != nil {
		s.reviewFail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
