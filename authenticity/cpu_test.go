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
// max_ms, from the thread's nanosecond clock (threadcpu.Now); ops can still be
// timed in batches of batch ops. wall_ms is the mean wall time per op (to
// compare with cpu_ms on a quiet machine) and rusage_ms the mean by
// getrusage(RUSAGE_THREAD), the clock these benchmarks read before.
//
// The process's first op is cold (its pooled buffers allocated and their
// pages touched for the first time: about twice a warm op on the machines
// measured), a cost a worker pays once at start, not per photo. cpuLoop runs one batch before the timed loop and reports its
// time apart as cpu_first_ms; the percentiles are over the timed ops.
func cpuLoop(b *testing.B, batch int, op func()) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	t0 := threadcpu.Now()
	for k := 0; k < batch; k++ {
		op()
	}
	first := float64((threadcpu.Now() - t0).Microseconds()) / 1000 / float64(batch)
	var per []float64
	total, wall, rus := time.Duration(0), time.Duration(0), time.Duration(0)
	n := 0
	for b.Loop() {
		w0 := time.Now()
		r0 := threadcpu.Rusage()
		t0 := threadcpu.Now()
		for k := 0; k < batch; k++ {
			op()
		}
		d := threadcpu.Now() - t0
		rus += threadcpu.Rusage() - r0
		wall += time.Since(w0)
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
	b.ReportMetric(float64(wall.Microseconds())/1000/float64(n), "wall_ms")
	b.ReportMetric(float64(rus.Microseconds())/1000/float64(n), "rusage_ms")
	b.ReportMetric(q(0.5), "cpu_p50_ms")
	b.ReportMetric(q(0.9), "cpu_p90_ms")
	b.ReportMetric(q(0.99), "cpu_p99_ms")
	b.ReportMetric(q(1), "cpu_max_ms")
	b.ReportMetric(first, "cpu_first_ms")
}
