// Package ops holds kycq's operator tests and the tools they use: they run
// kycq the way an operator does (kycq serve and kycq work processes on real
// Redis, PostgreSQL and S3), then look at it only from outside, through
// what operators look at: /metrics, /healthz and /readyz, the Asynqmon
// dashboard, the JSON logs, a real Prometheus evaluating
// deploy/prometheus/rules, and signals.
//
// The non-test files are small helpers for such tests: scraping and
// parsing /metrics, finding the metric names a PromQL expression or a
// Grafana dashboard uses, reading rule files, and running a Prometheus
// server as a child process.
package ops
