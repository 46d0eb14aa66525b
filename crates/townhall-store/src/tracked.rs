//! Tracked topics: named saved queries.

use crate::StoreError;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

/// A saved query whose matches insight counts over time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrackedTopic {
    pub id: i64,
    pub name: String,
    /// In the search query language.
    pub query: String,
}

pub(crate) fn list(conn: &Connection) -> Result<Vec<TrackedTopic>, StoreError> {
    let mut stmt =
        conn.prepare_cached("SELECT id, name, query FROM tracked_topics ORDER BY name")?;
    let rows = stmt.query_map([], |r| {
        Ok(TrackedTopic {
            id: r.get(0)?,
            name: r.get(1)?,
            query: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// Save (or replace the query of) the tracked topic called `name`.
pub(crate) fn upsert(
    conn: &Connection,
    name: &str,
    query: &str,
) -> Result<TrackedTopic, StoreError> {
    conn.execute(
        "INSERT INTO tracked_topics (name, query, created_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (name) DO UPDATE SET query = excluded.query",
        params![name, query, chrono::Utc::now().timestamp_millis()],
    )?;
    let id = conn.query_row(
        "SELECT id FROM tracked_topics WHERE name = ?1",
        [name],
        |r| r.get(0),
    )?;
    Ok(TrackedTopic {
        id,
        name: name.to_string(),
        query: query.to_string(),
    })
}

/// Forget a tracked topic; `false` when there was none by that name.
pub(crate) fn remove(conn: &Connection, name: &str) -> Result<bool, StoreError> {
    let id: Option<i64> = conn
        .query_row(
            "SELECT id FROM tracked_topics WHERE name = ?1",
            [name],
            |r| r.get(0),
        )
        .optional()?;
    if id.is_some() {
        conn.execute("DELETE FROM tracked_topics WHERE name = ?1", [name])?;
    }
    Ok(id.is_some())
}
