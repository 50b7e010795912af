package s3embed

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// relay receives versitygw's event webhooks on a private loopback listener
// and forwards them to the configured URL, retrying with backoff.
//
// versitygw posts a test event when it starts and refuses to start if the
// URL does not answer, and it gives up on an event after one try. The
// relay answers at once, so the gateway can start before kycq's API
// listens, and redelivers events the API missed while starting or
// restarting. Its queue is bounded; an event still undelivered after
// maxTries is dropped and logged (kycq's submit call and its reconciler do
// not depend on events; they only make uploads submit sooner).
type relay struct {
	target string
	token  string // bearer token sent with every event, if set
	client *http.Client
	log    *slog.Logger
	ln     net.Listener
	srv    *http.Server
	queue  chan []byte
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

const (
	relayQueue    = 1024
	relayMaxTries = 8
	relayMaxBody  = 1 << 20
)

func startRelay(target string, log *slog.Logger) (*relay, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &relay{
		target: target,
		client: &http.Client{Timeout: 5 * time.Second},
		log:    log,
		ln:     ln,
		queue:  make(chan []byte, relayQueue),
		ctx:    ctx,
		cancel: cancel,
	}
	r.srv = &http.Server{Handler: http.HandlerFunc(r.receive), ReadHeaderTimeout: 5 * time.Second}
	r.wg.Add(2)
	go func() { defer r.wg.Done(); r.srv.Serve(ln) }()
	go func() { defer r.wg.Done(); r.forward() }()
	return r, nil
}

// url is where versitygw posts.
func (r *relay) url() string { return "http://" + r.ln.Addr().String() + "/events" }

func (r *relay) receive(w http.ResponseWriter, req *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, req.Body, relayMaxBody))
	if err != nil {
		w.WriteHeader(http.StatusRequestEntityTooLarge)
		return
	}
	w.WriteHeader(http.StatusOK)
	if isTestEvent(body) {
		return
	}
	select {
	case r.queue <- body:
	default:
		r.log.Warn("s3embed: event queue full, dropping an object event")
	}
}

// isTestEvent reports whether body is the s3:TestEvent a webhook sender
// posts when it starts.
func isTestEvent(body []byte) bool {
	var ev struct {
		Event string `json:"Event"`
	}
	return json.Unmarshal(body, &ev) == nil && ev.Event == "s3:TestEvent"
}

func (r *relay) forward() {
	for {
		select {
		case <-r.ctx.Done():
			return
		case body := <-r.queue:
			r.deliver(body)
		}
	}
}

// deliver posts one event until the target answers 2xx, with exponential
// backoff, at most relayMaxTries times.
func (r *relay) deliver(body []byte) {
	wait := 100 * time.Millisecond
	var err error
	for try := 1; try <= relayMaxTries; try++ {
		if err = r.post(body); err == nil {
			return
		}
		if errors.Is(err, errRefused) {
			r.log.Warn("s3embed: the webhook refused an object event", "err", err)
			return
		}
		if try == relayMaxTries {
			break
		}
		select {
		case <-r.ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = min(2*wait, 5*time.Second)
	}
	r.log.Warn("s3embed: dropping an object event the webhook did not take", "tries", relayMaxTries, "err", err)
}

var (
	errStatus  = errors.New("webhook answered a server error")
	errRefused = errors.New("webhook refused the event (4xx)")
)

func (r *relay) post(body []byte) error {
	req, err := http.NewRequestWithContext(r.ctx, http.MethodPost, r.target, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if r.token != "" {
		req.Header.Set("Authorization", "Bearer "+r.token)
	}
	resp, err := r.client.Do(req)
	if err != nil {
		// The error text holds the URL, and the URL may hold a token.
		var ue *url.Error
		if errors.As(err, &ue) {
			return ue.Err
		}
		return errors.New("webhook request failed")
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	switch {
	case resp.StatusCode/100 == 2:
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusRequestTimeout || resp.StatusCode >= 500:
		return errStatus
	default:
		return errRefused
	}
	return nil
}

// close stops receiving, then stops forwarding (undelivered events are
// dropped).
func (r *relay) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	r.srv.Shutdown(ctx)
	r.cancel()
	r.wg.Wait()
}
