package api

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/hibiken/asynq"

	"github.com/kycq/kycq/storage"
	"github.com/kycq/kycq/tasks"
)

func (s *Server) submit(w http.ResponseWriter, r *http.Request) {
	v := s.lookup(w, r)
	if v == nil {
		return
	}
	v, err := s.submitVerification(r.Context(), v)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]any{"id": v.ID, "status": v.Status, "checks": v.Checks})
}

// submitVerification checks that every upload is in place, marks the
// verification submitted and enqueues every check at once. It is safe to
// repeat: the store keeps the first submission and the TaskIDs make asynq
// refuse copies, so a repeat only heals a previous attempt that stopped
// half way.
func (s *Server) submitVerification(ctx context.Context, v *storage.Verification) (*storage.Verification, error) {
	if v.Status == storage.StatusDecided {
		return v, nil
	}
	if v.Status == storage.StatusCreated {
		var missing []string
		for _, up := range v.Uploads {
			info, err := s.cfg.Blobs.Head(ctx, up.Key)
			if errors.Is(err, storage.ErrNotFound) {
				missing = append(missing, string(up.Slot))
				continue
			}
			if err != nil {
				return nil, err
			}
			if info.Size != up.MaxBytes || (info.ContentType != "" && !strings.EqualFold(info.ContentType, up.ContentType)) {
				return nil, &Error{Code: "upload_mismatch", Field: "uploads." + string(up.Slot),
					Message: "the uploaded object differs from the declared type or size", status: http.StatusConflict}
			}
		}
		if len(missing) > 0 {
			return nil, &Error{Code: "upload_missing", Message: "upload every file before submitting",
				Missing: missing, status: http.StatusConflict}
		}
	}
	v, err := s.cfg.State.MarkSubmitted(ctx, v.ID, Checks(v), s.cfg.Now().UTC())
	if err != nil {
		return nil, err
	}
	if v.Status == storage.StatusDecided {
		return v, nil
	}
	for _, check := range v.Checks {
		t, err := tasks.ForCheck(v.ID, check)
		if err != nil {
			return nil, err
		}
		_, err = s.cfg.Enqueuer.EnqueueContext(ctx, t)
		if err != nil && !errors.Is(err, asynq.ErrTaskIDConflict) && !errors.Is(err, asynq.ErrDuplicateTask) {
			return nil, err
		}
	}
	s.log.InfoContext(ctx, "verification submitted", "verification_id", v.ID, "checks", len(v.Checks))
	return v, nil
}
