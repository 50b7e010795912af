package faults

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kycq/kycq/internal/systest/harness"
	"github.com/kycq/kycq/internal/systest/ops"
	"github.com/kycq/kycq/internal/systest/testenv"
	"github.com/kycq/kycq/tasks"
)

// TestS3Outage stops the S3 server (a private versitygw) while the checks
// of submitted verifications are about to read their uploads: every check
// that reads S3 fails, is counted in kycq_storage_errors_total{backend="s3"}
// and waits in asynq's retry set with backoff — none is recorded as a
// failed check, nothing is decided on missing data. Once S3 is back, the
// retries succeed and every verification is decided exactly once, and
// approved: the outage changed no outcome.
//
// The checks queue is paused (as an operator can, in Asynqmon) while the
// applicants submit and S3 goes down, so that no check reads its upload
// before the outage; it is resumed with S3 down.
func TestS3Outage(t *testing.T) {
	t.Parallel()
	env := harness.RealEnv(t)
	gw := testenv.StartVersityGW(t)
	s3 := gw.Config("kycq-faults-s3")
	env["S3_ENDPOINT"], env["S3_ACCESS_KEY"], env["S3_SECRET_KEY"], env["S3_REGION"], env["S3_BUCKET"] =
		s3.Endpoint, s3.AccessKey, s3.SecretKey, s3.Region, s3.Bucket
	c := newCluster(t, env)
	w, workOps := c.spawnWorker(t, nil)
	waitReady(t, w, workOps)
	if err := c.Insp.PauseQueue(tasks.QueueChecks); err != nil {
		t.Fatal(err)
	}
	ids := c.apply(t, "s3", 3)
	readsS3 := 3 * len(ids) // two document photos and the face match per verification

	before := s3Errors(t, workOps, c.MetricsToken)
	gw.Stop()
	down := time.Now()
	if err := c.Insp.UnpauseQueue(tasks.QueueChecks); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, 90*time.Second, "every check reading S3 to fail and wait for a retry", func() (bool, string) {
		retry, err := c.Insp.ListRetryTasks(tasks.QueueChecks)
		if err != nil {
			return false, err.Error()
		}
		return len(retry) >= readsS3, fmt.Sprintf("%d in retry", len(retry))
	})
	retry, _ := c.Insp.ListRetryTasks(tasks.QueueChecks)
	for _, ti := range retry {
		if ti.LastErr == "" || strings.HasPrefix(ti.Type, tasks.TypeDocData) {
			t.Errorf("task %s in retry with last error %q", ti.ID, ti.LastErr)
		}
	}
	t.Logf("S3 down: %d checks failed and wait for their retry (first in %.0fs), e.g. %q",
		len(retry), time.Until(retry[0].NextProcessAt).Seconds(), retry[0].LastErr)
	after := s3Errors(t, workOps, c.MetricsToken)
	if after < before+float64(readsS3) {
		t.Errorf("kycq_storage_errors_total{backend=s3} %v → %v, want at least %d more", before, after, readsS3)
	}
	for _, id := range ids {
		v, err := c.Client.Get(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if v.Decision != nil {
			t.Errorf("%s decided while S3 was down: %s", id, v.Decision.Outcome)
		}
		for _, ch := range v.Checks {
			if ch.Failed {
				t.Errorf("%s: check %s recorded as failed during a short outage", id, ch.Check)
			}
		}
	}

	if err := gw.Start(); err != nil {
		t.Fatalf("restart versitygw: %v", err)
	}
	up := time.Now()
	t.Logf("S3 back after %.1fs", up.Sub(down).Seconds())
	decided := c.waitDecided(t, ids, 3*time.Minute)
	t.Logf("every verification decided %.1fs after S3 came back", time.Since(up).Seconds())
	rep := c.audit(t, ids, decided, nil)
	t.Logf("audit: %s", rep)
	for _, ti := range retry {
		info, err := c.Insp.GetTaskInfo(ti.Queue, ti.ID)
		if err != nil {
			t.Errorf("task %s: %v", ti.ID, err)
		} else if info.Retried < 1 {
			t.Errorf("task %s: retried %d; want completed on a retry", ti.ID, info.Retried)
		}
	}
}

// s3Errors is kycq_storage_errors_total{backend="s3"} of a process, summed
// over operations.
func s3Errors(t *testing.T, base, token string) float64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	s, err := ops.ScrapeMetrics(ctx, base+"/metrics", token)
	if err != nil {
		t.Fatalf("scrape %s: %v", base, err)
	}
	return s.Values("kycq_storage_errors_total", "backend")["s3"]
}
