package workers

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/hibiken/asynq"

	"github.com/kycq/kycq/storage"
	"github.com/kycq/kycq/tasks"
	"github.com/kycq/kycq/webhooks"
)

// WebhookObserver receives what deliveries measure. result is
// "delivered", "failed" (will be retried) or "dead" (the last retry
// failed); latency, from the event's creation to its delivery, is set for
// "delivered" only. No label ever names an endpoint or an event.
type WebhookObserver interface {
	ObserveWebhook(result string, latency time.Duration)
}

// Webhook results, as passed to WebhookObserver.
const (
	WebhookDelivered = "delivered"
	WebhookFailed    = "failed"
	WebhookDead      = "dead"
)

// Webhooks moves outgoing events from the outbox to the queue (Relay) and
// delivers each to its endpoint (Deliver).
type Webhooks struct {
	State     storage.State
	Enqueuer  Enqueuer
	Endpoints []webhooks.Endpoint
	HTTP      *http.Client // nil: a client with a 10 s timeout that follows no redirects
	Observer  WebhookObserver
	Log       *slog.Logger
	Now       func() time.Time
	// MaxRetry overrides tasks.WebhookMaxRetry when positive.
	MaxRetry int
	// OrderWait is how long Deliver waits in the handler for an earlier
	// event of the same subject to be delivered before it hands the task
	// back to the queue (default 2 s).
	OrderWait time.Duration
}

// NewWebhooks fills the defaults of w.
func NewWebhooks(w Webhooks) *Webhooks {
	if w.HTTP == nil {
		w.HTTP = &http.Client{Timeout: 10 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	if w.Log == nil {
		w.Log = slog.Default()
	}
	if w.Now == nil {
		w.Now = time.Now
	}
	if w.OrderWait <= 0 {
		w.OrderWait = 2 * time.Second
	}
	return &w
}

// relayBatch is how many events one Relay pass moves at most.
const relayBatch = 200

// Relay enqueues a delivery of every undispatched event to every endpoint
// and then marks the event dispatched; it returns how many events it
// moved. Several workers may relay at once: the deliveries' TaskIDs make
// each enqueue happen once. With no endpoint configured, events are marked
// dispatched with no delivery.
func (w *Webhooks) Relay(ctx context.Context) (int, error) {
	events, err := w.State.Undispatched(ctx, relayBatch)
	if err != nil {
		return 0, err
	}
	ids := make([]string, len(w.Endpoints))
	for i, ep := range w.Endpoints {
		ids[i] = ep.ID
	}
	if len(events) == 0 {
		return 0, nil
	}
	eventIDs := make([]string, len(events))
	for i, e := range events {
		eventIDs[i] = e.ID
	}
	// Deliveries first, so that a task never runs without its delivery;
	// the events are marked dispatched only once every task is enqueued.
	if err := w.State.AddDeliveries(ctx, eventIDs, ids, w.Now()); err != nil {
		return 0, err
	}
	for _, e := range events {
		for _, ep := range w.Endpoints {
			t, err := tasks.NewWebhook(e.ID, ep.ID, 0)
			if err != nil {
				return 0, err
			}
			var opts []asynq.Option
			if w.MaxRetry > 0 {
				opts = append(opts, asynq.MaxRetry(w.MaxRetry))
			}
			if _, err := w.Enqueuer.EnqueueContext(ctx, t, opts...); err != nil && !errors.Is(err, asynq.ErrTaskIDConflict) {
				return 0, fmt.Errorf("enqueue webhook: %w", err)
			}
		}
	}
	if err := w.State.MarkDispatched(ctx, eventIDs, w.Now()); err != nil {
		return 0, err
	}
	return len(events), nil
}

// errWebhookWait hands a delivery back to the queue without counting an
// attempt: an earlier event of its subject is still on its way.
var errWebhookWait = errors.New("webhook: waiting for an earlier event of the same subject")

// WebhookIsFailure is the webhook server's asynq IsFailure: waiting for
// an earlier event is not a failed attempt.
func WebhookIsFailure(err error) bool { return !errors.Is(err, errWebhookWait) }

// WebhookRetryDelay is the webhook server's asynq RetryDelayFunc:
// webhooks.Backoff after a failed attempt, a tenth of a second after a
// wait, a second after the worker died mid-delivery.
func WebhookRetryDelay(n int, err error, _ *asynq.Task) time.Duration {
	switch {
	case errors.Is(err, errWebhookWait):
		return 100 * time.Millisecond
	case errors.Is(err, asynq.ErrLeaseExpired):
		return time.Second
	}
	return webhooks.Backoff(n + 1)
}

func (w *Webhooks) endpoint(id string) (webhooks.Endpoint, bool) {
	for _, ep := range w.Endpoints {
		if ep.ID == id {
			return ep, true
		}
	}
	return webhooks.Endpoint{}, false
}

// Deliver POSTs one event to one endpoint, signed. A delivered delivery is
// not sent again (a redelivered task); a dead one is, when an operator
// runs its archived task again. A failed attempt is recorded and returned
// as an error for asynq to retry; the last one moves the delivery to the
// dead-letter list and the task to the archive.
func (w *Webhooks) Deliver(ctx context.Context, t *asynq.Task) error {
	p, err := tasks.ParseWebhook(t.Payload())
	if err != nil {
		return permanent(err)
	}
	d, err := w.State.GetDelivery(ctx, p.EventID, p.Endpoint)
	if errors.Is(err, storage.ErrNotFound) {
		return permanent(err) // the relay records deliveries before it enqueues them
	}
	if err != nil {
		return err
	}
	if d.State == storage.DeliveryDelivered {
		return nil
	}
	ep, ok := w.endpoint(p.Endpoint)
	if !ok {
		_, err := w.State.RecordAttempt(ctx, p.EventID, p.Endpoint, 0, "endpoint not configured", storage.DeliveryDead, w.Now())
		w.observe(WebhookDead, 0)
		return permanent(errors.Join(errors.New("webhook: endpoint not configured"), err))
	}
	retried, _ := asynq.GetRetryCount(ctx)
	maxRetry, ok := asynq.GetMaxRetry(ctx)
	last := ok && retried >= maxRetry
	if blocked, err := w.waitOrder(ctx, p); err != nil {
		return err
	} else if blocked && !last {
		return errWebhookWait
	}
	e, err := w.State.GetEvent(ctx, p.EventID)
	if err != nil {
		return err
	}
	body, err := webhooks.Event{ID: e.ID, Type: e.Type, CreatedAt: e.CreatedAt, Data: e.Data}.Body()
	if err != nil {
		return permanent(err)
	}
	status, phrase := w.post(ctx, ep, e.ID, body)
	if phrase == "" {
		stored, err := w.State.RecordAttempt(ctx, e.ID, ep.ID, status, "", storage.DeliveryDelivered, w.Now())
		if err != nil {
			return err
		}
		w.observe(WebhookDelivered, stored.DeliveredAt.Sub(e.CreatedAt))
		return nil
	}
	state, result := storage.DeliveryQueued, WebhookFailed
	if last {
		state, result = storage.DeliveryDead, WebhookDead
	}
	if _, err := w.State.RecordAttempt(ctx, e.ID, ep.ID, status, phrase, state, w.Now()); err != nil {
		return err
	}
	w.observe(result, 0)
	return fmt.Errorf("webhook %s to %s: %s", e.ID, ep.ID, phrase)
}

// waitOrder waits up to OrderWait for the earlier events of p's subject
// to settle and reports whether one is still on its way.
func (w *Webhooks) waitOrder(ctx context.Context, p tasks.Webhook) (bool, error) {
	deadline := time.Now().Add(w.OrderWait)
	for wait := 2 * time.Millisecond; ; wait = min(2*wait, 20*time.Millisecond) {
		blocked, err := w.State.DeliveryBlocked(ctx, p.EventID, p.Endpoint)
		if err != nil || !blocked || time.Now().After(deadline) {
			return blocked, err
		}
		select {
		case <-ctx.Done():
			return true, ctx.Err()
		case <-time.After(wait):
		}
	}
}

// post sends one attempt and returns the status and, when it failed, a
// fixed phrase saying why: never the URL or anything the endpoint said.
func (w *Webhooks) post(ctx context.Context, ep webhooks.Endpoint, id string, body []byte) (int, string) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ep.URL, bytes.NewReader(body))
	if err != nil {
		return 0, "bad request"
	}
	for k, v := range webhooks.Headers(ep.Secret, id, w.Now(), body) {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "kycq-webhooks/1")
	resp, err := w.HTTP.Do(req)
	if err != nil {
		var ne net.Error
		if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
			return 0, "timeout"
		}
		return 0, "connection failed"
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, fmt.Sprintf("status %d", resp.StatusCode)
	}
	return resp.StatusCode, ""
}

func (w *Webhooks) observe(result string, latency time.Duration) {
	if w.Observer != nil {
		w.Observer.ObserveWebhook(result, latency)
	}
}
