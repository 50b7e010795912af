//go:build !linux

package threadcpu

import "time"

// Now returns 0 where the thread's CPU time cannot be read (not Linux).
func Now() time.Duration { return 0 }
