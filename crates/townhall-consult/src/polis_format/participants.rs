//! `participants-votes.csv`: the final vote matrix, one row per participant
//! (`participant,[xid,]group-id,n-comments,n-votes,n-agree,n-disagree,<comment-id>...`).

use std::io::{Read, Write};

use csv::StringRecord;
use serde::{Deserialize, Serialize};

use super::fields::{csv_error, finish, line_of, reader, write_record, writer, Header, Row};
use crate::error::FormatError;

const FILE: &str = "participants-votes.csv";
const COUNTS: [&str; 4] = ["n-comments", "n-votes", "n-agree", "n-disagree"];

/// The whole file: which statements are columns, and one row per participant.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParticipantsVotes {
    /// Whether the file has the `xid` column (newer exports).
    pub has_xid: bool,
    /// Statement ids of the vote columns, in file order.
    pub comment_ids: Vec<i64>,
    /// One row per participant.
    pub rows: Vec<ParticipantRow>,
}

/// One participant's final votes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParticipantRow {
    /// Participant id (`pid`).
    pub participant: i64,
    /// External id, when the export has the column and it is set.
    pub xid: Option<String>,
    /// Opinion group (0-based); `None` for participants not clustered.
    pub group_id: Option<usize>,
    /// Statements authored.
    pub n_comments: u64,
    /// Non-empty vote cells.
    pub n_votes: u64,
    /// Agree cells.
    pub n_agree: u64,
    /// Disagree cells.
    pub n_disagree: u64,
    /// One cell per column of [`ParticipantsVotes::comment_ids`]: +1, -1, 0, or `None`.
    pub votes: Vec<Option<i8>>,
}

/// Reads `participants-votes.csv`, with or without `xid`.
///
/// # Errors
/// A [`FormatError`] naming the line and column of the first bad record.
pub fn read_participants_votes<R: Read>(input: R) -> Result<ParticipantsVotes, FormatError> {
    let mut rdr = reader(input, true);
    let header = Header::new(FILE, rdr.headers().map_err(|e| csv_error(FILE, &e))?);
    let participant = header.required("participant")?;
    let xid = header.optional("xid");
    let group = header.required("group-id")?;
    let counts = [
        header.required("n-comments")?,
        header.required("n-votes")?,
        header.required("n-agree")?,
        header.required("n-disagree")?,
    ];
    let first_vote = counts[3] + 1;
    let names = header.names();
    let mut comment_ids = Vec::new();
    for (i, name) in names.iter().enumerate().skip(first_vote) {
        comment_ids.push(name.parse::<i64>().map_err(|_| FormatError::Field {
            file: FILE,
            line: 1,
            field: format!("column {}", i + 1),
            message: format!("expected a comment id, found {name:?}"),
        })?);
    }
    let width = names.len();
    let mut rows = Vec::new();
    let mut record = StringRecord::new();
    while rdr
        .read_record(&mut record)
        .map_err(|e| csv_error(FILE, &e))?
    {
        let row = Row {
            file: FILE,
            line: line_of(&record),
            record: &record,
        };
        if record.len() != width {
            return Err(FormatError::FieldCount {
                file: FILE,
                line: row.line,
                expected: width,
                found: record.len(),
            });
        }
        let group_id = match row.text(group).trim() {
            "" => None,
            _ => Some(row.parse(group, "group-id", "a group number or nothing")?),
        };
        let mut votes = Vec::with_capacity(comment_ids.len());
        for (offset, id) in comment_ids.iter().enumerate() {
            let i = first_vote + offset;
            votes.push(match row.text(i).trim() {
                "" => None,
                _ => Some(row.vote(i, &id.to_string())?),
            });
        }
        let mut n = [0u64; 4];
        for (value, (&index, name)) in n.iter_mut().zip(counts.iter().zip(COUNTS)) {
            *value = row.parse(index, name, "a count")?;
        }
        rows.push(ParticipantRow {
            participant: row.parse(participant, "participant", "an integer")?,
            xid: xid
                .map(|i| row.text(i).to_string())
                .filter(|s| !s.is_empty()),
            group_id,
            n_comments: n[0],
            n_votes: n[1],
            n_agree: n[2],
            n_disagree: n[3],
            votes,
        });
    }
    Ok(ParticipantsVotes {
        has_xid: xid.is_some(),
        comment_ids,
        rows,
    })
}

/// Writes `participants-votes.csv`, with the `xid` column if `has_xid`.
///
/// # Errors
/// [`FormatError::Csv`] if the output fails.
pub fn write_participants_votes<W: Write>(
    output: W,
    table: &ParticipantsVotes,
) -> Result<(), FormatError> {
    let mut w = writer(output);
    let mut header = vec!["participant".to_string()];
    if table.has_xid {
        header.push("xid".into());
    }
    header.push("group-id".into());
    header.extend(COUNTS.iter().map(|s| s.to_string()));
    header.extend(table.comment_ids.iter().map(i64::to_string));
    write_record(&mut w, FILE, &header)?;
    for r in &table.rows {
        let mut rec = vec![r.participant.to_string()];
        if table.has_xid {
            rec.push(r.xid.clone().unwrap_or_default());
        }
        rec.push(r.group_id.map(|g| g.to_string()).unwrap_or_default());
        rec.extend([r.n_comments, r.n_votes, r.n_agree, r.n_disagree].map(|n| n.to_string()));
        rec.extend((0..table.comment_ids.len()).map(|i| {
            r.votes
                .get(i)
                .copied()
                .flatten()
                .map(|v| v.to_string())
                .unwrap_or_default()
        }));
        write_record(&mut w, FILE, &rec)?;
    }
    finish(w, FILE)
}
