-- Issue 12 (rules and integrity).
--
-- A mismatched holder check keeps the face check's reasons, so the user can
-- tell a different face from an unusable selfie.
ALTER TABLE holder_checks ADD COLUMN reasons TEXT NOT NULL DEFAULT '[]';
-- CreateHolderCheckWithin counts an account's and a verification's
-- attempts in a window.
CREATE INDEX holder_checks_account ON holder_checks (account_id, created_at);
CREATE INDEX holder_checks_verification ON holder_checks (verification_id, created_at);

-- The contact trail of completed migrations: every contact moved, every
-- contact of the target it replaced, every contact left on a closed source
-- and released. Contacts appear as keyed hashes and masked forms only.
-- Append-only, like migration_events.
CREATE TABLE migration_contact_changes (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    migration_id TEXT NOT NULL REFERENCES migrations (id),
    change       TEXT NOT NULL,
    kind         TEXT NOT NULL,
    hash         TEXT NOT NULL,
    masked       TEXT NOT NULL DEFAULT '',
    account_id   TEXT NOT NULL,
    at           INTEGER NOT NULL
);
CREATE INDEX migration_contact_changes_migration ON migration_contact_changes (migration_id, seq);
CREATE TRIGGER migration_contact_changes_no_update BEFORE UPDATE ON migration_contact_changes
BEGIN
    SELECT RAISE(ABORT, 'migration_contact_changes is append-only');
END;
CREATE TRIGGER migration_contact_changes_no_delete BEFORE DELETE ON migration_contact_changes
BEGIN
    SELECT RAISE(ABORT, 'migration_contact_changes is append-only');
END;
