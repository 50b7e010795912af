-- Retention deletes the fresh selfie of a holder check too (it is
-- biometric data); purged_at records when.
ALTER TABLE holder_checks ADD COLUMN purged_at timestamptz;
-- HolderChecksBefore (retention)
CREATE INDEX holder_checks_unpurged ON holder_checks (updated_at) WHERE purged_at IS NULL;
