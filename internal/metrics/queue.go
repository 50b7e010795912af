package metrics

import (
	"errors"

	"github.com/hibiken/asynq"
	asynqmetrics "github.com/hibiken/asynq/x/metrics"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/kycq/kycq/tasks"
)

// RegisterQueues registers asynq's queue collector (asynq_queue_size,
// asynq_queue_latency_seconds, asynq_tasks_enqueued_total{state},
// asynq_tasks_processed_total, asynq_tasks_failed_total, ...) and kycq's
// worker gauges, both read from Redis through inspector at scrape time.
//
// The values are the same whichever process reports them; register them in
// one kind of process (the API) or aggregate with max by (queue).
func (m *Metrics) RegisterQueues(inspector *asynq.Inspector) error {
	if inspector == nil {
		return errors.New("metrics: nil asynq inspector")
	}
	if err := m.register(asynqmetrics.NewQueueMetricsCollector(inspector)); err != nil {
		return err
	}
	return m.register(&workerCollector{servers: inspector.Servers})
}

var (
	workerServersDesc = prometheus.NewDesc("kycq_worker_servers",
		"Asynq worker servers with a live heartbeat in Redis that are taking tasks.", nil, nil)
	workerConcurrencyDesc = prometheus.NewDesc("kycq_worker_concurrency",
		"Sum of the concurrency of the worker servers taking tasks.", nil, nil)
	workerBusyDesc = prometheus.NewDesc("kycq_worker_busy",
		"Tasks being processed right now across the worker servers.", nil, nil)
)

// workerCollector reports the asynq worker servers registered in Redis.
// When Redis cannot be read it reports nothing, so absent() sees no
// workers.
type workerCollector struct {
	servers func() ([]*asynq.ServerInfo, error)
}

func (c *workerCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- workerServersDesc
	ch <- workerConcurrencyDesc
	ch <- workerBusyDesc
}

func (c *workerCollector) Collect(ch chan<- prometheus.Metric) {
	list, err := c.servers()
	if err != nil {
		return
	}
	var n, conc, busy int
	for _, s := range list {
		if s.Status != "active" || webhooksOnly(s) {
			continue
		}
		n++
		conc += s.Concurrency
		busy += len(s.ActiveWorkers)
	}
	ch <- prometheus.MustNewConstMetric(workerServersDesc, prometheus.GaugeValue, float64(n))
	ch <- prometheus.MustNewConstMetric(workerConcurrencyDesc, prometheus.GaugeValue, float64(conc))
	ch <- prometheus.MustNewConstMetric(workerBusyDesc, prometheus.GaugeValue, float64(busy))
}

// webhooksOnly reports whether a server is a worker process's webhook
// server (its own asynq server for tasks.QueueWebhooks): the worker
// gauges count the servers that run checks and decisions.
func webhooksOnly(s *asynq.ServerInfo) bool {
	_, ok := s.Queues[tasks.QueueWebhooks]
	return ok && len(s.Queues) == 1
}
