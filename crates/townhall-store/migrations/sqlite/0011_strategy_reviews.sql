-- A strategy's reviews: when it was reviewed, what was decided, the phase it was in; each review sets the
-- next review date.
CREATE TABLE strategy_reviews (
    id           INTEGER PRIMARY KEY,
    strategy_id  INTEGER NOT NULL REFERENCES strategies (id),
    reviewed_on  TEXT    NOT NULL,
    note         TEXT    NOT NULL,
    phase        TEXT    NOT NULL,
    next_review  TEXT,
    reviewer     TEXT    NOT NULL,
    at           INTEGER NOT NULL
);
CREATE INDEX strategy_reviews_by_strategy ON strategy_reviews (strategy_id, id);
