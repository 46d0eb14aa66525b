//! The JSON API.

use crate::error::ApiError;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::Json;
use serde::Deserialize;
use townhall_app::insights::{InsightRequest, InsightResponse};
use townhall_app::search::{search as run_search, SearchPage};
use townhall_app::Sort;
use townhall_core::StoredPost;

#[derive(Debug, Deserialize)]
pub(crate) struct SearchParams {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub sort: Option<String>,
    #[serde(default)]
    pub limit: Option<usize>,
    #[serde(default)]
    pub offset: Option<usize>,
}

/// Longest query text accepted from the web.
pub(crate) const MAX_QUERY_CHARS: usize = 1_000;

impl SearchParams {
    pub(crate) fn sort(&self) -> Result<Sort, ApiError> {
        match self.sort.as_deref().filter(|s| !s.is_empty()) {
            None => Ok(Sort::Relevance),
            Some(s) => Sort::parse(s).ok_or_else(|| {
                ApiError::App(townhall_app::AppError::Invalid(
                    "sort must be relevance, newest or oldest".into(),
                ))
            }),
        }
    }
}

pub(crate) async fn run(state: &AppState, params: &SearchParams) -> Result<SearchPage, ApiError> {
    let sort = params.sort()?;
    let q: String = params.q.chars().take(MAX_QUERY_CHARS).collect();
    let limit = params.limit.unwrap_or(20);
    let offset = params.offset.unwrap_or(0).min(10_000);
    let store = state.store.clone();
    Ok(tokio::task::spawn_blocking(move || run_search(&store, &q, sort, limit, offset)).await??)
}

pub(crate) async fn search(
    State(state): State<AppState>,
    Query(params): Query<SearchParams>,
) -> Result<Json<SearchPage>, ApiError> {
    Ok(Json(run(&state, &params).await?))
}

pub(crate) async fn post(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<StoredPost>, ApiError> {
    let store = state.store.clone();
    let post = tokio::task::spawn_blocking(move || store.post(id))
        .await?
        .map_err(townhall_app::AppError::from)?;
    post.map(Json).ok_or(ApiError::NotFound)
}

pub(crate) async fn thread(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<townhall_app::Thread>, ApiError> {
    let store = state.store.clone();
    let thread = tokio::task::spawn_blocking(move || store.thread(id, 200))
        .await?
        .map_err(townhall_app::AppError::from)?;
    thread.map(Json).ok_or(ApiError::NotFound)
}

/// Scope of an insight report, as query parameters (`channel` may repeat, or be comma-separated).
#[derive(Debug, Deserialize)]
pub(crate) struct InsightParams {
    #[serde(default)]
    pub since: Option<String>,
    #[serde(default)]
    pub until: Option<String>,
    #[serde(default)]
    pub channel: Option<String>,
    #[serde(default)]
    pub q: Option<String>,
    #[serde(default)]
    pub utc_offset: Option<i32>,
    #[serde(default)]
    pub top: Option<usize>,
}

pub(crate) async fn insights(
    State(state): State<AppState>,
    Query(params): Query<InsightParams>,
) -> Result<Json<InsightResponse>, ApiError> {
    let cap = |v: Option<String>| v.map(|v| v.chars().take(MAX_QUERY_CHARS).collect::<String>());
    let request = InsightRequest {
        since: cap(params.since),
        until: cap(params.until),
        channels: cap(params.channel)
            .map(|c| {
                c.split(',')
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default(),
        query: cap(params.q),
        utc_offset_minutes: params.utc_offset.unwrap_or(0).clamp(-14 * 60, 14 * 60),
        top: params.top.unwrap_or(0),
    };
    let (store, insights) = (state.store.clone(), state.insights.clone());
    Ok(Json(
        tokio::task::spawn_blocking(move || insights.report(&store, &request)).await??,
    ))
}

pub(crate) async fn tracked_topics(
    State(state): State<AppState>,
) -> Result<Json<Vec<townhall_app::TrackedTopic>>, ApiError> {
    let store = state.store.clone();
    Ok(Json(
        tokio::task::spawn_blocking(move || townhall_app::tracked::tracked(&store)).await??,
    ))
}

/// Liveness for monitors: cheap on any store size (the index's document count, not a row count).
pub(crate) async fn health(State(state): State<AppState>) -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok", "posts": state.store.searchable_posts() }))
}

#[derive(Debug, Deserialize)]
pub(crate) struct TrackBody {
    name: String,
    query: String,
}

/// Save a tracked topic (or change its query); audited.
pub(crate) async fn track(
    State(state): State<AppState>,
    axum::Extension(user): axum::Extension<townhall_app::accounts::SessionUser>,
    Json(body): Json<TrackBody>,
) -> Result<(axum::http::StatusCode, Json<townhall_app::TrackedTopic>), ApiError> {
    let store = state.store.clone();
    let saved = tokio::task::spawn_blocking(move || {
        townhall_app::tracked::track_as(&store, &user, &body.name, &body.query)
    })
    .await??;
    Ok((axum::http::StatusCode::CREATED, Json(saved)))
}

/// Stop tracking a topic; audited.
pub(crate) async fn untrack(
    State(state): State<AppState>,
    axum::Extension(user): axum::Extension<townhall_app::accounts::SessionUser>,
    Path(name): Path<String>,
) -> Result<axum::http::StatusCode, ApiError> {
    let store = state.store.clone();
    tokio::task::spawn_blocking(move || townhall_app::tracked::untrack_as(&store, &user, &name))
        .await??;
    Ok(axum::http::StatusCode::NO_CONTENT)
}
