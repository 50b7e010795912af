package metrics

import (
	"context"
	"errors"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// AgeFunc returns the age of the oldest submitted verification that has no
// decision yet, or 0 when there is none.
type AgeFunc func(ctx context.Context) (time.Duration, error)

// SinceOldest adapts a function returning when the oldest undecided
// verification was submitted (the zero time when there is none), such as
// storage.State.OldestUndecided, to an AgeFunc. now is usually time.Now.
func SinceOldest(oldest func(context.Context) (time.Time, error), now func() time.Time) AgeFunc {
	return func(ctx context.Context) (time.Duration, error) {
		t, err := oldest(ctx)
		if err != nil || t.IsZero() {
			return 0, err
		}
		if d := now().Sub(t); d > 0 {
			return d, nil
		}
		return 0, nil
	}
}

// AgeTimeout bounds how long one scrape waits for an AgeFunc.
const AgeTimeout = 5 * time.Second

// ageTimeout is AgeTimeout; tests shorten it.
var ageTimeout = AgeTimeout

var oldestDesc = prometheus.NewDesc("kycq_oldest_undecided_verification_age_seconds",
	"Age of the oldest submitted verification still waiting for a decision (0 when none).", nil, nil)

// RegisterOldestUndecided registers kycq_oldest_undecided_verification_age_seconds,
// computed by age at every scrape. When age fails or takes longer than
// AgeTimeout, the scrape leaves the gauge out and counts a storage error
// (backend db, op oldest_undecided).
func (m *Metrics) RegisterOldestUndecided(age AgeFunc) error {
	if age == nil {
		return errors.New("metrics: nil AgeFunc")
	}
	return m.register(&oldestCollector{m: m, age: age})
}

type oldestCollector struct {
	m   *Metrics
	age AgeFunc
}

func (c *oldestCollector) Describe(ch chan<- *prometheus.Desc) { ch <- oldestDesc }

func (c *oldestCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), ageTimeout)
	defer cancel()
	d, err := c.age(ctx)
	if err != nil {
		c.m.StorageError(BackendDB, "oldest_undecided")
		return
	}
	ch <- prometheus.MustNewConstMetric(oldestDesc, prometheus.GaugeValue, seconds(d))
}
