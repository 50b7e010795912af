package ops

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/kycq/kycq/internal/systest/harness"
	"github.com/kycq/kycq/internal/systest/testenv"
	"github.com/kycq/kycq/tasks"
)

// TestGracefulShutdownLetsChecksFinish sends SIGTERM to a `kycq work`
// process right after a face-match task went active, and checks that the
// process lets it finish: it exits 0 within KYCQ_SHUTDOWN_TIMEOUT, the
// face match logs its result after "workers stopping", asynq holds the
// task as completed and never retried, nothing is in retry or archived,
// and a second worker decides the verification without running the face
// match again.
//
// To be sure SIGTERM lands while the check runs, the worker's ffmpeg
// (KYCQ_FFMPEG) is a wrapper that waits 3 s before decoding the selfie
// video: a slow check, as on a loaded node.
func TestGracefulShutdownLetsChecksFinish(t *testing.T) {
	t.Parallel()
	files := sampleFiles(t)
	ffmpeg, err := exec.LookPath("ffmpeg")
	if err != nil {
		testenv.Unavailable(t, "ffmpeg (scripts/setup.d installs it)", err)
	}
	slow := filepath.Join(t.TempDir(), "slow-ffmpeg")
	script := "#!/bin/sh\ncase \" $* \" in *\" -version \"*) ;; *) sleep 3 ;; esac\nexec " + strconv.Quote(ffmpeg) + " \"$@\"\n"
	if err := os.WriteFile(slow, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	const shutdownTimeout = 30 * time.Second
	env := harness.RealEnv(t)
	env["KYCQ_FFMPEG"] = slow
	env["KYCQ_SHUTDOWN_TIMEOUT"] = shutdownTimeout.String()
	c := startCluster(t, env, true)
	db, _ := strconv.Atoi(env["REDIS_DB"])
	insp := asynq.NewInspector(asynq.RedisClientOpt{Addr: env["REDIS_ADDR"], DB: db})
	defer insp.Close()

	id := c.apply(t, newPerson(81, "acct-stop-1", "BARNABY QUELLENHOF", "1972-09-04"), files)
	faceTask := tasks.ID(tasks.TypeFaceMatch, tasks.Verification{VerificationID: id})

	deadline := time.Now().Add(time.Minute)
	for !active(t, insp, tasks.QueueChecks, faceTask) {
		if time.Now().After(deadline) {
			t.Fatalf("face match %s never went active", faceTask)
		}
		time.Sleep(10 * time.Millisecond)
	}
	stop := time.Now()
	if err := c.Work.Stop(shutdownTimeout + 15*time.Second); err != nil {
		t.Fatalf("kycq work after SIGTERM: %v, want exit status 0", err)
	}
	took := time.Since(stop)
	t.Logf("kycq work exited 0, %.1fs after SIGTERM", took.Seconds())
	if took > shutdownTimeout {
		t.Errorf("kycq work took %v to stop, more than KYCQ_SHUTDOWN_TIMEOUT %v", took, shutdownTimeout)
	}

	// The face match finished during the shutdown.
	stopping, faceDone, stopped := -1, -1, -1
	for i, l := range strings.Split(c.Work.Logs.String(), "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(l), &m) != nil {
			continue
		}
		switch {
		case m["msg"] == "workers stopping" && stopping < 0:
			stopping = i
		case m["msg"] == "check done" && m["verification_id"] == id && m["check"] == tasks.CheckFaceMatch:
			faceDone = i
		case m["msg"] == "workers stopped":
			stopped = i
		}
	}
	if stopping < 0 || faceDone < stopping || stopped < faceDone {
		t.Fatalf("log lines: \"workers stopping\" %d, face match result %d, \"workers stopped\" %d: want them in this order\n%s",
			stopping, faceDone, stopped, c.Work.Logs.String())
	}
	info, err := insp.GetTaskInfo(tasks.QueueChecks, faceTask)
	if err != nil {
		t.Fatalf("face match task: %v", err)
	}
	if info.State != asynq.TaskStateCompleted || info.Retried != 0 || info.LastErr != "" {
		t.Errorf("face match task: state %v, retried %d, last error %q; want completed on the first run", info.State, info.Retried, info.LastErr)
	}
	for _, q := range []string{tasks.QueueChecks, tasks.QueueCritical} {
		retry, err1 := insp.ListRetryTasks(q)
		archived, err2 := insp.ListArchivedTasks(q)
		if err := errors.Join(err1, err2); err != nil && !errors.Is(err, asynq.ErrQueueNotFound) {
			t.Fatal(err)
		}
		if len(retry)+len(archived) != 0 {
			t.Errorf("%s: %d tasks to retry, %d archived after a graceful stop", q, len(retry), len(archived))
		}
	}

	// A new worker decides; the face match is not run again.
	env2 := env.Clone(harness.Env{"KYCQ_METRICS_ADDR": harness.FreeAddr(t), "KYCQ_FFMPEG": ffmpeg})
	w2 := c.startWork(t, env2)
	v := c.waitDecision(t, id, 2*time.Minute)
	t.Logf("decided by the second worker: %s", v.Decision.Outcome)
	if strings.Contains(w2.Logs.String(), `"check":"face_match"`) {
		t.Error("the second worker ran the face match again")
	}
}

func active(t *testing.T, insp *asynq.Inspector, queue, taskID string) bool {
	t.Helper()
	list, err := insp.ListActiveTasks(queue)
	if err != nil && !errors.Is(err, asynq.ErrQueueNotFound) {
		t.Fatal(err)
	}
	for _, ti := range list {
		if ti.ID == taskID {
			return true
		}
	}
	return false
}
