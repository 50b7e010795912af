package api

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"time"

	"github.com/hibiken/asynq"

	"github.com/kycq/kycq/storage"
	"github.com/kycq/kycq/tasks"
)

// Outgoing webhooks' dead-letter list: deliveries whose every retry
// failed, listed and sent again by an operator (docs/webhooks.md).

// DeliveryView is a webhook delivery as the API shows it: the endpoint's
// id, never its URL.
type DeliveryView struct {
	EventID      string                `json:"event_id"`
	EventType    string                `json:"event_type"`
	Endpoint     string                `json:"endpoint"`
	State        storage.DeliveryState `json:"state"`
	Attempts     int                   `json:"attempts"`
	Redeliveries int                   `json:"redeliveries"`
	LastStatus   int                   `json:"last_status,omitempty"`
	LastError    string                `json:"last_error,omitempty"`
	UpdatedAt    time.Time             `json:"updated_at"`
	DeliveredAt  *time.Time            `json:"delivered_at,omitempty"`
}

var (
	eventIDRE     = regexp.MustCompile(`^evt_[0-9a-f]{32}$`)
	endpointIDRE  = regexp.MustCompile(`^ep_[0-9a-f]{12}$`)
	errNoDelivery = &Error{Code: "not_found", Message: "no such webhook delivery", status: http.StatusNotFound}
)

func (s *Server) deliveryView(ctx context.Context, d storage.Delivery) (DeliveryView, error) {
	e, err := s.cfg.State.GetEvent(ctx, d.EventID)
	if err != nil {
		return DeliveryView{}, err
	}
	v := DeliveryView{EventID: d.EventID, EventType: e.Type, Endpoint: d.Endpoint, State: d.State, Attempts: d.Attempts,
		Redeliveries: d.Redeliveries, LastStatus: d.LastStatus, LastError: d.LastError, UpdatedAt: d.UpdatedAt}
	if !d.DeliveredAt.IsZero() {
		v.DeliveredAt = &d.DeliveredAt
	}
	return v, nil
}

// listDeadDeliveries serves GET /v1/webhooks/dead.
func (s *Server) listDeadDeliveries(w http.ResponseWriter, r *http.Request) {
	after, endpoint, limit, err := pageParams(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ds, err := s.cfg.State.DeadDeliveries(r.Context(),
		storage.Delivery{UpdatedAt: after.At, EventID: after.ID, Endpoint: endpoint}, limit+1)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := Page[DeliveryView]{Items: []DeliveryView{}}
	if len(ds) > limit {
		ds = ds[:limit]
		last := ds[limit-1]
		p.NextCursor = encodeCursor(last.UpdatedAt, last.EventID, last.Endpoint)
	}
	for _, d := range ds {
		v, err := s.deliveryView(r.Context(), d)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		p.Items = append(p.Items, v)
	}
	writeJSON(w, http.StatusOK, p)
}

// deliveryParams reads {endpoint} and {event} of a delivery route.
func (s *Server) deliveryParams(w http.ResponseWriter, r *http.Request) (endpoint, event string, ok bool) {
	endpoint, event = r.PathValue("endpoint"), r.PathValue("event")
	if !endpointIDRE.MatchString(endpoint) || !eventIDRE.MatchString(event) {
		s.fail(w, r, &Error{Code: "invalid_id", Message: "not an endpoint id (ep_…) and an event id (evt_…)", status: http.StatusBadRequest})
		return "", "", false
	}
	return endpoint, event, true
}

// getDelivery serves GET /v1/webhooks/deliveries/{endpoint}/{event}.
func (s *Server) getDelivery(w http.ResponseWriter, r *http.Request) {
	endpoint, event, ok := s.deliveryParams(w, r)
	if !ok {
		return
	}
	d, err := s.cfg.State.GetDelivery(r.Context(), event, endpoint)
	if errors.Is(err, storage.ErrNotFound) {
		s.fail(w, r, errNoDelivery)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.deliveryView(r.Context(), d)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// redeliver serves POST /v1/webhooks/deliveries/{endpoint}/{event}/redeliver:
// a dead delivery goes back to queued with a task of its own. Repeating it
// while the delivery is queued enqueues nothing new; a delivered one is
// 409.
func (s *Server) redeliver(w http.ResponseWriter, r *http.Request) {
	endpoint, event, ok := s.deliveryParams(w, r)
	if !ok {
		return
	}
	d, err := s.cfg.State.Redeliver(r.Context(), event, endpoint, s.cfg.Now())
	switch {
	case errors.Is(err, storage.ErrNotFound):
		s.fail(w, r, errNoDelivery)
		return
	case errors.Is(err, storage.ErrConflict) && d.State == storage.DeliveryDelivered:
		s.fail(w, r, &Error{Code: "already_delivered", Message: "the event was delivered to this endpoint", status: http.StatusConflict})
		return
	case errors.Is(err, storage.ErrConflict) && d.State == storage.DeliveryQueued:
		// Queued already: an earlier call may have stopped before its
		// enqueue; enqueueing again is refused by the TaskID if not.
	case err != nil:
		s.fail(w, r, err)
		return
	}
	t, err := tasks.NewWebhook(event, endpoint, d.Redeliveries)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if _, err := s.cfg.Enqueuer.EnqueueContext(r.Context(), t); err != nil && !errors.Is(err, asynq.ErrTaskIDConflict) {
		s.fail(w, r, err)
		return
	}
	v, err := s.deliveryView(r.Context(), d)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.log.InfoContext(r.Context(), "webhook redelivery", "event_id", event, "endpoint", endpoint)
	writeJSON(w, http.StatusAccepted, v)
}
