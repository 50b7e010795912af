// Package privacy holds the service-level privacy tests: they start the
// whole service (Redis, PostgreSQL, S3) and check that personal data stays
// out of logs, metrics and task payloads, that retention deletes it, and
// that secrets are handled as documented. The sealing and hashing
// primitives themselves live in internal/privacy, whose own tests need no
// services.
package privacy
