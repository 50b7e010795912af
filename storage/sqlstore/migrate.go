package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

// The schema migrations, one directory per dialect, named NNNN_what.sql.
// They are forward-only: a released file is never edited; a change is a new
// file with the next number, in both directories.
//
//go:embed schema/postgres/*.sql schema/sqlite/*.sql
var schemaFS embed.FS

// migrateLockKey is the PostgreSQL advisory lock key that serialises
// concurrent Migrate calls on one database ("kycq" in ASCII).
const migrateLockKey = 0x6b796371

// schemaMigration is one numbered migration file.
type schemaMigration struct {
	version int
	name    string
	sql     string
}

func (s *Store) schemaMigrations() ([]schemaMigration, error) {
	dir := "schema/" + s.dialect.String()
	entries, err := fs.ReadDir(schemaFS, dir)
	if err != nil {
		return nil, err
	}
	var out []schemaMigration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v < 1 {
			return nil, fmt.Errorf("sqlstore: migration file %s is not named NNNN_name.sql", e.Name())
		}
		b, err := fs.ReadFile(schemaFS, path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		out = append(out, schemaMigration{version: v, name: strings.TrimSuffix(e.Name(), ".sql"), sql: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	// Versions are assigned to parallel branches ahead of their merge, so
	// a gap is allowed; a version twice is not.
	for i := 1; i < len(out); i++ {
		if out[i].version == out[i-1].version {
			return nil, fmt.Errorf("sqlstore: migrations %s and %s share a version", out[i-1].name, out[i].name)
		}
	}
	return out, nil
}

// Migrate brings the schema up to date, applying the embedded migrations
// that are not recorded in schema_migrations yet, in order, in one
// transaction. It is safe when several processes start at once: on
// PostgreSQL they queue on an advisory lock, on SQLite on the database's
// write lock. A database migrated by a newer kycq (a version this binary
// does not know) is refused.
func (s *Store) Migrate(ctx context.Context) error {
	all, err := s.schemaMigrations()
	if err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if s.dialect == postgres {
			if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, migrateLockKey); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version    integer PRIMARY KEY,
			name       text NOT NULL,
			applied_at text NOT NULL
		)`); err != nil {
			return err
		}
		applied := map[int]bool{}
		rows, err := tx.QueryContext(ctx, `SELECT version FROM schema_migrations`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var v int
			if err := rows.Scan(&v); err != nil {
				rows.Close()
				return err
			}
			applied[v] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		latest := all[len(all)-1].version
		for v := range applied {
			if v > latest {
				return fmt.Errorf("sqlstore: the database is at schema version %d, newer than this kycq knows (%d); upgrade kycq", v, latest)
			}
		}
		for _, m := range all {
			if applied[m.version] {
				continue
			}
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return fmt.Errorf("sqlstore: migration %s: %w", m.name, err)
			}
			if _, err := tx.ExecContext(ctx,
				`INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
				m.version, m.name, now().Format("2006-01-02T15:04:05.000000Z")); err != nil {
				return err
			}
		}
		return nil
	})
}

// SchemaVersion returns the highest applied migration (0 before Migrate).
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v sql.NullInt64
	err := s.db.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&v)
	if err != nil {
		if s.tableMissing(err) {
			return 0, nil
		}
		return 0, s.wrap(err)
	}
	return int(v.Int64), nil
}

// tableMissing reports whether err says schema_migrations does not exist.
func (s *Store) tableMissing(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "no such table") || strings.Contains(msg, "42P01")
}
