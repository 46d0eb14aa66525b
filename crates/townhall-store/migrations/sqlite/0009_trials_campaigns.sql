-- Learning in a safe place: saved replies and outbound messages run with employees first, and
-- strategies run idea campaigns.

-- 'employees': on trial, read and judged by employees, never offered on a public case; 'public': in use.
ALTER TABLE saved_replies ADD COLUMN audience TEXT NOT NULL DEFAULT 'public'
    CHECK (audience IN ('employees', 'public'));

-- An outbound post drafted for a channel: reviewed by employees first, then cleared for the public,
-- then marked sent.
CREATE TABLE outbound_messages (
    id          INTEGER PRIMARY KEY,
    title       TEXT    NOT NULL,
    body        TEXT    NOT NULL,
    -- JSON array of images ({name, alt}).
    images      TEXT    NOT NULL DEFAULT '[]',
    channel     TEXT,
    strategy    TEXT,
    audience    TEXT    NOT NULL DEFAULT 'employees' CHECK (audience IN ('employees', 'public', 'sent')),
    created_by  TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

-- What employees said of something on trial: one current verdict per employee and subject.
CREATE TABLE trial_feedback (
    subject     TEXT    NOT NULL CHECK (subject IN ('saved_reply', 'outbound')),
    subject_id  INTEGER NOT NULL,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    author      TEXT    NOT NULL,
    verdict     TEXT    NOT NULL CHECK (verdict IN ('clear', 'unclear')),
    comment     TEXT    NOT NULL DEFAULT '',
    at          INTEGER NOT NULL,
    PRIMARY KEY (subject, subject_id, user_id)
) WITHOUT ROWID;

-- A call for ideas on one question: employees first, then the public (through posts, cases and
-- consultation statements), then closed.
CREATE TABLE idea_campaigns (
    id          INTEGER PRIMARY KEY,
    slug        TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    title       TEXT    NOT NULL,
    question    TEXT    NOT NULL,
    audience    TEXT    NOT NULL DEFAULT 'employees' CHECK (audience IN ('employees', 'public', 'closed')),
    strategy    TEXT,
    created_by  TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
ALTER TABLE ideas ADD COLUMN campaign_id INTEGER REFERENCES idea_campaigns (id);
CREATE INDEX ideas_by_campaign ON ideas (campaign_id) WHERE campaign_id IS NOT NULL;

-- The idea campaigns a strategy runs (JSON array of campaign slugs).
ALTER TABLE strategies ADD COLUMN campaigns TEXT NOT NULL DEFAULT '[]';
