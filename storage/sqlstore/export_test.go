package sqlstore

import "context"

// ExecForTest runs a statement on the store's database.
func (s *Store) ExecForTest(ctx context.Context, query string) error {
	_, err := s.db.ExecContext(ctx, query)
	return err
}
