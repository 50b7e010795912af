package ops

import (
	"encoding/json"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kycq/kycq/api"
	"github.com/kycq/kycq/internal/systest/harness"
	"github.com/kycq/kycq/kyc/reason"
)

// run is what TestOperatorRun did: the cluster, who applied, and the
// verifications' IDs and decisions.
type run struct {
	c       *cluster
	people  []person
	ids     []string
	results []*api.VerificationResponse
	before  [2]*Scrape // serve, work
	after   [2]*Scrape
}

// TestOperatorRun runs kycq as deployed (a `kycq serve` and a `kycq work`
// process on real Redis, PostgreSQL and S3), applies three people — one
// with an expired document, so a check fails — and then looks at it only
// as an operator does: /metrics of both processes, the Asynqmon dashboard
// and its API, and the JSON logs.
func TestOperatorRun(t *testing.T) {
	t.Parallel()
	files := sampleFiles(t)
	r := &run{c: startCluster(t, harness.RealEnv(t), true)}
	r.before = [2]*Scrape{scrape(t, r.c.API+"/metrics", r.c.MetricsToken), scrape(t, r.c.WorkOps+"/metrics", r.c.MetricsToken)}

	expired := newPerson(63, "acct-ops-3", "PERPETUA XANTHOPOULOU", "1961-11-02")
	expired.Info.ExpiryDate = "2019-05-31"
	r.people = []person{
		newPerson(61, "acct-ops-1", "QUINTILLA ZEPHYRBROOK", "1979-03-17"),
		newPerson(62, "acct-ops-2", "OSWIN VARGAFELDT", "1990-07-29"),
		expired,
	}
	for _, p := range r.people {
		r.ids = append(r.ids, r.c.apply(t, p, files))
	}
	r.results = make([]*api.VerificationResponse, len(r.ids))
	var wg sync.WaitGroup
	for i, id := range r.ids {
		wg.Go(func() { r.results[i] = r.c.waitDecision(t, id, 3*time.Minute) })
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	for i, v := range r.results {
		t.Logf("%s: %s %v", r.people[i].Account, v.Decision.Outcome, reasonCodes(v.Decision.Reasons))
	}
	if !hasReason(r.results[2].Decision.Reasons, reason.DocExpired) {
		t.Fatalf("expired document: decision %s %v, want doc_expired among the reasons",
			r.results[2].Decision.Outcome, reasonCodes(r.results[2].Decision.Reasons))
	}
	r.after = [2]*Scrape{scrape(t, r.c.API+"/metrics", r.c.MetricsToken), scrape(t, r.c.WorkOps+"/metrics", r.c.MetricsToken)}

	t.Run("metrics need the metrics token", r.testMetricsAuth)
	t.Run("histograms and counters moved", r.testMetricsMoved)
	t.Run("no personal data in metrics", r.testMetricsPrivacy)
	t.Run("metric names follow the conventions", r.testMetricNames)
	t.Run("rules and dashboard use exported metrics", r.testRulesUseExportedMetrics)
	t.Run("asynqmon through auth", r.testMonitoring)
	t.Run("asynqmon read-only", r.testMonitoringReadOnly)
	t.Run("logs", r.testLogs)
}

func (r *run) testMetricsAuth(t *testing.T) {
	for _, base := range []string{r.c.API, r.c.WorkOps} {
		for _, h := range []http.Header{nil, bearer("wrong"), bearer(r.c.Token)} {
			// The API token is not the metrics token once KYCQ_METRICS_TOKEN is set.
			if code, hdr, _ := httpDo(t, http.MethodGet, base+"/metrics", h, nil); code != http.StatusUnauthorized {
				t.Errorf("%s/metrics with %v: %d, want 401", base, h, code)
			} else if h == nil && !strings.HasPrefix(hdr.Get("WWW-Authenticate"), "Basic") {
				t.Errorf("%s/metrics 401 without WWW-Authenticate", base)
			}
		}
		if code, _, _ := httpDo(t, http.MethodGet, base+"/metrics", bearer(r.c.MetricsToken), nil); code != http.StatusOK {
			t.Errorf("%s/metrics with the metrics token: %d", base, code)
		}
	}
}

func (r *run) testMetricsMoved(t *testing.T) {
	work0, work1, serve := r.before[1], r.after[1], r.after[0]
	n := uint64(len(r.ids))

	// Review latency: one observation per decision, labelled by outcome,
	// with the 2 h and 24 h bucket edges the alerts read.
	b, per0 := work0.HistogramCount("kycq_review_latency_seconds", nil, "outcome")
	a, per1 := work1.HistogramCount("kycq_review_latency_seconds", nil, "outcome")
	if a-b != n {
		t.Errorf("kycq_review_latency_seconds count moved by %d, want %d (%v → %v)", a-b, n, per0, per1)
	}
	outcomes := map[string]uint64{}
	for _, v := range r.results {
		outcomes[string(v.Decision.Outcome)]++
	}
	for o, want := range outcomes {
		if got := per1[o] - per0[o]; got != want {
			t.Errorf("review latency{outcome=%s} moved by %d, want %d", o, got, want)
		}
	}
	if !hasBucket(work1, "kycq_review_latency_seconds", 7200) || !hasBucket(work1, "kycq_review_latency_seconds", 86400) {
		t.Error("kycq_review_latency_seconds lacks a bucket edge at 7200 or 86400 s")
	}
	decisions := work1.Values("kycq_decisions_total", "outcome")
	decisions0 := work0.Values("kycq_decisions_total", "outcome")
	for o, want := range outcomes {
		if got := decisions[o] - decisions0[o]; got != float64(want) {
			t.Errorf("kycq_decisions_total{outcome=%s} moved by %v, want %d", o, got, want)
		}
	}

	// Every check family ran for every verification: two document photos
	// each, and one data, face and decision check each.
	want := map[string]uint64{"doc_quality": 2 * n, "doc_data": n, "face_match": n, "decision": n}
	_, c0 := work0.HistogramCount("kycq_check_duration_seconds", nil, "check")
	_, c1 := work1.HistogramCount("kycq_check_duration_seconds", nil, "check")
	for check, w := range want {
		if got := c1[check] - c0[check]; got < w {
			t.Errorf("kycq_check_duration_seconds{check=%s} moved by %d, want at least %d", check, got, w)
		}
	}
	s0 := work0.HistogramSum("kycq_check_duration_seconds", "check")
	s1 := work1.HistogramSum("kycq_check_duration_seconds", "check")
	for check := range want {
		if n := c1[check] - c0[check]; n > 0 {
			t.Logf("check %s: %d runs, mean %.3fs", check, n, (s1[check]-s0[check])/float64(n))
		}
	}
	if c1["other"] != 0 {
		t.Errorf("check durations recorded under other: %d", c1["other"])
	}

	// Reason codes: only codes of the catalogue, and the expired document's
	// doc_expired among them.
	reasons := work1.Values("kycq_decision_reasons_total", "code")
	for code := range reasons {
		if !reason.Known(reason.Code(code)) {
			t.Errorf("kycq_decision_reasons_total has code %q, not in the catalogue", code)
		}
	}
	if reasons[string(reason.DocExpired)] < 1 {
		t.Errorf("kycq_decision_reasons_total{code=doc_expired} = %v, want ≥ 1 (codes %v)", reasons["doc_expired"], reasons)
	}
	for o := range decisions {
		if o != "approved" && o != "rejected" && o != "manual_review" {
			t.Errorf("kycq_decisions_total has outcome %q", o)
		}
	}

	// Task counters and durations moved for the check tasks.
	tasks := work1.Values("kycq_tasks_total", "result")
	if tasks["success"] < float64(4*n+n) {
		t.Errorf("kycq_tasks_total{result=success} = %v, want ≥ %d (checks and decisions)", tasks["success"], 5*n)
	}
	if d, _ := work1.HistogramCount("kycq_task_duration_seconds", map[string]string{"type": "kycq:check:face_match"}, ""); d < n {
		t.Errorf("kycq_task_duration_seconds{type=face_match} count %d, want ≥ %d", d, n)
	}

	// The API process reports what is read from Redis and the database.
	if !serve.Has("kycq_oldest_undecided_verification_age_seconds") {
		t.Error("kycq serve does not export kycq_oldest_undecided_verification_age_seconds")
	} else if age := serve.Values("kycq_oldest_undecided_verification_age_seconds", "")[""]; age != 0 {
		t.Errorf("oldest undecided age %v s after every verification was decided, want 0", age)
	}
	queues := serve.Values("asynq_queue_size", "queue")
	for _, q := range []string{"kycq_checks", "kycq_critical"} {
		if _, ok := queues[q]; !ok {
			t.Errorf("asynq_queue_size has no queue %s (have %v)", q, queues)
		}
	}
	for _, name := range []string{"asynq_queue_latency_seconds", "asynq_tasks_processed_total", "asynq_tasks_enqueued_total"} {
		if !serve.Has(name) {
			t.Errorf("kycq serve does not export %s", name)
		}
	}
	if w := serve.Values("kycq_worker_servers", "")[""]; w != 1 {
		t.Errorf("kycq_worker_servers = %v, want 1 (one kycq work process)", w)
	}
	if c := serve.Values("kycq_worker_concurrency", "")[""]; c < 1 {
		t.Errorf("kycq_worker_concurrency = %v, want ≥ 1", c)
	}
}

func (r *run) testMetricsPrivacy(t *testing.T) {
	var secrets []secret
	for _, p := range r.people {
		secrets = append(secrets, p.secrets()...)
	}
	for i, s := range r.after {
		name := [2]string{"serve", "work"}[i]
		if found := findSecrets(strings.Join(s.LabelValues(), "\n"), secrets); len(found) > 0 {
			t.Errorf("kycq %s: label values hold personal data %q", name, found)
		}
		if found := findSecrets(s.Raw, secrets); len(found) > 0 {
			t.Errorf("kycq %s: /metrics holds personal data %q", name, found)
		}
	}
}

// testMetricNames checks kycq's own families against the Prometheus
// naming conventions: a kycq_ prefix, counters ending in _total, base
// units (durations in _seconds), and no _total on anything but a counter.
func (r *run) testMetricNames(t *testing.T) {
	for _, s := range r.after {
		for name, f := range s.Families {
			if !strings.HasPrefix(name, "kycq_") {
				continue
			}
			typ := f.GetType().String()
			switch {
			case typ == "COUNTER" && !strings.HasSuffix(name, "_total"):
				t.Errorf("counter %s does not end in _total", name)
			case typ != "COUNTER" && strings.HasSuffix(name, "_total"):
				t.Errorf("%s %s ends in _total", strings.ToLower(typ), name)
			case typ == "HISTOGRAM" && !strings.HasSuffix(name, "_seconds"):
				t.Errorf("histogram %s is not in seconds", name)
			case strings.Contains(name, "_milliseconds") || strings.Contains(name, "_minutes") || strings.Contains(name, "_hours"):
				t.Errorf("%s is not in base units", name)
			}
			if f.GetHelp() == "" {
				t.Errorf("%s has no help", name)
			}
		}
	}
}

// testRulesUseExportedMetrics: every metric the alert rules and the
// Grafana dashboard query is exported by a running kycq serve or kycq
// work. Excepted: what the rules record themselves, and the series
// Prometheus makes for every scrape (up, scrape_*).
func (r *run) testRulesUseExportedMetrics(t *testing.T) {
	rules, err := LoadRules(repoPath("deploy", "prometheus", "rules", "kycq.rules.yml"))
	if err != nil {
		t.Fatal(err)
	}
	exprs := map[string]string{} // expr → where
	for _, rule := range rules.Rules() {
		exprs[rule.Expr] = "rule " + rule.Alert + rule.Record
	}
	dash, err := DashboardExprs(repoPath("deploy", "grafana", "kycq.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range dash {
		exprs[e] = "dashboard"
	}
	exported := r.after[0].SeriesNames()
	for n := range r.after[1].SeriesNames() {
		exported[n] = true
	}
	recorded := rules.Recorded()
	synthetic := map[string]bool{"up": true, "scrape_duration_seconds": true, "scrape_samples_scraped": true}
	checked := map[string]bool{}
	for expr, where := range exprs {
		names := MetricNames(expr)
		if len(names) == 0 {
			t.Errorf("%s: no metric in %q", where, expr)
		}
		for _, n := range names {
			if recorded[n] || synthetic[n] {
				continue
			}
			checked[n] = true
			if !exported[n] {
				t.Errorf("%s uses %s, which neither kycq serve nor kycq work exports (expr %q)", where, n, expr)
			}
		}
	}
	for n := range recorded {
		used := false
		for expr := range exprs {
			if strings.Contains(expr, n) {
				used = true
			}
		}
		if !used {
			t.Errorf("recording rule %s is used by no alert or panel", n)
		}
	}
	names := make([]string, 0, len(checked))
	for n := range checked {
		names = append(names, n)
	}
	sort.Strings(names)
	t.Logf("%d metric names used by rules and dashboard, all exported: %v", len(names), names)
}

func (r *run) testMonitoring(t *testing.T) {
	base := r.c.API + "/monitoring"
	// The page: 401 with a Basic challenge without credentials or with a
	// wrong password; the HTML app with the token as password.
	code, hdr, _ := httpDo(t, http.MethodGet, base+"/", nil, nil)
	if code != http.StatusUnauthorized || !strings.HasPrefix(hdr.Get("WWW-Authenticate"), "Basic ") {
		t.Errorf("GET /monitoring/ without credentials: %d, WWW-Authenticate %q; want 401 with a Basic challenge", code, hdr.Get("WWW-Authenticate"))
	}
	if code, _, _ := httpDo(t, http.MethodGet, base+"/", basic("ops", "wrong"), nil); code != http.StatusUnauthorized {
		t.Errorf("GET /monitoring/ with a wrong password: %d, want 401", code)
	}
	code, hdr, body := httpDo(t, http.MethodGet, base+"/", basic("ops", r.c.Token), nil)
	if code != http.StatusOK || !strings.HasPrefix(hdr.Get("Content-Type"), "text/html") || !strings.Contains(body, "<html") {
		t.Errorf("GET /monitoring/ with the token as Basic password: %d %q %.80q; want 200 HTML", code, hdr.Get("Content-Type"), body)
	}
	// A deep link (the dashboard is a single-page app) serves the same page.
	if code, _, body := httpDo(t, http.MethodGet, base+"/queues/kycq_checks", basic("ops", r.c.Token), nil); code != http.StatusOK || !strings.Contains(body, "<html") {
		t.Errorf("GET /monitoring/queues/kycq_checks: %d", code)
	}

	// Its JSON API, with the bearer token: the kycq queues and the worker.
	if code, _, _ := httpDo(t, http.MethodGet, base+"/api/queues", nil, nil); code != http.StatusUnauthorized {
		t.Errorf("GET /monitoring/api/queues without a token: %d, want 401", code)
	}
	queues := monitoringQueues(t, base, r.c.Token)
	for _, q := range []string{"kycq_checks", "kycq_critical", "kycq_maintenance"} {
		if _, ok := queues[q]; !ok {
			t.Errorf("/monitoring/api/queues lacks %s (has %v)", q, queues)
		}
	}
	// Completed tasks are kept for a day (tasks.Retention): every check of
	// every verification is there.
	if q := queues["kycq_checks"]; q.Completed < 4*len(r.ids) {
		t.Errorf("kycq_checks holds %d completed tasks, want ≥ %d", q.Completed, 4*len(r.ids))
	}
	code, _, body = httpDo(t, http.MethodGet, base+"/api/servers", bearer(r.c.Token), nil)
	var servers struct {
		Servers []struct {
			Queues map[string]int `json:"queue_priorities"`
			Status string         `json:"status"`
		} `json:"servers"`
	}
	// One kycq work process runs two asynq servers: the checks and
	// decisions, and its webhook deliveries (their own queue and polling).
	err := json.Unmarshal([]byte(body), &servers)
	checkServers, hookServers := 0, 0
	for _, s := range servers.Servers {
		if _, ok := s.Queues["kycq_critical"]; ok {
			checkServers++
		}
		if _, ok := s.Queues["kycq_webhooks"]; ok && len(s.Queues) == 1 {
			hookServers++
		}
	}
	if code != http.StatusOK || err != nil || len(servers.Servers) != 2 || checkServers != 1 || hookServers != 1 {
		t.Errorf("GET /monitoring/api/servers: %d %v %.200s; want the one worker's two servers", code, err, body)
	}

	// Task payloads shown on the dashboard carry IDs, not personal data.
	var secrets []secret
	for _, p := range r.people {
		secrets = append(secrets, p.secrets()...)
	}
	for _, q := range []string{"kycq_checks", "kycq_critical"} {
		code, _, body := httpDo(t, http.MethodGet, base+"/api/queues/"+q+"/completed_tasks?page=1&page_size=100", bearer(r.c.Token), nil)
		if code != http.StatusOK || !strings.Contains(body, r.ids[0]) {
			t.Errorf("completed tasks of %s: %d, or the first verification's ID is not there: %.300s", q, code, body)
		}
		if found := findSecrets(body, secrets); len(found) > 0 {
			t.Errorf("task payloads in %s hold personal data %q", q, found)
		}
	}

	// Not read-only: an operator can pause and resume a queue...
	q := "/api/queues/kycq_maintenance"
	if code, _, body := httpDo(t, http.MethodPost, base+q+":pause", bearer(r.c.Token), nil); code/100 != 2 {
		t.Fatalf("pause kycq_maintenance: %d %s", code, body)
	}
	if !monitoringQueues(t, base, r.c.Token)["kycq_maintenance"].Paused {
		t.Error("kycq_maintenance not paused after a pause")
	}
	if code, _, body := httpDo(t, http.MethodPost, base+q+":resume", bearer(r.c.Token), nil); code/100 != 2 {
		t.Fatalf("resume kycq_maintenance: %d %s", code, body)
	}
	if monitoringQueues(t, base, r.c.Token)["kycq_maintenance"].Paused {
		t.Fatal("kycq_maintenance still paused after a resume")
	}
	// ...but a cross-site page cannot make the browser do it with the
	// Basic credentials it holds.
	h := basic("ops", r.c.Token)
	h.Set("Origin", "https://evil.example")
	h.Set("Sec-Fetch-Site", "cross-site")
	if code, _, _ := httpDo(t, http.MethodPost, base+q+":pause", h, nil); code != http.StatusForbidden {
		t.Errorf("cross-site pause: %d, want 403", code)
	}
	if monitoringQueues(t, base, r.c.Token)["kycq_maintenance"].Paused {
		t.Error("a cross-site request paused kycq_maintenance")
	}
}

// testMonitoringReadOnly starts a second API process on the same Redis
// with KYCQ_MONITORING_READONLY=true: the dashboard and its API read, and
// every mutating call is refused and changes nothing.
func (r *run) testMonitoringReadOnly(t *testing.T) {
	env := r.c.Env.Clone(harness.Env{"KYCQ_ADDR": harness.FreeAddr(t), "KYCQ_MONITORING_READONLY": "true"})
	p := harness.StartProcess(t, env, "serve")
	api := "http://" + env["KYCQ_ADDR"]
	waitReady(t, p, api)
	base := api + "/monitoring"
	if code, _, _ := httpDo(t, http.MethodGet, base+"/", basic("ops", r.c.Token), nil); code != http.StatusOK {
		t.Errorf("read-only GET /monitoring/: %d, want 200", code)
	}
	if code, _, _ := httpDo(t, http.MethodGet, base+"/", nil, nil); code != http.StatusUnauthorized {
		t.Errorf("read-only GET /monitoring/ without credentials: %d, want 401", code)
	}
	if len(monitoringQueues(t, base, r.c.Token)) == 0 {
		t.Error("read-only /monitoring/api/queues lists no queue")
	}
	calls := []struct{ method, path string }{
		{http.MethodPost, "/api/queues/kycq_maintenance:pause"},
		{http.MethodDelete, "/api/queues/kycq_maintenance"},
		{http.MethodPost, "/api/queues/kycq_checks/completed_tasks:batch_delete"},
		{http.MethodDelete, "/api/queues/kycq_checks/completed_tasks:delete_all"},
		{http.MethodPut, "/api/queues/kycq_checks"}, // a method Asynqmon routes nowhere
	}
	for _, c := range calls {
		code, hdr, body := httpDo(t, c.method, base+c.path, bearer(r.c.Token), strings.NewReader(`{"task_ids":[]}`))
		if code != http.StatusMethodNotAllowed || !strings.Contains(hdr.Get("Allow"), "GET") {
			t.Errorf("read-only %s %s: %d %.100s, want 405", c.method, c.path, code, body)
		}
	}
	queues := monitoringQueues(t, base, r.c.Token)
	if q, ok := queues["kycq_maintenance"]; !ok || q.Paused {
		t.Errorf("read-only calls changed kycq_maintenance: %+v", q)
	}
	if queues["kycq_checks"].Completed == 0 {
		t.Error("read-only calls deleted the completed tasks of kycq_checks")
	}
}

type queueInfo struct {
	Queue     string `json:"queue"`
	Paused    bool   `json:"paused"`
	Completed int    `json:"completed"`
}

func monitoringQueues(t *testing.T, base, token string) map[string]queueInfo {
	t.Helper()
	code, _, body := httpDo(t, http.MethodGet, base+"/api/queues", bearer(token), nil)
	var out struct {
		Queues []queueInfo `json:"queues"`
	}
	if err := json.Unmarshal([]byte(body), &out); code != http.StatusOK || err != nil {
		t.Fatalf("GET %s/api/queues: %d %v %.200s", base, code, err, body)
	}
	m := map[string]queueInfo{}
	for _, q := range out.Queues {
		m[q.Queue] = q
	}
	return m
}

// testLogs reads everything both processes logged: every line is a JSON
// object with time, level and msg; each verification's lifecycle is
// logged under its verification_id; and no line holds the applicants'
// names, document numbers, dates of birth, emails or phone numbers.
func (r *run) testLogs(t *testing.T) {
	var secrets []secret
	for _, p := range r.people {
		secrets = append(secrets, p.secrets()...)
	}
	type line map[string]any
	var lines []line
	for name, p := range map[string]*harness.Process{"serve": r.c.Serve, "work": r.c.Work} {
		text := p.Logs.String()
		if found := findSecrets(text, secrets); len(found) > 0 {
			t.Errorf("kycq %s logged personal data %q in:\n%s", name, found, linesWith(text, found))
		}
		for i, l := range strings.Split(strings.TrimSpace(text), "\n") {
			var m line
			if err := json.Unmarshal([]byte(l), &m); err != nil {
				t.Errorf("kycq %s log line %d is not JSON: %.200q", name, i+1, l)
				continue
			}
			for _, k := range []string{"time", "level", "msg"} {
				if _, ok := m[k]; !ok {
					t.Errorf("kycq %s log line %d has no %s: %.200q", name, i+1, k, l)
				}
			}
			lines = append(lines, m)
		}
	}
	for _, id := range r.ids {
		msgs := map[string]int{}
		for _, m := range lines {
			if m["verification_id"] == id {
				msgs[m["msg"].(string)]++
			}
		}
		for msg, want := range map[string]int{"verification created": 1, "verification submitted": 1, "check done": 4, "decided": 1} {
			if msgs[msg] < want {
				t.Errorf("verification %s: %d %q lines with its verification_id, want ≥ %d (have %v)", id, msgs[msg], msg, want, msgs)
			}
		}
	}
	t.Logf("%d JSON log lines checked", len(lines))
}

// linesWith returns the lines of text that contain any of the strings,
// case-insensitively.
func linesWith(text string, found []string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		for _, f := range found {
			if strings.Contains(strings.ToLower(l), strings.ToLower(f)) {
				out = append(out, l)
				break
			}
		}
	}
	return strings.Join(out, "\n")
}

func hasBucket(s *Scrape, name string, le float64) bool {
	f := s.Families[name]
	if f == nil || len(f.GetMetric()) == 0 {
		return false
	}
	for _, b := range f.GetMetric()[0].GetHistogram().GetBucket() {
		if b.GetUpperBound() == le {
			return true
		}
	}
	return false
}

func hasReason(ds []reason.Detail, c reason.Code) bool {
	for _, d := range ds {
		if d.Code == c {
			return true
		}
	}
	return false
}

func reasonCodes(ds []reason.Detail) []reason.Code {
	out := make([]reason.Code, len(ds))
	for i, d := range ds {
		out[i] = d.Code
	}
	return out
}
