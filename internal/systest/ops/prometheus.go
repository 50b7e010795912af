package ops

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/kycq/kycq/internal/systest/testenv"
)

// Target is a kycq endpoint Prometheus scrapes.
type Target struct {
	Job   string // job label, e.g. "kycq-api"
	Addr  string // host:port of /metrics
	Token string // bearer token
}

// PrometheusConfig says what a test's Prometheus scrapes and evaluates.
type PrometheusConfig struct {
	Binary    string        // the prometheus binary; "prometheus" on PATH when empty
	Addr      string        // loopback host:port to listen on
	Dir       string        // a fresh directory for its config and data
	Targets   []Target      // scraped every Interval
	RuleFiles []string      // copied into Dir and loaded
	Interval  time.Duration // scrape and evaluation interval (default 1s)
}

// Prometheus is a prometheus server run as a child process.
type Prometheus struct {
	URL string

	cmd  *exec.Cmd
	out  *testenv.Output
	done chan struct{}
}

// PrometheusBinary returns the path of the prometheus server binary
// (Debian's package installs /usr/bin/prometheus), or "".
func PrometheusBinary() string {
	if p := os.Getenv("KYCQ_TEST_PROMETHEUS"); p != "" {
		return p
	}
	p, err := exec.LookPath("prometheus")
	if err != nil {
		return ""
	}
	return p
}

// StartPrometheus writes a configuration for cfg and starts prometheus,
// waiting until it is ready. Stop it with Stop.
func StartPrometheus(ctx context.Context, cfg PrometheusConfig) (*Prometheus, error) {
	if cfg.Binary == "" {
		cfg.Binary = "prometheus"
	}
	if cfg.Interval == 0 {
		cfg.Interval = time.Second
	}
	conf, err := writePrometheusConfig(cfg)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(cfg.Binary,
		"--config.file="+conf,
		"--storage.tsdb.path="+filepath.Join(cfg.Dir, "data"),
		"--web.listen-address="+cfg.Addr,
		"--log.level=warn",
	)
	out := &testenv.Output{Max: 1 << 20}
	cmd.Stdout, cmd.Stderr = out, out
	// Dies with the test process even when the test is killed.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("ops: start prometheus: %w", err)
	}
	p := &Prometheus{URL: "http://" + cfg.Addr, cmd: cmd, out: out, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(p.done) }()
	for {
		select {
		case <-p.done:
			return nil, fmt.Errorf("ops: prometheus exited: %s", out.String())
		case <-ctx.Done():
			p.Stop()
			return nil, fmt.Errorf("ops: prometheus not ready: %w\n%s", ctx.Err(), out.String())
		case <-time.After(50 * time.Millisecond):
		}
		if resp, err := http.Get(p.URL + "/-/ready"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p, nil
			}
		}
	}
}

func writePrometheusConfig(cfg PrometheusConfig) (string, error) {
	if err := os.MkdirAll(filepath.Join(cfg.Dir, "rules"), 0o700); err != nil {
		return "", err
	}
	iv := cfg.Interval.String()
	var b strings.Builder
	fmt.Fprintf(&b, "global:\n  scrape_interval: %s\n  scrape_timeout: %s\n  evaluation_interval: %s\n", iv, iv, iv)
	b.WriteString("rule_files:\n")
	for i, f := range cfg.RuleFiles {
		src, err := os.ReadFile(f)
		if err != nil {
			return "", err
		}
		dst := filepath.Join(cfg.Dir, "rules", fmt.Sprintf("%02d-%s", i, filepath.Base(f)))
		if err := os.WriteFile(dst, src, 0o600); err != nil {
			return "", err
		}
		fmt.Fprintf(&b, "  - %q\n", dst)
	}
	b.WriteString("scrape_configs:\n")
	for i, t := range cfg.Targets {
		tok := filepath.Join(cfg.Dir, fmt.Sprintf("token-%d", i))
		if err := os.WriteFile(tok, []byte(t.Token), 0o600); err != nil {
			return "", err
		}
		fmt.Fprintf(&b, "  - job_name: %q\n    authorization:\n      type: Bearer\n      credentials_file: %q\n    static_configs:\n      - targets: [%q]\n",
			t.Job, tok, t.Addr)
	}
	path := filepath.Join(cfg.Dir, "prometheus.yml")
	return path, os.WriteFile(path, []byte(b.String()), 0o600)
}

// Stop stops the server and waits for it.
func (p *Prometheus) Stop() {
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

// Output returns what the server logged.
func (p *Prometheus) Output() string { return p.out.String() }

// apiResponse is the envelope of Prometheus' HTTP API.
type apiResponse struct {
	Status    string          `json:"status"`
	Data      json.RawMessage `json:"data"`
	ErrorType string          `json:"errorType"`
	Error     string          `json:"error"`
}

// get calls an HTTP API path and decodes its data into out.
func (p *Prometheus) get(ctx context.Context, path string, q url.Values, out any) error {
	u := p.URL + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var r apiResponse
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return fmt.Errorf("ops: prometheus %s: HTTP %d: %w", path, resp.StatusCode, err)
	}
	if r.Status != "success" {
		return fmt.Errorf("ops: prometheus %s: %s: %s", path, r.ErrorType, r.Error)
	}
	return json.Unmarshal(r.Data, out)
}

// Sample is one element of an instant vector.
type Sample struct {
	Metric map[string]string `json:"metric"`
	Value  [2]any            `json:"value"` // [unix time, "value"]
}

// Float returns the sample's value.
func (s Sample) Float() float64 {
	str, _ := s.Value[1].(string)
	var f float64
	_, _ = fmt.Sscan(str, &f)
	return f
}

// Query evaluates an instant query now and returns its vector.
func (p *Prometheus) Query(ctx context.Context, query string) ([]Sample, error) {
	var data struct {
		ResultType string   `json:"resultType"`
		Result     []Sample `json:"result"`
	}
	if err := p.get(ctx, "/api/v1/query", url.Values{"query": {query}}, &data); err != nil {
		return nil, err
	}
	if data.ResultType != "vector" {
		return nil, fmt.Errorf("ops: query %q: result type %s, want vector", query, data.ResultType)
	}
	return data.Result, nil
}

// RuleState is a rule as /api/v1/rules reports it.
type RuleState struct {
	Name           string    `json:"name"`
	Query          string    `json:"query"`
	Type           string    `json:"type"` // "alerting" or "recording"
	Health         string    `json:"health"`
	LastError      string    `json:"lastError"`
	State          string    `json:"state"` // alerting rules: inactive, pending, firing
	LastEvaluation time.Time `json:"lastEvaluation"`
	Alerts         []Alert   `json:"alerts"`
}

// Alert is an active alert.
type Alert struct {
	Labels      map[string]string `json:"labels"`
	Annotations map[string]string `json:"annotations"`
	State       string            `json:"state"`
}

// Rules returns every loaded rule with its health and state.
func (p *Prometheus) Rules(ctx context.Context) ([]RuleState, error) {
	var data struct {
		Groups []struct {
			Name  string      `json:"name"`
			Rules []RuleState `json:"rules"`
		} `json:"groups"`
	}
	if err := p.get(ctx, "/api/v1/rules", nil, &data); err != nil {
		return nil, err
	}
	var out []RuleState
	for _, g := range data.Groups {
		out = append(out, g.Rules...)
	}
	if len(out) == 0 {
		return nil, errors.New("ops: prometheus has no rules loaded")
	}
	return out, nil
}

// Alerts returns the active (pending or firing) alerts.
func (p *Prometheus) Alerts(ctx context.Context) ([]Alert, error) {
	var data struct {
		Alerts []Alert `json:"alerts"`
	}
	err := p.get(ctx, "/api/v1/alerts", nil, &data)
	return data.Alerts, err
}

// TargetHealth returns the health ("up", "down", "unknown") and last error
// of each active scrape target, by job.
func (p *Prometheus) TargetHealth(ctx context.Context) (map[string][2]string, error) {
	var data struct {
		ActiveTargets []struct {
			Labels    map[string]string `json:"labels"`
			Health    string            `json:"health"`
			LastError string            `json:"lastError"`
		} `json:"activeTargets"`
	}
	if err := p.get(ctx, "/api/v1/targets", url.Values{"state": {"active"}}, &data); err != nil {
		return nil, err
	}
	out := map[string][2]string{}
	for _, t := range data.ActiveTargets {
		out[t.Labels["job"]] = [2]string{t.Health, t.LastError}
	}
	return out, nil
}
