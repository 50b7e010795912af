// Package loadgen drives a running kycq with synthetic applicants through
// its public API and presigned uploads, and measures throughput and
// submission-to-decision latency.
//
// It only targets loopback addresses, and every run is bounded by a count
// and a duration.
package loadgen

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kycq/kycq/api"
	"github.com/kycq/kycq/api/client"
	"github.com/kycq/kycq/storage"
)

// Applicant is one synthetic application.
type Applicant struct {
	Account string
	Info    api.BasicInfo
	Files   map[storage.Slot]client.File
}

// Source makes the i-th applicant.
type Source func(i int) (Applicant, error)

// Config bounds a run.
type Config struct {
	BaseURL     string
	Token       string
	N           int           // applicants in all
	Concurrency int           // applicants in flight
	Duration    time.Duration // stop starting new applicants after this
	Wait        time.Duration // how long one applicant waits for its decision
	Poll        time.Duration
	Progress    io.Writer // progress bar; nil for none
}

// Result summarises a run.
type Result struct {
	Started, Decided, Failed int
	Outcomes                 map[string]int
	Elapsed                  time.Duration
	Latencies                []time.Duration // submission → decision, as the server stamped them, sorted
	Errors                   map[string]int  // error kinds, counted
}

// Percentile returns the p-th percentile (0..100) of the latencies.
func (r *Result) Percentile(p float64) time.Duration {
	if len(r.Latencies) == 0 {
		return 0
	}
	i := int(p / 100 * float64(len(r.Latencies)-1))
	return r.Latencies[i]
}

// PerMinute is decided verifications per minute.
func (r *Result) PerMinute() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Decided) / r.Elapsed.Minutes()
}

// ErrNotLoopback is returned for a target outside 127.0.0.0/8 and ::1.
var ErrNotLoopback = errors.New("loadgen: only loopback targets are allowed")

// CheckLoopback refuses any target but this machine.
func CheckLoopback(base string) error {
	u, err := url.Parse(base)
	if err != nil {
		return err
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

// Run runs the load and returns its summary.
func Run(ctx context.Context, cfg Config, src Source) (*Result, error) {
	if err := CheckLoopback(cfg.BaseURL); err != nil {
		return nil, err
	}
	if cfg.N <= 0 || cfg.Concurrency <= 0 || cfg.Duration <= 0 {
		return nil, errors.New("loadgen: N, concurrency and duration must be positive")
	}
	if cfg.Wait <= 0 {
		cfg.Wait = 5 * time.Minute
	}
	if cfg.Poll <= 0 {
		cfg.Poll = 200 * time.Millisecond
	}
	c := client.New(cfg.BaseURL, cfg.Token)
	c.HTTP.Transport = transport(cfg.Concurrency)
	res := &Result{Outcomes: map[string]int{}, Errors: map[string]int{}}
	var mu sync.Mutex
	var next, done atomic.Int64
	startAll := time.Now()
	deadline := startAll.Add(cfg.Duration)
	stopBar := progress(cfg.Progress, cfg.N, &done)
	var wg sync.WaitGroup
	for w := 0; w < cfg.Concurrency; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= cfg.N || time.Now().After(deadline) || ctx.Err() != nil {
					return
				}
				out, lat, err := one(ctx, c, src, i, cfg)
				mu.Lock()
				res.Started++
				if err != nil {
					res.Failed++
					res.Errors[errorKind(err)]++
				} else {
					res.Decided++
					res.Outcomes[out]++
					res.Latencies = append(res.Latencies, lat)
				}
				mu.Unlock()
				done.Add(1)
			}
		}()
	}
	wg.Wait()
	stopBar()
	res.Elapsed = time.Since(startAll)
	sort.Slice(res.Latencies, func(i, j int) bool { return res.Latencies[i] < res.Latencies[j] })
	return res, ctx.Err()
}

func one(ctx context.Context, c *client.Client, src Source, i int, cfg Config) (string, time.Duration, error) {
	a, err := src(i)
	if err != nil {
		return "", 0, err
	}
	id, err := c.Apply(ctx, a.Account, a.Info, a.Files)
	if err != nil {
		return "", 0, err
	}
	wctx, cancel := context.WithTimeout(ctx, cfg.Wait)
	defer cancel()
	v, err := c.WaitDecision(wctx, id, cfg.Poll)
	if err != nil {
		return "", 0, err
	}
	if v.SubmittedAt == nil || v.DecidedAt == nil {
		return "", 0, errors.New("loadgen: decision without timestamps")
	}
	return string(v.Decision.Outcome), v.DecidedAt.Sub(*v.SubmittedAt), nil
}

func errorKind(err error) string {
	var ae *client.APIError
	switch {
	case errors.As(err, &ae):
		return fmt.Sprintf("api %d %s", ae.Status, ae.Body.Code)
	case errors.Is(err, client.ErrTimeout):
		return "no decision in time"
	case strings.Contains(err.Error(), "upload refused"):
		return "upload refused"
	}
	return "transport"
}

// Report writes a human summary.
func (r *Result) Report(w io.Writer) {
	fmt.Fprintf(w, "applicants %d  decided %d  failed %d  in %s\n", r.Started, r.Decided, r.Failed, r.Elapsed.Round(time.Millisecond))
	fmt.Fprintf(w, "throughput %.1f verifications/minute\n", r.PerMinute())
	fmt.Fprintf(w, "submission→decision  p50 %s  p90 %s  p99 %s  max %s\n",
		r.Percentile(50).Round(time.Millisecond), r.Percentile(90).Round(time.Millisecond),
		r.Percentile(99).Round(time.Millisecond), r.Percentile(100).Round(time.Millisecond))
	keys := make([]string, 0, len(r.Outcomes))
	for k := range r.Outcomes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(w, "  %-14s %d\n", k, r.Outcomes[k])
	}
	for k, n := range r.Errors {
		fmt.Fprintf(w, "  error: %-30s %d\n", k, n)
	}
}
