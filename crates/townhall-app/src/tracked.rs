//! Tracked topics: saved queries that insight counts over time.

use crate::AppError;
use townhall_core::query::parse;
use townhall_store::{Store, TrackedTopic};

/// Longest name a tracked topic may have.
pub const MAX_NAME_CHARS: usize = 100;

/// Save a tracked topic (or change its query). The query must parse.
pub fn track(store: &Store, name: &str, query: &str) -> Result<TrackedTopic, AppError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(AppError::Invalid(format!(
            "a tracked topic needs a name of 1 to {MAX_NAME_CHARS} characters"
        )));
    }
    let query = query.trim();
    parse(query).map_err(|e| AppError::query(query, e))?;
    Ok(store.save_tracked_topic(name, query)?)
}

pub fn tracked(store: &Store) -> Result<Vec<TrackedTopic>, AppError> {
    Ok(store.tracked_topics()?)
}

/// Stop tracking; an unknown name is an error so a typo does not pass silently.
pub fn untrack(store: &Store, name: &str) -> Result<(), AppError> {
    if store.remove_tracked_topic(name.trim())? {
        Ok(())
    } else {
        Err(AppError::Invalid(format!(
            "no tracked topic is called '{}'",
            name.trim()
        )))
    }
}
