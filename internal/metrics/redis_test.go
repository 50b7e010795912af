package metrics_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/kycq/kycq/internal/metrics"
	"github.com/kycq/kycq/internal/systest/testenv"
	"github.com/kycq/kycq/tasks"
)

// testRedis returns a connection to a Redis database leased to the test
// alone (testenv.RedisDB), as every other test that runs tasks uses: a
// database picked at random could be another test's. A missing Redis fails
// the test under KYCQ_TEST_REQUIRE_SERVICES=1 (make test) and skips it,
// saying so, otherwise.
func testRedis(t *testing.T) asynq.RedisClientOpt {
	t.Helper()
	addr, db := testenv.RedisDB(t)
	return asynq.RedisClientOpt{Addr: addr, DB: db}
}

func uniqueQueue(t *testing.T) string {
	b := make([]byte, 6)
	rand.Read(b)
	return "test_metrics_" + hex.EncodeToString(b)
}

func TestRegisterQueuesReportsQueuesAndWorkers(t *testing.T) {
	opt := testRedis(t)
	insp := asynq.NewInspector(opt)
	defer insp.Close()
	client := asynq.NewClient(opt)
	defer client.Close()

	waiting, served := uniqueQueue(t), uniqueQueue(t)
	defer insp.DeleteQueue(waiting, true)
	defer insp.DeleteQueue(served, true)
	for i := 0; i < 3; i++ {
		if _, err := client.Enqueue(asynq.NewTask(tasks.TypeSweep, nil), asynq.Queue(waiting)); err != nil {
			t.Fatal(err)
		}
	}

	m, reg := newMetrics(t)
	if err := m.RegisterQueues(insp); err != nil {
		t.Fatal(err)
	}
	if got := gaugeValue(t, reg, "asynq_queue_size", map[string]string{"queue": waiting}); got != 3 {
		t.Errorf("asynq_queue_size = %v, want 3", got)
	}
	if got := gaugeValue(t, reg, "asynq_tasks_enqueued_total", map[string]string{"queue": waiting, "state": "pending"}); got != 3 {
		t.Errorf("asynq_tasks_enqueued_total{state=pending} = %v, want 3", got)
	}

	srv := asynq.NewServer(opt, asynq.Config{Concurrency: 3, Queues: map[string]int{served: 1}, LogLevel: asynq.FatalLevel})
	if err := srv.Start(asynq.HandlerFunc(func(context.Context, *asynq.Task) error { return nil })); err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown()
	waitFor(t, func() bool {
		return gaugeValue(t, reg, "kycq_worker_servers", nil) >= 1
	})
	if got := gaugeValue(t, reg, "kycq_worker_concurrency", nil); got < 3 {
		t.Errorf("kycq_worker_concurrency = %v, want >= 3", got)
	}
	if err := m.RegisterQueues(nil); err == nil {
		t.Error("nil inspector: no error")
	}
}

func TestTaskMiddlewareRecordsResults(t *testing.T) {
	opt := testRedis(t)
	insp := asynq.NewInspector(opt)
	defer insp.Close()
	client := asynq.NewClient(opt)
	defer client.Close()
	q := uniqueQueue(t)
	defer insp.DeleteQueue(q, true)

	m, reg := newMetrics(t)
	mux := asynq.NewServeMux()
	mux.Use(m.TaskMiddleware())
	mux.HandleFunc(tasks.TypeDecide, func(context.Context, *asynq.Task) error { return nil })
	mux.HandleFunc(tasks.TypeDocData, func(context.Context, *asynq.Task) error { return errors.New("bad") })
	mux.HandleFunc(tasks.TypeFaceMatch, func(context.Context, *asynq.Task) error { return errors.New("transient") })
	mux.HandleFunc(tasks.TypeOccupancy, func(context.Context, *asynq.Task) error { return asynq.RevokeTask })
	mux.HandleFunc(tasks.TypeMigration, func(context.Context, *asynq.Task) error { return asynq.SkipRetry })

	srv := asynq.NewServer(opt, asynq.Config{
		Concurrency: 2, Queues: map[string]int{q: 1}, LogLevel: asynq.FatalLevel,
		RetryDelayFunc: func(int, error, *asynq.Task) time.Duration { return time.Hour },
	})
	if err := srv.Start(mux); err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown()

	tests := []struct {
		typ     string
		retries int
		want    string
	}{
		{tasks.TypeDecide, 3, metrics.TaskSuccess},
		{tasks.TypeDocData, 0, metrics.TaskArchived}, // no retries left
		{tasks.TypeFaceMatch, 3, metrics.TaskRetry},
		{tasks.TypeOccupancy, 3, metrics.TaskRevoked},
		{tasks.TypeMigration, 3, metrics.TaskArchived},
	}
	for _, tt := range tests {
		if _, err := client.Enqueue(asynq.NewTask(tt.typ, nil), asynq.Queue(q), asynq.MaxRetry(tt.retries)); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range tests {
		labels := map[string]string{"type": tt.typ, "result": tt.want}
		waitFor(t, func() bool { return counterValue(t, reg, "kycq_tasks_total", labels) == 1 })
		if got := histogram(t, reg, "kycq_task_duration_seconds", map[string]string{"type": tt.typ}).GetSampleCount(); got != 1 {
			t.Errorf("%s: duration samples = %d, want 1", tt.typ, got)
		}
	}
	// The successful decision task is also the "decision" check's duration;
	// the failed checks observe nothing there (their handlers observe their
	// own durations, and these stubs did not).
	if got := histogram(t, reg, "kycq_check_duration_seconds", map[string]string{"check": metrics.CheckDecision}).GetSampleCount(); got != 1 {
		t.Errorf("decision check samples = %d, want 1", got)
	}
	for _, c := range []string{tasks.CheckDocData, tasks.CheckFaceMatch} {
		if got := histogram(t, reg, "kycq_check_duration_seconds", map[string]string{"check": c}).GetSampleCount(); got != 0 {
			t.Errorf("%s check samples from the middleware = %d, want 0", c, got)
		}
	}
}

func TestTaskResultWithoutAsynqContext(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{nil, metrics.TaskSuccess},
		{asynq.SkipRetry, metrics.TaskArchived},
		{errors.Join(errors.New("x"), asynq.RevokeTask), metrics.TaskRevoked},
		{errors.New("x"), metrics.TaskRetry},
	}
	for _, tt := range tests {
		if got := metrics.TaskResult(context.Background(), tt.err); got != tt.want {
			t.Errorf("TaskResult(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
}

// waitFor polls cond until it holds, failing the test after 20 seconds.
// It waits for work in other goroutines; it does not measure speed.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached in 20s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
