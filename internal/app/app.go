package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/kycq/kycq/internal/metrics"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/hibiken/asynq"

	"github.com/kycq/kycq/internal/privacy"
	"github.com/kycq/kycq/internal/redisembed"
	"github.com/kycq/kycq/review"
	"github.com/kycq/kycq/storage"
	"github.com/kycq/kycq/storage/blob"
	"github.com/kycq/kycq/storage/s3embed"
	"github.com/kycq/kycq/storage/sqlstore"
)

// Mode says which dependencies may be replaced by embedded ones.
type Mode int

const (
	// Production requires REDIS_ADDR (or Sentinel), S3_ENDPOINT and
	// DATABASE_URL.
	Production Mode = iota
	// Embedded starts an in-process Redis, S3 server and SQLite database
	// for whatever is not configured: the one-command run.
	Embedded
)

// App holds the opened dependencies of a kycq process.
type App struct {
	Config    Config
	Log       *slog.Logger
	State     storage.State
	Blobs     storage.Blobs
	Keys      *privacy.Keys
	Redis     asynq.RedisConnOpt
	Client    *asynq.Client
	Inspector *asynq.Inspector

	// Metrics and Registry are kycq's collectors and the registry /metrics
	// serves; they are created on first use (openMetrics).
	Metrics  *metrics.Metrics
	Registry *prometheus.Registry

	// Embedded lists what runs in-process, for the start-up banner.
	Embedded map[string]string

	metricsOnce sync.Once
	metricsErr  error

	webhookMetricsOnce sync.Once
	webhookMetrics     *metrics.Webhooks
	reviewOnce         sync.Once
	review             *review.Service

	closers []func()
}

// NewLogger returns the structured logger the configuration asks for.
func NewLogger(c Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(c.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if c.LogFormat == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

// Open opens every dependency. In Embedded mode, missing configuration is
// filled with in-process servers under DataDir.
func Open(ctx context.Context, c Config, mode Mode, log *slog.Logger) (a *App, err error) {
	opened := &App{Config: c, Log: log, Embedded: map[string]string{}}
	a = opened
	defer func() {
		// Close what was opened: "return nil, err" has set a to nil.
		if err != nil {
			opened.Close()
		}
	}()
	if mode == Embedded {
		if err := a.fillEmbeddedSecrets(); err != nil {
			return nil, err
		}
	}
	if a.Keys, err = a.Config.keys(); err != nil {
		return nil, err
	}
	if err := a.openRedis(mode); err != nil {
		return nil, err
	}
	if err := a.openState(ctx, mode); err != nil {
		return nil, err
	}
	if err := a.openBlobs(ctx, mode); err != nil {
		return nil, err
	}
	a.Client = asynq.NewClient(a.Redis)
	a.closers = append(a.closers, func() { a.Client.Close() })
	a.Inspector = asynq.NewInspector(a.Redis)
	a.closers = append(a.closers, func() { a.Inspector.Close() })
	return a, nil
}

func (a *App) fillEmbeddedSecrets() error {
	c := &a.Config
	needLocal := c.DataKey == "" || c.HashKey == "" || c.APIToken == "" || c.S3Endpoint == ""
	if !needLocal {
		return nil
	}
	s, err := loadLocalSecrets(c.DataDir)
	if err != nil {
		return fmt.Errorf("local secrets: %v", err)
	}
	fill := func(dst *string, v string) {
		if *dst == "" {
			*dst = v
		}
	}
	fill(&c.DataKey, s.DataKey)
	fill(&c.HashKey, s.HashKey)
	fill(&c.APIToken, s.APIToken)
	fill(&c.WebhookToken, s.WebhookToken)
	if c.S3Endpoint == "" {
		fill(&c.S3AccessKey, s.S3AccessKey)
		fill(&c.S3SecretKey, s.S3SecretKey)
	}
	return nil
}

func (a *App) openRedis(mode Mode) error {
	c := a.Config
	switch {
	case c.SentinelMaster != "":
		a.Redis = asynq.RedisFailoverClientOpt{MasterName: c.SentinelMaster,
			SentinelAddrs: strings.Split(c.SentinelAddrs, ","), Password: c.RedisPassword, DB: c.RedisDB}
	case c.RedisAddr != "":
		a.Redis = asynq.RedisClientOpt{Addr: c.RedisAddr, Password: c.RedisPassword, DB: c.RedisDB}
	case mode == Embedded:
		srv, err := redisembed.Start("127.0.0.1:0")
		if err != nil {
			return fmt.Errorf("embedded redis: %v", err)
		}
		a.closers = append(a.closers, srv.Close)
		a.Redis = asynq.RedisClientOpt{Addr: srv.Addr()}
		a.Config.RedisAddr = srv.Addr()
		a.Embedded["redis"] = srv.Addr()
	default:
		return errors.New("REDIS_ADDR (or REDIS_SENTINEL_MASTER and REDIS_SENTINEL_ADDRS) is required")
	}
	return nil
}

func (a *App) openState(ctx context.Context, mode Mode) error {
	url := a.Config.DatabaseURL
	if url == "" {
		if mode != Embedded {
			return errors.New("DATABASE_URL is required")
		}
		if err := os.MkdirAll(a.Config.DataDir, 0o700); err != nil {
			return err
		}
		url = "sqlite:" + filepath.Join(a.Config.DataDir, "kycq.db")
		a.Embedded["database"] = url
	}
	st, err := sqlstore.Open(ctx, url)
	if err != nil {
		return fmt.Errorf("state store: %v", err)
	}
	a.closers = append(a.closers, func() { st.Close() })
	if err := st.Migrate(ctx); err != nil {
		return fmt.Errorf("state store migrations: %v", err)
	}
	a.State = storage.ObserveState(st, a.storageFailed(metrics.BackendDB))
	return nil
}

func (a *App) openBlobs(ctx context.Context, mode Mode) error {
	c := &a.Config
	if c.S3Endpoint == "" {
		if mode != Embedded {
			return errors.New("S3_ENDPOINT is required")
		}
		hook := ""
		if c.WebhookToken != "" {
			hook = "http://" + c.Addr + "/v1/hooks/s3" // the token goes in a header
		}
		srv, err := s3embed.Start(ctx, s3embed.Config{
			Dir: filepath.Join(c.DataDir, "objects"), Addr: "127.0.0.1:0", AddrFile: filepath.Join(c.DataDir, "s3.addr"),
			AccessKey: c.S3AccessKey, SecretKey: c.S3SecretKey, Region: c.S3Region,
			EventWebhookURL: hook, EventWebhookToken: c.WebhookToken,
		})
		if err != nil {
			return fmt.Errorf("embedded S3: %v", err)
		}
		a.closers = append(a.closers, func() { srv.Close() })
		c.S3Endpoint = srv.Endpoint()
		a.Embedded["s3"] = c.S3Endpoint
	}
	b, err := blob.New(ctx, blob.Config{Endpoint: c.S3Endpoint, PublicEndpoint: c.S3PublicEndpoint, Region: c.S3Region, Bucket: c.S3Bucket,
		AccessKey: c.S3AccessKey, SecretKey: c.S3SecretKey})
	if err != nil {
		return fmt.Errorf("S3: %v", err)
	}
	if err := b.EnsureBucket(ctx); err != nil {
		return fmt.Errorf("S3 bucket %s: %v", c.S3Bucket, err)
	}
	if err := b.PutDirectories(ctx, storage.KeyPrefixes...); err != nil {
		return fmt.Errorf("S3 bucket %s: %v", c.S3Bucket, err)
	}
	a.Blobs = storage.ObserveBlobs(b, a.storageFailed(metrics.BackendS3))
	return nil
}

// openMetrics creates the registry and kycq's collectors once per process
// (kycq run serves the API and runs the workers on one registry).
func (a *App) openMetrics() error {
	a.metricsOnce.Do(func() {
		a.Registry = metrics.NewRegistry()
		a.Metrics, a.metricsErr = metrics.New(a.Registry)
	})
	return a.metricsErr
}

// Close releases everything Open opened, in reverse order.
func (a *App) Close() {
	for i := len(a.closers) - 1; i >= 0; i-- {
		a.closers[i]()
	}
	a.closers = nil
}

// pingTimeout bounds each readiness probe.
const pingTimeout = 2 * time.Second

// storageFailed returns what the observed stores report a failed call
// to: kycq_storage_errors_total{backend, op}, for the API and the workers
// alike (in kycq run, on the one registry both share). Without metrics
// (their registration failed, which stops the service) nothing is counted.
func (a *App) storageFailed(backend string) func(op string) {
	return func(op string) {
		if a.openMetrics() == nil {
			a.Metrics.StorageError(backend, op)
		}
	}
}
