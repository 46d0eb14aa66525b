//! `summary.csv`: key/value rows without a header; the description may span lines (quoted).

use std::io::{Read, Write};

use csv::StringRecord;
use serde::{Deserialize, Serialize};

use super::fields::{csv_error, finish, line_of, reader, write_record, writer};
use crate::error::FormatError;

const FILE: &str = "summary.csv";

/// The summary rows, in file order (Pol.is writes `topic`, `url`, `views`, `voters`,
/// `voters-in-conv`, `commenters`, `comments`, `groups`, `conversation-description`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// `(key, value)` pairs in order.
    pub entries: Vec<(String, String)>,
}

impl Summary {
    /// The value of a key, if present.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Sets a key, keeping its place if it exists, else appending it.
    pub fn set(&mut self, key: &str, value: impl Into<String>) {
        let value = value.into();
        match self.entries.iter_mut().find(|(k, _)| k == key) {
            Some(entry) => entry.1 = value,
            None => self.entries.push((key.to_string(), value)),
        }
    }

    /// The conversation's topic.
    pub fn topic(&self) -> Option<&str> {
        self.get("topic")
    }

    /// The conversation's description (may hold newlines).
    pub fn description(&self) -> Option<&str> {
        self.get("conversation-description")
    }
}

/// Reads `summary.csv`. A row with a key only has an empty value.
///
/// # Errors
/// A [`FormatError`] naming the line of a row with more than two fields or bad CSV.
pub fn read_summary<R: Read>(input: R) -> Result<Summary, FormatError> {
    let mut rdr = reader(input, false);
    let mut entries = Vec::new();
    let mut record = StringRecord::new();
    while rdr
        .read_record(&mut record)
        .map_err(|e| csv_error(FILE, &e))?
    {
        match record.len() {
            1 | 2 => entries.push((
                record.get(0).unwrap_or("").to_string(),
                record.get(1).unwrap_or("").to_string(),
            )),
            found => {
                return Err(FormatError::FieldCount {
                    file: FILE,
                    line: line_of(&record),
                    expected: 2,
                    found,
                })
            }
        }
    }
    Ok(Summary { entries })
}

/// Writes `summary.csv`.
///
/// # Errors
/// [`FormatError::Csv`] if the output fails.
pub fn write_summary<W: Write>(output: W, summary: &Summary) -> Result<(), FormatError> {
    let mut w = writer(output);
    for (k, v) in &summary.entries {
        write_record(&mut w, FILE, [k, v])?;
    }
    finish(w, FILE)
}
