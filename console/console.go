// Package console is kycq's review console: a server-rendered web UI for
// reviewers and support staff, served at /console by `kycq serve` and
// `kycq run`. Pages are Go html/template; the stylesheet and a few lines
// of hand-written JavaScript (keyboard shortcuts, the queue refreshing
// itself) are embedded in the binary. Everything goes through a
// review.Service, which enforces roles and audits every view of personal
// data and every action.
//
// Staff log in with their own username and password. The session lives in
// an HttpOnly, SameSite=Strict cookie scoped to /console (Secure when the
// request came over TLS or Config.SecureCookies is set); every form carries
// the session's CSRF token and every state-changing request is a POST that
// must present it. Photos are streamed by kycq, never linked from S3.
package console

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"embed"
	"encoding/base64"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/kycq/kycq/review"
	"github.com/kycq/kycq/storage"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Cookie names.
const (
	sessionCookie = "kycq_staff"
	loginCookie   = "kycq_login" // the pre-login CSRF token (double submit)
	cookiePath    = "/console"
)

// Config configures a console.
type Config struct {
	Review *review.Service
	// SecureCookies marks cookies Secure even on plain HTTP requests: set
	// it when kycq sits behind a TLS-terminating proxy.
	SecureCookies bool
	Log           *slog.Logger
}

// Server is the review console.
type Server struct {
	cfg  Config
	svc  *review.Service
	tmpl map[string]*template.Template
	mux  *http.ServeMux
	log  *slog.Logger
}

// New returns the console for cfg.
func New(cfg Config) (*Server, error) {
	if cfg.Review == nil {
		return nil, errors.New("console: no review service")
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	s := &Server{cfg: cfg, svc: cfg.Review, tmpl: map[string]*template.Template{}, mux: http.NewServeMux(), log: cfg.Log}
	for _, page := range []string{"login", "queue", "case", "support", "supportcase", "error"} {
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/"+page+".html")
		if err != nil {
			return nil, err
		}
		s.tmpl[page] = t
	}
	static, _ := fs.Sub(staticFS, "static")
	s.mux.Handle("GET /console/static/", http.StripPrefix("/console/static/", http.FileServerFS(static)))
	s.mux.HandleFunc("GET /console", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/console/", http.StatusSeeOther)
	})
	s.mux.HandleFunc("GET /console/login", s.loginPage)
	s.mux.HandleFunc("POST /console/login", s.login)
	s.mux.Handle("POST /console/logout", s.post(s.logout))
	s.mux.Handle("GET /console/{$}", s.page(s.queue))
	s.mux.Handle("GET /console/cases/{id}", s.page(s.casePage))
	s.mux.Handle("GET /console/cases/{id}/photo/{slot}", s.page(s.photo))
	s.mux.Handle("GET /console/cases/{id}/frame/{n}", s.page(s.frame))
	s.mux.Handle("POST /console/cases/{id}/claim", s.post(s.claim))
	s.mux.Handle("POST /console/cases/{id}/release", s.post(s.release))
	s.mux.Handle("POST /console/cases/{id}/decide", s.post(s.decide))
	s.mux.Handle("GET /console/support", s.page(s.supportList))
	s.mux.Handle("GET /console/support/{id}", s.page(s.supportCase))
	s.mux.Handle("POST /console/support/{id}/move", s.post(s.moveCase))
	s.mux.Handle("POST /console/support/{id}/note", s.post(s.addNote))
	s.mux.Handle("POST /console/support/{id}/release", s.post(s.releaseDocument))
	s.mux.Handle("POST /console/support/{id}/reopen-appeal", s.post(s.reopenAppeal))
	s.mux.HandleFunc("/console/", func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, nil, http.StatusNotFound, "There is no such page.")
	})
	return s, nil
}

// ServeHTTP serves the console, with the security headers of every page.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self'; media-src 'self'; style-src 'self'; "+
		"script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin") // "no-referrer" would make browsers send Origin: null
	h.Set("Cache-Control", "no-store")
	s.mux.ServeHTTP(w, r)
}

type handler func(w http.ResponseWriter, r *http.Request, sess *review.Session)

// session returns the request's staff session, or nil.
func (s *Server) session(r *http.Request) *review.Session {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return nil
	}
	sess, err := s.svc.Authenticate(r.Context(), c.Value)
	if err != nil {
		if !errors.Is(err, review.ErrUnauthenticated) {
			s.log.ErrorContext(r.Context(), "console session", "error", err)
		}
		return nil
	}
	return sess
}

// page requires a session for a GET; without one it sends the browser to
// the login page.
func (s *Server) page(next handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sess := s.session(r)
		if sess == nil {
			http.Redirect(w, r, "/console/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		next(w, r, sess)
	})
}

// post requires a session and its CSRF token for a state-changing request.
func (s *Server) post(next handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		sess := s.session(r)
		if sess == nil {
			s.fail(w, r, nil, http.StatusForbidden, "Your session has ended: log in again.")
			return
		}
		if !sess.CheckCSRF(r.PostFormValue("csrf")) || !sameOrigin(r) {
			s.log.WarnContext(r.Context(), "console request without a valid CSRF token refused", "staff_id", sess.Staff.ID, "path", r.URL.Path)
			s.fail(w, r, sess, http.StatusForbidden, "This request did not come from a console page (its CSRF token is missing or wrong) and was refused.")
			return
		}
		next(w, r, sess)
	})
}

// sameOrigin refuses a request whose Origin header (sent by browsers on
// POST) names another site.
func sameOrigin(r *http.Request) bool {
	o := r.Header.Get("Origin")
	if o == "" {
		return true
	}
	u, err := url.Parse(o)
	return err == nil && u.Host == r.Host
}

// secure reports whether cookies must be Secure.
func (s *Server) secure(r *http.Request) bool { return r.TLS != nil || s.cfg.SecureCookies }

func (s *Server) setCookie(w http.ResponseWriter, r *http.Request, name, value string, until time.Time) {
	c := &http.Cookie{Name: name, Value: value, Path: cookiePath, HttpOnly: true, Secure: s.secure(r),
		SameSite: http.SameSiteStrictMode}
	if until.IsZero() {
		c.MaxAge = -1
	} else {
		c.Expires = until
	}
	http.SetCookie(w, c)
}

func randomToken() string {
	b := make([]byte, 24)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// safeNext keeps a post-login redirect inside the console.
func safeNext(next string) string {
	if strings.HasPrefix(next, "/console/") && !strings.HasPrefix(next, "//") && !strings.Contains(next, "\\") {
		return next
	}
	return "/console/"
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	if s.session(r) != nil {
		http.Redirect(w, r, "/console/", http.StatusSeeOther)
		return
	}
	tok := randomToken()
	s.setCookie(w, r, loginCookie, tok, time.Now().Add(30*time.Minute))
	s.render(w, r, http.StatusOK, "login", nil, map[string]any{"CSRF": tok, "Next": safeNext(r.URL.Query().Get("next"))})
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	c, err := r.Cookie(loginCookie)
	form := r.PostFormValue("csrf")
	if err != nil || form == "" || subtle.ConstantTimeCompare([]byte(c.Value), []byte(form)) != 1 || !sameOrigin(r) {
		s.fail(w, r, nil, http.StatusForbidden, "This login did not come from the console's login page and was refused.")
		return
	}
	sess, err := s.svc.LoginFrom(r.Context(), r.PostFormValue("username"), r.PostFormValue("password"), review.ClientAddr(r))
	if err != nil {
		if errors.Is(err, review.ErrLoginLocked) {
			tok := randomToken()
			s.setCookie(w, r, loginCookie, tok, time.Now().Add(30*time.Minute))
			s.render(w, r, http.StatusTooManyRequests, "login", nil, map[string]any{"CSRF": tok, "Next": safeNext(r.PostFormValue("next")),
				"Error": "Too many failed logins. Try again in 15 minutes."})
			return
		}
		if !errors.Is(err, review.ErrUnauthenticated) {
			s.fail(w, r, nil, http.StatusServiceUnavailable, "The console cannot reach its database; try again shortly.")
			return
		}
		tok := randomToken()
		s.setCookie(w, r, loginCookie, tok, time.Now().Add(30*time.Minute))
		s.render(w, r, http.StatusUnauthorized, "login", nil, map[string]any{"CSRF": tok, "Next": safeNext(r.PostFormValue("next")),
			"Error": "Wrong username or password, or the account is disabled."})
		return
	}
	s.setCookie(w, r, loginCookie, "", time.Time{})
	s.setCookie(w, r, sessionCookie, sess.Token, sess.Until)
	http.Redirect(w, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request, sess *review.Session) {
	if err := s.svc.Logout(r.Context(), sess); err != nil {
		s.log.ErrorContext(r.Context(), "console logout", "error", err)
	}
	s.setCookie(w, r, sessionCookie, "", time.Time{})
	http.Redirect(w, r, "/console/login", http.StatusSeeOther)
}

// view is what every page template gets.
type view struct {
	Staff   *storage.Staff
	CSRF    string
	Title   string
	Flash   string
	Data    map[string]any
	Can     map[string]bool
	Now     time.Time
	Section string
}

func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, page string, sess *review.Session, data map[string]any) {
	v := view{Data: data, Can: map[string]bool{}, Now: s.svc.Clock(), Section: page, Flash: flashes[r.URL.Query().Get("done")]}
	if sess != nil {
		v.Staff, v.CSRF = sess.Staff, sess.CSRF
		for _, p := range []review.Permission{review.PermRead, review.PermReview, review.PermSecondApproval, review.PermSupport, review.PermStaff} {
			v.Can[string(p)] = review.Can(sess.Staff.Role, p)
		}
	}
	if t, ok := data["Title"].(string); ok {
		v.Title = t
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if err := s.tmpl[page].Execute(w, v); err != nil {
		s.log.ErrorContext(r.Context(), "console template", "page", page, "error", err)
	}
}

// flashes are the fixed messages a redirect may ask a page to show.
var flashes = map[string]string{
	"claimed":           "You hold this case for 15 minutes; decide it or release it.",
	"released":          "The case is back in the queue.",
	"approved":          "Approved. The document is claimed for the account and the account is being verified.",
	"rejected":          "Rejected. The applicant's app now shows the reasons and remedies.",
	"second":            "First approval recorded. A different senior reviewer must give the second approval.",
	"refused":           "The approval was refused: another account holds this document. The verification was rejected with doc_already_used.",
	"moved":             "The case was moved.",
	"noted":             "Note added.",
	"released-document": "The document was released from the holder account; the reporter's verification is back in the review queue.",
	"reopened-appeal":   "The appealed verification is back in the review queue; a reviewer approves it or upholds the rejection.",
}

// fail shows an error page; msg is a fixed sentence.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, sess *review.Session, status int, msg string) {
	s.render(w, r, status, "error", sess, map[string]any{"Title": http.StatusText(status), "Message": msg, "Status": status})
}

// failErr maps a review.Service error to an error page.
func (s *Server) failErr(w http.ResponseWriter, r *http.Request, sess *review.Session, err error) {
	var inv *review.InvalidError
	switch {
	case errors.As(err, &inv):
		s.fail(w, r, sess, http.StatusBadRequest, inv.Msg+".")
	case errors.Is(err, review.ErrForbidden):
		s.fail(w, r, sess, http.StatusForbidden, "Your role ("+string(sess.Staff.Role)+") does not allow this.")
	case errors.Is(err, review.ErrUnauthenticated):
		http.Redirect(w, r, "/console/login", http.StatusSeeOther)
	case errors.Is(err, storage.ErrNotFound):
		s.fail(w, r, sess, http.StatusNotFound, "There is no such case.")
	case errors.Is(err, storage.ErrConflict):
		s.fail(w, r, sess, http.StatusConflict, "Another reviewer holds or decided this case, or your claim lapsed. Go back to the queue and reload.")
	case errors.Is(err, context.Canceled):
	default:
		s.log.ErrorContext(r.Context(), "console request failed", "path", r.URL.Path, "error", err)
		s.fail(w, r, sess, http.StatusServiceUnavailable, "The console cannot reach a backing service; try again shortly.")
	}
}
