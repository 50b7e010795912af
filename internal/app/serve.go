package app

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"

	"github.com/kycq/kycq/api"
	"github.com/kycq/kycq/internal/metrics"
)

// API returns the HTTP API over the opened dependencies. Holder-check
// attempts are counted in the registry when metrics were opened.
func (a *App) API() *api.Server {
	var observer api.HolderObserver
	if a.Registry != nil {
		if h, err := metrics.NewHolderAttempts(a.Registry); err == nil {
			observer = h
		} else {
			a.Log.Warn("holder attempt metrics unavailable", "error", err)
		}
	}
	return api.New(api.Config{
		Token: a.Config.APIToken, WebhookToken: a.Config.WebhookToken,
		State: a.State, Blobs: a.Blobs, Keys: a.Keys, Enqueuer: a.Client, Log: a.Log, Review: a.Review(),
		Limits: api.Limits{MaxImageBytes: a.Config.MaxImageBytes, MaxVideoBytes: a.Config.MaxVideoBytes,
			URLTTL: a.Config.URLTTL, MaxBodyBytes: 64 << 10},
		HolderLimit: api.HolderLimit{PerVerification: a.Config.HolderMaxPerVerification,
			PerAccount: a.Config.HolderMaxPerAccount, Window: a.Config.HolderWindow},
		HolderObserver: observer,
		Challenges:     a.Config.Challenges,
	})
}

// Serve serves h on l until ctx is done, then drains requests for up to
// ten seconds.
func (a *App) Serve(ctx context.Context, l net.Listener, h http.Handler) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    32 << 10,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(l) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
