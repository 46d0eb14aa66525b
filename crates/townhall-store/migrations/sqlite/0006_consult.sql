-- Consultations (Pol.is-style): a question, statements from organisers and participants, and one current vote
-- per participant and statement.

CREATE TABLE consultations (
    id           INTEGER PRIMARY KEY,
    -- The public address: /c/{slug}.
    slug         TEXT    NOT NULL UNIQUE,
    question     TEXT    NOT NULL,
    description  TEXT    NOT NULL DEFAULT '',
    -- approve_first: a participant's statement waits for staff; remove_after: it is shown at once.
    moderation   TEXT    NOT NULL CHECK (moderation IN ('approve_first', 'remove_after')),
    -- draft → employees (signed-in staff only) → public → closed.
    phase        TEXT    NOT NULL CHECK (phase IN ('draft', 'employees', 'public', 'closed')),
    -- Comma-separated language codes the consultation is held in.
    languages    TEXT    NOT NULL DEFAULT 'en',
    -- Whether participants may write statements (not only vote).
    accept_statements INTEGER NOT NULL DEFAULT 1,
    -- A secret for the read-only shared report.
    share_token  TEXT    NOT NULL,
    strategy     TEXT,
    created_by   TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);

CREATE UNIQUE INDEX consultations_by_share_token ON consultations (share_token);

CREATE TABLE consult_participants (
    id              INTEGER PRIMARY KEY,
    consultation_id INTEGER NOT NULL REFERENCES consultations (id),
    -- An id from the organiser's own system (?xid= on the link), when given.
    external_id     TEXT,
    -- The employee's account, when they took part signed in.
    user_id         INTEGER,
    created_at      INTEGER NOT NULL,
    UNIQUE (consultation_id, external_id),
    UNIQUE (consultation_id, user_id)
);

CREATE TABLE consult_statements (
    id              INTEGER PRIMARY KEY,
    consultation_id INTEGER NOT NULL REFERENCES consultations (id),
    text            TEXT    NOT NULL,
    -- seed (the organiser's), participant, or imported (from a Pol.is export).
    origin          TEXT    NOT NULL CHECK (origin IN ('seed', 'participant', 'imported')),
    participant_id  INTEGER REFERENCES consult_participants (id),
    status          TEXT    NOT NULL CHECK (status IN ('pending', 'accepted', 'rejected')),
    -- Why a statement waits: what the personal-data screen found, for the moderator.
    flags           TEXT    NOT NULL DEFAULT '',
    moderated_by    TEXT,
    moderated_at    INTEGER,
    created_at      INTEGER NOT NULL,
    UNIQUE (consultation_id, text)
);
CREATE INDEX consult_statements_by_status ON consult_statements (consultation_id, status, id);

-- The current vote: a new vote on the same statement replaces it.
CREATE TABLE consult_votes (
    participant_id  INTEGER NOT NULL,
    statement_id    INTEGER NOT NULL,
    consultation_id INTEGER NOT NULL,
    vote            INTEGER NOT NULL CHECK (vote IN (-1, 0, 1)),
    voted_at        INTEGER NOT NULL,
    PRIMARY KEY (participant_id, statement_id)
) WITHOUT ROWID;
CREATE INDEX consult_votes_by_consultation ON consult_votes (consultation_id, voted_at);
