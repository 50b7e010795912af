package app

import (
	"context"
	"fmt"
	"time"

	"github.com/kycq/kycq/knownfaces"
	"github.com/kycq/kycq/workers"
)

// loadKnownFaces builds the worker's known-faces index from the store
// (rules §10); the decide path keeps it current from then on. It returns
// nil, the rule off, when the configuration turns it off.
func (a *App) loadKnownFaces(ctx context.Context) (knownfaces.Index, error) {
	if !a.Config.KnownFaces {
		a.Log.InfoContext(ctx, "known faces off")
		return nil, nil
	}
	start := time.Now()
	idx := knownfaces.NewExact(0)
	n, err := workers.LoadKnownFaces(ctx, a.State, a.Keys, idx)
	if err != nil {
		return nil, fmt.Errorf("load known faces: %w", err)
	}
	a.Log.InfoContext(ctx, "known faces loaded", "count", n, "seconds", time.Since(start).Seconds())
	return idx, nil
}
