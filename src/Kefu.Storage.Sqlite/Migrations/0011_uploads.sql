-- Upload metadata (the bytes are in file storage) and the conversations each upload was sent in.

CREATE TABLE uploads (
    id            TEXT    NOT NULL PRIMARY KEY,
    owner_id      TEXT    NOT NULL,
    tenant_id     TEXT    NOT NULL,
    site_id       TEXT,
    length        INTEGER NOT NULL,
    upload_offset INTEGER NOT NULL,
    name          TEXT    NOT NULL,
    content_type  TEXT    NOT NULL,
    complete      INTEGER NOT NULL,
    created_at    INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL,
    width         INTEGER,
    height        INTEGER,
    stored_length INTEGER
) WITHOUT ROWID;

CREATE INDEX ix_uploads_site ON uploads (site_id);
CREATE INDEX ix_uploads_incomplete_expiry ON uploads (expires_at) WHERE complete = 0;

CREATE TABLE upload_conversations (
    upload_id       TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    PRIMARY KEY (upload_id, conversation_id)
) WITHOUT ROWID;
