package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
)

// ErrStopped is what Run returns when a part it started stopped with an
// error; the errors themselves are logged ("stopped").
var ErrStopped = errors.New("app: a part stopped with an error")

// Run serves the API on l (when api) and runs the workers (when work)
// until ctx ends, then waits for every part to finish. A worker-only
// process also serves /metrics, /healthz and /readyz on MetricsAddr. An
// error setting a part up is returned as it is; one a running part stops
// with is logged and makes Run return ErrStopped.
func (a *App) Run(ctx context.Context, l net.Listener, api, work bool) error {
	errc := make(chan error, 2)
	running := 0
	if api {
		h, err := a.Handler(ctx)
		if err != nil {
			return err
		}
		running++
		go func() { errc <- a.Serve(ctx, l, h) }()
		a.Log.Info("api listening", "addr", l.Addr().String())
	}
	if work {
		checks, err := a.Pipeline()
		if err != nil {
			return err
		}
		if !api {
			// A worker-only process still shows operators its metrics and
			// health, on a port of its own.
			ml, err := net.Listen("tcp", a.Config.MetricsAddr)
			if err != nil {
				return fmt.Errorf("metrics listener: %w", err)
			}
			defer ml.Close()
			h, err := a.OpsHandler()
			if err != nil {
				return err
			}
			running++
			go func() { errc <- a.Serve(ctx, ml, h) }()
			a.Log.Info("metrics listening", "addr", ml.Addr().String())
		}
		running++
		go func() { errc <- a.Work(ctx, checks) }()
	}
	var stopped error
	for ; running > 0; running-- {
		if err := <-errc; err != nil && err != http.ErrServerClosed {
			a.Log.Error("stopped", "error", err.Error())
			stopped = ErrStopped
		}
	}
	return stopped
}
