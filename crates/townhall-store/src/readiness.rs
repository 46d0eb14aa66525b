//! Readiness assessments as taken, and the facts the data gives the questionnaire.

use crate::accounts::append_audit;
use crate::{AuditEntry, StoreError};
use rusqlite::{params, Connection};

/// One assessment as stored (answers and scores as the app's JSON).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessmentRow {
    pub id: i64,
    pub taken_at: i64,
    pub taken_by: String,
    pub answers_json: String,
    pub scores_json: String,
}

/// What the store can count for the questionnaire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReadinessCounts {
    /// Channels holding the public's posts.
    pub public_channels: u64,
    /// Consultations with staff taking part, plus ideas from employees.
    pub employee_pilots: u64,
    /// Staff accounts that acted on inbox cases, and all enabled staff accounts.
    pub staff_working: u64,
    pub staff_total: u64,
}

pub(crate) fn save(
    conn: &Connection,
    taken_by: &str,
    answers_json: &str,
    scores_json: &str,
    audit: &AuditEntry<'_>,
) -> Result<i64, StoreError> {
    let tx = conn.unchecked_transaction()?;
    tx.execute(
        "INSERT INTO readiness_assessments (taken_at, taken_by, answers, scores) VALUES (?1, ?2, ?3, ?4)",
        params![chrono::Utc::now().timestamp_millis(), taken_by, answers_json, scores_json],
    )?;
    let id = tx.last_insert_rowid();
    append_audit(&tx, audit)?;
    tx.commit()?;
    Ok(id)
}

pub(crate) fn list(conn: &Connection, limit: usize) -> Result<Vec<AssessmentRow>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, taken_at, taken_by, answers, scores FROM readiness_assessments
         ORDER BY id DESC LIMIT ?1",
    )?;
    let rows = stmt.query_map([limit as i64], |r| {
        Ok(AssessmentRow {
            id: r.get(0)?,
            taken_at: r.get(1)?,
            taken_by: r.get(2)?,
            answers_json: r.get(3)?,
            scores_json: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(crate) fn counts(conn: &Connection) -> Result<ReadinessCounts, StoreError> {
    let one = |sql: &str| -> Result<u64, StoreError> {
        Ok(conn.query_row(sql, [], |r| r.get::<_, i64>(0))?.max(0) as u64)
    };
    Ok(ReadinessCounts {
        public_channels: one("SELECT count(DISTINCT channel_id) FROM posts WHERE own = 0")?,
        employee_pilots: one(
            "SELECT (SELECT count(DISTINCT consultation_id) FROM consult_participants WHERE user_id IS NOT NULL)
                  + (SELECT count(*) FROM ideas WHERE source_kind = 'employee')",
        )?,
        staff_working: one(
            "SELECT count(DISTINCT actor_id) FROM case_events WHERE actor_id IS NOT NULL",
        )?,
        staff_total: one("SELECT count(*) FROM users WHERE disabled = 0")?,
    })
}

impl crate::Store {
    /// Keep an assessment (answers and scores as JSON), audited.
    pub fn save_assessment(
        &self,
        taken_by: &str,
        answers_json: &str,
        scores_json: &str,
        audit: &AuditEntry<'_>,
    ) -> Result<i64, StoreError> {
        save(
            self.lock_writer()?.conn(),
            taken_by,
            answers_json,
            scores_json,
            audit,
        )
    }

    /// The latest assessments, newest first.
    pub fn assessments(&self, limit: usize) -> Result<Vec<AssessmentRow>, StoreError> {
        self.readers.with(|c| list(c, limit))
    }

    pub fn readiness_counts(&self) -> Result<ReadinessCounts, StoreError> {
        self.readers.with(counts)
    }
}
