package metrics

import (
	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/tasks"
)

// Other is the label value recorded in place of a value outside a label's
// fixed set.
const Other = "other"

// Decision outcomes (label outcome of kycq_review_latency_seconds and
// kycq_decisions_total).
const (
	OutcomeApproved     = "approved"
	OutcomeRejected     = "rejected"
	OutcomeManualReview = "manual_review"
)

// Deciders of a final decision (label decider of
// kycq_review_latency_seconds).
const (
	DeciderMachine = "machine" // the decide task
	DeciderPerson  = "person"  // a reviewer in the review console
)

// Occupancy claim results (label result of kycq_occupancy_claims_total).
const (
	ClaimWon        = "won"              // the account claimed the document
	ClaimHeld       = "held"             // another account holds it: doc_already_used
	ClaimIdempotent = "idempotent"       // the account already held it
	ClaimInactive   = "account_inactive" // the account is frozen or closed: no claim, rejected
)

// Migration outcomes besides refusal reason codes (label outcome of
// kycq_migrations_total).
const (
	MigrationCompleted = "completed"
	MigrationFailed    = "failed" // an error, not a refusal
)

// Storage backends (label backend of kycq_storage_errors_total).
const (
	BackendS3 = "s3"
	BackendDB = "db"
)

// OpPing is the operation of a readiness probe of a storage backend.
const OpPing = "ping"

// Task results (label result of kycq_tasks_total).
const (
	TaskSuccess  = "success"
	TaskRetry    = "retry"    // failed; asynq will run it again
	TaskArchived = "archived" // failed for the last time: dead-lettered
	TaskRevoked  = "revoked"  // failed with asynq.RevokeTask: dropped
)

// CheckDecision is the check label of the decision fan-in's own duration:
// TaskMiddleware observes it for every decision task that succeeds.
const CheckDecision = "decision"

var (
	outcomes      = []string{OutcomeApproved, OutcomeRejected, OutcomeManualReview}
	finalOutcomes = []string{OutcomeApproved, OutcomeRejected}
	deciders      = []string{DeciderMachine, DeciderPerson}
	checks        = []string{tasks.CheckDocQuality, tasks.CheckDocData, tasks.CheckFaceMatch, tasks.CheckDocRead, CheckDecision}
	claimResults  = []string{ClaimWon, ClaimHeld, ClaimIdempotent, ClaimInactive}
	backends      = []string{BackendS3, BackendDB}
	taskResults   = []string{TaskSuccess, TaskRetry, TaskArchived, TaskRevoked}
	taskTypes     = []string{tasks.TypeDocQuality, tasks.TypeDocData, tasks.TypeFaceMatch, tasks.TypeDecide,
		tasks.TypeOccupancy, tasks.TypeMigration, tasks.TypeHolder, tasks.TypeSweep, tasks.TypeRetention,
		tasks.TypeDocRead, tasks.TypeWebhook}
)

// oneOf returns v when it is in set, and Other otherwise.
func oneOf(v string, set []string) string {
	for _, s := range set {
		if v == s {
			return v
		}
	}
	return Other
}

// codeLabel returns c when package reason knows it, and Other otherwise.
func codeLabel(c reason.Code) string {
	if reason.Known(c) {
		return string(c)
	}
	return Other
}

// migrationLabel accepts the migration outcomes and known reason codes.
func migrationLabel(o string) string {
	if o == MigrationCompleted || o == MigrationFailed {
		return o
	}
	return codeLabel(reason.Code(o))
}

// opLabel accepts an operation name written as a short snake_case
// identifier ("get", "save_decision"): code, never data.
func opLabel(op string) string {
	if len(op) == 0 || len(op) > 40 {
		return Other
	}
	for i := 0; i < len(op); i++ {
		c := op[i]
		if !(c >= 'a' && c <= 'z' || c == '_' || i > 0 && c >= '0' && c <= '9') {
			return Other
		}
	}
	return op
}
