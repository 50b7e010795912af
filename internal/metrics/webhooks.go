package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// WebhookBuckets are the bucket upper bounds, in seconds, of
// kycq_webhook_delivery_latency_seconds, with an edge at 1 s, the
// promised p99 from a state change to its event delivered.
var WebhookBuckets = []float64{.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600}

// webhookResults are the values of the result label of
// kycq_webhook_deliveries_total.
var webhookResults = []string{"delivered", "failed", "dead"}

// Webhooks holds the collectors of outgoing webhook deliveries. A nil
// *Webhooks records nothing.
type Webhooks struct {
	deliveries *prometheus.CounterVec
	latency    prometheus.Histogram
}

// NewWebhooks creates the webhook collectors and registers them with reg
// (nil: unregistered).
func NewWebhooks(reg prometheus.Registerer) (*Webhooks, error) {
	w := &Webhooks{
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kycq_webhook_deliveries_total",
			Help: "Webhook delivery attempts, by result (delivered, failed and to be retried, dead after the last retry).",
		}, []string{"result"}),
		latency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "kycq_webhook_delivery_latency_seconds",
			Help:    "Time from a state change to its event delivered to an endpoint.",
			Buckets: WebhookBuckets,
		}),
	}
	for _, r := range webhookResults {
		w.deliveries.WithLabelValues(r)
	}
	if reg != nil {
		for _, c := range []prometheus.Collector{w.deliveries, w.latency} {
			if err := reg.Register(c); err != nil {
				return nil, err
			}
		}
	}
	return w, nil
}

// ObserveWebhook counts one delivery attempt by result and, when it was
// delivered, its latency. Unknown results count as Other.
func (w *Webhooks) ObserveWebhook(result string, latency time.Duration) {
	if w == nil {
		return
	}
	result = oneOf(result, webhookResults)
	w.deliveries.WithLabelValues(result).Inc()
	if result == "delivered" {
		w.latency.Observe(seconds(latency))
	}
}
