package docread

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/kycq/kycq/imagecheck"
	"github.com/kycq/kycq/internal/threadcpu"
	"github.com/kycq/kycq/kyc"
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

// benchReadBeyondDecode reads photos in turn (as side, with the mainland
// hint), has check vet each reading, and reports the thread CPU of each
// read less a decode of the same photo at the work size (measured apart),
// as beyond_decode_cpu_ percentiles, with cpu_ms.
func benchReadBeyondDecode(b *testing.B, photos [][]byte, side imagecheck.Side, check func(k int, d kyc.DocumentRead)) {
	b.Helper()
	r, err := New(Options{Budget: time.Minute})
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	// The process's first read is cold: read before the timed loop and
	// reported apart (first_beyond_decode_cpu_ms).
	m := newCPUMeter()
	t0 := threadcpu.Now()
	res, err := r.Read(context.Background(), photos[0], side, cnHint)
	t1 := threadcpu.Now()
	if err != nil {
		b.Fatal(err)
	}
	check(0, res.Data)
	if _, err := imagecheck.Decode(photos[0], workSize, 0); err != nil {
		b.Fatal(err)
	}
	first := t1 - t0 - (threadcpu.Now() - t1)
	var beyond []time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		k := i % len(photos)
		m.begin()
		t0 := threadcpu.Now()
		res, err := r.Read(context.Background(), photos[k], side, cnHint)
		t1 := threadcpu.Now()
		m.end()
		if err != nil {
			b.Fatal(err)
		}
		check(k, res.Data)
		if _, err := imagecheck.Decode(photos[k], workSize, 0); err != nil {
			b.Fatal(err)
		}
		beyond = append(beyond, t1-t0-(threadcpu.Now()-t1))
	}
	percentiles(b, beyond, "beyond_decode_cpu_")
	m.report(b)
	b.ReportMetric(float64(first.Microseconds())/1000, "first_beyond_decode_cpu_ms")
}
