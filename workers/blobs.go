package workers

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
)

// ErrTooLarge is returned when an object is larger than its slot allows;
// it is storage.ErrTooLarge, so either test matches.
var ErrTooLarge = storage.ErrTooLarge

// readAll reads a whole object of at most max bytes.
func readAll(ctx context.Context, b storage.Blobs, key string, max int64) ([]byte, error) {
	rc, info, err := b.Get(ctx, key, max)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	if max > 0 && info.Size > max {
		return nil, fmt.Errorf("%w: %d > %d bytes", ErrTooLarge, info.Size, max)
	}
	data, err := io.ReadAll(io.LimitReader(rc, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, max)
	}
	return data, nil
}

// spool copies an object into a temporary file (ffmpeg reads files), and
// returns its path and a function removing it.
func spool(ctx context.Context, b storage.Blobs, key string, max int64, dir string) (string, func(), error) {
	rc, _, err := b.Get(ctx, key, max)
	if err != nil {
		return "", func() {}, err
	}
	defer rc.Close()
	f, err := os.CreateTemp(dir, "kycq-selfie-*")
	if err != nil {
		return "", func() {}, err
	}
	cleanup := func() { os.Remove(f.Name()) }
	n, err := io.Copy(f, io.LimitReader(rc, max+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && n > max {
		err = fmt.Errorf("%w: more than %d bytes", ErrTooLarge, max)
	}
	if err != nil {
		cleanup()
		return "", func() {}, err
	}
	return f.Name(), cleanup, nil
}

// photoUnreadable is the result check records when readUpload could not
// give it the document photo: upload_missing when there is none,
// doc_unreadable when it is over its slot's limit. ok is false for any
// other error (retried) and for none.
func photoUnreadable(check string, err error) (r storage.CheckResult, ok bool) {
	switch {
	case errors.Is(err, storage.ErrNotFound):
		return storage.CheckResult{Check: check, Reasons: []reason.Code{reason.UploadMissing}}, true
	case errors.Is(err, ErrTooLarge):
		return storage.CheckResult{Check: check, Reasons: []reason.Code{reason.DocUnreadable}}, true
	}
	return storage.CheckResult{}, false
}
