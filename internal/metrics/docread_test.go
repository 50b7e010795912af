package metrics_test

import (
	"testing"
	"time"

	"github.com/kycq/kycq/internal/metrics"
	"github.com/kycq/kycq/kyc"
	"github.com/kycq/kycq/workers"
)

// The document-read handler reports through this interface.
var _ workers.ReadObserver = (*metrics.Metrics)(nil)

func TestObserveReadKeepsLabelsFixed(t *testing.T) {
	m, reg := newMetrics(t)
	for _, tc := range []struct {
		kind, outcome         string
		wantKind, wantOutcome string
	}{
		{kyc.ReadTD3, workers.ReadOutcomeReadable, "td3", "readable"},
		{kyc.ReadTD1, workers.ReadOutcomeUnreadable, "td1", "unreadable"},
		{kyc.ReadVisual, workers.ReadOutcomeVisual, "visual", "visual"},
		{kyc.ReadNone, workers.ReadOutcomeNone, "none", "none"},
		{kyc.ReadNone, workers.ReadOutcomeBudget, "none", "budget"},
		{kyc.ReadNone, workers.ReadOutcomeError, "none", "error"},
		{"L898902C3", "ERIKSSON", metrics.Other, metrics.Other}, // never a value read
	} {
		before := 0.0
		if tc.wantKind != metrics.Other { // initialised to zero; "other" only once observed
			before = counterValue(t, reg, "kycq_doc_read_total", map[string]string{"kind": tc.wantKind, "outcome": tc.wantOutcome})
		}
		m.ObserveRead(tc.kind, tc.outcome, 20*time.Millisecond)
		after := counterValue(t, reg, "kycq_doc_read_total", map[string]string{"kind": tc.wantKind, "outcome": tc.wantOutcome})
		if after != before+1 {
			t.Errorf("ObserveRead(%q, %q): kycq_doc_read_total{kind=%q,outcome=%q} %v → %v", tc.kind, tc.outcome, tc.wantKind, tc.wantOutcome, before, after)
		}
	}
	if n := sampleCount(t, reg, "kycq_doc_read_duration_seconds", map[string]string{"kind": "td3"}); n != 1 {
		t.Errorf("duration samples for td3: %v, want 1", n)
	}
	var nilMetrics *metrics.Metrics
	nilMetrics.ObserveRead(kyc.ReadTD3, workers.ReadOutcomeReadable, time.Millisecond) // must not panic
}
