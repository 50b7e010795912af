package webhooks

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/kycq/kycq/api/client"
)

// received is one event as the receiver kept it, the first time it came.
type received struct {
	client.Event
	Data    client.EventData
	Body    string
	Arrived time.Time
}

// receiver is an exchange's webhook endpoint: it verifies each request's
// signature, answers 503 while failing, and keeps each event once.
type receiver struct {
	srv    *httptest.Server
	secret string

	mu         sync.Mutex
	failing    bool
	dropAfter  int // while > 0: keep the event, then answer 500 anyway (the answer "lost")
	requests   int
	badSigs    int
	duplicates int
	events     map[string]*received
	order      []string // event ids in the order they were first kept
	arrived    chan string
}

func newReceiver(t testing.TB, secret string) *receiver {
	r := &receiver{secret: secret, events: map[string]*received{}, arrived: make(chan string, 100000)}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, err := io.ReadAll(req.Body)
	now := time.Now()
	r.mu.Lock()
	defer r.mu.Unlock()
	r.requests++
	if err != nil || req.Method != http.MethodPost || req.Header.Get("Content-Type") != "application/json" {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	e, d, err := client.VerifyWebhook(r.secret, req.Header, body, now, 0)
	if err != nil {
		r.badSigs++
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	if r.failing {
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	if _, seen := r.events[e.ID]; seen {
		r.duplicates++
	} else {
		r.events[e.ID] = &received{Event: e, Data: d, Body: string(body), Arrived: now}
		r.order = append(r.order, e.ID)
		r.arrived <- e.ID
	}
	if r.dropAfter > 0 {
		r.dropAfter--
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (r *receiver) setFailing(f bool) {
	r.mu.Lock()
	r.failing = f
	r.mu.Unlock()
}

// snapshot returns the kept events in arrival order.
func (r *receiver) snapshot() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]received, len(r.order))
	for i, id := range r.order {
		out[i] = *r.events[id]
	}
	return out
}

// waitFor waits until pred holds for the kept events, or fails the test
// after d.
func (r *receiver) waitFor(t testing.TB, d time.Duration, what string, pred func([]received) bool) []received {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		evs := r.snapshot()
		if pred(evs) {
			return evs
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not after %v; received %d events: %v", what, d, len(evs), summary(evs))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func summary(evs []received) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.Type + ":" + e.Data.Outcome
	}
	return out
}
