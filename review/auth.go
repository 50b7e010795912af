package review

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"

	"github.com/kycq/kycq/storage"
)

// Errors of the service, besides storage.ErrNotFound and
// storage.ErrConflict.
var (
	// ErrUnauthenticated: no valid session, or a wrong username or
	// password (the two are not told apart).
	ErrUnauthenticated = errors.New("review: not logged in")
	// ErrForbidden: the staff user's role does not allow the action.
	ErrForbidden = errors.New("review: not allowed for this role")
)

// InvalidError is a request the service refuses as malformed; its message
// is fit to show to staff and holds no personal data.
type InvalidError struct{ Msg string }

func (e *InvalidError) Error() string { return e.Msg }

func invalid(format string, a ...any) error { return &InvalidError{Msg: fmt.Sprintf(format, a...)} }

// Password rules: bcrypt reads at most 72 bytes.
const (
	MinPassword = 12
	MaxPassword = 72
)

// bcryptCost is the cost of new password hashes; tests lower it.
var bcryptCost = bcrypt.DefaultCost

// HashPassword checks a new password against the length rules and hashes
// it with bcrypt.
func HashPassword(pw string) ([]byte, error) {
	if utf8.RuneCountInString(pw) < MinPassword || len(pw) > MaxPassword {
		return nil, invalid("a password has %d to %d bytes", MinPassword, MaxPassword)
	}
	return bcrypt.GenerateFromPassword([]byte(pw), bcryptCost)
}

// validUsername: 3–64 of [a-z0-9._-], starting with a letter.
func validUsername(u string) bool {
	if len(u) < 3 || len(u) > 64 || u[0] < 'a' || u[0] > 'z' {
		return false
	}
	for _, c := range u {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// Session is a logged-in staff user.
type Session struct {
	Token string // the secret: the console cookie or the staff bearer token
	CSRF  string // the console's anti-CSRF token
	Staff *storage.Staff
	Until time.Time
}

// CheckCSRF reports whether token is this session's CSRF token.
func (s *Session) CheckCSRF(token string) bool {
	return token != "" && subtle.ConstantTimeCompare([]byte(token), []byte(s.CSRF)) == 1
}

// newSecret returns 32 random bytes, base64url.
func newSecret() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// tokenHash is what the store keeps of a session token.
func tokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// dummyHash makes a login with an unknown username cost as much as one
// with a wrong password.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("kycq-no-such-user-password"), bcrypt.MinCost)

// Login checks a username and password and opens a session. A disabled
// user, an unknown user and a wrong password are all ErrUnauthenticated.
// It is LoginFrom without a client address.
func (s *Service) Login(ctx context.Context, username, password string) (*Session, error) {
	return s.LoginFrom(ctx, username, password, "")
}

// LoginFrom is Login from a client address (addr, "" when unknown).
// MaxUserFailures failed logins for the username, or MaxAddrFailures from
// the address, within LoginWindow lock further attempts out with
// ErrLoginLocked until the window has passed since the last failure; a
// locked attempt does not check the password. Failures and lockouts are
// audited (subject the staff user, or "login:unknown" for an unknown
// username); addresses are not written anywhere.
func (s *Service) LoginFrom(ctx context.Context, username, password, addr string) (*Session, error) {
	username = strings.TrimSpace(username)
	now := s.now()
	if s.logins.locked(username, addr, now) {
		s.auditLogin(ctx, username, "staff.login_locked", now)
		return nil, ErrLoginLocked
	}
	refuse := func() (*Session, error) {
		action := "staff.login_failed"
		if s.logins.fail(username, addr, now) {
			action = "staff.login_lockout"
		}
		s.auditLogin(ctx, username, action, now)
		return nil, ErrUnauthenticated
	}
	st, err := s.State.StaffByUsername(ctx, username)
	if errors.Is(err, storage.ErrNotFound) {
		bcrypt.CompareHashAndPassword(dummyHash, []byte(password))
		return refuse()
	}
	if err != nil {
		return nil, err
	}
	if bcrypt.CompareHashAndPassword(st.PasswordHash, []byte(password)) != nil || st.Disabled {
		s.Log.InfoContext(ctx, "staff login refused", "staff_id", st.ID)
		return refuse()
	}
	s.logins.succeed(username)
	sess := &Session{Token: newSecret(), CSRF: newSecret(), Staff: st, Until: now.Add(s.SessionTTL)}
	if err := s.State.CreateSession(ctx, storage.StaffSession{TokenHash: tokenHash(sess.Token), StaffID: st.ID,
		CSRF: sess.CSRF, CreatedAt: now, ExpiresAt: sess.Until}); err != nil {
		if errors.Is(err, storage.ErrConflict) {
			return nil, ErrUnauthenticated
		}
		return nil, err
	}
	if err := s.State.Audit(ctx, storage.AuditEntry{At: now, StaffID: st.ID, Action: "staff.login", Subject: "staff:" + st.ID}); err != nil {
		return nil, err
	}
	s.Log.InfoContext(ctx, "staff login", "staff_id", st.ID, "role", st.Role)
	return sess, nil
}

// Authenticate returns the session of a token: a live session of an
// enabled staff user, or ErrUnauthenticated.
func (s *Service) Authenticate(ctx context.Context, token string) (*Session, error) {
	if token == "" {
		return nil, ErrUnauthenticated
	}
	ss, err := s.State.GetSession(ctx, tokenHash(token), s.now())
	if errors.Is(err, storage.ErrNotFound) {
		return nil, ErrUnauthenticated
	}
	if err != nil {
		return nil, err
	}
	st, err := s.State.GetStaff(ctx, ss.StaffID)
	if errors.Is(err, storage.ErrNotFound) || err == nil && st.Disabled {
		return nil, ErrUnauthenticated
	}
	if err != nil {
		return nil, err
	}
	return &Session{Token: token, CSRF: ss.CSRF, Staff: st, Until: ss.ExpiresAt}, nil
}

// Logout ends a session.
func (s *Service) Logout(ctx context.Context, sess *Session) error {
	return s.State.DeleteSession(ctx, tokenHash(sess.Token))
}

// AddStaff creates a staff user with a new password; actor is the staff
// ID of the admin doing it ("system" for the command line).
func (s *Service) AddStaff(ctx context.Context, actor *storage.Staff, username string, role storage.StaffRole, password string) (*storage.Staff, error) {
	if actor != nil && !Can(actor.Role, PermStaff) {
		return nil, ErrForbidden
	}
	if !validUsername(username) {
		return nil, invalid("a username has 3 to 64 of a-z, 0-9, '.', '_', '-', starting with a letter")
	}
	if !Can(role, PermRead) {
		return nil, invalid("unknown role %q (one of reviewer, senior_reviewer, support, auditor, admin)", role)
	}
	hash, err := HashPassword(password)
	if err != nil {
		return nil, err
	}
	now := s.now()
	st := &storage.Staff{ID: "staff_" + newSecret()[:16], Username: username, Role: role, PasswordHash: hash,
		CreatedAt: now, UpdatedAt: now}
	if err := s.State.CreateStaff(ctx, st); err != nil {
		if errors.Is(err, storage.ErrConflict) {
			return nil, invalid("the username %q is taken", username)
		}
		return nil, err
	}
	return st, nil
}

// SetDisabled disables or re-enables a staff user by username.
func (s *Service) SetDisabled(ctx context.Context, actor *storage.Staff, username string, disabled bool) error {
	actorID := "system"
	if actor != nil {
		if !Can(actor.Role, PermStaff) {
			return ErrForbidden
		}
		actorID = actor.ID
	}
	st, err := s.State.StaffByUsername(ctx, username)
	if err != nil {
		return err
	}
	return s.State.SetStaffDisabled(ctx, st.ID, disabled, actorID, s.now())
}

// auditLogin writes a refused or locked login to the audit log: the actor
// is "anonymous" (nobody is logged in), the subject the staff user the
// attempt named, or "login:unknown". A failure to audit is logged, not
// returned: the attempt is refused either way.
func (s *Service) auditLogin(ctx context.Context, username, action string, at time.Time) {
	subject := "login:unknown"
	if st, err := s.State.StaffByUsername(ctx, username); err == nil {
		subject = "staff:" + st.ID
	}
	if err := s.State.Audit(ctx, storage.AuditEntry{At: at, StaffID: "anonymous", Action: action, Subject: subject}); err != nil {
		s.Log.WarnContext(ctx, "audit of a refused login failed", "action", action, "error", err)
	}
	if action != "staff.login_failed" {
		s.Log.InfoContext(ctx, "staff login locked out", "action", action)
	}
}
