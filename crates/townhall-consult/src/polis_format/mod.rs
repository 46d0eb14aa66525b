//! The Pol.is CSV export (comments, votes, participants-votes, summary), read and written, so a
//! consultation can move between Pol.is and Townhall. Readers take any `Read` and writers any
//! `Write`; nothing here opens files.

mod comments;
mod datetime;
mod fields;
mod participants;
mod summary;
mod votes;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};

use serde::{Deserialize, Serialize};

pub use comments::{read_comments, write_comments, CommentRow, CommentsFormat};
pub use participants::{
    read_participants_votes, write_participants_votes, ParticipantRow, ParticipantsVotes,
};
pub use summary::{read_summary, write_summary, Summary};
pub use votes::{read_votes, write_votes, VoteRow};

use crate::analysis::Analysis;
use crate::consensus::group_informed_consensus;
use crate::error::{FormatError, MatrixError};
use crate::matrix::{VoteEvent, VoteMatrix, AGREE, DISAGREE};

/// A whole export, as read from or written to its files.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Export {
    /// Layout of `comments.csv`.
    pub comments_format: CommentsFormat,
    /// One row per statement.
    pub comments: Vec<CommentRow>,
    /// Every vote event, re-votes included.
    pub votes: Vec<VoteRow>,
    /// The final vote matrix with Pol.is's groups, when the file was given.
    pub participants_votes: Option<ParticipantsVotes>,
    /// Conversation summary, when the file was given.
    pub summary: Option<Summary>,
}

/// A statement as Townhall holds it, for building an export.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementRecord {
    /// Statement id.
    pub id: i64,
    /// Author's participant id.
    pub author_id: i64,
    /// Creation time, milliseconds since the Unix epoch.
    pub timestamp_ms: i64,
    /// 1 accepted, 0 not yet moderated, -1 rejected.
    pub moderated: i8,
    /// About the conversation itself rather than its topic.
    pub is_meta: bool,
    /// Seeded by the moderator.
    pub is_seed: bool,
    /// The text.
    pub body: String,
}

/// Reads an export. `participants_votes` and `summary` are optional files.
///
/// # Errors
/// The first [`FormatError`] met, naming its file, line and field.
pub fn read_export(
    comments: impl Read,
    votes: impl Read,
    participants_votes: Option<&mut dyn Read>,
    summary: Option<&mut dyn Read>,
) -> Result<Export, FormatError> {
    let (comments_format, comments) = read_comments(comments)?;
    let votes = read_votes(votes)?;
    let participants_votes = participants_votes
        .map(read_participants_votes)
        .transpose()?;
    let summary = summary.map(read_summary).transpose()?;
    Ok(Export {
        comments_format,
        comments,
        votes,
        participants_votes,
        summary,
    })
}

/// Writes an export. A file whose writer is `None` is skipped; a part the export lacks
/// (no participants-votes or summary) is skipped too.
///
/// # Errors
/// [`FormatError::Csv`] naming the file whose output failed.
pub fn write_export(
    export: &Export,
    comments: impl Write,
    votes: impl Write,
    participants_votes: Option<&mut dyn Write>,
    summary: Option<&mut dyn Write>,
) -> Result<(), FormatError> {
    write_comments(comments, export.comments_format, &export.comments)?;
    write_votes(votes, &export.votes)?;
    if let (Some(out), Some(table)) = (participants_votes, &export.participants_votes) {
        write_participants_votes(out, table)?;
    }
    if let (Some(out), Some(s)) = (summary, &export.summary) {
        write_summary(out, s)?;
    }
    Ok(())
}

impl Export {
    /// Every vote event, in file order.
    pub fn vote_events(&self) -> Vec<VoteEvent> {
        self.votes.iter().map(VoteRow::event).collect()
    }

    /// Statements the Pol.is math zeroes out: rejected (`moderated = -1`) or meta.
    pub fn excluded_statements(&self) -> BTreeSet<i64> {
        self.comments
            .iter()
            .filter(|c| c.is_excluded())
            .map(|c| c.comment_id)
            .collect()
    }

    /// The vote matrix (latest vote wins) with rejected and meta statements excluded.
    ///
    /// # Errors
    /// [`MatrixError`] if a vote is out of range (cannot happen for a parsed export).
    pub fn vote_matrix(&self) -> Result<VoteMatrix, MatrixError> {
        Ok(VoteMatrix::from_events(self.vote_events())?.with_excluded(self.excluded_statements()))
    }

    /// Pol.is's group of each grouped participant, from `participants-votes.csv`.
    pub fn group_ids(&self) -> BTreeMap<i64, usize> {
        self.participants_votes
            .iter()
            .flat_map(|t| &t.rows)
            .filter_map(|r| r.group_id.map(|g| (r.participant, g)))
            .collect()
    }

    /// Builds an export of a Townhall consultation: statements, every vote event (re-votes
    /// included, as Pol.is exports them), and the groups and consensus of `analysis` if given.
    /// Written in the current layout; the summary's counts are filled in from the data.
    ///
    /// # Errors
    /// [`MatrixError`] if an event's vote is not -1, 0 or 1.
    pub fn from_consultation(
        statements: &[StatementRecord],
        events: &[VoteEvent],
        analysis: Option<&Analysis>,
        summary: Option<Summary>,
    ) -> Result<Self, MatrixError> {
        let excluded: Vec<i64> = statements
            .iter()
            .filter(|s| s.moderated == -1 || s.is_meta)
            .map(|s| s.id)
            .collect();
        let matrix = VoteMatrix::from_events(events.iter().copied())?.with_excluded(excluded);
        let group_of = analysis.map(|a| a.group_of.clone()).unwrap_or_default();
        let consensus: BTreeMap<i64, f64> = if group_of.is_empty() {
            BTreeMap::new()
        } else {
            group_informed_consensus(&matrix, &group_of)
                .into_iter()
                .map(|c| (c.statement_id, c.agree))
                .collect()
        };
        let mut agrees: BTreeMap<i64, u64> = BTreeMap::new();
        let mut disagrees: BTreeMap<i64, u64> = BTreeMap::new();
        for e in events {
            if e.vote == AGREE {
                *agrees.entry(e.statement_id).or_default() += 1;
            } else if e.vote == DISAGREE {
                *disagrees.entry(e.statement_id).or_default() += 1;
            }
        }
        let comments: Vec<CommentRow> = statements
            .iter()
            .map(|s| CommentRow {
                timestamp_ms: s.timestamp_ms,
                datetime: None,
                comment_id: s.id,
                author_id: s.author_id,
                agrees: agrees.get(&s.id).copied().unwrap_or(0),
                disagrees: disagrees.get(&s.id).copied().unwrap_or(0),
                moderated: s.moderated,
                is_meta: s.is_meta,
                is_seed: s.is_seed,
                group_informed_consensus: consensus.get(&s.id).copied(),
                body: s.body.clone(),
            })
            .collect();
        let mut ordered: Vec<VoteEvent> = events.to_vec();
        ordered.sort_by_key(|e| e.timestamp_ms);
        let votes: Vec<VoteRow> = ordered.iter().map(VoteRow::from_event).collect();

        let mut authored: BTreeMap<i64, u64> = BTreeMap::new();
        for s in statements {
            *authored.entry(s.author_id).or_default() += 1;
        }
        let rows: Vec<ParticipantRow> = (0..matrix.n_participants())
            .map(|row| {
                let mut cells = vec![None; matrix.n_statements()];
                let (mut n_agree, mut n_disagree) = (0, 0);
                for (col, v) in matrix.row(row) {
                    cells[col] = Some(v);
                    n_agree += u64::from(v == AGREE);
                    n_disagree += u64::from(v == DISAGREE);
                }
                let participant = matrix.participants()[row];
                ParticipantRow {
                    participant,
                    xid: None,
                    group_id: group_of.get(&participant).copied(),
                    n_comments: authored.get(&participant).copied().unwrap_or(0),
                    n_votes: matrix.row_len(row) as u64,
                    n_agree,
                    n_disagree,
                    votes: cells,
                }
            })
            .collect();
        let participants_votes = ParticipantsVotes {
            has_xid: true,
            comment_ids: matrix.statements().to_vec(),
            rows,
        };
        let summary = summary.map(|mut s| {
            let commenters: BTreeSet<i64> = statements.iter().map(|s| s.author_id).collect();
            s.set("voters", matrix.n_participants().to_string());
            s.set("voters-in-conv", matrix.n_participants().to_string());
            s.set("commenters", commenters.len().to_string());
            s.set("comments", statements.len().to_string());
            if let Some(a) = analysis {
                s.set("groups", a.groups.len().to_string());
            }
            s
        });
        Ok(Self {
            comments_format: CommentsFormat::Current,
            comments,
            votes,
            participants_votes: Some(participants_votes),
            summary,
        })
    }
}
