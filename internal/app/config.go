// Package app assembles kycq's parts into the running service: it reads
// the configuration, opens the stores and queues, and starts the API, the
// workers, or both.
package app

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/kycq/kycq/api"
	"github.com/kycq/kycq/face"
	"github.com/kycq/kycq/workers"
)

// Config is kycq's whole configuration. Every field is set from an
// environment variable and may be overridden by a flag of the same name in
// lower case with dashes (REDIS_ADDR → -redis-addr) — except secrets
// (tokens, passwords, keys, the database URL): they are read only from
// the environment or from the file a NAME_FILE variable names (the
// Kubernetes way), never from flags, which any user sees in ps.
type Config struct {
	Addr               string
	MetricsAddr        string
	APIToken           string
	WebhookToken       string
	MetricsToken       string
	DataDir            string
	RedisAddr          string
	RedisPassword      string
	RedisDB            int
	SentinelMaster     string
	SentinelAddrs      string
	S3Endpoint         string
	S3PublicEndpoint   string
	S3Region           string
	S3Bucket           string
	S3AccessKey        string
	S3SecretKey        string
	DatabaseURL        string
	DataKey            string
	HashKey            string
	Concurrency        int
	ShutdownTimeout    time.Duration
	Retention          time.Duration
	MaxImageBytes      int64
	MaxVideoBytes      int64
	URLTTL             time.Duration
	RejectionLimit     int
	RejectionWindow    time.Duration
	FaceThreshold      float64
	FFmpeg             string
	PaddleDir          string
	MonitoringReadOnly bool
	// ConsoleSecureCookies marks the review console's cookies Secure on
	// plain-HTTP requests (kycq behind a TLS-terminating proxy).
	ConsoleSecureCookies bool
	PrometheusURL        string
	LogFormat            string
	LogLevel             string
	// Holder-check attempt limits (rules §6, docs/rules.md).
	HolderMaxPerVerification int
	HolderMaxPerAccount      int
	HolderWindow             time.Duration
	WebhookURL               string
	WebhookSecret            string // or KYCQ_WEBHOOK_SECRET_FILE
	WebhookMaxRetry          int
	// KnownFaces turns the known-faces rule (rules §10) on: each approval
	// is searched against the faces already verified.
	KnownFaces bool
	// Challenges are the liveness challenges the API may issue
	// (KYCQ_LIVENESS_CHALLENGES, comma-separated).
	Challenges []string
}

type setting struct {
	env, help, def string
	set            func(c *Config, v string) error
	secret         bool
}

func str(p func(*Config) *string) func(*Config, string) error {
	return func(c *Config, v string) error { *p(c) = v; return nil }
}

func integer(p func(*Config) *int) func(*Config, string) error {
	return func(c *Config, v string) error {
		n, err := strconv.Atoi(v)
		*p(c) = n
		return err
	}
}

func int64v(p func(*Config) *int64) func(*Config, string) error {
	return func(c *Config, v string) error {
		n, err := strconv.ParseInt(v, 10, 64)
		*p(c) = n
		return err
	}
}

func dur(p func(*Config) *time.Duration) func(*Config, string) error {
	return func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		*p(c) = d
		return err
	}
}

func list(p func(*Config) *[]string) func(*Config, string) error {
	return func(c *Config, v string) error {
		var l []string
		for _, f := range strings.Split(v, ",") {
			if f = strings.TrimSpace(f); f != "" {
				l = append(l, f)
			}
		}
		*p(c) = l
		return nil
	}
}

func boolean(p func(*Config) *bool) func(*Config, string) error {
	return func(c *Config, v string) error {
		b, err := strconv.ParseBool(v)
		*p(c) = b
		return err
	}
}

func float(p func(*Config) *float64) func(*Config, string) error {
	return func(c *Config, v string) error {
		f, err := strconv.ParseFloat(v, 64)
		*p(c) = f
		return err
	}
}

// shortDuration formats d the way a person writes it: 24h, not 24h0m0s.
// The defaults of settings the workers also default come from
// workers.DefaultPolicy through it, so each is written once.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// settings is the single table of configuration: environment variable,
// default, help. Flags and "kycq help" are generated from it.
var settings = []setting{
	{env: "KYCQ_ADDR", def: "127.0.0.1:8080", help: "address the HTTP API listens on", set: str(func(c *Config) *string { return &c.Addr })},
	{env: "KYCQ_METRICS_ADDR", def: "127.0.0.1:9091", help: "address kycq work serves /metrics, /healthz and /readyz on (kycq serve and run serve them on KYCQ_ADDR)", set: str(func(c *Config) *string { return &c.MetricsAddr })},
	{env: "KYCQ_API_TOKEN", help: "bearer token for the API and the dashboard (kycq run generates one when empty)", secret: true, set: str(func(c *Config) *string { return &c.APIToken })},
	{env: "KYCQ_WEBHOOK_TOKEN", help: "token the S3 server's object-created webhook presents (empty disables the webhook)", secret: true, set: str(func(c *Config) *string { return &c.WebhookToken })},
	{env: "KYCQ_METRICS_TOKEN", help: "bearer token /metrics accepts, so Prometheus need not hold the API token (default: the API token)", secret: true, set: str(func(c *Config) *string { return &c.MetricsToken })},
	{env: "KYCQ_DATA_DIR", def: "./data", help: "where kycq run keeps the embedded database, objects and generated keys", set: str(func(c *Config) *string { return &c.DataDir })},
	{env: "REDIS_ADDR", help: "Redis host:port; empty (kycq run only) starts an embedded Redis that keeps nothing", set: str(func(c *Config) *string { return &c.RedisAddr })},
	{env: "REDIS_PASSWORD", help: "Redis password", secret: true, set: str(func(c *Config) *string { return &c.RedisPassword })},
	{env: "REDIS_DB", def: "0", help: "Redis database number", set: integer(func(c *Config) *int { return &c.RedisDB })},
	{env: "REDIS_SENTINEL_MASTER", help: "Sentinel master name; set with REDIS_SENTINEL_ADDRS to use Redis Sentinel", set: str(func(c *Config) *string { return &c.SentinelMaster })},
	{env: "REDIS_SENTINEL_ADDRS", help: "comma-separated Sentinel host:port list", set: str(func(c *Config) *string { return &c.SentinelAddrs })},
	{env: "S3_ENDPOINT", help: "S3-compatible endpoint URL; empty (kycq run only) starts an embedded S3 server under KYCQ_DATA_DIR", set: str(func(c *Config) *string { return &c.S3Endpoint })},
	{env: "S3_PUBLIC_ENDPOINT", help: "base URL clients reach S3 at, used in presigned upload URLs when it differs from S3_ENDPOINT (a load balancer, a compose host name)", set: str(func(c *Config) *string { return &c.S3PublicEndpoint })},
	{env: "S3_REGION", def: "us-east-1", help: "S3 region", set: str(func(c *Config) *string { return &c.S3Region })},
	{env: "S3_BUCKET", def: "kycq", help: "bucket holding uploads (created when missing)", set: str(func(c *Config) *string { return &c.S3Bucket })},
	{env: "S3_ACCESS_KEY", help: "S3 access key", secret: true, set: str(func(c *Config) *string { return &c.S3AccessKey })},
	{env: "S3_SECRET_KEY", help: "S3 secret key", secret: true, set: str(func(c *Config) *string { return &c.S3SecretKey })},
	{env: "DATABASE_URL", help: "PostgreSQL URL (postgres://...); empty (kycq run only) uses an embedded SQLite file under KYCQ_DATA_DIR", secret: true, set: str(func(c *Config) *string { return &c.DatabaseURL })},
	{env: "KYCQ_DATA_KEY", help: "32-byte key (64 hex digits) sealing applicants' personal data at rest", secret: true, set: str(func(c *Config) *string { return &c.DataKey })},
	{env: "KYCQ_HASH_KEY", help: "32-byte key (64 hex digits) for keyed hashes of document numbers", secret: true, set: str(func(c *Config) *string { return &c.HashKey })},
	{env: "KYCQ_CONCURRENCY", def: "4", help: "tasks a worker process runs at once", set: integer(func(c *Config) *int { return &c.Concurrency })},
	{env: "KYCQ_SHUTDOWN_TIMEOUT", def: "2m", help: "how long a stopping worker lets running checks finish", set: dur(func(c *Config) *time.Duration { return &c.ShutdownTimeout })},
	{env: "KYCQ_RETENTION", def: shortDuration(workers.DefaultPolicy().Retention), help: "how long uploads are kept after the decision", set: dur(func(c *Config) *time.Duration { return &c.Retention })},
	{env: "KYCQ_MAX_IMAGE_BYTES", def: "15728640", help: "largest document photo accepted", set: int64v(func(c *Config) *int64 { return &c.MaxImageBytes })},
	{env: "KYCQ_MAX_VIDEO_BYTES", def: "52428800", help: "largest selfie video accepted", set: int64v(func(c *Config) *int64 { return &c.MaxVideoBytes })},
	{env: "KYCQ_URL_TTL", def: "15m", help: "how long a presigned upload URL stays valid (1s to 168h)", set: dur(func(c *Config) *time.Duration { return &c.URLTTL })},
	{env: "KYCQ_REJECTION_LIMIT", def: "3", help: "rejections within the window after which submissions go to manual review", set: integer(func(c *Config) *int { return &c.RejectionLimit })},
	{env: "KYCQ_REJECTION_WINDOW", def: shortDuration(workers.DefaultPolicy().RejectionWindow), help: "window counted for KYCQ_REJECTION_LIMIT", set: dur(func(c *Config) *time.Duration { return &c.RejectionWindow })},
	{env: "KYCQ_FACE_THRESHOLD", def: "0", help: "face similarity needed for a match (0 = the calibrated default)", set: float(func(c *Config) *float64 { return &c.FaceThreshold })},
	{env: "KYCQ_FFMPEG", def: "ffmpeg", help: "ffmpeg binary used to read selfie videos (Debian: apt-get install ffmpeg)", set: str(func(c *Config) *string { return &c.FFmpeg })},
	{env: "KYCQ_PADDLE_DIR", help: "directory holding ONNX Runtime and PaddleOCR's Chinese line recogniser, which read mainland IDs (empty: $KYCQ_CACHE/paddle, else .cache/paddle; scripts/fetch-paddle.sh DIR fills one)", set: str(func(c *Config) *string { return &c.PaddleDir })},
	{env: "KYCQ_LIVENESS_CHALLENGES", def: strings.Join(api.DefaultChallenges(), ","), help: "liveness challenges issued when an upload asks for one, comma-separated, from turn_left, turn_right, blink, turn_left_right and turn_right_left (blink only after measuring it on your own videos; the two-step turns turn_left_right and turn_right_left ask for a turn to one side then the other: docs/face.md)", set: list(func(c *Config) *[]string { return &c.Challenges })},
	{env: "KYCQ_KNOWN_FACES", def: "true", help: "search each approval's face against the faces already verified on other accounts (rules §10); false turns the rule off", set: boolean(func(c *Config) *bool { return &c.KnownFaces })},
	{env: "KYCQ_MONITORING_READONLY", def: "false", help: "serve the Asynqmon dashboard read-only", set: boolean(func(c *Config) *bool { return &c.MonitoringReadOnly })},
	{env: "KYCQ_CONSOLE_SECURE_COOKIES", def: "false", help: "mark the review console's cookies Secure even on plain HTTP (behind a TLS proxy); they always are over TLS", set: boolean(func(c *Config) *bool { return &c.ConsoleSecureCookies })},
	{env: "KYCQ_PROMETHEUS_URL", help: "Prometheus address for the dashboard's charts", set: str(func(c *Config) *string { return &c.PrometheusURL })},
	{env: "KYCQ_LOG_FORMAT", def: "json", help: "log format: json or text", set: str(func(c *Config) *string { return &c.LogFormat })},
	{env: "KYCQ_LOG_LEVEL", def: "info", help: "log level: debug, info, warn, error", set: str(func(c *Config) *string { return &c.LogLevel })},
	{env: "KYCQ_HOLDER_MAX_PER_VERIFICATION", def: "3", help: "holder checks (face-match attempts to view a document's holder) allowed per verification in KYCQ_HOLDER_WINDOW", set: integer(func(c *Config) *int { return &c.HolderMaxPerVerification })},
	{env: "KYCQ_HOLDER_MAX_PER_ACCOUNT", def: "5", help: "holder checks allowed per account in KYCQ_HOLDER_WINDOW; beyond either limit a support case is opened", set: integer(func(c *Config) *int { return &c.HolderMaxPerAccount })},
	{env: "KYCQ_HOLDER_WINDOW", def: "24h", help: "window counted for the holder-check limits", set: dur(func(c *Config) *time.Duration { return &c.HolderWindow })},
	{env: "KYCQ_WEBHOOK_URL", help: "endpoint the workers POST signed events to (empty: no outgoing webhooks)", set: str(func(c *Config) *string { return &c.WebhookURL })},
	{env: "KYCQ_WEBHOOK_SECRET", help: "secret signing the outgoing events (at least 24 bytes)", secret: true, set: str(func(c *Config) *string { return &c.WebhookSecret })},
	{env: "KYCQ_WEBHOOK_MAX_RETRY", def: "12", help: "retries of a failing webhook delivery before it is dead (12: about 68 minutes of exponential backoff)", set: integer(func(c *Config) *int { return &c.WebhookMaxRetry })},
}

// readSecretFile reads the file a NAME_FILE variable names (a variable of
// its own so tests can see what was read).
var readSecretFile = os.ReadFile

// secretValue returns a secret setting's value: the variable itself, or
// the contents of the file NAME_FILE names, without its trailing newline.
// Setting both is an error: which one wins would be a guess.
func secretValue(s setting, getenv func(string) string) (string, error) {
	v, file := getenv(s.env), getenv(s.env+"_FILE")
	switch {
	case file == "":
		return v, nil
	case v != "":
		return "", fmt.Errorf("%s and %s_FILE are both set; set one", s.env, s.env)
	}
	b, err := readSecretFile(file)
	if err != nil {
		return "", fmt.Errorf("%s_FILE: %v", s.env, err)
	}
	return strings.TrimRight(string(b), "\r\n"), nil
}

func flagName(env string) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimPrefix(env, "KYCQ_")), "_", "-")
}

// Load builds the configuration from defaults, then the environment (via
// getenv), then flags parsed from args into fs.
func Load(fs *flag.FlagSet, args []string, getenv func(string) string) (Config, error) {
	var c Config
	for _, s := range settings {
		v := s.def
		e := getenv(s.env)
		if s.secret {
			var err error
			if e, err = secretValue(s, getenv); err != nil {
				return c, err
			}
		}
		if e != "" {
			v = e
		}
		if v == "" {
			continue
		}
		if err := s.set(&c, v); err != nil {
			return c, fmt.Errorf("%s=%q: %v", s.env, redact(s, v), err)
		}
	}
	for _, s := range settings {
		if s.secret {
			continue // never a flag: ps shows every process's arguments
		}
		fs.Func(flagName(s.env), s.help+" (env "+s.env+")", func(v string) error { return s.set(&c, v) })
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	return c, c.validate()
}

func redact(s setting, v string) string {
	if s.secret {
		return "…"
	}
	return v
}

func (c Config) validate() error {
	switch {
	case c.Concurrency < 1:
		return fmt.Errorf("KYCQ_CONCURRENCY must be at least 1")
	case c.RejectionLimit < 1:
		return fmt.Errorf("KYCQ_REJECTION_LIMIT must be at least 1")
	case c.MaxImageBytes < 1 || c.MaxVideoBytes < 1:
		return fmt.Errorf("KYCQ_MAX_IMAGE_BYTES and KYCQ_MAX_VIDEO_BYTES must be positive")
	case c.URLTTL < time.Second || c.URLTTL > 7*24*time.Hour:
		return fmt.Errorf("KYCQ_URL_TTL must be between 1s and 168h (the S3 presigning limit)")
	case c.LogFormat != "json" && c.LogFormat != "text":
		return fmt.Errorf("KYCQ_LOG_FORMAT must be json or text")
	case (c.SentinelMaster == "") != (c.SentinelAddrs == ""):
		return fmt.Errorf("REDIS_SENTINEL_MASTER and REDIS_SENTINEL_ADDRS go together")
	case c.HolderMaxPerVerification < 1 || c.HolderMaxPerAccount < 1 || c.HolderWindow <= 0:
		return fmt.Errorf("KYCQ_HOLDER_MAX_PER_VERIFICATION, KYCQ_HOLDER_MAX_PER_ACCOUNT and KYCQ_HOLDER_WINDOW must be positive")
	}
	if len(c.Challenges) == 0 {
		return fmt.Errorf("KYCQ_LIVENESS_CHALLENGES must name at least one challenge")
	}
	for _, ch := range c.Challenges {
		if ch == "" || !face.Challenge(ch).Valid() {
			return fmt.Errorf("KYCQ_LIVENESS_CHALLENGES: %q is not a challenge (turn_left, turn_right, blink, turn_left_right, turn_right_left)", ch)
		}
	}
	if c.WebhookMaxRetry < 1 || c.WebhookMaxRetry > 25 {
		return fmt.Errorf("KYCQ_WEBHOOK_MAX_RETRY must be from 1 to 25")
	}
	_, err := c.WebhookEndpoints()
	return err
}

// PrintSettings writes the table of environment variables and flags.
func PrintSettings(w io.Writer) {
	fmt.Fprintln(w, "Environment variables (flags of the same name override them; secrets have no flag")
	fmt.Fprintln(w, "and may be read from the file NAME_FILE names instead):")
	for _, s := range settings {
		def := s.def
		if def != "" {
			def = " (default " + def + ")"
		}
		flag := "-" + flagName(s.env)
		if s.secret {
			flag = "(" + s.env + "_FILE)"
		}
		fmt.Fprintf(w, "  %-24s %-21s %s%s\n", s.env, flag, s.help, def)
	}
}

// Getenv is os.Getenv, for callers of Load.
func Getenv(k string) string { return os.Getenv(k) }
