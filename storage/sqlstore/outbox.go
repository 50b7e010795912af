package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/kycq/kycq/storage"
	"github.com/kycq/kycq/webhooks"
)

// newEventID returns a fresh, unguessable event id.
func newEventID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("sqlstore: crypto/rand: " + err.Error())
	}
	return "evt_" + hex.EncodeToString(b[:])
}

// emit appends an event to the outbox inside tx, the transaction of the
// state change it reports: the one line a producer adds. subject is the
// ordering key ("verification:" + id); d holds ids and outcome codes only.
func (s *Store) emit(ctx context.Context, tx *sql.Tx, typ, subject string, d webhooks.Data, at time.Time) error {
	data, err := json.Marshal(d)
	if err != nil {
		return err
	}
	return s.insertEvent(ctx, tx, storage.Event{ID: newEventID(), Type: typ, Subject: subject, Data: data, CreatedAt: orNow(at)})
}

func (s *Store) insertEvent(ctx context.Context, q querier, e storage.Event) error {
	data := string(e.Data)
	if data == "" {
		data = "{}"
	}
	_, err := q.ExecContext(ctx, `INSERT INTO webhook_events (id, type, subject, data, created_at)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING`, e.ID, e.Type, e.Subject, data, s.ts(orNow(e.CreatedAt)))
	return err
}

// AppendEvent stores an event on its own; the same ID again is a no-op.
func (s *Store) AppendEvent(ctx context.Context, e storage.Event) error {
	if e.ID == "" || e.Type == "" || e.Subject == "" {
		return errors.New("sqlstore: event needs an ID, a type and a subject")
	}
	if len(e.Data) > 0 && !json.Valid(e.Data) {
		return errors.New("sqlstore: event data is not JSON")
	}
	return s.tx(ctx, func(tx *sql.Tx) error { return s.insertEvent(ctx, tx, e) })
}

const eventCols = `seq, id, type, subject, data, created_at, dispatched_at`

func scanEvent(r rowScanner) (storage.Event, error) {
	var e storage.Event
	var data string
	err := r.Scan(&e.Seq, &e.ID, &e.Type, &e.Subject, &data, tsCol{&e.CreatedAt}, tsCol{&e.DispatchedAt})
	e.Data = json.RawMessage(data)
	return e, err
}

// GetEvent returns the event or ErrNotFound.
func (s *Store) GetEvent(ctx context.Context, id string) (storage.Event, error) {
	e, err := scanEvent(s.db.QueryRowContext(ctx, `SELECT `+eventCols+` FROM webhook_events WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return storage.Event{}, fmt.Errorf("event %s: %w", id, storage.ErrNotFound)
	}
	return e, s.wrap(err)
}

// Undispatched lists events not dispatched yet, by Seq, at most limit.
func (s *Store) Undispatched(ctx context.Context, limit int) ([]storage.Event, error) {
	if limit <= 0 {
		return nil, nil
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+eventCols+` FROM webhook_events
		WHERE dispatched_at IS NULL ORDER BY seq LIMIT $1`, limit)
	if err != nil {
		return nil, s.wrap(err)
	}
	defer rows.Close()
	var out []storage.Event
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, s.wrap(err)
		}
		out = append(out, e)
	}
	return out, s.wrap(rows.Err())
}

// AddDeliveries records a queued delivery of each event to each endpoint
// in one transaction; existing deliveries are kept.
func (s *Store) AddDeliveries(ctx context.Context, eventIDs, endpoints []string, at time.Time) error {
	at = orNow(at)
	return s.tx(ctx, func(tx *sql.Tx) error {
		for _, id := range eventIDs {
			var one int
			err := tx.QueryRowContext(ctx, `SELECT 1 FROM webhook_events WHERE id = $1`, id).Scan(&one)
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("event %s: %w", id, storage.ErrNotFound)
			}
			if err != nil {
				return err
			}
			for _, ep := range endpoints {
				if _, err := tx.ExecContext(ctx, `INSERT INTO webhook_deliveries (event_id, endpoint, state, updated_at)
					VALUES ($1, $2, $3, $4) ON CONFLICT (event_id, endpoint) DO NOTHING`,
					id, ep, string(storage.DeliveryQueued), s.ts(at)); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// MarkDispatched records the events' dispatch time (the first stays) in
// one transaction.
func (s *Store) MarkDispatched(ctx context.Context, eventIDs []string, at time.Time) error {
	at = orNow(at)
	return s.tx(ctx, func(tx *sql.Tx) error {
		for _, id := range eventIDs {
			res, err := tx.ExecContext(ctx, `UPDATE webhook_events SET dispatched_at = COALESCE(dispatched_at, $1) WHERE id = $2`,
				s.ts(at), id)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return fmt.Errorf("event %s: %w", id, storage.ErrNotFound)
			}
		}
		return nil
	})
}

// DeliveryBlocked reports whether an earlier event of the same subject is
// still queued for endpoint, or has no delivery and is not dispatched yet.
func (s *Store) DeliveryBlocked(ctx context.Context, eventID, endpoint string) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM webhook_events p
		JOIN webhook_events e ON e.id = $1 AND p.subject = e.subject AND p.seq < e.seq
		LEFT JOIN webhook_deliveries d ON d.event_id = p.id AND d.endpoint = $2
		WHERE d.state = $3 OR (d.state IS NULL AND p.dispatched_at IS NULL)`,
		eventID, endpoint, string(storage.DeliveryQueued)).Scan(&n)
	return n > 0, s.wrap(err)
}

const deliveryCols = `event_id, endpoint, state, attempts, redeliveries, last_status, last_error, updated_at, delivered_at`

func scanDelivery(r rowScanner) (storage.Delivery, error) {
	var d storage.Delivery
	var state string
	err := r.Scan(&d.EventID, &d.Endpoint, &state, &d.Attempts, &d.Redeliveries, &d.LastStatus, &d.LastError,
		tsCol{&d.UpdatedAt}, tsCol{&d.DeliveredAt})
	d.State = storage.DeliveryState(state)
	return d, err
}

func (s *Store) getDelivery(ctx context.Context, q querier, eventID, endpoint, lock string) (storage.Delivery, error) {
	d, err := scanDelivery(q.QueryRowContext(ctx, `SELECT `+deliveryCols+` FROM webhook_deliveries
		WHERE event_id = $1 AND endpoint = $2`+lock, eventID, endpoint))
	if errors.Is(err, sql.ErrNoRows) {
		return storage.Delivery{}, fmt.Errorf("delivery of %s: %w", eventID, storage.ErrNotFound)
	}
	if err != nil {
		return storage.Delivery{}, s.wrap(err)
	}
	return d, nil
}

// GetDelivery returns a delivery or ErrNotFound.
func (s *Store) GetDelivery(ctx context.Context, eventID, endpoint string) (storage.Delivery, error) {
	return s.getDelivery(ctx, s.db, eventID, endpoint, "")
}

// RecordAttempt counts an attempt and moves the delivery to state; a
// delivered delivery stays delivered.
func (s *Store) RecordAttempt(ctx context.Context, eventID, endpoint string, status int, errPhrase string, state storage.DeliveryState, at time.Time) (storage.Delivery, error) {
	switch state {
	case storage.DeliveryQueued, storage.DeliveryDelivered, storage.DeliveryDead:
	default:
		return storage.Delivery{}, fmt.Errorf("sqlstore: unknown delivery state %q", state)
	}
	at = orNow(at)
	var out storage.Delivery
	err := s.tx(ctx, func(tx *sql.Tx) error {
		d, err := s.getDelivery(ctx, tx, eventID, endpoint, s.forUpdate())
		if err != nil {
			return err
		}
		if d.State == storage.DeliveryDelivered {
			out = d
			return nil
		}
		var delivered any
		if state == storage.DeliveryDelivered {
			delivered = s.ts(at)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE webhook_deliveries SET state = $1, attempts = attempts + 1,
			last_status = $2, last_error = $3, updated_at = $4, delivered_at = $5 WHERE event_id = $6 AND endpoint = $7`,
			string(state), status, errPhrase, s.ts(at), delivered, eventID, endpoint); err != nil {
			return err
		}
		out, err = s.getDelivery(ctx, tx, eventID, endpoint, "")
		return err
	})
	return out, err
}

// DeadDeliveries lists dead deliveries after the cursor, oldest first.
func (s *Store) DeadDeliveries(ctx context.Context, after storage.Delivery, limit int) ([]storage.Delivery, error) {
	if limit <= 0 {
		return nil, nil
	}
	query := `SELECT ` + deliveryCols + ` FROM webhook_deliveries WHERE state = 'dead'`
	args := []any{}
	if !after.UpdatedAt.IsZero() {
		args = append(args, s.ts(after.UpdatedAt), after.EventID, after.Endpoint)
		query += ` AND (updated_at > $1 OR (updated_at = $1 AND (event_id > $2 OR (event_id = $2 AND endpoint > $3))))`
	}
	args = append(args, limit)
	query += fmt.Sprintf(` ORDER BY updated_at, event_id, endpoint LIMIT $%d`, len(args))
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, s.wrap(err)
	}
	defer rows.Close()
	var out []storage.Delivery
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			return nil, s.wrap(err)
		}
		out = append(out, d)
	}
	return out, s.wrap(rows.Err())
}

// Redeliver moves a dead delivery back to queued; a queued or delivered
// one is returned with ErrConflict.
func (s *Store) Redeliver(ctx context.Context, eventID, endpoint string, at time.Time) (storage.Delivery, error) {
	var out storage.Delivery
	err := s.tx(ctx, func(tx *sql.Tx) error {
		d, err := s.getDelivery(ctx, tx, eventID, endpoint, s.forUpdate())
		if err != nil {
			return err
		}
		out = d
		if d.State != storage.DeliveryDead {
			return fmt.Errorf("delivery of %s is %s, not dead: %w", eventID, d.State, storage.ErrConflict)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE webhook_deliveries SET state = $1, redeliveries = redeliveries + 1,
			updated_at = $2 WHERE event_id = $3 AND endpoint = $4`,
			string(storage.DeliveryQueued), s.ts(orNow(at)), eventID, endpoint); err != nil {
			return err
		}
		out, err = s.getDelivery(ctx, tx, eventID, endpoint, "")
		return err
	})
	return out, err
}

// PruneEvents deletes, with their deliveries, up to limit dispatched
// events created before the given time that every endpoint has received.
func (s *Store) PruneEvents(ctx context.Context, before time.Time, limit int) (int, error) {
	if limit <= 0 || before.IsZero() {
		return 0, nil
	}
	var n int
	err := s.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id FROM webhook_events e
			WHERE e.created_at < $1 AND e.dispatched_at IS NOT NULL
			AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = e.id AND d.state <> $2)
			ORDER BY e.seq LIMIT $3`, s.ts(before), string(storage.DeliveryDelivered), limit)
		if err != nil {
			return err
		}
		var ids []string
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, `DELETE FROM webhook_deliveries WHERE event_id = $1`, id); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM webhook_events WHERE id = $1`, id); err != nil {
				return err
			}
		}
		n = len(ids)
		return nil
	})
	return n, err
}
