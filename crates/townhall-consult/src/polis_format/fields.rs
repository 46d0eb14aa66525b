//! Shared CSV plumbing: readers and writers configured like the Pol.is exports, header lookup
//! and typed fields whose errors name the file, line and column.

use std::io::{Read, Write};

use csv::{ReaderBuilder, StringRecord, Writer, WriterBuilder};

use crate::error::FormatError;

/// A reader that accepts ragged rows (checked by the callers, with a named error).
pub(super) fn reader<R: Read>(input: R, has_headers: bool) -> csv::Reader<R> {
    ReaderBuilder::new()
        .has_headers(has_headers)
        .flexible(true)
        .from_reader(input)
}

/// A writer producing RFC-4180 CSV with `\n` line ends and quotes only where needed, as the
/// Pol.is exports are written.
pub(super) fn writer<W: Write>(output: W) -> Writer<W> {
    WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .flexible(true)
        .from_writer(output)
}

pub(super) fn csv_error(file: &'static str, err: &csv::Error) -> FormatError {
    let line = err.position().map_or(0, csv::Position::line);
    let message = match err.kind() {
        csv::ErrorKind::Utf8 { err, .. } => format!("invalid UTF-8 in field {}", err.field() + 1),
        csv::ErrorKind::Io(e) => format!("read or write failed: {e}"),
        _ => err.to_string(),
    };
    FormatError::Csv {
        file,
        line,
        message,
    }
}

pub(super) fn line_of(record: &StringRecord) -> u64 {
    record.position().map_or(0, csv::Position::line)
}

/// Column positions by name, read from a header record.
pub(super) struct Header {
    file: &'static str,
    names: Vec<String>,
}

impl Header {
    pub(super) fn new(file: &'static str, record: &StringRecord) -> Self {
        Self {
            file,
            names: record.iter().map(|s| s.trim().to_string()).collect(),
        }
    }

    pub(super) fn names(&self) -> &[String] {
        &self.names
    }

    pub(super) fn optional(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    pub(super) fn required(&self, name: &'static str) -> Result<usize, FormatError> {
        self.optional(name).ok_or(FormatError::MissingColumn {
            file: self.file,
            field: name,
        })
    }
}

/// One record with the context needed for error messages.
pub(super) struct Row<'r> {
    pub(super) file: &'static str,
    pub(super) line: u64,
    pub(super) record: &'r StringRecord,
}

impl Row<'_> {
    pub(super) fn text(&self, index: usize) -> &str {
        self.record.get(index).unwrap_or("")
    }

    pub(super) fn error(&self, field: &str, message: impl Into<String>) -> FormatError {
        FormatError::Field {
            file: self.file,
            line: self.line,
            field: field.to_string(),
            message: message.into(),
        }
    }

    pub(super) fn parse<T: std::str::FromStr>(
        &self,
        index: usize,
        field: &str,
        what: &str,
    ) -> Result<T, FormatError> {
        let raw = self.text(index).trim();
        raw.parse()
            .map_err(|_| self.error(field, format!("expected {what}, found {raw:?}")))
    }

    pub(super) fn vote(&self, index: usize, field: &str) -> Result<i8, FormatError> {
        let raw = self.text(index).trim();
        match raw {
            "1" | "+1" => Ok(1),
            "-1" => Ok(-1),
            "0" | "-0" => Ok(0),
            _ => Err(self.error(field, format!("expected a vote -1, 0 or 1, found {raw:?}"))),
        }
    }

    pub(super) fn boolean(&self, index: usize, field: &str) -> Result<bool, FormatError> {
        match self.text(index).trim() {
            "true" | "t" | "1" => Ok(true),
            "false" | "f" | "0" | "" => Ok(false),
            raw => Err(self.error(field, format!("expected true or false, found {raw:?}"))),
        }
    }
}

pub(super) fn write_record<W: Write, I, T>(
    w: &mut Writer<W>,
    file: &'static str,
    record: I,
) -> Result<(), FormatError>
where
    I: IntoIterator<Item = T>,
    T: AsRef<[u8]>,
{
    w.write_record(record).map_err(|e| csv_error(file, &e))
}

pub(super) fn finish<W: Write>(mut w: Writer<W>, file: &'static str) -> Result<(), FormatError> {
    w.flush().map_err(|e| FormatError::Csv {
        file,
        line: 0,
        message: format!("write failed: {e}"),
    })
}
