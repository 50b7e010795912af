package tasks

import (
	"fmt"
	"strings"
	"time"

	"github.com/hibiken/asynq"
)

// TypeWebhook delivers one outgoing event to one endpoint.
const TypeWebhook = "kycq:webhook:deliver"

// QueueWebhooks is the queue of webhook deliveries. It is served by an
// asynq server of its own that polls it often (deliveries should arrive
// within a second of the change) and that knows their retry schedule; the
// main server does not list it.
const QueueWebhooks = "kycq_webhooks"

// WebhookMaxRetry is how many times a failing delivery is retried before it
// is archived (the dead-letter list). With webhooks.Backoff the retries
// span about 68 minutes.
const WebhookMaxRetry = 12

// Webhook is the payload of a delivery.
type Webhook struct {
	V          int    `json:"v"`
	EventID    string `json:"event_id"`
	Endpoint   string `json:"endpoint"`   // the endpoint's id, never its URL
	Redelivery int    `json:"redelivery"` // 0, or the operator's n-th redelivery from the dead-letter list
}

func checkToken(what, s string) error {
	if s == "" || len(s) > 64 || strings.ContainsAny(s, ": /") {
		return fmt.Errorf("%w: invalid %s", ErrPayload, what)
	}
	return nil
}

// NewWebhook returns the task that delivers event eventID to endpoint; the
// n-th redelivery from the dead-letter list has a TaskID of its own.
func NewWebhook(eventID, endpoint string, redelivery int) (*asynq.Task, error) {
	p := Webhook{V: PayloadVersion, EventID: eventID, Endpoint: endpoint, Redelivery: redelivery}
	if err := p.check(); err != nil {
		return nil, err
	}
	return newTask(TypeWebhook, WebhookID(eventID, endpoint, redelivery), p,
		asynq.Queue(QueueWebhooks), asynq.MaxRetry(WebhookMaxRetry), asynq.Timeout(30*time.Second))
}

// WebhookID returns the TaskID of a delivery: one per event, endpoint and
// redelivery, so the relays of several workers enqueue it once.
func WebhookID(eventID, endpoint string, redelivery int) string {
	id := TypeWebhook + ":" + endpoint + ":" + eventID
	if redelivery > 0 {
		id += fmt.Sprintf(":r%d", redelivery)
	}
	return id
}

func (p Webhook) check() error {
	if p.V != PayloadVersion {
		return fmt.Errorf("%w: version %d, want %d", ErrPayload, p.V, PayloadVersion)
	}
	if p.Redelivery < 0 {
		return fmt.Errorf("%w: negative redelivery", ErrPayload)
	}
	if err := checkToken("event id", p.EventID); err != nil {
		return err
	}
	return checkToken("endpoint", p.Endpoint)
}

// ParseWebhook decodes a delivery payload.
func ParseWebhook(b []byte) (Webhook, error) {
	var p Webhook
	if err := decode(b, &p); err != nil {
		return p, err
	}
	return p, p.check()
}
