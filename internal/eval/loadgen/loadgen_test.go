package loadgen

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kycq/kycq/api"
	"github.com/kycq/kycq/api/client"
	"github.com/kycq/kycq/internal/eval/sample"
	"github.com/kycq/kycq/storage"
)

func TestCheckLoopback(t *testing.T) {
	for _, tc := range []struct {
		url string
		ok  bool
	}{
		{"http://127.0.0.1:8080", true},
		{"http://127.5.5.5", true},
		{"http://[::1]:80", true},
		{"http://localhost:1", true},
		{"http://10.0.0.1:8080", false},
		{"http://192.168.1.2", false},
		{"http://example.com", false},
		{"http://localhost.example.com", false},
		{"http://8.8.8.8", false},
		{"http://[::ffff:8.8.8.8]", false},
		{"://bad", false},
	} {
		if err := CheckLoopback(tc.url); (err == nil) != tc.ok {
			t.Errorf("CheckLoopback(%s) = %v, want ok %v", tc.url, err, tc.ok)
		}
	}
}

func TestRunRefusesBadConfig(t *testing.T) {
	src := func(int) (Applicant, error) { return Applicant{}, nil }
	for _, tc := range []struct {
		name string
		cfg  Config
		src  Source
		want error
	}{
		{"private address", Config{BaseURL: "http://10.1.2.3", N: 1, Concurrency: 1, Duration: time.Second}, src, ErrNotLoopback},
		{"no count", Config{BaseURL: "http://127.0.0.1:1", Concurrency: 1, Duration: time.Second}, src, nil},
		{"no concurrency", Config{BaseURL: "http://127.0.0.1:1", N: 1, Duration: time.Second}, src, nil},
		{"no duration", Config{BaseURL: "http://127.0.0.1:1", N: 1, Concurrency: 1}, src, nil},
		{"no source", Config{BaseURL: "http://127.0.0.1:1", N: 1, Concurrency: 1, Duration: time.Second}, nil, nil},
	} {
		res, err := Run(context.Background(), tc.cfg, tc.src)
		if err == nil || res != nil || (tc.want != nil && !errors.Is(err, tc.want)) {
			t.Errorf("%s: Run = %v, %v", tc.name, res, err)
		}
	}
}

func TestPercentilesAndRate(t *testing.T) {
	r := &Result{Elapsed: 30 * time.Second, Decided: 10}
	for i := 1; i <= 100; i++ {
		r.Latencies = append(r.Latencies, time.Duration(i)*time.Millisecond)
	}
	for p, want := range map[float64]time.Duration{0: 1, 50: 50, 90: 90, 99: 99, 100: 100} {
		if got := r.Percentile(p); got != want*time.Millisecond {
			t.Errorf("p%v = %v, want %v", p, got, want*time.Millisecond)
		}
	}
	if r.PerMinute() != 20 {
		t.Errorf("per minute %v, want 20", r.PerMinute())
	}
	one := &Result{Latencies: []time.Duration{time.Second}}
	if one.Percentile(50) != time.Second || one.Percentile(99) != time.Second {
		t.Error("percentiles of a single latency")
	}
	if (&Result{}).Percentile(50) != 0 || (&Result{}).PerMinute() != 0 {
		t.Error("empty result")
	}
}

func TestDocNumbersUnique(t *testing.T) {
	d := newDocNumbers(42)
	seen := map[string]int{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := range 2000 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			in := sample.Info(d.seed(i))
			mu.Lock()
			defer mu.Unlock()
			if j, dup := seen[in.IDNumber]; dup {
				t.Errorf("applicants %d and %d share document %s", i, j, in.IDNumber)
			}
			seen[in.IDNumber] = i
		}()
	}
	wg.Wait()
	if d.seed(7) != d.seed(7) {
		t.Error("applicant 7 got two different documents")
	}
	if sample.Info(newDocNumbers(42).seed(0)) == sample.Info(newDocNumbers(43).seed(0)) {
		t.Error("seeds 42 and 43 start with the same document")
	}
}

func TestProgressLine(t *testing.T) {
	var c counters
	c.started.Store(7)
	c.decided.Store(4)
	c.failed.Store(1)
	got := progressLine(10, &c, 30*time.Second)
	want := "[###############...............] 5/10 decided 4 failed 1 in flight 2 · 8.0/min · 30s "
	if got != want {
		t.Errorf("progress line\n got %q\nwant %q", got, want)
	}
}

// fakeKycq answers the API calls the load generator makes, deciding every
// verification on the second GET; uploadURL is the presigned URL it hands
// out.
type fakeKycq struct {
	uploadURL func(srv string) string
	uploads   atomic.Int64
	gets      sync.Map
}

func (f *fakeKycq) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	srv := "http://" + r.Host
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/v1/verifications":
		var req api.CreateRequest
		_ = json.NewDecoder(r.Body).Decode(&req)
		resp := api.CreateResponse{ID: "v_" + req.AccountID, Uploads: map[string]api.UploadURL{}}
		for slot := range req.Uploads {
			resp.Uploads[slot] = api.UploadURL{Method: http.MethodPut, URL: f.uploadURL(srv) + "/" + slot}
		}
		w.WriteHeader(http.StatusCreated)
		_ = json.NewEncoder(w).Encode(resp)
	case r.Method == http.MethodPut && strings.HasPrefix(r.URL.Path, "/s3/"):
		f.uploads.Add(1)
	case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/submit"):
		w.WriteHeader(http.StatusAccepted)
		_, _ = w.Write([]byte("{}"))
	case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/v1/verifications/"):
		id := strings.TrimPrefix(r.URL.Path, "/v1/verifications/")
		n, _ := f.gets.LoadOrStore(id, new(atomic.Int64))
		v := api.VerificationResponse{ID: id, Status: storage.StatusSubmitted}
		if n.(*atomic.Int64).Add(1) >= 2 {
			sub := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			dec := sub.Add(1500 * time.Millisecond)
			v.Status, v.SubmittedAt, v.DecidedAt = storage.StatusDecided, &sub, &dec
			v.Decision = &api.DecisionView{Outcome: storage.Approved}
		}
		_ = json.NewEncoder(w).Encode(v)
	default:
		http.Error(w, "unexpected "+r.Method+" "+r.URL.Path, http.StatusTeapot)
	}
}

func fakeSource(i int) (Applicant, error) {
	return Applicant{Account: "acct-" + string(rune('a'+i)), Info: api.BasicInfo{},
		Files: map[storage.Slot]client.File{
			storage.SlotFront:  {ContentType: "image/jpeg", Data: []byte("front")},
			storage.SlotSelfie: {ContentType: "video/mp4", Data: []byte("selfie")},
		}}, nil
}

// TestRunCountsDecisions runs the generator against a fake API: every
// applicant is created, uploads both files, submits and is decided; the
// run stops at N; latencies are the server's submission → decision.
func TestRunCountsDecisions(t *testing.T) {
	f := &fakeKycq{uploadURL: func(srv string) string { return srv + "/s3" }}
	srv := httptest.NewServer(f)
	defer srv.Close()
	var bar strings.Builder
	res, err := Run(context.Background(), Config{BaseURL: srv.URL, Token: "t", N: 5, Concurrency: 2,
		Duration: time.Minute, Poll: 5 * time.Millisecond, Progress: &syncBuilder{b: &bar}}, fakeSource)
	if err != nil {
		t.Fatal(err)
	}
	if res.Started != 5 || res.Decided != 5 || res.Failed != 0 || res.Outcomes["approved"] != 5 || len(res.IDs) != 5 {
		t.Fatalf("result %+v", res)
	}
	if f.uploads.Load() != 10 {
		t.Errorf("%d uploads, want 10", f.uploads.Load())
	}
	if res.Percentile(50) != 1500*time.Millisecond || res.Percentile(100) != 1500*time.Millisecond {
		t.Errorf("latencies %v, want the server's 1.5s", res.Latencies)
	}
	if !strings.Contains(bar.String(), "5/5 decided 5 failed 0 in flight 0") {
		t.Errorf("last progress line: %q", bar.String())
	}
	var out strings.Builder
	res.Report(&out)
	if !strings.Contains(out.String(), "decided 5, failed 0") || !strings.Contains(out.String(), "p50 1.50s") {
		t.Errorf("report:\n%s", out.String())
	}
}

// TestRunRefusesRemoteUploads: a kycq whose presigned URLs point off this
// machine gets no upload; every applicant fails with that reason.
func TestRunRefusesRemoteUploads(t *testing.T) {
	f := &fakeKycq{uploadURL: func(string) string { return "http://203.0.113.9/s3" }}
	srv := httptest.NewServer(f)
	defer srv.Close()
	res, err := Run(context.Background(), Config{BaseURL: srv.URL, Token: "t", N: 3, Concurrency: 3,
		Duration: time.Minute}, fakeSource)
	if err != nil {
		t.Fatal(err)
	}
	if res.Failed != 3 || res.Errors["upload URL not loopback"] != 3 || f.uploads.Load() != 0 {
		t.Fatalf("result %+v, uploads %d", res, f.uploads.Load())
	}
	var out strings.Builder
	res.ReportErrors(&out)
	if !strings.Contains(out.String(), `upload URL not loopback          3 (first: presigned URL: loadgen: only loopback targets are allowed: "203.0.113.9")`) {
		t.Errorf("errors reported as:\n%s", out.String())
	}
}

// TestRunStopsAtDuration: with a duration shorter than one applicant, a
// single applicant per slot starts.
func TestRunStopsAtDuration(t *testing.T) {
	f := &fakeKycq{uploadURL: func(srv string) string { return srv + "/s3" }}
	srv := httptest.NewServer(f)
	defer srv.Close()
	slow := func(i int) (Applicant, error) {
		time.Sleep(50 * time.Millisecond)
		return fakeSource(i)
	}
	res, err := Run(context.Background(), Config{BaseURL: srv.URL, Token: "t", N: 1000, Concurrency: 2,
		Duration: 10 * time.Millisecond, Poll: time.Millisecond}, slow)
	if err != nil {
		t.Fatal(err)
	}
	if res.Started != 2 || res.Decided != 2 {
		t.Fatalf("started %d decided %d, want 2 and 2", res.Started, res.Decided)
	}
}

type syncBuilder struct {
	mu sync.Mutex
	b  *strings.Builder
}

func (s *syncBuilder) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func TestTSVAndJSON(t *testing.T) {
	r := &Result{Decided: 3, Failed: 1, Elapsed: 90 * time.Second, Concurrency: 2,
		Latencies: []time.Duration{time.Second, 2 * time.Second, 4 * time.Second},
		Outcomes:  map[string]int{"approved": 3}, Errors: map[string]int{"transport": 1}}
	var b strings.Builder
	if err := r.TSV(&b); err != nil {
		t.Fatal(err)
	}
	if got, want := b.String(), "3\t1\t90.0\t2.0\t2.00\t4.00\t4.00\t4.00\t3\t0\t0\n"; got != want {
		t.Errorf("TSV %q, want %q", got, want)
	}
	if n := len(strings.Split(TSVHeader, "\t")); n != len(strings.Split(strings.TrimSpace(b.String()), "\t")) {
		t.Errorf("header has %d columns, the line %q", n, b.String())
	}
	b.Reset()
	if err := r.JSON(&b); err != nil {
		t.Fatal(err)
	}
	var s Summary
	if err := json.Unmarshal([]byte(b.String()), &s); err != nil || s.P50 != 2 || s.PerMinute != 2 || s.Outcomes["approved"] != 3 {
		t.Errorf("JSON %s: %+v %v", b.String(), s, err)
	}
}
