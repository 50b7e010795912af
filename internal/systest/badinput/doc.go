// Package badinput holds black-box tests of kycq against bad input: each
// test starts a whole kycq (API and workers) on the real Redis, PostgreSQL
// and S3 server of package testenv through package harness, sends it
// malformed, oversized, forged or unauthenticated requests and uploads, and
// asserts a clear 4xx with a stable error code and that nothing changed:
// every database table, every queued task and every stored object are
// compared before and after.
//
// The package has no code of its own; everything is in its tests.
package badinput
