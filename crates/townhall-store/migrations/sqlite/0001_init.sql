-- Townhall's embedded system of record. Never edit an applied migration: add a new file.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE channels (
    id                    INTEGER PRIMARY KEY,
    kind                  TEXT    NOT NULL,
    account               TEXT    NOT NULL,
    -- The agency's own account or feed.
    owned                 INTEGER NOT NULL DEFAULT 0,
    -- Keep the public's handles (otherwise only a pseudonym is stored).
    keep_public_handles   INTEGER NOT NULL DEFAULT 0,
    -- Replace personal data in the public's text before it is stored.
    redact_personal_data  INTEGER NOT NULL DEFAULT 1,
    created_at            INTEGER NOT NULL,
    UNIQUE (kind, account)
);

CREATE TABLE authors (
    id            INTEGER PRIMARY KEY,
    channel_kind  TEXT NOT NULL,
    -- Keyed hash of the platform identity: stable, but not reversible without the store's key.
    pseudonym     TEXT NOT NULL,
    handle        TEXT,
    display_name  TEXT,
    UNIQUE (channel_kind, pseudonym)
);

CREATE TABLE posts (
    id               INTEGER PRIMARY KEY,
    channel_id       INTEGER NOT NULL REFERENCES channels (id),
    external_id      TEXT    NOT NULL,
    author_id        INTEGER REFERENCES authors (id),
    kind             TEXT    NOT NULL,
    text             TEXT    NOT NULL,
    title            TEXT,
    created_at       INTEGER NOT NULL, -- Unix milliseconds, UTC
    reply_to         TEXT,
    thread_root      TEXT,
    repost_of        TEXT,
    quote_of         TEXT,
    target_handle    TEXT,
    url              TEXT,
    likes            INTEGER,
    reposts          INTEGER,
    replies          INTEGER,
    quotes           INTEGER,
    own              INTEGER NOT NULL,
    declared_lang    TEXT,
    imported_at      INTEGER NOT NULL,
    -- Analysis of the stored text.
    lang             TEXT,
    lang_confidence  REAL    NOT NULL DEFAULT 0,
    compound         REAL    NOT NULL DEFAULT 0,
    pos              REAL    NOT NULL DEFAULT 0,
    neu              REAL    NOT NULL DEFAULT 0,
    neg              REAL    NOT NULL DEFAULT 0,
    is_question      INTEGER NOT NULL DEFAULT 0,
    hashtags         TEXT    NOT NULL DEFAULT '[]', -- JSON arrays
    mentions         TEXT    NOT NULL DEFAULT '[]',
    urls             TEXT    NOT NULL DEFAULT '[]',
    key_phrases      TEXT    NOT NULL DEFAULT '[]',
    personal_data    TEXT    NOT NULL DEFAULT '[]', -- spans found in the text as analysed (before redaction)
    UNIQUE (channel_id, external_id)
);
CREATE INDEX posts_created_at ON posts (created_at);
CREATE INDEX posts_reply_to ON posts (reply_to) WHERE reply_to IS NOT NULL;

CREATE TABLE imports (
    id           INTEGER PRIMARY KEY,
    started_at   INTEGER NOT NULL,
    finished_at  INTEGER,
    files        TEXT    NOT NULL,
    imported     INTEGER NOT NULL DEFAULT 0,
    duplicates   INTEGER NOT NULL DEFAULT 0,
    rejected     INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE import_rejects (
    id         INTEGER PRIMARY KEY,
    import_id  INTEGER NOT NULL REFERENCES imports (id),
    file       TEXT    NOT NULL,
    location   TEXT    NOT NULL,
    reason     TEXT    NOT NULL
);
