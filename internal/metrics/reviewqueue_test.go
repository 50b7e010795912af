package metrics_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/kycq/kycq/internal/metrics"
	"github.com/kycq/kycq/kyc/reason"
)

func mustGather(t testing.TB, g prometheus.Gatherer) []*dto.MetricFamily {
	t.Helper()
	fams, err := g.Gather()
	if err != nil {
		t.Fatal(err)
	}
	return fams
}

func TestObserveReviewerDecision(t *testing.T) {
	m, reg := newMetrics(t)
	m.ObserveReviewerDecision("approved", nil, 3*time.Hour)
	m.ObserveReviewerDecision("rejected", []reason.Code{reason.FaceMismatch}, 25*time.Hour)
	m.ObserveReviewerDecision("manual_review", nil, time.Hour) // not final: counted as other, no latency
	for _, tc := range []struct {
		outcome string
		want    float64
	}{{"approved", 1}, {"rejected", 1}, {metrics.Other, 1}} {
		if got := counterValue(t, reg, "kycq_review_decisions_total", map[string]string{"outcome": tc.outcome}); got != tc.want {
			t.Errorf("review decisions{%s} = %v, want %v", tc.outcome, got, tc.want)
		}
	}
	if got := counterValue(t, reg, "kycq_decision_reasons_total", map[string]string{"code": "face_mismatch"}); got != 1 {
		t.Errorf("reasons{face_mismatch} = %v, want 1", got)
	}
	h := histogram(t, reg, "kycq_review_latency_seconds", map[string]string{"outcome": "approved", "decider": "person"})
	if h.GetSampleCount() != 1 || h.GetSampleSum() != 3*3600 {
		t.Errorf("approved by a person: %d samples, sum %v; want 1, 10800", h.GetSampleCount(), h.GetSampleSum())
	}
	if h := histogram(t, reg, "kycq_review_latency_seconds", map[string]string{"outcome": "approved", "decider": "machine"}); h.GetSampleCount() != 0 {
		t.Errorf("approved by the machine: %d samples, want 0", h.GetSampleCount())
	}
}

func TestReviewQueueGauges(t *testing.T) {
	defer metrics.SetAgeTimeout(50 * time.Millisecond)()
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	tests := []struct {
		name              string
		queue             metrics.QueueFunc
		present           bool
		wantN, wantOldest float64
	}{
		{"empty", func(context.Context) (int, time.Time, error) { return 0, time.Time{}, nil }, true, 0, 0},
		{"two waiting, 25 h", func(context.Context) (int, time.Time, error) { return 2, now.Add(-25 * time.Hour), nil }, true, 2, 90000},
		{"database down", func(context.Context) (int, time.Time, error) { return 0, time.Time{}, errors.New("down") }, false, 0, 0},
		{"slow database", func(ctx context.Context) (int, time.Time, error) { <-ctx.Done(); return 0, time.Time{}, ctx.Err() }, false, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, reg := newMetrics(t)
			if err := m.RegisterReviewQueue(tt.queue, clock); err != nil {
				t.Fatal(err)
			}
			fams := mustGather(t, reg)
			_, present := lookup(fams, "kycq_review_queue_waiting", nil)
			if present != tt.present {
				t.Fatalf("gauge present = %v, want %v", present, tt.present)
			}
			if !tt.present {
				if got := counterValue(t, reg, "kycq_storage_errors_total", map[string]string{"backend": "db", "op": "review_waiting"}); got < 1 {
					t.Errorf("storage errors = %v, want >= 1", got)
				}
				return
			}
			g := gathered(fams)
			if got := gaugeValue(t, g, "kycq_review_queue_waiting", nil); got != tt.wantN {
				t.Errorf("waiting = %v, want %v", got, tt.wantN)
			}
			if got := gaugeValue(t, g, "kycq_review_queue_oldest_age_seconds", nil); got != tt.wantOldest {
				t.Errorf("oldest = %v, want %v", got, tt.wantOldest)
			}
		})
	}
	m, _ := newMetrics(t)
	if err := m.RegisterReviewQueue(nil, clock); err == nil {
		t.Error("nil QueueFunc: no error")
	}
}
