package metrics

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Handler returns the /metrics handler for reg. A collector that fails
// leaves its metrics out of the scrape rather than failing it, and the
// handler's own scrape counts are registered in reg
// (promhttp_metric_handler_requests_total).
func Handler(reg *prometheus.Registry) http.Handler {
	h := promhttp.HandlerFor(reg, promhttp.HandlerOpts{
		ErrorHandling:       promhttp.ContinueOnError,
		MaxRequestsInFlight: 4,
		Timeout:             9 * time.Second, // under Prometheus' default 10s scrape timeout
	})
	return promhttp.InstrumentMetricHandler(reg, h)
}
