-- Tracked topics: saved queries whose matches insight counts over time.
CREATE TABLE tracked_topics (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE,
    query       TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
);
