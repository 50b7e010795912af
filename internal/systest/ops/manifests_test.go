package ops

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/kycq/kycq/internal/app"
)

// knownSettings returns the environment variables kycq reads (the table
// `kycq help serve` prints).
func knownSettings(t *testing.T) map[string]bool {
	t.Helper()
	var b bytes.Buffer
	app.PrintSettings(&b)
	out := map[string]bool{}
	sc := bufio.NewScanner(&b)
	for sc.Scan() {
		// A setting's line is its variable, then its flag or, for a
		// secret (no flag), "(NAME_FILE)".
		if f := strings.Fields(sc.Text()); len(f) > 1 && (strings.HasPrefix(f[1], "-") || f[1] == "("+f[0]+"_FILE)") {
			out[f[0]] = true
		}
	}
	if len(out) < 10 {
		t.Fatalf("could not read the settings table: %v", out)
	}
	return out
}

// yamlDocs decodes every document of a YAML file into generic maps; the
// decoder refuses duplicate keys and bad indentation, which is what a
// YAML lint would catch first.
func yamlDocs(t *testing.T, path string) []map[string]any {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dec := yaml.NewDecoder(f)
	var out []map[string]any
	for {
		var d map[string]any
		err := dec.Decode(&d)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if d != nil {
			out = append(out, d)
		}
	}
	return out
}

// get walks a decoded YAML/JSON tree along keys (string map keys or int
// list indexes) and returns what it finds, or nil.
func get(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[k]
		case int:
			l, ok := v.([]any)
			if !ok || k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

func str(v any, path ...any) string {
	s, _ := get(v, path...).(string)
	return s
}

func list(v any, path ...any) []any {
	l, _ := get(v, path...).([]any)
	return l
}

// subset reports whether every key of sel has the same value in labels.
func subset(sel, labels any) bool {
	s, _ := sel.(map[string]any)
	l, _ := labels.(map[string]any)
	if len(s) == 0 {
		return false
	}
	for k, v := range s {
		if l[k] != v {
			return false
		}
	}
	return true
}

// TestKubernetesManifests lints deploy/kubernetes the way a reviewer
// would: every file is in the kustomization, selectors select the pods
// they mean, probes hit /healthz (liveness) and /readyz (readiness) on a
// declared port, the workers' grace period outlasts KYCQ_SHUTDOWN_TIMEOUT,
// the HPA and PDBs name real Deployments, and every variable the
// ConfigMap and the example Secret set is a kycq setting.
func TestKubernetesManifests(t *testing.T) {
	dir := repoPath("deploy", "kubernetes")
	settings := knownSettings(t)
	kust := yamlDocs(t, filepath.Join(dir, "kustomization.yaml"))[0]
	listed := map[string]bool{}
	for _, r := range list(kust, "resources") {
		listed[r.(string)] = true
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
	objs := map[string]map[string]any{} // kind/name → object
	for _, f := range files {
		base := filepath.Base(f)
		if base == "kustomization.yaml" {
			continue
		}
		if !listed[base] && base != "secret.example.yaml" {
			t.Errorf("%s is not in kustomization.yaml", base)
		}
		delete(listed, base)
		for _, d := range yamlDocs(t, f) {
			kind, name := str(d, "kind"), str(d, "metadata", "name")
			if str(d, "apiVersion") == "" || kind == "" || name == "" {
				t.Errorf("%s: object without apiVersion, kind or name: %v", base, d)
				continue
			}
			objs[kind+"/"+name] = d
		}
	}
	for f := range listed {
		t.Errorf("kustomization.yaml lists %s, which does not exist", f)
	}

	cm := objs["ConfigMap/kycq"]
	secret := objs["Secret/kycq"]
	if cm == nil || secret == nil {
		t.Fatal("ConfigMap kycq or Secret kycq (secret.example.yaml) missing")
	}
	for _, o := range []map[string]any{cm, secret} {
		data, _ := get(o, "data").(map[string]any)
		if data == nil {
			data, _ = get(o, "stringData").(map[string]any)
		}
		for k := range data {
			if !settings[k] {
				t.Errorf("%s sets %s, which kycq does not read", str(o, "kind"), k)
			}
		}
	}
	shutdown, err := time.ParseDuration(str(cm, "data", "KYCQ_SHUTDOWN_TIMEOUT"))
	if err != nil {
		t.Errorf("ConfigMap KYCQ_SHUTDOWN_TIMEOUT: %v", err)
	}

	deployments := map[string]map[string]any{}
	for key, o := range objs {
		if !strings.HasPrefix(key, "Deployment/") {
			continue
		}
		name := str(o, "metadata", "name")
		deployments[name] = o
		spec := get(o, "spec", "template", "spec")
		if !subset(get(o, "spec", "selector", "matchLabels"), get(o, "spec", "template", "metadata", "labels")) {
			t.Errorf("%s: selector does not match its pod labels", name)
		}
		c := get(spec, "containers", 0)
		ports := map[string]bool{}
		for _, p := range list(c, "ports") {
			ports[str(p, "name")] = true
		}
		for probe, path := range map[string]string{"livenessProbe": "/healthz", "readinessProbe": "/readyz", "startupProbe": "/healthz"} {
			if got := str(c, probe, "httpGet", "path"); got != path {
				t.Errorf("%s: %s path %q, want %s", name, probe, got, path)
			}
			if p := str(c, probe, "httpGet", "port"); !ports[p] {
				t.Errorf("%s: %s port %q is not a declared container port", name, probe, p)
			}
		}
		for _, ef := range list(c, "envFrom") {
			ref := str(ef, "configMapRef", "name")
			kind := "ConfigMap"
			if ref == "" {
				ref, kind = str(ef, "secretRef", "name"), "Secret"
			}
			if objs[kind+"/"+ref] == nil {
				t.Errorf("%s: envFrom %s %q does not exist", name, kind, ref)
			}
		}
		if sc := get(c, "securityContext", "runAsNonRoot"); sc != true {
			t.Errorf("%s: container does not set runAsNonRoot", name)
		}
		args := list(c, "args")
		if len(args) == 0 {
			t.Errorf("%s: no args", name)
			continue
		}
		grace, _ := get(spec, "terminationGracePeriodSeconds").(int)
		if args[0] == "work" && time.Duration(grace)*time.Second <= shutdown {
			t.Errorf("%s: terminationGracePeriodSeconds %d s is not longer than KYCQ_SHUTDOWN_TIMEOUT %v", name, grace, shutdown)
		}
	}
	for _, role := range []string{"kycq-serve", "kycq-work"} {
		if deployments[role] == nil {
			t.Errorf("Deployment %s missing", role)
		}
	}
	for key, o := range objs {
		kind := strings.Split(key, "/")[0]
		switch kind {
		case "PodDisruptionBudget", "Service":
			sel := get(o, "spec", "selector", "matchLabels")
			if kind == "Service" {
				sel = get(o, "spec", "selector")
			}
			found := false
			for _, d := range deployments {
				found = found || subset(sel, get(d, "spec", "template", "metadata", "labels"))
			}
			if !found {
				t.Errorf("%s selects no Deployment's pods", key)
			}
		case "HorizontalPodAutoscaler":
			target := str(o, "spec", "scaleTargetRef", "name")
			if deployments[target] == nil || str(o, "spec", "scaleTargetRef", "kind") != "Deployment" {
				t.Errorf("%s scales %q, not a Deployment here", key, target)
			}
			external := false
			for _, m := range list(o, "spec", "metrics") {
				external = external || str(m, "type") == "External"
			}
			if !external {
				t.Errorf("%s does not scale on the queue size (an External metric)", key)
			}
		}
	}
}

// TestComposeFile lints deploy/compose.yaml: the services a laptop needs,
// kycq settings kycq knows, mounted files that exist, and a Prometheus
// that presents the metrics token kycq expects.
func TestComposeFile(t *testing.T) {
	dir := repoPath("deploy")
	settings := knownSettings(t)
	c := yamlDocs(t, filepath.Join(dir, "compose.yaml"))[0]
	services, _ := get(c, "services").(map[string]any)
	for _, s := range []string{"redis", "postgres", "s3", "serve", "work", "prometheus", "grafana"} {
		if services[s] == nil {
			t.Errorf("compose: service %s missing", s)
		}
	}
	env, _ := get(c, "services", "serve", "environment").(map[string]any)
	for k := range env {
		if !settings[k] {
			t.Errorf("compose: kycq environment sets %s, which kycq does not read", k)
		}
	}
	for name, s := range services {
		for _, v := range list(s, "volumes") {
			src, _, _ := strings.Cut(v.(string), ":")
			if strings.HasPrefix(src, ".") {
				if _, err := os.Stat(filepath.Join(dir, src)); err != nil {
					t.Errorf("compose: %s mounts %s: %v", name, src, err)
				}
			}
		}
	}
	prom := yamlDocs(t, filepath.Join(dir, "prometheus", "compose.yml"))[0]
	for _, sc := range list(prom, "scrape_configs") {
		if got := str(sc, "authorization", "credentials"); got != env["KYCQ_METRICS_TOKEN"] {
			t.Errorf("compose Prometheus job %s presents %q, kycq expects KYCQ_METRICS_TOKEN %q", str(sc, "job_name"), got, env["KYCQ_METRICS_TOKEN"])
		}
	}
}

// TestGrafanaDashboard: the dashboard is valid JSON with unique panel IDs,
// every panel queries the provisioned Prometheus datasource, and it shows
// the promises the alerts keep (review latency, oldest undecided, workers,
// queues).
func TestGrafanaDashboard(t *testing.T) {
	b, err := os.ReadFile(repoPath("deploy", "grafana", "kycq.json"))
	if err != nil {
		t.Fatal(err)
	}
	var d map[string]any
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("kycq.json: %v", err)
	}
	ds := yamlDocs(t, repoPath("deploy", "grafana", "provisioning", "datasources", "prometheus.yaml"))[0]
	uid := str(ds, "datasources", 0, "uid")
	ids := map[float64]bool{}
	var panels []any
	for _, p := range list(d, "panels") {
		panels = append(panels, p)
		panels = append(panels, list(p, "panels")...) // rows
	}
	for _, p := range panels {
		if str(p, "type") == "row" {
			continue
		}
		id, _ := get(p, "id").(float64)
		if ids[id] {
			t.Errorf("panel %q: duplicate id %v", str(p, "title"), id)
		}
		ids[id] = true
		if got := str(p, "datasource", "uid"); got != uid {
			t.Errorf("panel %q: datasource uid %q, provisioned %q", str(p, "title"), got, uid)
		}
		if len(list(p, "targets")) == 0 {
			t.Errorf("panel %q has no query", str(p, "title"))
		}
	}
	exprs, err := DashboardExprs(repoPath("deploy", "grafana", "kycq.json"))
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(exprs, "\n")
	for _, m := range []string{"kycq_review_latency_seconds_bucket", "kycq_oldest_undecided_verification_age_seconds",
		"kycq_worker_servers", "kycq:queue_backlog_tasks:max", "kycq_check_duration_seconds_bucket", "kycq_decision_reasons_total",
		"kycq_review_queue_waiting", "kycq_review_queue_oldest_age_seconds", "kycq_review_decisions_total"} {
		if !strings.Contains(all, m) {
			t.Errorf("the dashboard does not show %s", m)
		}
	}
	// asynq_queue_size counts completed tasks (kept 24 h): a panel on it
	// shows finished work as a backlog.
	for _, e := range exprs {
		if strings.Contains(e, "asynq_queue_size") {
			t.Errorf("dashboard query %q uses asynq_queue_size, which counts completed tasks; use asynq_tasks_enqueued_total{state=~\"pending|active\"}", e)
		}
	}
}

// TestHPAScalesOnBacklog: the autoscaler's external metric is the
// prometheus-adapter rule written in hpa.yaml, and that rule counts pending
// and active tasks only. asynq_queue_size also counts the completed tasks
// asynq keeps for 24 hours, so an HPA on it scales on finished work.
func TestHPAScalesOnBacklog(t *testing.T) {
	path := repoPath("deploy", "kubernetes", "hpa.yaml")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var query, adapterName string
	for _, line := range strings.Split(string(b), "\n") {
		if _, q, ok := strings.Cut(line, "metricsQuery: "); ok {
			query = strings.Trim(strings.TrimSpace(q), "'")
		}
		if _, n, ok := strings.Cut(line, `name: {as: "`); ok {
			adapterName, _, _ = strings.Cut(n, `"`)
		}
	}
	if query == "" || adapterName == "" {
		t.Fatalf("%s does not show the prometheus-adapter rule (metricsQuery, name as)", path)
	}
	if names := MetricNames(query); len(names) != 1 || names[0] != "asynq_tasks_enqueued_total" {
		t.Errorf("adapter metricsQuery %q reads %v; want asynq_tasks_enqueued_total only", query, names)
	}
	if !strings.Contains(query, `state=~"pending|active"`) {
		t.Errorf("adapter metricsQuery %q does not select the pending and active states", query)
	}
	var hpaMetric string
	for _, o := range yamlDocs(t, path) {
		for _, m := range list(o, "spec", "metrics") {
			if str(m, "type") == "External" {
				hpaMetric = str(m, "external", "metric", "name")
			}
		}
	}
	if hpaMetric != adapterName {
		t.Errorf("the HPA scales on %q; the adapter rule exposes %q", hpaMetric, adapterName)
	}
}
