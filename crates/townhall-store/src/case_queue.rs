//! Reading cases: the queue (filtered, paged, served from the queue indexes), one case with its
//! timeline, and the facts the inbox measures are computed from.

use crate::StoreError;
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Row};
use serde::Serialize;

/// A case as lists show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseRow {
    pub id: i64,
    pub status: String,
    pub reason: String,
    /// The intake rule that opened it.
    pub rule: Option<String>,
    pub team: Option<String>,
    pub assignee: Option<String>,
    pub assignee_id: Option<i64>,
    pub escalated: bool,
    /// Unix milliseconds.
    pub snoozed_until: Option<i64>,
    /// The case's first post (store id) and how many posts it holds.
    pub post: i64,
    pub posts: u64,
    /// `kind:account` of the first post's channel.
    pub channel: String,
    pub language: Option<String>,
    pub topic: Option<String>,
    pub sentiment: Option<f64>,
    pub author: Option<String>,
    /// The first post's text (untrusted; escape when shown).
    pub excerpt: String,
    pub tags: Vec<String>,
    /// Unix milliseconds.
    pub opened_at: i64,
    pub first_response_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub updated_at: i64,
    /// Send it back with a change: a change against an older version is refused.
    pub version: i64,
}

/// Whose cases a queue shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AssigneeFilter {
    #[default]
    Anyone,
    Nobody,
    User(i64),
}

/// Which cases, in which order, which page.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    /// Empty: every status.
    pub statuses: Vec<String>,
    pub team: Option<String>,
    pub assignee: AssigneeFilter,
    pub reason: Option<String>,
    pub escalated_only: bool,
    pub tag: Option<String>,
    pub language: Option<String>,
    pub channel: Option<String>,
    pub newest_first: bool,
    pub offset: usize,
    pub limit: usize,
}

/// An entry in a case's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseEventRecord {
    pub id: i64,
    pub at: i64,
    pub actor: String,
    pub kind: String,
    pub detail: String,
    /// The text of a note or reply (untrusted).
    pub body: Option<String>,
}

/// A reply written on a case.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReplyRecord {
    pub id: i64,
    pub case_id: i64,
    pub author: String,
    pub body: String,
    /// `awaiting_approval`, `sent` (recorded for export until connectors send it) or `rejected`.
    pub status: String,
    pub reading_grade: Option<f64>,
    pub personal_data: Vec<String>,
    pub created_at: i64,
    pub approved_by: Option<String>,
    pub sent_at: Option<i64>,
}

/// Someone else who has the case open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Presence {
    pub user_id: i64,
    pub name: String,
    pub at: i64,
}

/// One case, whole.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseDetail {
    pub case: CaseRow,
    /// Store ids of its posts, oldest first.
    pub post_ids: Vec<i64>,
    pub events: Vec<CaseEventRecord>,
    pub replies: Vec<ReplyRecord>,
}

/// What the inbox measures need of a case.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseFactRow {
    pub opened_at: i64,
    pub first_response_at: Option<i64>,
    pub status: String,
    pub team: Option<String>,
    pub channel: String,
    pub topic: Option<String>,
}

const CASE_COLUMNS: &str =
    "c.id, c.status, c.reason, c.rule, c.team, u.display_name, c.assignee_id,
    c.escalated, c.snoozed_until, COALESCE(c.first_post_id, 0),
    (SELECT count(*) FROM case_posts cp WHERE cp.case_id = c.id),
    c.channel, c.language, c.topic, c.sentiment, c.author,
    COALESCE((SELECT substr(p.text, 1, 400) FROM posts p WHERE p.id = c.first_post_id), ''),
    (SELECT group_concat(tag, char(31)) FROM case_tags t WHERE t.case_id = c.id),
    c.opened_at, c.first_response_at, c.closed_at, c.updated_at, c.version";

fn case_from_row(r: &Row<'_>) -> rusqlite::Result<CaseRow> {
    let tags: Option<String> = r.get(17)?;
    Ok(CaseRow {
        id: r.get(0)?,
        status: r.get(1)?,
        reason: r.get(2)?,
        rule: r.get(3)?,
        team: r.get(4)?,
        assignee: r.get(5)?,
        assignee_id: r.get(6)?,
        escalated: r.get(7)?,
        snoozed_until: r.get(8)?,
        post: r.get(9)?,
        posts: r.get::<_, i64>(10)? as u64,
        channel: r.get(11)?,
        language: r.get(12)?,
        topic: r.get(13)?,
        sentiment: r.get(14)?,
        author: r.get(15)?,
        excerpt: r.get(16)?,
        tags: tags
            .map(|t| t.split('\u{1f}').map(str::to_string).collect())
            .unwrap_or_default(),
        opened_at: r.get(18)?,
        first_response_at: r.get(19)?,
        closed_at: r.get(20)?,
        updated_at: r.get(21)?,
        version: r.get(22)?,
    })
}

/// The WHERE clause and its parameters for a filter.
fn where_clause(filter: &CaseFilter) -> (String, Vec<Value>) {
    let mut clauses = Vec::new();
    let mut values: Vec<Value> = Vec::new();
    let mut statuses: Vec<&str> = filter.statuses.iter().map(String::as_str).collect();
    statuses.sort_unstable();
    if statuses == ["open", "snoozed"] {
        clauses.push("c.active = 1".to_string());
    } else if !filter.statuses.is_empty() {
        let marks = vec!["?"; filter.statuses.len()].join(", ");
        clauses.push(format!("c.status IN ({marks})"));
        values.extend(filter.statuses.iter().cloned().map(Value::Text));
    }
    if let Some(team) = &filter.team {
        clauses.push("c.team = ?".to_string());
        values.push(Value::Text(team.clone()));
    }
    match filter.assignee {
        AssigneeFilter::Anyone => {}
        AssigneeFilter::Nobody => clauses.push("c.assignee_id IS NULL".to_string()),
        AssigneeFilter::User(id) => {
            clauses.push("c.assignee_id = ?".to_string());
            values.push(Value::Integer(id));
        }
    }
    if let Some(reason) = &filter.reason {
        clauses.push("c.reason = ?".to_string());
        values.push(Value::Text(reason.clone()));
    }
    if filter.escalated_only {
        clauses.push("c.escalated = 1".to_string());
    }
    if let Some(tag) = &filter.tag {
        clauses
            .push("EXISTS (SELECT 1 FROM case_tags t WHERE t.case_id = c.id AND t.tag = ?)".into());
        values.push(Value::Text(tag.clone()));
    }
    if let Some(language) = &filter.language {
        clauses.push("c.language = ?".to_string());
        values.push(Value::Text(language.clone()));
    }
    if let Some(channel) = &filter.channel {
        // `x` matches every X account; `x:agency` one account.
        clauses.push("(c.channel = ? OR c.channel LIKE ? ESCAPE '\\')".to_string());
        values.push(Value::Text(channel.clone()));
        let escaped = channel
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        values.push(Value::Text(format!("{escaped}:%")));
    }
    let sql = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    (sql, values)
}

/// How many cases match `filter`, and the key under which that count may be cached.
pub(crate) fn count(conn: &Connection, filter: &CaseFilter) -> Result<u64, StoreError> {
    let (where_sql, values) = where_clause(filter);
    let total: i64 = conn
        .prepare_cached(&format!("SELECT count(*) FROM cases c {where_sql}"))?
        .query_row(params_from_iter(values.iter()), |r| r.get(0))?;
    Ok(total as u64)
}

/// What identifies a filter's count (its WHERE clause and values).
pub(crate) fn count_key(filter: &CaseFilter) -> String {
    let (where_sql, values) = where_clause(filter);
    format!("{where_sql}|{values:?}")
}

/// A page of cases matching `filter`. The page's ids are found first from the queue indexes alone; only those
/// rows are then read whole, so the cost of a page does not grow with the excerpts, tags and counts of the cases
/// it skips.
pub(crate) fn page(conn: &Connection, filter: &CaseFilter) -> Result<Vec<CaseRow>, StoreError> {
    if filter.limit == 0 {
        return Ok(Vec::new());
    }
    let (where_sql, mut values) = where_clause(filter);
    let order = if filter.newest_first {
        "c.opened_at DESC, c.id DESC"
    } else {
        "c.opened_at, c.id"
    };
    values.push(Value::Integer(filter.limit as i64));
    values.push(Value::Integer(filter.offset as i64));
    let ids: Vec<i64> = conn
        .prepare_cached(&format!(
            "SELECT c.id FROM cases c {where_sql} ORDER BY {order} LIMIT ? OFFSET ?"
        ))?
        .query_map(params_from_iter(values.iter()), |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut rows = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(row) = case_row(conn, id)? {
            rows.push(row);
        }
    }
    Ok(rows)
}

pub(crate) fn case_row(conn: &Connection, id: i64) -> Result<Option<CaseRow>, StoreError> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {CASE_COLUMNS} FROM cases c LEFT JOIN users u ON u.id = c.assignee_id WHERE c.id = ?1"
        ))?
        .query_row([id], case_from_row)
        .optional()?)
}

pub(crate) fn replies(conn: &Connection, case_id: i64) -> Result<Vec<ReplyRecord>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, case_id, author, body, status, reading_grade, personal_data, created_at, approved_by,
                sent_at
         FROM case_replies WHERE case_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([case_id], |r| {
        let found: String = r.get(6)?;
        Ok(ReplyRecord {
            id: r.get(0)?,
            case_id: r.get(1)?,
            author: r.get(2)?,
            body: r.get(3)?,
            status: r.get(4)?,
            reading_grade: r.get(5)?,
            personal_data: serde_json::from_str(&found).unwrap_or_default(),
            created_at: r.get(7)?,
            approved_by: r.get(8)?,
            sent_at: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

pub(crate) fn detail(conn: &Connection, id: i64) -> Result<Option<CaseDetail>, StoreError> {
    let Some(case) = case_row(conn, id)? else {
        return Ok(None);
    };
    let post_ids = conn
        .prepare_cached("SELECT post_id FROM case_posts WHERE case_id = ?1 ORDER BY post_id")?
        .query_map([id], |r| r.get(0))?
        .collect::<Result<Vec<i64>, _>>()?;
    let events = conn
        .prepare_cached(
            "SELECT id, at, actor, kind, detail, body FROM case_events WHERE case_id = ?1 ORDER BY id",
        )?
        .query_map([id], |r| {
            Ok(CaseEventRecord {
                id: r.get(0)?,
                at: r.get(1)?,
                actor: r.get(2)?,
                kind: r.get(3)?,
                detail: r.get(4)?,
                body: r.get(5)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let replies = replies(conn, id)?;
    Ok(Some(CaseDetail {
        case,
        post_ids,
        events,
        replies,
    }))
}

/// Others who had the case open at or after `since`.
pub(crate) fn presence(
    conn: &Connection,
    case_id: i64,
    except_user: i64,
    since: i64,
) -> Result<Vec<Presence>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.user_id, u.display_name, p.at FROM case_presence p JOIN users u ON u.id = p.user_id
         WHERE p.case_id = ?1 AND p.user_id != ?2 AND p.at >= ?3 ORDER BY p.at DESC",
    )?;
    let rows = stmt.query_map(params![case_id, except_user, since], |r| {
        Ok(Presence {
            user_id: r.get(0)?,
            name: r.get(1)?,
            at: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// Every case opened at or after `since`, for the measures.
pub(crate) fn facts(conn: &Connection, since: i64) -> Result<Vec<CaseFactRow>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT opened_at, first_response_at, status, team, channel, topic FROM cases WHERE opened_at >= ?1",
    )?;
    let rows = stmt.query_map([since], |r| {
        Ok(CaseFactRow {
            opened_at: r.get(0)?,
            first_response_at: r.get(1)?,
            status: r.get(2)?,
            team: r.get(3)?,
            channel: r.get(4)?,
            topic: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}
