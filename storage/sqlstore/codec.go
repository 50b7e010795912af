package sqlstore

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"time"
)

// Times are kept to the microsecond, the resolution of PostgreSQL's
// timestamptz; SQLite stores them as integer microseconds since the Unix
// epoch so that they sort and compare as numbers. A zero time is NULL.

// ts encodes t for a query parameter of the store's dialect.
func (s *Store) ts(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	if s.dialect == sqliteDialect {
		return t.UnixMicro()
	}
	return t.UTC().Truncate(time.Microsecond)
}

// now is the default timestamp of writes that were given none.
func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// orNow returns t, or the current time when t is zero, in UTC to the
// microsecond.
func orNow(t time.Time) time.Time {
	if t.IsZero() {
		return now()
	}
	return t.UTC().Truncate(time.Microsecond)
}

// tsCol scans a timestamp column of either dialect into a time.Time (UTC;
// zero for NULL).
type tsCol struct{ t *time.Time }

func (c tsCol) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*c.t = time.Time{}
	case time.Time:
		*c.t = x.UTC()
	case int64:
		*c.t = time.UnixMicro(x).UTC()
	default:
		return fmt.Errorf("sqlstore: timestamp column holds %T", v)
	}
	return nil
}

// jsonText encodes v as JSON text for a json/jsonb or TEXT column.
func jsonText(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("sqlstore: encode %T: %v", v, err)
	}
	return string(b), nil
}

// jsonCol scans a JSON column (text or bytes) into the value it points to.
// NULL and empty text leave the value unchanged.
type jsonCol struct{ v any }

func (c jsonCol) Scan(src any) error {
	var b []byte
	switch x := src.(type) {
	case nil:
		return nil
	case string:
		b = []byte(x)
	case []byte:
		b = x
	default:
		return fmt.Errorf("sqlstore: JSON column holds %T", src)
	}
	if len(b) == 0 {
		return nil
	}
	if err := json.Unmarshal(b, c.v); err != nil {
		return fmt.Errorf("sqlstore: decode %T: %v", c.v, err)
	}
	return nil
}

// blobCol scans a bytea/BLOB column, keeping nil for NULL and a copy of
// the driver's bytes otherwise.
type blobCol struct{ b *[]byte }

func (c blobCol) Scan(src any) error {
	switch x := src.(type) {
	case nil:
		*c.b = nil
	case []byte:
		*c.b = append([]byte(nil), x...)
	case string:
		*c.b = []byte(x)
	default:
		return fmt.Errorf("sqlstore: blob column holds %T", src)
	}
	return nil
}

// blob encodes b for a bytea/BLOB parameter (NULL when empty).
func blob(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return b
}

var (
	_ sql.Scanner = tsCol{}
	_ sql.Scanner = jsonCol{}
	_ sql.Scanner = blobCol{}
)
