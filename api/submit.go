package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
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
	var uploads []storage.Upload
	if v.Status == storage.StatusCreated {
		// The client's submit and the S3 webhook's arrive together: the
		// second waits for the first and then finds it submitted, instead
		// of copying uploads the first is deleting (which versitygw
		// reports as an internal error).
		unlock := s.submits.lock(v.ID)
		defer unlock()
		now, err := s.cfg.State.GetVerification(ctx, v.ID)
		if err != nil {
			return nil, err
		}
		v = now
	}
	if v.Status == storage.StatusDecided {
		return v, nil
	}
	if v.Status == storage.StatusCreated {
		var err error
		if uploads, err = s.keepEvidence(ctx, v); err != nil {
			// A submit in another process may have won and removed the
			// uploads it copied, so that the copy found no source (or,
			// on some S3 servers, failed half way): then this one is a
			// replay.
			now, gerr := s.cfg.State.GetVerification(ctx, v.ID)
			if gerr != nil || now.Status == storage.StatusCreated {
				return nil, err
			}
			uploads = nil
		}
	}
	stored, err := s.cfg.State.MarkSubmitted(ctx, v.ID, Checks(v), uploads, s.cfg.Now().UTC())
	if err != nil {
		return nil, err
	}
	if uploads != nil {
		if sameEvidence(stored.Uploads, uploads) {
			// The evidence is kept; the uploads the client could still
			// overwrite are not needed any more.
			s.dropUploads(ctx, uploads)
		} else {
			// Another submit of the same verification won the race: its
			// copies are the evidence; ours are dropped.
			s.dropEvidence(ctx, uploads)
		}
	}
	v = stored
	if v.Status == storage.StatusDecided {
		return v, nil
	}
	for _, check := range v.Checks {
		t, err := tasks.ForCheck(v.ID, check)
		if err != nil {
			return nil, err
		}
		if err := s.enqueue(ctx, t); err != nil {
			return nil, err
		}
	}
	s.log.InfoContext(ctx, "verification submitted", "verification_id", v.ID, "checks", len(v.Checks))
	return v, nil
}

// enqueue enqueues t; a copy already queued under its TaskID counts as
// enqueued (the task is the same: requests that enqueue are idempotent).
func (s *Server) enqueue(ctx context.Context, t *asynq.Task) error {
	_, err := s.cfg.Enqueuer.EnqueueContext(ctx, t)
	if err != nil && !errors.Is(err, asynq.ErrTaskIDConflict) && !errors.Is(err, asynq.ErrDuplicateTask) {
		return err
	}
	return nil
}

// keepEvidence checks that every upload is in place with its declared type
// and size and copies each, on the server, to an evidence key no client can
// write (storage.EvidenceKey). The copies are checked again: an upload
// replaced between the check and the copy is caught.
func (s *Server) keepEvidence(ctx context.Context, v *storage.Verification) ([]storage.Upload, error) {
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
		if err := matchesDeclared(up, info); err != nil {
			return nil, err
		}
	}
	if len(missing) > 0 {
		return nil, &Error{Code: "upload_missing", Message: "upload every file before submitting",
			Missing: missing, status: http.StatusConflict}
	}
	token := newToken()
	out := make([]storage.Upload, len(v.Uploads))
	for i, up := range v.Uploads {
		up.Evidence = storage.EvidenceKey(up.Key, token)
		out[i] = up // before the copy, so that a failure drops this copy too
		info, err := s.cfg.Blobs.Copy(ctx, up.Key, up.Evidence)
		if err == nil {
			err = matchesDeclared(up, info)
		}
		if err != nil {
			s.dropEvidence(ctx, out[:i+1])
			if errors.Is(err, storage.ErrNotFound) {
				return nil, &Error{Code: "upload_missing", Message: "upload every file before submitting",
					Missing: []string{string(up.Slot)}, status: http.StatusConflict}
			}
			return nil, err
		}
	}
	return out, nil
}

func matchesDeclared(up storage.Upload, info storage.ObjectInfo) error {
	if info.Size != up.MaxBytes || (info.ContentType != "" && !strings.EqualFold(info.ContentType, up.ContentType)) {
		return &Error{Code: "upload_mismatch", Field: "uploads." + string(up.Slot),
			Message: "the uploaded object differs from the declared type or size", status: http.StatusConflict}
	}
	return nil
}

// dropEvidence deletes evidence copies that will not be used (best effort:
// retention removes leftovers with their verification).
func (s *Server) dropEvidence(ctx context.Context, uploads []storage.Upload) {
	for _, up := range uploads {
		if up.Evidence == "" {
			continue
		}
		if err := s.cfg.Blobs.Delete(ctx, up.Evidence); err != nil {
			s.log.WarnContext(ctx, "drop unused evidence copy", "error", err)
		}
	}
}

// dropUploads deletes the client-writable uploads once their evidence
// copies are recorded (best effort: retention deletes leftovers).
func (s *Server) dropUploads(ctx context.Context, uploads []storage.Upload) {
	for _, up := range uploads {
		if err := s.cfg.Blobs.Delete(ctx, up.Key); err != nil {
			s.log.WarnContext(ctx, "delete submitted upload", "error", err)
		}
	}
}

func sameEvidence(a, b []storage.Upload) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Evidence != b[i].Evidence {
			return false
		}
	}
	return true
}

// newToken returns 16 random hex characters.
func newToken() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
