// Package sqlstore implements storage.State over database/sql with two
// dialects: PostgreSQL (production, driver github.com/jackc/pgx/v5) and
// SQLite (the embedded default of `kycq run`, driver modernc.org/sqlite, pure
// Go).
//
// The SQL is shared; the dialects differ only in the schema files (types,
// advisory locking) and in a few clauses (row locks). Concurrency:
//
//   - PostgreSQL runs at READ COMMITTED with many connections. First-writer
//     wins writes use INSERT … ON CONFLICT DO NOTHING followed by a re-read;
//     read-modify-write steps lock the row first (SELECT … FOR UPDATE) or
//     use a conditional UPDATE … WHERE state = $from. Serialization failures
//     and deadlocks are retried inside the store.
//   - SQLite has a single writer: every write transaction takes the
//     process-wide writer lock and begins IMMEDIATE, the database runs in
//     WAL mode with a busy timeout (for other processes), and readers run
//     concurrently.
package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/kycq/kycq/storage"
)

// dialect names the SQL flavour of a Store.
type dialect int

const (
	postgres dialect = iota
	sqliteDialect
)

func (d dialect) String() string {
	if d == postgres {
		return "postgres"
	}
	return "sqlite"
}

// Store is a storage.State over PostgreSQL or SQLite.
type Store struct {
	db      *sql.DB
	dialect dialect
	// wmu serialises write transactions of this process on SQLite, which
	// has a single writer; waiting on a mutex is cheaper and fairer than
	// SQLite's busy handler. Unused on PostgreSQL.
	wmu sync.Mutex
}

var _ storage.State = (*Store)(nil)

// Defaults of the connection pool.
const (
	defaultPGMaxConns     = 10
	defaultSQLiteMaxConns = 4
	sqliteBusyTimeoutMS   = 10000
)

// Open connects to the database named by url without changing it; call
// Migrate before use. Accepted forms:
//
//	postgres://user@host:5432/db?sslmode=disable   (also postgresql://)
//	sqlite:/path/to/kycq.db                         (created when missing)
//	sqlite::memory:                                 (a private in-memory database)
//
// A PostgreSQL URL may carry pool_max_conns=N (default 10); it is consumed
// by the store, every other parameter goes to pgx.
func Open(ctx context.Context, rawURL string) (*Store, error) {
	switch {
	case strings.HasPrefix(rawURL, "postgres://"), strings.HasPrefix(rawURL, "postgresql://"):
		return openPostgres(ctx, rawURL)
	case strings.HasPrefix(rawURL, "sqlite:"):
		return openSQLite(ctx, strings.TrimPrefix(rawURL, "sqlite:"))
	default:
		return nil, errors.New("sqlstore: database URL must start with postgres://, postgresql:// or sqlite:")
	}
}

func openPostgres(ctx context.Context, rawURL string) (*Store, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		// url.Parse errors quote the URL, which may hold a password.
		return nil, errors.New("sqlstore: malformed PostgreSQL URL")
	}
	maxConns := defaultPGMaxConns
	q := u.Query()
	if v := q.Get("pool_max_conns"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("sqlstore: pool_max_conns must be a positive integer, got %q", v)
		}
		maxConns = n
		q.Del("pool_max_conns")
		u.RawQuery = q.Encode()
	}
	cfg, err := pgx.ParseConfig(u.String())
	if err != nil {
		return nil, fmt.Errorf("sqlstore: PostgreSQL URL: %v", redactErr(err))
	}
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(maxConns)
	db.SetMaxIdleConns(maxConns)
	db.SetConnMaxIdleTime(5 * time.Minute)
	s := &Store{db: db, dialect: postgres}
	if err := s.Ping(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

func openSQLite(ctx context.Context, path string) (*Store, error) {
	if path == "" {
		return nil, errors.New("sqlstore: sqlite: needs a file path or :memory:")
	}
	params := url.Values{}
	params.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", sqliteBusyTimeoutMS))
	params.Add("_pragma", "foreign_keys(1)")
	params.Add("_txlock", "immediate")
	maxConns := defaultSQLiteMaxConns
	var dsn string
	if path == ":memory:" {
		// Every connection to :memory: is its own database: keep one.
		maxConns = 1
		dsn = ":memory:?" + params.Encode()
	} else {
		// Connections open lazily, possibly after the working directory
		// changed (storage/s3embed changes it): pin the path now.
		abs, err := filepath.Abs(path)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: sqlite path: %w", err)
		}
		path = abs
		if dir := filepath.Dir(path); dir != "" {
			if err := os.MkdirAll(dir, 0o700); err != nil {
				return nil, fmt.Errorf("sqlstore: sqlite directory: %w", err)
			}
		}
		params.Add("_pragma", "journal_mode(WAL)")
		params.Add("_pragma", "synchronous(NORMAL)")
		dsn = path + "?" + params.Encode()
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: sqlite: %w", err)
	}
	db.SetMaxOpenConns(maxConns)
	db.SetMaxIdleConns(maxConns)
	db.SetConnMaxIdleTime(0)
	db.SetConnMaxLifetime(0)
	s := &Store{db: db, dialect: sqliteDialect}
	if err := s.Ping(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// Dialect returns "postgres" or "sqlite".
func (s *Store) Dialect() string { return s.dialect.String() }

// Ping checks the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.db.PingContext(ctx); err != nil {
		return fmt.Errorf("sqlstore: %s ping: %v", s.dialect, redactErr(err))
	}
	return nil
}

// Close releases the store's connections.
func (s *Store) Close() error { return s.db.Close() }

// forUpdate is the row-lock clause of the dialect: SQLite locks the whole
// database for the transaction already.
func (s *Store) forUpdate() string {
	if s.dialect == postgres {
		return " FOR UPDATE"
	}
	return ""
}

// maxAttempts bounds the runs of a transaction the database aborted.
const maxAttempts = 8

// tx runs fn in a write transaction and runs it again when the database
// aborted it for a serialization failure, a deadlock or (SQLite, other
// processes) a busy database, or lost the connection: every write of the
// store is idempotent, so a transaction whose commit may or may not have
// landed can be run again. fn must be safe to run again. Contention is
// retried within milliseconds; a lost connection (a database restarting)
// with backoff up to a second, ≈4.5 s in all, bounded by ctx.
func (s *Store) tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	var err error
	for attempt := 0; attempt < maxAttempts; attempt++ {
		err = s.tryTx(ctx, fn)
		kind := s.retryKind(err)
		if err == nil || kind == noRetry || ctx.Err() != nil {
			return s.wrap(err)
		}
		wait := time.Duration(1<<min(attempt+1, 6)) * time.Millisecond
		if kind == connectionLost {
			wait = min(100*time.Millisecond<<attempt, time.Second)
		}
		select {
		case <-ctx.Done():
			return s.wrap(err)
		case <-time.After(wait):
		}
	}
	return fmt.Errorf("sqlstore: gave up after %d attempts: %w", maxAttempts, s.wrap(err))
}

func (s *Store) tryTx(ctx context.Context, fn func(tx *sql.Tx) error) (err error) {
	if s.dialect == sqliteDialect {
		s.wmu.Lock()
		defer s.wmu.Unlock()
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return s.wrap(err)
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	if err = tx.Commit(); err != nil {
		return s.wrap(err)
	}
	return nil
}

// retry kinds of an error.
const (
	noRetry = iota
	contention
	connectionLost
)

// retryKind says whether err aborted a transaction that may succeed when
// run again, and why.
func (s *Store) retryKind(err error) int {
	if err == nil {
		return noRetry
	}
	if errors.Is(err, errRetry) {
		return contention
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch {
		case pgErr.Code == "40001", pgErr.Code == "40P01": // serialization_failure, deadlock_detected
			return contention
		case strings.HasPrefix(pgErr.Code, "08"), // connection_exception
			pgErr.Code == "57P01", pgErr.Code == "57P02", pgErr.Code == "57P03": // shutdown, starting up
			return connectionLost
		}
		return noRetry
	}
	var sqErr *sqlite.Error
	if errors.As(err, &sqErr) {
		switch sqErr.Code() & 0xff {
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return contention
		}
		return noRetry
	}
	if s.dialect == postgres {
		var netErr net.Error
		var connErr *pgconn.ConnectError
		if errors.Is(err, driver.ErrBadConn) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) ||
			errors.As(err, &netErr) || errors.As(err, &connErr) || pgconn.SafeToRetry(err) {
			return connectionLost
		}
	}
	return noRetry
}

// errRetry asks tx to run the transaction again.
var errRetry = errors.New("sqlstore: retry")

// dbError wraps a driver error so that errors.As still finds it while the
// message names the store.
type dbError struct {
	dialect dialect
	err     error
}

func (e *dbError) Error() string { return fmt.Sprintf("sqlstore: %s: %v", e.dialect, redactErr(e.err)) }
func (e *dbError) Unwrap() error { return e.err }

// wrap marks a database error as coming from this store. Sentinels and
// already wrapped errors pass unchanged.
func (s *Store) wrap(err error) error {
	if err == nil || errors.Is(err, storage.ErrNotFound) || errors.Is(err, storage.ErrConflict) ||
		errors.Is(err, storage.ErrAccountInactive) || errors.Is(err, storage.ErrLimit) ||
		errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var de *dbError
	if errors.As(err, &de) {
		return err
	}
	return &dbError{dialect: s.dialect, err: err}
}

// redactErr drops the parts of a driver error that may carry values: a
// PostgreSQL error keeps its code and message (never the DETAIL, which
// quotes key values), a connection error keeps its text minus any password.
func redactErr(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return fmt.Sprintf("%s (SQLSTATE %s)", pgErr.Message, pgErr.Code)
	}
	return err.Error()
}
