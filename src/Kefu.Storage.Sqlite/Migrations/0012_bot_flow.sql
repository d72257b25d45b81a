-- The bot's conversation flow: per-site settings, admin rules, and one session per bot-served conversation.

CREATE TABLE bot_settings (
    site_id                 TEXT NOT NULL PRIMARY KEY,
    mode                    TEXT,
    welcome                 TEXT,
    failures_before_handoff INTEGER NOT NULL,
    bot_name                TEXT,
    updated_at              INTEGER NOT NULL
);

CREATE TABLE bot_rules (
    id         TEXT NOT NULL PRIMARY KEY,
    site_id    TEXT NOT NULL,
    team_id    TEXT,
    match      TEXT NOT NULL,
    patterns   TEXT NOT NULL,
    reply      TEXT NOT NULL,
    priority   INTEGER NOT NULL,
    enabled    INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE INDEX ix_bot_rules_site ON bot_rules (site_id);

-- One counter per kind of cached data: every node compares it with what it loaded.
CREATE TABLE bot_revisions (
    scope    TEXT NOT NULL PRIMARY KEY,
    revision INTEGER NOT NULL
);

INSERT INTO bot_revisions (scope, revision) VALUES ('rules', 0);

CREATE TABLE bot_sessions (
    conversation_id   TEXT NOT NULL PRIMARY KEY,
    tenant_id         TEXT NOT NULL,
    site_id           TEXT NOT NULL,
    team_id           TEXT,
    mode              TEXT NOT NULL,
    skills            TEXT NOT NULL,
    priority          INTEGER NOT NULL,
    started_at        INTEGER NOT NULL,
    last_activity_at  INTEGER NOT NULL,
    failures_in_a_row INTEGER NOT NULL DEFAULT 0,
    answered          INTEGER NOT NULL DEFAULT 0,
    unanswered        INTEGER NOT NULL DEFAULT 0,
    handed_off_at     INTEGER,
    ended             INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX ix_bot_sessions_site ON bot_sessions (site_id, started_at);
CREATE INDEX ix_bot_sessions_waiting ON bot_sessions (team_id) WHERE ended = 0 AND mode = 'botWhenNoAgent';
CREATE INDEX ix_bot_sessions_idle ON bot_sessions (last_activity_at) WHERE ended = 0;
