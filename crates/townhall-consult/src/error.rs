//! Error types. Messages name the file, line and field (for the CSV formats) or the event index
//! (for vote events), so an import report can point at the exact place to fix.

use thiserror::Error;

/// A vote event that cannot enter the matrix.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MatrixError {
    /// The vote is not agree (+1), disagree (-1) or pass (0).
    #[error("vote event {index}: vote {vote} by participant {participant_id} on statement {statement_id} is not -1, 0 or 1")]
    InvalidVote {
        /// Position of the event in the input.
        index: usize,
        /// Its participant.
        participant_id: i64,
        /// Its statement.
        statement_id: i64,
        /// The offending value.
        vote: i8,
    },
}

/// A Pol.is export file that cannot be read or written.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FormatError {
    /// The CSV layer failed (bad quoting, invalid UTF-8, I/O) at a line.
    #[error("{file}: line {line}: {message}")]
    Csv {
        /// Export file name, such as `votes.csv`.
        file: &'static str,
        /// 1-based line where the record starts (0 when unknown).
        line: u64,
        /// What went wrong.
        message: String,
    },
    /// The header lacks a required column.
    #[error("{file}: header: missing column `{field}`")]
    MissingColumn {
        /// Export file name.
        file: &'static str,
        /// The column that is required.
        field: &'static str,
    },
    /// A field holds a value of the wrong kind.
    #[error("{file}: line {line}: field `{field}`: {message}")]
    Field {
        /// Export file name.
        file: &'static str,
        /// 1-based line where the record starts.
        line: u64,
        /// Column name.
        field: String,
        /// What is wrong with the value.
        message: String,
    },
    /// A record has the wrong number of fields.
    #[error("{file}: line {line}: expected {expected} fields, found {found}")]
    FieldCount {
        /// Export file name.
        file: &'static str,
        /// 1-based line where the record starts.
        line: u64,
        /// Fields in the header (or 2 for summary.csv).
        expected: usize,
        /// Fields in the record.
        found: usize,
    },
}
