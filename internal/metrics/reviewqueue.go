package metrics

import (
	"context"
	"errors"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// QueueFunc returns how many verifications wait for a reviewer and when
// the oldest of them was submitted (the zero time when none), such as
// storage.Review.ReviewWaiting.
type QueueFunc func(ctx context.Context) (n int, oldest time.Time, err error)

var (
	reviewWaitingDesc = prometheus.NewDesc("kycq_review_queue_waiting",
		"Verifications in manual review waiting for a reviewer's decision.", nil, nil)
	reviewOldestDesc = prometheus.NewDesc("kycq_review_queue_oldest_age_seconds",
		"Age since submission of the oldest verification waiting for a reviewer (0 when none).", nil, nil)
)

// RegisterReviewQueue registers kycq_review_queue_waiting and
// kycq_review_queue_oldest_age_seconds, read by queue at every scrape; now
// is usually time.Now. When queue fails or takes longer than AgeTimeout the
// scrape leaves both out and counts a storage error (backend db, op
// review_waiting).
func (m *Metrics) RegisterReviewQueue(queue QueueFunc, now func() time.Time) error {
	if queue == nil || now == nil {
		return errors.New("metrics: nil QueueFunc or clock")
	}
	return m.register(&reviewQueueCollector{m: m, queue: queue, now: now})
}

type reviewQueueCollector struct {
	m     *Metrics
	queue QueueFunc
	now   func() time.Time
}

func (c *reviewQueueCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- reviewWaitingDesc
	ch <- reviewOldestDesc
}

func (c *reviewQueueCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), ageTimeout)
	defer cancel()
	n, oldest, err := c.queue(ctx)
	if err != nil {
		c.m.StorageError(BackendDB, "review_waiting")
		return
	}
	age := time.Duration(0)
	if !oldest.IsZero() {
		age = c.now().Sub(oldest)
	}
	ch <- prometheus.MustNewConstMetric(reviewWaitingDesc, prometheus.GaugeValue, float64(n))
	ch <- prometheus.MustNewConstMetric(reviewOldestDesc, prometheus.GaugeValue, seconds(age))
}
