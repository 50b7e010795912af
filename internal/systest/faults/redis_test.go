package faults

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kycq/kycq/api/client"
	"github.com/kycq/kycq/internal/systest/harness"
	"github.com/kycq/kycq/tasks"
)

// TestRedisRestart crashes Redis (SIGKILL of a private redis-server with
// an append-only file) while face matches run, and starts it again 3 s
// later on the same address and data:
//   - the running checks ride through: they finish after the restart,
//     store their results and enqueue the decision;
//   - a submission during the outage is refused with 503 "unavailable"
//     (a clear error; the app retries), and the retry after the restart
//     is accepted;
//   - every verification, the late one included, is decided exactly once
//     and approved.
func TestRedisRestart(t *testing.T) {
	t.Parallel()
	redisRestart(t, 10*time.Second, 3*time.Second)
}

// TestRedisOutageLong keeps Redis down for 10 s, longer than the face
// matches take, so checks finish while Redis is away: their results are
// stored in PostgreSQL but asynq cannot record the tasks' ends. asynq
// v0.26 means to retry those writes ("Will retry syncing") but its retry
// reuses an already-cancelled context, so it never succeeds: the tasks
// stay active in Redis until their lease expires and asynq's recoverer
// (every minute) hands them out again, 1–2 minutes later. They run again
// — a second "check done", the same stored result — and every
// verification is still decided exactly once. Slow (about 2.5 minutes):
// it runs with KYCQ_SOAK=1.
func TestRedisOutageLong(t *testing.T) {
	if !longRun() {
		t.Skip("KYCQ_SOAK=1 runs it (2.5 minutes)")
	}
	t.Parallel()
	redisRestart(t, 4*time.Second, 10*time.Second)
}

func redisRestart(t *testing.T, faceDelay, outage time.Duration) {
	slow, _ := slowFFmpeg(t, faceDelay)
	redis := startRedis(t)
	env := harness.RealEnv(t)
	env["REDIS_ADDR"], env["REDIS_DB"] = redis.Addr, "0"
	c := newCluster(t, env)
	c.startWorker(t, harness.Env{"KYCQ_FFMPEG": slow})
	ids := c.apply(t, "redis", 3)
	late := c.create(t, "redis-late", 1)[0]

	waitFaceMatches(t, c, 2)
	redis.Crash()
	down := time.Now()
	t.Log("Redis crashed (SIGKILL) with two face matches running")

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	err := c.Client.Submit(ctx, late)
	cancel()
	var ae *client.APIError
	if !errors.As(err, &ae) || ae.Status != http.StatusServiceUnavailable || ae.Body.Code != "unavailable" {
		t.Errorf("submit with Redis down: %v, want 503 unavailable", err)
	}
	time.Sleep(time.Until(down.Add(outage)))
	if err := redis.Start(); err != nil {
		t.Fatalf("restart Redis: %v", err)
	}
	up := time.Now()
	t.Logf("Redis back after %.1fs, same data", up.Sub(down).Seconds())

	// The app retries its submission until it is accepted.
	waitUntil(t, 30*time.Second, "the retried submission accepted", func() (bool, string) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err := c.Client.Submit(ctx, late)
		return err == nil, fmt.Sprint(err)
	})
	ids = append(ids, late)
	decided := c.waitDecided(t, ids, 4*time.Minute)
	t.Logf("every verification decided %.1fs after Redis came back", time.Since(up).Seconds())
	rep := c.audit(t, ids, decided, nil)
	t.Logf("audit: %s", rep)
}

// TestRedisDataLoss restarts Redis without persistence while
// verifications wait in the queues: every queued task is gone. kycq's
// sweeper (every minute) finds the verifications submitted more than
// StallAfter (5 minutes) ago without a decision, enqueues their missing
// checks again, and every one is decided exactly once and approved —
// about six minutes late, but not lost. Slow: it runs with KYCQ_SOAK=1.
func TestRedisDataLoss(t *testing.T) {
	if !longRun() {
		t.Skip("KYCQ_SOAK=1 runs it (7 minutes)")
	}
	t.Parallel()
	redis := startRedisWith(t, "--appendonly", "no")
	env := harness.RealEnv(t)
	env["REDIS_ADDR"], env["REDIS_DB"] = redis.Addr, "0"
	c := newCluster(t, env)
	// No worker yet: the checks wait in Redis.
	ids := c.apply(t, "redis-lost", 3)
	qi, err := c.Insp.GetQueueInfo(tasks.QueueChecks)
	if err != nil || qi.Pending != 4*len(ids) {
		t.Fatalf("checks queue before the loss: %+v, %v", qi, err)
	}
	redis.Crash()
	if err := redis.Start(); err != nil {
		t.Fatal(err)
	}
	if qs, _ := c.Insp.Queues(); len(qs) != 0 {
		t.Fatalf("Redis kept queues %v: no data loss to test", qs)
	}
	lost := time.Now()
	t.Log("Redis restarted empty: every queued check is gone")
	c.startWorker(t, nil)
	decided := c.waitDecided(t, ids, 9*time.Minute)
	t.Logf("every verification decided %.0fs after the loss", time.Since(lost).Seconds())
	rep := c.audit(t, ids, decided, nil)
	t.Logf("audit: %s", rep)
	var sweeps int
	for _, p := range c.processes() {
		sweeps += strings.Count(p.Logs.String(), `"msg":"sweep: re-enqueue lost check"`)
	}
	if sweeps != 4*len(ids) {
		t.Errorf("the sweeper re-enqueued %d lost checks, want %d", sweeps, 4*len(ids))
	}
}
