//! Ideas from the public and staff: capture, votes, comments, stage changes, merges. Every change is
//! versioned and written with its history entry and audit record in one transaction.

use crate::accounts::append_audit;
use crate::case_work::{add_outbox_item, OutboxItem};
use crate::{AuditEntry, StoreError};
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Row};
use serde::Serialize;

/// An idea to store.
#[derive(Debug, Clone)]
pub struct NewIdea<'a> {
    pub title: &'a str,
    pub body: &'a str,
    /// `post`, `case`, `statement` or `employee`.
    pub source_kind: &'a str,
    pub source_ref: Option<i64>,
    pub source_post: Option<i64>,
    pub submitted_by_id: Option<i64>,
    pub submitted_by: &'a str,
    pub strategy: Option<&'a str>,
    /// The idea campaign it answers.
    pub campaign_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IdeaRow {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub stage: String,
    pub reason: String,
    pub owner: Option<String>,
    pub owner_id: Option<i64>,
    pub strategy: Option<String>,
    pub source_kind: String,
    pub source_ref: Option<i64>,
    pub source_post: Option<i64>,
    pub submitted_by: String,
    pub merged_into: Option<i64>,
    pub campaign_id: Option<i64>,
    /// Votes for and against.
    pub votes_for: u64,
    pub votes_against: u64,
    pub comments: u64,
    pub created_at: i64,
    pub updated_at: i64,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IdeaComment {
    pub id: i64,
    pub author: String,
    pub body: String,
    pub at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IdeaEvent {
    pub at: i64,
    pub actor: String,
    pub kind: String,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IdeaDetail {
    pub idea: IdeaRow,
    pub comments: Vec<IdeaComment>,
    pub history: Vec<IdeaEvent>,
    /// Ideas merged into this one.
    pub merged: Vec<IdeaRow>,
}

/// A change to an idea's stage, owner or strategy.
#[derive(Debug, Clone)]
pub struct IdeaChange<'a> {
    pub idea_id: i64,
    pub expected_version: i64,
    pub stage: Option<&'a str>,
    pub reason: Option<&'a str>,
    /// `Some(None)` clears the owner.
    pub owner: Option<Option<i64>>,
    pub strategy: Option<Option<&'a str>>,
    pub kind: &'a str,
    pub detail: String,
    /// News for the idea's public source.
    pub notice: Option<OutboxItem>,
}

/// Which ideas a list shows.
#[derive(Debug, Clone, Default)]
pub struct IdeaFilter {
    pub stage: Option<String>,
    pub campaign_id: Option<i64>,
    pub include_merged: bool,
    pub limit: usize,
}

const IDEA_COLUMNS: &str =
    "i.id, i.title, i.body, i.stage, i.reason, u.display_name, i.owner_id, i.strategy,
    i.source_kind, i.source_ref, i.source_post, i.submitted_by, i.merged_into,
    (SELECT count(*) FROM idea_votes v WHERE v.idea_id = i.id AND v.value = 1),
    (SELECT count(*) FROM idea_votes v WHERE v.idea_id = i.id AND v.value = -1),
    (SELECT count(*) FROM idea_comments c WHERE c.idea_id = i.id),
    i.created_at, i.updated_at, i.version, i.campaign_id";

fn idea_from_row(r: &Row<'_>) -> rusqlite::Result<IdeaRow> {
    Ok(IdeaRow {
        id: r.get(0)?,
        title: r.get(1)?,
        body: r.get(2)?,
        stage: r.get(3)?,
        reason: r.get(4)?,
        owner: r.get(5)?,
        owner_id: r.get(6)?,
        strategy: r.get(7)?,
        source_kind: r.get(8)?,
        source_ref: r.get(9)?,
        source_post: r.get(10)?,
        submitted_by: r.get(11)?,
        merged_into: r.get(12)?,
        votes_for: r.get::<_, i64>(13)? as u64,
        votes_against: r.get::<_, i64>(14)? as u64,
        comments: r.get::<_, i64>(15)? as u64,
        created_at: r.get(16)?,
        updated_at: r.get(17)?,
        version: r.get(18)?,
        campaign_id: r.get(19)?,
    })
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

fn history(
    conn: &Connection,
    idea_id: i64,
    actor: &str,
    kind: &str,
    detail: &str,
    now: i64,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO idea_events (idea_id, at, actor, kind, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![idea_id, now, actor, kind, detail])?;
    Ok(())
}

pub(crate) fn create(
    conn: &Connection,
    new: &NewIdea<'_>,
    audit: &AuditEntry<'_>,
) -> Result<i64, StoreError> {
    let tx = conn.unchecked_transaction()?;
    let now = now_ms();
    tx.execute(
        "INSERT INTO ideas (title, body, source_kind, source_ref, source_post, submitted_by_id, submitted_by,
                            strategy, created_at, updated_at, campaign_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10)",
        params![
            new.title,
            new.body,
            new.source_kind,
            new.source_ref,
            new.source_post,
            new.submitted_by_id,
            new.submitted_by,
            new.strategy,
            now,
            new.campaign_id
        ],
    )?;
    let id = tx.last_insert_rowid();
    history(
        &tx,
        id,
        new.submitted_by,
        "submitted",
        &format!("from {}", new.source_kind),
        now,
    )?;
    let target = format!("idea {id}");
    append_audit(
        &tx,
        &AuditEntry {
            target: &target,
            ..*audit
        },
    )?;
    tx.commit()?;
    Ok(id)
}

pub(crate) fn list(conn: &Connection, filter: &IdeaFilter) -> Result<Vec<IdeaRow>, StoreError> {
    let mut clauses = Vec::new();
    let mut values: Vec<Value> = Vec::new();
    if !filter.include_merged {
        clauses.push("i.merged_into IS NULL");
    }
    if let Some(stage) = &filter.stage {
        clauses.push("i.stage = ?");
        values.push(Value::Text(stage.clone()));
    }
    if let Some(campaign) = filter.campaign_id {
        clauses.push("i.campaign_id = ?");
        values.push(Value::Integer(campaign));
    }
    let where_sql = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    values.push(Value::Integer(filter.limit as i64));
    let sql = format!(
        "SELECT {IDEA_COLUMNS} FROM ideas i LEFT JOIN users u ON u.id = i.owner_id {where_sql}
         ORDER BY i.updated_at DESC, i.id DESC LIMIT ?"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params_from_iter(values.iter()), idea_from_row)?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

pub(crate) fn row(conn: &Connection, id: i64) -> Result<Option<IdeaRow>, StoreError> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {IDEA_COLUMNS} FROM ideas i LEFT JOIN users u ON u.id = i.owner_id WHERE i.id = ?1"
        ))?
        .query_row([id], idea_from_row)
        .optional()?)
}

pub(crate) fn detail(conn: &Connection, id: i64) -> Result<Option<IdeaDetail>, StoreError> {
    let Some(idea) = row(conn, id)? else {
        return Ok(None);
    };
    let comments = conn
        .prepare_cached(
            "SELECT id, author, body, at FROM idea_comments WHERE idea_id = ?1 ORDER BY id",
        )?
        .query_map([id], |r| {
            Ok(IdeaComment {
                id: r.get(0)?,
                author: r.get(1)?,
                body: r.get(2)?,
                at: r.get(3)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let history = conn
        .prepare_cached(
            "SELECT at, actor, kind, detail FROM idea_events WHERE idea_id = ?1 ORDER BY id",
        )?
        .query_map([id], |r| {
            Ok(IdeaEvent {
                at: r.get(0)?,
                actor: r.get(1)?,
                kind: r.get(2)?,
                detail: r.get(3)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let merged = conn
        .prepare_cached(&format!(
            "SELECT {IDEA_COLUMNS} FROM ideas i LEFT JOIN users u ON u.id = i.owner_id
             WHERE i.merged_into = ?1 ORDER BY i.id"
        ))?
        .query_map([id], idea_from_row)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Some(IdeaDetail {
        idea,
        comments,
        history,
        merged,
    }))
}

/// The idea exists and takes changes: a merged idea lives on in the one it was merged into.
fn check_open(conn: &Connection, id: i64) -> Result<i64, StoreError> {
    let current: Option<(i64, Option<i64>)> = conn
        .prepare_cached("SELECT version, merged_into FROM ideas WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    match current {
        None => Err(StoreError::NotFound(format!("idea {id}"))),
        Some((_, Some(into))) => Err(StoreError::Conflict(format!(
            "idea {id} was merged into idea {into}; vote, comment and move that one"
        ))),
        Some((version, None)) => Ok(version),
    }
}

fn check_version(conn: &Connection, id: i64, expected: i64) -> Result<(), StoreError> {
    if check_open(conn, id)? != expected {
        return Err(StoreError::Conflict(format!(
            "idea {id} was changed since you opened it; reload it to see the change, then try again"
        )));
    }
    Ok(())
}

/// Apply a change; returns the new version.
pub(crate) fn change(
    conn: &Connection,
    change: &IdeaChange<'_>,
    audit: &AuditEntry<'_>,
) -> Result<i64, StoreError> {
    let tx = conn.unchecked_transaction()?;
    check_version(&tx, change.idea_id, change.expected_version)?;
    let now = now_ms();
    if let Some(stage) = change.stage {
        tx.execute(
            "UPDATE ideas SET stage = ?2, reason = ?3 WHERE id = ?1",
            params![change.idea_id, stage, change.reason.unwrap_or("")],
        )?;
    }
    if let Some(owner) = change.owner {
        tx.execute(
            "UPDATE ideas SET owner_id = ?2 WHERE id = ?1",
            params![change.idea_id, owner],
        )?;
    }
    if let Some(strategy) = change.strategy {
        tx.execute(
            "UPDATE ideas SET strategy = ?2 WHERE id = ?1",
            params![change.idea_id, strategy],
        )?;
    }
    tx.execute(
        "UPDATE ideas SET version = version + 1, updated_at = ?2 WHERE id = ?1",
        params![change.idea_id, now],
    )?;
    history(
        &tx,
        change.idea_id,
        audit.actor,
        change.kind,
        &change.detail,
        now,
    )?;
    if let Some(notice) = &change.notice {
        add_outbox_item(&tx, notice, change.idea_id, audit.actor)?;
    }
    append_audit(&tx, audit)?;
    tx.commit()?;
    Ok(change.expected_version + 1)
}

/// Cast or change a person's vote (`0` withdraws it).
pub(crate) fn vote(
    conn: &Connection,
    idea_id: i64,
    user_id: i64,
    value: i64,
    audit: &AuditEntry<'_>,
) -> Result<(), StoreError> {
    let tx = conn.unchecked_transaction()?;
    check_open(&tx, idea_id)?;
    if value == 0 {
        tx.execute(
            "DELETE FROM idea_votes WHERE idea_id = ?1 AND user_id = ?2",
            params![idea_id, user_id],
        )?;
    } else {
        tx.execute(
            "INSERT INTO idea_votes (idea_id, user_id, value, at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (idea_id, user_id) DO UPDATE SET value = excluded.value, at = excluded.at",
            params![idea_id, user_id, value.signum(), now_ms()],
        )?;
    }
    append_audit(&tx, audit)?;
    tx.commit()?;
    Ok(())
}

pub(crate) fn comment(
    conn: &Connection,
    idea_id: i64,
    user_id: Option<i64>,
    author: &str,
    body: &str,
    audit: &AuditEntry<'_>,
) -> Result<(), StoreError> {
    let tx = conn.unchecked_transaction()?;
    check_open(&tx, idea_id)?;
    let now = now_ms();
    tx.execute(
        "INSERT INTO idea_comments (idea_id, user_id, author, body, at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![idea_id, user_id, author, body, now],
    )?;
    tx.execute(
        "UPDATE ideas SET updated_at = ?2 WHERE id = ?1",
        params![idea_id, now],
    )?;
    append_audit(&tx, audit)?;
    tx.commit()?;
    Ok(())
}

/// Merge idea `from` into `into`: its votes join `into` (one per person; the kept idea's vote wins), its
/// comments stay readable on it, and it leaves the lists.
pub(crate) fn merge(
    conn: &Connection,
    from: i64,
    into: i64,
    audit: &AuditEntry<'_>,
) -> Result<(), StoreError> {
    if from == into {
        return Err(StoreError::Conflict(
            "an idea cannot be merged into itself".into(),
        ));
    }
    let tx = conn.unchecked_transaction()?;
    let (Some(source), Some(target)) = (row(&tx, from)?, row(&tx, into)?) else {
        return Err(StoreError::NotFound(format!("idea {from} or {into}")));
    };
    if source.merged_into.is_some() {
        return Err(StoreError::Conflict(format!(
            "idea {from} is already merged"
        )));
    }
    if target.merged_into.is_some() {
        return Err(StoreError::Conflict(format!(
            "idea {into} was itself merged into idea {}; merge into that one",
            target.merged_into.unwrap_or_default()
        )));
    }
    let now = now_ms();
    tx.execute(
        "INSERT OR IGNORE INTO idea_votes (idea_id, user_id, value, at)
         SELECT ?2, user_id, value, at FROM idea_votes WHERE idea_id = ?1",
        params![from, into],
    )?;
    tx.execute(
        "UPDATE ideas SET merged_into = ?2, version = version + 1, updated_at = ?3 WHERE id = ?1",
        params![from, into, now],
    )?;
    tx.execute(
        "UPDATE ideas SET version = version + 1, updated_at = ?2 WHERE id = ?1",
        params![into, now],
    )?;
    history(
        &tx,
        from,
        audit.actor,
        "merged",
        &format!("into idea {into}"),
        now,
    )?;
    history(
        &tx,
        into,
        audit.actor,
        "merged",
        &format!("idea {from} ({:?}) merged in", source.title),
        now,
    )?;
    append_audit(&tx, audit)?;
    tx.commit()?;
    Ok(())
}
