// Package loadgen drives a running kycq with synthetic applicants through
// its public API and presigned uploads, as the exchange's apps would, and
// measures throughput and submission-to-decision latency.
//
// It targets this machine only: the API and every presigned upload URL
// must be loopback addresses. Every run is bounded by a count of
// applicants and a duration.
package loadgen

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/url"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kycq/kycq/api/client"
)

// Config bounds a run.
type Config struct {
	BaseURL     string        // kycq's API, loopback only
	Token       string        // API bearer token
	N           int           // applicants in all
	Concurrency int           // applicants in flight at once
	Duration    time.Duration // no applicant starts after this
	Wait        time.Duration // how long one applicant waits for its decision (default 5m)
	Poll        time.Duration // how often a waiting applicant asks (default 200ms)
	Progress    io.Writer     // where the progress bar goes; nil for none
}

// ErrNotLoopback is returned for a target outside 127.0.0.0/8 and ::1.
var ErrNotLoopback = errors.New("loadgen: only loopback targets are allowed")

// CheckLoopback refuses any URL whose host is not this machine.
func CheckLoopback(rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil {
		return fmt.Errorf("loadgen: %w", err)
	}
	host := u.Hostname()
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("%w: %q", ErrNotLoopback, host)
	}
	return nil
}

// counters are the live figures the progress bar shows.
type counters struct {
	started, decided, failed atomic.Int64
}

// Run runs the load and returns its summary. It returns early, with the
// summary so far, when ctx ends.
func Run(ctx context.Context, cfg Config, src Source) (*Result, error) {
	if err := CheckLoopback(cfg.BaseURL); err != nil {
		return nil, err
	}
	if cfg.N <= 0 || cfg.Concurrency <= 0 || cfg.Duration <= 0 {
		return nil, errors.New("loadgen: N, concurrency and duration must be positive")
	}
	if src == nil {
		return nil, errors.New("loadgen: no applicant source")
	}
	if cfg.Wait <= 0 {
		cfg.Wait = 5 * time.Minute
	}
	if cfg.Poll <= 0 {
		cfg.Poll = 200 * time.Millisecond
	}
	c := client.New(cfg.BaseURL, cfg.Token)
	c.HTTP.Transport = transport(cfg.Concurrency)
	res := &Result{Outcomes: map[string]int{}, Errors: map[string]int{}, Concurrency: cfg.Concurrency}
	var mu sync.Mutex
	var next atomic.Int64
	var live counters
	start := time.Now()
	deadline := start.Add(cfg.Duration)
	stopBar := startProgress(cfg.Progress, cfg.N, &live)
	var wg sync.WaitGroup
	for range cfg.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= cfg.N || time.Now().After(deadline) || ctx.Err() != nil {
					return
				}
				live.started.Add(1)
				o := one(ctx, c, src, i, cfg)
				mu.Lock()
				res.add(o)
				mu.Unlock()
				if o.err != nil {
					live.failed.Add(1)
				} else {
					live.decided.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	stopBar()
	res.Elapsed = time.Since(start)
	res.finish()
	return res, ctx.Err()
}

// outcome is what happened to one applicant.
type outcome struct {
	id       string
	decision string
	apply    time.Duration // create, uploads and submit, as the client saw them
	latency  time.Duration // submission → decision, as the server stamped them
	err      error
}

func one(ctx context.Context, c *client.Client, src Source, i int, cfg Config) outcome {
	a, err := src(i)
	if err != nil {
		return outcome{err: err}
	}
	t0 := time.Now()
	id, err := apply(ctx, c, a)
	o := outcome{id: id, apply: time.Since(t0)}
	if err != nil {
		o.err = err
		return o
	}
	wctx, cancel := context.WithTimeout(ctx, cfg.Wait)
	defer cancel()
	v, err := c.WaitDecision(wctx, id, cfg.Poll)
	if err != nil {
		o.err = err
		return o
	}
	if v.SubmittedAt == nil || v.DecidedAt == nil {
		o.err = errors.New("loadgen: decision without timestamps")
		return o
	}
	o.decision = string(v.Decision.Outcome)
	o.latency = v.DecidedAt.Sub(*v.SubmittedAt)
	return o
}

// apply creates a verification, uploads every file to its presigned URL
// (refusing URLs that leave this machine) and submits it.
func apply(ctx context.Context, c *client.Client, a Applicant) (string, error) {
	v, err := c.Create(ctx, a.Account, a.Info, a.Files, "")
	if err != nil {
		return "", err
	}
	for slot, f := range a.Files {
		u, ok := v.Uploads[string(slot)]
		if !ok {
			return v.ID, fmt.Errorf("loadgen: no upload URL for %s", slot)
		}
		if err := CheckLoopback(u.URL); err != nil {
			return v.ID, fmt.Errorf("presigned URL: %w", err)
		}
		if err := c.Upload(ctx, u, f.Data); err != nil {
			return v.ID, err
		}
	}
	return v.ID, c.Submit(ctx, v.ID)
}

// errorKind names an error for the summary without its details (which may
// carry IDs).
func errorKind(err error) string {
	var ae *client.APIError
	switch {
	case errors.As(err, &ae):
		return fmt.Sprintf("api %d %s", ae.Status, ae.Body.Code)
	case errors.Is(err, client.ErrTimeout):
		return "no decision in time"
	case errors.Is(err, ErrNotLoopback):
		return "upload URL not loopback"
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return "cancelled"
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return "transport"
	}
	if s := err.Error(); len(s) > 0 && len(s) < 80 {
		return s
	}
	return "other"
}

// Result summarises a run.
type Result struct {
	Concurrency int
	Started     int
	Decided     int
	Failed      int
	Outcomes    map[string]int // decisions by outcome
	Errors      map[string]int // failures by kind
	// ErrorExamples holds the first error message of each kind.
	ErrorExamples map[string]string
	Elapsed       time.Duration // from the first start to the last decision
	// Latencies are submission → decision as the server stamped them
	// (the same figure kycq_review_latency_seconds observes), sorted.
	Latencies []time.Duration
	// Apply are create + uploads + submit as the client saw them, sorted.
	Apply []time.Duration
	// IDs are the verification IDs created, decided or not.
	IDs []string
}

func (r *Result) add(o outcome) {
	r.Started++
	if o.id != "" {
		r.IDs = append(r.IDs, o.id)
	}
	if o.err != nil {
		r.Failed++
		kind := errorKind(o.err)
		r.Errors[kind]++
		if r.ErrorExamples == nil {
			r.ErrorExamples = map[string]string{}
		}
		if _, ok := r.ErrorExamples[kind]; !ok {
			r.ErrorExamples[kind] = o.err.Error()
		}
		return
	}
	r.Decided++
	r.Outcomes[o.decision]++
	r.Latencies = append(r.Latencies, o.latency)
	r.Apply = append(r.Apply, o.apply)
}

func (r *Result) finish() {
	sort.Slice(r.Latencies, func(i, j int) bool { return r.Latencies[i] < r.Latencies[j] })
	sort.Slice(r.Apply, func(i, j int) bool { return r.Apply[i] < r.Apply[j] })
}

// Percentile returns the p-th percentile (0..100) of the latencies, by the
// nearest-rank method; 0 when there are none.
func (r *Result) Percentile(p float64) time.Duration { return percentile(r.Latencies, p) }

func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	rank = min(max(rank, 1), len(sorted))
	return sorted[rank-1]
}

// PerMinute is decided verifications per minute of the run.
func (r *Result) PerMinute() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Decided) / r.Elapsed.Minutes()
}
