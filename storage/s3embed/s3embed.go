// Package s3embed runs an S3-compatible server inside the kycq process for
// the one-command `kycq run`: versitygw's embeddable gateway (package
// github.com/versity/versitygw/embedgw) over its posix backend, under a
// data directory. It speaks real S3 — SigV4, presigned URLs — and posts
// AWS-format object events to a webhook. Clients reach it through a small
// front (front.go) on the public port, which can keep that port across
// restarts (Config.AddrFile) and shortens signature errors.
//
// Two properties of the embedded gateway the caller must know:
//
//   - Only one server can run per process (versitygw keeps process-wide
//     state); a second Start fails until the first is closed.
//   - The posix backend works relative to its root directory and changes
//     the process's working directory to it. Resolve every relative path
//     before Start; Close changes it back.
package s3embed

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/versity/versitygw/backend/meta"
	"github.com/versity/versitygw/backend/posix"
	"github.com/versity/versitygw/embedgw"
)

// Config configures the embedded server.
type Config struct {
	// Dir holds the buckets (one directory each) and objects (files). It
	// is created (mode 0700) when missing. Required.
	Dir string
	// Addr is the listen address (default 127.0.0.1:0, a free loopback
	// port).
	Addr string
	// AddrFile, when set and Addr's port is 0, keeps the port across
	// restarts: the server listens again on the address recorded in this
	// file when that port is free, so that upload URLs handed out before
	// a restart keep working, and otherwise on a free port, which it then
	// records. The file is written with mode 0600.
	AddrFile string
	// AccessKey and SecretKey are the root credentials; both required.
	AccessKey, SecretKey string
	// Region is the signing region (default us-east-1).
	Region string
	// EventWebhookURL, when set, receives an AWS-format S3 event
	// notification (JSON, POST) for every object created or deleted. The
	// URL need not answer yet when Start is called: events are relayed
	// with retries.
	EventWebhookURL string
	// EventWebhookToken, when set, is sent with every relayed event as a
	// bearer token (Authorization header), never in the URL, which access
	// logs keep.
	EventWebhookToken string
	// Logger receives the relay's warnings (default slog.Default()).
	Logger *slog.Logger
}

// Server is a running embedded S3 server.
type Server struct {
	endpoint string // the front's, what clients use
	front    *http.Server
	cancel   context.CancelFunc
	done     chan error
	relay    *relay
	oldWD    string
	once     sync.Once
	closeErr error
}

// running guards the one-per-process limit with a clear error.
var (
	runningMu sync.Mutex
	running   bool
)

// Start starts the server and returns when it answers requests. ctx bounds
// the start only; Close stops the server.
func Start(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.Dir == "" {
		return nil, errors.New("s3embed: a data directory is required")
	}
	if cfg.AccessKey == "" || cfg.SecretKey == "" {
		return nil, errors.New("s3embed: access key and secret key are required")
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:0"
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	host, port, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("s3embed: listen address %q: %v", cfg.Addr, err)
	}
	dir, err := filepath.Abs(cfg.Dir)
	if err != nil {
		return nil, fmt.Errorf("s3embed: data directory: %v", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("s3embed: data directory: %v", err)
	}

	runningMu.Lock()
	defer runningMu.Unlock()
	if running {
		return nil, errors.New("s3embed: an embedded S3 server is already running in this process")
	}
	oldWD, _ := os.Getwd()

	s := &Server{oldWD: oldWD}
	hook := ""
	if cfg.EventWebhookURL != "" {
		s.relay, err = startRelay(cfg.EventWebhookURL, cfg.Logger)
		if s.relay != nil {
			s.relay.token = cfg.EventWebhookToken
		}
		if err != nil {
			return nil, fmt.Errorf("s3embed: event relay: %v", err)
		}
		hook = s.relay.url()
	}

	// Clients talk to the front (front.go), which listens on the public
	// address and passes every request to the gateway on a private
	// loopback port.
	ln, err := listenPublic(cfg, host, port)
	if err != nil {
		if s.relay != nil {
			s.relay.close()
		}
		s.restoreWD()
		return nil, err
	}
	// A free port for the gateway is chosen by listening and closing;
	// another process may take it in between, so try a few.
	for attempt := 0; attempt < 5; attempt++ {
		var addr string
		if addr, err = freeAddr("127.0.0.1"); err != nil {
			break
		}
		if err = s.run(ctx, cfg, dir, addr, hook); err == nil {
			running = true
			s.serveFront(ln, s.endpoint)
			return s, nil
		}
	}
	ln.Close()
	if s.relay != nil {
		s.relay.close()
	}
	s.restoreWD()
	return nil, err
}

// run starts the gateway on addr and waits until it answers.
func (s *Server) run(ctx context.Context, cfg Config, dir, addr, hook string) error {
	be, err := newBackend(dir)
	if err != nil {
		return err
	}
	gw := &embedgw.Config{
		RootUserAccess:    cfg.AccessKey,
		RootUserSecret:    cfg.SecretKey,
		Region:            cfg.Region,
		Ports:             []string{addr},
		MaxConnections:    4096,
		MaxRequests:       1024,
		MultipartMaxParts: 10000,
		Quiet:             true,
		KeepAlive:         true,
		EventWebhookURL:   hook,
	}
	runCtx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- embedgw.RunVersityGW(runCtx, be, gw) }()

	endpoint := "http://" + dialable(addr)
	client := &http.Client{Timeout: time.Second}
	deadline := time.NewTimer(15 * time.Second)
	defer deadline.Stop()
	for {
		select {
		case err := <-done:
			cancel()
			be.Shutdown()
			if err == nil {
				err = errors.New("stopped while starting")
			}
			return fmt.Errorf("s3embed: versitygw: %v", err)
		case <-ctx.Done():
			cancel()
			<-done
			return ctx.Err()
		case <-deadline.C:
			cancel()
			<-done
			return fmt.Errorf("s3embed: versitygw did not answer on %s", addr)
		case <-time.After(20 * time.Millisecond):
		}
		resp, err := client.Get(endpoint + "/")
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			s.endpoint, s.cancel, s.done = endpoint, cancel, done
			return nil
		}
	}
}

// newBackend opens the posix backend over dir, keeping object metadata in
// extended attributes, or in a sidecar directory next to dir on a
// filesystem without them.
func newBackend(dir string) (*posix.Posix, error) {
	opts := posix.PosixOpts{Concurrency: 256, CopyObjectThreshold: 5 << 30}
	opts.SetNewDirPerm(fs.FileMode(0o700))
	opts.SetNewFilePerm(fs.FileMode(0o600))
	var ms meta.MetadataStorer = meta.XattrMeta{}
	if err := (meta.XattrMeta{}).Test(dir); err != nil {
		side := strings.TrimRight(dir, string(filepath.Separator)) + ".meta"
		if err := os.MkdirAll(side, 0o700); err != nil {
			return nil, fmt.Errorf("s3embed: metadata directory: %v", err)
		}
		sc, err := meta.NewSideCar(side)
		if err != nil {
			return nil, fmt.Errorf("s3embed: metadata directory: %v", err)
		}
		ms, opts.SideCarDir = sc, side
	}
	be, err := posix.New(dir, ms, opts)
	if err != nil {
		return nil, fmt.Errorf("s3embed: posix backend: %v", err)
	}
	return be, nil
}

// Endpoint is the server's base URL, e.g. http://127.0.0.1:41234.
func (s *Server) Endpoint() string { return s.endpoint }

// Close stops the server and its event relay and restores the working
// directory. It is safe to call more than once.
func (s *Server) Close() error {
	s.once.Do(func() {
		if s.front != nil {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			s.front.Shutdown(ctx)
			cancel()
		}
		s.cancel()
		select {
		case err := <-s.done:
			if err != nil && !errors.Is(err, context.Canceled) {
				s.closeErr = err
			}
		case <-time.After(10 * time.Second):
			s.closeErr = errors.New("s3embed: versitygw did not stop within 10s")
		}
		if s.relay != nil {
			s.relay.close()
		}
		s.restoreWD()
		runningMu.Lock()
		running = false
		runningMu.Unlock()
	})
	return s.closeErr
}

func (s *Server) restoreWD() {
	if s.oldWD != "" {
		os.Chdir(s.oldWD)
	}
}

// dialable turns a listen address into one to connect to: an unspecified
// host (all interfaces) becomes loopback.
func dialable(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}

// listenPublic listens on the server's public address: cfg.Addr, or, when
// its port is 0 and cfg.AddrFile names a file, the address recorded there
// if that port is free, else a free port, which it records.
func listenPublic(cfg Config, host, port string) (net.Listener, error) {
	if port != "0" || cfg.AddrFile == "" {
		ln, err := net.Listen("tcp", cfg.Addr)
		if err != nil {
			return nil, fmt.Errorf("s3embed: listen on %s: %v", cfg.Addr, err)
		}
		return ln, nil
	}
	saved := savedAddr(cfg.AddrFile, host)
	if saved != "" {
		if ln, err := net.Listen("tcp", saved); err == nil {
			return ln, nil
		}
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("s3embed: listen on %s: %v", cfg.Addr, err)
	}
	if err := os.WriteFile(cfg.AddrFile, []byte(ln.Addr().String()+"\n"), 0o600); err != nil {
		cfg.Logger.Warn("s3embed: cannot record the port for the next start", "err", err)
	}
	return ln, nil
}

// savedAddr returns the address recorded in file when it is on host, else
// "".
func savedAddr(file, host string) string {
	b, err := os.ReadFile(file)
	if err != nil {
		return ""
	}
	addr := strings.TrimSpace(string(b))
	h, p, err := net.SplitHostPort(addr)
	if err != nil || h != host || p == "0" {
		return ""
	}
	return addr
}

// freeAddr returns host with a port free right now.
func freeAddr(host string) (string, error) {
	l, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		return "", fmt.Errorf("s3embed: no free port on %s: %v", host, err)
	}
	defer l.Close()
	return l.Addr().String(), nil
}
