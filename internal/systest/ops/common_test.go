package ops

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kycq/kycq/api"
	"github.com/kycq/kycq/api/client"
	"github.com/kycq/kycq/internal/eval/sample"
	"github.com/kycq/kycq/internal/privacy"
	"github.com/kycq/kycq/internal/systest/harness"
	"github.com/kycq/kycq/kyc"
	"github.com/kycq/kycq/storage"
)

// sampleFiles are the document photos and selfie video every test applies
// with, with different basic info per applicant.
func sampleFiles(t *testing.T) map[storage.Slot]client.File {
	return harness.Applicant(t, sample.Options{Seed: 61}).Files
}

// person is an applicant whose personal data are known strings, so a test
// can grep for them wherever they must not appear.
type person struct {
	Account string
	Info    kyc.Applicant
	Email   string
	Phone   string
}

// newPerson returns an applicant with the sample document of seed and a
// name, date of birth, email and phone of its own.
func newPerson(seed int64, account, fullName, dob string) person {
	info := sample.Info(seed)
	info.FullName, info.DateOfBirth = fullName, dob
	return person{
		Account: account,
		Info:    info,
		Email:   strings.ToLower(strings.ReplaceAll(fullName, " ", ".")) + fmt.Sprintf(".%d@mail.example.org", seed),
		Phone:   fmt.Sprintf("+491761%07d", 1000000+seed*7919%9000000),
	}
}

// secret is a string that must not appear; fold compares it
// case-insensitively.
type secret struct {
	s    string
	fold bool
}

// secrets returns the strings of p that no log line, metric or task
// payload may hold: the name (whole and each part, in any case), the
// document number (as entered: lower-case letters and digits fill the
// random IDs kycq prints, so it is compared exactly), the date of birth,
// the email and the phone number (with and without its plus).
func (p person) secrets() []secret {
	out := []secret{{p.Info.FullName, true}, {p.Info.IDNumber, false}, {p.Info.DateOfBirth, false},
		{p.Email, true}, {p.Phone, false}, {strings.TrimPrefix(p.Phone, "+"), false}}
	for _, part := range strings.Fields(p.Info.FullName) {
		out = append(out, secret{part, true})
	}
	return out
}

// cluster is kycq as deployed: a `kycq serve` process and, optionally, a
// `kycq work` process on the same Redis, database and bucket, configured
// with environment variables only, with a metrics token of its own.
type cluster struct {
	Env          harness.Env
	API          string // http://KYCQ_ADDR
	WorkOps      string // http://KYCQ_METRICS_ADDR of the worker
	Token        string // API token
	MetricsToken string
	Client       *client.Client
	Serve        *harness.Process
	Work         *harness.Process
}

func startCluster(t *testing.T, env harness.Env, work bool) *cluster {
	t.Helper()
	if env["KYCQ_METRICS_TOKEN"] == "" {
		env["KYCQ_METRICS_TOKEN"] = "m-" + privacy.NewRandomKey()[:32]
	}
	c := &cluster{Env: env, API: "http://" + env["KYCQ_ADDR"], WorkOps: "http://" + env["KYCQ_METRICS_ADDR"],
		Token: env["KYCQ_API_TOKEN"], MetricsToken: env["KYCQ_METRICS_TOKEN"]}
	c.Client = client.New(c.API, c.Token)
	c.Serve = harness.StartProcess(t, env, "serve")
	if work {
		c.Work = c.startWork(t, env)
	}
	waitReady(t, c.Serve, c.API)
	return c
}

// startWork starts a `kycq work` process with env and waits until its
// /readyz answers.
func (c *cluster) startWork(t *testing.T, env harness.Env) *harness.Process {
	t.Helper()
	p := harness.StartProcess(t, env, "work")
	waitReady(t, p, "http://"+env["KYCQ_METRICS_ADDR"])
	return p
}

func waitReady(t *testing.T, p *harness.Process, base string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	if err := p.WaitReady(ctx, base); err != nil {
		t.Fatal(err)
	}
}

// apply binds p's contacts to its account, applies with files and returns
// the verification ID (without waiting for the decision).
func (c *cluster) apply(t *testing.T, p person, files map[storage.Slot]client.File) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := c.Client.BindContact(ctx, p.Account, storage.ContactEmail, p.Email); err != nil {
		t.Fatalf("bind email: %v", err)
	}
	if _, err := c.Client.BindContact(ctx, p.Account, storage.ContactPhone, p.Phone); err != nil {
		t.Fatalf("bind phone: %v", err)
	}
	id, err := c.Client.Apply(ctx, p.Account, p.Info, files)
	if err != nil {
		t.Fatalf("apply: %v", err)
	}
	return id
}

func (c *cluster) waitDecision(t *testing.T, id string, within time.Duration) *api.VerificationResponse {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), within)
	defer cancel()
	v, err := c.Client.WaitDecision(ctx, id, 100*time.Millisecond)
	if err != nil {
		t.Fatalf("decision of %s: %v", id, err)
	}
	return v
}

// httpDo sends a request and returns the status, headers and body.
func httpDo(t *testing.T, method, url string, header http.Header, body io.Reader) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	return resp.StatusCode, resp.Header, string(b)
}

func bearer(token string) http.Header {
	return http.Header{"Authorization": {"Bearer " + token}}
}

func basic(user, password string) http.Header {
	r, _ := http.NewRequest(http.MethodGet, "/", nil)
	r.SetBasicAuth(user, password)
	return http.Header{"Authorization": {r.Header.Get("Authorization")}}
}

// scrape fetches and parses url with token, failing the test on error.
func scrape(t *testing.T, url, token string) *Scrape {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	s, err := ScrapeMetrics(ctx, url, token)
	if err != nil {
		t.Fatalf("scrape %s: %v", url, err)
	}
	return s
}

// findSecrets returns the secrets that occur in text.
func findSecrets(text string, secrets []secret) []string {
	lower := strings.ToLower(text)
	var out []string
	for _, s := range secrets {
		switch {
		case s.s == "":
		case s.fold && strings.Contains(lower, strings.ToLower(s.s)):
			out = append(out, s.s)
		case !s.fold && strings.Contains(text, s.s):
			out = append(out, s.s)
		}
	}
	return out
}
