package docread

import (
	"runtime"
	"testing"
	"time"

	"github.com/kycq/kycq/internal/threadcpu"
)

// cpuMeter accumulates the thread CPU time of benchmark operations.
type cpuMeter struct {
	start time.Duration
	ops   []time.Duration
}

func newCPUMeter() *cpuMeter {
	runtime.LockOSThread()
	return &cpuMeter{}
}

func (m *cpuMeter) begin() { m.start = threadcpu.Now() }
func (m *cpuMeter) end()   { m.ops = append(m.ops, threadcpu.Now()-m.start) }

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
