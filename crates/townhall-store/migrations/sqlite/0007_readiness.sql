-- Readiness assessments: the questionnaire's answers (with evidence) and the area scores, kept each time it is
-- taken so the agency sees its progress over time.
CREATE TABLE readiness_assessments (
    id        INTEGER PRIMARY KEY,
    taken_at  INTEGER NOT NULL,
    taken_by  TEXT    NOT NULL,
    -- JSON array of {question, level, evidence}.
    answers   TEXT    NOT NULL,
    -- JSON array of {area, score, answered, questions}.
    scores    TEXT    NOT NULL
);
