package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/kycq/kycq/kyc"
)

// ReadKindNone is the kind label of a read that recognised no document.
const ReadKindNone = "none"

var (
	// readKinds are the kyc.Read* document kinds, "none" standing for
	// kyc.ReadNone.
	readKinds = []string{ReadKindNone, kyc.ReadTD1, kyc.ReadTD2, kyc.ReadTD3, kyc.ReadMRVA, kyc.ReadMRVB,
		kyc.ReadCNIDFront, kyc.ReadCNIDBack, kyc.ReadVisual}
	// readOutcomes are the values of workers.ReadOutcome*.
	readOutcomes = []string{"readable", "unreadable", "visual", "none", "budget", "error"}
)

// newReadCollectors creates kycq_doc_read_total and
// kycq_doc_read_duration_seconds.
func newReadCollectors() (*prometheus.CounterVec, *prometheus.HistogramVec) {
	return prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kycq_doc_read_total",
			Help: "Document photos read, by document kind recognised and outcome (readable, unreadable, visual, none, budget, error).",
		}, []string{"kind", "outcome"}),
		prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "kycq_doc_read_duration_seconds",
			Help:    "Time reading one document photo took, by document kind recognised.",
			Buckets: CheckBuckets,
		}, []string{"kind"})
}

// initialiseReads creates every kind and outcome series with value zero.
func (m *Metrics) initialiseReads() {
	for _, k := range readKinds {
		m.readDuration.WithLabelValues(k)
		for _, o := range readOutcomes {
			m.reads.WithLabelValues(k, o)
		}
	}
}

// ObserveRead counts one document photo read and observes how long it
// took. kind is a kyc.Read* kind ("" for none) and outcome a
// workers.ReadOutcome*; anything else is recorded as Other. It implements
// workers.ReadObserver.
func (m *Metrics) ObserveRead(kind, outcome string, d time.Duration) {
	if m == nil {
		return
	}
	if kind == "" {
		kind = ReadKindNone
	}
	k := oneOf(kind, readKinds)
	m.reads.WithLabelValues(k, oneOf(outcome, readOutcomes)).Inc()
	m.readDuration.WithLabelValues(k).Observe(seconds(d))
}
