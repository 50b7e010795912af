// Package faults holds kycq's fault tests: kycq run as deployed (a `kycq
// serve` process and `kycq work` processes on real Redis, PostgreSQL and
// S3), loaded with realistic applicants, while a part fails — a worker
// killed with SIGKILL mid-check, Redis restarted, S3 down for a while,
// PostgreSQL restarted, the same task delivered twice, a poison task — and
// a soak run with workers restarted every few seconds under load.
//
// Every test ends with the same audit: each verification it submitted is
// decided, exactly once (one decision row, at most one "decided" log line
// across every process that ever ran, none left undecided), and the
// applicants, all of them clean, are approved unless the test says why
// not.
//
// The long soak runs with KYCQ_SOAK=1 (make soak); `go test` runs a short
// one. See docs/load.md.
package faults
