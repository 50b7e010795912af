package review

import (
	"errors"
	"net"
	"net/http"
	"sync"
	"time"
)

// Login throttling: a run of failed logins for one username, or from one
// client address, locks further attempts out for a window.
const (
	// MaxUserFailures failed logins for one username lock it out.
	MaxUserFailures = 5
	// MaxAddrFailures failed logins from one client address lock it out.
	MaxAddrFailures = 20
	// LoginWindow is how long failures are counted, and how long a
	// lockout lasts after the last of them.
	LoginWindow = 15 * time.Minute
)

// ErrLoginLocked: too many failed logins for the username or from the
// client address; try again after the window. The password is not checked.
var ErrLoginLocked = errors.New("review: too many failed logins; try again later")

// failures counts failed logins of one key within a window.
type failures struct {
	n    int
	last time.Time
}

// loginLimiter remembers failed logins per username and per client
// address, in memory (one process; a restart forgets them).
type loginLimiter struct {
	mu    sync.Mutex
	users map[string]failures
	addrs map[string]failures
}

func newLoginLimiter() *loginLimiter {
	return &loginLimiter{users: map[string]failures{}, addrs: map[string]failures{}}
}

// count returns the failures of key still inside the window at now.
func count(m map[string]failures, key string, now time.Time) int {
	f, ok := m[key]
	if !ok || now.Sub(f.last) >= LoginWindow {
		delete(m, key)
		return 0
	}
	return f.n
}

// locked reports whether a login for user from addr is locked out at now.
// An empty addr is not limited by address.
func (l *loginLimiter) locked(user, addr string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if count(l.users, user, now) >= MaxUserFailures {
		return true
	}
	return addr != "" && count(l.addrs, addr, now) >= MaxAddrFailures
}

// fail records a failed login; it reports whether that failure locked the
// username or the address out.
func (l *loginLimiter) fail(user, addr string, now time.Time) (lockedNow bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := count(l.users, user, now) + 1
	l.users[user] = failures{n: n, last: now}
	lockedNow = n == MaxUserFailures
	if addr != "" {
		a := count(l.addrs, addr, now) + 1
		l.addrs[addr] = failures{n: a, last: now}
		lockedNow = lockedNow || a == MaxAddrFailures
	}
	return lockedNow
}

// succeed forgets the username's failures after a good login.
func (l *loginLimiter) succeed(user string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.users, user)
}

// ClientAddr is the address a request came from, as the limiter counts
// it: the host of its remote address. Headers a client can set
// (X-Forwarded-For) are not trusted.
func ClientAddr(r *http.Request) string {
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}
