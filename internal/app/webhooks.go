package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hibiken/asynq"

	"github.com/kycq/kycq/internal/metrics"
	"github.com/kycq/kycq/tasks"
	"github.com/kycq/kycq/webhooks"
	"github.com/kycq/kycq/workers"
)

// WebhookEndpoints returns the configured outgoing-webhook endpoints:
// none, or KYCQ_WEBHOOK_URL with the secret of KYCQ_WEBHOOK_SECRET (or
// KYCQ_WEBHOOK_SECRET_FILE).
func (c Config) WebhookEndpoints() ([]webhooks.Endpoint, error) {
	secret := c.WebhookSecret
	if c.WebhookURL == "" {
		if secret != "" {
			return nil, errors.New("KYCQ_WEBHOOK_SECRET is set without KYCQ_WEBHOOK_URL")
		}
		return nil, nil
	}
	ep, err := webhooks.NewEndpoint(c.WebhookURL, secret)
	if err != nil {
		return nil, fmt.Errorf("KYCQ_WEBHOOK_URL / KYCQ_WEBHOOK_SECRET: %v", err)
	}
	return []webhooks.Endpoint{ep}, nil
}

// Intervals of the webhook server: how often an idle server looks for a
// new delivery and for retries that are due, and how often the relay
// looks at the outbox. They bound the latency from a state change to its
// delivery (p99 < 1 s is promised).
const (
	webhookTaskCheck    = 50 * time.Millisecond
	webhookDelayedCheck = 250 * time.Millisecond
	webhookRelayEvery   = 50 * time.Millisecond
	webhookConcurrency  = 8
	// webhookKeep is how long delivered events stay in the outbox (for
	// GET /v1/webhooks/deliveries and investigations); the relay prunes
	// older ones every webhookPruneEvery. Dead ones stay until delivered.
	webhookKeep       = 7 * 24 * time.Hour
	webhookPruneEvery = time.Hour
)

// startWebhooks starts the relay, which moves the outbox to the queue,
// and an asynq server of its own for the webhook queue, and returns what
// stops both. The relay runs even without endpoints, so that the outbox
// does not grow.
func (a *App) startWebhooks(ctx context.Context) (stop func(), err error) {
	eps, err := a.Config.WebhookEndpoints()
	if err != nil {
		return nil, err
	}
	a.webhookMetricsOnce.Do(func() {
		if a.webhookMetrics, err = metrics.NewWebhooks(a.Registry); err != nil {
			a.webhookMetrics = nil
		}
	})
	if err != nil {
		return nil, fmt.Errorf("webhook metrics: %v", err)
	}
	w := workers.NewWebhooks(workers.Webhooks{
		State: a.State, Enqueuer: a.Client, Endpoints: eps, Observer: a.webhookMetrics, Log: a.Log,
		MaxRetry: a.Config.WebhookMaxRetry,
	})
	srv := asynq.NewServer(a.Redis, asynq.Config{
		Concurrency:              webhookConcurrency,
		Queues:                   map[string]int{tasks.QueueWebhooks: 1},
		TaskCheckInterval:        webhookTaskCheck,
		DelayedTaskCheckInterval: webhookDelayedCheck,
		ShutdownTimeout:          15 * time.Second,
		RetryDelayFunc:           workers.WebhookRetryDelay,
		IsFailure:                workers.WebhookIsFailure,
		Logger:                   asynqLogger{a.Log.With("component", "asynq-webhooks")},
		LogLevel:                 asynq.WarnLevel,
	})
	mux := asynq.NewServeMux()
	mux.HandleFunc(tasks.TypeWebhook, w.Deliver)
	mux.Use(a.Metrics.TaskMiddleware())
	if err := srv.Start(mux); err != nil {
		return nil, fmt.Errorf("webhook workers: %v", err)
	}
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		relay(rctx, w, a)
	}()
	a.Log.Info("webhooks started", "endpoints", len(eps))
	return func() {
		cancel()
		<-done
		srv.Shutdown()
	}, nil
}

// relay runs the webhook relay until ctx is done: at once again while it
// finds events, every webhookRelayEvery otherwise; and prunes the outbox
// of delivered events older than webhookKeep every webhookPruneEvery.
func relay(ctx context.Context, w *workers.Webhooks, a *App) {
	tick := time.NewTicker(webhookRelayEvery)
	defer tick.Stop()
	failing := false
	nextPrune := time.Now()
	for {
		if time.Now().After(nextPrune) {
			nextPrune = time.Now().Add(webhookPruneEvery)
			if _, err := a.State.PruneEvents(ctx, time.Now().Add(-webhookKeep), 10000); err != nil && ctx.Err() == nil {
				a.Log.Warn("webhook outbox prune", "error", err.Error())
			}
		}
		n, err := w.Relay(ctx)
		if err != nil && ctx.Err() == nil && !failing {
			a.Log.Warn("webhook relay", "error", err.Error())
		}
		failing = err != nil
		if err == nil && n > 0 {
			continue
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
