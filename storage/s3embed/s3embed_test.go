package s3embed_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kycq/kycq/storage"
	"github.com/kycq/kycq/storage/blob"
	"github.com/kycq/kycq/storage/s3embed"
)

// event is the part of an AWS S3 event notification kycq's API reads
// (api.S3Event).
type event struct {
	Records []struct {
		EventName string `json:"eventName"`
		S3        struct {
			Bucket struct {
				Name string `json:"name"`
			} `json:"bucket"`
			Object struct {
				Key  string `json:"key"`
				Size int64  `json:"size"`
			} `json:"object"`
		} `json:"s3"`
	} `json:"Records"`
}

// hook collects the events posted to it.
type hook struct {
	mu     sync.Mutex
	events []event
	raw    []string
	auth   []string // the Authorization header and query of each event
	got    chan struct{}
}

// hookToken is the webhook token start configures.
const hookToken = "hook-token"

func newHook() *hook { return &hook{got: make(chan struct{}, 100)} }

func (h *hook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var ev event
	if err := json.Unmarshal(body, &ev); err != nil {
		http.Error(w, "not an S3 event", http.StatusBadRequest)
		return
	}
	h.mu.Lock()
	h.events = append(h.events, ev)
	h.raw = append(h.raw, string(body))
	h.auth = append(h.auth, r.Header.Get("Authorization")+"?"+r.URL.RawQuery)
	h.mu.Unlock()
	h.got <- struct{}{}
}

// waitFor waits until an event for key named like name arrived.
func (h *hook) waitFor(t *testing.T, name, key string) {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		h.mu.Lock()
		for _, ev := range h.events {
			for _, r := range ev.Records {
				if strings.Contains(r.EventName, name) && r.S3.Object.Key == key {
					h.mu.Unlock()
					return
				}
			}
		}
		h.mu.Unlock()
		select {
		case <-h.got:
		case <-deadline:
			t.Fatalf("no %s event for %s; got %v", name, key, h.raw)
		}
	}
}

func start(t *testing.T, dir, webhook string) (*s3embed.Server, *blob.Store) {
	t.Helper()
	srv, err := s3embed.Start(context.Background(), s3embed.Config{
		Dir: dir, AccessKey: "kycq-test", SecretKey: "kycq-test-secret-0123456789", EventWebhookURL: webhook,
		EventWebhookToken: hookToken,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	st, err := blob.New(context.Background(), blob.Config{Endpoint: srv.Endpoint(), Bucket: "kycq",
		AccessKey: "kycq-test", SecretKey: "kycq-test-secret-0123456789"})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.EnsureBucket(context.Background()); err != nil {
		t.Fatal(err)
	}
	return srv, st
}

// The embedded server is real S3: objects round-trip, presigned URLs are
// checked with SigV4, and object-created events reach the webhook in the
// AWS format.
func TestEmbeddedS3(t *testing.T) {
	wd, _ := os.Getwd()
	h := newHook()
	hs := httptest.NewServer(h)
	defer hs.Close()
	dir := filepath.Join(t.TempDir(), "objects")
	srv, st := start(t, dir, hs.URL+"/v1/hooks/s3")
	if !strings.HasPrefix(srv.Endpoint(), "http://127.0.0.1:") {
		t.Fatalf("endpoint %s", srv.Endpoint())
	}
	ctx := context.Background()

	data := []byte("not really a jpeg")
	if err := st.Put(ctx, "v/abc/doc_front", "image/jpeg", bytes.NewReader(data), int64(len(data))); err != nil {
		t.Fatal(err)
	}
	h.waitFor(t, "ObjectCreated", "v/abc/doc_front")
	// The token travels in a header, never in the URL.
	h.mu.Lock()
	for _, a := range h.auth {
		if a != "Bearer "+hookToken+"?" {
			t.Errorf("event delivered with %q, want the bearer token and no query", a)
		}
	}
	h.mu.Unlock()
	rc, info, err := st.Get(ctx, "v/abc/doc_front", 100)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(rc)
	rc.Close()
	if !bytes.Equal(got, data) || info.ContentType != "image/jpeg" {
		t.Fatalf("read back %q (%s)", got, info.ContentType)
	}
	// Objects are files under the data directory, private to the owner.
	fi, err := os.Stat(filepath.Join(dir, "kycq", "v", "abc", "doc_front"))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		t.Fatalf("object file mode %v is readable by others", fi.Mode().Perm())
	}

	// Presigned upload: the right type lands (and is announced), the
	// wrong type is refused by the signature check.
	body := []byte("selfie bytes")
	url, headers, err := st.PresignPut(ctx, "v/abc/selfie", "video/mp4", int64(len(body)), time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		ct   string
		want int
	}{{"video/webm", http.StatusForbidden}, {"video/mp4", http.StatusOK}} {
		req, _ := http.NewRequest(http.MethodPut, url, bytes.NewReader(body))
		for k, v := range headers {
			req.Header.Set(k, v)
		}
		req.Header.Set("Content-Type", tc.ct)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Fatalf("presigned PUT as %s: %d, want %d", tc.ct, resp.StatusCode, tc.want)
		}
	}
	h.waitFor(t, "ObjectCreated", "v/abc/selfie")

	if err := st.Delete(ctx, "v/abc/selfie"); err != nil {
		t.Fatal(err)
	}
	h.waitFor(t, "ObjectRemoved", "v/abc/selfie")

	// One server per process.
	if _, err := s3embed.Start(ctx, s3embed.Config{Dir: t.TempDir(), AccessKey: "a", SecretKey: "secret-secret"}); err == nil {
		t.Fatal("a second embedded server started")
	}

	// Close restores the working directory; the data survives a restart.
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	if err := srv.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if now, _ := os.Getwd(); now != wd {
		t.Fatalf("working directory %s after Close, want %s", now, wd)
	}
	probe, err := blob.New(ctx, blob.Config{Endpoint: srv.Endpoint(), Bucket: "kycq", AccessKey: "a", SecretKey: "b", MaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := probe.Ping(ctx); err == nil {
		t.Fatal("closed server still answers")
	}
	_, st2 := start(t, dir, "")
	info, err = st2.Head(ctx, "v/abc/doc_front")
	if err != nil || info.Size != int64(len(data)) {
		t.Fatalf("after restart: %+v, %v", info, err)
	}
	if _, err := st2.Head(ctx, "v/abc/selfie"); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("deleted object after restart: %v", err)
	}
}

// The webhook need not listen when the server starts: events are relayed
// once it does.
func TestWebhookStartsLater(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there yet

	_, st := start(t, t.TempDir(), "http://"+addr+"/hook")
	data := []byte("x")
	if err := st.Put(context.Background(), "v/late/doc_front", "image/png", bytes.NewReader(data), 1); err != nil {
		t.Fatal(err)
	}
	time.Sleep(150 * time.Millisecond) // let the first delivery fail

	h := newHook()
	l, err = net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("port %s was taken meanwhile: %v", addr, err)
	}
	hs := &http.Server{Handler: h}
	go hs.Serve(l)
	defer hs.Close()
	h.waitFor(t, "ObjectCreated", "v/late/doc_front")
}

func TestStartRejectsBadConfig(t *testing.T) {
	for _, cfg := range []s3embed.Config{
		{AccessKey: "a", SecretKey: "b"},
		{Dir: t.TempDir(), SecretKey: "b"},
		{Dir: t.TempDir(), AccessKey: "a", SecretKey: "b", Addr: "no-port"},
	} {
		if srv, err := s3embed.Start(context.Background(), cfg); err == nil {
			srv.Close()
			t.Errorf("Start(%+v) succeeded", cfg)
		}
	}
}

// TestPortKeptAcrossRestarts: with an AddrFile, a restarted server listens
// on the port it had, so that a presigned URL handed out before the
// restart still uploads; when another process took the port meanwhile, it
// takes a free one and records that.
func TestPortKeptAcrossRestarts(t *testing.T) {
	ctx := context.Background()
	base := t.TempDir()
	dir, addrFile := filepath.Join(base, "objects"), filepath.Join(base, "s3.addr")
	cfg := s3embed.Config{Dir: dir, AddrFile: addrFile, AccessKey: "kycq-test", SecretKey: "kycq-test-secret-0123456789"}
	startAt := func() (*s3embed.Server, *blob.Store) {
		t.Helper()
		srv, err := s3embed.Start(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		st, err := blob.New(ctx, blob.Config{Endpoint: srv.Endpoint(), Bucket: "kycq", AccessKey: cfg.AccessKey, SecretKey: cfg.SecretKey})
		if err != nil {
			srv.Close()
			t.Fatal(err)
		}
		if err := st.EnsureBucket(ctx); err != nil {
			srv.Close()
			t.Fatal(err)
		}
		return srv, st
	}

	srv, st := startAt()
	first := srv.Endpoint()
	b, err := os.ReadFile(addrFile)
	if err != nil || "http://"+strings.TrimSpace(string(b)) != first {
		srv.Close()
		t.Fatalf("%s holds %q (%v); want the address of %s", addrFile, b, err, first)
	}
	if fi, err := os.Stat(addrFile); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("%s mode %v (%v), want 0600", addrFile, fi.Mode().Perm(), err)
	}
	body := []byte("front photo")
	url, headers, err := st.PresignPut(ctx, "v/keep/doc_front", "image/jpeg", int64(len(body)), time.Minute)
	if err != nil {
		srv.Close()
		t.Fatal(err)
	}
	srv.Close()

	// Restarted: same endpoint, and the URL from before works.
	srv, st = startAt()
	if srv.Endpoint() != first {
		srv.Close()
		t.Fatalf("restarted on %s, was %s", srv.Endpoint(), first)
	}
	req, _ := http.NewRequest(http.MethodPut, url, bytes.NewReader(body))
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		srv.Close()
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("presigned PUT from before the restart: %d", resp.StatusCode)
	}
	if info, err := st.Head(ctx, "v/keep/doc_front"); err != nil || info.Size != int64(len(body)) {
		t.Errorf("upload after restart: %+v, %v", info, err)
	}
	srv.Close()

	// Another process holds the port: a free one is taken and recorded.
	l, err := net.Listen("tcp", strings.TrimPrefix(first, "http://"))
	if err != nil {
		t.Skipf("port of %s was taken meanwhile: %v", first, err)
	}
	defer l.Close()
	srv, _ = startAt()
	defer srv.Close()
	if srv.Endpoint() == first {
		t.Fatalf("started on %s, which another listener holds", first)
	}
	if b, _ := os.ReadFile(addrFile); "http://"+strings.TrimSpace(string(b)) != srv.Endpoint() {
		t.Errorf("%s holds %q after moving to %s", addrFile, b, srv.Endpoint())
	}
}

// TestSignatureErrorIsShort: a presigned upload refused for its signature
// (here: another content type than signed) gets a 403 SignatureDoesNotMatch
// with a short message saying what to check, not hex dumps of the string
// to sign and the canonical request; the right upload still goes through
// the front.
func TestSignatureErrorIsShort(t *testing.T) {
	_, st := start(t, t.TempDir(), "")
	ctx := context.Background()
	body := []byte("front photo")
	url, headers, err := st.PresignPut(ctx, "v/short/doc_front", "image/jpeg", int64(len(body)), time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	put := func(contentType string) (int, string) {
		req, _ := http.NewRequest(http.MethodPut, url, bytes.NewReader(body))
		for k, v := range headers {
			req.Header.Set(k, v)
		}
		req.Header.Set("Content-Type", contentType)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	status, got := put("image/png")
	if status != http.StatusForbidden {
		t.Fatalf("wrong type: %d %s", status, got)
	}
	if !strings.Contains(got, "<Code>SignatureDoesNotMatch</Code>") || !strings.Contains(got, "Content-Type header") {
		t.Errorf("403 body lacks the code or the short message:\n%s", got)
	}
	if strings.Contains(got, "Bytes>") || len(got) > 600 {
		t.Errorf("403 body is not short (%d bytes):\n%s", len(got), got)
	}
	if status, got := put("image/jpeg"); status != http.StatusOK {
		t.Fatalf("the signed upload: %d %s", status, got)
	}
	if info, err := st.Head(ctx, "v/short/doc_front"); err != nil || info.Size != int64(len(body)) {
		t.Errorf("uploaded object: %+v, %v", info, err)
	}
}
