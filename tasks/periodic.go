package tasks

import (
	"encoding/json"
	"time"

	"github.com/hibiken/asynq"
)

// Periodic is a maintenance task that asynq's Scheduler enqueues on a cron
// schedule (UTC). Every worker process runs a scheduler with the same
// entries, so operators find them on Asynqmon's Schedulers page.
//
// The tasks carry a uniqueness lock (asynq.Unique) instead of a TaskID:
// while one copy is pending or running, the copies the other workers'
// schedulers enqueue at the same tick are refused, so the work runs one
// at a time across workers. The lock is released when the run succeeds
// and expires after a window over the task's timeout (2 minutes for the
// sweep, 10 for retention), so that a failed run (archived: these tasks
// are not retried, e.g. after its worker was killed) holds back one or two
// ticks at most.
type Periodic struct {
	Schedule string // cron specification, e.g. "* * * * *"
	Task     *asynq.Task
}

// Schedules of the periodic maintenance tasks.
const (
	SweepSchedule     = "* * * * *" // every minute
	RetentionSchedule = "0 * * * *" // every hour, on the hour
)

// PeriodicTasks returns the sweep (every minute) and retention (every
// hour) as the scheduler enqueues them.
func PeriodicTasks() ([]Periodic, error) {
	sweep, err := NewPeriodicSweep()
	if err != nil {
		return nil, err
	}
	retention, err := NewPeriodicRetention()
	if err != nil {
		return nil, err
	}
	return []Periodic{
		{Schedule: SweepSchedule, Task: sweep},
		{Schedule: RetentionSchedule, Task: retention},
	}, nil
}

// Uniqueness windows: over each task's timeout (1 and 5 minutes).
const (
	sweepUnique     = 2 * time.Minute
	retentionUnique = 10 * time.Minute
)

// NewPeriodicSweep returns the sweep as the scheduler enqueues it: no
// TaskID, a uniqueness lock, the same queue, retries and timeout as
// NewSweep.
func NewPeriodicSweep() (*asynq.Task, error) {
	return newPeriodic(TypeSweep, time.Minute, sweepUnique)
}

// NewPeriodicRetention returns retention as the scheduler enqueues it.
func NewPeriodicRetention() (*asynq.Task, error) {
	return newPeriodic(TypeRetention, 5*time.Minute, retentionUnique)
}

func newPeriodic(typ string, timeout, unique time.Duration) (*asynq.Task, error) {
	b, err := json.Marshal(Maintenance{V: PayloadVersion})
	if err != nil {
		return nil, err
	}
	return asynq.NewTask(typ, b, asynq.Queue(QueueMaintenance), asynq.MaxRetry(0), asynq.Timeout(timeout),
		asynq.Unique(unique), asynq.Retention(time.Hour)), nil
}
