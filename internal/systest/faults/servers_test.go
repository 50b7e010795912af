package faults

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/kycq/kycq/internal/systest/harness"
	"github.com/kycq/kycq/internal/systest/testenv"
)

// A private server is a Redis or PostgreSQL process that one test starts
// on a free loopback port over a directory of its own, so it can crash and
// restart it without touching the machine's shared servers (which other
// tests use at the same time).
type privateServer struct {
	Addr string

	t     testing.TB
	name  string
	start func() (*exec.Cmd, error)
	ready func() bool
	stop  func(cmd *exec.Cmd) // graceful stop; nil = SIGTERM
	crash syscall.Signal      // how Crash ends it; 0 = SIGKILL

	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{}
	out  *harness.Logs
}

// Start starts the server (again) and waits up to 30 s until it answers.
func (s *privateServer) Start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd != nil {
		return nil
	}
	cmd, err := s.start()
	if err != nil {
		return err
	}
	cmd.Stdout, cmd.Stderr = s.out, s.out
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("%s: %v", s.name, err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	deadline := time.Now().Add(30 * time.Second)
	for !s.ready() {
		select {
		case <-done:
			return fmt.Errorf("%s exited: %s", s.name, s.out.String())
		default:
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			<-done
			return fmt.Errorf("%s did not answer on %s", s.name, s.Addr)
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.cmd, s.done = cmd, done
	return nil
}

// Crash ends the server without a clean shutdown: SIGKILL (no final
// save) for Redis, an immediate shutdown (no checkpoint, crash recovery at
// the next start) for PostgreSQL.
func (s *privateServer) Crash() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return
	}
	sig := s.crash
	if sig == 0 {
		sig = syscall.SIGKILL
	}
	_ = s.cmd.Process.Signal(sig)
	s.reap()
}

// Stop stops the server the way its init script would.
func (s *privateServer) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return
	}
	if s.stop != nil {
		s.stop(s.cmd)
	} else {
		_ = s.cmd.Process.Signal(syscall.SIGTERM)
	}
	s.reap()
}

// reap waits for the signalled server to exit (killing it after 30 s) and
// forgets its process. The caller holds s.mu.
func (s *privateServer) reap() {
	select {
	case <-s.done:
	case <-time.After(30 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
	}
	s.cmd = nil
}

func (s *privateServer) mustStart(t testing.TB) {
	t.Helper()
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Crash)
}

// startRedis starts a private redis-server that writes every command to
// its append-only file before answering (appendonly yes, appendfsync
// always): what kycq's production Redis must be configured like, or a
// Redis restart loses queued tasks (see docs/load.md).
func startRedis(t *testing.T) *privateServer {
	t.Helper()
	return startRedisWith(t, "--appendonly", "yes", "--appendfsync", "always")
}

// startRedisWith starts a private redis-server with extra arguments
// (persistence settings).
func startRedisWith(t *testing.T, args ...string) *privateServer {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		testenv.Unavailable(t, "redis-server", err)
	}
	dir := t.TempDir()
	s := &privateServer{Addr: harness.FreeAddr(t), t: t, name: "redis-server", out: &harness.Logs{}}
	host, port, _ := net.SplitHostPort(s.Addr)
	s.start = func() (*exec.Cmd, error) {
		return exec.Command(bin, append([]string{"--bind", host, "--port", port, "--dir", dir, "--save", "",
			"--protected-mode", "no"}, args...)...), nil
	}
	s.ready = func() bool { return redisPing(s.Addr) == nil }
	s.mustStart(t)
	return s
}

func redisPing(addr string) error {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(time.Second))
	if _, err := c.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	buf := make([]byte, 16)
	n, _ := c.Read(buf)
	if !strings.HasPrefix(string(buf[:n]), "+PONG") {
		return errors.New("no PONG")
	}
	return nil
}

// pgBinDirs are where Debian installs the PostgreSQL server binaries.
var pgBinDirs = []string{"/usr/lib/postgresql/17/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/15/bin"}

// startPostgres initialises and starts a private PostgreSQL cluster (trust
// authentication on loopback) and returns it with its URL. PostgreSQL
// refuses to run as root: as root, the cluster is owned by and runs as the
// postgres user.
func startPostgres(t *testing.T) (*privateServer, string) {
	t.Helper()
	var bin string
	for _, d := range pgBinDirs {
		if _, err := os.Stat(filepath.Join(d, "postgres")); err == nil {
			bin = d
			break
		}
	}
	if bin == "" {
		testenv.Unavailable(t, "PostgreSQL server binaries", fmt.Errorf("none in %v", pgBinDirs))
	}
	var cred *syscall.Credential
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			testenv.Unavailable(t, "a postgres user to run PostgreSQL as", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	}
	// Not t.TempDir: its parents are private to root.
	dir, err := os.MkdirTemp("", "kycq-faults-pg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if cred != nil {
		if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
			t.Fatal(err)
		}
	}
	data := filepath.Join(dir, "data")
	asOwner := func(cmd *exec.Cmd) *exec.Cmd {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
		cmd.Env = []string{"PATH=" + bin + ":/usr/bin:/bin", "LANG=C", "LC_ALL=C"}
		cmd.Dir = dir
		return cmd
	}
	initdb := asOwner(exec.Command(filepath.Join(bin, "initdb"), "-D", data, "-U", "postgres", "-A", "trust",
		"--no-sync", "-E", "UTF8"))
	if out, err := initdb.CombinedOutput(); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	s := &privateServer{Addr: harness.FreeAddr(t), t: t, name: "postgres", out: &harness.Logs{}}
	host, port, _ := net.SplitHostPort(s.Addr)
	s.start = func() (*exec.Cmd, error) {
		return asOwner(exec.Command(filepath.Join(bin, "postgres"), "-D", data, "-p", port,
			"-c", "listen_addresses="+host, "-c", "unix_socket_directories="+dir,
			"-c", "fsync=off", "-c", "max_connections=100")), nil
	}
	// SIGINT is PostgreSQL's "fast" shutdown: roll back open transactions,
	// disconnect every client, stop cleanly. SIGQUIT is its "immediate"
	// shutdown: every process quits at once, as in a crash, and the next
	// start replays the write-ahead log. (SIGKILL of the postmaster alone
	// would leave its backends running.)
	s.stop = func(cmd *exec.Cmd) { _ = cmd.Process.Signal(syscall.SIGINT) }
	s.crash = syscall.SIGQUIT
	s.ready = func() bool {
		c, err := net.DialTimeout("tcp", s.Addr, time.Second)
		if err != nil {
			return false
		}
		c.Close()
		return exec.Command(filepath.Join(bin, "pg_isready"), "-q", "-h", host, "-p", port).Run() == nil
	}
	s.mustStart(t)
	return s, fmt.Sprintf("postgres://postgres@%s/postgres?sslmode=disable", s.Addr)
}
