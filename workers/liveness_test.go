package workers_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/kycq/kycq/internal/eval/sample"
	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
	"github.com/kycq/kycq/tasks"
)

// TestFaceMatchLivenessSignals runs the face task on real stores for
// selfies that liveness must refuse, and one it must pass, and checks the
// stored result names the failed signal.
func TestFaceMatchLivenessSignals(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	for i, c := range []struct {
		name      string
		opts      sample.Options
		challenge string // issued with the upload URL
		signal    string // the liveness_signal_* score set, "" for a pass
	}{
		{"a live head, no challenge", sample.Options{Seed: 21}, "", ""},
		{"a live head turning as asked", sample.Options{Seed: 22, Challenge: "turn_right"}, "turn_right", ""},
		{"a live head turning the other way", sample.Options{Seed: 23, Challenge: "turn_left"}, "turn_right", "challenge"},
		{"a photo panned and zoomed", sample.Options{Seed: 24, ReplaySelfie: true}, "", "planar_motion"},
		{"a photo held still", sample.Options{Seed: 25, FrozenSelfie: true}, "", "no_movement"},
		{"a live head blinking as asked", sample.Options{Seed: 26, Challenge: "blink"}, "blink", ""},
		{"a photo panned and zoomed, asked to blink", sample.Options{Seed: 27, ReplaySelfie: true}, "blink", "challenge"},
	} {
		a, err := sample.New(ctx, c.opts)
		if err != nil {
			t.Fatal(err)
		}
		v := r.submitChallenge(t, fmt.Sprintf("v_liveness%018d", i), fmt.Sprintf("acct-live-%d", i), a, c.challenge)
		task, err := tasks.NewFaceMatch(v.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := r.h.Mux().ProcessTask(ctx, task); err != nil {
			t.Fatal(err)
		}
		results, err := r.state.CheckResults(ctx, v.ID)
		if err != nil {
			t.Fatal(err)
		}
		var res *storage.CheckResult
		for k := range results {
			if results[k].Check == tasks.CheckFaceMatch {
				res = &results[k]
			}
		}
		if res == nil {
			t.Fatalf("%s: no face result", c.name)
		}
		failed := slices.Contains(res.Reasons, reason.LivenessFailed)
		if failed != (c.signal != "") || (c.signal != "" && res.Scores["liveness_signal_"+c.signal] != 1) {
			t.Errorf("%s: ok=%v reasons=%v scores=%v", c.name, res.OK, res.Reasons, res.Scores)
		}
		if c.signal == "" && !res.OK {
			t.Errorf("%s: refused: reasons=%v scores=%v", c.name, res.Reasons, res.Scores)
		}
	}
}
