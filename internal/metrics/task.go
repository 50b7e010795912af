package metrics

import (
	"context"
	"errors"
	"time"

	"github.com/hibiken/asynq"

	"github.com/kycq/kycq/tasks"
)

// TaskMiddleware returns asynq middleware that records every task a
// handler runs in kycq_tasks_total and kycq_task_duration_seconds, and each
// successful decision task in kycq_check_duration_seconds{check="decision"}
// (the check handlers observe their own families). Install it on the
// worker's ServeMux with Use.
func (m *Metrics) TaskMiddleware() asynq.MiddlewareFunc {
	return func(next asynq.Handler) asynq.Handler {
		return asynq.HandlerFunc(func(ctx context.Context, t *asynq.Task) (err error) {
			start := time.Now()
			defer func() {
				if p := recover(); p != nil {
					// asynq turns a panic into a failure; count it as one.
					m.ObserveTask(t.Type(), TaskResult(ctx, errors.New("panic")), time.Since(start))
					panic(p)
				}
				d := time.Since(start)
				res := TaskResult(ctx, err)
				m.ObserveTask(t.Type(), res, d)
				if t.Type() == tasks.TypeDecide && res == TaskSuccess {
					m.ObserveCheck(CheckDecision, d)
				}
			}()
			return next.ProcessTask(ctx, t)
		})
	}
}

// TaskResult says what asynq does with a task whose handler returned err,
// given the task's context: TaskSuccess for nil, TaskRevoked for
// asynq.RevokeTask, TaskArchived for asynq.SkipRetry or when the retries are
// used up, and TaskRetry otherwise.
func TaskResult(ctx context.Context, err error) string {
	switch {
	case err == nil:
		return TaskSuccess
	case errors.Is(err, asynq.RevokeTask):
		return TaskRevoked
	case errors.Is(err, asynq.SkipRetry):
		return TaskArchived
	}
	retried, ok1 := asynq.GetRetryCount(ctx)
	max, ok2 := asynq.GetMaxRetry(ctx)
	if ok1 && ok2 && retried >= max {
		return TaskArchived
	}
	return TaskRetry
}
