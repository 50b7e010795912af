package authenticity

import (
	"syscall"
	"time"
	"unsafe"
)

// threadCPU returns the calling thread's CPU time from
// clock_gettime(CLOCK_THREAD_CPUTIME_ID): the scheduler's own count in
// nanoseconds, where getrusage(RUSAGE_THREAD) (threadcpu.Now) splits it
// by ticks and can lag behind it by a tick or more on this kernel.
func threadCPU() time.Duration {
	const clockThreadCPUTimeID = 3
	var ts syscall.Timespec
	if _, _, e := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTimeID, uintptr(unsafe.Pointer(&ts)), 0); e != 0 {
		return 0
	}
	return time.Duration(ts.Nano())
}
