//! Insight over the stored posts: where people are, topics, language, sentiment, communities and
//! engagement, for a scope (time window, channels, query).
//!
//! The engine keeps the facts of every stored post in memory and, on each request, loads only the
//! posts stored since the last one (incremental), so a report over a million posts costs the
//! computation, not a reload.

use crate::AppError;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::sync::Mutex;
use townhall_core::query::{parse, time_bound};
use townhall_insight::report::{self, InsightReport, ReportOptions, TrackedQuery};
use townhall_insight::topic_cache::TopicCache;
use townhall_insight::{Corpus, Scope};
use townhall_store::Store;

/// What a report covers and how much detail it gives.
#[derive(Debug, Clone, Default)]
pub struct InsightRequest {
    /// `2024-05-01` or an RFC 3339 time (inclusive).
    pub since: Option<String>,
    /// `2024-05-31` (the whole day included) or an RFC 3339 time (exclusive).
    pub until: Option<String>,
    /// Channels (`x`, `x:AccountName`, `mastodon`…); empty for all.
    pub channels: Vec<String>,
    /// Only posts matching this query (the search language).
    pub query: Option<String>,
    /// Time zone for hour-of-week figures, minutes east of UTC.
    pub utc_offset_minutes: i32,
    /// Rows per list (top accounts, topics' posts, terms…); 0 means the default.
    pub top: usize,
}

/// Rows per list when the request does not say.
pub const DEFAULT_TOP: usize = 10;
/// Posts read from the store per page while catching up.
const LOAD_PAGE: usize = 20_000;

/// The insight engine of one store: facts in memory, topic models cached.
#[derive(Default)]
pub struct Insights {
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    corpus: Corpus,
    topics: TopicCache,
    /// Recent reports by request and store watermark: a report is only recomputed when its request is new
    /// or posts have arrived since (pages ask for the same report again and again).
    recent: Vec<(String, InsightResponse)>,
}

/// Reports kept for repeated requests.
const RECENT_REPORTS: usize = 8;

/// A report with what it covered.
#[derive(Debug, Clone, Serialize)]
pub struct InsightResponse {
    pub scope: ScopeEcho,
    #[serde(flatten)]
    pub report: InsightReport,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScopeEcho {
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    pub channels: Vec<String>,
    pub query: Option<String>,
    pub posts: usize,
    pub stored_posts: usize,
}

impl Insights {
    pub fn new() -> Insights {
        Insights::default()
    }

    /// Bring the facts up to date with the store; returns how many posts were added.
    pub fn refresh(&self, store: &Store) -> Result<usize, AppError> {
        let mut state = self.state.lock().map_err(|_| AppError::Poisoned)?;
        load_new_posts(store, &mut state)
    }

    pub fn report(
        &self,
        store: &Store,
        request: &InsightRequest,
    ) -> Result<InsightResponse, AppError> {
        let since = parse_bound("since", request.since.as_deref(), false)?;
        let until = parse_bound("until", request.until.as_deref(), true)?;
        let query = match request
            .query
            .as_deref()
            .map(str::trim)
            .filter(|q| !q.is_empty())
        {
            Some(text) => Some(parse(text).map_err(|e| AppError::query(text, e))?),
            None => None,
        };
        let saved = store.tracked_topics()?;

        let mut state = self.state.lock().map_err(|_| AppError::Poisoned)?;
        load_new_posts(store, &mut state)?;
        let cache_key = format!(
            "{}|{}|{}|{}|{:?}",
            scope_key(request),
            request.utc_offset_minutes,
            request.top,
            state.corpus.watermark(),
            saved
                .iter()
                .map(|t| (&t.name, &t.query))
                .collect::<Vec<_>>()
        );
        if let Some(position) = state.recent.iter().position(|(k, _)| *k == cache_key) {
            // Most recently used last.
            let hit = state.recent.remove(position);
            let response = hit.1.clone();
            state.recent.push(hit);
            return Ok(response);
        }
        let ids = match &query {
            Some(query) => Some(store.matching_ids(query)?),
            None => None,
        };
        let tracked = saved
            .into_iter()
            .filter_map(|t| {
                let query = parse(&t.query).ok()?;
                let ids = store.matching_ids(&query).ok()?;
                Some(TrackedQuery {
                    name: t.name,
                    query: t.query,
                    ids,
                })
            })
            .collect::<Vec<_>>();
        let scope = Scope {
            since,
            until,
            channels: request.channels.clone(),
            ids,
        };
        let selected = scope.select(&state.corpus);
        let options = ReportOptions {
            utc_offset_minutes: request.utc_offset_minutes,
            top: if request.top == 0 {
                DEFAULT_TOP
            } else {
                request.top.min(100)
            },
            scope_key: scope_key(request),
        };
        let State {
            corpus,
            topics,
            recent,
        } = &mut *state;
        let report = report::build(corpus, &selected, topics, &tracked, &options);
        let response = InsightResponse {
            scope: ScopeEcho {
                since,
                until,
                channels: request.channels.clone(),
                query: request.query.clone(),
                posts: selected.len(),
                stored_posts: corpus.len(),
            },
            report,
        };
        if recent.len() >= RECENT_REPORTS {
            recent.remove(0);
        }
        recent.push((cache_key, response.clone()));
        Ok(response)
    }
}

fn parse_bound(
    field: &str,
    value: Option<&str>,
    is_until: bool,
) -> Result<Option<DateTime<Utc>>, AppError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => time_bound(v, is_until).map(Some).ok_or_else(|| {
            AppError::Invalid(format!(
                "{field}: expects a date like 2024-05-01 or a time like 2024-05-01T09:30:00Z, not '{v}'"
            ))
        }),
    }
}

/// Identifies a scope for the topic-model cache (the same window gets the same topics).
fn scope_key(request: &InsightRequest) -> String {
    format!(
        "{}|{}|{}|{}",
        request.since.as_deref().unwrap_or(""),
        request.until.as_deref().unwrap_or(""),
        request.channels.join(","),
        request.query.as_deref().unwrap_or("")
    )
}

fn load_new_posts(store: &Store, state: &mut State) -> Result<usize, AppError> {
    let mut added = 0;
    loop {
        let page = store.posts_after(state.corpus.watermark(), LOAD_PAGE)?;
        if page.is_empty() {
            return Ok(added);
        }
        added += page.len();
        state.corpus.extend(&page);
    }
}
