//! Learning in a safe place: outbound messages drafted and reviewed by employees before the public
//! sees them, saved replies on trial, and what employees said of each.

use crate::accounts::append_audit;
use crate::{AuditEntry, StoreError};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;

/// What can run with employees first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TrialSubject {
    SavedReply,
    Outbound,
}

impl TrialSubject {
    pub fn as_str(self) -> &'static str {
        match self {
            TrialSubject::SavedReply => "saved_reply",
            TrialSubject::Outbound => "outbound",
        }
    }

    pub fn parse(s: &str) -> Option<TrialSubject> {
        match s {
            "saved_reply" | "saved-reply" => Some(TrialSubject::SavedReply),
            "outbound" => Some(TrialSubject::Outbound),
            _ => None,
        }
    }
}

/// An outbound message to store.
#[derive(Debug, Clone)]
pub struct NewOutbound<'a> {
    pub title: &'a str,
    pub body: &'a str,
    pub images_json: &'a str,
    pub channel: Option<&'a str>,
    pub strategy: Option<&'a str>,
    pub created_by: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutboundRow {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub images_json: String,
    pub channel: Option<String>,
    pub strategy: Option<String>,
    /// `employees`, `public` or `sent`.
    pub audience: String,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
}

/// One employee's current verdict on something on trial.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FeedbackRow {
    pub user_id: i64,
    pub author: String,
    /// `clear` or `unclear`.
    pub verdict: String,
    pub comment: String,
    pub at: i64,
}

const OUTBOUND_COLUMNS: &str =
    "id, title, body, images, channel, strategy, audience, created_by, created_at, updated_at";

fn outbound_from(r: &Row<'_>) -> rusqlite::Result<OutboundRow> {
    Ok(OutboundRow {
        id: r.get(0)?,
        title: r.get(1)?,
        body: r.get(2)?,
        images_json: r.get(3)?,
        channel: r.get(4)?,
        strategy: r.get(5)?,
        audience: r.get(6)?,
        created_by: r.get(7)?,
        created_at: r.get(8)?,
        updated_at: r.get(9)?,
    })
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

fn create_outbound(
    conn: &Connection,
    m: &NewOutbound<'_>,
    audit: &AuditEntry<'_>,
) -> Result<i64, StoreError> {
    let tx = conn.unchecked_transaction()?;
    tx.execute(
        "INSERT INTO outbound_messages (title, body, images, channel, strategy, created_by, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
        params![m.title, m.body, m.images_json, m.channel, m.strategy, m.created_by, now_ms()],
    )?;
    let id = tx.last_insert_rowid();
    append_audit(&tx, audit)?;
    tx.commit()?;
    Ok(id)
}

/// Moves a subject from one audience to the next; false when it was not in `from` (someone else
/// moved it first, or it does not exist).
fn move_audience(
    conn: &Connection,
    subject: TrialSubject,
    id: i64,
    from: &str,
    to: &str,
    audit: &AuditEntry<'_>,
) -> Result<bool, StoreError> {
    let tx = conn.unchecked_transaction()?;
    let n = match subject {
        TrialSubject::SavedReply => tx.execute(
            "UPDATE saved_replies SET audience = ?3 WHERE id = ?1 AND audience = ?2",
            params![id, from, to],
        )?,
        TrialSubject::Outbound => tx.execute(
            "UPDATE outbound_messages SET audience = ?3, updated_at = ?4 WHERE id = ?1 AND audience = ?2",
            params![id, from, to, now_ms()],
        )?,
    };
    if n == 1 {
        append_audit(&tx, audit)?;
    }
    tx.commit()?;
    Ok(n == 1)
}

/// One employee's verdict to record.
#[derive(Debug, Clone)]
pub struct NewFeedback<'a> {
    pub subject: TrialSubject,
    pub subject_id: i64,
    pub user_id: i64,
    pub author: &'a str,
    /// `clear` or `unclear`.
    pub verdict: &'a str,
    pub comment: &'a str,
}

fn give_feedback(
    conn: &Connection,
    f: &NewFeedback<'_>,
    audit: &AuditEntry<'_>,
) -> Result<(), StoreError> {
    let tx = conn.unchecked_transaction()?;
    tx.execute(
        "INSERT INTO trial_feedback (subject, subject_id, user_id, author, verdict, comment, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (subject, subject_id, user_id) DO UPDATE SET
             author = excluded.author, verdict = excluded.verdict, comment = excluded.comment, at = excluded.at",
        params![
            f.subject.as_str(),
            f.subject_id,
            f.user_id,
            f.author,
            f.verdict,
            f.comment,
            now_ms()
        ],
    )?;
    append_audit(&tx, audit)?;
    tx.commit()?;
    Ok(())
}

fn feedback(
    conn: &Connection,
    subject: TrialSubject,
    id: i64,
) -> Result<Vec<FeedbackRow>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT user_id, author, verdict, comment, at FROM trial_feedback
         WHERE subject = ?1 AND subject_id = ?2 ORDER BY at, user_id",
    )?;
    let rows = stmt.query_map(params![subject.as_str(), id], |r| {
        Ok(FeedbackRow {
            user_id: r.get(0)?,
            author: r.get(1)?,
            verdict: r.get(2)?,
            comment: r.get(3)?,
            at: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Clear and unclear verdicts per subject id, for every subject of one kind.
fn tallies(
    conn: &Connection,
    subject: TrialSubject,
) -> Result<std::collections::HashMap<i64, (usize, usize)>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT subject_id, sum(verdict = 'clear'), sum(verdict = 'unclear') FROM trial_feedback
         WHERE subject = ?1 GROUP BY subject_id",
    )?;
    let rows = stmt.query_map([subject.as_str()], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            (
                r.get::<_, i64>(1)?.max(0) as usize,
                r.get::<_, i64>(2)?.max(0) as usize,
            ),
        ))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

impl crate::Store {
    /// Clear and unclear verdicts per id, for every saved reply or every outbound message, in one query.
    pub fn trial_tallies(
        &self,
        subject: TrialSubject,
    ) -> Result<std::collections::HashMap<i64, (usize, usize)>, StoreError> {
        self.readers.with(|c| tallies(c, subject))
    }

    pub fn create_outbound(
        &self,
        m: &NewOutbound<'_>,
        audit: &AuditEntry<'_>,
    ) -> Result<i64, StoreError> {
        create_outbound(self.lock_writer()?.conn(), m, audit)
    }

    pub fn outbound_messages(&self) -> Result<Vec<OutboundRow>, StoreError> {
        self.readers.with(|c| {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {OUTBOUND_COLUMNS} FROM outbound_messages ORDER BY updated_at DESC, id DESC"
            ))?;
            let rows = stmt.query_map([], outbound_from)?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    pub fn outbound(&self, id: i64) -> Result<Option<OutboundRow>, StoreError> {
        self.readers.with(|c| {
            Ok(c.query_row(
                &format!("SELECT {OUTBOUND_COLUMNS} FROM outbound_messages WHERE id = ?1"),
                [id],
                outbound_from,
            )
            .optional()?)
        })
    }

    /// Moves a saved reply or outbound message on (employees → public → sent); false when it was
    /// not where `from` says.
    pub fn move_audience(
        &self,
        subject: TrialSubject,
        id: i64,
        from: &str,
        to: &str,
        audit: &AuditEntry<'_>,
    ) -> Result<bool, StoreError> {
        move_audience(self.lock_writer()?.conn(), subject, id, from, to, audit)
    }

    /// Records (or replaces) one employee's verdict.
    pub fn give_trial_feedback(
        &self,
        f: &NewFeedback<'_>,
        audit: &AuditEntry<'_>,
    ) -> Result<(), StoreError> {
        give_feedback(self.lock_writer()?.conn(), f, audit)
    }

    pub fn trial_feedback(
        &self,
        subject: TrialSubject,
        id: i64,
    ) -> Result<Vec<FeedbackRow>, StoreError> {
        self.readers.with(|c| feedback(c, subject, id))
    }
}
