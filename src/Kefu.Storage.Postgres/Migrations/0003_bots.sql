-- The bot's knowledge base and its learning loop (the in-memory FAQ index is rebuilt from these at start).

CREATE TABLE faq_entries (
    id         text NOT NULL PRIMARY KEY,
    site_id    text NOT NULL,
    question   text NOT NULL,
    alternates text[] NOT NULL DEFAULT '{}',
    answer     text NOT NULL,
    category   text,
    updated_at bigint NOT NULL
);

CREATE INDEX ix_faq_entries_site ON faq_entries (site_id);

CREATE TABLE bot_unanswered (
    id               text NOT NULL PRIMARY KEY,
    site_id          text NOT NULL,
    conversation_id  text NOT NULL,
    question         text NOT NULL,
    at               bigint NOT NULL,
    nearest_entry_id text
);

CREATE INDEX ix_bot_unanswered_conversation ON bot_unanswered (conversation_id, at);

CREATE TABLE faq_suggestions (
    id              text NOT NULL PRIMARY KEY,
    site_id         text NOT NULL,
    question        text NOT NULL,
    answer          text NOT NULL,
    target_entry_id text,
    status          integer NOT NULL,
    created_at      bigint NOT NULL,
    conversation_id text
);

CREATE INDEX ix_faq_suggestions_site ON faq_suggestions (site_id, created_at);
