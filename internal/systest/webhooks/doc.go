// Package webhooks tests kycq's outgoing webhooks end to end: a whole
// service (API and workers on real Redis, PostgreSQL and S3) POSTs its
// events to a real HTTP receiver on loopback that verifies every
// signature and de-duplicates by event id, as an exchange's backend
// would. It also measures the latency from a decision to its event
// delivered (BenchmarkDecisionToDelivered).
package webhooks
