-- The review console (issue 14): staff users and sessions, the manual-review
-- queue, reviewers' decisions, support-case workflow and the staff audit log.

CREATE TABLE staff (
    id            TEXT PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL,
    password_hash BLOB NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);

CREATE TABLE staff_sessions (
    token_hash TEXT PRIMARY KEY,
    staff_id   TEXT NOT NULL REFERENCES staff (id),
    csrf       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX staff_sessions_staff ON staff_sessions (staff_id);

CREATE TABLE review_queue (
    verification_id TEXT PRIMARY KEY REFERENCES verifications (id),
    account_id      TEXT NOT NULL,
    country         TEXT NOT NULL DEFAULT '',
    doc_type        TEXT NOT NULL DEFAULT '',
    reasons         TEXT NOT NULL DEFAULT '[]',
    note            TEXT NOT NULL DEFAULT '',
    submitted_at    INTEGER NOT NULL,
    queued_at       INTEGER NOT NULL,
    state           TEXT NOT NULL DEFAULT 'waiting',
    claimed_by      TEXT NOT NULL DEFAULT '',
    claim_until     INTEGER,
    first_approver  TEXT NOT NULL DEFAULT '',
    decided_at      INTEGER
);
CREATE INDEX review_queue_waiting ON review_queue (submitted_at, verification_id) WHERE state = 'waiting';
CREATE INDEX review_queue_country ON review_queue (country, submitted_at, verification_id) WHERE state = 'waiting';
CREATE INDEX review_queue_doc_type ON review_queue (doc_type, submitted_at, verification_id) WHERE state = 'waiting';

CREATE TABLE review_queue_reasons (
    code            TEXT NOT NULL,
    submitted_at    INTEGER NOT NULL,
    verification_id TEXT NOT NULL REFERENCES review_queue (verification_id),
    country         TEXT NOT NULL DEFAULT '',
    doc_type        TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (code, submitted_at, verification_id)
);

CREATE TABLE review_decisions (
    verification_id TEXT NOT NULL REFERENCES verifications (id),
    staff_id        TEXT NOT NULL,
    first_approver  TEXT NOT NULL DEFAULT '',
    outcome         TEXT NOT NULL,
    reasons         TEXT NOT NULL DEFAULT '[]',
    note_sealed     BLOB,
    decided_at      INTEGER NOT NULL,
    PRIMARY KEY (verification_id, decided_at)
);

ALTER TABLE support_cases ADD COLUMN state TEXT NOT NULL DEFAULT 'open';
ALTER TABLE support_cases ADD COLUMN owner TEXT NOT NULL DEFAULT '';
ALTER TABLE support_cases ADD COLUMN updated_at INTEGER;
CREATE INDEX support_cases_state ON support_cases (state, created_at);
CREATE INDEX support_cases_account ON support_cases (account_id);
CREATE INDEX support_cases_holder ON support_cases (holder_account);

CREATE TABLE case_notes (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id     TEXT NOT NULL REFERENCES support_cases (id),
    staff_id    TEXT NOT NULL,
    note_sealed BLOB NOT NULL,
    at          INTEGER NOT NULL
);
CREATE INDEX case_notes_case ON case_notes (case_id, seq);

CREATE TABLE audit_log (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    at       INTEGER NOT NULL,
    staff_id TEXT NOT NULL,
    action   TEXT NOT NULL,
    subject  TEXT NOT NULL,
    before   TEXT NOT NULL DEFAULT '',
    after    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_subject ON audit_log (subject, seq);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

INSERT INTO review_queue (verification_id, account_id, country, doc_type, reasons, note, submitted_at, queued_at)
    SELECT v.id, v.account_id, v.country, v.doc_type, d.reasons, d.note,
           COALESCE(v.submitted_at, v.created_at), d.decided_at
    FROM decisions d JOIN verifications v ON v.id = d.verification_id
    WHERE d.outcome = 'manual_review';
INSERT INTO review_queue_reasons (code, submitted_at, verification_id, country, doc_type)
    SELECT DISTINCT r.value, q.submitted_at, q.verification_id, q.country, q.doc_type
    FROM review_queue q, json_each(q.reasons) AS r;
