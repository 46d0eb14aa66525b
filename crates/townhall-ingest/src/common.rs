//! Pieces every reader uses: building rejects, reading whole inputs, walking JSON arrays and
//! JSONL line by line, and pulling loosely typed values out of JSON.

use crate::{IngestError, Location, Records, Reject};
use serde_json::Value;
use std::io::{BufRead, Read};
use std::path::Path;

/// Longest JSONL line or whole JSON document accepted (a line longer than this is one reject;
/// a whole document longer than this is refused), so a hostile upload cannot exhaust memory.
pub const MAX_LINE_BYTES: u64 = 64 * 1024 * 1024;
pub const MAX_DOCUMENT_BYTES: u64 = 1024 * 1024 * 1024;

pub fn reject(file: &str, location: Location, reason: impl Into<String>) -> Reject {
    Reject {
        file: file.to_string(),
        location,
        reason: reason.into(),
    }
}

/// The whole input as bytes, for formats that are one JSON/XML document.
pub fn read_whole<R: Read>(name: &str, reader: R) -> Result<Vec<u8>, IngestError> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_DOCUMENT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|source| IngestError::Io {
            file: name.to_string(),
            source,
        })?;
    if bytes.len() as u64 > MAX_DOCUMENT_BYTES {
        return Err(IngestError::TooLarge {
            file: name.to_string(),
            limit: MAX_DOCUMENT_BYTES,
        });
    }
    Ok(bytes)
}

/// Drop a UTF-8 byte order mark, which spreadsheet tools like to write.
pub fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// A records stream made of one reject for the file as a whole.
pub fn file_reject(name: &str, reason: impl Into<String>) -> Records {
    Box::new(std::iter::once(Err(reject(name, Location::File, reason))))
}

/// Parse a document that must be a JSON array; a syntax error rejects the file (with the
/// line and column serde_json reports), since nothing after it can be trusted.
pub fn parse_json_array(name: &str, bytes: &[u8]) -> Result<Vec<Value>, Reject> {
    match serde_json::from_slice::<Value>(strip_bom(bytes)) {
        Ok(Value::Array(items)) => Ok(items),
        Ok(other) => Err(reject(
            name,
            Location::File,
            format!("expected a JSON array, found {}", json_kind(&other)),
        )),
        Err(e) => Err(reject(name, Location::File, format!("invalid JSON: {e}"))),
    }
}

pub fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Streams a JSONL input: one JSON value per line with its 1-based line number, blank lines
/// skipped. Lines that are not UTF-8, too long or not JSON come out as rejects.
pub struct JsonLines<R> {
    name: String,
    reader: R,
    line_number: u64,
    buffer: Vec<u8>,
    finished: bool,
}

enum LineOutcome {
    Item(Result<(u64, Value), Reject>),
    Skip,
    End,
}

impl<R: BufRead> JsonLines<R> {
    pub fn new(name: &str, reader: R) -> Self {
        JsonLines {
            name: name.to_string(),
            reader,
            line_number: 0,
            buffer: Vec::new(),
            finished: false,
        }
    }

    fn next_line(&mut self) -> LineOutcome {
        self.buffer.clear();
        self.line_number += 1;
        let line_number = self.line_number;
        let at = Location::Line(line_number);
        let read = (&mut self.reader)
            .take(MAX_LINE_BYTES)
            .read_until(b'\n', &mut self.buffer);
        match read {
            Ok(0) => LineOutcome::End,
            Err(e) => {
                self.finished = true;
                LineOutcome::Item(Err(reject(&self.name, at, format!("read error: {e}"))))
            }
            Ok(_) => {
                if self.buffer.last() != Some(&b'\n') && self.buffer.len() as u64 >= MAX_LINE_BYTES
                {
                    self.skip_rest_of_line();
                    return LineOutcome::Item(Err(reject(
                        &self.name,
                        at,
                        format!("line longer than {MAX_LINE_BYTES} bytes"),
                    )));
                }
                let bytes = if line_number == 1 {
                    strip_bom(&self.buffer)
                } else {
                    &self.buffer[..]
                };
                let text = match std::str::from_utf8(bytes) {
                    Ok(text) => text.trim(),
                    Err(e) => {
                        return LineOutcome::Item(Err(reject(
                            &self.name,
                            at,
                            format!("not UTF-8: {e}"),
                        )))
                    }
                };
                if text.is_empty() {
                    return LineOutcome::Skip;
                }
                match serde_json::from_str::<Value>(text) {
                    Ok(value) => LineOutcome::Item(Ok((line_number, value))),
                    Err(e) => {
                        LineOutcome::Item(Err(reject(&self.name, at, format!("invalid JSON: {e}"))))
                    }
                }
            }
        }
    }

    /// Skip the rest of an over-long line so the next one starts clean.
    fn skip_rest_of_line(&mut self) {
        let mut rest = Vec::new();
        loop {
            rest.clear();
            match (&mut self.reader)
                .take(MAX_LINE_BYTES)
                .read_until(b'\n', &mut rest)
            {
                Ok(0) | Err(_) => break,
                Ok(_) if rest.last() == Some(&b'\n') => break,
                Ok(_) => {}
            }
        }
    }
}

impl<R: BufRead> Iterator for JsonLines<R> {
    type Item = Result<(u64, Value), Reject>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.finished {
            match self.next_line() {
                LineOutcome::Item(item) => return Some(item),
                LineOutcome::Skip => continue,
                LineOutcome::End => self.finished = true,
            }
        }
        None
    }
}

/// A string field: strings as they are, numbers and booleans written out (ids are often
/// numbers in hand-made JSON), null/missing/empty → `None`.
pub fn loose_string(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) if s.trim().is_empty() => None,
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A count that may be a number or a numeric string (X archives write counts as strings).
pub fn loose_count(value: Option<&Value>) -> Option<u64> {
    match value? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The file name without directories and extension, used as a channel account when no
/// account is given.
pub fn file_stem(name: &str) -> String {
    Path::new(name)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| name.to_string())
}

/// Turns CRLF line ends into LF while streaming. The csv crate counts lines by `\n` but starts
/// the next record at the `\r`, so with CRLF files every reported line after the first would
/// be one short; without the `\r` the reported lines match what an editor shows.
pub struct CrlfToLf<R> {
    inner: R,
    buffer: Vec<u8>,
    /// A `\r` that ended the previous chunk; kept until we know whether `\n` follows.
    pending_cr: bool,
}

impl<R: Read> CrlfToLf<R> {
    pub fn new(inner: R) -> Self {
        CrlfToLf {
            inner,
            buffer: vec![0; 64 * 1024],
            pending_cr: false,
        }
    }
}

impl<R: Read> Read for CrlfToLf<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        loop {
            // Leave room for a held-back `\r` that turns out not to precede `\n`.
            let want = self.buffer.len().min(out.len().saturating_sub(1)).max(1);
            let n = self.inner.read(&mut self.buffer[..want])?;
            if n == 0 {
                if self.pending_cr {
                    self.pending_cr = false;
                    out[0] = b'\r';
                    return Ok(1);
                }
                return Ok(0);
            }
            let mut written = 0;
            let chunk = &self.buffer[..n];
            if self.pending_cr {
                self.pending_cr = false;
                if chunk[0] != b'\n' {
                    out[written] = b'\r';
                    written += 1;
                }
            }
            for (i, &b) in chunk.iter().enumerate() {
                if b == b'\r' {
                    match chunk.get(i + 1) {
                        Some(b'\n') => continue,
                        Some(_) => {}
                        None => {
                            self.pending_cr = true;
                            continue;
                        }
                    }
                }
                out[written] = b;
                written += 1;
            }
            if written > 0 {
                return Ok(written);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn through(input: &[u8], chunk: usize) -> Vec<u8> {
        struct Chunked<'a>(&'a [u8], usize);
        impl Read for Chunked<'_> {
            fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
                let n = self.0.len().min(self.1).min(out.len());
                out[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut result = Vec::new();
        CrlfToLf::new(Chunked(input, chunk))
            .read_to_end(&mut result)
            .unwrap();
        result
    }

    #[test]
    fn crlf_becomes_lf_across_chunk_edges() {
        let input = b"a,b\r\nc\rd\r\n\r\ne\r";
        for chunk in 1..8 {
            assert_eq!(through(input, chunk), b"a,b\nc\rd\n\ne\r", "chunk {chunk}");
        }
    }
}
