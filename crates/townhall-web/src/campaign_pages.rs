//! Idea campaigns in the browser (`/campaigns`, `/campaigns/{slug}`) and the API
//! (`/api/campaigns…`): a strategy's call for ideas on one question, with employees first, then the
//! public, then closed.

use crate::chrome::Chrome;
use crate::error::{blocking, ApiError, PageError};
use crate::inbox_pages::when;
use crate::pages::MessageQuery;
use crate::pages::{render, url_encode};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form, Json};
use serde::Deserialize;
use townhall_app::accounts::SessionUser;
use townhall_app::actor::Actor;
use townhall_app::campaigns::{
    audience_label, create, list, set_audience, view, CampaignInput, AUDIENCES,
};
use townhall_app::CampaignRow;
use townhall_core::Permission;
use townhall_engage::IdeaStage;

struct CampaignLine {
    slug: String,
    title: String,
    question: String,
    audience: &'static str,
    strategy: String,
    ideas: u64,
    adopted: u64,
}

fn line(c: &CampaignRow) -> CampaignLine {
    CampaignLine {
        slug: c.slug.clone(),
        title: c.title.clone(),
        question: c.question.clone(),
        audience: audience_label(&c.audience),
        strategy: c.strategy.clone().unwrap_or_else(|| "—".into()),
        ideas: c.ideas,
        adopted: c.adopted,
    }
}

#[derive(Template)]
#[template(path = "campaigns.html")]
struct CampaignsPage {
    title: &'static str,
    chrome: Chrome,
    lines: Vec<CampaignLine>,
    can_manage: bool,
    message: String,
}

pub(crate) async fn campaigns(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Query(query): Query<MessageQuery>,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let all = blocking(move || list(&store)).await?;
    Ok(render(
        StatusCode::OK,
        &CampaignsPage {
            title: "Idea campaigns",
            chrome: Chrome::of(Some(&user)),
            lines: all.iter().map(line).collect(),
            can_manage: user.can(Permission::ManageIdeas),
            message: query.shown(300),
        },
    ))
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct CampaignForm {
    #[serde(default)]
    slug: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    question: String,
    #[serde(default)]
    strategy: String,
}

pub(crate) async fn create_page(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Form(form): Form<CampaignForm>,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let actor = Actor::from(&user);
    let input = CampaignInput {
        slug: form.slug,
        title: form.title,
        question: form.question,
        strategy: Some(form.strategy),
    };
    let c = blocking(move || create(&store, &actor, &input)).await?;
    Ok(Redirect::to(&format!("/campaigns/{}", c.slug)).into_response())
}

struct IdeaLine {
    id: i64,
    title: String,
    stage: &'static str,
    source: String,
    votes_for: u64,
    updated: String,
}

#[derive(Template)]
#[template(path = "campaign.html")]
struct CampaignPage {
    title: &'static str,
    chrome: Chrome,
    c: CampaignLine,
    slug: String,
    stages: Vec<(&'static str, u64)>,
    ideas: Vec<IdeaLine>,
    audiences: Vec<(&'static str, &'static str, bool)>,
    open: bool,
    public: bool,
    can_contribute: bool,
    can_manage: bool,
    message: String,
}

fn stage_label(stage: &str) -> &'static str {
    stage.parse::<IdeaStage>().map_or("unknown", |s| s.label())
}

pub(crate) async fn campaign(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Path(slug): Path<String>,
    Query(query): Query<MessageQuery>,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let v = blocking(move || view(&store, &slug)).await?;
    let audience_now = v.campaign.audience.clone();
    Ok(render(
        StatusCode::OK,
        &CampaignPage {
            title: "Idea campaign",
            chrome: Chrome::of(Some(&user)),
            c: line(&v.campaign),
            slug: v.campaign.slug.clone(),
            stages: v.stages.iter().map(|(s, n)| (stage_label(s), *n)).collect(),
            ideas: v
                .ideas
                .iter()
                .map(|i| IdeaLine {
                    id: i.id,
                    title: i.title.clone(),
                    stage: stage_label(&i.stage),
                    source: i.source_kind.clone(),
                    votes_for: i.votes_for,
                    updated: when(i.updated_at),
                })
                .collect(),
            audiences: AUDIENCES
                .iter()
                .map(|(a, l)| (*a, *l, *a == audience_now))
                .collect(),
            open: audience_now != "closed",
            public: audience_now == "public",
            can_contribute: user.can(Permission::ContributeIdeas),
            can_manage: user.can(Permission::ManageIdeas),
            message: query.shown(300),
        },
    ))
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct AudienceForm {
    #[serde(default)]
    audience: String,
}

pub(crate) async fn campaign_post(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Path(slug): Path<String>,
    Form(form): Form<AudienceForm>,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let actor = Actor::from(&user);
    let c = blocking(move || set_audience(&store, &actor, &slug, &form.audience)).await?;
    Ok(Redirect::to(&format!(
        "/campaigns/{}?message={}",
        c.slug,
        url_encode(&format!("Now: {}.", audience_label(&c.audience)))
    ))
    .into_response())
}

pub(crate) async fn api_list(State(state): State<AppState>) -> Result<Response, ApiError> {
    let store = state.store.clone();
    let all = blocking(move || list(&store)).await?;
    Ok(Json(serde_json::json!({ "campaigns": all })).into_response())
}

pub(crate) async fn api_create(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Json(input): Json<CampaignInput>,
) -> Result<Response, ApiError> {
    let store = state.store.clone();
    let actor = Actor::from(&user);
    let c = blocking(move || create(&store, &actor, &input)).await?;
    Ok((StatusCode::CREATED, Json(c)).into_response())
}

pub(crate) async fn api_view(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response, ApiError> {
    let store = state.store.clone();
    let v = blocking(move || view(&store, &slug)).await?;
    Ok(Json(v).into_response())
}

pub(crate) async fn api_audience(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Path(slug): Path<String>,
    Json(form): Json<AudienceForm>,
) -> Result<Response, ApiError> {
    let store = state.store.clone();
    let actor = Actor::from(&user);
    let c = blocking(move || set_audience(&store, &actor, &slug, &form.audience)).await?;
    Ok(Json(c).into_response())
}
