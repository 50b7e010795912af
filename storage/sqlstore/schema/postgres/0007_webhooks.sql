-- Outgoing events (package webhooks): the outbox, written in the same
-- transaction as the state change it reports, and one delivery per event
-- and endpoint. Events hold ids and outcome codes only.
CREATE TABLE webhook_events (
    seq           bigserial PRIMARY KEY,
    id            text NOT NULL UNIQUE,
    type          text NOT NULL,
    subject       text NOT NULL,
    data          jsonb NOT NULL DEFAULT '{}',
    created_at    timestamptz NOT NULL,
    dispatched_at timestamptz
);
-- Undispatched (the relay)
CREATE INDEX webhook_events_undispatched ON webhook_events (seq) WHERE dispatched_at IS NULL;
-- DeliveryBlocked (per-subject ordering)
CREATE INDEX webhook_events_subject ON webhook_events (subject, seq);

CREATE TABLE webhook_deliveries (
    event_id      text NOT NULL REFERENCES webhook_events (id),
    endpoint      text NOT NULL,
    state         text NOT NULL,
    attempts      integer NOT NULL DEFAULT 0,
    redeliveries  integer NOT NULL DEFAULT 0,
    last_status   integer NOT NULL DEFAULT 0,
    last_error    text NOT NULL DEFAULT '',
    updated_at    timestamptz NOT NULL,
    delivered_at  timestamptz,
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
