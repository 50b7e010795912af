package storage

import (
	"context"
	"errors"
	"io"
	"time"
)

// ErrTooLarge is returned (wrapped) by Blobs.Get when the object is larger
// than the caller allows.
var ErrTooLarge = errors.New("storage: object larger than allowed")

// ObjectInfo describes a stored object.
type ObjectInfo struct {
	Key         string
	Size        int64
	ContentType string
}

// Blobs is an S3-compatible object store holding uploads.
type Blobs interface {
	// PresignPut returns a URL the client PUTs the object to, valid for ttl,
	// signed so that the server refuses another content type or length
	// (headers the client must send are returned too).
	PresignPut(ctx context.Context, key, contentType string, size int64, ttl time.Duration) (url string, headers map[string]string, err error)
	// Head returns the object's info or ErrNotFound.
	Head(ctx context.Context, key string) (ObjectInfo, error)
	// Get opens the object for reading, refusing objects larger than max
	// bytes (ErrTooLarge; reading more than max from the returned reader
	// fails with ErrTooLarge too); the caller closes it.
	Get(ctx context.Context, key string, max int64) (io.ReadCloser, ObjectInfo, error)
	// Put stores an object (used by tests, tools and the load generator).
	Put(ctx context.Context, key, contentType string, r io.Reader, size int64) error
	// Delete removes an object; deleting a missing object is not an error.
	Delete(ctx context.Context, key string) error
	Ping(ctx context.Context) error
}
