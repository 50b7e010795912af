package threadcpu

import (
	"runtime"
	"testing"
)

// Spinning on a locked thread must advance its CPU clock.
func TestNowAdvancesWithWork(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("thread CPU time is read on Linux only")
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	start := Now()
	x := 0.0
	for i := 0; Now()-start < 20e6 && i < 2e9; i++ {
		x += float64(i)
	}
	if d := Now() - start; d < 20e6 {
		t.Fatalf("thread CPU advanced %v after spinning (x %g), want ≥ 20ms", d, x)
	}
}

// Over a spin of 60 ms the nanosecond clock and getrusage's tick-split
// reading of the same thread agree to within a few ticks.
func TestNowAgreesWithRusage(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("thread CPU time is read on Linux only")
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	n0, r0 := Now(), Rusage()
	x := 0.0
	for i := 0; Now()-n0 < 60e6 && i < 4e9; i++ {
		x += float64(i)
	}
	n, r := Now()-n0, Rusage()-r0
	if n < 60e6 {
		t.Fatalf("Now advanced %v after spinning (x %g), want ≥ 60ms", n, x)
	}
	if d := n - r; d > 15e6 || d < -15e6 {
		t.Fatalf("Now advanced %v, Rusage %v: want them within 15ms", n, r)
	}
}
