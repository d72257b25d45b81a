-- Routing: agents' skills, teams' strategy and skill timeout, conversations' required skills and priority.

ALTER TABLE agents ADD COLUMN skills TEXT NOT NULL DEFAULT '[]';

ALTER TABLE teams ADD COLUMN strategy TEXT NOT NULL DEFAULT 'least-busy';
ALTER TABLE teams ADD COLUMN skill_timeout_seconds INTEGER NOT NULL DEFAULT 0;

CREATE TABLE conversation_routing (
    conversation_id TEXT NOT NULL PRIMARY KEY REFERENCES conversations (id),
    skills          TEXT NOT NULL DEFAULT '[]',
    priority        INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

CREATE INDEX ix_conversations_active_status ON conversations (status) WHERE status IN ('queued', 'open');
