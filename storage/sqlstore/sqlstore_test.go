package sqlstore_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kycq/kycq/internal/systest/testenv"
	"github.com/kycq/kycq/storage"
	"github.com/kycq/kycq/storage/sqlstore"
	"github.com/kycq/kycq/storage/storetest"
)

// openMigrated opens url and migrates it, closing it when the test ends.
func openMigrated(t *testing.T, url string) *sqlstore.Store {
	t.Helper()
	s, err := sqlstore.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestConformanceSQLiteFile(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T) storage.State {
		return openMigrated(t, "sqlite:"+filepath.Join(t.TempDir(), "kycq.db"))
	})
}

func TestConformanceSQLiteMemory(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T) storage.State {
		return openMigrated(t, "sqlite::memory:")
	})
}

func TestConformancePostgres(t *testing.T) {
	t.Parallel()
	testenv.Postgres(t) // fail or skip early when PostgreSQL is not there
	storetest.Run(t, func(t *testing.T) storage.State {
		return openMigrated(t, withParam(testenv.Postgres(t), "pool_max_conns=8"))
	})
}

// withParam adds a query parameter to a URL.
func withParam(url, kv string) string {
	if strings.Contains(url, "?") {
		return url + "&" + kv
	}
	return url + "?" + kv
}

// Several processes starting at once all migrate: each must succeed and
// the schema be applied once.
func TestMigrateConcurrently(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		url  func(t *testing.T) string
	}{
		{"postgres", func(t *testing.T) string { return testenv.Postgres(t) }},
		{"sqlite", func(t *testing.T) string { return "sqlite:" + filepath.Join(t.TempDir(), "kycq.db") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			url := tc.url(t)
			const n = 8
			stores := make([]*sqlstore.Store, n)
			for i := range stores {
				s, err := sqlstore.Open(context.Background(), url)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { s.Close() })
				stores[i] = s
			}
			var wg sync.WaitGroup
			errs := make([]error, n)
			for i, s := range stores {
				wg.Add(1)
				go func() {
					defer wg.Done()
					errs[i] = s.Migrate(context.Background())
				}()
			}
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Fatalf("migrate %d: %v", i, err)
				}
			}
			v, err := stores[0].SchemaVersion(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if v < 1 {
				t.Fatalf("schema version %d after migrate", v)
			}
			// Again: nothing to do, same version.
			if err := stores[1].Migrate(context.Background()); err != nil {
				t.Fatal(err)
			}
			v2, err := stores[1].SchemaVersion(context.Background())
			if err != nil || v2 != v {
				t.Fatalf("version after a second migrate: %d, %v; want %d", v2, err, v)
			}
		})
	}
}

func TestSchemaVersionBeforeMigrate(t *testing.T) {
	s, err := sqlstore.Open(context.Background(), "sqlite::memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	v, err := s.SchemaVersion(context.Background())
	if err != nil || v != 0 {
		t.Fatalf("SchemaVersion of an empty database = %d, %v; want 0", v, err)
	}
}

// A database migrated by a newer kycq is refused, not half-used.
func TestMigrateRefusesNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kycq.db")
	s := openMigrated(t, "sqlite:"+path)
	if err := s.ExecForTest(context.Background(), `INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, '0999_future', 'x')`); err != nil {
		t.Fatal(err)
	}
	err := s.Migrate(context.Background())
	if err == nil || !strings.Contains(err.Error(), "newer") {
		t.Fatalf("migrate over a newer schema: %v, want a refusal", err)
	}
}

func TestOpenRejectsBadURLs(t *testing.T) {
	for _, url := range []string{
		"", "mysql://x", "sqlite:", "/tmp/x.db",
		"postgres://u@127.0.0.1:1/db?pool_max_conns=zero",
		"postgres://u@127.0.0.1:1/db?pool_max_conns=0",
	} {
		if s, err := sqlstore.Open(context.Background(), url); err == nil {
			s.Close()
			t.Errorf("Open(%q) succeeded", url)
		}
	}
}

// Errors from an unreachable PostgreSQL do not carry the password.
func TestOpenErrorHidesPassword(t *testing.T) {
	_, err := sqlstore.Open(context.Background(), "postgres://kycq:s3cretpw@127.0.0.1:1/db?connect_timeout=1")
	if err == nil {
		t.Fatal("connected to port 1")
	}
	if strings.Contains(err.Error(), "s3cretpw") {
		t.Fatalf("error carries the password: %v", err)
	}
}

// The audit trail is append-only in the database itself.
func TestMigrationEventsAppendOnly(t *testing.T) {
	for _, tc := range []struct {
		name string
		url  func(t *testing.T) string
	}{
		{"postgres", func(t *testing.T) string { return testenv.Postgres(t) }},
		{"sqlite", func(t *testing.T) string { return "sqlite::memory:" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := openMigrated(t, tc.url(t))
			ctx := context.Background()
			_, _, err := s.CreateMigration(ctx, &storage.Migration{ID: "m1", Kind: storage.MigrationContact,
				SourceAccount: "a", TargetAccount: "b",
				Contacts: []storage.ContactRef{{Kind: storage.ContactEmail, Hash: "h"}}})
			if err != nil {
				t.Fatal(err)
			}
			for _, q := range []string{`UPDATE migration_events SET detail = 'x'`, `DELETE FROM migration_events`} {
				if err := s.ExecForTest(ctx, q); err == nil || !strings.Contains(err.Error(), "append-only") {
					t.Errorf("%s: %v, want refused as append-only", q, err)
				}
			}
			evs, err := s.MigrationEvents(ctx, "m1")
			if err != nil || len(evs) != 1 {
				t.Fatalf("events after the attempts: %v, %v", evs, err)
			}
		})
	}
}

// A write whose connection the server drops mid-transaction (a restart,
// a failover, an operator killing sessions) is run again on a new
// connection, which is safe because every write is idempotent.
func TestPostgresConnectionKilledMidTransaction(t *testing.T) {
	url := testenv.Postgres(t)
	s := openMigrated(t, url)
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	// Hold the document's row uncommitted so the store's claim blocks.
	blocker, err := admin.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := blocker.Exec(ctx, `INSERT INTO document_claims (doc_key, account_id, claimed_at) VALUES ('d1', 'other', now())`); err != nil {
		t.Fatal(err)
	}
	type result struct {
		won bool
		err error
	}
	done := make(chan result, 1)
	go func() {
		_, won, err := s.ClaimDocument(ctx, storage.Claim{DocKey: "d1", AccountID: "a"})
		done <- result{won, err}
	}()
	// Wait until the claim waits on the lock, then kill its connection.
	killer, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer killer.Close(ctx)
	killed := false
	for i := 0; i < 200 && !killed; i++ {
		var n int
		if err := killer.QueryRow(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%document_claims%'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		killed = n > 0
		time.Sleep(10 * time.Millisecond)
	}
	if !killed {
		t.Fatal("the claim never waited on the lock")
	}
	// The claim is retried and waits again; release the row.
	time.Sleep(50 * time.Millisecond)
	if err := blocker.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	r := <-done
	if r.err != nil || !r.won {
		t.Fatalf("claim after its connection was killed: won=%v, %v", r.won, r.err)
	}
}

// Writes ride out connections the server dropped (a restart, a failover,
// an operator killing sessions): the transaction is run again on a new
// connection, which is safe because every write is idempotent.
func TestPostgresConnectionsTerminated(t *testing.T) {
	url := testenv.Postgres(t)
	s := openMigrated(t, withParam(url, "pool_max_conns=4"))
	ctx := context.Background()
	admin := openMigrated(t, url)
	for round := 0; round < 3; round++ {
		// Fill the pool with idle connections, then kill them all.
		var wg sync.WaitGroup
		for i := 0; i < 4; i++ {
			wg.Add(1)
			go func() { defer wg.Done(); s.Ping(ctx) }()
		}
		wg.Wait()
		if err := admin.ExecForTest(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
			WHERE datname = current_database() AND pid <> pg_backend_pid()`); err != nil {
			t.Fatal(err)
		}
		id := fmt.Sprintf("v%d", round)
		if err := s.CreateVerification(ctx, &storage.Verification{ID: id, AccountID: "a"}); err != nil {
			t.Fatalf("round %d: write after the server dropped the connections: %v", round, err)
		}
		if _, _, err := s.ClaimDocument(ctx, storage.Claim{DocKey: id, AccountID: "a"}); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
	}
}

// A relative SQLite path names the file relative to the working directory
// at Open, even for connections opened after it changed (the embedded S3
// server changes it).
func TestSQLiteRelativePathPinned(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	s := openMigrated(t, "sqlite:data/kycq.db")
	ctx := context.Background()
	if err := s.CreateVerification(ctx, &storage.Verification{ID: "v1", AccountID: "a"}); err != nil {
		t.Fatal(err)
	}
	other := t.TempDir()
	if err := os.Chdir(other); err != nil {
		t.Fatal(err)
	}
	s.DropIdleForTest() // the next query opens a new connection
	if _, err := s.GetVerification(ctx, "v1"); err != nil {
		t.Fatalf("read through a connection opened after chdir: %v", err)
	}
	if _, err := os.Stat(filepath.Join(other, "data")); err == nil {
		t.Fatal("a second database was created in the new working directory")
	}
}
