package metrics

import (
	"time"

	"github.com/kycq/kycq/kyc/reason"
)

// ObserveReview records the time from a verification's submission to its
// final decision, made by decider (DeciderMachine or DeciderPerson). Call
// it once per verification, when its final decision is stored; a
// manual_review is not final and is not observed.
func (m *Metrics) ObserveReview(outcome, decider string, d time.Duration) {
	if m == nil || outcome == OutcomeManualReview {
		return
	}
	m.review.WithLabelValues(oneOf(outcome, finalOutcomes), oneOf(decider, deciders)).Observe(seconds(d))
}

// ObserveCheck records how long one check took. check is a check family
// ("doc_quality", "doc_data", "face_match") or CheckDecision.
func (m *Metrics) ObserveCheck(check string, d time.Duration) {
	if m == nil {
		return
	}
	m.check.WithLabelValues(oneOf(check, checks)).Observe(seconds(d))
}

// ObserveDecision records a stored decision of the decide task: it counts
// the outcome and each reason code and, when the decision is final (not
// manual_review), observes the review latency with decider machine. It
// implements the decision part of workers.Observer.
func (m *Metrics) ObserveDecision(outcome string, reasons []reason.Code, review time.Duration) {
	if m == nil {
		return
	}
	o := oneOf(outcome, outcomes)
	m.decisions.WithLabelValues(o).Inc()
	for _, c := range reasons {
		m.reasons.WithLabelValues(codeLabel(c)).Inc()
	}
	m.ObserveReview(o, DeciderMachine, review)
}

// ObserveReviewerDecision records a reviewer's final decision of a manual
// review: it counts kycq_review_decisions_total and the reason codes, and
// observes the review latency (submission → this decision) with decider
// person.
func (m *Metrics) ObserveReviewerDecision(outcome string, reasons []reason.Code, review time.Duration) {
	if m == nil {
		return
	}
	o := oneOf(outcome, finalOutcomes)
	m.reviewed.WithLabelValues(o).Inc()
	for _, c := range reasons {
		m.reasons.WithLabelValues(codeLabel(c)).Inc()
	}
	m.ObserveReview(o, DeciderPerson, review)
}

// ObserveClaim counts a document occupancy claim: ClaimWon, ClaimHeld or
// ClaimIdempotent.
func (m *Metrics) ObserveClaim(result string) {
	if m == nil {
		return
	}
	m.claims.WithLabelValues(oneOf(result, claimResults)).Inc()
}

// ObserveMigration counts a migration: MigrationCompleted, MigrationFailed,
// or the reason code of a refusal (e.g. "migration_source_verified").
func (m *Metrics) ObserveMigration(outcome string) {
	if m == nil {
		return
	}
	m.migrations.WithLabelValues(migrationLabel(outcome)).Inc()
}

// StorageError counts an error from a storage backend (BackendS3 or
// BackendDB) in operation op, a snake_case name such as "get" or
// "save_decision".
func (m *Metrics) StorageError(backend, op string) {
	if m == nil {
		return
	}
	m.storageErrors.WithLabelValues(oneOf(backend, backends), opLabel(op)).Inc()
}

// ObserveTask records one run of a task handler: its result (TaskSuccess,
// TaskRetry, TaskArchived, TaskRevoked) and how long it ran.
func (m *Metrics) ObserveTask(taskType, result string, d time.Duration) {
	if m == nil {
		return
	}
	t := oneOf(taskType, taskTypes)
	m.tasks.WithLabelValues(t, oneOf(result, taskResults)).Inc()
	m.taskDuration.WithLabelValues(t).Observe(seconds(d))
}

// seconds converts d to seconds, clamping negative durations (a clock step
// between submission and decision) to zero.
func seconds(d time.Duration) float64 {
	if d < 0 {
		return 0
	}
	return d.Seconds()
}
