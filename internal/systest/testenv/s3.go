package testenv

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/kycq/kycq/storage"
	"github.com/kycq/kycq/storage/blob"
)

// S3 returns the configuration of a fresh bucket, holding only kycq's
// directory objects (storage.KeyPrefixes, as kycq puts them): on the shared S3
// server named by KYCQ_TEST_S3_ENDPOINT (and _ACCESS_KEY, _SECRET_KEY,
// _REGION), or, when that is unset, on a private versitygw started for the
// test (see VersityGWBinary). The bucket and its objects are deleted when
// the test ends.
func S3(t testing.TB) blob.Config {
	t.Helper()
	var cfg blob.Config
	if ep := env(EnvS3Endpoint, ""); ep != "" {
		cfg = blob.Config{Endpoint: ep, AccessKey: os.Getenv(EnvS3Access), SecretKey: os.Getenv(EnvS3Secret),
			Region: env(EnvS3Region, "us-east-1")}
	} else {
		gw := StartVersityGW(t)
		cfg = gw.Config("")
	}
	cfg.Bucket = Name("kycq-t-")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st, err := blob.New(ctx, cfg)
	if err != nil {
		t.Fatalf("testenv: S3 config: %v", err)
	}
	if err := st.EnsureBucket(ctx); err != nil {
		Unavailable(t, "S3 at "+cfg.Endpoint, err)
	}
	t.Cleanup(func() { RemoveBucket(t, cfg) })
	// kycq puts these at start too; a test that writes through the store
	// alone needs them for the same reason (storage.KeyPrefixes).
	if err := st.PutDirectories(ctx, storage.KeyPrefixes...); err != nil {
		t.Fatalf("testenv: S3 directory objects: %v", err)
	}
	return cfg
}

// RemoveBucket deletes every object of the bucket, then the bucket,
// logging (not failing) what it cannot delete.
func RemoveBucket(t testing.TB, cfg blob.Config) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c := s3.New(s3.Options{
		Region:       cfg.Region,
		BaseEndpoint: aws.String(cfg.Endpoint),
		UsePathStyle: true,
		Credentials:  credentials.NewStaticCredentialsProvider(cfg.AccessKey, cfg.SecretKey, ""),
	})
	p := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: aws.String(cfg.Bucket)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			var nsb *types.NoSuchBucket
			if !errors.As(err, &nsb) && !isConnRefused(err) {
				t.Logf("testenv: list bucket %s: %v", cfg.Bucket, err)
			}
			return
		}
		for _, o := range page.Contents {
			if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(cfg.Bucket), Key: o.Key}); err != nil {
				t.Logf("testenv: delete %s: %v", aws.ToString(o.Key), err)
			}
		}
	}
	if _, err := c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String(cfg.Bucket)}); err != nil {
		t.Logf("testenv: delete bucket %s: %v", cfg.Bucket, err)
	}
}

func isConnRefused(err error) bool { return errors.Is(err, syscall.ECONNREFUSED) }

// VersityGWBinary returns the path of the versitygw binary built by
// scripts/setup.d/30-versitygw.sh: KYCQ_TEST_VERSITYGW, else
// $KYCQ_CACHE/bin/versitygw, else .cache/bin/versitygw in the module root,
// else versitygw on PATH. It returns "" when there is none.
func VersityGWBinary() string {
	cands := []string{os.Getenv(EnvVersityGW)}
	if c := os.Getenv("KYCQ_CACHE"); c != "" {
		cands = append(cands, filepath.Join(c, "bin", "versitygw"))
	}
	if root := moduleRoot(); root != "" {
		cands = append(cands, filepath.Join(root, ".cache", "bin", "versitygw"))
	}
	if p, err := exec.LookPath("versitygw"); err == nil {
		cands = append(cands, p)
	}
	for _, c := range cands {
		if c == "" {
			continue
		}
		if fi, err := os.Stat(c); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
			return c
		}
	}
	return ""
}

// moduleRoot walks up from the working directory to the go.mod.
func moduleRoot() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// VersityGW is a versitygw process serving a posix directory, private to
// one test. Tests of failures may Stop and Start it again: it comes back
// on the same address with the same data.
type VersityGW struct {
	Endpoint  string
	AccessKey string
	SecretKey string
	Region    string
	Dir       string

	t    testing.TB
	bin  string
	addr string
	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{}
}

// StartVersityGW starts a private versitygw on a free loopback port with a
// temporary directory and random credentials, and stops it when the test
// ends. Without the binary the test fails under
// KYCQ_TEST_REQUIRE_SERVICES=1 and skips otherwise.
func StartVersityGW(t testing.TB) *VersityGW {
	t.Helper()
	bin := VersityGWBinary()
	if bin == "" {
		Unavailable(t, "versitygw", errors.New("binary not found; scripts/setup.d/30-versitygw.sh builds it into .cache/bin"))
	}
	gw := &VersityGW{
		AccessKey: Name("ak"),
		SecretKey: Name("sk") + Name(""),
		Region:    "us-east-1",
		Dir:       t.TempDir(),
		t:         t,
		bin:       bin,
	}
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		gw.addr, err = FreeAddr()
		if err != nil {
			break
		}
		gw.Endpoint = "http://" + gw.addr
		if err = gw.Start(); err == nil {
			break
		}
	}
	if err != nil {
		t.Fatalf("testenv: start versitygw: %v", err)
	}
	t.Cleanup(func() { gw.Stop() })
	return gw
}

// Config returns a blob.Config for a bucket on this server.
func (g *VersityGW) Config(bucket string) blob.Config {
	return blob.Config{Endpoint: g.Endpoint, Region: g.Region, Bucket: bucket, AccessKey: g.AccessKey, SecretKey: g.SecretKey}
}

// Start starts the server (again) and waits until it answers.
func (g *VersityGW) Start() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.cmd != nil {
		return nil
	}
	cmd := exec.Command(g.bin, "--port", g.addr, "--region", g.Region, "--quiet", "posix", g.Dir)
	cmd.Env = append(os.Environ(), "ROOT_ACCESS_KEY_ID="+g.AccessKey, "ROOT_SECRET_ACCESS_KEY="+g.SecretKey)
	out := &Output{Max: 64 << 10}
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return err
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	deadline := time.Now().Add(20 * time.Second)
	for {
		select {
		case <-done:
			return fmt.Errorf("versitygw exited: %s", strings.TrimSpace(out.String()))
		default:
		}
		resp, err := http.Get(g.Endpoint + "/")
		if err == nil {
			resp.Body.Close()
			g.cmd, g.done = cmd, done
			return nil
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			<-done
			return fmt.Errorf("versitygw did not answer on %s: %v", g.addr, err)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// Stop stops the server (no-op when stopped).
func (g *VersityGW) Stop() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.cmd == nil {
		return
	}
	g.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-g.done:
	case <-time.After(5 * time.Second):
		g.cmd.Process.Kill()
		<-g.done
	}
	g.cmd, g.done = nil, nil
}
