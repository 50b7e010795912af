package api

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
)

// List endpoints page by an opaque cursor: each page has at most limit
// items (default 50, at most 200), oldest first, and a next_cursor when
// more may follow.

// Page limits.
const (
	defaultPageLimit = 50
	maxPageLimit     = 200
)

// Page is the answer of a list endpoint.
type Page[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor,omitempty"`
}

// cursorJSON is the cursor's content before encoding.
type cursorJSON struct {
	T int64  `json:"t"` // Unix microseconds
	I string `json:"i"`
	E string `json:"e,omitempty"` // a second key (the endpoint of a delivery)
}

func encodeCursor(at time.Time, id, extra string) string {
	b, _ := json.Marshal(cursorJSON{T: at.UnixMicro(), I: id, E: extra})
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string) (cursorJSON, error) {
	var c cursorJSON
	if s == "" {
		return c, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(s) > 512 || json.Unmarshal(b, &c) != nil || c.T <= 0 || c.I == "" {
		return c, badRequest("invalid_cursor", "cursor is not one this API handed out")
	}
	return c, nil
}

// pageParams reads ?limit= and ?cursor=.
func pageParams(r *http.Request) (storage.Cursor, string, int, error) {
	limit := defaultPageLimit
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxPageLimit {
			return storage.Cursor{}, "", 0, badRequest("invalid_limit", "limit must be an integer from 1 to %d", maxPageLimit)
		}
		limit = n
	}
	c, err := decodeCursor(r.URL.Query().Get("cursor"))
	if err != nil {
		return storage.Cursor{}, "", 0, err
	}
	if c.T == 0 {
		return storage.Cursor{}, "", limit, nil
	}
	return storage.Cursor{At: time.UnixMicro(c.T).UTC(), ID: c.I}, c.E, limit, nil
}

// paginate lists limit+1 items to learn whether a next page exists and
// answers the page.
func paginate[S, V any](s *Server, w http.ResponseWriter, r *http.Request,
	list func(after storage.Cursor, limit int) ([]S, error), key func(S) storage.Cursor, view func(S) (V, error)) {
	after, _, limit, err := pageParams(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	items, err := list(after, limit+1)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := Page[V]{Items: []V{}}
	if len(items) > limit {
		items = items[:limit]
		k := key(items[limit-1])
		p.NextCursor = encodeCursor(k.At, k.ID, "")
	}
	for _, it := range items {
		v, err := view(it)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		p.Items = append(p.Items, v)
	}
	writeJSON(w, http.StatusOK, p)
}

// VerificationSummary is a verification in a list.
type VerificationSummary struct {
	ID          string         `json:"id"`
	AccountID   string         `json:"account_id"`
	Status      storage.Status `json:"status"`
	CreatedAt   time.Time      `json:"created_at"`
	SubmittedAt *time.Time     `json:"submitted_at,omitempty"`
	DecidedAt   *time.Time     `json:"decided_at,omitempty"`
	Decision    *DecisionView  `json:"decision,omitempty"`
}

func (s *Server) verificationSummary(r *http.Request) func(v *storage.Verification) (VerificationSummary, error) {
	return func(v *storage.Verification) (VerificationSummary, error) {
		out := VerificationSummary{ID: v.ID, AccountID: v.AccountID, Status: v.Status, CreatedAt: v.CreatedAt}
		if !v.SubmittedAt.IsZero() {
			out.SubmittedAt = &v.SubmittedAt
		}
		if v.Status == storage.StatusDecided {
			d, err := s.cfg.State.GetDecision(r.Context(), v.ID)
			if err != nil {
				return out, err
			}
			out.DecidedAt = &d.DecidedAt
			out.Decision = &DecisionView{Outcome: d.Outcome, Reasons: reason.Details(d.Reasons), Note: d.Note}
		}
		return out, nil
	}
}

func verificationKey(v *storage.Verification) storage.Cursor {
	return storage.Cursor{At: v.CreatedAt, ID: v.ID}
}

func (s *Server) listAccountVerifications(w http.ResponseWriter, r *http.Request) {
	account, ok := s.accountParam(w, r)
	if !ok {
		return
	}
	paginate(s, w, r, func(after storage.Cursor, limit int) ([]*storage.Verification, error) {
		return s.cfg.State.PageAccountVerifications(r.Context(), account, after, limit)
	}, verificationKey, s.verificationSummary(r))
}

// listVerifications serves GET /v1/verifications?status=&from=&to=: the
// verifications in a status that reached it in [from, to), for
// reconciliation.
func (s *Server) listVerifications(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	status := storage.Status(q.Get("status"))
	key := map[storage.Status]func(v *storage.Verification) storage.Cursor{
		storage.StatusCreated:   verificationKey,
		storage.StatusSubmitted: func(v *storage.Verification) storage.Cursor { return storage.Cursor{At: v.SubmittedAt, ID: v.ID} },
		storage.StatusDecided:   func(v *storage.Verification) storage.Cursor { return storage.Cursor{At: v.DecidedAt, ID: v.ID} },
	}[status]
	if key == nil {
		s.fail(w, r, &Error{Code: "invalid_field", Field: "status", Message: "status must be created, submitted or decided", status: http.StatusBadRequest})
		return
	}
	var from, to time.Time
	for _, p := range []struct {
		name string
		t    *time.Time
	}{{"from", &from}, {"to", &to}} {
		if v := q.Get(p.name); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				s.fail(w, r, &Error{Code: "invalid_field", Field: p.name, Message: p.name + " must be an RFC 3339 time", status: http.StatusBadRequest})
				return
			}
			*p.t = t
		}
	}
	if !from.IsZero() && !to.IsZero() && !from.Before(to) {
		s.fail(w, r, &Error{Code: "invalid_field", Field: "to", Message: "to must be after from", status: http.StatusBadRequest})
		return
	}
	paginate(s, w, r, func(after storage.Cursor, limit int) ([]*storage.Verification, error) {
		return s.cfg.State.VerificationsByStatus(r.Context(), status, from, to, after, limit)
	}, key, s.verificationSummary(r))
}

// HolderCheckSummary is a holder check in a list; the holder is shown only
// by GET /v1/holder-checks/{id}.
type HolderCheckSummary struct {
	ID             string                   `json:"id"`
	VerificationID string                   `json:"verification_id"`
	State          storage.HolderCheckState `json:"state"`
	Answer         string                   `json:"answer,omitempty"`
	MigrationID    string                   `json:"migration_id,omitempty"`
	CaseID         string                   `json:"case_id,omitempty"`
	CreatedAt      time.Time                `json:"created_at"`
	UpdatedAt      time.Time                `json:"updated_at"`
}

func (s *Server) listAccountHolderChecks(w http.ResponseWriter, r *http.Request) {
	account, ok := s.accountParam(w, r)
	if !ok {
		return
	}
	paginate(s, w, r, func(after storage.Cursor, limit int) ([]*storage.HolderCheck, error) {
		return s.cfg.State.AccountHolderChecks(r.Context(), account, after, limit)
	}, func(h *storage.HolderCheck) storage.Cursor { return storage.Cursor{At: h.CreatedAt, ID: h.ID} },
		func(h *storage.HolderCheck) (HolderCheckSummary, error) {
			return HolderCheckSummary{ID: h.ID, VerificationID: h.VerificationID, State: h.State, Answer: h.Answer,
				MigrationID: h.MigrationID, CaseID: h.CaseID, CreatedAt: h.CreatedAt, UpdatedAt: h.UpdatedAt}, nil
		})
}

// MigrationSummary is a migration in a list; its audit trail is shown by
// GET /v1/migrations/{id}.
type MigrationSummary struct {
	ID            string                 `json:"id"`
	Kind          storage.MigrationKind  `json:"kind"`
	State         storage.MigrationState `json:"state"`
	SourceAccount string                 `json:"source_account"`
	TargetAccount string                 `json:"target_account"`
	Refusal       *reason.Detail         `json:"refusal,omitempty"`
	CreatedAt     time.Time              `json:"created_at"`
	UpdatedAt     time.Time              `json:"updated_at"`
}

func (s *Server) listAccountMigrations(w http.ResponseWriter, r *http.Request) {
	account, ok := s.accountParam(w, r)
	if !ok {
		return
	}
	paginate(s, w, r, func(after storage.Cursor, limit int) ([]*storage.Migration, error) {
		return s.cfg.State.AccountMigrations(r.Context(), account, after, limit)
	}, func(m *storage.Migration) storage.Cursor { return storage.Cursor{At: m.CreatedAt, ID: m.ID} },
		func(m *storage.Migration) (MigrationSummary, error) {
			v := MigrationSummary{ID: m.ID, Kind: m.Kind, State: m.State, SourceAccount: m.SourceAccount,
				TargetAccount: m.TargetAccount, CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt}
			if m.Refusal != "" {
				v.Refusal = &reason.Detail{Code: m.Refusal, Remedy: reason.Remedy(m.Refusal)}
			}
			return v, nil
		})
}

// CaseSummary is a support case in a list.
type CaseSummary struct {
	ID             string    `json:"id"`
	Kind           string    `json:"kind"`
	State          string    `json:"state,omitempty"`
	VerificationID string    `json:"verification_id,omitempty"`
	CreatedAt      time.Time `json:"created_at"`
}

func (s *Server) listAccountCases(w http.ResponseWriter, r *http.Request) {
	account, ok := s.accountParam(w, r)
	if !ok {
		return
	}
	paginate(s, w, r, func(after storage.Cursor, limit int) ([]storage.SupportCase, error) {
		return s.cfg.State.AccountCases(r.Context(), account, after, limit)
	}, func(c storage.SupportCase) storage.Cursor { return storage.Cursor{At: c.CreatedAt, ID: c.ID} },
		func(c storage.SupportCase) (CaseSummary, error) {
			return CaseSummary{ID: c.ID, Kind: c.Kind, State: string(c.State), VerificationID: c.VerificationID, CreatedAt: c.CreatedAt}, nil
		})
}
