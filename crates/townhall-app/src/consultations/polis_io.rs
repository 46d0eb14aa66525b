//! Moving a consultation between Pol.is and Townhall: import an export folder as a (closed)
//! consultation, and write a consultation as a Pol.is export folder.

use super::setup::get;
use super::{Consultations, Moderation, Phase};
use crate::actor::Actor;
use crate::consult::read_polis_folder;
use crate::AppError;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use townhall_consult::polis_format::{StatementRecord, Summary};
use townhall_consult::{Export, VoteEvent};
use townhall_core::Permission;
use townhall_store::{ConsultationRow, NewStatement, NewVote, Store};

/// What an import made.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ImportedConsultation {
    pub consultation: ConsultationRow,
    pub statements: usize,
    pub participants: usize,
    pub votes: usize,
    /// Pol.is participant id → Townhall participant id.
    #[serde(skip)]
    pub participant_ids: BTreeMap<i64, i64>,
    /// Pol.is statement id → Townhall statement id.
    #[serde(skip)]
    pub statement_ids: BTreeMap<i64, i64>,
}

/// Import a Pol.is export folder (comments.csv, votes.csv; summary.csv when present) as a new,
/// closed consultation: its statements with their moderation, its participants (external id
/// `polis:<id>`) and their latest votes with the original times.
pub fn import_polis(
    store: &Store,
    consultations: &Consultations,
    actor: &Actor,
    dir: &Path,
    slug: Option<&str>,
) -> Result<ImportedConsultation, AppError> {
    actor.require(Permission::RunConsultations)?;
    let export = read_polis_folder(dir)?;
    let summary = export.summary.clone().unwrap_or_default();
    let folder = dir
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "Pol.is conversation".into());
    let question = summary
        .topic()
        .filter(|t| !t.trim().is_empty())
        .unwrap_or(&folder)
        .chars()
        .take(300)
        .collect::<String>();
    let mut settings = super::ConsultationSettings::new(&question);
    settings.description = summary
        .description()
        .unwrap_or_default()
        .chars()
        .take(5_000)
        .collect();
    settings.moderation = Moderation::ApproveFirst;
    settings.slug = slug.map(str::to_string);
    let (row, _) = super::setup::create(store, actor, &settings, &[])?;

    // Statements: texts are unique per consultation, so a repeated text keeps its Pol.is id beside it.
    let mut seen = std::collections::HashSet::new();
    let texts: Vec<String> = export
        .comments
        .iter()
        .map(|c| {
            let body = c.body.trim().to_string();
            if seen.insert(body.clone()) {
                body
            } else {
                format!("{body} (Pol.is statement {})", c.comment_id)
            }
        })
        .collect();
    let new: Vec<NewStatement<'_>> = export
        .comments
        .iter()
        .zip(&texts)
        .map(|(c, text)| NewStatement {
            text,
            origin: if c.is_seed { "seed" } else { "imported" },
            participant_id: None,
            status: if c.is_excluded() {
                "rejected"
            } else {
                "accepted"
            },
            flags: if c.is_meta { "meta" } else { "" },
        })
        .collect();
    let detail = format!("Pol.is export {}", dir.display());
    let added = store.add_statements(
        row.id,
        &new,
        Some(&actor.audit(
            "consultation.import",
            &format!("consultation:{}", row.id),
            &detail,
        )),
    )?;
    let statement_ids: BTreeMap<i64, i64> = export
        .comments
        .iter()
        .zip(&added.ids)
        .filter_map(|(c, id)| id.map(|id| (c.comment_id, id)))
        .collect();

    let events = export.vote_events();
    let polis_participants: Vec<i64> = events
        .iter()
        .map(|e| e.participant_id)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let external: Vec<String> = polis_participants
        .iter()
        .map(|p| format!("polis:{p}"))
        .collect();
    let ids = store.consult_participants(row.id, &external)?;
    let participant_ids: BTreeMap<i64, i64> = polis_participants.into_iter().zip(ids).collect();
    let mut votes: Vec<NewVote> = events
        .iter()
        .filter_map(|e| {
            Some(NewVote {
                consultation_id: row.id,
                participant_id: *participant_ids.get(&e.participant_id)?,
                statement_id: *statement_ids.get(&e.statement_id)?,
                vote: e.vote,
                voted_at: e.timestamp_ms,
            })
        })
        .collect();
    votes.sort_by_key(|v| v.voted_at);
    store.record_votes(&votes)?;
    consultations.live.reload(row.id);
    let consultation = store
        .consultation(row.id)?
        .ok_or_else(|| AppError::Invalid("the imported consultation vanished".into()))?;
    let imported = ImportedConsultation {
        votes: consultation.votes as usize,
        statements: statement_ids.len(),
        participants: participant_ids.len(),
        consultation,
        participant_ids,
        statement_ids,
    };
    // Imported conversations are finished ones: closed, results open to staff.
    super::setup::set_phase(store, actor, row.id, Phase::Closed)?;
    Ok(ImportedConsultation {
        consultation: get(store, row.id)?,
        ..imported
    })
}

/// Write a consultation as a Pol.is export folder: comments.csv, votes.csv, participants-votes.csv
/// (with Townhall's groups) and summary.csv.
pub fn export_polis(
    store: &Store,
    consultations: &Consultations,
    actor: &Actor,
    consultation_id: i64,
    dir: &Path,
) -> Result<Export, AppError> {
    actor.require(Permission::Read)?;
    let consultation = get(store, consultation_id)?;
    let statements: Vec<StatementRecord> = store
        .statements(consultation_id, None)?
        .into_iter()
        .map(|s| StatementRecord {
            id: s.id,
            author_id: s.participant_id.unwrap_or(0),
            timestamp_ms: s.created_at,
            moderated: match s.status.as_str() {
                "accepted" => 1,
                "rejected" => -1,
                _ => 0,
            },
            is_meta: s.flags == "meta",
            is_seed: s.origin == "seed",
            body: s.text,
        })
        .collect();
    let events: Vec<VoteEvent> = store
        .consultation_votes(consultation_id)?
        .into_iter()
        .map(|v| VoteEvent {
            participant_id: v.participant_id,
            statement_id: v.statement_id,
            vote: v.vote,
            timestamp_ms: v.voted_at,
        })
        .collect();
    let live = consultations.computing(|| consultations.live.current(store, consultation_id))?;
    let mut summary = Summary::default();
    summary.set("topic", consultation.question.clone());
    summary.set("url", format!("/c/{}", consultation.slug));
    summary.set("description", consultation.description.clone());
    let export = Export::from_consultation(
        &statements,
        &events,
        live.as_ref().map(|r| &r.analysis),
        Some(summary),
    )
    .map_err(|e| AppError::Invalid(format!("consultation {consultation_id}: {e}")))?;
    std::fs::create_dir_all(dir)
        .map_err(|e| AppError::Invalid(format!("{}: {e}", dir.display())))?;
    let create = |name: &str| -> Result<BufWriter<File>, AppError> {
        File::create(dir.join(name))
            .map(BufWriter::new)
            .map_err(|e| AppError::Invalid(format!("{}: {e}", dir.join(name).display())))
    };
    let (mut comments, mut votes) = (create("comments.csv")?, create("votes.csv")?);
    let (mut participants, mut summary_out) =
        (create("participants-votes.csv")?, create("summary.csv")?);
    townhall_consult::write_export(
        &export,
        &mut comments,
        &mut votes,
        Some(&mut participants as &mut dyn Write),
        Some(&mut summary_out as &mut dyn Write),
    )
    .map_err(|e| AppError::Invalid(format!("{}: {e}", dir.display())))?;
    for out in [
        &mut comments,
        &mut votes,
        &mut participants,
        &mut summary_out,
    ] {
        out.flush()
            .map_err(|e| AppError::Invalid(format!("{}: {e}", dir.display())))?;
    }
    Ok(export)
}
