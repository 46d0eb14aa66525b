//! Inbox cases: finding the public's questions addressed to the agency, filing them into cases without
//! duplicates, and listing cases.

use crate::StoreError;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

/// A public question that may become (or join) a case.
#[derive(Debug, Clone)]
pub struct CaseCandidate {
    pub post_id: i64,
    pub channel_id: i64,
    pub reply_to: Option<String>,
    pub thread_root: Option<String>,
    pub author_id: Option<i64>,
    pub text: String,
    /// Unix milliseconds.
    pub created_at: i64,
    pub mentions: Vec<String>,
    /// It answers a post of the agency's own.
    pub replies_to_own: bool,
    pub is_question: bool,
    pub language: Option<String>,
    /// VADER compound score.
    pub sentiment: f64,
    /// `kind:account` of the post's channel.
    pub channel: String,
    /// `@handle`, or the author's pseudonym when handles are not kept.
    pub author: Option<String>,
}

/// A post to file, with what makes it a duplicate.
#[derive(Debug, Clone)]
pub struct CaseFiling {
    pub post_id: i64,
    pub created_at: i64,
    /// `question`, `mention`, `negative_spike` or `flagged`.
    pub reason: &'static str,
    /// The intake rule that matched (none for a flag).
    pub rule: Option<String>,
    pub thread_key: String,
    pub text_key: String,
    /// Set by the first routing rule that matches.
    pub team: Option<String>,
    pub channel: String,
    pub language: Option<String>,
    pub topic: Option<String>,
    pub sentiment: f64,
    pub author: Option<String>,
}

/// What filing did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct FilingCounts {
    pub opened: u64,
    pub joined: u64,
    /// Posts that were in a case already.
    pub already_filed: u64,
}

const WATERMARK_KEY: &str = "cases_watermark";

pub(crate) fn watermark(conn: &Connection) -> Result<i64, StoreError> {
    let value: Option<String> = conn
        .query_row(
            "SELECT value FROM settings WHERE key = ?1",
            [WATERMARK_KEY],
            |r| r.get(0),
        )
        .optional()?;
    Ok(value.and_then(|v| v.parse().ok()).unwrap_or(0))
}

const CANDIDATE_SELECT: &str = "SELECT p.id, p.channel_id, p.reply_to, p.thread_root, p.author_id, p.text,
        p.created_at, p.mentions, COALESCE(parent.own, 0), p.is_question, p.lang, p.compound,
        ch.kind || ':' || ch.account, COALESCE('@' || a.handle, a.pseudonym)
     FROM posts p
     JOIN channels ch ON ch.id = p.channel_id
     LEFT JOIN authors a ON a.id = p.author_id
     LEFT JOIN posts parent ON parent.channel_id = p.channel_id AND parent.external_id = p.reply_to";

fn candidate_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<CaseCandidate> {
    let mentions: String = r.get(7)?;
    Ok(CaseCandidate {
        post_id: r.get(0)?,
        channel_id: r.get(1)?,
        reply_to: r.get(2)?,
        thread_root: r.get(3)?,
        author_id: r.get(4)?,
        text: r.get(5)?,
        created_at: r.get(6)?,
        mentions: serde_json::from_str(&mentions).unwrap_or_default(),
        replies_to_own: r.get::<_, i64>(8)? != 0,
        is_question: r.get::<_, i64>(9)? != 0,
        language: r.get(10)?,
        sentiment: r.get(11)?,
        channel: r.get(12)?,
        author: r.get(13)?,
    })
}

/// One post as a case candidate, whoever wrote it (a person flags it).
pub(crate) fn candidate(
    conn: &Connection,
    post_id: i64,
) -> Result<Option<CaseCandidate>, StoreError> {
    Ok(conn
        .prepare_cached(&format!("{CANDIDATE_SELECT} WHERE p.id = ?1"))?
        .query_row([post_id], candidate_from_row)
        .optional()?)
}

/// The public's posts that may be addressed to the agency, stored after post `after`, oldest first, at most `limit`.
pub(crate) fn candidates(
    conn: &Connection,
    after: i64,
    limit: usize,
) -> Result<Vec<CaseCandidate>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "{CANDIDATE_SELECT}
         WHERE p.id > ?1 AND p.own = 0
           AND (p.is_question = 1 OR p.reply_to IS NOT NULL OR p.mentions != '[]')
         ORDER BY p.id LIMIT ?2"
    ))?;
    let rows = stmt.query_map(params![after, limit as i64], candidate_from_row)?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// Handles of the agency's own accounts (lower case): owned channels' accounts and the authors of own posts.
pub(crate) fn own_handles(conn: &Connection) -> Result<Vec<String>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT lower(account) FROM channels WHERE owned = 1
         UNION
         SELECT DISTINCT lower(a.handle) FROM authors a
           WHERE a.handle IS NOT NULL
             AND EXISTS (SELECT 1 FROM posts p WHERE p.author_id = a.id AND p.own = 1)",
    )?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// File posts into cases in one transaction and move the scan's watermark to `scanned_up_to`: a post joins
/// the open case of its conversation and author, else an open case with the same text, else opens a case.
pub(crate) fn file(
    conn: &Connection,
    filings: &[CaseFiling],
    scanned_up_to: Option<i64>,
    audit: Option<&crate::AuditEntry<'_>>,
) -> Result<(FilingCounts, Vec<i64>), StoreError> {
    let tx = conn.unchecked_transaction()?;
    let mut counts = FilingCounts::default();
    let mut case_ids = Vec::with_capacity(filings.len());
    {
        let mut filed = tx.prepare_cached("SELECT case_id FROM case_posts WHERE post_id = ?1")?;
        let mut by_thread = tx.prepare_cached(
            "SELECT id FROM cases WHERE thread_key = ?1 AND status != 'closed' ORDER BY id LIMIT 1",
        )?;
        let mut by_text = tx.prepare_cached(
            "SELECT id FROM cases WHERE text_key = ?1 AND status != 'closed' ORDER BY id LIMIT 1",
        )?;
        let mut open = tx.prepare_cached(
            "INSERT INTO cases (reason, opened_at, thread_key, text_key, first_post_id, channel, language,
                                topic, sentiment, author, rule, team, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        )?;
        let mut opened_event = tx.prepare_cached(
            "INSERT INTO case_events (case_id, at, actor, kind, detail) VALUES (?1, ?2, 'Townhall', 'opened', ?3)",
        )?;
        let mut joined_event = tx.prepare_cached(
            "INSERT INTO case_events (case_id, at, actor, kind, detail) VALUES (?1, ?2, 'Townhall', 'joined', ?3)",
        )?;
        let now = chrono::Utc::now().timestamp_millis();
        let mut attach =
            tx.prepare_cached("INSERT INTO case_posts (post_id, case_id) VALUES (?1, ?2)")?;
        for f in filings {
            let already: Option<i64> = filed.query_row([f.post_id], |r| r.get(0)).optional()?;
            if let Some(case_id) = already {
                counts.already_filed += 1;
                case_ids.push(case_id);
                continue;
            }
            let existing: Option<i64> = match by_thread
                .query_row([&f.thread_key], |r| r.get(0))
                .optional()?
            {
                Some(id) => Some(id),
                None => by_text.query_row([&f.text_key], |r| r.get(0)).optional()?,
            };
            let case_id = match existing {
                Some(id) => {
                    counts.joined += 1;
                    joined_event.execute(params![id, now, format!("post {} joined", f.post_id)])?;
                    // The person wrote again: an answered or snoozed case needs attention again.
                    let back = tx.execute(
                        "UPDATE cases SET status = 'open', snoozed_until = NULL
                         WHERE id = ?1 AND status IN ('answered', 'snoozed')",
                        [id],
                    )?;
                    if back > 0 {
                        tx.execute(
                            "INSERT INTO case_events (case_id, at, actor, kind, detail)
                             VALUES (?1, ?2, 'Townhall', 'reopened', 'the person wrote again')",
                            params![id, now],
                        )?;
                        tx.execute("UPDATE cases SET version = version + 1 WHERE id = ?1", [id])?;
                    }
                    id
                }
                None => {
                    open.execute(params![
                        f.reason,
                        f.created_at,
                        f.thread_key,
                        f.text_key,
                        f.post_id,
                        f.channel,
                        f.language,
                        f.topic,
                        f.sentiment,
                        f.author,
                        f.rule,
                        f.team,
                        now
                    ])?;
                    counts.opened += 1;
                    let id = tx.last_insert_rowid();
                    let detail = match (&f.rule, &f.team) {
                        (Some(rule), Some(team)) => format!("by rule {rule:?}, routed to {team}"),
                        (Some(rule), None) => format!("by rule {rule:?}"),
                        (None, Some(team)) => format!("{}, routed to {team}", f.reason),
                        (None, None) => f.reason.to_string(),
                    };
                    opened_event.execute(params![id, now, detail])?;
                    id
                }
            };
            attach.execute(params![f.post_id, case_id])?;
            tx.execute(
                "UPDATE cases SET version = version + 1, updated_at = ?2 WHERE id = ?1",
                params![case_id, now],
            )?;
            case_ids.push(case_id);
        }
    }
    if let Some(scanned_up_to) = scanned_up_to {
        tx.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![WATERMARK_KEY, scanned_up_to.to_string()],
        )?;
    }
    if let Some(audit) = audit {
        crate::accounts::append_audit(&tx, audit)?;
    }
    tx.commit()?;
    Ok((counts, case_ids))
}

/// Posts addressed to the agency per UTC day (answers to its posts, or mentions of `own_handles`):
/// `(day number since the epoch, posts, negative posts)`, ascending.
pub(crate) fn addressed_daily_counts(
    conn: &Connection,
    own_handles: &[String],
    negative_below: f64,
) -> Result<Vec<(i64, u64, u64)>, StoreError> {
    let own = serde_json::to_string(own_handles).unwrap_or_else(|_| "[]".into());
    let mut stmt = conn.prepare_cached(
        "SELECT p.created_at / 86400000 AS day, count(*), sum(p.compound <= ?2)
         FROM posts p
         LEFT JOIN posts parent ON parent.channel_id = p.channel_id AND parent.external_id = p.reply_to
         WHERE p.own = 0
           AND (parent.own = 1 OR (p.mentions != '[]' AND EXISTS (
                 SELECT 1 FROM json_each(p.mentions) m
                 WHERE lower(ltrim(m.value, '@')) IN (SELECT value FROM json_each(?1)))))
         GROUP BY day ORDER BY day",
    )?;
    let rows = stmt.query_map(params![own, negative_below], |r| {
        Ok((
            r.get(0)?,
            r.get::<_, i64>(1)? as u64,
            r.get::<_, i64>(2)? as u64,
        ))
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}
