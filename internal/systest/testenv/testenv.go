// Package testenv gives tests real services to run against: Redis,
// PostgreSQL (a fresh database per test) and an S3 server (a fresh bucket
// per test on the shared versitygw, or a private versitygw process).
//
// scripts/test.sh (make test) starts the services and exports where they
// are (KYCQ_TEST_REDIS, KYCQ_TEST_DATABASE_URL, KYCQ_TEST_S3_*) together
// with KYCQ_TEST_REQUIRE_SERVICES=1, under which a service that cannot be
// reached fails the test. A bare `go test` falls back to the loopback
// defaults and skips, with a message saying what is missing, when a
// service is not there.
package testenv

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"strings"
	"testing"
)

// Environment variables read by this package.
const (
	EnvRequire     = "KYCQ_TEST_REQUIRE_SERVICES"
	EnvRedis       = "KYCQ_TEST_REDIS"
	EnvDatabaseURL = "KYCQ_TEST_DATABASE_URL"
	EnvS3Endpoint  = "KYCQ_TEST_S3_ENDPOINT"
	EnvS3Access    = "KYCQ_TEST_S3_ACCESS_KEY"
	EnvS3Secret    = "KYCQ_TEST_S3_SECRET_KEY"
	EnvS3Region    = "KYCQ_TEST_S3_REGION"
	EnvVersityGW   = "KYCQ_TEST_VERSITYGW"
)

// Loopback defaults for a bare `go test`.
const (
	DefaultRedis       = "127.0.0.1:6379"
	DefaultDatabaseURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
)

// Required reports whether unreachable services must fail tests
// (KYCQ_TEST_REQUIRE_SERVICES=1, set by make test).
func Required() bool { return os.Getenv(EnvRequire) == "1" }

// Unavailable ends the test because a service it needs is not there: it
// fails under KYCQ_TEST_REQUIRE_SERVICES=1 and skips otherwise.
func Unavailable(t testing.TB, service string, err error) {
	t.Helper()
	if Required() {
		t.Fatalf("testenv: %s unavailable (%v); make test starts it via scripts/test-services.sh", service, err)
	}
	t.Skipf("testenv: %s unavailable (%v); skipping (run make test, or start it, to include this test)", service, err)
}

// Name returns a short random name with the prefix, usable as a database,
// bucket or key prefix (lower case letters and digits).
func Name(prefix string) string {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	return prefix + hex.EncodeToString(b[:])
}

func env(name, def string) string {
	if v := strings.TrimSpace(os.Getenv(name)); v != "" {
		return v
	}
	return def
}

func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }
