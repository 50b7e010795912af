package metrics

import (
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

func TestWebhooks(t *testing.T) {
	reg := prometheus.NewRegistry()
	w, err := NewWebhooks(reg)
	if err != nil {
		t.Fatal(err)
	}
	w.ObserveWebhook("delivered", 300*time.Millisecond)
	w.ObserveWebhook("delivered", 2*time.Second)
	w.ObserveWebhook("failed", 0)
	w.ObserveWebhook("https://exchange.example/secret-token", 0) // never a label
	for _, tc := range []struct {
		result string
		want   float64
	}{{"delivered", 2}, {"failed", 1}, {"dead", 0}, {Other, 1}} {
		if got := testutil.ToFloat64(w.deliveries.WithLabelValues(tc.result)); got != tc.want {
			t.Errorf("deliveries{result=%q} = %v, want %v", tc.result, got, tc.want)
		}
	}
	if n := testutil.CollectAndCount(w.latency); n != 1 {
		t.Fatalf("latency series %d", n)
	}
	if _, err := NewWebhooks(reg); err == nil {
		t.Error("registered twice without an error")
	}
	var none *Webhooks
	none.ObserveWebhook("delivered", time.Second) // a nil collector records nothing
}
