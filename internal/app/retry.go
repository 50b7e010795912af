package app

import (
	"errors"
	"time"

	"github.com/hibiken/asynq"
)

// leaseRetryDelay is how soon a task whose worker died runs again once
// asynq has recovered it.
const leaseRetryDelay = time.Second

// retryDelay is the workers' asynq RetryDelayFunc. A task whose handler
// failed backs off as asynq does by default (15 s + n⁴ s + up to 30·(n+1) s
// of jitter), which gives a storage outage time to pass. A task whose
// worker died (killed, OOM, node lost) is different: nothing is wrong with
// it, and asynq's recoverer has already waited for its 30 s lease to
// expire plus 30 s of clock-skew margin, so it runs again at once instead
// of waiting another 15–45 s. internal/systest/faults' TestWorkerKilledMidCheck
// measured the redelivery after a SIGKILL at 80–106 s with the default and
// 66 s with this (the 60 s of lease and margin, then up to 5 s until
// asynq's forwarder moves the task back to pending).
func retryDelay(n int, err error, t *asynq.Task) time.Duration {
	if errors.Is(err, asynq.ErrLeaseExpired) {
		return leaseRetryDelay
	}
	return asynq.DefaultRetryDelayFunc(n, err, t)
}
