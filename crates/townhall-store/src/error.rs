use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the store at {path}: {source}")]
    Open {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("database: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("migration {version} failed: {source}")]
    Migration {
        version: u32,
        #[source]
        source: rusqlite::Error,
    },
    #[error(
        "the store was written by a newer Townhall (schema {found}, this build knows {known})"
    )]
    TooNew { found: u32, known: u32 },
    #[error(
        "another Townhall process is writing to this store (an import?); try again when it is done"
    )]
    Busy,
    #[error("a store lock was poisoned by an earlier panic")]
    Poisoned,
    #[error("cannot make a key for pseudonyms: {0}")]
    Random(String),
    #[error("{0}")]
    Conflict(String),
    #[error("no such {0}")]
    NotFound(String),
}
