//go:build !linux

package imagecheck

import "time"

// threadCPU reports no per-thread CPU time outside Linux: the stage
// budgets then hold the wall times.
func threadCPU() (time.Duration, bool) { return 0, false }
