package faults

import "os"

// longRun reports whether the long fault and soak runs are wanted
// (KYCQ_SOAK=1, make soak).
func longRun() bool { return os.Getenv("KYCQ_SOAK") == "1" }
