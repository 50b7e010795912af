package main

import (
	"bytes"
	"context"
	"net"
	"strings"
	"testing"
	"time"
)

// kycq serve without an API token stops before it opens anything: the
// "database" below, a listener counting connections, is never dialled
// (issue 12, item 11).
func TestServeRefusesWithoutTokenBeforeTheDatabase(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	addr := l.Addr().String()
	t.Setenv("KYCQ_API_TOKEN", "")
	t.Setenv("KYCQ_API_TOKEN_FILE", "")
	t.Setenv("DATABASE_URL", "postgres://kycq@"+addr+"/kycq?sslmode=disable&connect_timeout=2")
	t.Setenv("REDIS_ADDR", addr)
	t.Setenv("S3_ENDPOINT", "http://"+addr)
	t.Setenv("KYCQ_ADDR", "127.0.0.1:0")
	var out, errb bytes.Buffer
	code := dispatch(context.Background(), []string{"serve"}, &out, &errb)
	if code != 2 || !strings.Contains(errb.String(), "KYCQ_API_TOKEN") {
		t.Fatalf("exit %d, stderr %q; want 2 naming KYCQ_API_TOKEN", code, errb.String())
	}
	// A dial would have completed its handshake before dispatch returned,
	// so it would be waiting in the backlog now.
	l.(*net.TCPListener).SetDeadline(time.Now().Add(100 * time.Millisecond))
	if c, err := l.Accept(); err == nil {
		c.Close()
		t.Fatal("serve connected to a backing service before refusing")
	}
}
