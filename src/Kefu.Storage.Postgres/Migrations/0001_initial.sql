-- Kefu schema for PostgreSQL, version 1 (SQLite's versions 1 and 2). Times are unix milliseconds (bigint);
-- ids are opaque text. JSON columns are text: the store hands them back byte for byte.

CREATE TABLE settings (
    key   text NOT NULL PRIMARY KEY,
    value text NOT NULL
);

CREATE TABLE tenants (
    id         text NOT NULL PRIMARY KEY,
    slug       text NOT NULL UNIQUE,
    name       text NOT NULL,
    created_at bigint NOT NULL
);

CREATE TABLE sites (
    id               text NOT NULL PRIMARY KEY,
    tenant_id        text NOT NULL REFERENCES tenants (id),
    site_key         text NOT NULL UNIQUE,
    name             text NOT NULL,
    allowed_origins  text NOT NULL DEFAULT '[]',
    identity_secret  text NOT NULL,
    require_identity boolean NOT NULL DEFAULT false,
    created_at       bigint NOT NULL
);

CREATE INDEX ix_sites_tenant ON sites (tenant_id);

CREATE TABLE teams (
    id                    text NOT NULL PRIMARY KEY,
    tenant_id             text NOT NULL REFERENCES tenants (id),
    name                  text NOT NULL,
    is_default            boolean NOT NULL DEFAULT false,
    strategy              text NOT NULL DEFAULT 'least-busy',
    skill_timeout_seconds integer NOT NULL DEFAULT 0,
    created_at            bigint NOT NULL,
    UNIQUE (tenant_id, name)
);

CREATE TABLE agents (
    id                   text NOT NULL PRIMARY KEY,
    ord                  bigint GENERATED ALWAYS AS IDENTITY,
    tenant_id            text NOT NULL REFERENCES tenants (id),
    username             text NOT NULL UNIQUE,
    display_name         text NOT NULL,
    password_hash        text NOT NULL,
    is_admin             boolean NOT NULL DEFAULT false,
    max_concurrent       integer NOT NULL,
    disabled             boolean NOT NULL DEFAULT false,
    token_version        integer NOT NULL DEFAULT 0,
    must_change_password boolean NOT NULL DEFAULT false,
    skills               text NOT NULL DEFAULT '[]',
    created_at           bigint NOT NULL
);

CREATE TABLE team_members (
    team_id  text NOT NULL REFERENCES teams (id),
    agent_id text NOT NULL REFERENCES agents (id),
    PRIMARY KEY (team_id, agent_id)
);

CREATE INDEX ix_team_members_agent ON team_members (agent_id);

CREATE TABLE visitors (
    id          text NOT NULL PRIMARY KEY,
    tenant_id   text NOT NULL REFERENCES tenants (id),
    site_id     text NOT NULL REFERENCES sites (id),
    external_id text,
    name        text,
    email       text,
    context     text,
    created_at  bigint NOT NULL
);

CREATE UNIQUE INDEX ux_visitors_site_external ON visitors (site_id, external_id) WHERE external_id IS NOT NULL;

-- last_seq is the conversation's newest seq. Writers lock the row (FOR UPDATE) before appending, so
-- several nodes writing to one conversation take turns and seq stays gapless.
CREATE TABLE conversations (
    id             text NOT NULL PRIMARY KEY,
    ord            bigint GENERATED ALWAYS AS IDENTITY,
    tenant_id      text NOT NULL REFERENCES tenants (id),
    site_id        text NOT NULL REFERENCES sites (id),
    visitor_id     text NOT NULL REFERENCES visitors (id),
    team_id        text REFERENCES teams (id),
    status         text NOT NULL CHECK (status IN ('bot', 'queued', 'open', 'closed')),
    assignee_id    text,
    assignee_name  text,
    client_conv_id text,
    last_seq       bigint NOT NULL DEFAULT 0,
    created_at     bigint NOT NULL,
    updated_at     bigint NOT NULL,
    closed_at      bigint
);

CREATE UNIQUE INDEX ux_conversations_active ON conversations (site_id, visitor_id) WHERE status <> 'closed';
CREATE UNIQUE INDEX ux_conversations_client_conv ON conversations (visitor_id, client_conv_id) WHERE client_conv_id IS NOT NULL;
CREATE INDEX ix_conversations_visitor ON conversations (visitor_id, created_at);
CREATE INDEX ix_conversations_assignee ON conversations (assignee_id, status) WHERE assignee_id IS NOT NULL;
CREATE INDEX ix_conversations_queued ON conversations (tenant_id, created_at) WHERE status = 'queued';
CREATE INDEX ix_conversations_active_status ON conversations (status) WHERE status IN ('queued', 'open');

CREATE TABLE conversation_routing (
    conversation_id text NOT NULL PRIMARY KEY REFERENCES conversations (id),
    skills          text NOT NULL DEFAULT '[]',
    priority        integer NOT NULL DEFAULT 0
);

CREATE TABLE messages (
    conversation_id text NOT NULL REFERENCES conversations (id),
    seq             bigint NOT NULL,
    msg_id          text NOT NULL,
    client_msg_id   text,
    sender_type     text NOT NULL,
    sender_id       text NOT NULL,
    sender_name     text,
    kind            text NOT NULL,
    text            text,
    attachment      text,
    meta            text,
    created_at      bigint NOT NULL,
    PRIMARY KEY (conversation_id, seq)
);

-- The idempotency key. NULLs are distinct, so system events (no client id) never collide.
CREATE UNIQUE INDEX ux_messages_client_msg ON messages (sender_id, client_msg_id);

CREATE TABLE receipts (
    conversation_id text NOT NULL REFERENCES conversations (id),
    user_id         text NOT NULL,
    delivered_seq   bigint NOT NULL DEFAULT 0,
    read_seq        bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (conversation_id, user_id)
);
