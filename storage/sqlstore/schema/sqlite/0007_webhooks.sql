-- SQLite: timestamps are INTEGER microseconds, JSON is TEXT.
-- Outgoing events (package webhooks): the outbox, written in the same
-- transaction as the state change it reports, and one delivery per event
-- and endpoint. Events hold ids and outcome codes only.
CREATE TABLE webhook_events (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    id            TEXT NOT NULL UNIQUE,
    type          TEXT NOT NULL,
    subject       TEXT NOT NULL,
    data          TEXT NOT NULL DEFAULT '{}',
    created_at    INTEGER NOT NULL,
    dispatched_at INTEGER
);
-- Undispatched (the relay)
CREATE INDEX webhook_events_undispatched ON webhook_events (seq) WHERE dispatched_at IS NULL;
-- DeliveryBlocked (per-subject ordering)
CREATE INDEX webhook_events_subject ON webhook_events (subject, seq);

CREATE TABLE webhook_deliveries (
    event_id      TEXT NOT NULL REFERENCES webhook_events (id),
    endpoint      TEXT NOT NULL,
    state         TEXT NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    redeliveries  INTEGER NOT NULL DEFAULT 0,
    last_status   INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT NOT NULL DEFAULT '',
    updated_at    INTEGER NOT NULL,
    delivered_at  INTEGER,
    PRIMARY KEY (event_id, endpoint)
);
-- DeadDeliveries (the dead-letter list)
CREATE INDEX webhook_deliveries_dead ON webhook_deliveries (updated_at, event_id, endpoint) WHERE state = 'dead';

-- The list endpoints page by (created_at, id).
CREATE INDEX verifications_account_created ON verifications (account_id, created_at, id);
CREATE INDEX verifications_status_created ON verifications (status, created_at, id);
CREATE INDEX verifications_status_submitted ON verifications (status, submitted_at, id);
CREATE INDEX verifications_status_decided ON verifications (status, decided_at, id);
CREATE INDEX holder_checks_account_created ON holder_checks (account_id, created_at, id);
CREATE INDEX migrations_source_created ON migrations (source_account, created_at, id);
CREATE INDEX migrations_target_created ON migrations (target_account, created_at, id);
CREATE INDEX support_cases_account_created ON support_cases (account_id, created_at, id);
