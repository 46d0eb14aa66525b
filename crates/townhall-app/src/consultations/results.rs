//! A consultation's results as pages, the API and the report show them: opinion groups and what sets
//! each apart, common ground, divisive statements, the opinion map and participation over time.

use super::participation::group_label;
use super::setup::get;
use super::Consultations;
use crate::consult::StatementLine;
use crate::consult::{consensus, representative};
use crate::AppError;
use std::collections::HashMap;
use townhall_store::{ConsultationRow, ParticipationDay, Store};

/// Results older than this are brought up to date when a page asks for them (unless an update is
/// running at that moment: then the page shows the latest, at most one update behind).
pub(super) const MAX_AGE_MS: i64 = 2_000;

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct GroupResult {
    pub id: usize,
    /// A, B, C…
    pub label: String,
    pub participants: usize,
    pub centroid: (f64, f64),
    /// What sets the group apart (Pol.is's representative statements).
    pub representative: Vec<StatementLine>,
}

/// A participant on the opinion map.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct MapPoint {
    pub participant_id: i64,
    pub x: f64,
    pub y: f64,
    pub group: Option<usize>,
}

/// How each group leans on a statement that splits them.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DivisiveLine {
    pub id: i64,
    pub text: String,
    pub divisiveness: f64,
    /// (group label, net agreement in [-1, 1]).
    pub by_group: Vec<(String, f64)>,
}

/// Every statement's tally.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StatementTally {
    pub id: i64,
    pub text: String,
    pub agree: u64,
    pub disagree: u64,
    pub pass: u64,
    /// Group-informed consensus: the product over groups of (agree + 1) / (votes + 2).
    pub consensus: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ConsultResults {
    pub consultation: ConsultationRow,
    /// Participants who voted, and the votes counted.
    pub voters: usize,
    pub votes: usize,
    /// Participants placed in groups (at least 7 votes).
    pub clustered: usize,
    pub groups: Vec<GroupResult>,
    /// Statements nearly everyone agrees (or disagrees) with, across groups.
    pub consensus: Vec<StatementLine>,
    pub divisive: Vec<DivisiveLine>,
    pub statements: Vec<StatementTally>,
    pub map: Vec<MapPoint>,
    pub participation: Vec<ParticipationDay>,
    /// Participant id → group id.
    pub group_of: std::collections::BTreeMap<i64, usize>,
    pub computed_at_ms: Option<i64>,
    pub compute_ms: Option<f64>,
}

impl Consultations {
    /// The consultation's results, no more than a couple of seconds old.
    pub fn results(&self, store: &Store, consultation_id: i64) -> Result<ConsultResults, AppError> {
        let consultation = get(store, consultation_id)?;
        let result = self.fresh_result(store, consultation_id)?;
        let statements = store.statements(consultation_id, Some("accepted"))?;
        let text: HashMap<i64, &str> = statements.iter().map(|s| (s.id, s.text.as_str())).collect();
        let mut participation = store.participation(consultation_id)?;
        if let Some(result) = &result {
            // Votes per day come from the votes in memory; joins per day from the store.
            let mut days: std::collections::BTreeMap<String, ParticipationDay> = participation
                .into_iter()
                .map(|d| (d.day.clone(), ParticipationDay { votes: 0, ..d }))
                .collect();
            for (day, votes) in &result.votes_per_day {
                days.entry(day.clone())
                    .or_insert_with(|| ParticipationDay {
                        day: day.clone(),
                        new_participants: 0,
                        votes: 0,
                    })
                    .votes = *votes;
            }
            participation = days.into_values().collect();
        }
        let Some(result) = result else {
            return Ok(ConsultResults {
                consultation,
                voters: 0,
                votes: 0,
                clustered: 0,
                groups: Vec::new(),
                consensus: Vec::new(),
                divisive: Vec::new(),
                statements: Vec::new(),
                map: Vec::new(),
                participation,
                group_of: Default::default(),
                computed_at_ms: None,
                compute_ms: None,
            });
        };
        let a = &result.analysis;
        let line = |id: i64, share: f64, side: &'static str| StatementLine {
            id,
            text: text.get(&id).copied().unwrap_or_default().to_string(),
            share,
            side,
        };
        let groups = a
            .groups
            .iter()
            .map(|g| GroupResult {
                id: g.id,
                label: group_label(g.id),
                participants: g.members.len(),
                centroid: (g.centroid[0], g.centroid[1]),
                representative: representative(a, g.id)
                    .filter(|(id, _, _)| text.contains_key(id))
                    .map(|(id, share, side)| line(id, share, side))
                    .collect(),
            })
            .collect::<Vec<_>>();
        let consensus = consensus(a)
            .filter(|(id, _, _)| text.contains_key(id))
            .map(|(id, share, side)| line(id, share, side))
            .collect();
        let divisive = a
            .divisive
            .iter()
            .filter(|d| text.contains_key(&d.statement_id))
            .map(|d| DivisiveLine {
                id: d.statement_id,
                text: text[&d.statement_id].to_string(),
                divisiveness: d.divisiveness,
                by_group: a
                    .groups
                    .iter()
                    .zip(&d.net_agreement)
                    .map(|(g, net)| (group_label(g.id), *net))
                    .collect(),
            })
            .collect();
        let consensus_of: HashMap<i64, f64> = a
            .consensus
            .group_informed
            .iter()
            .map(|c| (c.statement_id, c.agree))
            .collect();
        let tallies = statements
            .iter()
            .map(|s| {
                let c = result.counts.get(&s.id).copied().unwrap_or_default();
                StatementTally {
                    id: s.id,
                    text: s.text.clone(),
                    agree: c.agree,
                    disagree: c.disagree,
                    pass: c.seen - c.agree - c.disagree,
                    consensus: consensus_of.get(&s.id).copied(),
                }
            })
            .collect();
        let map = a
            .pca
            .projections
            .iter()
            .map(|p| MapPoint {
                participant_id: p.participant_id,
                x: p.x,
                y: p.y,
                group: a.group_of.get(&p.participant_id).copied(),
            })
            .collect();
        Ok(ConsultResults {
            consultation,
            voters: a.participants,
            votes: a.votes,
            clustered: a.in_conv.len(),
            groups,
            consensus,
            divisive,
            statements: tallies,
            map,
            participation,
            group_of: a.group_of.clone(),
            computed_at_ms: Some(result.computed_at_ms),
            compute_ms: Some(result.compute_ms),
        })
    }
}
