//! Strategies as stored (lists and goals as the app's JSON), and the counts their goals read.

use crate::accounts::append_audit;
use crate::{AuditEntry, StoreError};
use rusqlite::{params, Connection, OptionalExtension, Row};

/// A strategy to store.
#[derive(Debug, Clone)]
pub struct NewStrategy<'a> {
    pub name: &'a str,
    pub kind: &'a str,
    pub purpose: &'a str,
    pub team: Option<&'a str>,
    pub channels_json: &'a str,
    pub topics_json: &'a str,
    pub consultations_json: &'a str,
    pub campaigns_json: &'a str,
    pub goals_json: &'a str,
    pub phase: &'a str,
    pub next_review: Option<&'a str>,
    pub created_by: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StrategyRow {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub purpose: String,
    pub team: Option<String>,
    pub channels_json: String,
    pub topics_json: String,
    pub consultations_json: String,
    pub campaigns_json: String,
    pub goals_json: String,
    pub phase: String,
    pub next_review: Option<String>,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str =
    "id, name, kind, purpose, team, channels, topics, consultations, goals, phase,
    next_review, created_by, created_at, updated_at, campaigns";

fn from_row(r: &Row<'_>) -> rusqlite::Result<StrategyRow> {
    Ok(StrategyRow {
        id: r.get(0)?,
        name: r.get(1)?,
        kind: r.get(2)?,
        purpose: r.get(3)?,
        team: r.get(4)?,
        channels_json: r.get(5)?,
        topics_json: r.get(6)?,
        consultations_json: r.get(7)?,
        goals_json: r.get(8)?,
        phase: r.get(9)?,
        next_review: r.get(10)?,
        created_by: r.get(11)?,
        created_at: r.get(12)?,
        updated_at: r.get(13)?,
        campaigns_json: r.get(14)?,
    })
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// Names are unique (without regard to case); `except` is the strategy being renamed.
fn refuse_taken_name(conn: &Connection, name: &str, except: Option<i64>) -> Result<(), StoreError> {
    let taken: Option<i64> = conn
        .query_row(
            "SELECT id FROM strategies WHERE name = ?1 AND id IS NOT ?2",
            params![name, except],
            |r| r.get(0),
        )
        .optional()?;
    match taken {
        Some(_) => Err(StoreError::Conflict(format!(
            "a strategy named {name:?} exists already"
        ))),
        None => Ok(()),
    }
}

pub(crate) fn create(
    conn: &Connection,
    s: &NewStrategy<'_>,
    audit: &AuditEntry<'_>,
) -> Result<i64, StoreError> {
    let tx = conn.unchecked_transaction()?;
    refuse_taken_name(&tx, s.name, None)?;
    let now = now_ms();
    tx.execute(
        "INSERT INTO strategies (name, kind, purpose, team, channels, topics, consultations, goals, phase,
             next_review, created_by, created_at, updated_at, campaigns)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12, ?13)",
        params![
            s.name,
            s.kind,
            s.purpose,
            s.team,
            s.channels_json,
            s.topics_json,
            s.consultations_json,
            s.goals_json,
            s.phase,
            s.next_review,
            s.created_by,
            now,
            s.campaigns_json
        ],
    )?;
    let id = tx.last_insert_rowid();
    append_audit(&tx, audit)?;
    tx.commit()?;
    Ok(id)
}

/// Replace everything but the phase and who created it; false when there is no such strategy.
pub(crate) fn update(
    conn: &Connection,
    id: i64,
    s: &NewStrategy<'_>,
    audit: &AuditEntry<'_>,
) -> Result<bool, StoreError> {
    let tx = conn.unchecked_transaction()?;
    refuse_taken_name(&tx, s.name, Some(id))?;
    let n = tx.execute(
        "UPDATE strategies SET name = ?2, kind = ?3, purpose = ?4, team = ?5, channels = ?6, topics = ?7,
             consultations = ?8, goals = ?9, next_review = ?10, campaigns = ?11, updated_at = ?12
         WHERE id = ?1",
        params![
            id,
            s.name,
            s.kind,
            s.purpose,
            s.team,
            s.channels_json,
            s.topics_json,
            s.consultations_json,
            s.goals_json,
            s.next_review,
            s.campaigns_json,
            now_ms()
        ],
    )?;
    if n == 1 {
        append_audit(&tx, audit)?;
    }
    tx.commit()?;
    Ok(n == 1)
}

pub(crate) fn set_phase(
    conn: &Connection,
    id: i64,
    phase: &str,
    audit: &AuditEntry<'_>,
) -> Result<bool, StoreError> {
    let tx = conn.unchecked_transaction()?;
    let n = tx.execute(
        "UPDATE strategies SET phase = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, phase, now_ms()],
    )?;
    if n == 1 {
        append_audit(&tx, audit)?;
    }
    tx.commit()?;
    Ok(n == 1)
}

/// Own posts that are replies, and all own posts (not reposts), created in [since, until).
pub(crate) fn own_reply_counts(
    conn: &Connection,
    since: i64,
    until: i64,
) -> Result<(u64, u64), StoreError> {
    let (replies, all): (i64, i64) = conn.query_row(
        "SELECT coalesce(sum(kind = 'reply'), 0), count(*) FROM posts
         WHERE own = 1 AND kind <> 'repost' AND created_at >= ?1 AND created_at < ?2",
        params![since, until],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok((replies.max(0) as u64, all.max(0) as u64))
}

/// Of these posts, how many are negative (VADER compound ≤ -0.05), and how many in all. One query per
/// chunk of ids, not one per post: a topic can match hundreds of thousands.
pub(crate) fn negative_counts(conn: &Connection, ids: &[i64]) -> Result<(u64, u64), StoreError> {
    const CHUNK: usize = 500;
    let (mut negative, mut all) = (0u64, 0u64);
    for chunk in ids.chunks(CHUNK) {
        let marks = vec!["?"; chunk.len()].join(",");
        let (n, a): (i64, i64) = conn.query_row(
            &format!(
                "SELECT coalesce(sum(compound <= -0.05), 0), count(*) FROM posts WHERE id IN ({marks})"
            ),
            rusqlite::params_from_iter(chunk),
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        negative += n.max(0) as u64;
        all += a.max(0) as u64;
    }
    Ok((negative, all))
}

/// A review of a strategy, as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ReviewRow {
    pub id: i64,
    pub reviewed_on: String,
    pub note: String,
    /// The phase the strategy was in when reviewed.
    pub phase: String,
    /// The next review it set.
    pub next_review: Option<String>,
    pub reviewer: String,
    pub at: i64,
}

/// A review to record.
#[derive(Debug, Clone)]
pub struct NewReview<'a> {
    pub strategy_id: i64,
    pub reviewed_on: &'a str,
    pub note: &'a str,
    pub next_review: Option<&'a str>,
    pub reviewer: &'a str,
}

/// Record a review and set the strategy's next review, in one transaction; false when there is no such
/// strategy.
fn add_review(
    conn: &Connection,
    r: &NewReview<'_>,
    audit: &AuditEntry<'_>,
) -> Result<bool, StoreError> {
    let tx = conn.unchecked_transaction()?;
    let phase: Option<String> = tx
        .query_row(
            "SELECT phase FROM strategies WHERE id = ?1",
            [r.strategy_id],
            |row| row.get(0),
        )
        .optional()?;
    let Some(phase) = phase else {
        return Ok(false);
    };
    let now = now_ms();
    tx.execute(
        "INSERT INTO strategy_reviews (strategy_id, reviewed_on, note, phase, next_review, reviewer, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![r.strategy_id, r.reviewed_on, r.note, phase, r.next_review, r.reviewer, now],
    )?;
    tx.execute(
        "UPDATE strategies SET next_review = ?2, updated_at = ?3 WHERE id = ?1",
        params![r.strategy_id, r.next_review, now],
    )?;
    append_audit(&tx, audit)?;
    tx.commit()?;
    Ok(true)
}

impl crate::Store {
    /// Record a review and set the next one; false when there is no such strategy.
    pub fn add_strategy_review(
        &self,
        r: &NewReview<'_>,
        audit: &AuditEntry<'_>,
    ) -> Result<bool, StoreError> {
        add_review(self.lock_writer()?.conn(), r, audit)
    }

    /// A strategy's reviews, the latest first.
    pub fn strategy_reviews(
        &self,
        strategy_id: i64,
        limit: usize,
    ) -> Result<Vec<ReviewRow>, StoreError> {
        self.readers.with(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT id, reviewed_on, note, phase, next_review, reviewer, at FROM strategy_reviews
                 WHERE strategy_id = ?1 ORDER BY id DESC LIMIT ?2",
            )?;
            let rows = stmt.query_map(params![strategy_id, limit as i64], |r| {
                Ok(ReviewRow {
                    id: r.get(0)?,
                    reviewed_on: r.get(1)?,
                    note: r.get(2)?,
                    phase: r.get(3)?,
                    next_review: r.get(4)?,
                    reviewer: r.get(5)?,
                    at: r.get(6)?,
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    pub fn create_strategy(
        &self,
        s: &NewStrategy<'_>,
        audit: &AuditEntry<'_>,
    ) -> Result<i64, StoreError> {
        create(self.lock_writer()?.conn(), s, audit)
    }

    pub fn strategies(&self) -> Result<Vec<StrategyRow>, StoreError> {
        self.readers.with(|c| {
            let mut stmt =
                c.prepare_cached(&format!("SELECT {COLUMNS} FROM strategies ORDER BY id"))?;
            let rows = stmt.query_map([], from_row)?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    pub fn strategy(&self, id: i64) -> Result<Option<StrategyRow>, StoreError> {
        self.readers.with(|c| {
            Ok(c.query_row(
                &format!("SELECT {COLUMNS} FROM strategies WHERE id = ?1"),
                [id],
                from_row,
            )
            .optional()?)
        })
    }

    /// Replace a strategy's settings (not its phase); false when there is no such strategy.
    pub fn update_strategy(
        &self,
        id: i64,
        s: &NewStrategy<'_>,
        audit: &AuditEntry<'_>,
    ) -> Result<bool, StoreError> {
        update(self.lock_writer()?.conn(), id, s, audit)
    }

    pub fn set_strategy_phase(
        &self,
        id: i64,
        phase: &str,
        audit: &AuditEntry<'_>,
    ) -> Result<bool, StoreError> {
        set_phase(self.lock_writer()?.conn(), id, phase, audit)
    }

    /// Own posts that are replies, and all own posts, created in [since, until).
    pub fn own_reply_counts(&self, since: i64, until: i64) -> Result<(u64, u64), StoreError> {
        self.readers.with(|c| own_reply_counts(c, since, until))
    }

    /// Negative posts among these, and how many of them are stored.
    pub fn negative_counts(&self, ids: &[i64]) -> Result<(u64, u64), StoreError> {
        self.readers.with(|c| negative_counts(c, ids))
    }
}
