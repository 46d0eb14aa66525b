-- Strategies: several, each with a purpose, an owning team, the channels, topics and consultations it covers,
-- measured goals (JSON, evaluated by the app from the data) and a phase.
CREATE TABLE strategies (
    id             INTEGER PRIMARY KEY,
    name           TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    kind           TEXT    NOT NULL,
    purpose        TEXT    NOT NULL DEFAULT '',
    team           TEXT,
    -- JSON arrays of channel keys, tracked topic names and consultation addresses.
    channels       TEXT    NOT NULL DEFAULT '[]',
    topics         TEXT    NOT NULL DEFAULT '[]',
    consultations  TEXT    NOT NULL DEFAULT '[]',
    -- JSON array of goals ({metric, …, direction, target}).
    goals          TEXT    NOT NULL DEFAULT '[]',
    phase          TEXT    NOT NULL,
    -- The next review, YYYY-MM-DD.
    next_review    TEXT,
    created_by     TEXT    NOT NULL,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
