package testenv_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/kycq/kycq/internal/systest/testenv"
	"github.com/kycq/kycq/storage/blob"
)

func TestRedis(t *testing.T) {
	addr := testenv.Redis(t)
	if !strings.Contains(addr, ":") {
		t.Fatalf("address %q", addr)
	}
}

// Postgres hands out a fresh database per call and drops it afterwards.
func TestPostgres(t *testing.T) {
	ctx := context.Background()
	var name string
	t.Run("fresh", func(t *testing.T) {
		url := testenv.Postgres(t)
		c, err := pgx.Connect(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close(ctx)
		if err := c.QueryRow(ctx, "SELECT current_database()").Scan(&name); err != nil {
			t.Fatal(err)
		}
		var tables int
		if err := c.QueryRow(ctx, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").Scan(&tables); err != nil || tables != 0 {
			t.Fatalf("fresh database has %d tables (%v)", tables, err)
		}
		if other := testenv.Postgres(t); other == url {
			t.Fatal("two calls gave the same database")
		}
	})
	admin, err := pgx.Connect(ctx, testenv.Postgres(t))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	var n int
	if err := admin.QueryRow(ctx, "SELECT count(*) FROM pg_database WHERE datname = $1", name).Scan(&n); err != nil || n != 0 {
		t.Fatalf("database %s still there after its test (%d, %v)", name, n, err)
	}
}

// S3 hands out an empty bucket, usable at once.
func TestS3(t *testing.T) {
	cfg := testenv.S3(t)
	st, err := blob.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Put(context.Background(), "k", "text/plain", bytes.NewReader([]byte("v")), 1); err != nil {
		t.Fatal(err)
	}
	if other := testenv.S3(t); other.Bucket == cfg.Bucket {
		t.Fatal("two calls gave the same bucket")
	}
}

// A private versitygw stops and comes back on the same address with the
// same data, for fault tests.
func TestVersityGWRestart(t *testing.T) {
	gw := testenv.StartVersityGW(t)
	cfg := gw.Config("restart")
	ctx := context.Background()
	st, err := blob.New(ctx, blob.Config{Endpoint: cfg.Endpoint, Bucket: cfg.Bucket, AccessKey: cfg.AccessKey,
		SecretKey: cfg.SecretKey, MaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.EnsureBucket(ctx); err != nil {
		t.Fatal(err)
	}
	if err := st.Put(ctx, "k", "text/plain", bytes.NewReader([]byte("v")), 1); err != nil {
		t.Fatal(err)
	}
	gw.Stop()
	if err := st.Ping(ctx); err == nil {
		t.Fatal("stopped server answers")
	}
	if err := gw.Start(); err != nil {
		t.Fatal(err)
	}
	if info, err := st.Head(ctx, "k"); err != nil || info.Size != 1 {
		t.Fatalf("after restart: %+v, %v", info, err)
	}
}
