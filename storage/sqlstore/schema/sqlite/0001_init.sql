-- kycq state, SQLite. Same tables as the PostgreSQL schema; timestamps are
-- INTEGER microseconds since the Unix epoch, JSON is TEXT, booleans are
-- INTEGER 0/1. Personal data is never stored in the clear.

CREATE TABLE verifications (
    id            TEXT PRIMARY KEY,
    account_id    TEXT NOT NULL,
    status        TEXT NOT NULL,
    country       TEXT NOT NULL DEFAULT '',
    doc_type      TEXT NOT NULL DEFAULT '',
    doc_key       TEXT NOT NULL DEFAULT '',
    info_sealed   BLOB,
    flags         TEXT NOT NULL DEFAULT '[]',
    uploads       TEXT NOT NULL DEFAULT '[]',
    checks        TEXT NOT NULL DEFAULT '[]',
    created_at    INTEGER NOT NULL,
    submitted_at  INTEGER,
    decided_at    INTEGER,
    purged_at     INTEGER
);
CREATE INDEX verifications_undecided ON verifications (submitted_at) WHERE status = 'submitted';
CREATE INDEX verifications_unpurged ON verifications (decided_at) WHERE status = 'decided' AND purged_at IS NULL;
CREATE INDEX verifications_account ON verifications (account_id);

CREATE TABLE check_results (
    verification_id TEXT NOT NULL REFERENCES verifications (id),
    check_name      TEXT NOT NULL,
    ok              INTEGER NOT NULL,
    reasons         TEXT NOT NULL DEFAULT '[]',
    scores          TEXT NOT NULL DEFAULT '{}',
    borderline      INTEGER NOT NULL DEFAULT 0,
    failed          INTEGER NOT NULL DEFAULT 0,
    sealed          BLOB,
    duration_us     INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    PRIMARY KEY (verification_id, check_name)
) WITHOUT ROWID;

CREATE TABLE decisions (
    verification_id TEXT PRIMARY KEY REFERENCES verifications (id),
    account_id      TEXT NOT NULL,
    outcome         TEXT NOT NULL,
    reasons         TEXT NOT NULL DEFAULT '[]',
    note            TEXT NOT NULL DEFAULT '',
    decided_at      INTEGER NOT NULL
);
CREATE INDEX decisions_account_outcome ON decisions (account_id, outcome, decided_at);

CREATE TABLE document_claims (
    doc_key         TEXT PRIMARY KEY,
    account_id      TEXT NOT NULL,
    verification_id TEXT NOT NULL DEFAULT '',
    claimed_at      INTEGER NOT NULL
);
CREATE INDEX document_claims_account ON document_claims (account_id);

CREATE TABLE accounts (
    id                TEXT PRIMARY KEY,
    status            TEXT NOT NULL DEFAULT 'active',
    kyc_verified      INTEGER NOT NULL DEFAULT 0,
    verification_id   TEXT NOT NULL DEFAULT '',
    face_sealed       BLOB,
    referrals_dropped INTEGER NOT NULL DEFAULT 0,
    updated_at        INTEGER NOT NULL
);

CREATE TABLE contacts (
    kind       TEXT NOT NULL,
    hash       TEXT NOT NULL,
    masked     TEXT NOT NULL DEFAULT '',
    account_id TEXT NOT NULL,
    bound_at   INTEGER NOT NULL,
    PRIMARY KEY (kind, hash)
) WITHOUT ROWID;
CREATE INDEX contacts_account ON contacts (account_id);

CREATE TABLE holdings (
    account_id          TEXT PRIMARY KEY,
    assets              INTEGER NOT NULL DEFAULT 0,
    pending_withdrawals INTEGER NOT NULL DEFAULT 0,
    open_orders         INTEGER NOT NULL DEFAULT 0,
    updated_at          INTEGER NOT NULL
);

CREATE TABLE migrations (
    id              TEXT PRIMARY KEY,
    kind            TEXT NOT NULL,
    source_account  TEXT NOT NULL,
    target_account  TEXT NOT NULL,
    contacts        TEXT NOT NULL,
    proofs          TEXT NOT NULL,
    verification_id TEXT NOT NULL DEFAULT '',
    state           TEXT NOT NULL,
    refusal         TEXT NOT NULL DEFAULT '',
    error           TEXT NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX migrations_source ON migrations (source_account);

CREATE TABLE migration_events (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    migration_id TEXT NOT NULL REFERENCES migrations (id),
    from_state   TEXT NOT NULL,
    to_state     TEXT NOT NULL,
    detail       TEXT NOT NULL DEFAULT '',
    at           INTEGER NOT NULL
);
CREATE INDEX migration_events_migration ON migration_events (migration_id, seq);

CREATE TRIGGER migration_events_no_update BEFORE UPDATE ON migration_events
BEGIN
    SELECT RAISE(ABORT, 'migration_events is append-only');
END;
CREATE TRIGGER migration_events_no_delete BEFORE DELETE ON migration_events
BEGIN
    SELECT RAISE(ABORT, 'migration_events is append-only');
END;

CREATE TABLE migrated_contacts (
    kind         TEXT NOT NULL,
    hash         TEXT NOT NULL,
    migration_id TEXT NOT NULL REFERENCES migrations (id),
    migrated_at  INTEGER NOT NULL,
    PRIMARY KEY (kind, hash)
) WITHOUT ROWID;

CREATE TABLE holder_checks (
    id              TEXT PRIMARY KEY,
    verification_id TEXT NOT NULL,
    account_id      TEXT NOT NULL,
    holder_account  TEXT NOT NULL,
    selfie_key      TEXT NOT NULL DEFAULT '',
    selfie_type     TEXT NOT NULL DEFAULT '',
    state           TEXT NOT NULL,
    score           REAL NOT NULL DEFAULT 0,
    answer          TEXT NOT NULL DEFAULT '',
    migration_id    TEXT NOT NULL DEFAULT '',
    case_id         TEXT NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);

CREATE TABLE support_cases (
    id              TEXT PRIMARY KEY,
    kind            TEXT NOT NULL,
    account_id      TEXT NOT NULL DEFAULT '',
    holder_account  TEXT NOT NULL DEFAULT '',
    verification_id TEXT NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL
);
