// Package api is kycq's HTTP API: create a verification, upload through
// presigned URLs, submit, and read the result.
//
// Every route under /v1 needs the bearer token; bodies are JSON with unknown
// fields refused; bad requests get a 4xx with a stable code and never
// change anything.
package api

import (
	"context"
	"crypto/subtle"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/hibiken/asynq"

	"github.com/kycq/kycq/internal/privacy"
	"github.com/kycq/kycq/review"
	"github.com/kycq/kycq/storage"
)

// Enqueuer is the part of asynq.Client the API uses.
type Enqueuer interface {
	EnqueueContext(ctx context.Context, t *asynq.Task, opts ...asynq.Option) (*asynq.TaskInfo, error)
}

// Limits bound what clients may upload.
type Limits struct {
	MaxImageBytes int64         // per document photo
	MaxVideoBytes int64         // selfie video
	URLTTL        time.Duration // how long presigned URLs stay valid
	MaxBodyBytes  int64         // JSON request bodies
}

// DefaultLimits are the limits used when none are configured.
func DefaultLimits() Limits {
	return Limits{MaxImageBytes: 15 << 20, MaxVideoBytes: 50 << 20, URLTTL: 15 * time.Minute, MaxBodyBytes: 64 << 10}
}

// Config configures a Server.
type Config struct {
	Token        string // bearer token for /v1 (required)
	WebhookToken string // token the S3 server's event webhook presents ("" disables the webhook)
	State        storage.State
	Blobs        storage.Blobs
	Keys         *privacy.Keys
	Enqueuer     Enqueuer
	// Review serves the reviewer API under /v1/review; nil answers 503.
	Review *review.Service
	Limits Limits
	Log    *slog.Logger
	Now    func() time.Time
	// HolderLimit bounds holder-check attempts (zero: DefaultHolderLimit).
	HolderLimit HolderLimit
	// HolderObserver, if set, counts holder-check attempts.
	HolderObserver HolderObserver
	// Challenges are the liveness challenges issued when an upload asks
	// for one, drawn by a keyed hash of the verification (empty:
	// DefaultChallenges).
	Challenges []string
}

// Server serves the API.
type Server struct {
	cfg Config
	log *slog.Logger
	mux *http.ServeMux
	// submits serialises submits of one verification (submit.go).
	submits keyedMutex
}

// New returns a Server for cfg.
func New(cfg Config) *Server {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Limits == (Limits{}) {
		cfg.Limits = DefaultLimits()
	}
	if len(cfg.Challenges) == 0 {
		cfg.Challenges = DefaultChallenges()
	}
	if cfg.HolderLimit == (HolderLimit{}) {
		cfg.HolderLimit = DefaultHolderLimit()
	}
	s := &Server{cfg: cfg, log: cfg.Log, mux: http.NewServeMux()}
	s.mux.Handle("POST /v1/verifications", s.auth(s.create))
	s.mux.Handle("GET /v1/verifications/{id}", s.auth(s.get))
	s.mux.Handle("POST /v1/verifications/{id}/submit", s.auth(s.submit))
	s.mux.Handle("POST /v1/verifications/{id}/holder-checks", s.auth(s.createHolderCheck))
	s.mux.Handle("POST /v1/verifications/{id}/appeals", s.auth(s.appeal))
	s.mux.Handle("GET /v1/holder-checks/{id}", s.auth(s.getHolderCheck))
	s.mux.Handle("POST /v1/holder-checks/{id}/submit", s.auth(s.submitHolderCheck))
	s.mux.Handle("POST /v1/holder-checks/{id}/answer", s.auth(s.answerHolderCheck))
	s.mux.Handle("GET /v1/accounts/{account}", s.auth(s.getAccount))
	s.mux.Handle("POST /v1/accounts/{account}/contacts", s.auth(s.bindContact))
	s.mux.Handle("PUT /v1/accounts/{account}/holdings", s.auth(s.putHoldings))
	s.mux.Handle("POST /v1/migrations", s.auth(s.createMigration))
	s.mux.Handle("GET /v1/migrations/{id}", s.auth(s.getMigration))
	s.mux.Handle("GET /v1/id-types", s.auth(s.idTypes))
	s.mux.Handle("POST /v1/hooks/s3", s.notCrossSite(s.s3Event))
	s.mux.Handle("GET /v1/verifications", s.auth(s.listVerifications))
	s.mux.Handle("GET /v1/accounts/{account}/verifications", s.auth(s.listAccountVerifications))
	s.mux.Handle("GET /v1/accounts/{account}/holder-checks", s.auth(s.listAccountHolderChecks))
	s.mux.Handle("GET /v1/accounts/{account}/migrations", s.auth(s.listAccountMigrations))
	s.mux.Handle("GET /v1/accounts/{account}/cases", s.auth(s.listAccountCases))
	s.mux.Handle("POST /v1/occupancy-checks", s.auth(s.occupancyCheck))
	s.mux.Handle("GET /v1/webhooks/dead", s.auth(s.listDeadDeliveries))
	s.mux.Handle("GET /v1/webhooks/deliveries/{endpoint}/{event}", s.auth(s.getDelivery))
	s.mux.Handle("POST /v1/webhooks/deliveries/{endpoint}/{event}/redeliver", s.auth(s.redeliver))
	s.mountReview()
	s.mux.Handle(catchAll, s.auth(s.noRoute))
	return s
}

// Handle mounts another handler on the server's mux (metrics, health,
// monitoring).
func (s *Server) Handle(pattern string, h http.Handler) { s.mux.Handle(pattern, h) }

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !cleanPath(r.URL.Path) {
		// net/http would answer a redirect to the cleaned path, sending a
		// client that wrote "/v1/verifications/../.." somewhere it did not
		// name. No kycq route has such a path: refuse it plainly.
		s.fail(w, r, &Error{Code: "invalid_path", Message: "the path has empty, '.' or '..' segments", status: http.StatusBadRequest})
		return
	}
	s.mux.ServeHTTP(w, r)
}

// cleanPath reports whether the (unescaped) path is absolute and has no
// empty, "." or ".." segment; a trailing slash is allowed.
func cleanPath(p string) bool {
	if !strings.HasPrefix(p, "/") {
		return false
	}
	segs := strings.Split(p[1:], "/")
	for i, seg := range segs {
		if seg == "." || seg == ".." || seg == "" && i != len(segs)-1 {
			return false
		}
	}
	return true
}

// auth requires the bearer token, JSON bodies and a request that is not
// cross-site (see guardV1).
func (s *Server) auth(next http.HandlerFunc) http.Handler { return s.guardV1(next) }

// RequireToken wraps next so that it runs only for requests carrying token
// as a bearer token (or, for browsers, as the HTTP Basic password); others
// get deny. It guards the dashboard, not /v1, which takes the bearer
// token only (see guardV1).
func RequireToken(token string, next http.Handler, deny http.HandlerFunc) http.Handler {
	want := []byte(token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := ""
		if scheme, cred, ok := strings.Cut(r.Header.Get("Authorization"), " "); ok && strings.EqualFold(scheme, "Bearer") {
			got = strings.TrimSpace(cred)
		} else if _, p, ok := r.BasicAuth(); ok {
			got = p
		}
		if len(want) == 0 || subtle.ConstantTimeCompare([]byte(got), want) != 1 {
			if _, _, basic := r.BasicAuth(); basic || r.Header.Get("Authorization") == "" {
				w.Header().Set("WWW-Authenticate", `Basic realm="kycq", charset="UTF-8"`)
			}
			deny(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}
