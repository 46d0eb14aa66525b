//! Idea campaigns: a call for ideas on one question, with employees first, then the public, then
//! closed; the ideas answering it carry its id.

use crate::accounts::append_audit;
use crate::{AuditEntry, StoreError};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;

/// A campaign to store.
#[derive(Debug, Clone)]
pub struct NewCampaign<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub question: &'a str,
    pub strategy: Option<&'a str>,
    pub created_by: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CampaignRow {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub question: String,
    /// `employees`, `public` or `closed`.
    pub audience: String,
    pub strategy: Option<String>,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
    /// Ideas answering it (not merged into another), and of those adopted.
    pub ideas: u64,
    pub adopted: u64,
}

const COLUMNS: &str = "c.id, c.slug, c.title, c.question, c.audience, c.strategy, c.created_by,
    c.created_at, c.updated_at,
    (SELECT count(*) FROM ideas i WHERE i.campaign_id = c.id AND i.merged_into IS NULL),
    (SELECT count(*) FROM ideas i WHERE i.campaign_id = c.id AND i.merged_into IS NULL
        AND i.stage = 'adopted')";

fn from_row(r: &Row<'_>) -> rusqlite::Result<CampaignRow> {
    Ok(CampaignRow {
        id: r.get(0)?,
        slug: r.get(1)?,
        title: r.get(2)?,
        question: r.get(3)?,
        audience: r.get(4)?,
        strategy: r.get(5)?,
        created_by: r.get(6)?,
        created_at: r.get(7)?,
        updated_at: r.get(8)?,
        ideas: r.get::<_, i64>(9)?.max(0) as u64,
        adopted: r.get::<_, i64>(10)?.max(0) as u64,
    })
}

fn create(
    conn: &Connection,
    c: &NewCampaign<'_>,
    audit: &AuditEntry<'_>,
) -> Result<i64, StoreError> {
    let tx = conn.unchecked_transaction()?;
    let taken: Option<i64> = tx
        .query_row(
            "SELECT id FROM idea_campaigns WHERE slug = ?1",
            [c.slug],
            |r| r.get(0),
        )
        .optional()?;
    if taken.is_some() {
        return Err(StoreError::Conflict(format!(
            "an idea campaign at {:?} exists already",
            c.slug
        )));
    }
    let now = chrono::Utc::now().timestamp_millis();
    tx.execute(
        "INSERT INTO idea_campaigns (slug, title, question, strategy, created_by, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
        params![c.slug, c.title, c.question, c.strategy, c.created_by, now],
    )?;
    let id = tx.last_insert_rowid();
    append_audit(&tx, audit)?;
    tx.commit()?;
    Ok(id)
}

impl crate::Store {
    pub fn create_campaign(
        &self,
        c: &NewCampaign<'_>,
        audit: &AuditEntry<'_>,
    ) -> Result<i64, StoreError> {
        create(self.lock_writer()?.conn(), c, audit)
    }

    pub fn campaigns(&self) -> Result<Vec<CampaignRow>, StoreError> {
        self.readers.with(|conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM idea_campaigns c ORDER BY c.id"
            ))?;
            let rows = stmt.query_map([], from_row)?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    /// A campaign by its address (slug) or its number.
    pub fn campaign(&self, key: &str) -> Result<Option<CampaignRow>, StoreError> {
        self.readers.with(|conn| {
            Ok(conn
                .query_row(
                    &format!(
                        "SELECT {COLUMNS} FROM idea_campaigns c
                         WHERE c.slug = ?1 OR CAST(c.id AS TEXT) = ?1"
                    ),
                    [key],
                    from_row,
                )
                .optional()?)
        })
    }

    /// Moves a campaign to another audience; false when it does not exist.
    pub fn set_campaign_audience(
        &self,
        id: i64,
        audience: &str,
        audit: &AuditEntry<'_>,
    ) -> Result<bool, StoreError> {
        let writer = self.lock_writer()?;
        let tx = writer.conn().unchecked_transaction()?;
        let n = tx.execute(
            "UPDATE idea_campaigns SET audience = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, audience, chrono::Utc::now().timestamp_millis()],
        )?;
        if n == 1 {
            append_audit(&tx, audit)?;
        }
        tx.commit()?;
        Ok(n == 1)
    }
}
