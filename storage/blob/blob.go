// Package blob implements storage.Blobs for any S3-compatible server
// (versitygw, MinIO, Ceph RGW, AWS S3) with aws-sdk-go-v2: path-style
// addressing, static credentials, one bucket.
//
// Errors name the operation and the object key (keys hold verification
// IDs, never personal data) and never carry object content.
package blob

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	"github.com/kycq/kycq/storage"
)

// Config says where the bucket is and how to reach it.
type Config struct {
	// Endpoint is the S3 server's base URL, e.g. http://127.0.0.1:7070.
	Endpoint string
	// PublicEndpoint, when set, is the base URL presigned URLs point to:
	// the address clients outside reach the same server at (e.g. behind a
	// load balancer). Defaults to Endpoint.
	PublicEndpoint string
	// Region is the signing region (default us-east-1).
	Region string
	// Bucket holds every object.
	Bucket string
	// AccessKey and SecretKey are static credentials.
	AccessKey, SecretKey string
	// Timeout bounds one attempt of a request without a body to stream
	// (head, delete, bucket calls) and the wait for response headers of
	// the others (default 10 s).
	Timeout time.Duration
	// MaxAttempts is how many times a request failing with a transient
	// error (throttling, 5xx, connection reset, timeout) is tried, with
	// exponential backoff and jitter (default 4).
	MaxAttempts int
	// MaxBackoff caps the wait between attempts (default 2 s).
	MaxBackoff time.Duration
}

// Store is a storage.Blobs over one S3 bucket.
type Store struct {
	cfg     Config
	client  *s3.Client
	presign *s3.PresignClient
}

var _ storage.Blobs = (*Store)(nil)

// New returns a store for the bucket; it does not contact the server (see
// EnsureBucket and Ping).
func New(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.Endpoint == "" || cfg.Bucket == "" {
		return nil, errors.New("blob: endpoint and bucket are required")
	}
	if cfg.AccessKey == "" || cfg.SecretKey == "" {
		return nil, errors.New("blob: access key and secret key are required")
	}
	for _, e := range []string{cfg.Endpoint, cfg.PublicEndpoint} {
		if e == "" {
			continue
		}
		u, err := url.Parse(e)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("blob: endpoint %q is not an http(s) URL", redactURL(e))
		}
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = 4
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = 2 * time.Second
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.ResponseHeaderTimeout = cfg.Timeout
	transport.DialContext = (&net.Dialer{Timeout: cfg.Timeout, KeepAlive: 30 * time.Second}).DialContext
	transport.MaxIdleConnsPerHost = 64
	awsCfg := aws.Config{
		Region:      cfg.Region,
		Credentials: credentials.NewStaticCredentialsProvider(cfg.AccessKey, cfg.SecretKey, ""),
		HTTPClient:  &http.Client{Transport: transport},
		Retryer: func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxAttempts = cfg.MaxAttempts
				o.MaxBackoff = cfg.MaxBackoff
			})
		},
	}
	opts := func(endpoint string) func(o *s3.Options) {
		return func(o *s3.Options) {
			o.BaseEndpoint = aws.String(strings.TrimRight(endpoint, "/"))
			o.UsePathStyle = true
			// Checksums only where S3 requires them: not every
			// S3-compatible server accepts the SDK's default trailers.
			o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
			o.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired
		}
	}
	s := &Store{cfg: cfg, client: s3.NewFromConfig(awsCfg, opts(cfg.Endpoint))}
	pub := cfg.PublicEndpoint
	if pub == "" {
		pub = cfg.Endpoint
	}
	s.presign = s3.NewPresignClient(s3.NewFromConfig(awsCfg, opts(pub)))
	return s, nil
}

// Bucket returns the bucket name.
func (s *Store) Bucket() string { return s.cfg.Bucket }

// EnsureBucket creates the bucket when it does not exist yet.
func (s *Store) EnsureBucket(ctx context.Context) error {
	err := s.Ping(ctx)
	if err == nil {
		return nil
	}
	if !errors.Is(err, storage.ErrNotFound) {
		return err
	}
	cctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	_, err = s.client.CreateBucket(cctx, &s3.CreateBucketInput{Bucket: aws.String(s.cfg.Bucket)})
	var owned *types.BucketAlreadyOwnedByYou
	var exists *types.BucketAlreadyExists
	if err == nil || errors.As(err, &owned) || errors.As(err, &exists) {
		return nil
	}
	return s.fail("create bucket", "", err)
}

// Ping checks the bucket answers (HeadBucket); a missing bucket is
// ErrNotFound.
func (s *Store) Ping(ctx context.Context) error {
	cctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	_, err := s.client.HeadBucket(cctx, &s3.HeadBucketInput{Bucket: aws.String(s.cfg.Bucket)})
	if err != nil {
		return s.fail("head bucket", "", err)
	}
	return nil
}

// PresignPut returns a URL valid for ttl that accepts one PUT of exactly
// size bytes of contentType at key: both headers are signed, so the server
// refuses another type or length. The headers the client must send (with
// these exact values) are returned.
func (s *Store) PresignPut(ctx context.Context, key, contentType string, size int64, ttl time.Duration) (string, map[string]string, error) {
	if key == "" || contentType == "" {
		return "", nil, errors.New("blob: presign needs a key and a content type")
	}
	if size <= 0 {
		return "", nil, errors.New("blob: presign needs a positive size")
	}
	if ttl <= 0 || ttl > 7*24*time.Hour {
		return "", nil, errors.New("blob: presign ttl must be positive and at most 7 days")
	}
	req, err := s.presign.PresignPutObject(ctx, &s3.PutObjectInput{
		Bucket:        aws.String(s.cfg.Bucket),
		Key:           aws.String(key),
		ContentType:   aws.String(contentType),
		ContentLength: aws.Int64(size),
	}, s3.WithPresignExpires(ttl))
	if err != nil {
		return "", nil, s.fail("presign put", key, err)
	}
	headers := map[string]string{}
	for k, v := range req.SignedHeader {
		if strings.EqualFold(k, "host") || len(v) == 0 {
			continue
		}
		headers[http.CanonicalHeaderKey(k)] = v[0]
	}
	// Both must be in the signature, or the server would take anything.
	if headers["Content-Type"] != contentType || headers["Content-Length"] != fmt.Sprint(size) {
		return "", nil, errors.New("blob: presigned URL does not sign content type and length")
	}
	return req.URL, headers, nil
}

// Head returns the object's info or ErrNotFound.
func (s *Store) Head(ctx context.Context, key string) (storage.ObjectInfo, error) {
	cctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	out, err := s.client.HeadObject(cctx, &s3.HeadObjectInput{Bucket: aws.String(s.cfg.Bucket), Key: aws.String(key)})
	if err != nil {
		return storage.ObjectInfo{}, s.fail("head", key, err)
	}
	return storage.ObjectInfo{Key: key, Size: aws.ToInt64(out.ContentLength), ContentType: aws.ToString(out.ContentType)}, nil
}

// Copy copies an object to another key of the bucket on the server (no
// bytes pass through kycq) and returns the copy's info. The copy keeps the
// source's content type.
func (s *Store) Copy(ctx context.Context, src, dst string) (storage.ObjectInfo, error) {
	cctx, cancel := context.WithTimeout(ctx, 6*s.cfg.Timeout)
	defer cancel()
	_, err := s.client.CopyObject(cctx, &s3.CopyObjectInput{
		Bucket:     aws.String(s.cfg.Bucket),
		Key:        aws.String(dst),
		CopySource: aws.String(url.PathEscape(s.cfg.Bucket) + "/" + escapeKey(src)),
	})
	if err != nil {
		return storage.ObjectInfo{}, s.fail("copy", src, err)
	}
	return s.Head(ctx, dst)
}

// escapeKey escapes each segment of an object key for a copy source.
func escapeKey(key string) string {
	parts := strings.Split(key, "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return strings.Join(parts, "/")
}

// Get opens the object for reading. An object larger than max bytes is
// refused with storage.ErrTooLarge before any of it is read (the declared
// Content-Length is checked first); the returned reader also fails with
// storage.ErrTooLarge should the server send more than max bytes. A
// negative max means no limit. The caller closes the reader.
func (s *Store) Get(ctx context.Context, key string, max int64) (io.ReadCloser, storage.ObjectInfo, error) {
	out, err := s.client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(s.cfg.Bucket), Key: aws.String(key)})
	if err != nil {
		return nil, storage.ObjectInfo{}, s.fail("get", key, err)
	}
	info := storage.ObjectInfo{Key: key, Size: aws.ToInt64(out.ContentLength), ContentType: aws.ToString(out.ContentType)}
	if max >= 0 && info.Size > max {
		out.Body.Close()
		return nil, storage.ObjectInfo{}, fmt.Errorf("blob: get %s: %d bytes, over the %d-byte limit: %w", key, info.Size, max, storage.ErrTooLarge)
	}
	if max < 0 {
		return out.Body, info, nil
	}
	return &limitedBody{rc: out.Body, left: max, key: key}, info, nil
}

// limitedBody fails a read that would go past the limit.
type limitedBody struct {
	rc   io.ReadCloser
	left int64
	over bool
	key  string
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.over {
		return 0, b.tooLarge()
	}
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1]
	}
	n, err := b.rc.Read(p)
	if int64(n) > b.left {
		n, b.left, b.over = int(b.left), 0, true
		return n, b.tooLarge()
	}
	b.left -= int64(n)
	return n, err
}

func (b *limitedBody) tooLarge() error {
	return fmt.Errorf("blob: get %s: body over the limit: %w", b.key, storage.ErrTooLarge)
}

func (b *limitedBody) Close() error { return b.rc.Close() }

// Put stores an object of size bytes read from r. A reader that is not an
// io.ReadSeeker is buffered by the SDK's retry logic only as far as it can
// rewind; pass a seeker (bytes.Reader, *os.File) for retries.
func (s *Store) Put(ctx context.Context, key, contentType string, r io.Reader, size int64) error {
	if key == "" {
		return errors.New("blob: put needs a key")
	}
	if size < 0 {
		return errors.New("blob: put needs the size")
	}
	in := &s3.PutObjectInput{
		Bucket:        aws.String(s.cfg.Bucket),
		Key:           aws.String(key),
		Body:          r,
		ContentLength: aws.Int64(size),
	}
	if contentType != "" {
		in.ContentType = aws.String(contentType)
	}
	if _, err := s.client.PutObject(ctx, in); err != nil {
		return s.fail("put", key, err)
	}
	return nil
}

// PutDirectories puts each prefix (ending in "/") as an empty directory
// object, overwriting any there: on S3 servers that keep keys as files in
// directories (versitygw's posix backend), deleting an object removes the
// parent directories it leaves empty up to the first one that was put as
// an object, and a PUT creating its parents under the same prefix at that
// moment fails with 409 ExistingObjectIsDirectory (versitygw v1.8.0:
// 15 and 18 of 3,200 PUTs of unique keys by 8 writers each deleting what
// it put, 0 with the prefix put first). kycq deletes uploads at submit
// while other applicants upload under the same prefix. On servers without
// directories the objects are harmless empty keys.
func (s *Store) PutDirectories(ctx context.Context, prefixes ...string) error {
	for _, p := range prefixes {
		if !strings.HasSuffix(p, "/") || p == "/" {
			return fmt.Errorf("blob: directory object %q must be a prefix ending in /", p)
		}
		cctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
		err := s.Put(cctx, p, "application/x-directory", bytes.NewReader(nil), 0)
		cancel()
		if err != nil {
			return err
		}
	}
	return nil
}

// Delete removes an object; a missing object is not an error.
func (s *Store) Delete(ctx context.Context, key string) error {
	cctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	_, err := s.client.DeleteObject(cctx, &s3.DeleteObjectInput{Bucket: aws.String(s.cfg.Bucket), Key: aws.String(key)})
	if err != nil {
		err = s.fail("delete", key, err)
		if errors.Is(err, storage.ErrNotFound) {
			return nil
		}
		return err
	}
	return nil
}

// fail turns an SDK error into a short error naming the operation and
// key, wrapping storage.ErrNotFound for missing objects or buckets.
func (s *Store) fail(op, key string, err error) error {
	where := "blob: " + op
	if key != "" {
		where += " " + key
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%s: %w", where, err)
	}
	var nsk *types.NoSuchKey
	var nf *types.NotFound
	var nsb *types.NoSuchBucket
	if errors.As(err, &nsk) || errors.As(err, &nf) || errors.As(err, &nsb) {
		return fmt.Errorf("%s: %w", where, storage.ErrNotFound)
	}
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		switch apiErr.ErrorCode() {
		case "NoSuchKey", "NotFound", "NoSuchBucket":
			return fmt.Errorf("%s: %w", where, storage.ErrNotFound)
		}
		return fmt.Errorf("%s: %s: %s", where, apiErr.ErrorCode(), apiErr.ErrorMessage())
	}
	var re interface{ HTTPStatusCode() int }
	if errors.As(err, &re) && re.HTTPStatusCode() == http.StatusNotFound {
		return fmt.Errorf("%s: %w", where, storage.ErrNotFound)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s: %v", where, ue.Err)
	}
	return fmt.Errorf("%s: %v", where, err)
}

// redactURL drops user info from a URL for error messages.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable)"
	}
	u.User = nil
	return u.String()
}
