-- The review console (issue 14): staff users and sessions, the manual-review
-- queue, reviewers' decisions, support-case workflow and the staff audit log.

CREATE TABLE staff (
    id            text PRIMARY KEY,
    username      text NOT NULL UNIQUE,
    role          text NOT NULL,
    password_hash bytea NOT NULL,
    disabled      boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);

-- Only a hash of the session token is kept.
CREATE TABLE staff_sessions (
    token_hash text PRIMARY KEY,
    staff_id   text NOT NULL REFERENCES staff (id),
    csrf       text NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX staff_sessions_staff ON staff_sessions (staff_id);

-- One row per verification a decision sent to manual review. No personal
-- data: codes, country and document type.
CREATE TABLE review_queue (
    verification_id text PRIMARY KEY REFERENCES verifications (id),
    account_id      text NOT NULL,
    country         text NOT NULL DEFAULT '',
    doc_type        text NOT NULL DEFAULT '',
    reasons         jsonb NOT NULL DEFAULT '[]',
    note            text NOT NULL DEFAULT '',
    submitted_at    timestamptz NOT NULL,
    queued_at       timestamptz NOT NULL,
    state           text NOT NULL DEFAULT 'waiting',
    claimed_by      text NOT NULL DEFAULT '',
    claim_until     timestamptz,
    first_approver  text NOT NULL DEFAULT '',
    decided_at      timestamptz
);
-- The queue, oldest first, whole or by country or document type.
CREATE INDEX review_queue_waiting ON review_queue (submitted_at, verification_id) WHERE state = 'waiting';
CREATE INDEX review_queue_country ON review_queue (country, submitted_at, verification_id) WHERE state = 'waiting';
CREATE INDEX review_queue_doc_type ON review_queue (doc_type, submitted_at, verification_id) WHERE state = 'waiting';

-- The reason codes of waiting reviews, for the reason filter; rows go when
-- the review is decided.
CREATE TABLE review_queue_reasons (
    code            text NOT NULL,
    submitted_at    timestamptz NOT NULL,
    verification_id text NOT NULL REFERENCES review_queue (verification_id),
    country         text NOT NULL DEFAULT '',
    doc_type        text NOT NULL DEFAULT '',
    PRIMARY KEY (code, submitted_at, verification_id)
);

CREATE TABLE review_decisions (
    verification_id text NOT NULL REFERENCES verifications (id),
    staff_id        text NOT NULL,
    first_approver  text NOT NULL DEFAULT '',
    outcome         text NOT NULL,
    reasons         jsonb NOT NULL DEFAULT '[]',
    note_sealed     bytea,
    decided_at      timestamptz NOT NULL,
    -- A verification sent back to review (ReleaseDocument) is decided again.
    PRIMARY KEY (verification_id, decided_at)
);

ALTER TABLE support_cases ADD COLUMN state text NOT NULL DEFAULT 'open';
ALTER TABLE support_cases ADD COLUMN owner text NOT NULL DEFAULT '';
ALTER TABLE support_cases ADD COLUMN updated_at timestamptz;
CREATE INDEX support_cases_state ON support_cases (state, created_at);
CREATE INDEX support_cases_account ON support_cases (account_id);
CREATE INDEX support_cases_holder ON support_cases (holder_account);

CREATE TABLE case_notes (
    seq         bigserial PRIMARY KEY,
    case_id     text NOT NULL REFERENCES support_cases (id),
    staff_id    text NOT NULL,
    note_sealed bytea NOT NULL,
    at          timestamptz NOT NULL
);
CREATE INDEX case_notes_case ON case_notes (case_id, seq);

-- Every staff action and every staff view of personal data: append-only.
CREATE TABLE audit_log (
    seq      bigserial PRIMARY KEY,
    at       timestamptz NOT NULL,
    staff_id text NOT NULL,
    action   text NOT NULL,
    subject  text NOT NULL,
    before   text NOT NULL DEFAULT '',
    after    text NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_subject ON audit_log (subject, seq);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

-- Verifications already waiting in manual review enter the queue.
INSERT INTO review_queue (verification_id, account_id, country, doc_type, reasons, note, submitted_at, queued_at)
    SELECT v.id, v.account_id, v.country, v.doc_type, d.reasons, d.note,
           COALESCE(v.submitted_at, v.created_at), d.decided_at
    FROM decisions d JOIN verifications v ON v.id = d.verification_id
    WHERE d.outcome = 'manual_review';
INSERT INTO review_queue_reasons (code, submitted_at, verification_id, country, doc_type)
    SELECT DISTINCT r.code, q.submitted_at, q.verification_id, q.country, q.doc_type
    FROM review_queue q, jsonb_array_elements_text(q.reasons) AS r(code);
