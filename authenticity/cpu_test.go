package authenticity

import (
	"math"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/kycq/kycq/internal/threadcpu"
)

// cpuLoop runs op b.N times on a goroutine locked to its thread and
// reports the thread CPU time per op: cpu_ms (mean) and cpu_p50/p90/p99/
// max_ms. The rusage clock ticks in milliseconds or finer depending on the
// kernel, so single ops are timed in batches of batch ops.
func cpuLoop(b *testing.B, batch int, op func()) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var per []float64
	total := time.Duration(0)
	n := 0
	for b.Loop() {
		t0 := threadcpu.Now()
		for k := 0; k < batch; k++ {
			op()
		}
		d := threadcpu.Now() - t0
		total += d
		n += batch
		per = append(per, float64(d.Microseconds())/1000/float64(batch))
	}
	if n == 0 {
		return
	}
	slices.Sort(per)
	q := func(p float64) float64 { return per[max(0, int(math.Ceil(p*float64(len(per))))-1)] }
	b.ReportMetric(float64(total.Microseconds())/1000/float64(n), "cpu_ms")
	b.ReportMetric(q(0.5), "cpu_p50_ms")
	b.ReportMetric(q(0.9), "cpu_p90_ms")
	b.ReportMetric(q(0.99), "cpu_p99_ms")
	b.ReportMetric(q(1), "cpu_max_ms")
}
