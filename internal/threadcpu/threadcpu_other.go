//go:build !linux

package threadcpu

import "time"

// Supported says whether Now reads the thread's CPU time here.
const Supported = false

// Now returns 0 where the thread's CPU time cannot be read (not Linux).
func Now() time.Duration { return 0 }

// Rusage returns 0 where the thread's CPU time cannot be read (not Linux).
func Rusage() time.Duration { return 0 }
