package faults

import (
	"fmt"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/kycq/kycq/api"
	"github.com/kycq/kycq/internal/systest/harness"
	"github.com/kycq/kycq/tasks"
)

// TestDuplicateDelivery delivers every task of a verification a second
// time, end to end: a copy of each check, of the decision and of the
// occupancy follow-up is put into the queues under another TaskID (which
// asynq's deduplication cannot catch — the state it must survive when a
// task is redelivered after its worker died, or enqueued again by the
// sweeper), with two workers taking them:
//   - for two verifications already decided, the copies change nothing:
//     the same decision, decision time and check results as before;
//   - for a third, copies of its checks and decision are enqueued right
//     after its submission and race the originals: it is decided once and
//     approved (a decision copy that runs before every result is in
//     decides nothing and ends without error);
//   - every copy ran to completion without error.
func TestDuplicateDelivery(t *testing.T) {
	t.Parallel()
	c := newCluster(t, harness.RealEnv(t))
	c.startWorker(t, nil)
	c.startWorker(t, nil)
	done := c.apply(t, "dup-done", 2)
	before := c.waitDecided(t, done, 2*time.Minute)

	db, _ := strconv.Atoi(c.Env["REDIS_DB"])
	cl := asynq.NewClient(asynq.RedisClientOpt{Addr: c.Env["REDIS_ADDR"], DB: db})
	defer cl.Close()
	var copies []*asynq.TaskInfo
	enqueueCopies := func(id string, v *api.VerificationResponse, occupancy bool) {
		var ts []*asynq.Task
		for _, check := range checkNames(v) {
			task, err := tasks.ForCheck(id, check)
			if err != nil {
				t.Fatal(err)
			}
			ts = append(ts, task)
		}
		d, err := tasks.NewDecide(id)
		if err != nil {
			t.Fatal(err)
		}
		ts = append(ts, d)
		if occupancy {
			o, err := tasks.NewOccupancy(id)
			if err != nil {
				t.Fatal(err)
			}
			ts = append(ts, o)
		}
		for i, task := range ts {
			info, err := cl.Enqueue(task, asynq.TaskID(fmt.Sprintf("copy-%d-%s", i, id)), asynq.Retention(time.Hour))
			if err != nil {
				t.Fatalf("enqueue a copy of %s: %v", task.Type(), err)
			}
			copies = append(copies, info)
		}
	}
	for _, id := range done {
		enqueueCopies(id, before[id], true)
	}
	racing := c.apply(t, "dup-race", 1)
	v, err := c.Client.Get(t.Context(), racing[0])
	if err != nil {
		t.Fatal(err)
	}
	// No occupancy copy here: kycq enqueues that follow-up only after the
	// decision, so no copy of it can exist before; one enqueued by hand
	// waits for the decision by retrying, by design.
	enqueueCopies(racing[0], v, false)

	ids := append(done, racing...)
	waitUntil(t, 2*time.Minute, "every copy to complete", func() (bool, string) {
		for _, cp := range copies {
			info, err := c.Insp.GetTaskInfo(cp.Queue, cp.ID)
			if err != nil {
				return false, err.Error()
			}
			if info.State != asynq.TaskStateCompleted {
				return false, fmt.Sprintf("%s: %s %q", cp.ID, info.State, info.LastErr)
			}
		}
		return true, ""
	})
	for _, cp := range copies {
		info, _ := c.Insp.GetTaskInfo(cp.Queue, cp.ID)
		if info.Retried != 0 {
			t.Errorf("copy %s needed %d retries (last error %q)", cp.ID, info.Retried, info.LastErr)
		}
	}
	after := c.waitDecided(t, ids, 2*time.Minute)
	for _, id := range done {
		b, a := before[id], after[id]
		if a.Decision.Outcome != b.Decision.Outcome || !a.DecidedAt.Equal(*b.DecidedAt) ||
			!reflect.DeepEqual(a.Checks, b.Checks) || !reflect.DeepEqual(a.Decision.Reasons, b.Decision.Reasons) {
			t.Errorf("%s changed after its tasks ran again:\nbefore %+v %v\nafter  %+v %v", id, b.Decision, b.Checks, a.Decision, a.Checks)
		}
	}
	rep := c.audit(t, ids, after, nil)
	t.Logf("%d copies ran to completion; audit: %s", len(copies), rep)
}

// checkNames lists the checks a verification expects (its results plus
// those still pending), each one a check task makes: every per-slot
// document read ("doc_read:doc_front") is among them, but not the bare
// "doc_read" result, the comparison of the reads with the typed info,
// which the decision task stores (its copy is enqueued as well).
func checkNames(v *api.VerificationResponse) []string {
	var out []string
	for _, c := range v.Checks {
		if c.Check == tasks.CheckDocRead {
			continue
		}
		out = append(out, c.Check)
	}
	return append(out, v.Pending...)
}
