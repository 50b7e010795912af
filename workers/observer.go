package workers

import (
	"time"

	"github.com/kycq/kycq/kyc/reason"
)

// Observer receives what the handlers measure. Labels are check names,
// outcomes and reason codes only: never personal data.
type Observer interface {
	ObserveCheck(check string, d time.Duration)
	// ObserveDecision is called once per verification, when its decision
	// is first stored; review is the time from submission to decision.
	ObserveDecision(outcome string, reasons []reason.Code, review time.Duration)
	ObserveClaim(result string) // won | held | idempotent
	// ObserveMigration is called once per migration, when it reaches a
	// final state: "completed", "failed", or the refusal's reason code.
	ObserveMigration(outcome string)
}

type nopObserver struct{}

func (nopObserver) ObserveCheck(string, time.Duration)                   {}
func (nopObserver) ObserveDecision(string, []reason.Code, time.Duration) {}
func (nopObserver) ObserveClaim(string)                                  {}
func (nopObserver) ObserveMigration(string)                              {}
