//! Ideas in the browser: the list by stage with a form to submit one (`/ideas`), and one idea
//! (`/ideas/{id}`: votes, comments, similar ideas to merge, stage, owner, strategy, history).

use crate::chrome::Chrome;
use crate::error::{blocking, PageError};
use crate::inbox_pages::{iso, when};
use crate::pages::render;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use serde::Deserialize;
use townhall_app::accounts::SessionUser;
use townhall_app::actor::Actor;
use townhall_app::ideas::{act, list, submit, view, IdeaCommand, IdeaInput, IdeaSource, IdeaView};
use townhall_app::AppError;
use townhall_app::IdeaRow;
use townhall_core::Permission;
use townhall_engage::IdeaStage;

struct IdeaLine {
    id: i64,
    title: String,
    stage: &'static str,
    votes_for: u64,
    votes_against: u64,
    comments: u64,
    owner: String,
    strategy: String,
    source: String,
    updated: String,
    updated_iso: String,
}

fn stage_label(stage: &str) -> &'static str {
    stage.parse::<IdeaStage>().map_or("unknown", |s| s.label())
}

impl IdeaLine {
    fn of(i: &IdeaRow) -> IdeaLine {
        IdeaLine {
            id: i.id,
            title: i.title.clone(),
            stage: stage_label(&i.stage),
            votes_for: i.votes_for,
            votes_against: i.votes_against,
            comments: i.comments,
            owner: i.owner.clone().unwrap_or_else(|| "—".into()),
            strategy: i.strategy.clone().unwrap_or_else(|| "—".into()),
            source: i.source_kind.clone(),
            updated: when(i.updated_at),
            updated_iso: iso(i.updated_at),
        }
    }
}

#[derive(Template)]
#[template(path = "ideas.html")]
struct IdeasPage {
    title: &'static str,
    chrome: Chrome,
    stages: Vec<(&'static str, &'static str, bool)>,
    lines: Vec<IdeaLine>,
    /// Open idea campaigns (address, title).
    campaigns: Vec<(String, String)>,
    can_contribute: bool,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct IdeasQuery {
    #[serde(default)]
    stage: String,
}

pub(crate) async fn ideas(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Query(query): Query<IdeasQuery>,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let stage = query.stage.clone();
    let (rows, campaigns) = blocking(move || {
        Ok((
            list(&store, Some(&stage), 500)?,
            townhall_app::campaigns::list(&store)?,
        ))
    })
    .await?;
    let mut stages = vec![("", "All stages", query.stage.is_empty())];
    stages.extend(
        IdeaStage::ALL
            .into_iter()
            .map(|s| (s.as_str(), s.label(), query.stage == s.as_str())),
    );
    Ok(render(
        StatusCode::OK,
        &IdeasPage {
            title: "Ideas",
            chrome: Chrome::of(Some(&user)),
            stages,
            lines: rows.iter().map(IdeaLine::of).collect(),
            campaigns: campaigns
                .into_iter()
                .filter(|c| c.audience != "closed")
                .map(|c| (c.slug, c.title))
                .collect(),
            can_contribute: user.can(Permission::ContributeIdeas),
        },
    ))
}

/// The submit form (also posted from a case or a post page).
#[derive(Debug, Default, Deserialize)]
pub(crate) struct IdeaForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    strategy: String,
    /// `post`, `case` or empty (an employee's own idea).
    #[serde(default)]
    source: String,
    #[serde(default)]
    source_id: Option<i64>,
    /// The idea campaign it answers (its address), if any.
    #[serde(default)]
    campaign: String,
}

pub(crate) async fn submit_idea(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Form(form): Form<IdeaForm>,
) -> Result<Response, PageError> {
    let source = match (form.source.as_str(), form.source_id) {
        ("post", Some(id)) => IdeaSource::Post(id),
        ("case", Some(id)) => IdeaSource::Case(id),
        ("statement", Some(id)) => IdeaSource::Statement(id),
        ("" | "employee", _) => IdeaSource::Employee,
        _ => {
            return Err(
                AppError::Invalid("source: post, case or statement with its id".into()).into(),
            )
        }
    };
    let input = IdeaInput {
        title: form.title,
        body: form.body,
        source,
        strategy: Some(form.strategy).filter(|s| !s.trim().is_empty()),
        campaign: Some(form.campaign).filter(|s| !s.trim().is_empty()),
    };
    let actor = Actor::from(&user);
    let store = state.store.clone();
    let created = blocking(move || submit(&store, &actor, &input)).await?;
    Ok(Redirect::to(&format!("/ideas/{}?done=submitted", created.id)).into_response())
}

struct CommentLine {
    author: String,
    body: String,
    time: String,
    iso_time: String,
}

struct HistoryLine {
    time: String,
    iso_time: String,
    actor: String,
    kind: String,
    detail: String,
}

#[derive(Template)]
#[template(path = "idea.html")]
struct IdeaPage {
    title: &'static str,
    chrome: Chrome,
    idea: IdeaLine,
    body: String,
    reason: String,
    version: i64,
    merged_into: Option<i64>,
    source_link: Option<String>,
    similar: Vec<(i64, String, String)>,
    merged: Vec<(i64, String)>,
    next_stages: Vec<(&'static str, &'static str, bool)>,
    comments: Vec<CommentLine>,
    history: Vec<HistoryLine>,
    can_contribute: bool,
    can_manage: bool,
    notice: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct IdeaQuery {
    #[serde(default)]
    done: String,
}

fn idea_page(user: &SessionUser, v: IdeaView, done: &str) -> IdeaPage {
    let i = &v.detail.idea;
    let source_link = match (i.source_kind.as_str(), i.source_ref) {
        ("post", Some(id)) => Some(format!("/posts/{id}")),
        ("case", Some(id)) => Some(format!("/cases/{id}")),
        _ => None,
    };
    let notice = match done {
        "submitted" => Some("Idea submitted.".to_string()),
        "saved" => Some("Saved.".to_string()),
        "told" => Some("Saved; news for the person who raised it is in the outbox.".to_string()),
        _ => None,
    };
    IdeaPage {
        title: "Idea",
        chrome: Chrome::of(Some(user)),
        idea: IdeaLine::of(i),
        body: i.body.clone(),
        reason: i.reason.clone(),
        version: i.version,
        merged_into: i.merged_into,
        source_link,
        similar: v
            .similar
            .iter()
            .map(|s| (s.id, s.title.clone(), format!("{:.0}%", s.score * 100.0)))
            .collect(),
        merged: v
            .detail
            .merged
            .iter()
            .map(|m| (m.id, m.title.clone()))
            .collect(),
        next_stages: v
            .next_stages
            .iter()
            .map(|s| (s.as_str(), s.label(), s.needs_reason()))
            .collect(),
        comments: v
            .detail
            .comments
            .iter()
            .map(|c| CommentLine {
                author: c.author.clone(),
                body: c.body.clone(),
                time: when(c.at),
                iso_time: iso(c.at),
            })
            .collect(),
        history: v
            .detail
            .history
            .iter()
            .map(|h| HistoryLine {
                time: when(h.at),
                iso_time: iso(h.at),
                actor: h.actor.clone(),
                kind: h.kind.clone(),
                detail: h.detail.clone(),
            })
            .collect(),
        can_contribute: user.can(Permission::ContributeIdeas),
        can_manage: user.can(Permission::ManageIdeas),
        notice,
    }
}

pub(crate) async fn idea(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Path(id): Path<i64>,
    Query(query): Query<IdeaQuery>,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let v = blocking(move || view(&store, id)).await?;
    Ok(render(StatusCode::OK, &idea_page(&user, v, &query.done)))
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct IdeaActionForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    version: Option<i64>,
    #[serde(default)]
    value: i64,
    #[serde(default)]
    text: String,
    #[serde(default)]
    stage: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    user: String,
    #[serde(default)]
    strategy: String,
    #[serde(default)]
    into: Option<i64>,
}

fn command_of(form: &IdeaActionForm) -> Result<IdeaCommand, AppError> {
    let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    Ok(match form.action.as_str() {
        "vote" => IdeaCommand::Vote { value: form.value },
        "comment" => IdeaCommand::Comment {
            text: form.text.clone(),
        },
        "move" => IdeaCommand::Move {
            stage: form.stage.clone(),
            reason: form.reason.clone(),
        },
        "own" => IdeaCommand::Own {
            user: text(&form.user),
        },
        "strategy" => IdeaCommand::Strategy {
            strategy: text(&form.strategy),
        },
        "merge" => IdeaCommand::MergeInto {
            idea: form
                .into
                .ok_or_else(|| AppError::Invalid("into: which idea?".into()))?,
        },
        _ => return Err(AppError::Invalid("unknown action".into())),
    })
}

async fn idea_action(
    state: AppState,
    user: SessionUser,
    id: i64,
    form: IdeaActionForm,
) -> Result<Response, PageError> {
    let command = command_of(&form)?;
    let actor = Actor::from(&user);
    let store = state.store.clone();
    let version = form.version;
    let outcome = blocking(move || act(&store, &actor, id, version, &command)).await?;
    let done = if outcome.source_told { "told" } else { "saved" };
    Ok(Redirect::to(&format!("/ideas/{id}?done={done}")).into_response())
}

/// Votes and comments (anyone who contributes ideas).
pub(crate) async fn idea_post(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Path(id): Path<i64>,
    Form(form): Form<IdeaActionForm>,
) -> Result<Response, PageError> {
    if !matches!(form.action.as_str(), "vote" | "comment") {
        return Err(AppError::Invalid("action: vote or comment".into()).into());
    }
    idea_action(state, user, id, form).await
}

/// Stage, owner, strategy and merges (idea managers).
pub(crate) async fn idea_manage(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Path(id): Path<i64>,
    Form(form): Form<IdeaActionForm>,
) -> Result<Response, PageError> {
    if !matches!(form.action.as_str(), "move" | "own" | "strategy" | "merge") {
        return Err(AppError::Invalid("action: move, own, strategy or merge".into()).into());
    }
    idea_action(state, user, id, form).await
}
