use townhall_core::query::ParseError;
use townhall_core::Permission;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    Store(#[from] townhall_store::StoreError),
    #[error("{0}")]
    Ingest(#[from] townhall_ingest::IngestError),
    #[error("query: {message} at position {position}\n{pointer}")]
    Query {
        message: String,
        position: usize,
        /// The query with a caret under the problem, for terminals.
        pointer: String,
    },
    #[error("{0}")]
    Invalid(String),
    #[error("an earlier request failed while holding a lock; restart Townhall")]
    Poisoned,
    /// No session, or a wrong name or password (which of the two is not said).
    #[error("wrong user name or password, or not signed in")]
    Unauthorized,
    #[error("your role does not allow this ({permission:?})")]
    Forbidden { permission: Permission },
    #[error("too many failed sign-in attempts; try again in {retry_after_secs} s")]
    TooManyAttempts { retry_after_secs: u64 },
    /// Too many requests of one kind from one participant or address.
    #[error("{message}")]
    RateLimited {
        message: String,
        retry_after_secs: u64,
    },
    /// Not open to this person now (a consultation's phase), whoever they are.
    #[error("{0}")]
    NotOpen(String),
}

impl AppError {
    pub(crate) fn query(input: &str, err: ParseError) -> AppError {
        AppError::Query {
            pointer: err.pointer(input),
            message: err.message,
            position: err.position,
        }
    }
}
