// Package metrics holds kycq's Prometheus collectors: review latency, check
// and task durations, decision, reason, occupancy, migration and storage
// error counters, the age of the oldest undecided verification, and the
// asynq queue and worker gauges.
//
// Every label value is one of a small, fixed set (an outcome, a check name,
// a reason code from package reason, a task type). Values outside the set are
// recorded as "other" rather than passed through, so nothing a user typed
// (names, document numbers, emails, phones) can reach a label, and the
// number of series stays bounded.
//
// Metric names follow the Prometheus conventions: a kycq_ prefix, base
// units (seconds), and _total on counters.
package metrics
