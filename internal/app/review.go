package app

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/kycq/kycq/console"
	"github.com/kycq/kycq/face"
	"github.com/kycq/kycq/imagecheck"
	"github.com/kycq/kycq/review"
	"github.com/kycq/kycq/storage"
	"github.com/kycq/kycq/workers"
)

// Review returns the staff service (review console and reviewer API),
// created on first use. Call it after the metrics are open so that
// reviewers' decisions are observed.
func (a *App) Review() *review.Service {
	a.reviewOnce.Do(func() {
		var obs review.Observer
		if a.Metrics != nil {
			obs = a.Metrics
		}
		// The console boxes portraits and selfie faces with the production
		// detector; without a face engine it shows the photos without them.
		var det imagecheck.FaceDetector
		if eng, err := face.New(face.Options{Threshold: a.Config.FaceThreshold, FFmpeg: a.Config.FFmpeg}); err == nil {
			det = workers.FaceDetector{Engine: eng}
		} else {
			a.Log.Warn("review console without face boxes", "error", err.Error())
		}
		opts := imagecheck.DefaultOptions()
		opts.FaceDetector = det
		a.review = review.New(review.Service{State: a.State, Blobs: a.Blobs, Keys: a.Keys, Enqueuer: a.Client,
			Observer: obs, Log: a.Log, Photos: review.ImageAnnotator{Options: opts},
			Frames: review.VideoFrames{FFmpeg: a.Config.FFmpeg, Detector: det}})
	})
	return a.review
}

// mountConsole serves the review console at /console.
func (a *App) mountConsole(mux interface{ Handle(string, http.Handler) }) error {
	c, err := console.New(console.Config{Review: a.Review(), SecureCookies: a.Config.ConsoleSecureCookies, Log: a.Log})
	if err != nil {
		return err
	}
	mux.Handle("/console", c)
	mux.Handle("/console/", c)
	return nil
}

// FirstAdmin is the staff user EnsureFirstAdmin created.
type FirstAdmin struct {
	Username, Password string
}

// EnsureFirstAdmin creates a first admin, "admin" with a random password,
// when the store has no staff user at all; it returns nil when there was
// one already. The password is shown once: it is kept only as a bcrypt
// hash.
func (a *App) EnsureFirstAdmin(ctx context.Context) (*FirstAdmin, error) {
	staff, err := a.State.ListStaff(ctx)
	if err != nil || len(staff) > 0 {
		return nil, err
	}
	pw := NewStaffPassword()
	// A service of its own: Review() is memoised with the metrics, which
	// may not be open yet.
	svc := review.New(review.Service{State: a.State, Log: a.Log})
	if _, err := svc.AddStaff(ctx, nil, "admin", storage.RoleAdmin, pw); err != nil {
		return nil, fmt.Errorf("first admin: %w", err)
	}
	return &FirstAdmin{Username: "admin", Password: pw}, nil
}

// OpenState opens only the state store (for `kycq staff`): DATABASE_URL,
// or in Embedded mode the SQLite file under the data directory.
func OpenState(ctx context.Context, c Config, mode Mode, log *slog.Logger) (*App, error) {
	a := &App{Config: c, Log: log, Embedded: map[string]string{}}
	if err := a.openState(ctx, mode); err != nil {
		a.Close()
		return nil, err
	}
	return a, nil
}
