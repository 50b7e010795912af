package app

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/hibiken/asynq"
)

func TestRetryDelay(t *testing.T) {
	task := asynq.NewTask("kycq:check:face_match", nil)
	for _, tc := range []struct {
		name     string
		n        int
		err      error
		min, max time.Duration
	}{
		{"worker died", 0, asynq.ErrLeaseExpired, time.Second, time.Second},
		{"worker died again", 3, asynq.ErrLeaseExpired, time.Second, time.Second},
		{"handler failed", 0, errors.New("s3: connection refused"), 15 * time.Second, 45 * time.Second},
		{"handler failed wrapping", 1, fmt.Errorf("get: %w", errors.New("timeout")), 16 * time.Second, 76 * time.Second},
	} {
		if d := retryDelay(tc.n, tc.err, task); d < tc.min || d > tc.max {
			t.Errorf("%s: retryDelay(%d) = %v, want %v..%v", tc.name, tc.n, d, tc.min, tc.max)
		}
	}
}
