package harness

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/kycq/kycq/docread"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// Binary builds ./cmd/kycq of this checkout once per test binary and
// returns its path.
func Binary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "kycq-harness-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "kycq")
		_, file, _, _ := runtime.Caller(0)
		root := filepath.Join(filepath.Dir(file), "..", "..", "..")
		cmd := exec.Command("go", "build", "-o", binPath, "./cmd/kycq")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build ./cmd/kycq: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatalf("harness: %v", buildErr)
	}
	return binPath
}

// PaddleDir is where the document reader's recogniser is for a kycq the
// tests start: $KYCQ_PADDLE_DIR, else under $KYCQ_CACHE, else under this
// checkout's .cache, as scripts/setup.sh puts it (a child process runs in
// the test's package directory, where a relative default would miss it).
func PaddleDir() string {
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..", "..")
	return docread.PaddleDir("", func(k string) string {
		if v := os.Getenv(k); v != "" || k != "KYCQ_CACHE" {
			return v
		}
		return filepath.Join(root, ".cache")
	})
}

// Process is a kycq child process (kycq serve, kycq work, ...).
type Process struct {
	Cmd  *exec.Cmd
	Logs *Logs // its standard output and error

	t    testing.TB
	done chan struct{}
	err  error
}

// StartProcess starts `kycq args...` with env as its whole environment
// (plus PATH, HOME, TMPDIR and, unless env names it, KYCQ_PADDLE_DIR: the
// recogniser this checkout's set-up installed). It is killed, if still
// running, at the end of the test.
func StartProcess(t testing.TB, env Env, args ...string) *Process {
	t.Helper()
	cmd := exec.Command(Binary(t), args...)
	cmd.Env = append(env.List(), "PATH="+os.Getenv("PATH"), "HOME="+os.Getenv("HOME"), "TMPDIR="+os.TempDir())
	if _, ok := env["KYCQ_PADDLE_DIR"]; !ok {
		cmd.Env = append(cmd.Env, "KYCQ_PADDLE_DIR="+PaddleDir())
	}
	logs := &Logs{}
	cmd.Stdout, cmd.Stderr = logs, logs
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("harness: start kycq %v: %v", args, err)
	}
	p := &Process{Cmd: cmd, Logs: logs, t: t, done: make(chan struct{})}
	go func() { p.err = cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		p.Kill()
		if t.Failed() {
			t.Logf("kycq %v output:\n%s", args, logs.String())
		}
	})
	return p
}

// Kill sends SIGKILL to the process (and its children, such as ffmpeg)
// and waits for it: a worker killed mid-task.
func (p *Process) Kill() {
	select {
	case <-p.done:
		return
	default:
	}
	_ = syscall.Kill(-p.Cmd.Process.Pid, syscall.SIGKILL)
	<-p.done
}

// Stop sends SIGTERM and waits up to timeout for a graceful exit, then
// kills it. It returns the process' exit error (nil for exit status 0).
func (p *Process) Stop(timeout time.Duration) error {
	_ = p.Cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
		return p.err
	case <-time.After(timeout):
		p.Kill()
		return fmt.Errorf("harness: kycq did not stop within %v", timeout)
	}
}

// Exited reports whether the process has ended.
func (p *Process) Exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// WaitReady waits until the process answers 200 on base+"/readyz".
func (p *Process) WaitReady(ctx context.Context, base string) error {
	for {
		if p.Exited() {
			return fmt.Errorf("harness: kycq exited: %v\n%s", p.err, p.Logs.String())
		}
		if ready(base) {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("harness: %s not ready: %w", base, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}
