//! `comments.csv`: one row per statement, in either export layout.
//!
//! Classic: `timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body`.
//! Current: `timestamp,comment-id,author-id,agrees,disagrees,moderated,is-meta,is-seed,
//! group-informed-consensus,comment-body`. Columns are found by name, so either reads.

use std::io::{Read, Write};

use csv::StringRecord;
use serde::{Deserialize, Serialize};

use super::fields::{csv_error, finish, line_of, reader, write_record, writer, Header, Row};
use crate::error::FormatError;

const FILE: &str = "comments.csv";

/// Which of the two export layouts a `comments.csv` uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum CommentsFormat {
    /// With `datetime`, without meta, seed and consensus columns.
    Classic,
    /// With `is-meta`, `is-seed` and `group-informed-consensus`, without `datetime`.
    #[default]
    Current,
}

/// One statement as exported.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommentRow {
    /// Creation time, milliseconds since the Unix epoch.
    pub timestamp_ms: i64,
    /// Java date text (classic layout only).
    pub datetime: Option<String>,
    /// Statement id (`tid`).
    pub comment_id: i64,
    /// Author's participant id.
    pub author_id: i64,
    /// Agree events (re-votes counted).
    pub agrees: u64,
    /// Disagree events (re-votes counted).
    pub disagrees: u64,
    /// 1 accepted, 0 not yet moderated, -1 rejected.
    pub moderated: i8,
    /// Meta statement (about the conversation itself); current layout only.
    pub is_meta: bool,
    /// Seeded by the moderator; current layout only.
    pub is_seed: bool,
    /// Product over groups of `(agree + 1) / (votes + 2)`; current layout only.
    pub group_informed_consensus: Option<f64>,
    /// The text; may hold newlines.
    pub body: String,
}

impl CommentRow {
    /// Whether the Pol.is math zeroes this statement out (rejected or meta).
    pub fn is_excluded(&self) -> bool {
        self.moderated == -1 || self.is_meta
    }
}

/// Reads `comments.csv` in either layout and tells which one it was.
///
/// # Errors
/// A [`FormatError`] naming the line and column of the first bad record.
pub fn read_comments<R: Read>(input: R) -> Result<(CommentsFormat, Vec<CommentRow>), FormatError> {
    let mut rdr = reader(input, true);
    let header = Header::new(FILE, rdr.headers().map_err(|e| csv_error(FILE, &e))?);
    let ts = header.required("timestamp")?;
    let cid = header.required("comment-id")?;
    let aid = header.required("author-id")?;
    let agrees = header.required("agrees")?;
    let disagrees = header.required("disagrees")?;
    let moderated = header.required("moderated")?;
    let body = header.required("comment-body")?;
    let datetime = header.optional("datetime");
    let is_meta = header.optional("is-meta");
    let is_seed = header.optional("is-seed");
    let gic = header.optional("group-informed-consensus");
    let format = if is_meta.is_some() || gic.is_some() || datetime.is_none() {
        CommentsFormat::Current
    } else {
        CommentsFormat::Classic
    };
    let width = header.names().len();
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
        let consensus = match gic.map(|i| row.text(i).trim()) {
            None | Some("") => None,
            Some(raw) => Some(raw.parse::<f64>().map_err(|_| {
                row.error(
                    "group-informed-consensus",
                    format!("expected a number, found {raw:?}"),
                )
            })?),
        };
        rows.push(CommentRow {
            timestamp_ms: row.parse(ts, "timestamp", "an integer (milliseconds)")?,
            datetime: datetime.map(|i| row.text(i).to_string()),
            comment_id: row.parse(cid, "comment-id", "an integer")?,
            author_id: row.parse(aid, "author-id", "an integer")?,
            agrees: row.parse(agrees, "agrees", "a count")?,
            disagrees: row.parse(disagrees, "disagrees", "a count")?,
            moderated: row.vote(moderated, "moderated").map_err(|_| {
                row.error(
                    "moderated",
                    format!("expected -1, 0 or 1, found {:?}", row.text(moderated)),
                )
            })?,
            is_meta: is_meta.map_or(Ok(false), |i| row.boolean(i, "is-meta"))?,
            is_seed: is_seed.map_or(Ok(false), |i| row.boolean(i, "is-seed"))?,
            group_informed_consensus: consensus,
            body: row.text(body).to_string(),
        });
    }
    Ok((format, rows))
}

/// Writes `comments.csv` in the given layout.
///
/// # Errors
/// [`FormatError::Csv`] if the output fails.
pub fn write_comments<W: Write>(
    output: W,
    format: CommentsFormat,
    rows: &[CommentRow],
) -> Result<(), FormatError> {
    let mut w = writer(output);
    match format {
        CommentsFormat::Classic => write_record(
            &mut w,
            FILE,
            [
                "timestamp",
                "datetime",
                "comment-id",
                "author-id",
                "agrees",
                "disagrees",
                "moderated",
                "comment-body",
            ],
        )?,
        CommentsFormat::Current => write_record(
            &mut w,
            FILE,
            [
                "timestamp",
                "comment-id",
                "author-id",
                "agrees",
                "disagrees",
                "moderated",
                "is-meta",
                "is-seed",
                "group-informed-consensus",
                "comment-body",
            ],
        )?,
    }
    for r in rows {
        let record = match format {
            CommentsFormat::Classic => vec![
                r.timestamp_ms.to_string(),
                r.datetime
                    .clone()
                    .unwrap_or_else(|| super::datetime::java_date_string(r.timestamp_ms)),
                r.comment_id.to_string(),
                r.author_id.to_string(),
                r.agrees.to_string(),
                r.disagrees.to_string(),
                r.moderated.to_string(),
                r.body.clone(),
            ],
            CommentsFormat::Current => vec![
                r.timestamp_ms.to_string(),
                r.comment_id.to_string(),
                r.author_id.to_string(),
                r.agrees.to_string(),
                r.disagrees.to_string(),
                r.moderated.to_string(),
                r.is_meta.to_string(),
                r.is_seed.to_string(),
                r.group_informed_consensus
                    .map(java_double)
                    .unwrap_or_default(),
                r.body.clone(),
            ],
        };
        write_record(&mut w, FILE, record)?;
    }
    finish(w, FILE)
}

/// A number as Java's `Double.toString` writes it (`0.5`, `1.0`, `1.0E-4`), shortest digits
/// that read back to the same value.
pub(crate) fn java_double(x: f64) -> String {
    if !x.is_finite() {
        return if x.is_nan() {
            "NaN".into()
        } else if x > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        };
    }
    let a = x.abs();
    if a == 0.0 || (1e-3..1e7).contains(&a) {
        let s = format!("{x}");
        if s.contains('.') {
            s
        } else {
            format!("{s}.0")
        }
    } else {
        let s = format!("{x:e}");
        let (mantissa, exponent) = s.split_once('e').unwrap_or((&s, "0"));
        let mantissa = if mantissa.contains('.') {
            mantissa.to_string()
        } else {
            format!("{mantissa}.0")
        };
        format!("{mantissa}E{exponent}")
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn java_double_text() {
        assert_eq!(java_double(0.5), "0.5");
        assert_eq!(java_double(1.0), "1.0");
        assert_eq!(java_double(0.0), "0.0");
        assert_eq!(java_double(0.000_125), "1.25E-4");
        assert_eq!(java_double(0.6839080459770114), "0.6839080459770114");
        assert_eq!("1.25E-4".parse::<f64>().unwrap(), 0.000_125);
    }

    #[test]
    fn errors_name_line_and_field() {
        let text = "timestamp,comment-id,author-id,agrees,disagrees,moderated,is-meta,is-seed,group-informed-consensus,comment-body\n\
                    1,2,3,4,5,1,false,false,0.5,ok\n\
                    1,2,3,four,5,1,false,false,0.5,bad\n";
        let err = read_comments(text.as_bytes()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "comments.csv: line 3: field `agrees`: expected a count, found \"four\""
        );
    }
}
