// Package harness starts whole kycq services for end-to-end, operator and
// fault tests: in-process (API and workers of one App, as `kycq run` does)
// or as `kycq serve` / `kycq work` child processes built from this
// checkout, against the real Redis, PostgreSQL and S3 of package testenv or
// on the embedded defaults.
//
// Every service is configured the way an operator configures kycq: with
// environment variables (Env), so a test exercises the same Load path as
// production.
package harness

import (
	"context"
	"errors"
	"flag"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/kycq/kycq/api/client"
	"github.com/kycq/kycq/internal/app"
	"github.com/kycq/kycq/internal/privacy"
	"github.com/kycq/kycq/internal/systest/testenv"
)

// Env is a kycq configuration as environment variables.
type Env map[string]string

// Clone returns a copy of e with the overrides applied.
func (e Env) Clone(overrides Env) Env {
	out := make(Env, len(e)+len(overrides))
	for k, v := range e {
		out[k] = v
	}
	for k, v := range overrides {
		out[k] = v
	}
	return out
}

// List returns e as KEY=VALUE strings, for a child process.
func (e Env) List() []string {
	out := make([]string, 0, len(e))
	for k, v := range e {
		out = append(out, k+"="+v)
	}
	return out
}

// RealEnv returns the configuration of a kycq on the test's real services:
// a Redis database of its own, a fresh PostgreSQL database and a fresh S3
// bucket, fresh keys and token, and a free API port.
func RealEnv(t testing.TB) Env {
	t.Helper()
	addr, db := testenv.RedisDB(t)
	s3 := testenv.S3(t)
	return Env{
		"REDIS_ADDR":         addr,
		"REDIS_DB":           strconv.Itoa(db),
		"DATABASE_URL":       testenv.Postgres(t),
		"S3_ENDPOINT":        s3.Endpoint,
		"S3_REGION":          s3.Region,
		"S3_BUCKET":          s3.Bucket,
		"S3_ACCESS_KEY":      s3.AccessKey,
		"S3_SECRET_KEY":      s3.SecretKey,
		"KYCQ_DATA_KEY":      privacy.NewRandomKey(),
		"KYCQ_HASH_KEY":      privacy.NewRandomKey(),
		"KYCQ_API_TOKEN":     "t-" + privacy.NewRandomKey()[:32],
		"KYCQ_WEBHOOK_TOKEN": "w-" + privacy.NewRandomKey()[:32],
		"KYCQ_ADDR":          FreeAddr(t),
		"KYCQ_METRICS_ADDR":  FreeAddr(t),
		"KYCQ_DATA_DIR":      t.TempDir(),
		"KYCQ_LOG_LEVEL":     "debug",
		// The system tests verify many accounts with the two bundled
		// portraits (one applicant's files reused across accounts): the
		// known-faces rule would rightly send all but the first to manual
		// review. It is tested in workers (TestKnownFaces, real stores).
		"KYCQ_KNOWN_FACES": "false",
	}
}

// EmbeddedEnv returns the configuration of `kycq run` on its embedded
// defaults (in-process Redis, S3 and SQLite under a temporary data dir):
// nothing but where to listen and keep data.
func EmbeddedEnv(t testing.TB) Env {
	t.Helper()
	return Env{"KYCQ_ADDR": FreeAddr(t), "KYCQ_DATA_DIR": t.TempDir(), "KYCQ_LOG_LEVEL": "debug"}
}

// FreeAddr returns a loopback address with a port free right now.
func FreeAddr(t testing.TB) string {
	t.Helper()
	addr, err := testenv.FreeAddr()
	if err != nil {
		t.Fatalf("harness: free port: %v", err)
	}
	return addr
}

// Service is a kycq running in the test process.
type Service struct {
	URL    string // the API's base URL
	Token  string // the API token
	App    *app.App
	Client *client.Client
	Logs   *Logs // everything it logged, JSON lines

	cancel context.CancelFunc
	done   chan struct{}
	errs   []error
	mu     sync.Mutex
}

// Start runs the API and the workers of one App in the test process, as
// `kycq run` does: embedded defaults for whatever env leaves out when
// embedded is true, production checks otherwise. It stops at the end of
// the test (or with Stop).
func Start(t testing.TB, env Env, embedded bool) *Service {
	t.Helper()
	fs := flag.NewFlagSet("harness", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	cfg, err := app.Load(fs, nil, func(k string) string { return env[k] })
	if err != nil {
		t.Fatalf("harness: config: %v", err)
	}
	logs := &Logs{}
	log := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	mode := app.Production
	if embedded {
		mode = app.Embedded
	}
	ctx, cancel := context.WithCancel(context.Background())
	a, err := app.Open(ctx, cfg, mode, log)
	if err != nil {
		cancel()
		t.Fatalf("harness: open: %v", err)
	}
	l, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		cancel()
		a.Close()
		t.Fatalf("harness: listen: %v", err)
	}
	h, err := a.Handler(ctx)
	if err != nil {
		cancel()
		a.Close()
		t.Fatalf("harness: handler: %v", err)
	}
	checks, err := a.Pipeline()
	if err != nil {
		cancel()
		a.Close()
		t.Fatalf("harness: pipeline: %v", err)
	}
	s := &Service{URL: "http://" + l.Addr().String(), Token: a.Config.APIToken, App: a, Logs: logs,
		cancel: cancel, done: make(chan struct{})}
	s.Client = client.New(s.URL, s.Token)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); s.record(a.Serve(ctx, l, h)) }()
	go func() { defer wg.Done(); s.record(a.Work(ctx, checks)) }()
	go func() { wg.Wait(); a.Close(); close(s.done) }()
	t.Cleanup(func() {
		s.Stop()
		for _, err := range s.errs {
			t.Errorf("harness: service stopped with: %v", err)
		}
	})
	waitReady(t, s.URL)
	return s
}

func (s *Service) record(err error) {
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		s.mu.Lock()
		s.errs = append(s.errs, err)
		s.mu.Unlock()
	}
}

// Stop stops the service and waits for running tasks to finish.
func (s *Service) Stop() {
	s.cancel()
	<-s.done
}

// waitReady polls /readyz until it answers 200.
func waitReady(t testing.TB, base string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !ready(base) {
		if time.Now().After(deadline) {
			t.Fatalf("harness: %s/readyz not ready after 30s", base)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func ready(base string) bool {
	resp, err := http.Get(base + "/readyz")
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// Logs collects everything a service logs (JSON lines), whole: tests grep
// it.
type Logs = testenv.Output
