package metrics

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

// Holder-check attempt results (label result of
// kycq_holder_attempts_total).
const (
	HolderAttemptCreated = "created" // a holder check was started
	HolderAttemptLimited = "limited" // refused over the limit; a support case was opened
)

var holderAttemptResults = []string{HolderAttemptCreated, HolderAttemptLimited}

// HolderAttempts counts "view holder" face-match attempts by result, so
// that an account trying faces until one passes shows as a rising rate of
// "limited". A nil *HolderAttempts records nothing.
type HolderAttempts struct{ c *prometheus.CounterVec }

// NewHolderAttempts creates kycq_holder_attempts_total and registers it
// with reg (nil: unregistered), every result at zero.
func NewHolderAttempts(reg prometheus.Registerer) (*HolderAttempts, error) {
	h := &HolderAttempts{c: prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "kycq_holder_attempts_total",
		Help: "Holder checks (face matches to view a document's holder), by result (created, limited).",
	}, []string{"result"})}
	for _, r := range holderAttemptResults {
		h.c.WithLabelValues(r)
	}
	if reg != nil {
		if err := reg.Register(h.c); err != nil {
			return nil, fmt.Errorf("metrics: register: %w", err)
		}
	}
	return h, nil
}

// ObserveHolderAttempt counts one attempt: HolderAttemptCreated or
// HolderAttemptLimited (anything else counts as Other).
func (h *HolderAttempts) ObserveHolderAttempt(result string) {
	if h == nil {
		return
	}
	h.c.WithLabelValues(oneOf(result, holderAttemptResults)).Inc()
}
