-- Upload metadata (the bytes are in file storage) and the conversations each upload was sent in.

CREATE TABLE uploads (
    id            text    NOT NULL PRIMARY KEY,
    owner_id      text    NOT NULL,
    tenant_id     text    NOT NULL,
    site_id       text,
    length        bigint  NOT NULL,
    upload_offset bigint  NOT NULL,
    name          text    NOT NULL,
    content_type  text    NOT NULL,
    complete      boolean NOT NULL,
    created_at    bigint  NOT NULL,
    expires_at    bigint  NOT NULL,
    width         integer,
    height        integer,
    stored_length bigint
);

CREATE INDEX ix_uploads_site ON uploads (site_id);
CREATE INDEX ix_uploads_incomplete_expiry ON uploads (expires_at) WHERE NOT complete;

CREATE TABLE upload_conversations (
    upload_id       text NOT NULL,
    conversation_id text NOT NULL,
    PRIMARY KEY (upload_id, conversation_id)
);
