package ops

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/kycq/kycq/internal/systest/harness"
	"github.com/kycq/kycq/internal/systest/testenv"
)

// TestPrometheusEvaluatesTheRules runs a real Prometheus (Debian's
// package) against a kycq cluster with the rules of
// deploy/prometheus/rules, and watches alerts fire and resolve end to end.
//
// The rules Prometheus loads are a test-only copy generated from the real
// file by rewriting every alert's `for:` to 2s (ShortenFor); expressions,
// labels and annotations are the real ones. Scrapes and evaluations run
// every second.
//
//  1. Only kycq serve runs: kycq_worker_servers is 0, so KycqNoWorkers
//     (severity page) fires; the kycq-work target is down, so
//     KycqTargetDown fires too; a submitted verification waits, so the
//     oldest-undecided age is above 0.
//  2. kycq work starts: the verification is decided, the worker gauge
//     turns 1 and KycqNoWorkers resolves.
//  3. Every rule has evaluated against the real series without error, and
//     every metric the rules use has series in Prometheus.
//  4. Asynqmon's charts (its Prometheus integration, KYCQ_PROMETHEUS_URL)
//     answer through the dashboard's auth.
func TestPrometheusEvaluatesTheRules(t *testing.T) {
	t.Parallel()
	bin := PrometheusBinary()
	if bin == "" {
		testenv.Unavailable(t, "prometheus", fmt.Errorf("binary not found; scripts/setup.d/50-prometheus.sh installs Debian's package"))
	}
	files := sampleFiles(t)
	env := harness.RealEnv(t)
	promAddr := harness.FreeAddr(t)
	env["KYCQ_PROMETHEUS_URL"] = "http://" + promAddr
	c := startCluster(t, env, false)

	dir := t.TempDir()
	src, err := os.ReadFile(repoPath("deploy", "prometheus", "rules", "kycq.rules.yml"))
	if err != nil {
		t.Fatal(err)
	}
	short, err := ShortenFor(src, "2s")
	if err != nil {
		t.Fatal(err)
	}
	rulesPath := filepath.Join(dir, "kycq.rules.yml")
	if err := os.WriteFile(rulesPath, short, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	prom, err := StartPrometheus(ctx, PrometheusConfig{
		Binary: bin, Addr: promAddr, Dir: filepath.Join(dir, "prometheus"),
		Targets: []Target{
			{Job: "kycq-api", Addr: env["KYCQ_ADDR"], Token: c.MetricsToken},
			{Job: "kycq-work", Addr: env["KYCQ_METRICS_ADDR"], Token: c.MetricsToken},
		},
		RuleFiles: []string{rulesPath},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		prom.Stop()
		if t.Failed() {
			t.Logf("prometheus output:\n%s", prom.Output())
		}
	})
	started := time.Now()

	// 1. No workers.
	id := c.apply(t, newPerson(71, "acct-prom-1", "ROSAMUND KLEBERSTEIN", "1985-01-23"), files)
	waitFor(t, ctx, "KycqNoWorkers and KycqTargetDown{job=kycq-work} firing", func() (bool, string) {
		alerts, err := prom.Alerts(ctx)
		if err != nil {
			return false, err.Error()
		}
		noWorkers := findAlert(alerts, "KycqNoWorkers", nil)
		down := findAlert(alerts, "KycqTargetDown", map[string]string{"job": "kycq-work"})
		return noWorkers != nil && noWorkers.State == "firing" && noWorkers.Labels["severity"] == "page" &&
			noWorkers.Annotations["runbook"] != "" && down != nil && down.State == "firing", fmt.Sprint(alerts)
	})
	t.Logf("KycqNoWorkers fired %.1fs after Prometheus started", time.Since(started).Seconds())
	waitFor(t, ctx, "the undecided verification's age in Prometheus", func() (bool, string) {
		v, err := prom.Query(ctx, "max(kycq_oldest_undecided_verification_age_seconds) > 0")
		return err == nil && len(v) == 1, fmt.Sprint(v, err)
	})

	// 2. A worker.
	c.Work = c.startWork(t, env)
	v := c.waitDecision(t, id, 2*time.Minute)
	t.Logf("decision %s", v.Decision.Outcome)
	waitFor(t, ctx, "KycqNoWorkers resolved with one worker", func() (bool, string) {
		alerts, err := prom.Alerts(ctx)
		if err != nil {
			return false, err.Error()
		}
		w, err := prom.Query(ctx, "sum(kycq_worker_servers) == 1")
		return findAlert(alerts, "KycqNoWorkers", nil) == nil && len(w) == 1, fmt.Sprint(alerts, w, err)
	})
	waitFor(t, ctx, "both targets up, the decision and an empty backlog in Prometheus", func() (bool, string) {
		health, err := prom.TargetHealth(ctx)
		if err != nil {
			return false, err.Error()
		}
		n, err := prom.Query(ctx, "sum(kycq_review_latency_seconds_count) >= 1")
		age, _ := prom.Query(ctx, "max(kycq_oldest_undecided_verification_age_seconds) == 0")
		return health["kycq-api"][0] == "up" && health["kycq-work"][0] == "up" && len(n) == 1 && len(age) == 1,
			fmt.Sprint(health, n, age, err)
	})

	// 3. Every rule evaluated after the real series arrived, without error.
	seen := time.Now()
	var rules []RuleState
	waitFor(t, ctx, "every rule evaluated since both targets were up", func() (bool, string) {
		rules, err = prom.Rules(ctx)
		if err != nil {
			return false, err.Error()
		}
		for _, r := range rules {
			if r.LastEvaluation.Before(seen) {
				return false, r.Name + " not evaluated yet"
			}
		}
		return true, ""
	})
	file, err := LoadRules(rulesPath)
	if err != nil {
		t.Fatal(err)
	}
	if len(rules) != len(file.Rules()) {
		t.Errorf("Prometheus loaded %d rules, the file has %d", len(rules), len(file.Rules()))
	}
	for _, r := range rules {
		if r.Health != "ok" || r.LastError != "" {
			t.Errorf("rule %s: health %s, error %q", r.Name, r.Health, r.LastError)
		}
	}
	recorded := file.Recorded()
	for _, r := range file.Rules() {
		for _, name := range MetricNames(r.Expr) {
			if recorded[name] || name == "up" {
				continue
			}
			s, err := prom.Query(ctx, fmt.Sprintf("count(%s)", name))
			if err != nil || len(s) == 0 || s[0].Float() == 0 {
				t.Errorf("rule %s%s: Prometheus has no series of %s (%v)", r.Alert, r.Record, name, err)
			}
		}
	}
	for name := range recorded {
		s, err := prom.Query(ctx, name)
		t.Logf("recording rule %s = %v (%v)", name, s, err)
	}

	// 4. Asynqmon's charts come from this Prometheus.
	code, _, body := httpDo(t, http.MethodGet, c.API+"/monitoring/api/metrics?duration=120", nil, nil)
	if code != http.StatusUnauthorized {
		t.Errorf("asynqmon metrics without a token: %d, want 401", code)
	}
	code, _, body = httpDo(t, http.MethodGet, c.API+"/monitoring/api/metrics?duration=120", basic("ops", c.Token), nil)
	var charts struct {
		QueueSize struct {
			Status string `json:"status"`
			Data   struct {
				Result []struct {
					Metric map[string]string `json:"metric"`
				} `json:"result"`
			} `json:"data"`
		} `json:"queue_size"`
	}
	if err := json.Unmarshal([]byte(body), &charts); code != http.StatusOK || err != nil ||
		charts.QueueSize.Status != "success" || len(charts.QueueSize.Data.Result) == 0 {
		t.Errorf("asynqmon metrics through Prometheus: %d %v %.300s", code, err, body)
	}
	t.Logf("whole Prometheus run: %.1fs", time.Since(started).Seconds())
}

func findAlert(alerts []Alert, name string, labels map[string]string) *Alert {
	for i, a := range alerts {
		if a.Labels["alertname"] != name {
			continue
		}
		ok := true
		for k, v := range labels {
			ok = ok && a.Labels[k] == v
		}
		if ok {
			return &alerts[i]
		}
	}
	return nil
}

// waitFor polls cond every 250 ms until it holds, failing the test with
// cond's last explanation when ctx ends.
func waitFor(t *testing.T, ctx context.Context, what string, cond func() (bool, string)) {
	t.Helper()
	for {
		ok, why := cond()
		if ok {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("waiting for %s: %v; last: %.1000s", what, ctx.Err(), why)
		case <-time.After(250 * time.Millisecond):
		}
	}
}
