//! Tracked topics: saved queries that insight counts over time.

use crate::accounts::SessionUser;
use crate::AppError;
use townhall_core::query::parse;
use townhall_core::Permission;
use townhall_store::{AuditEntry, Store, TrackedTopic};

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

/// [`track`] on behalf of a signed-in user: needs the permission, and the change is audited.
pub fn track_as(
    store: &Store,
    user: &SessionUser,
    name: &str,
    query: &str,
) -> Result<TrackedTopic, AppError> {
    user.require(Permission::ManageTrackedTopics)?;
    let saved = track(store, name, query)?;
    store.append_audit(&AuditEntry {
        actor_id: Some(user.id),
        actor: &user.username,
        action: "tracked_topic.save",
        target: &saved.name,
        detail: &saved.query,
    })?;
    Ok(saved)
}

/// [`untrack`] on behalf of a signed-in user: needs the permission, and the change is audited.
pub fn untrack_as(store: &Store, user: &SessionUser, name: &str) -> Result<(), AppError> {
    user.require(Permission::ManageTrackedTopics)?;
    untrack(store, name)?;
    store.append_audit(&AuditEntry {
        actor_id: Some(user.id),
        actor: &user.username,
        action: "tracked_topic.remove",
        target: name.trim(),
        detail: "",
    })?;
    Ok(())
}
