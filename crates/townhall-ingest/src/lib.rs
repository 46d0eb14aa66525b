//! Source-format readers. Each turns bytes into a stream of [`IncomingPost`]s, and every record it
//! cannot use into a [`Reject`] that names the file, the line (or index) and the reason, without
//! losing the good records beside it.
//!
//! Line-based formats (JSONL, CSV, regulations.gov CSV, Mastodon JSONL) are streamed record by
//! record. Formats that are one JSON or XML document (congresstweets, Mastodon arrays, Bluesky,
//! X archives, publicreplies threads, RSS/Atom) are parsed whole and then yield per-element
//! results; a syntax error in such a document is one [`Location::File`] reject.

mod accounts;
mod common;
mod detect;
mod html;
mod readers;
mod time;

use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use townhall_core::IncomingPost;

pub use accounts::{AccountType, AccountsRegistry, RegisteredAccount};
pub use detect::detect;
pub use html::html_to_text;
pub use time::{parse_flexible as parse_time, parse_twitter as parse_twitter_time};

/// The formats Townhall reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Jsonl,
    Csv,
    CongressTweets,
    Mastodon,
    Bluesky,
    XArchive,
    PublicReplies,
    Feed,
    RegulationsGov,
}

impl Format {
    pub const ALL: [Format; 9] = [
        Format::Jsonl,
        Format::Csv,
        Format::CongressTweets,
        Format::Mastodon,
        Format::Bluesky,
        Format::XArchive,
        Format::PublicReplies,
        Format::Feed,
        Format::RegulationsGov,
    ];

    /// The name used on the command line (`--format`).
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::Csv => "csv",
            Format::CongressTweets => "congresstweets",
            Format::Mastodon => "mastodon",
            Format::Bluesky => "bluesky",
            Format::XArchive => "x-archive",
            Format::PublicReplies => "publicreplies",
            Format::Feed => "feed",
            Format::RegulationsGov => "regulations-gov",
        }
    }

    pub fn parse(s: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.as_str() == s)
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where in a file a rejected record was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// 1-based line number.
    Line(u64),
    /// 0-based index in a JSON array (or similar).
    Index(u64),
    /// The file as a whole.
    File,
}

/// A record that could not be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reject {
    pub file: String,
    pub location: Location,
    pub reason: String,
}

impl fmt::Display for Reject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Location::Line(n) => write!(f, "{}:{}: {}", self.file, n, self.reason),
            Location::Index(n) => write!(f, "{}[{}]: {}", self.file, n, self.reason),
            Location::File => write!(f, "{}: {}", self.file, self.reason),
        }
    }
}

/// A stream of posts and rejects, in file order.
pub type Records = Box<dyn Iterator<Item = Result<IncomingPost, Reject>> + Send>;

/// Which column/field holds what, for the generic CSV and JSONL readers. In JSONL a name may
/// be a dotted path (`user.name`) when no top-level key has that exact name. An empty `id`
/// means "no id column": the line number becomes the id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldMapping {
    pub text: String,
    pub time: String,
    pub id: String,
    pub author: String,
    pub reply_to: String,
}

impl Default for FieldMapping {
    fn default() -> Self {
        FieldMapping {
            text: "text".into(),
            time: "created_at".into(),
            id: "id".into(),
            author: "author".into(),
            reply_to: "reply_to".into(),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    pub mapping: FieldMapping,
    /// Channel account for formats that do not name one (generic CSV/JSONL: else the file
    /// stem; X archive: else found in the data) or to override the per-author channel
    /// (Mastodon, Bluesky) and the docket (regulations.gov) or feed link (RSS/Atom).
    pub account: Option<String>,
    /// congresstweets: tells office accounts (`own = Some(true)`) from campaign accounts
    /// (`Some(false)`); posts by accounts it does not list keep `own = None`.
    pub accounts_registry: Option<AccountsRegistry>,
}

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("{file}: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}: cannot tell the format; name it with --format")]
    UnknownFormat { file: String },
    #[error("{file}: larger than the {limit}-byte limit for a single document")]
    TooLarge { file: String, limit: u64 },
    #[error("accounts registry: {reason}")]
    Registry { reason: String },
}

/// How many leading bytes [`read_file`] looks at to detect the format.
pub const DETECT_HEAD_BYTES: usize = 16 * 1024;

/// Open a file and stream its records; the format is detected unless given.
pub fn read_file(
    path: &Path,
    format: Option<Format>,
    opts: &ImportOptions,
) -> Result<Records, IngestError> {
    let name = path.display().to_string();
    let io_error = |source| IngestError::Io {
        file: name.clone(),
        source,
    };
    let file = File::open(path).map_err(io_error)?;
    let mut reader = BufReader::with_capacity(DETECT_HEAD_BYTES.max(64 * 1024), file);
    let format = match format {
        Some(format) => format,
        None => {
            let head = peek_head(&mut reader).map_err(io_error)?;
            detect(&name, &head).ok_or_else(|| IngestError::UnknownFormat { file: name.clone() })?
        }
    };
    read(&name, reader, format, opts)
}

/// The first bytes of a buffered reader without consuming them (as many as one buffer holds).
fn peek_head<R: Read>(reader: &mut BufReader<R>) -> std::io::Result<Vec<u8>> {
    let head = reader.fill_buf()?;
    Ok(head[..head.len().min(DETECT_HEAD_BYTES)].to_vec())
}

/// Stream records from any reader (an upload, stdin); `name` is used in rejects.
pub fn read<R: BufRead + Send + 'static>(
    name: &str,
    reader: R,
    format: Format,
    opts: &ImportOptions,
) -> Result<Records, IngestError> {
    use readers::*;
    match format {
        Format::Jsonl => Ok(generic::read_jsonl(name, reader, opts)),
        Format::Csv => Ok(generic::read_csv(name, reader, opts)),
        Format::CongressTweets => congress::read(name, reader, opts),
        Format::Mastodon => mastodon::read(name, reader, opts),
        Format::Bluesky => bluesky::read(name, reader, opts),
        Format::XArchive => x_archive::read(name, reader, opts),
        Format::PublicReplies => public_replies::read(name, reader, opts),
        Format::Feed => feed::read(name, reader, opts),
        Format::RegulationsGov => Ok(regulations::read(name, reader, opts)),
    }
}
