package threadcpu

import (
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// Supported says whether Now reads the thread's CPU time here.
const Supported = true

// Now returns the CPU time the calling OS thread has used, from
// clock_gettime(CLOCK_THREAD_CPUTIME_ID): the scheduler's own count, in
// nanoseconds. getrusage(RUSAGE_THREAD) (Rusage) splits the same time by
// timer ticks, so that one interval of a few milliseconds can read a
// tick (4 ms on the development machine) off.
func Now() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		return 0
	}
	return time.Duration(ts.Nano())
}

// Rusage returns the CPU time (user + system) the calling OS thread has
// used as getrusage(RUSAGE_THREAD) reports it: the clock the benchmarks
// read before Now's, kept to compare the two.
func Rusage() time.Duration {
	var ru syscall.Rusage
	const rusageThread = 1 // RUSAGE_THREAD
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
