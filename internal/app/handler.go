package app

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"github.com/kycq/kycq/internal/metrics"
)

// Handler returns everything kycq serves over HTTP: the API under /v1,
// /metrics, /healthz, /readyz, the Asynqmon dashboard under /monitoring
// and the review console under /console (staff logins of its own).
// Everything but /healthz and /readyz needs the API token (the dashboard
// also accepts it as the HTTP Basic password, for browsers).
func (a *App) Handler(ctx context.Context) (http.Handler, error) {
	if err := a.openMetrics(); err != nil {
		return nil, err
	}
	s := a.API()
	if err := a.Metrics.RegisterQueues(a.Inspector); err != nil {
		return nil, err
	}
	if err := a.Metrics.RegisterOldestUndecided(metrics.SinceOldest(a.State.OldestUndecided, time.Now)); err != nil {
		return nil, err
	}
	if err := a.Metrics.RegisterReviewQueue(a.State.ReviewWaiting, time.Now); err != nil {
		return nil, err
	}
	a.mountOps(s)
	a.mountMonitoring(s)
	if err := a.mountConsole(s); err != nil {
		return nil, err
	}
	return s, nil
}

// metricsToken is the token /metrics accepts: KYCQ_METRICS_TOKEN when set
// (so Prometheus does not hold the API token), else the API token.
func (a *App) metricsToken() string {
	if a.Config.MetricsToken != "" {
		return a.Config.MetricsToken
	}
	return a.Config.APIToken
}

// ready answers 200 when Redis, the blob store and the database all answer
// within the ping timeout, and 503 naming the ones that do not.
func (a *App) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), pingTimeout)
	defer cancel()
	checks := map[string]func(context.Context) error{
		"redis":    a.pingRedis,
		"s3":       a.Blobs.Ping,
		"database": a.State.Ping,
	}
	var (
		mu     sync.Mutex
		wg     sync.WaitGroup
		status = map[string]string{}
		ok     = true
	)
	for name, ping := range checks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := ping(ctx)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				ok = false
				status[name] = "unavailable"
				if b, ok := backendOf[name]; ok {
					a.Metrics.StorageError(b, metrics.OpPing)
				}
				a.Log.WarnContext(ctx, "readiness", "dependency", name, "error", err.Error())
				return
			}
			status[name] = "ok"
		}()
	}
	wg.Wait()
	code := http.StatusOK
	if !ok {
		code = http.StatusServiceUnavailable
	}
	writeJSON(w, code, status)
}

// backendOf maps the readiness checks of the blob store and the database
// to their backend label of kycq_storage_errors_total, so a failing probe
// shows in the API process' metrics too. Redis is left out: when it is
// down, the asynq queue gauges vanish and KycqNoWorkers fires.
var backendOf = map[string]string{"s3": metrics.BackendS3, "database": metrics.BackendDB}

func (a *App) pingRedis(ctx context.Context) error {
	errc := make(chan error, 1)
	go func() {
		// The inspector has no context-aware ping; Queues is one round trip.
		_, err := a.Inspector.Queues()
		errc <- err
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="kycq", charset="UTF-8"`)
	}
	writeJSON(w, status, map[string]map[string]string{"error": {"code": code, "message": msg}})
}
