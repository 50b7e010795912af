-- Known faces (rules §10): the sealed face descriptor of each account's
-- latest approved verification, searched (in memory, by the workers) for
-- one face behind many accounts. Deleted with the account's closure and by
-- retention.
CREATE TABLE known_faces (
    account_id      TEXT PRIMARY KEY,
    verification_id TEXT NOT NULL,
    doc_key         TEXT NOT NULL,
    face_sealed     BLOB NOT NULL,
    added_at        INTEGER NOT NULL
);
-- DeleteKnownFacesBefore (retention)
CREATE INDEX known_faces_added ON known_faces (added_at);
