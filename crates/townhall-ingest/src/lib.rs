//! Source-format readers. Each turns bytes into a stream of [`IncomingPost`]s, and every record it
//! cannot use into a [`Reject`] that names the file, the line (or index) and the reason, without
//! losing the good records beside it.

use std::fmt;
use std::io::BufRead;
use std::path::Path;
use townhall_core::IncomingPost;

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

/// Which column/field holds what, for the generic CSV and JSONL readers.
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
}

/// Guess the format from the file name and its first bytes.
pub fn detect(_name: &str, _head: &[u8]) -> Option<Format> {
    None
}

/// Open a file and stream its records; the format is detected unless given.
pub fn read_file(
    path: &Path,
    _format: Option<Format>,
    _opts: &ImportOptions,
) -> Result<Records, IngestError> {
    Err(IngestError::UnknownFormat {
        file: path.display().to_string(),
    })
}

/// Stream records from any reader (an upload, stdin); `name` is used in rejects.
pub fn read<R: BufRead + Send + 'static>(
    name: &str,
    _reader: R,
    _format: Format,
    _opts: &ImportOptions,
) -> Result<Records, IngestError> {
    Err(IngestError::UnknownFormat {
        file: name.to_string(),
    })
}
