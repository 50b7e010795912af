package faults

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kycq/kycq/api/client"
	"github.com/kycq/kycq/internal/systest/harness"
)

// TestPostgresRestart crashes PostgreSQL (an immediate shutdown of a
// private cluster: every connection dropped, no checkpoint) while face
// matches run, and starts it again once the worker has failed a task on
// it (at least 6 s later, so the outage hits checks that finish during it
// however fast this machine runs them; crash recovery):
//   - the API answers 503 "unavailable" meanwhile, a clear error;
//   - checks that finish during the outage cannot store their results:
//     the tasks fail and are retried with backoff, nothing is recorded as
//     a failed check;
//   - after the restart, every verification is decided exactly once and
//     approved, and the decisions written before the crash are still
//     there.
func TestPostgresRestart(t *testing.T) {
	t.Parallel()
	slow, _ := slowFFmpeg(t, 4*time.Second)
	pg, url := startPostgres(t)
	env := harness.RealEnv(t)
	env["DATABASE_URL"] = url
	c := newCluster(t, env)
	worker := c.startWorker(t, harness.Env{"KYCQ_FFMPEG": slow})
	early := c.apply(t, "pg-early", 1)
	c.waitDecided(t, early, 2*time.Minute)
	ids := c.apply(t, "pg", 3)

	waitFaceMatches(t, c, 2)
	pg.Crash()
	down := time.Now()
	t.Log("PostgreSQL crashed (immediate shutdown) with two face matches running")

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	_, err := c.Client.Get(ctx, ids[0])
	cancel()
	var ae *client.APIError
	if !errors.As(err, &ae) || ae.Status != http.StatusServiceUnavailable || ae.Body.Code != "unavailable" {
		t.Errorf("GET a verification with PostgreSQL down: %v, want 503 unavailable", err)
	}
	time.Sleep(time.Until(down.Add(6 * time.Second)))
	waitUntil(t, time.Minute, "a task failed on the outage", func() (bool, string) {
		return strings.Contains(worker.Logs.String(), `"msg":"task failed"`), "no task failed yet"
	})
	if err := pg.Start(); err != nil {
		t.Fatalf("restart PostgreSQL: %v", err)
	}
	up := time.Now()
	t.Logf("PostgreSQL back after %.1fs", up.Sub(down).Seconds())

	ids = append(early, ids...)
	decided := c.waitDecided(t, ids, 3*time.Minute)
	t.Logf("every verification decided %.1fs after PostgreSQL came back", time.Since(up).Seconds())
	rep := c.audit(t, ids, decided, nil)
	t.Logf("audit: %s", rep)
	retried := retriedTasks(t, c)
	if len(retried) == 0 {
		t.Error("no task was retried: the outage hit nothing")
	}
	for _, ti := range retried {
		t.Logf("retried: %s (%d), last error %.160q", ti.ID, ti.Retried, ti.LastErr)
	}
}
