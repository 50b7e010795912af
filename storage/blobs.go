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
	// Copy copies an object to another key on the server and returns the
	// copy's info (ErrNotFound when the source does not exist). kycq
	// copies uploads at submit to keys no client can write, so that the
	// evidence checked and kept cannot be replaced afterwards.
	Copy(ctx context.Context, src, dst string) (ObjectInfo, error)
	// Put stores an object (used by tests, tools and the load generator).
	Put(ctx context.Context, key, contentType string, r io.Reader, size int64) error
	// Delete removes an object; deleting a missing object is not an error.
	Delete(ctx context.Context, key string) error
	Ping(ctx context.Context) error
}

// EvidenceKey is where an upload is kept once it is submitted: a
// server-side copy under a prefix for which no client is ever given an
// upload URL, named by the submit attempt that made it (token), so that
// racing submits never overwrite each other's copies. The checks read the
// evidence recorded with the verification, never the upload, so what was
// checked is what is kept (and shown to a reviewer), whatever the client
// PUTs to its URL afterwards.
func EvidenceKey(uploadKey, token string) string { return EvidencePrefix + token + "/" + uploadKey }

// The first parts of every key kycq writes: applicants' uploads
// (UploadPrefix + verification ID + "/" + slot), holder-check selfies
// (HolderPrefix + check ID + "/selfie") and the evidence copied at submit
// (EvidenceKey).
const (
	UploadPrefix   = "v/"
	HolderPrefix   = "h/"
	EvidencePrefix = "evidence/"
)

// KeyPrefixes lists the prefixes above. kycq puts each as an empty
// directory object when it opens the bucket (blob.Store.PutDirectories):
// S3 servers that keep keys as files in directories, versitygw's posix
// backend among them (the embedded server of `kycq run` and the compose
// file's), remove the directories a delete leaves empty, and an upload
// racing that removal under the same prefix can fail; a directory put as
// an object is never removed so.
var KeyPrefixes = []string{UploadPrefix, HolderPrefix, EvidencePrefix}
