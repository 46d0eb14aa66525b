//! Changing cases: every change checks the version the person worked from, bumps it, and writes the
//! case's timeline and the audit log in the same transaction, so two people acting at once can never
//! silently overwrite each other and no change goes unrecorded.

use crate::accounts::append_audit;
use crate::{AuditEntry, StoreError};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::Serialize;

/// A column a change sets.
#[derive(Debug, Clone, PartialEq)]
pub enum CaseField {
    Status(String),
    Team(Option<String>),
    Assignee(Option<i64>),
    Escalated(bool),
    SnoozedUntil(Option<i64>),
    ClosedAt(Option<i64>),
    /// Kept when the case already has a first response.
    FirstResponseAt(i64),
}

/// A reply to send: recorded in the outbox and exported until connectors send it.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxItem {
    /// `case_reply` or `idea_update`.
    pub kind: &'static str,
    pub in_reply_to: Option<i64>,
    pub channel: String,
    pub recipient: Option<String>,
    pub body: String,
}

/// A reply written with a change.
#[derive(Debug, Clone, PartialEq)]
pub enum ReplyWrite {
    New {
        body: String,
        /// `awaiting_approval` or `sent`.
        status: &'static str,
        reading_grade: Option<f64>,
        personal_data: Vec<String>,
        /// Set when the reply goes out now.
        outbox: Option<OutboxItem>,
    },
    /// An approver's decision on a reply awaiting approval.
    Decide {
        reply_id: i64,
        approved: bool,
        approver: String,
        outbox: Option<OutboxItem>,
    },
}

/// One change to one case.
#[derive(Debug, Clone)]
pub struct CaseChange<'a> {
    pub case_id: i64,
    /// The version the person saw; refused when the case has moved on.
    pub expected_version: i64,
    pub actor_id: Option<i64>,
    pub actor: &'a str,
    pub fields: Vec<CaseField>,
    /// Timeline entry: `assigned`, `note`, `replied`, `closed`...
    pub kind: &'a str,
    pub detail: String,
    /// Text of a note or reply.
    pub body: Option<String>,
    pub reply: Option<ReplyWrite>,
    pub add_tags: Vec<String>,
}

/// What a bulk action does to each case.
#[derive(Debug, Clone, PartialEq)]
pub enum BulkAction {
    Close,
    Assign { user_id: Option<i64>, name: String },
    Route { team: Option<String> },
    Tag(String),
}

/// What a bulk action did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct BulkOutcome {
    pub changed: u64,
    /// Cases it did not apply to (closing a closed case) or that do not exist.
    pub skipped: u64,
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

fn set_field(tx: &Transaction<'_>, case_id: i64, field: &CaseField) -> Result<(), StoreError> {
    let (sql, value): (&str, rusqlite::types::Value) = match field {
        CaseField::Status(s) => (
            "UPDATE cases SET status = ?2 WHERE id = ?1",
            s.clone().into(),
        ),
        CaseField::Team(t) => ("UPDATE cases SET team = ?2 WHERE id = ?1", t.clone().into()),
        CaseField::Assignee(a) => (
            "UPDATE cases SET assignee_id = ?2 WHERE id = ?1",
            (*a).into(),
        ),
        CaseField::Escalated(e) => ("UPDATE cases SET escalated = ?2 WHERE id = ?1", (*e).into()),
        CaseField::SnoozedUntil(t) => (
            "UPDATE cases SET snoozed_until = ?2 WHERE id = ?1",
            (*t).into(),
        ),
        CaseField::ClosedAt(t) => ("UPDATE cases SET closed_at = ?2 WHERE id = ?1", (*t).into()),
        CaseField::FirstResponseAt(t) => (
            "UPDATE cases SET first_response_at = COALESCE(first_response_at, ?2) WHERE id = ?1",
            (*t).into(),
        ),
    };
    tx.prepare_cached(sql)?.execute(params![case_id, value])?;
    Ok(())
}

fn add_outbox(
    tx: &Transaction<'_>,
    item: &OutboxItem,
    case_id: Option<i64>,
    idea_id: Option<i64>,
    actor: &str,
    now: i64,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO outbox (kind, case_id, idea_id, in_reply_to, channel, recipient, body, created_at, created_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        item.kind,
        case_id,
        idea_id,
        item.in_reply_to,
        item.channel,
        item.recipient,
        item.body,
        now,
        actor
    ])?;
    Ok(())
}

pub(crate) fn add_outbox_item(
    tx: &Transaction<'_>,
    item: &OutboxItem,
    idea_id: i64,
    actor: &str,
) -> Result<(), StoreError> {
    add_outbox(tx, item, None, Some(idea_id), actor, now_ms())
}

fn write_reply(tx: &Transaction<'_>, change: &CaseChange<'_>, now: i64) -> Result<(), StoreError> {
    match &change.reply {
        None => {}
        Some(ReplyWrite::New {
            body,
            status,
            reading_grade,
            personal_data,
            outbox,
        }) => {
            tx.prepare_cached(
                "INSERT INTO case_replies (case_id, author_id, author, body, status, reading_grade, personal_data,
                                           created_at, sent_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![
                change.case_id,
                change.actor_id,
                change.actor,
                body,
                status,
                reading_grade,
                serde_json::to_string(personal_data).unwrap_or_else(|_| "[]".into()),
                now,
                (*status == "sent").then_some(now)
            ])?;
            if let Some(item) = outbox {
                add_outbox(tx, item, Some(change.case_id), None, change.actor, now)?;
            }
        }
        Some(ReplyWrite::Decide {
            reply_id,
            approved,
            approver,
            outbox,
        }) => {
            let updated = tx
                .prepare_cached(
                    "UPDATE case_replies SET status = ?3, approved_by = ?4, sent_at = ?5
                     WHERE id = ?1 AND case_id = ?2 AND status = 'awaiting_approval'",
                )?
                .execute(params![
                    reply_id,
                    change.case_id,
                    if *approved { "sent" } else { "rejected" },
                    approver,
                    approved.then_some(now)
                ])?;
            if updated == 0 {
                return Err(StoreError::Conflict(format!(
                    "reply {reply_id} on case {} is not awaiting approval",
                    change.case_id
                )));
            }
            if let Some(item) = outbox {
                add_outbox(tx, item, Some(change.case_id), None, change.actor, now)?;
            }
        }
    }
    Ok(())
}

/// Apply one change; returns the case's new version.
pub(crate) fn change(conn: &Connection, change: &CaseChange<'_>) -> Result<i64, StoreError> {
    let tx = conn.unchecked_transaction()?;
    let current: Option<i64> = tx
        .prepare_cached("SELECT version FROM cases WHERE id = ?1")?
        .query_row([change.case_id], |r| r.get(0))
        .optional()?;
    let Some(current) = current else {
        return Err(StoreError::NotFound(format!("case {}", change.case_id)));
    };
    if current != change.expected_version {
        let by: Option<(String, i64)> = tx
            .query_row(
                "SELECT actor, at FROM case_events WHERE case_id = ?1 ORDER BY id DESC LIMIT 1",
                [change.case_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let by = by.map_or_else(String::new, |(actor, _)| format!(" by {actor}"));
        return Err(StoreError::Conflict(format!(
            "case {} was changed{by} since you opened it; reload it to see the change, then try again",
            change.case_id
        )));
    }
    let now = now_ms();
    for field in &change.fields {
        set_field(&tx, change.case_id, field)?;
    }
    for tag in &change.add_tags {
        tx.prepare_cached("INSERT OR IGNORE INTO case_tags (case_id, tag) VALUES (?1, ?2)")?
            .execute(params![change.case_id, tag])?;
    }
    write_reply(&tx, change, now)?;
    tx.prepare_cached("UPDATE cases SET version = version + 1, updated_at = ?2 WHERE id = ?1")?
        .execute(params![change.case_id, now])?;
    tx.prepare_cached(
        "INSERT INTO case_events (case_id, at, actor_id, actor, kind, detail, body)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        change.case_id,
        now,
        change.actor_id,
        change.actor,
        change.kind,
        change.detail,
        change.body
    ])?;
    let action = format!("case.{}", change.kind);
    let target = format!("case {}", change.case_id);
    append_audit(
        &tx,
        &AuditEntry {
            actor_id: change.actor_id,
            actor: change.actor,
            action: &action,
            target: &target,
            detail: &change.detail,
        },
    )?;
    tx.commit()?;
    Ok(current + 1)
}

/// Apply one action to many cases in one transaction, each change in the timeline and the audit log.
pub(crate) fn bulk(
    conn: &Connection,
    case_ids: &[i64],
    action: &BulkAction,
    actor_id: Option<i64>,
    actor: &str,
) -> Result<BulkOutcome, StoreError> {
    let tx = conn.unchecked_transaction()?;
    let now = now_ms();
    let mut outcome = BulkOutcome::default();
    let (kind, detail) = match action {
        BulkAction::Close => ("closed", "closed (bulk)".to_string()),
        BulkAction::Assign { name, user_id } => (
            "assigned",
            match user_id {
                Some(_) => format!("assigned to {name} (bulk)"),
                None => "unassigned (bulk)".to_string(),
            },
        ),
        BulkAction::Route { team } => (
            "routed",
            format!("routed to {} (bulk)", team.as_deref().unwrap_or("no team")),
        ),
        BulkAction::Tag(tag) => ("tagged", format!("tagged {tag:?} (bulk)")),
    };
    let action_name = format!("case.{kind}");
    {
        let mut apply = tx.prepare_cached(match action {
            BulkAction::Close => {
                "UPDATE cases SET status = 'closed', closed_at = ?2, snoozed_until = NULL,
                         version = version + 1, updated_at = ?2
                 WHERE id = ?1 AND status != 'closed'"
            }
            BulkAction::Assign { .. } => {
                "UPDATE cases SET assignee_id = ?3, version = version + 1, updated_at = ?2
                 WHERE id = ?1 AND status != 'closed'"
            }
            BulkAction::Route { .. } => {
                "UPDATE cases SET team = ?3, assignee_id = NULL, version = version + 1, updated_at = ?2
                 WHERE id = ?1 AND status != 'closed'"
            }
            BulkAction::Tag(_) => {
                "UPDATE cases SET version = version + 1, updated_at = ?2
                 WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM case_tags WHERE case_id = ?1 AND tag = ?3)"
            }
        })?;
        let mut tag =
            tx.prepare_cached("INSERT OR IGNORE INTO case_tags (case_id, tag) VALUES (?1, ?2)")?;
        let mut event = tx.prepare_cached(
            "INSERT INTO case_events (case_id, at, actor_id, actor, kind, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for &id in case_ids {
            let third: rusqlite::types::Value = match action {
                BulkAction::Close => rusqlite::types::Value::Null,
                BulkAction::Assign { user_id, .. } => (*user_id).into(),
                BulkAction::Route { team } => team.clone().into(),
                BulkAction::Tag(t) => t.clone().into(),
            };
            let changed = if matches!(action, BulkAction::Close) {
                apply.execute(params![id, now])?
            } else {
                apply.execute(params![id, now, third])?
            };
            if changed == 0 {
                outcome.skipped += 1;
                continue;
            }
            if let BulkAction::Tag(t) = action {
                tag.execute(params![id, t])?;
            }
            event.execute(params![id, now, actor_id, actor, kind, detail])?;
            append_audit(
                &tx,
                &AuditEntry {
                    actor_id,
                    actor,
                    action: &action_name,
                    target: &format!("case {id}"),
                    detail: &detail,
                },
            )?;
            outcome.changed += 1;
        }
    }
    tx.commit()?;
    Ok(outcome)
}

/// Record that a person has the case open now.
pub(crate) fn touch_presence(
    conn: &Connection,
    case_id: i64,
    user_id: i64,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO case_presence (case_id, user_id, at) VALUES (?1, ?2, ?3)
         ON CONFLICT (case_id, user_id) DO UPDATE SET at = excluded.at",
    )?
    .execute(params![case_id, user_id, now_ms()])?;
    Ok(())
}

/// Reopen snoozed cases whose time has come; returns how many woke.
/// Whether any snoozed case is due (read-only: queue pages ask this on every request).
pub(crate) fn any_snooze_due(conn: &Connection, now: i64) -> Result<bool, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM cases WHERE status = 'snoozed' AND snoozed_until <= ?1 LIMIT 1",
        )?
        .exists([now])?)
}

pub(crate) fn wake_snoozed(conn: &Connection, now: i64) -> Result<u64, StoreError> {
    let due: Vec<i64> = conn
        .prepare_cached(
            "SELECT id FROM cases WHERE status = 'snoozed' AND snoozed_until <= ?1 LIMIT 10000",
        )?
        .query_map([now], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    if due.is_empty() {
        return Ok(0);
    }
    let tx = conn.unchecked_transaction()?;
    for &id in &due {
        tx.execute(
            "UPDATE cases SET status = 'open', snoozed_until = NULL, version = version + 1, updated_at = ?2
             WHERE id = ?1 AND status = 'snoozed'",
            params![id, now],
        )?;
        tx.execute(
            "INSERT INTO case_events (case_id, at, actor, kind, detail)
             VALUES (?1, ?2, 'Townhall', 'woke', 'snooze ended')",
            params![id, now],
        )?;
        append_audit(
            &tx,
            &AuditEntry {
                actor_id: None,
                actor: "townhall",
                action: "case.woke",
                target: &format!("case {id}"),
                detail: "snooze ended",
            },
        )?;
    }
    tx.commit()?;
    Ok(due.len() as u64)
}

/// A reply waiting in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutboxRecord {
    pub id: i64,
    pub kind: String,
    pub case_id: Option<i64>,
    pub idea_id: Option<i64>,
    pub in_reply_to: Option<i64>,
    pub channel: String,
    pub recipient: Option<String>,
    pub body: String,
    pub created_at: i64,
    pub created_by: String,
}

pub(crate) fn outbox(
    conn: &Connection,
    after: i64,
    limit: usize,
) -> Result<Vec<OutboxRecord>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, kind, case_id, idea_id, in_reply_to, channel, recipient, body, created_at, created_by
         FROM outbox WHERE id > ?1 ORDER BY id LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![after, limit as i64], |r| {
        Ok(OutboxRecord {
            id: r.get(0)?,
            kind: r.get(1)?,
            case_id: r.get(2)?,
            idea_id: r.get(3)?,
            in_reply_to: r.get(4)?,
            channel: r.get(5)?,
            recipient: r.get(6)?,
            body: r.get(7)?,
            created_at: r.get(8)?,
            created_by: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}
