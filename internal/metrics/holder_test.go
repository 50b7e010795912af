package metrics_test

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/kycq/kycq/internal/metrics"
)

func TestHolderAttempts(t *testing.T) {
	reg := prometheus.NewRegistry()
	h, err := metrics.NewHolderAttempts(reg)
	if err != nil {
		t.Fatal(err)
	}
	h.ObserveHolderAttempt(metrics.HolderAttemptCreated)
	h.ObserveHolderAttempt(metrics.HolderAttemptLimited)
	h.ObserveHolderAttempt(metrics.HolderAttemptLimited)
	h.ObserveHolderAttempt("acct-42") // never a label value from outside the set
	if n, err := testutil.GatherAndCount(reg, "kycq_holder_attempts_total"); err != nil || n != 3 {
		t.Fatalf("series: %d, %v", n, err)
	}
	c, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		result string
		want   float64
	}{{"created", 1}, {"limited", 2}, {metrics.Other, 1}} {
		got := -1.0
		for _, mf := range c {
			for _, m := range mf.GetMetric() {
				if m.GetLabel()[0].GetValue() == tc.result {
					got = m.GetCounter().GetValue()
				}
			}
		}
		if got != tc.want {
			t.Errorf("%s: %v, want %v", tc.result, got, tc.want)
		}
	}
	var nilH *metrics.HolderAttempts
	nilH.ObserveHolderAttempt(metrics.HolderAttemptCreated) // a nil counter records nothing, and does not panic
}
