package metrics

import (
	"errors"
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// ReviewBuckets are the bucket upper bounds, in seconds, of
// kycq_review_latency_seconds. They have edges at 2 hours, the most a
// review may normally take, and at 24 hours, after which an undecided
// verification pages someone (rules §5), so both promises can be read off
// the histogram exactly.
var ReviewBuckets = []float64{
	1, 5, 15, 30, 60, 120, 300, 600, 900, 1800, 3600,
	7200,  // 2 h
	14400, // 4 h
	43200, // 12 h
	86400, // 24 h
	172800,
}

// CheckBuckets are the bucket upper bounds, in seconds, of the check and
// task duration histograms: from a few milliseconds (document data rules) to
// two minutes (face matching on a long video on a busy node).
var CheckBuckets = []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 20, 30, 60, 120}

// Metrics holds kycq's own collectors. Its methods are safe for concurrent
// use; a nil *Metrics is valid and records nothing.
type Metrics struct {
	reg prometheus.Registerer

	review        *prometheus.HistogramVec
	check         *prometheus.HistogramVec
	decisions     *prometheus.CounterVec
	reasons       *prometheus.CounterVec
	claims        *prometheus.CounterVec
	migrations    *prometheus.CounterVec
	storageErrors *prometheus.CounterVec
	tasks         *prometheus.CounterVec
	taskDuration  *prometheus.HistogramVec
	reviewed      *prometheus.CounterVec
	reads         *prometheus.CounterVec   // see docread.go
	readDuration  *prometheus.HistogramVec // see docread.go
}

// New creates kycq's collectors and registers them with reg. A nil reg
// creates them unregistered. Every known label combination is initialised
// to zero, so rate() and absent() work from the first scrape.
func New(reg prometheus.Registerer) (*Metrics, error) {
	m := &Metrics{
		reg: reg,
		review: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "kycq_review_latency_seconds",
			Help:    "Time from a verification's submission to its final decision, by outcome and decider (machine or person).",
			Buckets: ReviewBuckets,
		}, []string{"outcome", "decider"}),
		check: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "kycq_check_duration_seconds",
			Help:    "Time one check took to run, by check.",
			Buckets: CheckBuckets,
		}, []string{"check"}),
		decisions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kycq_decisions_total",
			Help: "Decisions stored, by outcome.",
		}, []string{"outcome"}),
		reasons: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kycq_decision_reasons_total",
			Help: "Reason codes attached to decisions, by code.",
		}, []string{"code"}),
		claims: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kycq_occupancy_claims_total",
			Help: "Document occupancy claims, by result (won, held by another account, idempotent repeat).",
		}, []string{"result"}),
		migrations: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kycq_migrations_total",
			Help: "Email/phone migrations, by outcome (completed, failed, or the refusal's reason code).",
		}, []string{"outcome"}),
		storageErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kycq_storage_errors_total",
			Help: "Errors from the blob store (s3) and the state database (db), by operation.",
		}, []string{"backend", "op"}),
		tasks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kycq_tasks_total",
			Help: "Tasks handled by this process, by task type and result (success, retry, archived, revoked).",
		}, []string{"type", "result"}),
		taskDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "kycq_task_duration_seconds",
			Help:    "Time a task handler ran, by task type.",
			Buckets: CheckBuckets,
		}, []string{"type"}),
		reviewed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kycq_review_decisions_total",
			Help: "Manual reviews decided by reviewers, by outcome (reviewer throughput).",
		}, []string{"outcome"}),
	}
	m.reads, m.readDuration = newReadCollectors()
	m.initialise()
	m.initialiseReads()
	if reg == nil {
		return m, nil
	}
	for _, c := range m.collectors() {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("metrics: register: %w", err)
		}
	}
	return m, nil
}

func (m *Metrics) collectors() []prometheus.Collector {
	return []prometheus.Collector{m.review, m.check, m.decisions, m.reasons, m.claims,
		m.migrations, m.storageErrors, m.tasks, m.taskDuration, m.reviewed, m.reads, m.readDuration}
}

// initialise creates the series of every known label value with value zero.
func (m *Metrics) initialise() {
	for _, o := range outcomes {
		m.decisions.WithLabelValues(o)
	}
	for _, o := range finalOutcomes {
		m.review.WithLabelValues(o, DeciderMachine)
		m.review.WithLabelValues(o, DeciderPerson)
		m.reviewed.WithLabelValues(o)
	}
	for _, c := range checks {
		m.check.WithLabelValues(c)
	}
	for _, r := range claimResults {
		m.claims.WithLabelValues(r)
	}
	for _, o := range []string{MigrationCompleted, MigrationFailed} {
		m.migrations.WithLabelValues(o)
	}
	// Operations are an open set; every process probes both backends for
	// /readyz, so "ping" gives each backend a series from the start.
	for _, b := range backends {
		m.storageErrors.WithLabelValues(b, OpPing)
	}
	for _, t := range taskTypes {
		m.taskDuration.WithLabelValues(t)
		for _, r := range taskResults {
			m.tasks.WithLabelValues(t, r)
		}
	}
}

// NewRegistry returns a registry holding the Go runtime and process
// collectors, the usual base for a service's /metrics.
func NewRegistry() *prometheus.Registry {
	r := prometheus.NewRegistry()
	r.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return r
}

// register registers c with m's registerer, treating a collector that is
// already registered as an error.
func (m *Metrics) register(c prometheus.Collector) error {
	if m == nil || m.reg == nil {
		return errors.New("metrics: no registerer")
	}
	if err := m.reg.Register(c); err != nil {
		return fmt.Errorf("metrics: register: %w", err)
	}
	return nil
}
