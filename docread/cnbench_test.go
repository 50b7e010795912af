package docread

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time (user + system) of the whole process:
// beside a thread's own time it counts what helper threads (a library's
// OpenMP pool, the garbage collector) spend for it.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
