-- townhall: rebuilds tables (run with foreign keys off, checked before commit)
-- Ideas may now come straight from the public, through an idea campaign's public page: the source kind
-- 'public' joins the CHECK, which SQLite can change only by rebuilding the table (its documented
-- twelve-step procedure: new table, copy, drop, rename, indexes).
CREATE TABLE ideas_new (
    id               INTEGER PRIMARY KEY,
    title            TEXT    NOT NULL,
    body             TEXT    NOT NULL DEFAULT '',
    stage            TEXT    NOT NULL DEFAULT 'submitted'
                             CHECK (stage IN ('submitted', 'under_review', 'piloting', 'adopted', 'declined')),
    reason           TEXT    NOT NULL DEFAULT '',
    owner_id         INTEGER REFERENCES users (id),
    strategy         TEXT,
    source_kind      TEXT    NOT NULL CHECK (source_kind IN ('post', 'case', 'statement', 'employee', 'public')),
    source_ref       INTEGER,
    source_post      INTEGER REFERENCES posts (id),
    submitted_by_id  INTEGER REFERENCES users (id),
    submitted_by     TEXT    NOT NULL,
    merged_into      INTEGER REFERENCES ideas (id),
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1,
    campaign_id      INTEGER REFERENCES idea_campaigns (id)
);
INSERT INTO ideas_new (id, title, body, stage, reason, owner_id, strategy, source_kind, source_ref, source_post,
                       submitted_by_id, submitted_by, merged_into, created_at, updated_at, version, campaign_id)
    SELECT id, title, body, stage, reason, owner_id, strategy, source_kind, source_ref, source_post,
           submitted_by_id, submitted_by, merged_into, created_at, updated_at, version, campaign_id
    FROM ideas;
DROP TABLE ideas;
ALTER TABLE ideas_new RENAME TO ideas;
CREATE INDEX ideas_by_stage ON ideas (stage, updated_at) WHERE merged_into IS NULL;
CREATE INDEX ideas_by_campaign ON ideas (campaign_id) WHERE campaign_id IS NOT NULL;
