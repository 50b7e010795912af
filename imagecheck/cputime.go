package imagecheck

import (
	"time"

	"github.com/kycq/kycq/internal/threadcpu"
)

// threadCPU is the CPU time the calling OS thread has used, to the
// nanosecond, and whether the platform measures it (Linux); elsewhere the
// stage budgets hold the wall times. Check locks its goroutine to its
// thread so that differences of it are the check's own work.
func threadCPU() (time.Duration, bool) {
	return threadcpu.Now(), threadcpu.Supported
}
