package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/kycq/kycq/api"
	"github.com/kycq/kycq/internal/privacy"
	"github.com/kycq/kycq/storage"
	"github.com/kycq/kycq/storage/sqlstore"
)

// The API's own tests run the real handler over the real state store
// (SQLite in memory, as `kycq run` uses on disk). Only the S3 server and
// the queue are replaced, by the recorders below: the black-box tests in
// internal/systest/badinput cover them for real, and the fuzz targets need
// thousands of requests a second.

const token = "test-token"

// writes counts the successful calls of every State method that changes
// something.
type writes struct {
	storage.State
	mu sync.Mutex
	n  int
}

func (w *writes) count(err error) error {
	if err == nil {
		w.mu.Lock()
		w.n++
		w.mu.Unlock()
	}
	return err
}

func (w *writes) Count() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.n
}

// CreateVerification counts only a verification that did not exist (a
// repeat is a no-op).
func (w *writes) CreateVerification(ctx context.Context, v *storage.Verification) error {
	if _, err := w.State.GetVerification(ctx, v.ID); err == nil {
		return w.State.CreateVerification(ctx, v)
	}
	return w.count(w.State.CreateVerification(ctx, v))
}

func (w *writes) MarkSubmitted(ctx context.Context, id string, checks []string, uploads []storage.Upload, at time.Time) (*storage.Verification, error) {
	v, err := w.State.MarkSubmitted(ctx, id, checks, uploads, at)
	return v, w.count(err)
}

func (w *writes) BindContact(ctx context.Context, c storage.Contact) (storage.Contact, bool, error) {
	h, won, err := w.State.BindContact(ctx, c)
	return h, won, w.count(err)
}

func (w *writes) SetHoldings(ctx context.Context, id string, h storage.Holdings, at time.Time) error {
	return w.count(w.State.SetHoldings(ctx, id, h, at))
}

func (w *writes) CreateMigration(ctx context.Context, m *storage.Migration) (*storage.Migration, bool, error) {
	s, created, err := w.State.CreateMigration(ctx, m)
	if !created {
		return s, created, err
	}
	return s, created, w.count(err)
}

func (w *writes) CreateHolderCheck(ctx context.Context, h *storage.HolderCheck) (*storage.HolderCheck, bool, error) {
	s, created, err := w.State.CreateHolderCheck(ctx, h)
	if !created {
		return s, created, err
	}
	return s, created, w.count(err)
}

func (w *writes) ResolveHolderCheck(ctx context.Context, id, answer, migrationID, caseID string, at time.Time) (*storage.HolderCheck, error) {
	h, err := w.State.ResolveHolderCheck(ctx, id, answer, migrationID, caseID, at)
	return h, w.count(err)
}

func (w *writes) OpenCase(ctx context.Context, c storage.SupportCase) error {
	return w.count(w.State.OpenCase(ctx, c))
}

// blobs records presigned URLs; it holds no objects.
type blobs struct {
	mu       sync.Mutex
	presigns int
}

func (b *blobs) PresignPut(_ context.Context, key, contentType string, size int64, ttl time.Duration) (string, map[string]string, error) {
	b.mu.Lock()
	b.presigns++
	b.mu.Unlock()
	return "http://s3.invalid/" + key, map[string]string{"Content-Type": contentType}, nil
}
func (b *blobs) Head(context.Context, string) (storage.ObjectInfo, error) {
	return storage.ObjectInfo{}, storage.ErrNotFound
}
func (b *blobs) Get(context.Context, string, int64) (io.ReadCloser, storage.ObjectInfo, error) {
	return nil, storage.ObjectInfo{}, storage.ErrNotFound
}
func (b *blobs) Copy(context.Context, string, string) (storage.ObjectInfo, error) {
	return storage.ObjectInfo{}, storage.ErrNotFound
}
func (b *blobs) Put(context.Context, string, string, io.Reader, int64) error { return nil }
func (b *blobs) Delete(context.Context, string) error                        { return nil }
func (b *blobs) Ping(context.Context) error                                  { return nil }

// queue counts enqueued tasks.
type queue struct {
	mu sync.Mutex
	n  int
}

func (q *queue) EnqueueContext(_ context.Context, t *asynq.Task, _ ...asynq.Option) (*asynq.TaskInfo, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.n++
	return &asynq.TaskInfo{Type: t.Type()}, nil
}

func (q *queue) Count() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.n
}

// fixture is an API server over an in-memory store.
type fixture struct {
	srv    *api.Server
	state  *writes
	blobs  *blobs
	queue  *queue
	logs   *bytes.Buffer
	logsMu *sync.Mutex
}

// newFixture serves the API on an in-memory SQLite store; each opt may
// change the server's configuration first.
func newFixture(t testing.TB, opts ...func(*api.Config)) *fixture {
	t.Helper()
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, "sqlite::memory:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	d, _ := privacy.ParseKey(privacy.NewRandomKey())
	h, _ := privacy.ParseKey(privacy.NewRandomKey())
	keys, err := privacy.NewKeys(d, h)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{state: &writes{State: st}, blobs: &blobs{}, queue: &queue{}, logs: &bytes.Buffer{}, logsMu: &sync.Mutex{}}
	cfg := api.Config{Token: token, WebhookToken: "hook", State: f.state, Blobs: f.blobs, Keys: keys,
		Enqueuer: f.queue, Log: slog.New(slog.NewJSONHandler(lockedWriter{f.logs, f.logsMu}, nil))}
	for _, o := range opts {
		o(&cfg)
	}
	f.srv = api.New(cfg)
	return f
}

type lockedWriter struct {
	w  io.Writer
	mu *sync.Mutex
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// result is one answer of the handler.
type result struct {
	status int
	header http.Header
	body   []byte
	err    api.Error
}

func (f *fixture) serve(method, path, contentType string, header http.Header, body []byte) result {
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	rec := httptest.NewRecorder()
	f.srv.ServeHTTP(rec, req)
	r := result{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
	var e struct{ Error api.Error }
	if json.Unmarshal(r.body, &e) == nil {
		r.err = e.Error
	}
	return r
}

// checkAnswer asserts what every answer must be: JSON, a client error or
// success (the store is healthy, so never a 5xx), an error with a stable
// code and a message, and nothing written or enqueued for a client error.
func (f *fixture) checkAnswer(t *testing.T, r result, writesBefore, enqueuedBefore int, ok ...int) {
	t.Helper()
	if r.status >= 500 {
		t.Fatalf("server error %d %s", r.status, r.body)
	}
	if !json.Valid(r.body) {
		t.Fatalf("%d: the answer is not JSON: %q", r.status, r.body)
	}
	if r.status >= 400 {
		if r.err.Code == "" || r.err.Message == "" || strings.ContainsAny(r.err.Code, " \n") {
			t.Fatalf("%d: error without a stable code or a message: %s", r.status, r.body)
		}
		if w := f.state.Count(); w != writesBefore {
			t.Fatalf("%d %s: the refusal wrote %d records", r.status, r.err.Code, w-writesBefore)
		}
		if n := f.queue.Count(); n != enqueuedBefore {
			t.Fatalf("%d %s: the refusal enqueued %d tasks", r.status, r.err.Code, n-enqueuedBefore)
		}
		return
	}
	for _, s := range ok {
		if r.status == s {
			return
		}
	}
	t.Fatalf("unexpected status %d: %s", r.status, r.body)
}
