//! `votes.csv`: one row per vote event, re-votes included
//! (`timestamp,datetime,comment-id,voter-id,vote`).

use std::io::{Read, Write};

use csv::StringRecord;
use serde::{Deserialize, Serialize};

use super::datetime::java_date_string;
use super::fields::{csv_error, finish, line_of, reader, write_record, writer, Header, Row};
use crate::error::FormatError;
use crate::matrix::VoteEvent;

const FILE: &str = "votes.csv";
const COLUMNS: [&str; 5] = ["timestamp", "datetime", "comment-id", "voter-id", "vote"];

/// One vote event as exported.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoteRow {
    /// Milliseconds since the Unix epoch.
    pub timestamp_ms: i64,
    /// The same instant as Java's `Date.toString()` (kept verbatim on import).
    pub datetime: String,
    /// Statement (`tid`).
    pub comment_id: i64,
    /// Participant (`pid`).
    pub voter_id: i64,
    /// +1 agree, -1 disagree, 0 pass.
    pub vote: i8,
}

impl VoteRow {
    /// A row for an event, with the date written in UTC.
    pub fn from_event(event: &VoteEvent) -> Self {
        Self {
            timestamp_ms: event.timestamp_ms,
            datetime: java_date_string(event.timestamp_ms),
            comment_id: event.statement_id,
            voter_id: event.participant_id,
            vote: event.vote,
        }
    }

    /// The event this row records.
    pub fn event(&self) -> VoteEvent {
        VoteEvent {
            participant_id: self.voter_id,
            statement_id: self.comment_id,
            vote: self.vote,
            timestamp_ms: self.timestamp_ms,
        }
    }
}

/// Reads `votes.csv`. The `datetime` column is optional on input.
///
/// # Errors
/// A [`FormatError`] naming the line and column of the first bad record.
pub fn read_votes<R: Read>(input: R) -> Result<Vec<VoteRow>, FormatError> {
    let mut rdr = reader(input, true);
    let header = Header::new(FILE, rdr.headers().map_err(|e| csv_error(FILE, &e))?);
    let ts = header.required("timestamp")?;
    let dt = header.optional("datetime");
    let cid = header.required("comment-id")?;
    let vid = header.required("voter-id")?;
    let vote = header.required("vote")?;
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
        rows.push(VoteRow {
            timestamp_ms: row.parse(ts, "timestamp", "an integer (milliseconds)")?,
            datetime: dt.map(|i| row.text(i).to_string()).unwrap_or_default(),
            comment_id: row.parse(cid, "comment-id", "an integer")?,
            voter_id: row.parse(vid, "voter-id", "an integer")?,
            vote: row.vote(vote, "vote")?,
        });
    }
    Ok(rows)
}

/// Writes `votes.csv` in the export's column order.
///
/// # Errors
/// [`FormatError::Csv`] if the output fails.
pub fn write_votes<W: Write>(output: W, rows: &[VoteRow]) -> Result<(), FormatError> {
    let mut w = writer(output);
    write_record(&mut w, FILE, COLUMNS)?;
    for r in rows {
        write_record(
            &mut w,
            FILE,
            [
                r.timestamp_ms.to_string(),
                r.datetime.clone(),
                r.comment_id.to_string(),
                r.voter_id.to_string(),
                r.vote.to_string(),
            ],
        )?;
    }
    finish(w, FILE)
}
