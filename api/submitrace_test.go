package api_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/kycq/kycq/api"
	"github.com/kycq/kycq/internal/privacy"
	"github.com/kycq/kycq/storage"
	"github.com/kycq/kycq/storage/blob"
	"github.com/kycq/kycq/storage/s3embed"
	"github.com/kycq/kycq/storage/sqlstore"
)

// captureStderr redirects the process's standard error (where versitygw
// prints its "[INTERNAL ERROR]" lines) into a buffer until the returned
// function is called, which restores it and returns what was written.
func captureStderr(t *testing.T) func() string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stderr
	os.Stderr = w
	var buf bytes.Buffer
	done := make(chan struct{})
	go func() { io.Copy(&buf, r); close(done) }()
	return func() string {
		os.Stderr = old
		w.Close()
		<-done
		r.Close()
		return buf.String()
	}
}

// TestWebhookAndClientSubmitRace is the README's path on `kycq run`: the
// embedded S3 server announces the last upload to the webhook, which
// submits, while the client submits too. Both answers are successes,
// the evidence is kept once, the uploads are gone, and the S3 server
// reports no internal error (it did when the second submit copied uploads
// the first was deleting).
func TestWebhookAndClientSubmitRace(t *testing.T) {
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

	// The API listens first: the S3 server's webhook needs its address.
	var handler http.Handler = http.NotFoundHandler()
	apiSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	defer apiSrv.Close()

	stderr := captureStderr(t)
	var restored bool
	defer func() {
		if !restored {
			stderr()
		}
	}()
	s3, err := s3embed.Start(ctx, s3embed.Config{Dir: filepath.Join(t.TempDir(), "objects"),
		AccessKey: "kycq-test", SecretKey: "kycq-test-secret-0123456789",
		EventWebhookURL: apiSrv.URL + "/v1/hooks/s3?token=hook"})
	if err != nil {
		t.Fatal(err)
	}
	defer s3.Close()
	blobs, err := blob.New(ctx, blob.Config{Endpoint: s3.Endpoint(), Bucket: "kycq",
		AccessKey: "kycq-test", SecretKey: "kycq-test-secret-0123456789"})
	if err != nil {
		t.Fatal(err)
	}
	if err := blobs.EnsureBucket(ctx); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	var logsMu sync.Mutex
	q := &queue{}
	handler = api.New(api.Config{Token: token, WebhookToken: "hook", State: st, Blobs: blobs, Keys: keys, Enqueuer: q,
		Log: slog.New(slog.NewJSONHandler(lockedWriter{&logs, &logsMu}, nil))})

	do := func(method, url string, body []byte, header map[string]string) (int, []byte) {
		req, _ := http.NewRequest(method, url, bytes.NewReader(body))
		for k, v := range header {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}
	auth := map[string]string{"Authorization": "Bearer " + token, "Content-Type": "application/json"}
	files := map[string][]byte{"doc_front": bytes.Repeat([]byte("f"), 1000), "selfie": bytes.Repeat([]byte("s"), 2000)}

	const n = 12
	ids := make([]string, n)
	for i := range n {
		status, b := do("POST", apiSrv.URL+"/v1/verifications", createBody(t, "acct-race-"+string(rune('a'+i)), nil), auth)
		if status != http.StatusCreated {
			t.Fatalf("create: %d %s", status, b)
		}
		var cr api.CreateResponse
		if err := json.Unmarshal(b, &cr); err != nil {
			t.Fatal(err)
		}
		ids[i] = cr.ID
		for _, slot := range []string{"doc_front", "selfie"} {
			up := cr.Uploads[slot]
			if status, b := do("PUT", up.URL, files[slot], up.Headers); status != http.StatusOK {
				t.Fatalf("upload %s: %d %s", slot, status, b)
			}
		}
		// The client submits right after its last upload, as the README
		// does, while the webhook's submit is on its way; two more
		// retries race along.
		var wg sync.WaitGroup
		for range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if status, b := do("POST", apiSrv.URL+"/v1/verifications/"+cr.ID+"/submit", nil, auth); status != http.StatusAccepted {
					t.Errorf("submit %s: %d %s", cr.ID, status, b)
				}
			}()
		}
		wg.Wait()
	}
	// Let the webhook deliveries of the last uploads finish before the
	// server stops.
	s3.Close()
	out := stderr()
	restored = true

	if strings.Contains(out, "INTERNAL ERROR") {
		t.Errorf("the S3 server reported internal errors:\n%s", out)
	}
	for _, id := range ids {
		v, err := st.GetVerification(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if v.Status != storage.StatusSubmitted {
			t.Errorf("%s: status %s, want submitted", id, v.Status)
		}
		for _, up := range v.Uploads {
			if up.Evidence == "" {
				t.Errorf("%s %s: no evidence recorded", id, up.Slot)
			}
		}
	}
	logsMu.Lock()
	defer logsMu.Unlock()
	sc := bufio.NewScanner(bytes.NewReader(logs.Bytes()))
	for sc.Scan() {
		if strings.Contains(sc.Text(), `"level":"WARN"`) || strings.Contains(sc.Text(), `"level":"ERROR"`) {
			t.Errorf("log: %s", sc.Text())
		}
	}
}
