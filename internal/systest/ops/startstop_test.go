package ops

import (
	"context"
	"flag"
	"io"
	"log/slog"
	"testing"

	"github.com/kycq/kycq/internal/app"
	"github.com/kycq/kycq/internal/systest/harness"
)

// TestWorkStoppedWhileStarting asks the workers of an embedded kycq to
// stop before they have started (the context is done while they load the
// known faces from the store, as when SIGTERM lands during start-up on a
// loaded node): Work must end cleanly, as a stop after start does, since
// no task was taken.
func TestWorkStoppedWhileStarting(t *testing.T) {
	env := harness.EmbeddedEnv(t)
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	cfg, err := app.Load(fs, nil, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.KnownFaces {
		t.Fatal("known faces are off by default: this test needs their loading at start")
	}
	a, err := app.Open(context.Background(), cfg, app.Embedded, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	checks, err := a.Pipeline()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := a.Work(ctx, checks); err != nil {
		t.Fatalf("Work stopped while starting: %v, want a clean stop", err)
	}
}
