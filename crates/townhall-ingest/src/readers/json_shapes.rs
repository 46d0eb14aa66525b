//! Inputs that may be a JSON array, a single JSON object or JSONL (Mastodon statuses, Bluesky
//! responses): sniff the shape, then hand each element to a parser with its location.

use crate::common::{json_kind, read_whole, reject, strip_bom, JsonLines};
use crate::{IngestError, Location, Records, Reject};
use serde_json::Value;
use std::io::{BufRead, Cursor};
use townhall_core::IncomingPost;

/// Parses one element; may yield several posts (a Bluesky response holds many).
pub type ElementParser =
    dyn Fn(Value, Location) -> Vec<Result<IncomingPost, Reject>> + Send + Sync + 'static;

fn looks_like_jsonl(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".jsonl") || lower.ends_with(".ndjson")
}

/// `.jsonl`/`.ndjson` files are streamed line by line. Anything else is read whole: an array
/// gives one element per index, an object is one element (`Location::File`), and text that is
/// several objects one per line falls back to JSONL.
pub fn read_array_object_or_lines<R: BufRead + Send + 'static>(
    name: &str,
    reader: R,
    parse: std::sync::Arc<ElementParser>,
) -> Result<Records, IngestError> {
    if looks_like_jsonl(name) {
        return Ok(jsonl(name, reader, parse));
    }
    let bytes = read_whole(name, reader)?;
    match serde_json::from_slice::<Value>(strip_bom(&bytes)) {
        Ok(Value::Array(items)) => {
            let out: Vec<_> = items
                .into_iter()
                .enumerate()
                .flat_map(|(i, item)| parse(item, Location::Index(i as u64)))
                .collect();
            Ok(Box::new(out.into_iter()))
        }
        Ok(object @ Value::Object(_)) => Ok(Box::new(parse(object, Location::File).into_iter())),
        Ok(other) => Ok(crate::common::file_reject(
            name,
            format!(
                "expected a JSON array or object, found {}",
                json_kind(&other)
            ),
        )),
        Err(e) if e.is_syntax() && e.line() > 1 && first_line_is_json(&bytes) => {
            Ok(jsonl(name, Cursor::new(bytes), parse))
        }
        Err(e) => Ok(crate::common::file_reject(
            name,
            format!("invalid JSON: {e}"),
        )),
    }
}

/// True when the first non-empty line parses as JSON on its own (so the input is JSONL).
fn first_line_is_json(bytes: &[u8]) -> bool {
    strip_bom(bytes)
        .split(|&b| b == b'\n')
        .find(|line| !line.iter().all(u8::is_ascii_whitespace))
        .is_some_and(|line| serde_json::from_slice::<Value>(line).is_ok())
}

fn jsonl<R: BufRead + Send + 'static>(
    name: &str,
    reader: R,
    parse: std::sync::Arc<ElementParser>,
) -> Records {
    Box::new(
        JsonLines::new(name, reader).flat_map(move |line| match line {
            Ok((number, value)) => parse(value, Location::Line(number)),
            Err(r) => vec![Err(r)],
        }),
    )
}

pub fn not_object(file: &str, at: Location, value: &Value) -> Reject {
    reject(
        file,
        at,
        format!("expected a JSON object, found {}", json_kind(value)),
    )
}
