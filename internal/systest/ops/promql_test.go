package ops

import (
	"reflect"
	"strings"
	"testing"
)

func TestMetricNames(t *testing.T) {
	tests := []struct {
		expr string
		want []string
	}{
		{`up`, []string{"up"}},
		{`up{job=~"kycq-.*"} == 0`, []string{"up"}},
		{`absent(kycq_worker_servers) or sum(kycq_worker_servers) == 0`, []string{"kycq_worker_servers"}},
		{`histogram_quantile(0.95, sum by (le) (rate(kycq_review_latency_seconds_bucket[1h])))`,
			[]string{"kycq_review_latency_seconds_bucket"}},
		{`sum(rate(kycq_tasks_total{result=~"retry|archived"}[10m])) / sum(rate(kycq_tasks_total[10m]))`,
			[]string{"kycq_tasks_total"}},
		{`sum by (queue) (asynq_queue_size{queue=~"kycq_.*"}) > 100 and sum by (queue) (delta(asynq_queue_size[15m])) > 0`,
			[]string{"asynq_queue_size"}},
		{`sum(x) by (le, check) / on (job) group_left (instance) y`, []string{"x", "y"}},
		{`kycq:review_latency_seconds:p95_1h > 7200`, []string{"kycq:review_latency_seconds:p95_1h"}},
		{`rate(a[$__rate_interval]) * 60 + b offset 5m + c @ start()`, []string{"a", "b", "c"}},
		{`topk(10, sum by (code) (rate(kycq_decision_reasons_total[5m:1m]))) * 60`, []string{"kycq_decision_reasons_total"}},
		{`label_replace(m, "dst", "$1", "src", "(.*)")`, []string{"m"}},
		{`sum by (type, result) (rate(kycq_tasks_total{result!="success", type="a{b}"}[$__interval]))`, []string{"kycq_tasks_total"}},
		{`1 + 2e3 - Inf`, []string{}},
	}
	for _, tt := range tests {
		if got := MetricNames(tt.expr); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("MetricNames(%q) = %q, want %q", tt.expr, got, tt.want)
		}
	}
}

func TestShortenFor(t *testing.T) {
	src := []byte(`groups:
  - name: g
    rules:
      - record: r:x
        expr: sum(x)
      - alert: A
        expr: x > 1
        for: 15m
        labels: {severity: page}
      - alert: B
        expr: y > 1
`)
	out, err := ShortenFor(src, "1s")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := dir + "/r.yml"
	if err := writeFile(path, out); err != nil {
		t.Fatal(err)
	}
	f, err := LoadRules(path)
	if err != nil {
		t.Fatal(err)
	}
	rules := f.Rules()
	if len(rules) != 3 || rules[0].For != "" || rules[1].For != "1s" || rules[2].For != "1s" {
		t.Errorf("rules after ShortenFor: %+v", rules)
	}
	if rules[1].Labels["severity"] != "page" || rules[1].Expr != "x > 1" || rules[0].Record != "r:x" {
		t.Errorf("ShortenFor changed more than for: %+v", rules)
	}
	if _, err := ShortenFor([]byte("groups: []\n"), "1s"); err == nil {
		t.Error("no alerts: no error")
	}
}

func TestDashboardExprsIncludesRows(t *testing.T) {
	path := t.TempDir() + "/d.json"
	d := `{"panels":[{"type":"stat","targets":[{"expr":"a"}]},
	  {"type":"row","panels":[{"type":"timeseries","targets":[{"expr":"b"},{"expr":""}]}]}],
	  "templating":{"list":[{"query":"label_values(c, job)"}]}}`
	if err := writeFile(path, []byte(d)); err != nil {
		t.Fatal(err)
	}
	got, err := DashboardExprs(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(sorted(got), ",") != "a,b" {
		t.Errorf("exprs = %q, want a, b", got)
	}
}
