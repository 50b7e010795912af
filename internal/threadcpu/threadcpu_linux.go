package threadcpu

import (
	"syscall"
	"time"
)

// Now returns the CPU time (user + system) the calling OS thread has used.
func Now() time.Duration {
	var ru syscall.Rusage
	const rusageThread = 1 // RUSAGE_THREAD
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
