package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kycq/kycq/api"
	"github.com/kycq/kycq/internal/eval/sample"
	"github.com/kycq/kycq/internal/systest/harness"
	"github.com/kycq/kycq/storage"
)

// TestManualReviewEndToEnd: a verification the checks send to manual
// review (a compliance flag) waits on the review gauges, a reviewer
// approves it through the reviewer API of the running service, and the
// approval has the automatic one's effects: the app sees it and the real
// occupancy follow-up marks the account verified. The console is served.
func TestManualReviewEndToEnd(t *testing.T) {
	svc := harness.Start(t, harness.RealEnv(t), false)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	a := applicant(t, sample.Options{Seed: 14})

	// Create with a compliance flag, upload, submit.
	req := api.CreateRequest{AccountID: "acct-review", Info: a.Info, Uploads: map[string]api.UploadSpec{}, Flags: []string{"pep"}}
	for slot, f := range a.Files {
		req.Uploads[string(slot)] = api.UploadSpec{ContentType: f.ContentType, Size: int64(len(f.Data))}
	}
	var created api.CreateResponse
	if code := callJSON(t, "POST", svc.URL+"/v1/verifications", svc.Token, req, &created); code != http.StatusCreated {
		t.Fatalf("create: %d", code)
	}
	for slot, f := range a.Files {
		if err := svc.Client.Upload(ctx, created.Uploads[string(slot)], f.Data); err != nil {
			t.Fatal(err)
		}
	}
	if err := svc.Client.Submit(ctx, created.ID); err != nil {
		t.Fatal(err)
	}
	v, err := svc.Client.WaitDecision(ctx, created.ID, 100*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if v.Decision == nil || v.Decision.Outcome != storage.ManualReview {
		t.Fatalf("decision %+v, want manual_review", v.Decision)
	}
	// Waiting for a person counts as undecided.
	m := metricsText(t, svc)
	if metric(t, m, `kycq_review_queue_waiting`) != 1 || metric(t, m, `kycq_oldest_undecided_verification_age_seconds`) <= 0 ||
		metric(t, m, `kycq_review_queue_oldest_age_seconds`) <= 0 {
		t.Fatalf("review gauges:\n%s", grep(m, "kycq_review_queue|kycq_oldest"))
	}

	// A reviewer approves through /v1/review.
	if _, err := svc.App.Review().AddStaff(ctx, nil, "rita", storage.RoleReviewer, "rita-long-password"); err != nil {
		t.Fatal(err)
	}
	var sess api.StaffSessionView
	if code := callJSON(t, "POST", svc.URL+"/v1/review/sessions", "", map[string]string{"username": "rita", "password": "rita-long-password"}, &sess); code != http.StatusCreated {
		t.Fatalf("staff login: %d", code)
	}
	var queue api.QueueView
	callJSON(t, "GET", svc.URL+"/v1/review/queue?reason=manual_review", sess.Token, nil, &queue)
	if len(queue.Items) != 1 || queue.Items[0].VerificationID != created.ID {
		t.Fatalf("queue %+v", queue)
	}
	if code := callJSON(t, "POST", svc.URL+"/v1/review/cases/"+created.ID+"/claim", sess.Token, nil, nil); code != http.StatusOK {
		t.Fatalf("claim: %d", code)
	}
	var res api.ReviewResultView
	if code := callJSON(t, "POST", svc.URL+"/v1/review/cases/"+created.ID+"/decision", sess.Token,
		api.ReviewDecisionRequest{Outcome: storage.Approved, Note: "PEP screening cleared by compliance."}, &res); code != http.StatusOK || res.Outcome != "approved" {
		t.Fatalf("decision: %d %+v", code, res)
	}
	v, err = svc.Client.Get(ctx, created.ID)
	if err != nil || v.Decision == nil || v.Decision.Outcome != storage.Approved {
		t.Fatalf("the app sees %+v (%v)", v.Decision, err)
	}
	acc := waitAccount(t, svc.Client, "acct-review", func(a *api.AccountResponse) bool { return a.KYCVerified })
	if acc.VerificationID != created.ID {
		t.Fatalf("account %+v", acc)
	}
	m = metricsText(t, svc)
	if metric(t, m, `kycq_review_queue_waiting`) != 0 ||
		metric(t, m, `kycq_review_latency_seconds_count{decider="person",outcome="approved"}`) != 1 ||
		metric(t, m, `kycq_review_decisions_total{outcome="approved"}`) != 1 {
		t.Fatalf("metrics after the review:\n%s", grep(m, "kycq_review"))
	}
	// The note never reaches the logs.
	if strings.Contains(svc.Logs.String(), "PEP screening") {
		t.Fatal("the reviewer's note is in the logs")
	}
	// The console is served by the same process.
	resp, err := http.Get(svc.URL + "/console/login")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("console: %v %v", resp, err)
	}
	resp.Body.Close()
}

// callJSON sends a JSON request with an optional bearer token and decodes
// the answer into out.
func callJSON(t *testing.T, method, url, bearer string, in, out any) int {
	t.Helper()
	var body io.Reader
	if in != nil {
		b, _ := json.Marshal(in)
		body = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, url, body)
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil {
		json.NewDecoder(resp.Body).Decode(out)
	}
	return resp.StatusCode
}

func metricsText(t *testing.T, svc *harness.Service) string {
	t.Helper()
	req, _ := http.NewRequest("GET", svc.URL+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer "+svc.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// metric returns the value of the series named exactly (with labels).
func metric(t *testing.T, text, series string) float64 {
	t.Helper()
	re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(series) + ` (\S+)$`)
	m := re.FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("no series %s in /metrics", series)
	}
	v, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func grep(text, pattern string) string {
	var out []string
	re := regexp.MustCompile(pattern)
	for _, l := range strings.Split(text, "\n") {
		if re.MatchString(l) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
