//! Search with the query language.

use crate::AppError;
use serde::Serialize;
use townhall_core::query::parse;
use townhall_core::StoredPost;
use townhall_store::{Sort, Store};

#[derive(Debug, Clone, Serialize)]
pub struct SearchPage {
    pub query: String,
    pub sort: Sort,
    pub total: usize,
    pub offset: usize,
    pub posts: Vec<StoredPost>,
}

/// Largest page a caller can ask for.
pub const MAX_LIMIT: usize = 200;

pub fn search(
    store: &Store,
    query_text: &str,
    sort: Sort,
    limit: usize,
    offset: usize,
) -> Result<SearchPage, AppError> {
    let query = parse(query_text).map_err(|e| AppError::query(query_text, e))?;
    let results = store.search(&query, sort, limit.clamp(1, MAX_LIMIT), offset)?;
    Ok(SearchPage {
        query: query_text.to_string(),
        sort,
        total: results.total,
        offset,
        posts: results.posts,
    })
}
