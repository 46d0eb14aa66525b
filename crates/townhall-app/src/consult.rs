//! Consultations (first part): analyse a Pol.is export folder with Townhall's engine — opinion groups,
//! what each group stands for, and what nearly everyone agrees on.

use crate::AppError;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::Read;
use std::path::Path;
use townhall_consult::{adjusted_rand_index, analyze, read_export, Analysis, Repful, Settings};

/// A statement with its text, as reports show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatementLine {
    pub id: i64,
    pub text: String,
    /// Share of the group (or of everyone, for consensus) on the statement's side.
    pub share: f64,
    /// `agree` or `disagree`.
    pub side: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupReport {
    pub id: usize,
    pub participants: usize,
    /// What sets the group apart (Pol.is's representative statements).
    pub representative: Vec<StatementLine>,
}

/// What `townhall consult analyze` prints.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConsultReport {
    pub topic: Option<String>,
    pub participants: usize,
    pub statements: usize,
    pub votes: usize,
    /// Participants clustered (at least 7 votes, or among the top voters).
    pub clustered: usize,
    /// Participant id → opinion group.
    pub groups: BTreeMap<i64, usize>,
    pub group_reports: Vec<GroupReport>,
    /// Statements nearly everyone agrees (or disagrees) with, across groups.
    pub consensus: Vec<StatementLine>,
    /// Group-informed consensus per statement: the product over groups of (agree + 1) / (votes + 2).
    pub group_informed_consensus: BTreeMap<i64, f64>,
    /// Adjusted Rand index against the export's own `group-id` column, when it has one.
    pub agreement_with_export: Option<f64>,
}

fn open(dir: &Path, name: &str) -> Result<File, AppError> {
    File::open(dir.join(name))
        .map_err(|e| AppError::Invalid(format!("{}: {e}", dir.join(name).display())))
}

fn open_optional(dir: &Path, name: &str) -> Option<File> {
    File::open(dir.join(name)).ok()
}

/// Read the Pol.is export in `dir` (comments.csv and votes.csv; participants-votes.csv and summary.csv
/// when present).
pub(crate) fn read_polis_folder(dir: &Path) -> Result<townhall_consult::Export, AppError> {
    let comments = open(dir, "comments.csv")?;
    let votes = open(dir, "votes.csv")?;
    let mut participants = open_optional(dir, "participants-votes.csv");
    let mut summary = open_optional(dir, "summary.csv");
    let export = read_export(
        comments,
        votes,
        participants.as_mut().map(|f| f as &mut dyn Read),
        summary.as_mut().map(|f| f as &mut dyn Read),
    )
    .map_err(|e| AppError::Invalid(format!("{}: {e}", dir.display())))?;
    Ok(export)
}

/// A group's representative statements as (statement, share of the group on its side, side).
pub(crate) fn representative(
    analysis: &Analysis,
    group_id: usize,
) -> impl Iterator<Item = (i64, f64, &'static str)> + '_ {
    analysis
        .repness
        .iter()
        .filter(move |r| r.group_id == group_id)
        .flat_map(|r| &r.statements)
        .map(|s| {
            let side = match s.repful {
                Repful::Agree => "agree",
                Repful::Disagree => "disagree",
            };
            (s.statement_id, s.p_success, side)
        })
}

/// The consensus statements, agreed then disagreed, as (statement, share, side).
pub(crate) fn consensus(
    analysis: &Analysis,
) -> impl Iterator<Item = (i64, f64, &'static str)> + '_ {
    let agree = analysis
        .consensus
        .agree
        .iter()
        .map(|c| (c.statement_id, c.p_success, "agree"));
    let disagree = analysis
        .consensus
        .disagree
        .iter()
        .map(|c| (c.statement_id, c.p_success, "disagree"));
    agree.chain(disagree)
}

/// Analyse the Pol.is export in `dir` (comments.csv and votes.csv; participants-votes.csv and summary.csv
/// when present).
pub fn analyze_polis_export(dir: &Path) -> Result<ConsultReport, AppError> {
    let export = read_polis_folder(dir)?;
    let matrix = export
        .vote_matrix()
        .map_err(|e| AppError::Invalid(format!("{}: {e}", dir.display())))?;
    let analysis = analyze(&matrix, &Settings::default(), None);
    let text: BTreeMap<i64, &str> = export
        .comments
        .iter()
        .map(|c| (c.comment_id, c.body.as_str()))
        .collect();
    let line = |id: i64, share: f64, side: &'static str| StatementLine {
        id,
        text: text.get(&id).copied().unwrap_or_default().to_string(),
        share,
        side,
    };
    let group_reports = analysis
        .groups
        .iter()
        .map(|g| GroupReport {
            id: g.id,
            participants: g.members.len(),
            representative: representative(&analysis, g.id)
                .map(|(id, share, side)| line(id, share, side))
                .collect(),
        })
        .collect();
    let consensus = consensus(&analysis)
        .map(|(id, share, side)| line(id, share, side))
        .collect();
    let exported = export.group_ids();
    let agreement_with_export = (!exported.is_empty()).then(|| {
        // Participants the export grouped; one we did not cluster counts as a group of its own.
        let ours: Vec<usize> = exported
            .keys()
            .map(|p| analysis.group_of.get(p).copied().unwrap_or(usize::MAX))
            .collect();
        let theirs: Vec<usize> = exported.values().copied().collect();
        adjusted_rand_index(&ours, &theirs)
    });
    Ok(ConsultReport {
        topic: export
            .summary
            .as_ref()
            .and_then(|s| s.get("topic"))
            .map(str::to_string),
        participants: matrix.n_participants(),
        statements: matrix.n_statements(),
        votes: matrix.n_votes(),
        clustered: analysis.in_conv.len(),
        groups: analysis.group_of.clone(),
        group_reports,
        consensus,
        group_informed_consensus: analysis
            .consensus
            .group_informed
            .iter()
            .map(|s| (s.statement_id, s.agree))
            .collect(),
        agreement_with_export,
    })
}
