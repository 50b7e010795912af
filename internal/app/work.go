package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/kycq/kycq/api"
	"github.com/kycq/kycq/internal/metrics"

	"github.com/hibiken/asynq"

	"github.com/kycq/kycq/tasks"
	"github.com/kycq/kycq/workers"
)

// Work runs the task workers until ctx is done, then stops taking tasks and
// lets running ones finish for up to ShutdownTimeout. Tasks still running
// then are left to asynq's lease and are redelivered to another worker.
func (a *App) Work(ctx context.Context, checks workers.Checks) error {
	if err := a.openMetrics(); err != nil {
		return err
	}
	faces, err := a.loadKnownFaces(ctx)
	if err != nil {
		if ctx.Err() != nil {
			// Stopped while starting: no task was taken, so there is
			// nothing to finish, and a stop is not a failure.
			a.Log.Info("workers stopped before starting")
			return nil
		}
		return err
	}
	h := workers.New(workers.Deps{
		State: a.State, Blobs: a.Blobs, Keys: a.Keys, Checks: checks,
		Enqueuer: a.Client, Inspector: a.Inspector, Observer: a.Metrics, Log: a.Log,
		Policy: workers.Policy{RejectionWindow: a.Config.RejectionWindow, Retention: a.Config.Retention,
			StallAfter: 5 * time.Minute, MaxSelfieBytes: a.Config.MaxVideoBytes},
		KnownFaces: faces,
	})
	srv := asynq.NewServer(a.Redis, asynq.Config{
		Concurrency:     a.Config.Concurrency,
		Queues:          tasks.Queues(),
		ShutdownTimeout: a.Config.ShutdownTimeout,
		RetryDelayFunc:  retryDelay,
		Logger:          asynqLogger{a.Log.With("component", "asynq")},
		LogLevel:        asynq.WarnLevel,
		ErrorHandler: asynq.ErrorHandlerFunc(func(ctx context.Context, t *asynq.Task, err error) {
			id, _ := asynq.GetTaskID(ctx)
			retried, _ := asynq.GetRetryCount(ctx)
			a.Log.WarnContext(ctx, "task failed", "task_type", t.Type(), "task_id", id, "retried", retried, "error", err.Error())
		}),
	})
	mux := h.Mux()
	mux.Use(a.Metrics.TaskMiddleware())
	if err := srv.Start(mux); err != nil {
		return fmt.Errorf("workers: %v", err)
	}
	stopWebhooks, err := a.startWebhooks(ctx)
	if err != nil {
		srv.Shutdown()
		return err
	}
	defer stopWebhooks()
	a.Log.Info("workers started", "concurrency", a.Config.Concurrency)
	sched, err := a.startScheduler(ctx)
	if err != nil {
		srv.Shutdown()
		return err
	}
	<-ctx.Done()
	sched.Shutdown()
	a.Log.Info("workers stopping", "shutdown_timeout", a.Config.ShutdownTimeout.String())
	start := time.Now()
	srv.Shutdown()
	a.Log.Info("workers stopped", "took_seconds", time.Since(start).Seconds())
	return nil
}

// schedulerHeartbeat is how often the scheduler writes its entries to
// Redis for Asynqmon (asynq's default).
var schedulerHeartbeat = 10 * time.Second

// startScheduler starts asynq's Scheduler with the periodic maintenance
// tasks (tasks.PeriodicTasks: the sweep every minute, retention every
// hour), where Asynqmon's Schedulers page shows them, and enqueues a sweep
// at once so that work left over from before the start is picked up
// without waiting for the next minute. Every worker process runs one; the
// tasks' uniqueness lock lets one copy run at a time across them.
func (a *App) startScheduler(ctx context.Context) (*asynq.Scheduler, error) {
	periodic, err := tasks.PeriodicTasks()
	if err != nil {
		return nil, err
	}
	log := a.Log.With("component", "scheduler")
	enqueued := func(info *asynq.TaskInfo, err error) {
		if err != nil && !errors.Is(err, asynq.ErrDuplicateTask) && ctx.Err() == nil {
			log.Warn("periodic enqueue", "error", err.Error())
		}
	}
	s := asynq.NewScheduler(a.Redis, &asynq.SchedulerOpts{
		Location:          time.UTC,
		HeartbeatInterval: schedulerHeartbeat,
		Logger:            asynqLogger{log},
		LogLevel:          asynq.WarnLevel,
		PostEnqueueFunc:   enqueued,
	})
	for _, p := range periodic {
		if _, err := s.Register(p.Schedule, p.Task); err != nil {
			return nil, fmt.Errorf("scheduler: %s: %v", p.Task.Type(), err)
		}
	}
	if err := s.Start(); err != nil {
		return nil, fmt.Errorf("scheduler: %v", err)
	}
	sweep, err := tasks.NewPeriodicSweep()
	if err == nil {
		_, err = a.Client.EnqueueContext(ctx, sweep)
	}
	enqueued(nil, err)
	return s, nil
}

// asynqLogger routes asynq's own logs to slog.
type asynqLogger struct{ l *slog.Logger }

func (l asynqLogger) Debug(args ...any) { l.l.Debug(fmt.Sprint(args...)) }
func (l asynqLogger) Info(args ...any)  { l.l.Info(fmt.Sprint(args...)) }
func (l asynqLogger) Warn(args ...any)  { l.l.Warn(fmt.Sprint(args...)) }
func (l asynqLogger) Error(args ...any) { l.l.Error(fmt.Sprint(args...)) }
func (l asynqLogger) Fatal(args ...any) { l.l.Error(fmt.Sprint(args...)); os.Exit(1) }

// OpsHandler serves what a worker process shows operators: /metrics (behind
// the metrics token), /healthz and /readyz. kycq work listens with it on
// KYCQ_METRICS_ADDR; kycq serve and run mount the same routes in Handler.
func (a *App) OpsHandler() (http.Handler, error) {
	if err := a.openMetrics(); err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	a.mountOps(mux)
	return mux, nil
}

// mountOps mounts /metrics, /healthz and /readyz on mux.
func (a *App) mountOps(mux interface{ Handle(string, http.Handler) }) {
	deny := func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusUnauthorized, "unauthorized", "a valid bearer token is required")
	}
	mux.Handle("GET /metrics", api.RequireToken(a.metricsToken(), metrics.Handler(a.Registry), deny))
	mux.Handle("GET /healthz", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	}))
	mux.Handle("GET /readyz", http.HandlerFunc(a.ready))
}
