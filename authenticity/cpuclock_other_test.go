//go:build !linux

package authenticity

import (
	"time"

	"github.com/kycq/kycq/internal/threadcpu"
)

// threadCPU is threadcpu.Now where clock_gettime's thread clock is not
// read (not Linux).
func threadCPU() time.Duration { return threadcpu.Now() }
