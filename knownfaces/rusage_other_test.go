//go:build !linux

package knownfaces

import "time"

// threadCPU is not measured off Linux: the CPU metrics read 0.
func threadCPU() time.Duration { return 0 }
