//! Statements written by participants: capped, screened for personal data, moderated.

use super::setup::{get, statement_text};
use super::{moderation_of, phase_of, Consultations, Moderation, Participant, Phase};
use crate::actor::Actor;
use crate::AppError;
use std::time::Instant;
use townhall_core::Permission;
use townhall_store::{NewStatement, StatementRow, Store};

/// What happened to a participant's statement.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StatementOutcome {
    /// The new statement's id (`None` when the same text is already there).
    pub id: Option<i64>,
    /// `accepted` (others can vote on it now) or `pending` (waits for a moderator).
    pub status: &'static str,
    /// What to tell the participant.
    pub message: String,
}

impl Consultations {
    /// A participant writes a statement.
    pub fn submit_statement(
        &self,
        store: &Store,
        participant: &Participant,
        address: &str,
        text: &str,
    ) -> Result<StatementOutcome, AppError> {
        let consultation = get(store, participant.consultation_id)?;
        let phase = phase_of(&consultation);
        super::participation::check_open(phase, participant)?;
        if !consultation.accept_statements {
            return Err(AppError::Invalid(
                "this consultation takes votes only, not new statements".into(),
            ));
        }
        let text =
            statement_text(text).map_err(|why| AppError::Invalid(format!("statement: {why}")))?;
        let now = Instant::now();
        let what = "you have written several statements just now";
        self.statements_per_participant.take_or_refuse(
            &format!("p:{}", participant.participant_id),
            now,
            what,
        )?;
        self.statements_per_address
            .take_or_refuse(&format!("a:{address}"), now, what)?;
        let found = townhall_analysis::personal_data::find(&text);
        let mut kinds: Vec<&str> = found.iter().map(|m| m.kind.as_str()).collect();
        kinds.dedup();
        let flags = if kinds.is_empty() {
            String::new()
        } else {
            format!("personal data: {}", kinds.join(", "))
        };
        let waits = moderation_of(&consultation) == Moderation::ApproveFirst || !flags.is_empty();
        let status = if waits { "pending" } else { "accepted" };
        let added = store.add_statements(
            consultation.id,
            &[NewStatement {
                text: &text,
                origin: "participant",
                participant_id: Some(participant.participant_id),
                status,
                flags: &flags,
            }],
            None,
        )?;
        let id = added.ids.first().copied().flatten();
        let message = match (id, waits, flags.is_empty()) {
            (None, _, _) => "Someone has already written that; vote on it instead.".to_string(),
            (Some(_), true, false) => "Thank you. It looks like it contains personal details (such as an e-mail address or phone number), so a moderator will read it before anyone else sees it.".to_string(),
            (Some(_), true, true) => "Thank you. A moderator will read it, then others can vote on it.".to_string(),
            (Some(_), false, _) => "Thank you. Others can vote on it now.".to_string(),
        };
        if id.is_some() && !waits {
            self.live.touch(consultation.id);
        }
        Ok(StatementOutcome {
            id,
            status: if id.is_none() { "accepted" } else { status },
            message,
        })
    }

    /// Statements waiting for a moderator, oldest first.
    pub fn moderation_queue(
        &self,
        store: &Store,
        actor: &Actor,
        consultation_id: i64,
    ) -> Result<Vec<StatementRow>, AppError> {
        actor.require(Permission::Moderate)?;
        Ok(store.statements(consultation_id, Some("pending"))?)
    }

    /// Accept or reject a statement. Rejecting one already voted on removes it from the results too.
    pub fn moderate(
        &self,
        store: &Store,
        actor: &Actor,
        consultation_id: i64,
        statement_id: i64,
        accept: bool,
    ) -> Result<StatementRow, AppError> {
        actor.require(Permission::Moderate)?;
        let status = if accept { "accepted" } else { "rejected" };
        let target = format!("consultation:{consultation_id}/statement:{statement_id}");
        let changed = store.moderate_statement(
            consultation_id,
            statement_id,
            status,
            &actor.name,
            &actor.audit(&format!("consultation.statement.{status}"), &target, ""),
        )?;
        if !changed {
            return Err(AppError::Invalid(format!(
                "statement {statement_id} is not in consultation {consultation_id}"
            )));
        }
        self.live.touch(consultation_id);
        store
            .statement(statement_id)?
            .ok_or_else(|| AppError::Invalid(format!("statement {statement_id} vanished")))
    }
}

/// Whether a consultation in `phase` is open to `participant` (shared with voting).
pub(crate) fn open_message(phase: Phase) -> &'static str {
    match phase {
        Phase::Draft => "This consultation has not opened yet.",
        Phase::Employees => "This consultation is open to the agency's staff for now: sign in to take part, or come back when it opens to the public.",
        Phase::Closed => "This consultation is closed; its results stay open to read.",
        Phase::Public => "",
    }
}
