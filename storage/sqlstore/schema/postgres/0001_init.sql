-- kycq state, PostgreSQL. Personal data is never stored in the clear: the
-- applicant's info and face descriptors arrive sealed, document numbers and
-- contacts only as keyed hashes (plus a masked display form for contacts).

CREATE TABLE verifications (
    id            text PRIMARY KEY,
    account_id    text NOT NULL,
    status        text NOT NULL,
    country       text NOT NULL DEFAULT '',
    doc_type      text NOT NULL DEFAULT '',
    doc_key       text NOT NULL DEFAULT '',
    info_sealed   bytea,
    flags         jsonb NOT NULL DEFAULT '[]',
    uploads       jsonb NOT NULL DEFAULT '[]',
    checks        jsonb NOT NULL DEFAULT '[]',
    created_at    timestamptz NOT NULL,
    submitted_at  timestamptz,
    decided_at    timestamptz,
    purged_at     timestamptz
);
-- Undecided / OldestUndecided
CREATE INDEX verifications_undecided ON verifications (submitted_at) WHERE status = 'submitted';
-- DecidedBefore (retention)
CREATE INDEX verifications_unpurged ON verifications (decided_at) WHERE status = 'decided' AND purged_at IS NULL;
CREATE INDEX verifications_account ON verifications (account_id);

CREATE TABLE check_results (
    verification_id text NOT NULL REFERENCES verifications (id),
    check_name      text NOT NULL,
    ok              boolean NOT NULL,
    reasons         jsonb NOT NULL DEFAULT '[]',
    scores          jsonb NOT NULL DEFAULT '{}',
    borderline      boolean NOT NULL DEFAULT false,
    failed          boolean NOT NULL DEFAULT false,
    sealed          bytea,
    duration_us     bigint NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (verification_id, check_name)
);

CREATE TABLE decisions (
    verification_id text PRIMARY KEY REFERENCES verifications (id),
    account_id      text NOT NULL,
    outcome         text NOT NULL,
    reasons         jsonb NOT NULL DEFAULT '[]',
    note            text NOT NULL DEFAULT '',
    decided_at      timestamptz NOT NULL
);
-- CountRejections
CREATE INDEX decisions_account_outcome ON decisions (account_id, outcome, decided_at);

-- One document verifies one account. doc_key is the caller's keyed hash of
-- (issuing country, type, normalised number), never the number.
CREATE TABLE document_claims (
    doc_key         text PRIMARY KEY,
    account_id      text NOT NULL,
    verification_id text NOT NULL DEFAULT '',
    claimed_at      timestamptz NOT NULL
);
CREATE INDEX document_claims_account ON document_claims (account_id);

CREATE TABLE accounts (
    id                text PRIMARY KEY,
    status            text NOT NULL DEFAULT 'active',
    kyc_verified      boolean NOT NULL DEFAULT false,
    verification_id   text NOT NULL DEFAULT '',
    face_sealed       bytea,
    referrals_dropped boolean NOT NULL DEFAULT false,
    updated_at        timestamptz NOT NULL
);

-- Each email / phone is bound to at most one account at a time.
CREATE TABLE contacts (
    kind       text NOT NULL,
    hash       text NOT NULL,
    masked     text NOT NULL DEFAULT '',
    account_id text NOT NULL,
    bound_at   timestamptz NOT NULL,
    PRIMARY KEY (kind, hash)
);
CREATE INDEX contacts_account ON contacts (account_id);

CREATE TABLE holdings (
    account_id          text PRIMARY KEY,
    assets              boolean NOT NULL DEFAULT false,
    pending_withdrawals boolean NOT NULL DEFAULT false,
    open_orders         boolean NOT NULL DEFAULT false,
    updated_at          timestamptz NOT NULL
);

CREATE TABLE migrations (
    id              text PRIMARY KEY,
    kind            text NOT NULL,
    source_account  text NOT NULL,
    target_account  text NOT NULL,
    contacts        jsonb NOT NULL,
    proofs          jsonb NOT NULL,
    verification_id text NOT NULL DEFAULT '',
    state           text NOT NULL,
    refusal         text NOT NULL DEFAULT '',
    error           text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE INDEX migrations_source ON migrations (source_account);

-- The audit trail of migrations: append-only.
CREATE TABLE migration_events (
    seq          bigserial PRIMARY KEY,
    migration_id text NOT NULL REFERENCES migrations (id),
    from_state   text NOT NULL,
    to_state     text NOT NULL,
    detail       text NOT NULL DEFAULT '',
    at           timestamptz NOT NULL
);
CREATE INDEX migration_events_migration ON migration_events (migration_id, seq);

CREATE FUNCTION migration_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'migration_events is append-only';
END;
$$;
CREATE TRIGGER migration_events_append_only BEFORE UPDATE OR DELETE ON migration_events
    FOR EACH ROW EXECUTE FUNCTION migration_events_append_only();

-- Each email / phone can be migrated only once, ever.
CREATE TABLE migrated_contacts (
    kind         text NOT NULL,
    hash         text NOT NULL,
    migration_id text NOT NULL REFERENCES migrations (id),
    migrated_at  timestamptz NOT NULL,
    PRIMARY KEY (kind, hash)
);

CREATE TABLE holder_checks (
    id              text PRIMARY KEY,
    verification_id text NOT NULL,
    account_id      text NOT NULL,
    holder_account  text NOT NULL,
    selfie_key      text NOT NULL DEFAULT '',
    selfie_type     text NOT NULL DEFAULT '',
    state           text NOT NULL,
    score           double precision NOT NULL DEFAULT 0,
    answer          text NOT NULL DEFAULT '',
    migration_id    text NOT NULL DEFAULT '',
    case_id         text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);

CREATE TABLE support_cases (
    id              text PRIMARY KEY,
    kind            text NOT NULL,
    account_id      text NOT NULL DEFAULT '',
    holder_account  text NOT NULL DEFAULT '',
    verification_id text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL
);
