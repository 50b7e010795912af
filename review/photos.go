package review

import (
	"bytes"
	"context"
	"fmt"
	"image/jpeg"
	"io"

	"github.com/kycq/kycq/imagecheck"
	"github.com/kycq/kycq/storage"
)

// Annotator draws the image checks' findings over a document photo.
type Annotator interface {
	Annotate(data []byte, slot storage.Slot) ([]byte, error)
}

// ImageAnnotator is the production Annotator: it runs imagecheck on the
// photo as the doc_quality check does and draws the report over it with
// imagecheck.Annotate (the document outline, glare regions and the
// portrait box), as `kycq check --annotate` does. The result is a JPEG.
type ImageAnnotator struct {
	Options imagecheck.Options // base options; Side is set per photo
}

// Annotate implements Annotator.
func (a ImageAnnotator) Annotate(data []byte, slot storage.Slot) ([]byte, error) {
	opts := a.Options
	if opts.WorkSize == 0 {
		base := imagecheck.DefaultOptions()
		base.FaceDetector = opts.FaceDetector
		opts = base
	}
	opts.Side = imagecheck.Back
	if slot == storage.SlotFront {
		opts.Side = imagecheck.Front
	} else {
		opts.FaceDetector = nil
	}
	rep := imagecheck.Check(data, opts)
	img, err := imagecheck.Preview(data, opts)
	if err != nil {
		return nil, err
	}
	imagecheck.Annotate(img, rep)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// MaxPhoto bounds what the console streams of one upload.
const MaxPhoto = 64 << 20

// Photo returns one upload of a verification (the evidence copy the checks
// read) for the session's staff user, audited as a view of personal data.
// With annotate, a document photo comes with the image checks' overlay.
func (s *Service) Photo(ctx context.Context, sess *Session, id string, slot storage.Slot, annotate bool) ([]byte, string, error) {
	if err := require(sess, PermRead); err != nil {
		return nil, "", err
	}
	switch slot {
	case storage.SlotFront, storage.SlotBack, storage.SlotSelfie:
	default:
		return nil, "", invalid("unknown upload slot")
	}
	data, ct, err := s.upload(ctx, id, slot)
	if err != nil {
		return nil, "", err
	}
	after := string(slot)
	if annotate && slot != storage.SlotSelfie && s.Photos != nil {
		if out, err := s.Photos.Annotate(data, slot); err == nil {
			data, ct, after = out, "image/jpeg", after+" annotated"
		}
	}
	if err := s.State.Audit(ctx, storage.AuditEntry{At: s.now(), StaffID: sess.Staff.ID, Action: "photo.view",
		Subject: "verification:" + id, After: after}); err != nil {
		return nil, "", err
	}
	return data, ct, nil
}

// upload reads one upload of a verification: the evidence copy the checks
// read (the upload itself for verifications older than evidence copies).
func (s *Service) upload(ctx context.Context, id string, slot storage.Slot) ([]byte, string, error) {
	v, err := s.State.GetVerification(ctx, id)
	if err != nil {
		return nil, "", err
	}
	var up *storage.Upload
	for i := range v.Uploads {
		if v.Uploads[i].Slot == slot {
			up = &v.Uploads[i]
		}
	}
	if up == nil || !v.PurgedAt.IsZero() {
		return nil, "", fmt.Errorf("upload %s: %w", slot, storage.ErrNotFound)
	}
	key := up.Evidence
	if key == "" {
		key = up.Key
	}
	rc, info, err := s.Blobs.Get(ctx, key, MaxPhoto)
	if err != nil {
		return nil, "", err
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		return nil, "", err
	}
	ct := info.ContentType
	if ct == "" {
		ct = up.ContentType
	}
	return data, ct, nil
}
