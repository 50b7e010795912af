package app

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/kycq/kycq/internal/systest/testenv"
	"github.com/kycq/kycq/tasks"
)

// TestSchedulerShowsPeriodicWork: the worker's scheduler registers the
// sweep and retention in Redis, where Asynqmon's Schedulers page (the
// inspector's SchedulerEntries) lists them with their schedules, and
// enqueues a sweep at start. Two workers starting together enqueue one
// sweep: the uniqueness lock refuses the second copy while the first is
// pending, so the sweep runs one at a time across workers.
func TestSchedulerShowsPeriodicWork(t *testing.T) {
	defer func(d time.Duration) { schedulerHeartbeat = d }(schedulerHeartbeat)
	schedulerHeartbeat = 100 * time.Millisecond
	addr, db := testenv.RedisDB(t)
	redis := asynq.RedisClientOpt{Addr: addr, DB: db}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var apps []*App
	for range 2 {
		a := &App{Redis: redis, Client: asynq.NewClient(redis), Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
		defer a.Client.Close()
		apps = append(apps, a)
	}
	for _, a := range apps {
		s, err := a.startScheduler(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Shutdown()
	}
	insp := asynq.NewInspector(redis)
	defer insp.Close()

	// The scheduler writes its entries with its first heartbeat.
	var entries []*asynq.SchedulerEntry
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		var err error
		if entries, err = insp.SchedulerEntries(); err != nil {
			t.Fatal(err)
		}
		if len(entries) == 4 {
			break
		}
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Task.Type()+" "+e.Spec)
	}
	slices.Sort(got)
	want := []string{
		tasks.TypeRetention + " " + tasks.RetentionSchedule, tasks.TypeRetention + " " + tasks.RetentionSchedule,
		tasks.TypeSweep + " " + tasks.SweepSchedule, tasks.TypeSweep + " " + tasks.SweepSchedule,
	}
	if !slices.Equal(got, want) {
		t.Fatalf("scheduler entries %q; want %q (two workers, two entries each)", got, want)
	}

	pending, err := insp.ListPendingTasks(tasks.QueueMaintenance)
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) != 1 || pending[0].Type != tasks.TypeSweep {
		var types []string
		for _, p := range pending {
			types = append(types, p.Type)
		}
		t.Fatalf("pending maintenance tasks %q after two starts; want one sweep", types)
	}
	// What the scheduler enqueues is refused while that copy waits.
	sweep, err := tasks.NewPeriodicSweep()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := apps[0].Client.Enqueue(sweep); !errors.Is(err, asynq.ErrDuplicateTask) {
		t.Errorf("a second sweep while one is pending: %v; want ErrDuplicateTask", err)
	}
	retention, err := tasks.NewPeriodicRetention()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := apps[0].Client.Enqueue(retention); err != nil {
		t.Errorf("retention: %v", err)
	}
	if _, err := apps[1].Client.Enqueue(retention); !errors.Is(err, asynq.ErrDuplicateTask) {
		t.Errorf("a second retention while one is pending: %v; want ErrDuplicateTask", err)
	}
}
