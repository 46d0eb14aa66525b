//! The inbox's settings: intake rules (which posts become cases), routing rules (which team gets them),
//! each team's service target and approval rule, and saved replies. Every change is audited in the
//! same transaction.

use crate::accounts::append_audit;
use crate::{AuditEntry, StoreError};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

/// Filters shared by intake and routing rules; every one that is set must match.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RuleFilters {
    /// A search query (Townhall's query language); empty matches everything.
    #[serde(default)]
    pub query: String,
    pub language: Option<String>,
    /// A channel kind (`mastodon`) or `kind:account`.
    pub channel: Option<String>,
    /// The name of a tracked topic.
    pub topic: Option<String>,
    /// Only posts at or below this sentiment (VADER compound, −1 to 1).
    pub max_sentiment: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IntakeRule {
    #[serde(default)]
    pub id: i64,
    #[serde(default)]
    pub position: i64,
    pub name: String,
    /// `question`, `mention` or `negative_spike`.
    pub trigger: String,
    #[serde(flatten)]
    pub filters: RuleFilters,
    pub enabled: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoutingRule {
    #[serde(default)]
    pub id: i64,
    #[serde(default)]
    pub position: i64,
    pub name: String,
    #[serde(flatten)]
    pub filters: RuleFilters,
    pub team: String,
}

/// A team's first-response target (in its business hours), and how it answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamSettings {
    pub team: String,
    pub first_response_minutes: u32,
    /// IANA time zone name.
    pub timezone: String,
    /// `mon-fri`, `all`, `mon,wed,fri`.
    pub days: String,
    /// `HH:MM`.
    pub day_start: String,
    pub day_end: String,
    /// Replies wait for a moderator's or an admin's approval before they go out.
    pub requires_approval: bool,
    pub max_reading_grade: f64,
}

impl TeamSettings {
    /// What a team without settings gets: 8 business hours, Monday to Friday 9 to 5 UTC.
    pub fn default_for(team: &str) -> TeamSettings {
        TeamSettings {
            team: team.to_string(),
            first_response_minutes: 480,
            timezone: "UTC".into(),
            days: "mon-fri".into(),
            day_start: "09:00".into(),
            day_end: "17:00".into(),
            requires_approval: false,
            max_reading_grade: 8.0,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedReply {
    #[serde(default)]
    pub id: i64,
    pub title: String,
    /// `None`: offered to every team.
    pub team: Option<String>,
    /// With placeholders such as `{author}`.
    pub body: String,
    /// `employees`: on trial with employees, never offered on a public case; `public`: in use.
    #[serde(default = "public_audience")]
    pub audience: String,
}

fn public_audience() -> String {
    "public".into()
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

fn filters_from_row(r: &Row<'_>, first: usize) -> rusqlite::Result<RuleFilters> {
    Ok(RuleFilters {
        query: r.get(first)?,
        language: r.get(first + 1)?,
        channel: r.get(first + 2)?,
        topic: r.get(first + 3)?,
        max_sentiment: r.get(first + 4)?,
    })
}

pub(crate) fn intake_rules(conn: &Connection) -> Result<Vec<IntakeRule>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, position, name, trigger, query, language, channel, topic, max_sentiment, enabled
         FROM intake_rules ORDER BY position, id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(IntakeRule {
            id: r.get(0)?,
            position: r.get(1)?,
            name: r.get(2)?,
            trigger: r.get(3)?,
            filters: filters_from_row(r, 4)?,
            enabled: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

pub(crate) fn routing_rules(conn: &Connection) -> Result<Vec<RoutingRule>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, position, name, query, language, channel, topic, max_sentiment, team
         FROM routing_rules ORDER BY position, id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(RoutingRule {
            id: r.get(0)?,
            position: r.get(1)?,
            name: r.get(2)?,
            filters: filters_from_row(r, 3)?,
            team: r.get(8)?,
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

fn next_position(conn: &Connection, table: &str) -> Result<i64, StoreError> {
    Ok(conn.query_row(
        &format!("SELECT COALESCE(max(position), 0) + 1 FROM {table}"),
        [],
        |r| r.get(0),
    )?)
}

/// Save (by name: create or replace) an intake rule.
pub(crate) fn save_intake_rule(
    conn: &Connection,
    rule: &IntakeRule,
    audit: &AuditEntry<'_>,
) -> Result<(), StoreError> {
    let tx = conn.unchecked_transaction()?;
    let position = if rule.position > 0 {
        rule.position
    } else {
        next_position(&tx, "intake_rules")?
    };
    let f = &rule.filters;
    tx.execute(
        "INSERT INTO intake_rules (position, name, trigger, query, language, channel, topic, max_sentiment,
                                   enabled, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT (name) DO UPDATE SET position = excluded.position, trigger = excluded.trigger,
             query = excluded.query, language = excluded.language, channel = excluded.channel,
             topic = excluded.topic, max_sentiment = excluded.max_sentiment, enabled = excluded.enabled",
        params![
            position,
            rule.name,
            rule.trigger,
            f.query,
            f.language,
            f.channel,
            f.topic,
            f.max_sentiment,
            rule.enabled,
            now_ms()
        ],
    )?;
    append_audit(&tx, audit)?;
    tx.commit()?;
    Ok(())
}

pub(crate) fn save_routing_rule(
    conn: &Connection,
    rule: &RoutingRule,
    audit: &AuditEntry<'_>,
) -> Result<(), StoreError> {
    let tx = conn.unchecked_transaction()?;
    let position = if rule.position > 0 {
        rule.position
    } else {
        next_position(&tx, "routing_rules")?
    };
    let f = &rule.filters;
    tx.execute(
        "INSERT INTO routing_rules (position, name, query, language, channel, topic, max_sentiment, team,
                                    created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (name) DO UPDATE SET position = excluded.position, query = excluded.query,
             language = excluded.language, channel = excluded.channel, topic = excluded.topic,
             max_sentiment = excluded.max_sentiment, team = excluded.team",
        params![
            position,
            rule.name,
            f.query,
            f.language,
            f.channel,
            f.topic,
            f.max_sentiment,
            rule.team,
            now_ms()
        ],
    )?;
    append_audit(&tx, audit)?;
    tx.commit()?;
    Ok(())
}

/// Remove a rule of either kind by name; `false` when there was none.
pub(crate) fn remove_rule(
    conn: &Connection,
    table: RuleTable,
    name: &str,
    audit: &AuditEntry<'_>,
) -> Result<bool, StoreError> {
    let tx = conn.unchecked_transaction()?;
    let sql = match table {
        RuleTable::Intake => "DELETE FROM intake_rules WHERE name = ?1",
        RuleTable::Routing => "DELETE FROM routing_rules WHERE name = ?1",
    };
    let removed = tx.execute(sql, [name])? > 0;
    if removed {
        append_audit(&tx, audit)?;
    }
    tx.commit()?;
    Ok(removed)
}

/// Which rules a removal is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleTable {
    Intake,
    Routing,
}

pub(crate) fn team_settings(
    conn: &Connection,
    team: &str,
) -> Result<Option<TeamSettings>, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT team, first_response_minutes, timezone, days, day_start, day_end, requires_approval,
                    max_reading_grade
             FROM team_settings WHERE team = ?1",
        )?
        .query_row([team], team_from_row)
        .optional()?)
}

fn team_from_row(r: &Row<'_>) -> rusqlite::Result<TeamSettings> {
    Ok(TeamSettings {
        team: r.get(0)?,
        first_response_minutes: r.get(1)?,
        timezone: r.get(2)?,
        days: r.get(3)?,
        day_start: r.get(4)?,
        day_end: r.get(5)?,
        requires_approval: r.get(6)?,
        max_reading_grade: r.get(7)?,
    })
}

pub(crate) fn all_team_settings(conn: &Connection) -> Result<Vec<TeamSettings>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT team, first_response_minutes, timezone, days, day_start, day_end, requires_approval,
                max_reading_grade
         FROM team_settings ORDER BY team",
    )?;
    let rows = stmt.query_map([], team_from_row)?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

pub(crate) fn save_team_settings(
    conn: &Connection,
    s: &TeamSettings,
    audit: &AuditEntry<'_>,
) -> Result<(), StoreError> {
    let tx = conn.unchecked_transaction()?;
    tx.execute(
        "INSERT INTO team_settings (team, first_response_minutes, timezone, days, day_start, day_end,
                                    requires_approval, max_reading_grade)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (team) DO UPDATE SET first_response_minutes = excluded.first_response_minutes,
             timezone = excluded.timezone, days = excluded.days, day_start = excluded.day_start,
             day_end = excluded.day_end, requires_approval = excluded.requires_approval,
             max_reading_grade = excluded.max_reading_grade",
        params![
            s.team,
            s.first_response_minutes,
            s.timezone,
            s.days,
            s.day_start,
            s.day_end,
            s.requires_approval,
            s.max_reading_grade
        ],
    )?;
    append_audit(&tx, audit)?;
    tx.commit()?;
    Ok(())
}

pub(crate) fn saved_replies(conn: &Connection) -> Result<Vec<SavedReply>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, title, team, body, audience FROM saved_replies ORDER BY title",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(SavedReply {
            id: r.get(0)?,
            title: r.get(1)?,
            team: r.get(2)?,
            body: r.get(3)?,
            audience: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

pub(crate) fn save_saved_reply(
    conn: &Connection,
    reply: &SavedReply,
    audit: &AuditEntry<'_>,
) -> Result<i64, StoreError> {
    let tx = conn.unchecked_transaction()?;
    tx.execute(
        "INSERT INTO saved_replies (title, team, body, created_at, audience) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (title) DO UPDATE SET team = excluded.team, body = excluded.body,
             audience = excluded.audience",
        params![reply.title, reply.team, reply.body, now_ms(), reply.audience],
    )?;
    let id = tx.query_row(
        "SELECT id FROM saved_replies WHERE title = ?1",
        [&reply.title],
        |r| r.get(0),
    )?;
    append_audit(&tx, audit)?;
    tx.commit()?;
    Ok(id)
}
