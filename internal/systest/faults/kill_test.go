package faults

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/kycq/kycq/internal/systest/harness"
	"github.com/kycq/kycq/tasks"
)

// TestWorkerKilledMidCheck kills `kycq work` with SIGKILL while face
// matches run, starts another worker, and checks that nothing is lost:
// the tasks the dead worker held are redelivered once their asynq lease
// expires, every verification is decided exactly once and approved, and
// the dead worker never logged those checks' results. It logs how long
// redelivery took (docs/load.md quotes it).
//
// The face matches are made slow (ffmpeg waits 5 s before decoding) so
// the kill lands while they are active.
func TestWorkerKilledMidCheck(t *testing.T) {
	t.Parallel()
	slow, ffmpeg := slowFFmpeg(t, 5*time.Second)
	c := newCluster(t, harness.RealEnv(t))
	first := c.startWorker(t, harness.Env{"KYCQ_FFMPEG": slow, "KYCQ_CONCURRENCY": "4"})
	ids := c.apply(t, "kill", 3)

	// Kill the worker once two face matches are running.
	faces := map[string]string{}
	for _, id := range ids {
		faces[tasks.ID(tasks.TypeFaceMatch, tasks.Verification{VerificationID: id})] = id
	}
	waitUntil(t, time.Minute, "two face matches active", func() (bool, string) {
		n := 0
		for _, ti := range activeTasks(t, c.Insp, tasks.QueueChecks) {
			if faces[ti.ID] != "" {
				n++
			}
		}
		return n >= 2, fmt.Sprintf("%d active", n)
	})
	c.kill(first)
	killedAt := time.Now()
	var orphans []*asynq.TaskInfo
	for _, q := range []string{tasks.QueueChecks, tasks.QueueCritical} {
		orphans = append(orphans, activeTasks(t, c.Insp, q)...)
	}
	if len(orphans) == 0 {
		t.Fatal("no task was active when the worker was killed")
	}
	t.Logf("killed kycq work with SIGKILL; %d tasks were active in it", len(orphans))

	// Follow each orphan's way back while a new worker runs.
	tr := trackOrphans(c.Insp, orphans, killedAt)
	defer tr.stop()
	c.startWorker(t, harness.Env{"KYCQ_FFMPEG": ffmpeg})
	decided := c.waitDecided(t, ids, 4*time.Minute)
	rep := c.audit(t, ids, decided, nil)
	tr.stop()
	t.Logf("audit: %s", rep)

	dead := first.Logs.String()
	for _, o := range orphans {
		ev := tr.events(o.ID)
		t.Logf("task %s: %s", o.ID, ev)
		info, err := c.Insp.GetTaskInfo(o.Queue, o.ID)
		if err != nil {
			t.Errorf("task %s after the run: %v", o.ID, err)
			continue
		}
		if info.State != asynq.TaskStateCompleted || info.Retried < 1 || !strings.Contains(info.LastErr, "lease expired") {
			t.Errorf("task %s: state %s, retried %d, last error %q; want completed after a redelivery for its expired lease",
				o.ID, info.State, info.Retried, info.LastErr)
		}
		if id := faces[o.ID]; id != "" && strings.Contains(dead, `"verification_id":"`+id+`","check":"face_match"`) {
			t.Errorf("the killed worker logged the face match of %s", id)
		}
	}
}

// activeTasks lists the active tasks of a queue (none when the queue does
// not exist yet).
// waitFaceMatches waits (up to a minute) until at least n face-match
// tasks run at once: the moment to inject a fault into work in progress.
func waitFaceMatches(t *testing.T, c *cluster, n int) {
	t.Helper()
	waitUntil(t, time.Minute, fmt.Sprintf("%d face matches active", n), func() (bool, string) {
		active := 0
		for _, ti := range activeTasks(t, c.Insp, tasks.QueueChecks) {
			if ti.Type == tasks.TypeFaceMatch {
				active++
			}
		}
		return active >= n, fmt.Sprintf("%d active", active)
	})
}

func activeTasks(t *testing.T, insp *asynq.Inspector, queue string) []*asynq.TaskInfo {
	t.Helper()
	list, err := insp.ListActiveTasks(queue)
	if err != nil && !errors.Is(err, asynq.ErrQueueNotFound) {
		t.Fatalf("active tasks of %s: %v", queue, err)
	}
	return list
}

// retriedTasks lists the completed tasks of the checks and critical queues
// that needed more than one run.
func retriedTasks(t *testing.T, c *cluster) []*asynq.TaskInfo {
	t.Helper()
	var out []*asynq.TaskInfo
	for _, q := range []string{tasks.QueueChecks, tasks.QueueCritical} {
		list, err := c.Insp.ListCompletedTasks(q, asynq.PageSize(1000))
		if err != nil && !errors.Is(err, asynq.ErrQueueNotFound) {
			t.Fatalf("completed tasks of %s: %v", q, err)
		}
		for _, ti := range list {
			if ti.Retried > 0 {
				out = append(out, ti)
			}
		}
	}
	return out
}

// waitUntil polls cond every 100 ms until it holds, failing the test with
// cond's last explanation after within.
func waitUntil(t *testing.T, within time.Duration, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		ok, why := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s: gave up after %v; last: %s", what, within, why)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// orphanTracker polls the state of the tasks a dead worker held and
// records when each changed state, relative to the kill.
type orphanTracker struct {
	mu     sync.Mutex
	seen   map[string][]string
	last   map[string]asynq.TaskState
	done   chan struct{}
	once   sync.Once
	finish chan struct{}
}

func trackOrphans(insp *asynq.Inspector, orphans []*asynq.TaskInfo, since time.Time) *orphanTracker {
	tr := &orphanTracker{seen: map[string][]string{}, last: map[string]asynq.TaskState{},
		done: make(chan struct{}), finish: make(chan struct{})}
	for _, o := range orphans {
		tr.last[o.ID] = asynq.TaskStateActive
	}
	go func() {
		defer close(tr.finish)
		for {
			for _, o := range orphans {
				info, err := insp.GetTaskInfo(o.Queue, o.ID)
				if err != nil {
					continue
				}
				tr.mu.Lock()
				if info.State != tr.last[o.ID] {
					tr.last[o.ID] = info.State
					tr.seen[o.ID] = append(tr.seen[o.ID], fmt.Sprintf("%s at +%.1fs", info.State, time.Since(since).Seconds()))
				}
				tr.mu.Unlock()
			}
			select {
			case <-tr.done:
				return
			case <-time.After(200 * time.Millisecond):
			}
		}
	}()
	return tr
}

func (tr *orphanTracker) stop() {
	tr.once.Do(func() { close(tr.done) })
	<-tr.finish
}

// events says how a task came back: "retry at +61.2s, pending at +62.3s,
// active at +62.4s, completed at +70.1s" (a state held for less than a
// poll may be missing).
func (tr *orphanTracker) events(id string) string {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	if len(tr.seen[id]) == 0 {
		return "still active (never recovered)"
	}
	return strings.Join(tr.seen[id], ", ")
}
