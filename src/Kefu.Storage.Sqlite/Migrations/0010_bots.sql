-- The bot's knowledge base and its learning loop (the in-memory FAQ index is rebuilt from these at start).

CREATE TABLE faq_entries (
    id         TEXT NOT NULL PRIMARY KEY,
    site_id    TEXT NOT NULL,
    question   TEXT NOT NULL,
    alternates TEXT NOT NULL DEFAULT '[]',
    answer     TEXT NOT NULL,
    category   TEXT,
    updated_at INTEGER NOT NULL
);

CREATE INDEX ix_faq_entries_site ON faq_entries (site_id);

CREATE TABLE bot_unanswered (
    id               TEXT NOT NULL PRIMARY KEY,
    site_id          TEXT NOT NULL,
    conversation_id  TEXT NOT NULL,
    question         TEXT NOT NULL,
    at               INTEGER NOT NULL,
    nearest_entry_id TEXT
);

CREATE INDEX ix_bot_unanswered_conversation ON bot_unanswered (conversation_id, at);

CREATE TABLE faq_suggestions (
    id              TEXT NOT NULL PRIMARY KEY,
    site_id         TEXT NOT NULL,
    question        TEXT NOT NULL,
    answer          TEXT NOT NULL,
    target_entry_id TEXT,
    status          INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    conversation_id TEXT
);

CREATE INDEX ix_faq_suggestions_site ON faq_suggestions (site_id, created_at);
