//! Consultations: their settings, statements (with moderation), participants and current votes.
//! Organisers' changes are written with their audit record in one transaction; votes are the hot path
//! and are one small upsert each.

use crate::accounts::append_audit;
use crate::{AuditEntry, StoreError};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;

/// A consultation to create.
#[derive(Debug, Clone)]
pub struct NewConsultation<'a> {
    pub slug: &'a str,
    pub question: &'a str,
    pub description: &'a str,
    pub moderation: &'a str,
    pub phase: &'a str,
    pub languages: &'a str,
    pub accept_statements: bool,
    pub share_token: &'a str,
    pub strategy: Option<&'a str>,
    pub created_by: &'a str,
}

/// A consultation as stored, with its counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConsultationRow {
    pub id: i64,
    pub slug: String,
    pub question: String,
    pub description: String,
    pub moderation: String,
    pub phase: String,
    pub languages: String,
    pub accept_statements: bool,
    #[serde(skip)]
    pub share_token: String,
    pub strategy: Option<String>,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub participants: u64,
    pub statements: u64,
    pub pending: u64,
    pub votes: u64,
}

/// A change of a consultation's settings; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct ConsultationChange<'a> {
    pub question: Option<&'a str>,
    pub description: Option<&'a str>,
    pub moderation: Option<&'a str>,
    pub phase: Option<&'a str>,
    pub languages: Option<&'a str>,
    pub accept_statements: Option<bool>,
    pub strategy: Option<Option<&'a str>>,
}

/// A statement to add.
#[derive(Debug, Clone)]
pub struct NewStatement<'a> {
    pub text: &'a str,
    /// `seed`, `participant` or `imported`.
    pub origin: &'a str,
    pub participant_id: Option<i64>,
    /// `pending` or `accepted`.
    pub status: &'a str,
    pub flags: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatementRow {
    pub id: i64,
    pub consultation_id: i64,
    pub text: String,
    pub origin: String,
    pub participant_id: Option<i64>,
    pub status: String,
    pub flags: String,
    pub moderated_by: Option<String>,
    pub moderated_at: Option<i64>,
    pub created_at: i64,
}

/// What adding statements did: the ids of new ones in input order (`None` for a text already there).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AddedStatements {
    pub ids: Vec<Option<i64>>,
}

impl AddedStatements {
    pub fn added(&self) -> usize {
        self.ids.iter().filter(|i| i.is_some()).count()
    }
    pub fn duplicates(&self) -> usize {
        self.ids.len() - self.added()
    }
}

/// One current vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct VoteRow {
    pub participant_id: i64,
    pub statement_id: i64,
    pub vote: i8,
    pub voted_at: i64,
}

/// A vote to record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewVote {
    pub consultation_id: i64,
    pub participant_id: i64,
    pub statement_id: i64,
    pub vote: i8,
    pub voted_at: i64,
}

/// One day of participation: participants who joined, and current votes cast that day (the store gives
/// the joins; the votes come from the consultation's results).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParticipationDay {
    pub day: String,
    pub new_participants: u64,
    pub votes: u64,
}

const CONSULTATION_COLUMNS: &str = "c.id, c.slug, c.question, c.description, c.moderation, c.phase,
    c.languages, c.accept_statements, c.share_token, c.strategy, c.created_by, c.created_at, c.updated_at,
    (SELECT count(*) FROM consult_participants p WHERE p.consultation_id = c.id),
    (SELECT count(*) FROM consult_statements s WHERE s.consultation_id = c.id AND s.status = 'accepted'),
    (SELECT count(*) FROM consult_statements s WHERE s.consultation_id = c.id AND s.status = 'pending'),
    (SELECT count(*) FROM consult_votes v WHERE v.consultation_id = c.id)";

/// The same columns without the counts (zero), for the paths that run on every vote.
const CONSULTATION_SETTINGS: &str = "c.id, c.slug, c.question, c.description, c.moderation, c.phase,
    c.languages, c.accept_statements, c.share_token, c.strategy, c.created_by, c.created_at, c.updated_at,
    0, 0, 0, 0";

fn consultation_from_row(r: &Row<'_>) -> rusqlite::Result<ConsultationRow> {
    Ok(ConsultationRow {
        id: r.get(0)?,
        slug: r.get(1)?,
        question: r.get(2)?,
        description: r.get(3)?,
        moderation: r.get(4)?,
        phase: r.get(5)?,
        languages: r.get(6)?,
        accept_statements: r.get(7)?,
        share_token: r.get(8)?,
        strategy: r.get(9)?,
        created_by: r.get(10)?,
        created_at: r.get(11)?,
        updated_at: r.get(12)?,
        participants: r.get::<_, i64>(13)? as u64,
        statements: r.get::<_, i64>(14)? as u64,
        pending: r.get::<_, i64>(15)? as u64,
        votes: r.get::<_, i64>(16)? as u64,
    })
}

const STATEMENT_COLUMNS: &str = "id, consultation_id, text, origin, participant_id, status, flags,
    moderated_by, moderated_at, created_at";

fn statement_from_row(r: &Row<'_>) -> rusqlite::Result<StatementRow> {
    Ok(StatementRow {
        id: r.get(0)?,
        consultation_id: r.get(1)?,
        text: r.get(2)?,
        origin: r.get(3)?,
        participant_id: r.get(4)?,
        status: r.get(5)?,
        flags: r.get(6)?,
        moderated_by: r.get(7)?,
        moderated_at: r.get(8)?,
        created_at: r.get(9)?,
    })
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

pub(crate) fn create(
    conn: &Connection,
    new: &NewConsultation<'_>,
    audit: &AuditEntry<'_>,
) -> Result<i64, StoreError> {
    let tx = conn.unchecked_transaction()?;
    let now = now_ms();
    let taken: bool = tx
        .query_row(
            "SELECT 1 FROM consultations WHERE slug = ?1",
            [new.slug],
            |_| Ok(true),
        )
        .optional()?
        .unwrap_or(false);
    if taken {
        return Err(StoreError::Conflict(format!(
            "the address /c/{} is taken by another consultation",
            new.slug
        )));
    }
    tx.execute(
        "INSERT INTO consultations (slug, question, description, moderation, phase, languages,
             accept_statements, share_token, strategy, created_by, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)",
        params![
            new.slug,
            new.question,
            new.description,
            new.moderation,
            new.phase,
            new.languages,
            new.accept_statements,
            new.share_token,
            new.strategy,
            new.created_by,
            now
        ],
    )?;
    let id = tx.last_insert_rowid();
    append_audit(&tx, audit)?;
    tx.commit()?;
    Ok(id)
}

pub(crate) fn by_id(conn: &Connection, id: i64) -> Result<Option<ConsultationRow>, StoreError> {
    Ok(conn
        .query_row(
            &format!("SELECT {CONSULTATION_COLUMNS} FROM consultations c WHERE c.id = ?1"),
            [id],
            consultation_from_row,
        )
        .optional()?)
}

pub(crate) fn settings_by_id(
    conn: &Connection,
    id: i64,
) -> Result<Option<ConsultationRow>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {CONSULTATION_SETTINGS} FROM consultations c WHERE c.id = ?1"
    ))?;
    Ok(stmt.query_row([id], consultation_from_row).optional()?)
}

pub(crate) fn by_slug(
    conn: &Connection,
    slug: &str,
) -> Result<Option<ConsultationRow>, StoreError> {
    Ok(conn
        .query_row(
            &format!("SELECT {CONSULTATION_SETTINGS} FROM consultations c WHERE c.slug = ?1"),
            [slug],
            consultation_from_row,
        )
        .optional()?)
}

pub(crate) fn by_share_token(
    conn: &Connection,
    token: &str,
) -> Result<Option<ConsultationRow>, StoreError> {
    // Short or empty tokens never match (every stored token is 36 hex digits).
    if token.len() < 32 {
        return Ok(None);
    }
    Ok(conn
        .query_row(
            &format!(
                "SELECT {CONSULTATION_SETTINGS} FROM consultations c WHERE c.share_token = ?1"
            ),
            [token],
            consultation_from_row,
        )
        .optional()?)
}

pub(crate) fn list_settings(conn: &Connection) -> Result<Vec<ConsultationRow>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {CONSULTATION_SETTINGS} FROM consultations c ORDER BY c.id"
    ))?;
    let rows = stmt.query_map([], consultation_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(crate) fn list(conn: &Connection) -> Result<Vec<ConsultationRow>, StoreError> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {CONSULTATION_COLUMNS} FROM consultations c ORDER BY c.id DESC"
    ))?;
    let rows = stmt.query_map([], consultation_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(crate) fn change(
    conn: &Connection,
    id: i64,
    change: &ConsultationChange<'_>,
    audit: &AuditEntry<'_>,
) -> Result<bool, StoreError> {
    let tx = conn.unchecked_transaction()?;
    let now = now_ms();
    let n = tx.execute(
        "UPDATE consultations SET
             question = coalesce(?2, question),
             description = coalesce(?3, description),
             moderation = coalesce(?4, moderation),
             phase = coalesce(?5, phase),
             languages = coalesce(?6, languages),
             accept_statements = coalesce(?7, accept_statements),
             strategy = CASE WHEN ?8 THEN ?9 ELSE strategy END,
             updated_at = ?10
         WHERE id = ?1",
        params![
            id,
            change.question,
            change.description,
            change.moderation,
            change.phase,
            change.languages,
            change.accept_statements,
            change.strategy.is_some(),
            change.strategy.flatten(),
            now
        ],
    )?;
    if n == 1 {
        append_audit(&tx, audit)?;
    }
    tx.commit()?;
    Ok(n == 1)
}

pub(crate) fn add_statements(
    conn: &Connection,
    consultation_id: i64,
    statements: &[NewStatement<'_>],
    audit: Option<&AuditEntry<'_>>,
) -> Result<AddedStatements, StoreError> {
    let tx = conn.unchecked_transaction()?;
    let now = now_ms();
    let mut ids = Vec::with_capacity(statements.len());
    {
        let mut insert = tx.prepare_cached(
            "INSERT INTO consult_statements (consultation_id, text, origin, participant_id, status,
                 flags, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT (consultation_id, text) DO NOTHING",
        )?;
        for s in statements {
            let n = insert.execute(params![
                consultation_id,
                s.text,
                s.origin,
                s.participant_id,
                s.status,
                s.flags,
                now
            ])?;
            ids.push((n == 1).then(|| tx.last_insert_rowid()));
        }
    }
    if let Some(audit) = audit {
        append_audit(&tx, audit)?;
    }
    tx.commit()?;
    Ok(AddedStatements { ids })
}

pub(crate) fn statements(
    conn: &Connection,
    consultation_id: i64,
    status: Option<&str>,
) -> Result<Vec<StatementRow>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {STATEMENT_COLUMNS} FROM consult_statements
         WHERE consultation_id = ?1 AND (?2 IS NULL OR status = ?2) ORDER BY id"
    ))?;
    let rows = stmt.query_map(params![consultation_id, status], statement_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(crate) fn statement(conn: &Connection, id: i64) -> Result<Option<StatementRow>, StoreError> {
    Ok(conn
        .query_row(
            &format!("SELECT {STATEMENT_COLUMNS} FROM consult_statements WHERE id = ?1"),
            [id],
            statement_from_row,
        )
        .optional()?)
}

/// Accept or reject a statement; false when it is not in this consultation.
pub(crate) fn moderate(
    conn: &Connection,
    consultation_id: i64,
    statement_id: i64,
    status: &str,
    by: &str,
    audit: &AuditEntry<'_>,
) -> Result<bool, StoreError> {
    let tx = conn.unchecked_transaction()?;
    let n = tx.execute(
        "UPDATE consult_statements SET status = ?3, moderated_by = ?4, moderated_at = ?5
         WHERE id = ?2 AND consultation_id = ?1",
        params![consultation_id, statement_id, status, by, now_ms()],
    )?;
    if n == 1 {
        append_audit(&tx, audit)?;
    }
    tx.commit()?;
    Ok(n == 1)
}

/// A new participant, or the one already known by this external id or account.
pub(crate) fn participant(
    conn: &Connection,
    consultation_id: i64,
    external_id: Option<&str>,
    user_id: Option<i64>,
) -> Result<i64, StoreError> {
    let tx = conn.unchecked_transaction()?;
    let known: Option<i64> = match (external_id, user_id) {
        (Some(x), _) => tx
            .query_row(
                "SELECT id FROM consult_participants WHERE consultation_id = ?1 AND external_id = ?2",
                params![consultation_id, x],
                |r| r.get(0),
            )
            .optional()?,
        (None, Some(u)) => tx
            .query_row(
                "SELECT id FROM consult_participants WHERE consultation_id = ?1 AND user_id = ?2",
                params![consultation_id, u],
                |r| r.get(0),
            )
            .optional()?,
        (None, None) => None,
    };
    let id = match known {
        Some(id) => id,
        None => {
            tx.execute(
                "INSERT INTO consult_participants (consultation_id, external_id, user_id, created_at)
                 VALUES (?1, ?2, ?3, ?4)",
                params![consultation_id, external_id, user_id, now_ms()],
            )?;
            tx.last_insert_rowid()
        }
    };
    tx.commit()?;
    Ok(id)
}

/// Participants known by external ids (an import), made in one transaction; ids in input order.
pub(crate) fn participants_in_bulk(
    conn: &Connection,
    consultation_id: i64,
    external_ids: &[String],
) -> Result<Vec<i64>, StoreError> {
    let tx = conn.unchecked_transaction()?;
    let now = now_ms();
    let mut ids = Vec::with_capacity(external_ids.len());
    {
        let mut insert = tx.prepare_cached(
            "INSERT INTO consult_participants (consultation_id, external_id, created_at)
             VALUES (?1, ?2, ?3)
             ON CONFLICT (consultation_id, external_id) DO UPDATE SET external_id = excluded.external_id
             RETURNING id",
        )?;
        for x in external_ids {
            ids.push(insert.query_row(params![consultation_id, x, now], |r| r.get(0))?);
        }
    }
    tx.commit()?;
    Ok(ids)
}

/// Record one vote, replacing the participant's earlier vote on the statement. False when the statement
/// is not open to votes in this consultation (unknown, pending or rejected).
pub(crate) fn vote(conn: &Connection, vote: &NewVote) -> Result<bool, StoreError> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO consult_votes (participant_id, statement_id, consultation_id, vote, voted_at)
         SELECT ?1, s.id, s.consultation_id, ?3, ?4 FROM consult_statements s
         WHERE s.id = ?2 AND s.consultation_id = ?5 AND s.status = 'accepted'
         ON CONFLICT (participant_id, statement_id) DO UPDATE
             SET vote = excluded.vote, voted_at = excluded.voted_at",
    )?;
    let n = stmt.execute(params![
        vote.participant_id,
        vote.statement_id,
        vote.vote,
        vote.voted_at,
        vote.consultation_id
    ])?;
    Ok(n == 1)
}

/// Record many votes in one transaction (imports from another system, whose moderation decisions
/// came after the votes: votes on rejected statements are kept, as the export has them). A later vote
/// on the same cell replaces an earlier one. Returns how many were recorded.
pub(crate) fn votes_in_bulk(conn: &Connection, votes: &[NewVote]) -> Result<usize, StoreError> {
    let tx = conn.unchecked_transaction()?;
    let mut recorded = 0;
    {
        let mut stmt = tx.prepare_cached(
            "INSERT INTO consult_votes (participant_id, statement_id, consultation_id, vote, voted_at)
             SELECT ?1, s.id, s.consultation_id, ?3, ?4 FROM consult_statements s
             WHERE s.id = ?2 AND s.consultation_id = ?5
             ON CONFLICT (participant_id, statement_id) DO UPDATE
                 SET vote = excluded.vote, voted_at = excluded.voted_at
                 WHERE excluded.voted_at >= consult_votes.voted_at",
        )?;
        for v in votes {
            recorded += stmt.execute(params![
                v.participant_id,
                v.statement_id,
                v.vote,
                v.voted_at,
                v.consultation_id
            ])?;
        }
    }
    tx.commit()?;
    Ok(recorded)
}

pub(crate) fn all_votes(
    conn: &Connection,
    consultation_id: i64,
) -> Result<Vec<VoteRow>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT participant_id, statement_id, vote, voted_at FROM consult_votes
         WHERE consultation_id = ?1 ORDER BY voted_at, participant_id, statement_id",
    )?;
    let rows = stmt.query_map([consultation_id], |r| {
        Ok(VoteRow {
            participant_id: r.get(0)?,
            statement_id: r.get(1)?,
            vote: r.get(2)?,
            voted_at: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(crate) fn participant_votes(
    conn: &Connection,
    participant_id: i64,
) -> Result<Vec<VoteRow>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT participant_id, statement_id, vote, voted_at FROM consult_votes
         WHERE participant_id = ?1 ORDER BY statement_id",
    )?;
    let rows = stmt.query_map([participant_id], |r| {
        Ok(VoteRow {
            participant_id: r.get(0)?,
            statement_id: r.get(1)?,
            vote: r.get(2)?,
            voted_at: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(crate) fn participation(
    conn: &Connection,
    consultation_id: i64,
) -> Result<Vec<ParticipationDay>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT date(created_at / 1000, 'unixepoch') AS day, count(*)
         FROM consult_participants WHERE consultation_id = ?1 GROUP BY day ORDER BY day",
    )?;
    let rows = stmt.query_map([consultation_id], |r| {
        Ok(ParticipationDay {
            day: r.get(0)?,
            new_participants: r.get::<_, i64>(1)? as u64,
            votes: 0,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The store's consultation operations: reads go to the reader pool, writes through the one writer.
impl crate::Store {
    pub fn create_consultation(
        &self,
        new: &NewConsultation<'_>,
        audit: &AuditEntry<'_>,
    ) -> Result<i64, StoreError> {
        create(self.lock_writer()?.conn(), new, audit)
    }

    pub fn consultation(&self, id: i64) -> Result<Option<ConsultationRow>, StoreError> {
        self.readers.with(|c| by_id(c, id))
    }

    /// A consultation's settings without its counts (cheap: read on every vote).
    pub fn consultation_settings(&self, id: i64) -> Result<Option<ConsultationRow>, StoreError> {
        self.readers.with(|c| settings_by_id(c, id))
    }

    /// A consultation's settings by its address, without counts.
    pub fn consultation_by_slug(&self, slug: &str) -> Result<Option<ConsultationRow>, StoreError> {
        self.readers.with(|c| by_slug(c, slug))
    }

    /// The consultation whose read-only report this secret opens.
    pub fn consultation_by_share_token(
        &self,
        token: &str,
    ) -> Result<Option<ConsultationRow>, StoreError> {
        self.readers.with(|c| by_share_token(c, token))
    }

    /// Every consultation's settings, without counts (cheap: read every second by the updater).
    pub fn consultation_settings_all(&self) -> Result<Vec<ConsultationRow>, StoreError> {
        self.readers.with(list_settings)
    }

    pub fn consultations(&self) -> Result<Vec<ConsultationRow>, StoreError> {
        self.readers.with(list)
    }

    pub fn change_consultation(
        &self,
        id: i64,
        change: &ConsultationChange<'_>,
        audit: &AuditEntry<'_>,
    ) -> Result<bool, StoreError> {
        self::change(self.lock_writer()?.conn(), id, change, audit)
    }

    pub fn add_statements(
        &self,
        consultation_id: i64,
        statements: &[NewStatement<'_>],
        audit: Option<&AuditEntry<'_>>,
    ) -> Result<AddedStatements, StoreError> {
        add_statements(
            self.lock_writer()?.conn(),
            consultation_id,
            statements,
            audit,
        )
    }

    /// A consultation's statements, all or those with one status.
    pub fn statements(
        &self,
        consultation_id: i64,
        status: Option<&str>,
    ) -> Result<Vec<StatementRow>, StoreError> {
        self.readers
            .with(|c| statements(c, consultation_id, status))
    }

    pub fn statement(&self, id: i64) -> Result<Option<StatementRow>, StoreError> {
        self.readers.with(|c| statement(c, id))
    }

    pub fn moderate_statement(
        &self,
        consultation_id: i64,
        statement_id: i64,
        status: &str,
        by: &str,
        audit: &AuditEntry<'_>,
    ) -> Result<bool, StoreError> {
        moderate(
            self.lock_writer()?.conn(),
            consultation_id,
            statement_id,
            status,
            by,
            audit,
        )
    }

    pub fn consult_participant(
        &self,
        consultation_id: i64,
        external_id: Option<&str>,
        user_id: Option<i64>,
    ) -> Result<i64, StoreError> {
        participant(
            self.lock_writer()?.conn(),
            consultation_id,
            external_id,
            user_id,
        )
    }

    /// Participants known by these external ids (made when new), in input order.
    pub fn consult_participants(
        &self,
        consultation_id: i64,
        external_ids: &[String],
    ) -> Result<Vec<i64>, StoreError> {
        participants_in_bulk(self.lock_writer()?.conn(), consultation_id, external_ids)
    }

    /// Record one vote; false when the statement is not open to votes in that consultation.
    pub fn record_vote(&self, vote: &NewVote) -> Result<bool, StoreError> {
        self::vote(self.lock_writer()?.conn(), vote)
    }

    pub fn record_votes(&self, votes: &[NewVote]) -> Result<usize, StoreError> {
        votes_in_bulk(self.lock_writer()?.conn(), votes)
    }

    pub fn consultation_votes(&self, consultation_id: i64) -> Result<Vec<VoteRow>, StoreError> {
        self.readers.with(|c| all_votes(c, consultation_id))
    }

    pub fn participant_votes(&self, participant_id: i64) -> Result<Vec<VoteRow>, StoreError> {
        self.readers.with(|c| participant_votes(c, participant_id))
    }

    /// Participants who joined, per UTC day (`votes` left at 0).
    pub fn participation(&self, consultation_id: i64) -> Result<Vec<ParticipationDay>, StoreError> {
        self.readers.with(|c| participation(c, consultation_id))
    }

    /// A 32-byte secret kept in the store under `name` (made on first use), for signing cookies.
    pub fn secret(&self, name: &str) -> Result<[u8; 32], StoreError> {
        crate::pseudonym::load_or_create_named_key(self.lock_writer()?.conn(), name)
    }
}
