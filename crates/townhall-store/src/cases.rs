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
}

/// A post to file, with what makes it a duplicate.
#[derive(Debug, Clone)]
pub struct CaseFiling {
    pub post_id: i64,
    pub created_at: i64,
    /// `question` or `mention`.
    pub reason: &'static str,
    pub thread_key: String,
    pub text_key: String,
}

/// What filing did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct FilingCounts {
    pub opened: u64,
    pub joined: u64,
    /// Posts that were in a case already.
    pub already_filed: u64,
}

/// A case as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseRow {
    pub id: i64,
    pub status: String,
    pub reason: String,
    pub team: Option<String>,
    pub assignee: Option<String>,
    /// The case's first post (store id) and how many posts it holds.
    pub post: i64,
    pub posts: u64,
    /// Unix milliseconds.
    pub opened_at: i64,
    pub first_response_at: Option<i64>,
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

/// The public's questions stored after post `after`, oldest first, at most `limit`.
pub(crate) fn candidates(
    conn: &Connection,
    after: i64,
    limit: usize,
) -> Result<Vec<CaseCandidate>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.id, p.channel_id, p.reply_to, p.thread_root, p.author_id, p.text, p.created_at,
                p.mentions, COALESCE(parent.own, 0)
         FROM posts p
         LEFT JOIN posts parent ON parent.channel_id = p.channel_id AND parent.external_id = p.reply_to
         WHERE p.id > ?1 AND p.own = 0 AND p.is_question = 1
         ORDER BY p.id LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![after, limit as i64], |r| {
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
        })
    })?;
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
    scanned_up_to: i64,
) -> Result<FilingCounts, StoreError> {
    let tx = conn.unchecked_transaction()?;
    let mut counts = FilingCounts::default();
    {
        let mut filed = tx.prepare_cached("SELECT 1 FROM case_posts WHERE post_id = ?1")?;
        let mut by_thread = tx.prepare_cached(
            "SELECT id FROM cases WHERE thread_key = ?1 AND status != 'closed' ORDER BY id LIMIT 1",
        )?;
        let mut by_text = tx.prepare_cached(
            "SELECT id FROM cases WHERE text_key = ?1 AND status != 'closed' ORDER BY id LIMIT 1",
        )?;
        let mut open = tx.prepare_cached(
            "INSERT INTO cases (reason, opened_at, thread_key, text_key) VALUES (?1, ?2, ?3, ?4)",
        )?;
        let mut attach =
            tx.prepare_cached("INSERT INTO case_posts (post_id, case_id) VALUES (?1, ?2)")?;
        for f in filings {
            if filed.exists([f.post_id])? {
                counts.already_filed += 1;
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
                    id
                }
                None => {
                    open.execute(params![f.reason, f.created_at, f.thread_key, f.text_key])?;
                    counts.opened += 1;
                    tx.last_insert_rowid()
                }
            };
            attach.execute(params![f.post_id, case_id])?;
        }
    }
    tx.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![WATERMARK_KEY, scanned_up_to.to_string()],
    )?;
    tx.commit()?;
    Ok(counts)
}

/// Cases, newest first, optionally of one team and status.
pub(crate) fn list(
    conn: &Connection,
    team: Option<&str>,
    status: Option<&str>,
    limit: usize,
) -> Result<Vec<CaseRow>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.id, c.status, c.reason, c.team, u.username,
                (SELECT min(post_id) FROM case_posts cp WHERE cp.case_id = c.id),
                (SELECT count(*) FROM case_posts cp WHERE cp.case_id = c.id),
                c.opened_at, c.first_response_at
         FROM cases c LEFT JOIN users u ON u.id = c.assignee_id
         WHERE (?1 IS NULL OR c.team = ?1) AND (?2 IS NULL OR c.status = ?2)
         ORDER BY c.opened_at DESC, c.id DESC LIMIT ?3",
    )?;
    let rows = stmt.query_map(params![team, status, limit as i64], |r| {
        Ok(CaseRow {
            id: r.get(0)?,
            status: r.get(1)?,
            reason: r.get(2)?,
            team: r.get(3)?,
            assignee: r.get(4)?,
            post: r.get::<_, Option<i64>>(5)?.unwrap_or(0),
            posts: r.get::<_, i64>(6)? as u64,
            opened_at: r.get(7)?,
            first_response_at: r.get(8)?,
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}
