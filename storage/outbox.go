package storage

import (
	"context"
	"encoding/json"
	"time"
)

// Event is one outgoing event in the outbox: a state change the exchange
// is told about (package webhooks defines the types and the wire form).
// The store appends it in the same transaction as the change it reports,
// so an event exists if and only if its change committed.
type Event struct {
	Seq     int64  // position in the outbox; increases with every append
	ID      string // unique; the receivers' de-duplication key
	Type    string // a webhooks type, e.g. "verification.decided"
	Subject string // ordering key, e.g. "verification:<id>": one subject's events are delivered in order
	// Data holds ids and outcome codes only, never personal data.
	Data         json.RawMessage
	CreatedAt    time.Time
	DispatchedAt time.Time // zero until enqueued for every endpoint
}

// DeliveryState is where the delivery of one event to one endpoint is.
type DeliveryState string

const (
	DeliveryQueued    DeliveryState = "queued"    // enqueued; being attempted
	DeliveryDelivered DeliveryState = "delivered" // the endpoint answered 2xx; final
	DeliveryDead      DeliveryState = "dead"      // every retry failed: the dead-letter list
)

// Delivery is the delivery of one event to one endpoint.
type Delivery struct {
	EventID      string
	Endpoint     string // the endpoint's id, never its URL
	State        DeliveryState
	Attempts     int
	Redeliveries int    // times an operator sent it again from the dead-letter list
	LastStatus   int    // HTTP status of the last attempt; 0 when none came back
	LastError    string // a fixed phrase, never a response body
	UpdatedAt    time.Time
	DeliveredAt  time.Time
}

// Outbox stores outgoing events and their deliveries.
type Outbox interface {
	// AppendEvent stores an event on its own, for producers whose change
	// is not a store transaction. The same ID again is a no-op.
	AppendEvent(ctx context.Context, e Event) error
	// GetEvent returns the event or ErrNotFound.
	GetEvent(ctx context.Context, id string) (Event, error)
	// Undispatched lists events not yet dispatched, by Seq, at most limit.
	Undispatched(ctx context.Context, limit int) ([]Event, error)
	// AddDeliveries records a queued delivery of each event to each
	// endpoint, before their tasks are enqueued; an existing delivery is
	// kept. ErrNotFound when an event does not exist.
	AddDeliveries(ctx context.Context, eventIDs, endpoints []string, at time.Time) error
	// MarkDispatched records that the events' deliveries were enqueued
	// (DispatchedAt; the first time stays).
	MarkDispatched(ctx context.Context, eventIDs []string, at time.Time) error
	// DeliveryBlocked reports whether an earlier event of the same subject
	// is still to be delivered to endpoint: its delivery is queued, or it
	// has none and is not dispatched yet.
	DeliveryBlocked(ctx context.Context, eventID, endpoint string) (bool, error)
	// RecordAttempt counts one attempt of a queued delivery and moves it
	// to state (queued to keep trying, delivered or dead). A delivered
	// delivery stays delivered. ErrNotFound when the delivery does not
	// exist.
	RecordAttempt(ctx context.Context, eventID, endpoint string, status int, errPhrase string, state DeliveryState, at time.Time) (Delivery, error)
	// GetDelivery returns a delivery or ErrNotFound.
	GetDelivery(ctx context.Context, eventID, endpoint string) (Delivery, error)
	// DeadDeliveries lists dead deliveries after the cursor (the last
	// listed one's (UpdatedAt, EventID, Endpoint); zero for the start),
	// oldest first, at most limit.
	DeadDeliveries(ctx context.Context, after Delivery, limit int) ([]Delivery, error)
	// PruneEvents deletes, with their deliveries, at most limit events
	// created before the given time that were dispatched and delivered to
	// every endpoint (a dead or queued delivery keeps its event), oldest
	// first, and returns how many it deleted.
	PruneEvents(ctx context.Context, before time.Time, limit int) (int, error)
	// Redeliver moves a dead delivery back to queued and counts the
	// redelivery; on a queued or delivered one it returns it with
	// ErrConflict.
	Redeliver(ctx context.Context, eventID, endpoint string, at time.Time) (Delivery, error)
}
