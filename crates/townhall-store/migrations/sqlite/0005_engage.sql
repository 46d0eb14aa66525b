-- The inbox at work (routing facts, assignment, snoozing, escalation, versions for concurrent edits, notes,
-- replies, saved replies, team service targets, intake and routing rules) and the idea pipeline.

-- What routing rules and the measures look at, copied from the case's first post when it is filed.
ALTER TABLE cases ADD COLUMN first_post_id INTEGER;
ALTER TABLE cases ADD COLUMN channel TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN language TEXT;
ALTER TABLE cases ADD COLUMN topic TEXT;
ALTER TABLE cases ADD COLUMN sentiment REAL;
ALTER TABLE cases ADD COLUMN author TEXT;
-- The intake rule that opened the case (NULL for a flag).
ALTER TABLE cases ADD COLUMN rule TEXT;
ALTER TABLE cases ADD COLUMN escalated INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN snoozed_until INTEGER;
ALTER TABLE cases ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
-- Bumped by every change: a change made against an older version is refused, never silently lost.
ALTER TABLE cases ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

UPDATE cases SET first_post_id = (SELECT min(post_id) FROM case_posts cp WHERE cp.case_id = cases.id),
                 updated_at = opened_at;

-- The queue's indexes: per person (and nobody's), per team, everything; each covers the columns a queue page
-- filters and sorts by, so a page of 100,000 open cases is found without reading the table.
-- `active` (open or snoozed: still to be answered) is the queue's default filter; as one indexed value it lets
-- each queue read its page in order straight from an index.
ALTER TABLE cases ADD COLUMN active INTEGER GENERATED ALWAYS AS (status IN ('open', 'snoozed')) VIRTUAL;
DROP INDEX cases_by_status;
CREATE INDEX cases_queue_by_assignee ON cases (assignee_id, active, opened_at);
CREATE INDEX cases_queue_by_team ON cases (team, active, assignee_id, opened_at);
CREATE INDEX cases_queue_active ON cases (active, opened_at);
CREATE INDEX cases_queue_by_status ON cases (status, opened_at);
CREATE INDEX cases_snoozed ON cases (snoozed_until) WHERE status = 'snoozed';

CREATE TABLE case_tags (
    case_id  INTEGER NOT NULL REFERENCES cases (id),
    tag      TEXT    NOT NULL COLLATE NOCASE,
    PRIMARY KEY (case_id, tag)
) WITHOUT ROWID;
CREATE INDEX case_tags_by_tag ON case_tags (tag);

-- The case's timeline: every change, internal note and reply, who and when.
CREATE TABLE case_events (
    id        INTEGER PRIMARY KEY,
    case_id   INTEGER NOT NULL REFERENCES cases (id),
    at        INTEGER NOT NULL,
    actor_id  INTEGER REFERENCES users (id),
    actor     TEXT    NOT NULL,
    kind      TEXT    NOT NULL,
    detail    TEXT    NOT NULL DEFAULT '',
    -- The text of a note or a reply.
    body      TEXT
);
CREATE INDEX case_events_by_case ON case_events (case_id, id);

CREATE TABLE case_replies (
    id             INTEGER PRIMARY KEY,
    case_id        INTEGER NOT NULL REFERENCES cases (id),
    author_id      INTEGER REFERENCES users (id),
    author         TEXT    NOT NULL,
    body           TEXT    NOT NULL,
    status         TEXT    NOT NULL CHECK (status IN ('awaiting_approval', 'sent', 'rejected')),
    reading_grade  REAL,
    -- Kinds of personal data found in the text when it was checked (JSON list), accepted by the author.
    personal_data  TEXT    NOT NULL DEFAULT '[]',
    created_at     INTEGER NOT NULL,
    approved_by    TEXT,
    sent_at        INTEGER
);
CREATE INDEX case_replies_by_case ON case_replies (case_id);
CREATE INDEX case_replies_awaiting ON case_replies (status) WHERE status = 'awaiting_approval';

-- Who has a case open, to warn when two people work on the same case.
CREATE TABLE case_presence (
    case_id  INTEGER NOT NULL REFERENCES cases (id),
    user_id  INTEGER NOT NULL REFERENCES users (id),
    at       INTEGER NOT NULL,
    PRIMARY KEY (case_id, user_id)
) WITHOUT ROWID;

-- Replies to send: sending through live channels comes with the connectors; until then, exported.
CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY,
    kind        TEXT    NOT NULL CHECK (kind IN ('case_reply', 'idea_update')),
    case_id     INTEGER REFERENCES cases (id),
    idea_id     INTEGER REFERENCES ideas (id),
    -- The post answered (store id) and its channel and author, as known.
    in_reply_to INTEGER REFERENCES posts (id),
    channel     TEXT    NOT NULL DEFAULT '',
    recipient   TEXT,
    body        TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    created_by  TEXT    NOT NULL
);

CREATE TABLE saved_replies (
    id          INTEGER PRIMARY KEY,
    title       TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    -- NULL: offered to every team.
    team        TEXT    COLLATE NOCASE,
    body        TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
);

-- Per team: first-response target in business hours, whether replies need approval, plain-language target.
CREATE TABLE team_settings (
    team                    TEXT    PRIMARY KEY COLLATE NOCASE,
    first_response_minutes  INTEGER NOT NULL DEFAULT 480,
    timezone                TEXT    NOT NULL DEFAULT 'UTC',
    days                    TEXT    NOT NULL DEFAULT 'mon-fri',
    day_start               TEXT    NOT NULL DEFAULT '09:00',
    day_end                 TEXT    NOT NULL DEFAULT '17:00',
    requires_approval       INTEGER NOT NULL DEFAULT 0,
    max_reading_grade       REAL    NOT NULL DEFAULT 8
);

-- Which posts become cases: a trigger (an addressed question, a mention, a negative spike) narrowed by filters.
CREATE TABLE intake_rules (
    id             INTEGER PRIMARY KEY,
    position       INTEGER NOT NULL,
    name           TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    trigger        TEXT    NOT NULL CHECK (trigger IN ('question', 'mention', 'negative_spike')),
    query          TEXT    NOT NULL DEFAULT '',
    language       TEXT,
    channel        TEXT,
    topic          TEXT,
    max_sentiment  REAL,
    enabled        INTEGER NOT NULL DEFAULT 1,
    created_at     INTEGER NOT NULL
);
INSERT INTO intake_rules (position, name, trigger, enabled, created_at) VALUES
    (1, 'Questions to the agency', 'question', 1, 0),
    (2, 'Negative spikes about the agency', 'negative_spike', 1, 0),
    (3, 'Every mention of the agency', 'mention', 0, 0);

-- Which team a new case goes to: the first rule (by position) whose filters all match.
CREATE TABLE routing_rules (
    id             INTEGER PRIMARY KEY,
    position       INTEGER NOT NULL,
    name           TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    query          TEXT    NOT NULL DEFAULT '',
    language       TEXT,
    channel        TEXT,
    topic          TEXT,
    max_sentiment  REAL,
    team           TEXT    NOT NULL,
    created_at     INTEGER NOT NULL
);

CREATE TABLE ideas (
    id               INTEGER PRIMARY KEY,
    title            TEXT    NOT NULL,
    body             TEXT    NOT NULL DEFAULT '',
    stage            TEXT    NOT NULL DEFAULT 'submitted'
                             CHECK (stage IN ('submitted', 'under_review', 'piloting', 'adopted', 'declined')),
    -- Why it was adopted or declined (or any stage's note).
    reason           TEXT    NOT NULL DEFAULT '',
    owner_id         INTEGER REFERENCES users (id),
    strategy         TEXT,
    source_kind      TEXT    NOT NULL CHECK (source_kind IN ('post', 'case', 'statement', 'employee')),
    -- The post, case or consultation statement it came from.
    source_ref       INTEGER,
    -- The public post to answer with news of the idea (a post's own id, or a case's first post).
    source_post      INTEGER REFERENCES posts (id),
    submitted_by_id  INTEGER REFERENCES users (id),
    submitted_by     TEXT    NOT NULL,
    merged_into      INTEGER REFERENCES ideas (id),
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX ideas_by_stage ON ideas (stage, updated_at) WHERE merged_into IS NULL;

CREATE TABLE idea_votes (
    idea_id  INTEGER NOT NULL REFERENCES ideas (id),
    user_id  INTEGER NOT NULL REFERENCES users (id),
    value    INTEGER NOT NULL CHECK (value IN (-1, 1)),
    at       INTEGER NOT NULL,
    PRIMARY KEY (idea_id, user_id)
) WITHOUT ROWID;

CREATE TABLE idea_comments (
    id        INTEGER PRIMARY KEY,
    idea_id   INTEGER NOT NULL REFERENCES ideas (id),
    user_id   INTEGER REFERENCES users (id),
    author    TEXT    NOT NULL,
    body      TEXT    NOT NULL,
    at        INTEGER NOT NULL
);
CREATE INDEX idea_comments_by_idea ON idea_comments (idea_id, id);

-- An idea's history (stage changes with reasons, owner, strategy, merges).
CREATE TABLE idea_events (
    id        INTEGER PRIMARY KEY,
    idea_id   INTEGER NOT NULL REFERENCES ideas (id),
    at        INTEGER NOT NULL,
    actor     TEXT    NOT NULL,
    kind      TEXT    NOT NULL,
    detail    TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX idea_events_by_idea ON idea_events (idea_id, id);
