-- Inbox cases: the public's posts that ask the agency something, one case per question (a person's follow-ups
-- in one conversation, and the same text posted again, join the case already open).
CREATE TABLE cases (
    id                 INTEGER PRIMARY KEY,
    status             TEXT    NOT NULL DEFAULT 'open'
                               CHECK (status IN ('open', 'snoozed', 'answered', 'closed')),
    reason             TEXT    NOT NULL CHECK (reason IN ('question', 'mention', 'negative_spike', 'flagged')),
    team               TEXT,
    assignee_id        INTEGER REFERENCES users (id),
    -- Time of the case's first post, Unix milliseconds.
    opened_at          INTEGER NOT NULL,
    first_response_at  INTEGER,
    closed_at          INTEGER,
    -- Channel, conversation and author: a person's follow-ups in one conversation.
    thread_key         TEXT    NOT NULL,
    -- Hash of the normalised text: the same question posted again.
    text_key           TEXT    NOT NULL
);
CREATE INDEX cases_open_by_thread ON cases (thread_key) WHERE status != 'closed';
CREATE INDEX cases_open_by_text ON cases (text_key) WHERE status != 'closed';
CREATE INDEX cases_by_status ON cases (status, team);

-- Each post belongs to at most one case.
CREATE TABLE case_posts (
    post_id  INTEGER PRIMARY KEY REFERENCES posts (id),
    case_id  INTEGER NOT NULL REFERENCES cases (id)
);
CREATE INDEX case_posts_by_case ON case_posts (case_id);
