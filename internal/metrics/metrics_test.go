package metrics_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/kycq/kycq/internal/metrics"
	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/tasks"
	"github.com/kycq/kycq/workers"
)

// The workers report through this interface; *Metrics must satisfy it.
var _ workers.Observer = (*metrics.Metrics)(nil)

func newMetrics(t testing.TB) (*metrics.Metrics, *prometheus.Registry) {
	t.Helper()
	reg := prometheus.NewRegistry()
	m, err := metrics.New(reg)
	if err != nil {
		t.Fatal(err)
	}
	return m, reg
}

func TestNewInitialisesKnownSeries(t *testing.T) {
	_, reg := newMetrics(t)
	const want = `
# HELP kycq_decisions_total Decisions stored, by outcome.
# TYPE kycq_decisions_total counter
kycq_decisions_total{outcome="approved"} 0
kycq_decisions_total{outcome="manual_review"} 0
kycq_decisions_total{outcome="rejected"} 0
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "kycq_decisions_total"); err != nil {
		t.Fatal(err)
	}
	tests := map[string]int{
		"kycq_review_latency_seconds":    4, // approved and rejected × machine and person
		"kycq_review_decisions_total":    2,
		"kycq_check_duration_seconds":    5,
		"kycq_occupancy_claims_total":    4, // won, held, idempotent, account_inactive
		"kycq_migrations_total":          2,
		"kycq_storage_errors_total":      2,      // s3 and db, op ping
		"kycq_tasks_total":               11 * 4, // 11 task types × 4 results
		"kycq_task_duration_seconds":     11,
		"kycq_doc_read_total":            9 * 6, // 9 document kinds × 6 outcomes
		"kycq_doc_read_duration_seconds": 9,
	}
	for name, n := range tests {
		if got, err := testutil.GatherAndCount(reg, name); err != nil || got != n {
			t.Errorf("%s: %d series (err %v), want %d", name, got, err, n)
		}
	}
}

func TestNewTwiceOnOneRegistryFails(t *testing.T) {
	_, reg := newMetrics(t)
	if _, err := metrics.New(reg); err == nil {
		t.Fatal("second New on the same registry: no error")
	}
}

func TestReviewBucketsHaveTheRuleEdges(t *testing.T) {
	// rules §5: at most about 2 hours; 24 hours pages someone.
	for _, edge := range []float64{7200, 86400} {
		found := false
		for _, b := range metrics.ReviewBuckets {
			found = found || b == edge
		}
		if !found {
			t.Errorf("ReviewBuckets lack the edge %v s", edge)
		}
	}
	for i := 1; i < len(metrics.ReviewBuckets); i++ {
		if metrics.ReviewBuckets[i] <= metrics.ReviewBuckets[i-1] {
			t.Fatalf("ReviewBuckets not increasing at %d", i)
		}
	}
}

func TestObserveDecision(t *testing.T) {
	tests := []struct {
		name        string
		outcome     string
		reasons     []reason.Code
		review      time.Duration
		wantOutcome string
		wantCodes   []string
		le2h, le24h float64 // cumulative bucket counts expected at 2 h and 24 h
	}{
		{"approved fast", "approved", nil, 3 * time.Minute, "approved", nil, 1, 1},
		{"rejected two codes", "rejected", []reason.Code{reason.DocBlurry, reason.DocGlare}, 90 * time.Minute, "rejected", []string{"doc_blurry", "doc_glare"}, 1, 1},
		// manual_review is not final: counted, but no latency until a
		// reviewer decides (TestObserveReviewerDecision).
		{"manual review", "manual_review", []reason.Code{reason.ManualReview}, 3 * time.Hour, "manual_review", []string{"manual_review"}, -1, -1},
		{"beyond a day", "approved", nil, 30 * time.Hour, "approved", nil, 0, 0},
		{"unknown outcome", "maybe", nil, time.Second, metrics.Other, nil, 1, 1},
		{"personal data as code", "rejected", []reason.Code{"alice@example.com", "110101199003074514"}, time.Second, "rejected", []string{metrics.Other, metrics.Other}, 1, 1},
		{"negative clock step", "approved", nil, -time.Minute, "approved", nil, 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, reg := newMetrics(t)
			m.ObserveDecision(tt.outcome, tt.reasons, tt.review)
			if got := counterValue(t, reg, "kycq_decisions_total", map[string]string{"outcome": tt.wantOutcome}); got != 1 {
				t.Errorf("decisions{outcome=%q} = %v, want 1", tt.wantOutcome, got)
			}
			for _, c := range tt.wantCodes {
				if got := counterValue(t, reg, "kycq_decision_reasons_total", map[string]string{"code": c}); got < 1 {
					t.Errorf("reasons{code=%q} = %v, want >= 1", c, got)
				}
			}
			if n, _ := testutil.GatherAndCount(reg, "kycq_decision_reasons_total"); n != len(uniq(tt.wantCodes)) {
				t.Errorf("reason series = %d, want %d", n, len(uniq(tt.wantCodes)))
			}
			if tt.le2h < 0 {
				if _, ok := lookup(mustGather(t, reg), "kycq_review_latency_seconds", map[string]string{"outcome": tt.wantOutcome}); ok {
					t.Fatalf("review latency has a %s series", tt.wantOutcome)
				}
				return
			}
			h := histogram(t, reg, "kycq_review_latency_seconds", map[string]string{"outcome": tt.wantOutcome, "decider": "machine"})
			if h.GetSampleCount() != 1 {
				t.Fatalf("review sample count = %d, want 1", h.GetSampleCount())
			}
			for _, b := range h.GetBucket() {
				switch b.GetUpperBound() {
				case 7200:
					if float64(b.GetCumulativeCount()) != tt.le2h {
						t.Errorf("le=7200: %d, want %v", b.GetCumulativeCount(), tt.le2h)
					}
				case 86400:
					if float64(b.GetCumulativeCount()) != tt.le24h {
						t.Errorf("le=86400: %d, want %v", b.GetCumulativeCount(), tt.le24h)
					}
				}
			}
		})
	}
}

func TestLabelsStayInTheirSets(t *testing.T) {
	tests := []struct {
		name   string
		record func(m *metrics.Metrics)
		metric string
		labels map[string]string
	}{
		{"check known", func(m *metrics.Metrics) { m.ObserveCheck("face_match", time.Second) }, "kycq_check_duration_seconds", map[string]string{"check": "face_match"}},
		{"check decision", func(m *metrics.Metrics) { m.ObserveCheck(metrics.CheckDecision, time.Millisecond) }, "kycq_check_duration_seconds", map[string]string{"check": "decision"}},
		{"check unknown", func(m *metrics.Metrics) { m.ObserveCheck("Zhang San", time.Second) }, "kycq_check_duration_seconds", map[string]string{"check": metrics.Other}},
		{"review", func(m *metrics.Metrics) { m.ObserveReview("rejected", metrics.DeciderMachine, time.Hour) }, "kycq_review_latency_seconds", map[string]string{"outcome": "rejected", "decider": "machine"}},
		{"review person", func(m *metrics.Metrics) { m.ObserveReview("approved", metrics.DeciderPerson, time.Hour) }, "kycq_review_latency_seconds", map[string]string{"outcome": "approved", "decider": "person"}},
		{"review unknown decider", func(m *metrics.Metrics) { m.ObserveReview("approved", "alice", time.Hour) }, "kycq_review_latency_seconds", map[string]string{"outcome": "approved", "decider": metrics.Other}},
		{"claim won", func(m *metrics.Metrics) { m.ObserveClaim("won") }, "kycq_occupancy_claims_total", map[string]string{"result": "won"}},
		{"claim held", func(m *metrics.Metrics) { m.ObserveClaim(metrics.ClaimHeld) }, "kycq_occupancy_claims_total", map[string]string{"result": "held"}},
		{"claim unknown", func(m *metrics.Metrics) { m.ObserveClaim("acct-42") }, "kycq_occupancy_claims_total", map[string]string{"result": metrics.Other}},
		{"migration completed", func(m *metrics.Metrics) { m.ObserveMigration("completed") }, "kycq_migrations_total", map[string]string{"outcome": "completed"}},
		{"migration refused", func(m *metrics.Metrics) { m.ObserveMigration(string(reason.MigrationSourceNotEmpty)) }, "kycq_migrations_total", map[string]string{"outcome": "migration_source_not_empty"}},
		{"migration phone", func(m *metrics.Metrics) { m.ObserveMigration("+8613800138000") }, "kycq_migrations_total", map[string]string{"outcome": metrics.Other}},
		{"storage s3", func(m *metrics.Metrics) { m.StorageError("s3", "get") }, "kycq_storage_errors_total", map[string]string{"backend": "s3", "op": "get"}},
		{"storage db op", func(m *metrics.Metrics) { m.StorageError("db", "save_decision") }, "kycq_storage_errors_total", map[string]string{"backend": "db", "op": "save_decision"}},
		{"storage unknown backend", func(m *metrics.Metrics) { m.StorageError("mongo", "get") }, "kycq_storage_errors_total", map[string]string{"backend": metrics.Other, "op": "get"}},
		{"storage op with data", func(m *metrics.Metrics) { m.StorageError("db", "get bob@example.com") }, "kycq_storage_errors_total", map[string]string{"backend": "db", "op": metrics.Other}},
		{"storage op too long", func(m *metrics.Metrics) { m.StorageError("db", strings.Repeat("a", 41)) }, "kycq_storage_errors_total", map[string]string{"backend": "db", "op": metrics.Other}},
		{"storage op digit first", func(m *metrics.Metrics) { m.StorageError("db", "9get") }, "kycq_storage_errors_total", map[string]string{"backend": "db", "op": metrics.Other}},
		{"task", func(m *metrics.Metrics) { m.ObserveTask("kycq:decide", metrics.TaskRetry, time.Second) }, "kycq_tasks_total", map[string]string{"type": "kycq:decide", "result": "retry"}},
		{"task holder check", func(m *metrics.Metrics) { m.ObserveTask(tasks.TypeHolder, metrics.TaskSuccess, time.Second) }, "kycq_tasks_total", map[string]string{"type": "kycq:followup:holder_check", "result": "success"}},
		{"task unknown", func(m *metrics.Metrics) { m.ObserveTask("email:send", "weird", time.Second) }, "kycq_tasks_total", map[string]string{"type": metrics.Other, "result": metrics.Other}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, reg := newMetrics(t)
			tt.record(m)
			if got := sampleCount(t, reg, tt.metric, tt.labels); got != 1 {
				t.Errorf("%s%v = %v, want 1", tt.metric, tt.labels, got)
			}
		})
	}
}

func TestNilMetricsRecordsNothing(t *testing.T) {
	var m *metrics.Metrics
	m.ObserveReview("approved", metrics.DeciderMachine, time.Second)
	m.ObserveReviewerDecision("approved", nil, time.Second)
	m.ObserveCheck("doc_data", time.Second)
	m.ObserveDecision("approved", []reason.Code{reason.DocBlurry}, time.Second)
	m.ObserveClaim("won")
	m.ObserveMigration("completed")
	m.StorageError("s3", "get")
	m.ObserveTask("kycq:decide", "success", time.Second)
	if err := m.RegisterOldestUndecided(func(context.Context) (time.Duration, error) { return 0, nil }); err == nil {
		t.Error("RegisterOldestUndecided on nil Metrics: no error")
	}
}

func TestOldestUndecided(t *testing.T) {
	defer metrics.SetAgeTimeout(50 * time.Millisecond)()
	tests := []struct {
		name      string
		age       metrics.AgeFunc
		wantGauge bool
		want      float64
	}{
		{"none", func(context.Context) (time.Duration, error) { return 0, nil }, true, 0},
		{"25 hours", func(context.Context) (time.Duration, error) { return 25 * time.Hour, nil }, true, 90000},
		{"database down", func(context.Context) (time.Duration, error) { return 0, errors.New("connection refused") }, false, 0},
		{"slow database", func(ctx context.Context) (time.Duration, error) { <-ctx.Done(); return 0, ctx.Err() }, false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, reg := newMetrics(t)
			if err := m.RegisterOldestUndecided(tt.age); err != nil {
				t.Fatal(err)
			}
			// One scrape: every Gather runs the AgeFunc again.
			fams, err := reg.Gather()
			if err != nil {
				t.Fatal(err)
			}
			g := gathered(fams)
			_, present := lookup(fams, "kycq_oldest_undecided_verification_age_seconds", nil)
			if present != tt.wantGauge {
				t.Fatalf("gauge present = %v, want %v", present, tt.wantGauge)
			}
			if tt.wantGauge {
				if got := gaugeValue(t, g, "kycq_oldest_undecided_verification_age_seconds", nil); got != tt.want {
					t.Errorf("age = %v, want %v", got, tt.want)
				}
				return
			}
			// The registry collects concurrently, so the failed scrape's
			// error is certain to show from the next scrape on.
			if got := counterValue(t, reg, "kycq_storage_errors_total", map[string]string{"backend": "db", "op": "oldest_undecided"}); got < 1 {
				t.Errorf("storage errors = %v, want >= 1", got)
			}
		})
	}
	m, _ := newMetrics(t)
	if err := m.RegisterOldestUndecided(nil); err == nil {
		t.Error("nil AgeFunc: no error")
	}
}

func TestSinceOldest(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	boom := errors.New("boom")
	tests := []struct {
		name    string
		oldest  time.Time
		err     error
		want    time.Duration
		wantErr bool
	}{
		{"none", time.Time{}, nil, 0, false},
		{"two hours", now.Add(-2 * time.Hour), nil, 2 * time.Hour, false},
		{"clock behind", now.Add(time.Minute), nil, 0, false},
		{"error", time.Time{}, boom, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := metrics.SinceOldest(func(context.Context) (time.Time, error) { return tt.oldest, tt.err }, clock)
			got, err := f(context.Background())
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("got %v, %v; want %v, err=%v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestHandlerServesTheRegistry(t *testing.T) {
	reg := metrics.NewRegistry()
	m, err := metrics.New(reg)
	if err != nil {
		t.Fatal(err)
	}
	m.ObserveDecision("approved", nil, time.Minute)
	srv := httptest.NewServer(metrics.Handler(reg))
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	for _, want := range []string{
		`kycq_decisions_total{outcome="approved"} 1`,
		`kycq_review_latency_seconds_bucket{decider="machine",outcome="approved",le="7200"} 1`,
		`kycq_review_latency_seconds_bucket{decider="machine",outcome="approved",le="86400"} 1`,
		"go_goroutines", "process_", "promhttp_metric_handler_requests_total",
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

func BenchmarkObserveDecision(b *testing.B) {
	m, _ := newMetrics(b)
	codes := []reason.Code{reason.DocBlurry, reason.DocGlare}
	for b.Loop() {
		m.ObserveDecision("rejected", codes, 90*time.Second)
	}
}

func BenchmarkObserveCheck(b *testing.B) {
	m, _ := newMetrics(b)
	for b.Loop() {
		m.ObserveCheck("face_match", 800*time.Millisecond)
	}
}

func BenchmarkStorageError(b *testing.B) {
	m, _ := newMetrics(b)
	for b.Loop() {
		m.StorageError("db", "save_decision")
	}
}

func BenchmarkObserveTask(b *testing.B) {
	m, _ := newMetrics(b)
	for b.Loop() {
		m.ObserveTask("kycq:check:face_match", metrics.TaskSuccess, time.Second)
	}
}
