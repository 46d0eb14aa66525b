//! Generic JSONL and CSV: any records, with a [`FieldMapping`] naming the text, time, id,
//! author and reply-to fields. Channel kind `generic`, account from the options or the file stem.
//! Text and time are required (an empty or blank text is rejected: there is nothing to read);
//! id too unless the mapping's id is empty, then the line number is the id.

use crate::common::{file_stem, loose_string, reject, JsonLines};
use crate::time::parse_flexible;
use crate::{FieldMapping, ImportOptions, Location, Records, Reject};
use serde_json::Value;
use std::io::BufRead;
use townhall_core::{AuthorRef, ChannelKey, ChannelKind, IncomingPost, PostKind};

fn channel(name: &str, opts: &ImportOptions) -> ChannelKey {
    let account = opts.account.clone().unwrap_or_else(|| file_stem(name));
    ChannelKey::new(ChannelKind::Generic, account)
}

/// Field values of one record, before they become a post.
struct GenericFields {
    text: Option<String>,
    time: Option<String>,
    id: Option<String>,
    author: Option<String>,
    reply_to: Option<String>,
}

fn build_post(
    channel: &ChannelKey,
    mapping: &FieldMapping,
    fields: GenericFields,
    line_number: u64,
) -> Result<IncomingPost, String> {
    let text = fields
        .text
        .ok_or_else(|| format!("missing or empty text field `{}`", mapping.text))?;
    let raw_time = fields
        .time
        .ok_or_else(|| format!("missing time field `{}`", mapping.time))?;
    let created_at = parse_flexible(&raw_time).ok_or_else(|| {
        format!(
            "time `{}` in `{}` is not RFC 3339, `YYYY-MM-DD HH:MM:SS` or Unix seconds/ms",
            shorten(&raw_time),
            mapping.time
        )
    })?;
    let id = if mapping.id.is_empty() {
        line_number.to_string()
    } else {
        fields
            .id
            .ok_or_else(|| format!("missing id field `{}`", mapping.id))?
    };
    let mut post = IncomingPost::new(channel.clone(), id, text, created_at);
    if let Some(author) = fields.author {
        post.author = AuthorRef {
            external_id: None,
            handle: Some(author.trim_start_matches('@').to_string()),
            display_name: None,
        };
    }
    if let Some(reply_to) = fields.reply_to {
        post.kind = PostKind::Reply;
        post.reply_to = Some(reply_to);
    }
    Ok(post)
}

/// A value quoted in a reject reason, cut so a huge field does not flood the log.
fn shorten(value: &str) -> String {
    const MAX_CHARS: usize = 40;
    if value.chars().count() <= MAX_CHARS {
        value.to_string()
    } else {
        let cut: String = value.chars().take(MAX_CHARS).collect();
        format!("{cut}…")
    }
}

/// A field by exact key, else by dotted path (`user.screen_name`).
fn lookup<'v>(object: &'v serde_json::Map<String, Value>, key: &str) -> Option<&'v Value> {
    if key.is_empty() {
        return None;
    }
    if let Some(value) = object.get(key) {
        return Some(value);
    }
    let mut parts = key.split('.');
    let mut current = object.get(parts.next()?)?;
    for part in parts {
        current = current.as_object()?.get(part)?;
    }
    Some(current)
}

pub fn read_jsonl<R: BufRead + Send + 'static>(
    name: &str,
    reader: R,
    opts: &ImportOptions,
) -> Records {
    let channel = channel(name, opts);
    let mapping = opts.mapping.clone();
    let file = name.to_string();
    Box::new(JsonLines::new(name, reader).map(move |line| {
        let (line_number, value) = line?;
        let at = Location::Line(line_number);
        let Value::Object(object) = value else {
            return Err(reject(&file, at, "expected a JSON object"));
        };
        let fields = GenericFields {
            text: loose_string(lookup(&object, &mapping.text)),
            time: loose_string(lookup(&object, &mapping.time)),
            id: loose_string(lookup(&object, &mapping.id)),
            author: loose_string(lookup(&object, &mapping.author)),
            reply_to: loose_string(lookup(&object, &mapping.reply_to)),
        };
        build_post(&channel, &mapping, fields, line_number).map_err(|r| reject(&file, at, r))
    }))
}

/// Column positions of the mapped fields in a CSV header.
struct CsvColumns {
    text: usize,
    time: usize,
    id: Option<usize>,
    author: Option<usize>,
    reply_to: Option<usize>,
}

pub fn read_csv<R: BufRead + Send + 'static>(
    name: &str,
    reader: R,
    opts: &ImportOptions,
) -> Records {
    let delimiter = if name.to_ascii_lowercase().ends_with(".tsv") {
        b'\t'
    } else {
        b','
    };
    let mut csv_reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(crate::common::CrlfToLf::new(reader));
    let header = match csv_reader.byte_headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            return crate::common::file_reject(name, format!("cannot read the CSV header: {e}"))
        }
    };
    let header: Vec<String> = header
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let h = if i == 0 {
                crate::common::strip_bom(h)
            } else {
                h
            };
            String::from_utf8_lossy(h).trim().to_string()
        })
        .collect();
    let mapping = opts.mapping.clone();
    let find = |column: &str| header.iter().position(|h| h == column);
    let required = |column: &str| {
        find(column).ok_or_else(|| {
            format!(
                "column `{column}` not in the header ({})",
                shorten(&header.join(","))
            )
        })
    };
    let columns = (|| -> Result<CsvColumns, String> {
        Ok(CsvColumns {
            text: required(&mapping.text)?,
            time: required(&mapping.time)?,
            id: if mapping.id.is_empty() {
                None
            } else {
                Some(required(&mapping.id)?)
            },
            author: find(&mapping.author),
            reply_to: find(&mapping.reply_to),
        })
    })();
    let columns = match columns {
        Ok(c) => c,
        Err(reason) => return crate::common::file_reject(name, reason),
    };
    let channel = channel(name, opts);
    let file = name.to_string();
    let rows = csv_records(name, csv_reader);
    Box::new(rows.map(move |row| {
        let (line_number, record) = row?;
        let at = Location::Line(line_number);
        let cell = |index: Option<usize>| -> Result<Option<String>, Reject> {
            let Some(bytes) = index.and_then(|i| record.get(i)) else {
                return Ok(None);
            };
            let s = std::str::from_utf8(bytes).map_err(|e| {
                reject(
                    &file,
                    at.clone(),
                    format!("not UTF-8 in column {}: {e}", index.unwrap_or(0) + 1),
                )
            })?;
            Ok((!s.trim().is_empty()).then(|| s.to_string()))
        };
        let fields = GenericFields {
            text: cell(Some(columns.text))?,
            time: cell(Some(columns.time))?,
            id: cell(columns.id)?,
            author: cell(columns.author)?,
            reply_to: cell(columns.reply_to)?,
        };
        build_post(&channel, &mapping, fields, line_number).map_err(|r| reject(&file, at, r))
    }))
}

/// CSV rows with the 1-based line each starts on; a read error ends the stream after one
/// reject (an I/O error would otherwise repeat forever), a parse error rejects only its row.
pub fn csv_records<R: std::io::Read + Send + 'static>(
    name: &str,
    csv_reader: csv::Reader<R>,
) -> impl Iterator<Item = Result<(u64, csv::ByteRecord), Reject>> + Send + 'static {
    let file = name.to_string();
    let mut rows = csv_reader.into_byte_records();
    let mut stopped = false;
    std::iter::from_fn(move || {
        if stopped {
            return None;
        }
        match rows.next()? {
            Ok(record) => {
                let line = record.position().map(|p| p.line()).unwrap_or(0);
                if record
                    .iter()
                    .all(|field| field.iter().all(u8::is_ascii_whitespace))
                {
                    // A blank line: nothing to import, nothing wrong.
                    return Some(Ok((line, csv::ByteRecord::new())));
                }
                Some(Ok((line, record)))
            }
            Err(e) => {
                let location = e
                    .position()
                    .map(|p| Location::Line(p.line()))
                    .unwrap_or(Location::File);
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    stopped = true;
                }
                Some(Err(reject(&file, location, format!("CSV error: {e}"))))
            }
        }
    })
    .filter(|row| !matches!(row, Ok((_, record)) if record.is_empty()))
}
