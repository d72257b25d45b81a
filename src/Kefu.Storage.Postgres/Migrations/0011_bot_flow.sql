-- The bot's conversation flow: per-site settings, admin rules, and one session per bot-served conversation.

CREATE TABLE bot_settings (
    site_id                 text NOT NULL PRIMARY KEY,
    mode                    text,
    welcome                 text,
    failures_before_handoff integer NOT NULL,
    bot_name                text,
    updated_at              bigint NOT NULL
);

CREATE TABLE bot_rules (
    id         text NOT NULL PRIMARY KEY,
    site_id    text NOT NULL,
    team_id    text,
    match      text NOT NULL,
    patterns   text[] NOT NULL,
    reply      text NOT NULL,
    priority   integer NOT NULL,
    enabled    boolean NOT NULL,
    updated_at bigint NOT NULL
);

CREATE INDEX ix_bot_rules_site ON bot_rules (site_id);

-- One counter per kind of cached data: every node compares it with what it loaded.
CREATE TABLE bot_revisions (
    scope    text NOT NULL PRIMARY KEY,
    revision bigint NOT NULL
);

INSERT INTO bot_revisions (scope, revision) VALUES ('rules', 0);

CREATE TABLE bot_sessions (
    conversation_id   text NOT NULL PRIMARY KEY,
    tenant_id         text NOT NULL,
    site_id           text NOT NULL,
    team_id           text,
    mode              text NOT NULL,
    skills            text NOT NULL,
    priority          integer NOT NULL,
    started_at        bigint NOT NULL,
    last_activity_at  bigint NOT NULL,
    failures_in_a_row integer NOT NULL DEFAULT 0,
    answered          integer NOT NULL DEFAULT 0,
    unanswered        integer NOT NULL DEFAULT 0,
    handed_off_at     bigint,
    ended             boolean NOT NULL DEFAULT false
);

CREATE INDEX ix_bot_sessions_site ON bot_sessions (site_id, started_at);
CREATE INDEX ix_bot_sessions_waiting ON bot_sessions (team_id) WHERE NOT ended AND mode = 'botWhenNoAgent';
CREATE INDEX ix_bot_sessions_idle ON bot_sessions (last_activity_at) WHERE NOT ended;
