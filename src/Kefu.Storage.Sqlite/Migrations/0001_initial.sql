-- Kefu schema, version 1. Times are unix milliseconds (INTEGER); ids are opaque TEXT.

CREATE TABLE settings (
    key   TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE tenants (
    id         TEXT NOT NULL PRIMARY KEY,
    slug       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE sites (
    id               TEXT NOT NULL PRIMARY KEY,
    tenant_id        TEXT NOT NULL REFERENCES tenants (id),
    site_key         TEXT NOT NULL UNIQUE,
    name             TEXT NOT NULL,
    allowed_origins  TEXT NOT NULL DEFAULT '[]',
    identity_secret  TEXT NOT NULL,
    require_identity INTEGER NOT NULL DEFAULT 0,
    created_at       INTEGER NOT NULL
);

CREATE INDEX ix_sites_tenant ON sites (tenant_id);

CREATE TABLE teams (
    id         TEXT NOT NULL PRIMARY KEY,
    tenant_id  TEXT NOT NULL REFERENCES tenants (id),
    name       TEXT NOT NULL,
    is_default INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    UNIQUE (tenant_id, name)
);

CREATE TABLE agents (
    id                   TEXT NOT NULL PRIMARY KEY,
    tenant_id            TEXT NOT NULL REFERENCES tenants (id),
    username             TEXT NOT NULL UNIQUE,
    display_name         TEXT NOT NULL,
    password_hash        TEXT NOT NULL,
    is_admin             INTEGER NOT NULL DEFAULT 0,
    max_concurrent       INTEGER NOT NULL,
    disabled             INTEGER NOT NULL DEFAULT 0,
    token_version        INTEGER NOT NULL DEFAULT 0,
    must_change_password INTEGER NOT NULL DEFAULT 0,
    created_at           INTEGER NOT NULL
);

CREATE TABLE team_members (
    team_id  TEXT NOT NULL REFERENCES teams (id),
    agent_id TEXT NOT NULL REFERENCES agents (id),
    PRIMARY KEY (team_id, agent_id)
) WITHOUT ROWID;

CREATE INDEX ix_team_members_agent ON team_members (agent_id);

CREATE TABLE visitors (
    id          TEXT NOT NULL PRIMARY KEY,
    tenant_id   TEXT NOT NULL REFERENCES tenants (id),
    site_id     TEXT NOT NULL REFERENCES sites (id),
    external_id TEXT,
    name        TEXT,
    email       TEXT,
    context     TEXT,
    created_at  INTEGER NOT NULL
);

-- A verified identity maps to one visitor per site; anonymous visitors have no external id.
CREATE UNIQUE INDEX ux_visitors_site_external ON visitors (site_id, external_id) WHERE external_id IS NOT NULL;

CREATE TABLE conversations (
    id             TEXT NOT NULL PRIMARY KEY,
    tenant_id      TEXT NOT NULL REFERENCES tenants (id),
    site_id        TEXT NOT NULL REFERENCES sites (id),
    visitor_id     TEXT NOT NULL REFERENCES visitors (id),
    team_id        TEXT REFERENCES teams (id),
    status         TEXT NOT NULL CHECK (status IN ('bot', 'queued', 'open', 'closed')),
    assignee_id    TEXT,
    assignee_name  TEXT,
    client_conv_id TEXT,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    closed_at      INTEGER
);

-- The backstop of "at most one conversation that is not closed per visitor and site".
CREATE UNIQUE INDEX ux_conversations_active ON conversations (site_id, visitor_id) WHERE status <> 'closed';
CREATE UNIQUE INDEX ux_conversations_client_conv ON conversations (visitor_id, client_conv_id) WHERE client_conv_id IS NOT NULL;
CREATE INDEX ix_conversations_visitor ON conversations (visitor_id, created_at);
CREATE INDEX ix_conversations_assignee ON conversations (assignee_id, status) WHERE assignee_id IS NOT NULL;
CREATE INDEX ix_conversations_queued ON conversations (tenant_id, created_at) WHERE status = 'queued';

-- seq is assigned by the single writer inside the commit: 1, 2, 3, ... per conversation.
CREATE TABLE messages (
    conversation_id TEXT NOT NULL REFERENCES conversations (id),
    seq             INTEGER NOT NULL,
    msg_id          TEXT NOT NULL,
    client_msg_id   TEXT,
    sender_type     TEXT NOT NULL,
    sender_id       TEXT NOT NULL,
    sender_name     TEXT,
    kind            TEXT NOT NULL,
    text            TEXT,
    attachment      TEXT,
    meta            TEXT,
    created_at      INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, seq)
) WITHOUT ROWID;

-- The idempotency key. NULLs are distinct, so system events (no client id) never collide.
CREATE UNIQUE INDEX ux_messages_client_msg ON messages (sender_id, client_msg_id);

CREATE TABLE receipts (
    conversation_id TEXT NOT NULL REFERENCES conversations (id),
    user_id         TEXT NOT NULL,
    delivered_seq   INTEGER NOT NULL DEFAULT 0,
    read_seq        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (conversation_id, user_id)
) WITHOUT ROWID;
