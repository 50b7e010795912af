package workers

import (
	"context"
	"errors"
	"testing"

	"github.com/hibiken/asynq"

	"github.com/kycq/kycq/tasks"
)

// TestBadPayloadKeepsBothCauses feeds every handler an undecodable
// payload: the error must say both that the payload is bad
// (tasks.ErrPayload) and that retrying cannot help (asynq.SkipRetry).
func TestBadPayloadKeepsBothCauses(t *testing.T) {
	h := &Handlers{}
	handlers := []struct {
		name string
		run  func(context.Context, *asynq.Task) error
	}{
		{"doc_quality", h.DocQuality},
		{"doc_data", h.DocData},
		{"face_match", h.FaceMatch},
		{"decide", h.Decide},
		{"occupancy", h.Occupancy},
		{"holder_check", h.HolderCheck},
		{"migration", h.Migration},
	}
	for _, tc := range handlers {
		err := tc.run(context.Background(), asynq.NewTask("x", []byte("{not json")))
		if !errors.Is(err, tasks.ErrPayload) {
			t.Errorf("%s: %v does not wrap tasks.ErrPayload", tc.name, err)
		}
		if !errors.Is(err, asynq.SkipRetry) {
			t.Errorf("%s: %v does not wrap asynq.SkipRetry", tc.name, err)
		}
	}
}
