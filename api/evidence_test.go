package api

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/kycq/kycq/storage"
)

// swappedBlobs holds every upload as declared until it is copied: the copy
// of the upload in slot swapped comes out another size (the client
// replaced the object between the check and the copy).
type swappedBlobs struct {
	uploads map[string]storage.Upload
	swapped string
	mu      sync.Mutex
	copied  []string
	deleted []string
}

func (b *swappedBlobs) PresignPut(context.Context, string, string, int64, time.Duration) (string, map[string]string, error) {
	return "", nil, errors.New("not used")
}
func (b *swappedBlobs) Head(_ context.Context, key string) (storage.ObjectInfo, error) {
	up, ok := b.uploads[key]
	if !ok {
		return storage.ObjectInfo{}, storage.ErrNotFound
	}
	return storage.ObjectInfo{Size: up.MaxBytes, ContentType: up.ContentType}, nil
}
func (b *swappedBlobs) Get(context.Context, string, int64) (io.ReadCloser, storage.ObjectInfo, error) {
	return nil, storage.ObjectInfo{}, storage.ErrNotFound
}
func (b *swappedBlobs) Copy(ctx context.Context, src, dst string) (storage.ObjectInfo, error) {
	info, err := b.Head(ctx, src)
	if err != nil {
		return info, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.copied = append(b.copied, dst)
	if src == b.swapped {
		info.Size++
	}
	return info, nil
}
func (b *swappedBlobs) Put(context.Context, string, string, io.Reader, int64) error { return nil }
func (b *swappedBlobs) Delete(_ context.Context, key string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.deleted = append(b.deleted, key)
	return nil
}
func (b *swappedBlobs) Ping(context.Context) error { return nil }

// TestKeepEvidenceDropsEveryCopyOnMismatch: when one copy turns out not
// to be what was declared, the submission is refused and every evidence
// copy made for it is deleted, the mismatched one included (nothing
// records it, so retention would never find it).
func TestKeepEvidenceDropsEveryCopyOnMismatch(t *testing.T) {
	v := &storage.Verification{ID: "v_test", Uploads: []storage.Upload{
		{Slot: storage.SlotFront, Key: "v/v_test/doc_front", ContentType: "image/jpeg", MaxBytes: 1000},
		{Slot: storage.SlotBack, Key: "v/v_test/doc_back", ContentType: "image/jpeg", MaxBytes: 1100},
		{Slot: storage.SlotSelfie, Key: "v/v_test/selfie", ContentType: "video/mp4", MaxBytes: 5000},
	}}
	for _, swapped := range v.Uploads {
		t.Run(string(swapped.Slot), func(t *testing.T) {
			b := &swappedBlobs{uploads: map[string]storage.Upload{}, swapped: swapped.Key}
			for _, up := range v.Uploads {
				b.uploads[up.Key] = up
			}
			s := &Server{cfg: Config{Blobs: b}, log: slog.New(slog.DiscardHandler)}
			_, err := s.keepEvidence(context.Background(), v)
			var e *Error
			if !errors.As(err, &e) || e.Code != "upload_mismatch" {
				t.Fatalf("keepEvidence: %v, want upload_mismatch", err)
			}
			if len(b.copied) == 0 {
				t.Fatal("nothing was copied")
			}
			slices.Sort(b.copied)
			slices.Sort(b.deleted)
			if !slices.Equal(b.copied, b.deleted) {
				t.Errorf("copies made %q, deleted %q: every copy must be deleted", b.copied, b.deleted)
			}
		})
	}
}
