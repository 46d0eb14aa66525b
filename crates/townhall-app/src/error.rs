use townhall_core::query::ParseError;

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
    #[error("an earlier request failed while holding the insight engine; restart Townhall")]
    Poisoned,
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
