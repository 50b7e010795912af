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
