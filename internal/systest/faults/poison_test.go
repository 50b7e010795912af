package faults

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/kycq/kycq/internal/systest/harness"
	"github.com/kycq/kycq/internal/systest/ops"
	"github.com/kycq/kycq/internal/systest/testenv"
	"github.com/kycq/kycq/tasks"
)

// TestPoisonTask puts tasks no retry can fix into the queues — a face
// match whose payload is garbage, a decision for a verification that does
// not exist, a check of another payload version — next to a real
// applicant, with a real Prometheus scraping the worker and evaluating
// deploy/prometheus/rules:
//   - each poison task is archived on its first run (asynq.SkipRetry, no
//     pointless retries), with its error, and the worker keeps running;
//   - the real applicant is decided exactly once and approved meanwhile;
//   - Asynqmon's API (through the dashboard's auth) lists them as
//     archived with their errors;
//   - kycq_tasks_total{result="archived"} counts them per type;
//   - the KycqTasksArchived alert fires for each task type.
func TestPoisonTask(t *testing.T) {
	t.Parallel()
	bin := ops.PrometheusBinary()
	if bin == "" {
		testenv.Unavailable(t, "prometheus", fmt.Errorf("binary not found; scripts/setup.d/50-prometheus.sh installs it"))
	}
	c := newCluster(t, harness.RealEnv(t))
	_, workOps := c.spawnWorker(t, nil)
	waitReady(t, c.workers[0], workOps)

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	prom, err := ops.StartPrometheus(ctx, ops.PrometheusConfig{
		Binary: bin, Addr: harness.FreeAddr(t), Dir: t.TempDir(),
		Targets:   []ops.Target{{Job: "kycq-work", Addr: strings.TrimPrefix(workOps, "http://"), Token: c.MetricsToken}},
		RuleFiles: []string{repoPath("deploy", "prometheus", "rules", "kycq.rules.yml")},
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
	// The archived counters must have a sample at 0 before the poison
	// arrives, or increase() has nothing to compare with.
	waitUntil(t, time.Minute, "Prometheus to scrape the archived counters at 0", func() (bool, string) {
		s, err := prom.Query(ctx, `kycq_tasks_total{result="archived",type="kycq:check:face_match"} == 0`)
		return err == nil && len(s) == 1, fmt.Sprint(s, err)
	})

	good := c.apply(t, "poison-good", 1)
	db, _ := strconv.Atoi(c.Env["REDIS_DB"])
	cl := asynq.NewClient(asynq.RedisClientOpt{Addr: c.Env["REDIS_ADDR"], DB: db})
	defer cl.Close()
	poison := []struct {
		typ, queue, payload, why string
	}{
		{tasks.TypeFaceMatch, tasks.QueueChecks, "\x00\xffnot json{", "bad payload"},
		{tasks.TypeDecide, tasks.QueueCritical, `{"v":1,"verification_id":"v_nosuchverificationatall0000"}`, "not found"},
		{tasks.TypeDocData, tasks.QueueChecks, `{"v":99,"verification_id":"` + good[0] + `"}`, "version 99"},
	}
	for i, p := range poison {
		_, err := cl.Enqueue(asynq.NewTask(p.typ, []byte(p.payload)), asynq.TaskID(fmt.Sprintf("poison-%d", i)),
			asynq.Queue(p.queue), asynq.MaxRetry(5))
		if err != nil {
			t.Fatal(err)
		}
	}

	for i, p := range poison {
		id := fmt.Sprintf("poison-%d", i)
		waitUntil(t, time.Minute, id+" archived", func() (bool, string) {
			info, err := c.Insp.GetTaskInfo(p.queue, id)
			if err != nil {
				return false, err.Error()
			}
			return info.State == asynq.TaskStateArchived, info.State.String()
		})
		info, _ := c.Insp.GetTaskInfo(p.queue, id)
		if info.Retried != 0 || !strings.Contains(info.LastErr, p.why) {
			t.Errorf("%s (%s): retried %d, last error %q; want archived at once, error mentioning %q", id, p.typ, info.Retried, info.LastErr, p.why)
		}
	}
	decided := c.waitDecided(t, good, 2*time.Minute)
	rep := c.audit(t, good, decided, nil)
	t.Logf("the real applicant: %s", rep)

	// Asynqmon lists them, through the dashboard's Basic auth.
	for _, q := range []string{tasks.QueueChecks, tasks.QueueCritical} {
		var list struct {
			Tasks []struct {
				ID        string `json:"id"`
				Type      string `json:"type"`
				LastError string `json:"error_message"`
			} `json:"tasks"`
		}
		body := get(t, c.API+"/monitoring/api/queues/"+q+"/archived_tasks", "ops", c.Token)
		if err := json.Unmarshal(body, &list); err != nil {
			t.Fatalf("asynqmon archived tasks of %s: %v: %.300s", q, err, body)
		}
		for i, p := range poison {
			if p.queue != q {
				continue
			}
			found := false
			for _, ti := range list.Tasks {
				found = found || (ti.ID == fmt.Sprintf("poison-%d", i) && ti.Type == p.typ && strings.Contains(ti.LastError, p.why))
			}
			if !found {
				t.Errorf("asynqmon: %s archived tasks lack poison-%d with its error: %s", q, i, body)
			}
		}
	}

	// The worker counts them; Prometheus fires the alert for each type.
	scr, err := ops.ScrapeMetrics(ctx, workOps+"/metrics", c.MetricsToken)
	if err != nil {
		t.Fatal(err)
	}
	archived := map[string]float64{}
	for _, p := range poison {
		archived[p.typ] = 0
	}
	for _, m := range scr.Families["kycq_tasks_total"].GetMetric() {
		labels := map[string]string{}
		for _, l := range m.GetLabel() {
			labels[l.GetName()] = l.GetValue()
		}
		if _, ok := archived[labels["type"]]; ok && labels["result"] == "archived" {
			archived[labels["type"]] = m.GetCounter().GetValue()
		}
	}
	for typ, n := range archived {
		if n != 1 {
			t.Errorf("kycq_tasks_total{type=%q,result=archived} = %v, want 1", typ, n)
		}
	}
	waitUntil(t, time.Minute, "KycqTasksArchived firing for every poisoned type", func() (bool, string) {
		alerts, err := prom.Alerts(ctx)
		if err != nil {
			return false, err.Error()
		}
		firing := map[string]bool{}
		for _, a := range alerts {
			if a.Labels["alertname"] == "KycqTasksArchived" && a.State == "firing" && a.Labels["severity"] == "ticket" &&
				a.Annotations["runbook"] != "" {
				firing[a.Labels["type"]] = true
			}
		}
		for _, p := range poison {
			if !firing[p.typ] {
				return false, fmt.Sprintf("%v", alerts)
			}
		}
		return true, ""
	})
	t.Log("KycqTasksArchived fired for every poisoned task type")
}

// get fetches url with HTTP Basic credentials and returns the body,
// failing the test on any status but 200.
func get(t *testing.T, url, user, password string) []byte {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth(user, password)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %.300s", url, resp.StatusCode, b)
	}
	return b
}

// repoPath returns a path in this checkout.
func repoPath(parts ...string) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(append([]string{filepath.Dir(file), "..", "..", ".."}, parts...)...)
}
