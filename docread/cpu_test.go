package docread

import (
	"runtime"
	"syscall"
	"testing"
	"time"
)

// threadCPU returns the CPU time (user + system) of the calling OS
// thread: on a loaded machine it measures the work of one core where
// wall time measures the queue. Callers lock the goroutine to its thread.
func threadCPU() time.Duration {
	var ru syscall.Rusage
	const rusageThread = 1 // RUSAGE_THREAD
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// cpuMeter accumulates the thread CPU time of benchmark operations.
type cpuMeter struct {
	start time.Duration
	ops   []time.Duration
}

func newCPUMeter() *cpuMeter {
	runtime.LockOSThread()
	return &cpuMeter{}
}

func (m *cpuMeter) begin() { m.start = threadCPU() }
func (m *cpuMeter) end()   { m.ops = append(m.ops, threadCPU()-m.start) }

// report adds cpu_ms (mean per op) and its percentiles, then unlocks the
// thread.
func (m *cpuMeter) report(b *testing.B) {
	defer runtime.UnlockOSThread()
	if len(m.ops) == 0 {
		return
	}
	var sum time.Duration
	for _, d := range m.ops {
		sum += d
	}
	b.ReportMetric(float64(sum.Microseconds())/1000/float64(len(m.ops)), "cpu_ms/op")
	percentiles(b, m.ops, "cpu_")
}
