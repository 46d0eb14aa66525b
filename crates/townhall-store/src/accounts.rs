//! Staff accounts, teams, sessions and the append-only audit log. Every change to accounts is written in
//! the same transaction as its audit record, so the log cannot miss a change that happened.

use crate::StoreError;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;
use townhall_core::Role;

/// A stored account (the password hash stays inside the store and the app's verifier).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserRecord {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    #[serde(skip)]
    pub password_hash: String,
    pub role: Role,
    pub team: Option<String>,
    pub must_change_password: bool,
    pub disabled: bool,
    /// Milliseconds since the Unix epoch.
    pub created_at: i64,
}

/// An account to create.
#[derive(Debug, Clone)]
pub struct NewUserRecord<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub password_hash: &'a str,
    pub role: Role,
    /// Created when it does not exist yet.
    pub team: Option<&'a str>,
    pub must_change_password: bool,
}

/// A change to an account.
#[derive(Debug, Clone)]
pub enum UserChange<'a> {
    Role(Role),
    Team(Option<&'a str>),
    /// Disabling also ends the account's sessions.
    Disabled(bool),
    /// A new password hash; ends the account's other sessions.
    Password {
        hash: &'a str,
        must_change: bool,
    },
}

/// Who did what to what: one line of the audit log, as written.
#[derive(Debug, Clone, Copy)]
pub struct AuditEntry<'a> {
    /// `None` for Townhall itself (first-run set-up, expiry).
    pub actor_id: Option<i64>,
    pub actor: &'a str,
    pub action: &'a str,
    pub target: &'a str,
    pub detail: &'a str,
}

/// One line of the audit log, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditRecord {
    pub id: i64,
    /// Milliseconds since the Unix epoch.
    pub at: i64,
    pub actor_id: Option<i64>,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub detail: String,
}

/// A live session and its account.
#[derive(Debug, Clone)]
pub struct SessionRecord {
    pub user: UserRecord,
    pub csrf_token: String,
    pub expires_at: i64,
}

const USER_COLUMNS: &str = "u.id, u.username, u.display_name, u.password_hash, u.role, t.name,
    u.must_change_password, u.disabled, u.created_at";

fn user_from_row(row: &Row<'_>) -> rusqlite::Result<UserRecord> {
    let role: String = row.get(4)?;
    let role = role.parse::<Role>().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(4, rusqlite::types::Type::Text, Box::new(e))
    })?;
    Ok(UserRecord {
        id: row.get(0)?,
        username: row.get(1)?,
        display_name: row.get(2)?,
        password_hash: row.get(3)?,
        role,
        team: row.get(5)?,
        must_change_password: row.get(6)?,
        disabled: row.get(7)?,
        created_at: row.get(8)?,
    })
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

pub(crate) fn append_audit(conn: &Connection, entry: &AuditEntry<'_>) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO audit_log (at, actor_id, actor, action, target, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            now_ms(),
            entry.actor_id,
            entry.actor,
            entry.action,
            entry.target,
            entry.detail
        ],
    )?;
    Ok(())
}

fn team_id(conn: &Connection, name: Option<&str>) -> Result<Option<i64>, StoreError> {
    let Some(name) = name.map(str::trim).filter(|n| !n.is_empty()) else {
        return Ok(None);
    };
    conn.execute(
        "INSERT INTO teams (name, created_at) VALUES (?1, ?2) ON CONFLICT (name) DO NOTHING",
        params![name, now_ms()],
    )?;
    Ok(Some(conn.query_row(
        "SELECT id FROM teams WHERE name = ?1",
        [name],
        |r| r.get(0),
    )?))
}

pub(crate) fn user_count(conn: &Connection) -> Result<u64, StoreError> {
    Ok(conn.query_row("SELECT count(*) FROM users", [], |r| r.get(0))?)
}

pub(crate) fn create_user(
    conn: &Connection,
    new: &NewUserRecord<'_>,
    audit: &AuditEntry<'_>,
) -> Result<UserRecord, StoreError> {
    let tx = conn.unchecked_transaction()?;
    let exists: Option<i64> = tx
        .query_row(
            "SELECT id FROM users WHERE username = ?1",
            [new.username],
            |r| r.get(0),
        )
        .optional()?;
    if exists.is_some() {
        return Err(StoreError::Conflict(format!(
            "an account named {:?} exists already",
            new.username
        )));
    }
    let team = team_id(&tx, new.team)?;
    tx.execute(
        "INSERT INTO users (username, display_name, password_hash, role, team_id, must_change_password,
           disabled, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, ?7)",
        params![
            new.username,
            new.display_name,
            new.password_hash,
            new.role.as_str(),
            team,
            new.must_change_password,
            now_ms()
        ],
    )?;
    let id = tx.last_insert_rowid();
    append_audit(&tx, audit)?;
    let user = user_by_id(&tx, id)?.ok_or(StoreError::Conflict(format!(
        "account {:?} vanished while it was created",
        new.username
    )))?;
    tx.commit()?;
    Ok(user)
}

pub(crate) fn user_by_id(conn: &Connection, id: i64) -> Result<Option<UserRecord>, StoreError> {
    let sql = format!(
        "SELECT {USER_COLUMNS} FROM users u LEFT JOIN teams t ON t.id = u.team_id WHERE u.id = ?1"
    );
    Ok(conn.query_row(&sql, [id], user_from_row).optional()?)
}

pub(crate) fn user_by_name(
    conn: &Connection,
    username: &str,
) -> Result<Option<UserRecord>, StoreError> {
    let sql = format!(
        "SELECT {USER_COLUMNS} FROM users u LEFT JOIN teams t ON t.id = u.team_id
         WHERE u.username = ?1"
    );
    Ok(conn.query_row(&sql, [username], user_from_row).optional()?)
}

pub(crate) fn users(conn: &Connection) -> Result<Vec<UserRecord>, StoreError> {
    let sql = format!(
        "SELECT {USER_COLUMNS} FROM users u LEFT JOIN teams t ON t.id = u.team_id
         ORDER BY u.username"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([], user_from_row)?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

pub(crate) fn teams(conn: &Connection) -> Result<Vec<String>, StoreError> {
    let mut stmt = conn.prepare("SELECT name FROM teams ORDER BY name")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

pub(crate) fn change_user(
    conn: &Connection,
    user_id: i64,
    change: &UserChange<'_>,
    audit: &AuditEntry<'_>,
) -> Result<UserRecord, StoreError> {
    let tx = conn.unchecked_transaction()?;
    let changed = match change {
        UserChange::Role(role) => tx.execute(
            "UPDATE users SET role = ?2 WHERE id = ?1",
            params![user_id, role.as_str()],
        )?,
        UserChange::Team(team) => {
            let team = team_id(&tx, *team)?;
            tx.execute(
                "UPDATE users SET team_id = ?2 WHERE id = ?1",
                params![user_id, team],
            )?
        }
        UserChange::Disabled(disabled) => {
            if *disabled {
                tx.execute("DELETE FROM sessions WHERE user_id = ?1", [user_id])?;
            }
            tx.execute(
                "UPDATE users SET disabled = ?2 WHERE id = ?1",
                params![user_id, disabled],
            )?
        }
        UserChange::Password { hash, must_change } => {
            tx.execute("DELETE FROM sessions WHERE user_id = ?1", [user_id])?;
            tx.execute(
                "UPDATE users SET password_hash = ?2, must_change_password = ?3 WHERE id = ?1",
                params![user_id, hash, must_change],
            )?
        }
    };
    if changed == 0 {
        return Err(StoreError::NotFound(format!("account {user_id}")));
    }
    append_audit(&tx, audit)?;
    let user = user_by_id(&tx, user_id)?
        .ok_or_else(|| StoreError::NotFound(format!("account {user_id}")))?;
    tx.commit()?;
    Ok(user)
}

pub(crate) fn create_session(
    conn: &Connection,
    token_hash: &str,
    user_id: i64,
    csrf_token: &str,
    expires_at: i64,
    audit: &AuditEntry<'_>,
) -> Result<(), StoreError> {
    let tx = conn.unchecked_transaction()?;
    let now = now_ms();
    tx.execute("DELETE FROM sessions WHERE expires_at <= ?1", [now])?;
    tx.execute(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![token_hash, user_id, csrf_token, now, expires_at],
    )?;
    append_audit(&tx, audit)?;
    tx.commit()?;
    Ok(())
}

pub(crate) fn session(
    conn: &Connection,
    token_hash: &str,
    now: i64,
) -> Result<Option<SessionRecord>, StoreError> {
    let sql = format!(
        "SELECT {USER_COLUMNS}, s.csrf_token, s.expires_at FROM sessions s
           JOIN users u ON u.id = s.user_id LEFT JOIN teams t ON t.id = u.team_id
         WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND u.disabled = 0"
    );
    Ok(conn
        .query_row(&sql, params![token_hash, now], |row| {
            Ok(SessionRecord {
                user: user_from_row(row)?,
                csrf_token: row.get(9)?,
                expires_at: row.get(10)?,
            })
        })
        .optional()?)
}

/// End a session; `false` when there was none with that token.
pub(crate) fn end_session(
    conn: &Connection,
    token_hash: &str,
    audit: &AuditEntry<'_>,
) -> Result<bool, StoreError> {
    let tx = conn.unchecked_transaction()?;
    let ended = tx.execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash])? > 0;
    if ended {
        append_audit(&tx, audit)?;
    }
    tx.commit()?;
    Ok(ended)
}

/// Audit records, newest first: up to `limit` older than `before` (all when `None`).
pub(crate) fn audit_page(
    conn: &Connection,
    before: Option<i64>,
    limit: usize,
) -> Result<Vec<AuditRecord>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, at, actor_id, actor, action, target, detail FROM audit_log
         WHERE id < ?1 ORDER BY id DESC LIMIT ?2",
    )?;
    let rows = stmt.query_map(
        params![before.unwrap_or(i64::MAX), limit as i64],
        audit_from_row,
    )?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// Every audit record, oldest first, handed to `each` one at a time (for exports of any size).
pub(crate) fn audit_each(
    conn: &Connection,
    each: &mut dyn FnMut(AuditRecord) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let mut stmt = conn.prepare(
        "SELECT id, at, actor_id, actor, action, target, detail FROM audit_log ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        each(audit_from_row(row)?)?;
    }
    Ok(())
}

fn audit_from_row(row: &Row<'_>) -> rusqlite::Result<AuditRecord> {
    Ok(AuditRecord {
        id: row.get(0)?,
        at: row.get(1)?,
        actor_id: row.get(2)?,
        actor: row.get(3)?,
        action: row.get(4)?,
        target: row.get(5)?,
        detail: row.get(6)?,
    })
}
