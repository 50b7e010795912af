package client

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/kycq/kycq/webhooks"
)

// Event is an event kycq POSTs to a webhook endpoint.
type Event = webhooks.Event

// EventData is the payload of an Event: ids and outcome codes only.
type EventData = webhooks.Data

// VerifyWebhook checks the signature and timestamp of a webhook request
// kycq sent (its headers and the exact body bytes received) with the
// endpoint's secret, and decodes the event. tolerance bounds how far the
// signed timestamp may be from now (0: webhooks.DefaultTolerance). The
// caller de-duplicates by Event.ID: delivery is at least once.
func VerifyWebhook(secret string, h http.Header, body []byte, now time.Time, tolerance time.Duration) (Event, EventData, error) {
	if err := webhooks.Verify([]byte(secret), h, body, now, tolerance); err != nil {
		return Event{}, EventData{}, err
	}
	var e Event
	if err := json.Unmarshal(body, &e); err != nil {
		return Event{}, EventData{}, fmt.Errorf("kycq: webhook body: %v", err)
	}
	if e.ID != h.Get(webhooks.HeaderID) {
		return Event{}, EventData{}, fmt.Errorf("kycq: webhook-id %q does not match the event id", h.Get(webhooks.HeaderID))
	}
	var d EventData
	if len(e.Data) > 0 {
		if err := json.Unmarshal(e.Data, &d); err != nil {
			return Event{}, EventData{}, fmt.Errorf("kycq: webhook data: %v", err)
		}
	}
	return e, d, nil
}
