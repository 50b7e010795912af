package sqlstore

import "context"

// ExecForTest runs a statement on the store's database.
func (s *Store) ExecForTest(ctx context.Context, query string) error {
	_, err := s.db.ExecContext(ctx, query)
	return err
}

// DropIdleForTest closes the idle connections so that the next queries
// open new ones.
func (s *Store) DropIdleForTest() {
	s.db.SetMaxIdleConns(0)
	s.db.SetMaxIdleConns(defaultSQLiteMaxConns)
}
