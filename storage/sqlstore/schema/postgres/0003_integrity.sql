-- Issue 12 (rules and integrity).
--
-- A mismatched holder check keeps the face check's reasons, so the user can
-- tell a different face from an unusable selfie.
ALTER TABLE holder_checks ADD COLUMN reasons jsonb NOT NULL DEFAULT '[]';
-- CreateHolderCheckWithin counts an account's and a verification's
-- attempts in a window.
CREATE INDEX holder_checks_account ON holder_checks (account_id, created_at);
CREATE INDEX holder_checks_verification ON holder_checks (verification_id, created_at);

-- The contact trail of completed migrations: every contact moved, every
-- contact of the target it replaced, every contact left on a closed source
-- and released. Contacts appear as keyed hashes and masked forms only.
-- Append-only, like migration_events.
CREATE TABLE migration_contact_changes (
    seq          bigserial PRIMARY KEY,
    migration_id text NOT NULL REFERENCES migrations (id),
    change       text NOT NULL,
    kind         text NOT NULL,
    hash         text NOT NULL,
    masked       text NOT NULL DEFAULT '',
    account_id   text NOT NULL,
    at           timestamptz NOT NULL
);
CREATE INDEX migration_contact_changes_migration ON migration_contact_changes (migration_id, seq);
CREATE TRIGGER migration_contact_changes_append_only BEFORE UPDATE OR DELETE ON migration_contact_changes
    FOR EACH ROW EXECUTE FUNCTION migration_events_append_only();
