//! The inbox and the idea pipeline as JSON: the same use cases as the pages, for scripts and tools.

use crate::error::{blocking, ApiError};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::{Extension, Json};
use serde::Deserialize;
use townhall_app::accounts::SessionUser;
use townhall_app::actor::Actor;
use townhall_app::ideas::{self, IdeaCommand, IdeaCreated, IdeaInput, IdeaOutcome, IdeaView};
use townhall_app::inbox::{
    self, ActOutcome, BulkCommand, CaseCommand, CaseView, QueuePage, QueueRequest, QueueView,
};
use townhall_app::inbox_settings;
use townhall_app::{BulkOutcome, IdeaRow, OutboxRecord};
use townhall_engage::InboxMeasures;

fn now() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// `GET /api/cases`: a queue page (`view=mine|team|unassigned|all`, `status`, `team`, `tag`, `page`...).
#[derive(Debug, Default, Deserialize)]
pub(crate) struct CasesQuery {
    view: Option<String>,
    status: Option<String>,
    team: Option<String>,
    reason: Option<String>,
    tag: Option<String>,
    language: Option<String>,
    channel: Option<String>,
    #[serde(default)]
    escalated: bool,
    #[serde(default)]
    newest_first: bool,
    #[serde(default)]
    page: usize,
}

pub(crate) async fn cases(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Query(q): Query<CasesQuery>,
) -> Result<Json<QueuePage>, ApiError> {
    let view = match q.view.as_deref() {
        Some(v) => QueueView::parse(v)?,
        None => QueueView::All,
    };
    let request = QueueRequest {
        view,
        status: q.status,
        team: q.team,
        reason: q.reason,
        tag: q.tag,
        language: q.language,
        channel: q.channel,
        escalated: q.escalated,
        newest_first: q.newest_first,
        page: q.page,
    };
    let actor = Actor::from(&user);
    let store = state.store.clone();
    Ok(Json(
        blocking(move || inbox::queue(&store, &actor, &request, now())).await?,
    ))
}

pub(crate) async fn case(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Path(id): Path<i64>,
) -> Result<Json<CaseView>, ApiError> {
    let actor = Actor::from(&user);
    let store = state.store.clone();
    Ok(Json(
        blocking(move || inbox::case_view(&store, &actor, id, now())).await?,
    ))
}

/// An action with the version the caller saw (optional).
#[derive(Debug, Deserialize)]
pub(crate) struct CaseActionBody {
    #[serde(default)]
    version: Option<i64>,
    #[serde(flatten)]
    command: CaseCommand,
}

async fn case_act(
    state: AppState,
    user: SessionUser,
    id: i64,
    body: CaseActionBody,
) -> Result<Json<ActOutcome>, ApiError> {
    let actor = Actor::from(&user);
    let store = state.store.clone();
    Ok(Json(
        blocking(move || inbox::act(&store, &actor, id, body.version, &body.command, now()))
            .await?,
    ))
}

/// `POST /api/cases/{id}/actions`: everything but approvals.
pub(crate) async fn case_action(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Path(id): Path<i64>,
    Json(body): Json<CaseActionBody>,
) -> Result<Json<ActOutcome>, ApiError> {
    if matches!(
        body.command,
        CaseCommand::Approve { .. } | CaseCommand::Reject { .. }
    ) {
        return Err(townhall_app::AppError::Invalid(
            "approvals go to /api/cases/{id}/approval".into(),
        )
        .into());
    }
    case_act(state, user, id, body).await
}

/// `POST /api/cases/{id}/approval`: approve or reject a reply awaiting approval.
pub(crate) async fn case_approval(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Path(id): Path<i64>,
    Json(body): Json<CaseActionBody>,
) -> Result<Json<ActOutcome>, ApiError> {
    if !matches!(
        body.command,
        CaseCommand::Approve { .. } | CaseCommand::Reject { .. }
    ) {
        return Err(townhall_app::AppError::Invalid("action: approve or reject".into()).into());
    }
    case_act(state, user, id, body).await
}

#[derive(Debug, Deserialize)]
pub(crate) struct BulkBody {
    ids: Vec<i64>,
    #[serde(flatten)]
    command: BulkCommand,
}

pub(crate) async fn cases_bulk(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Json(body): Json<BulkBody>,
) -> Result<Json<BulkOutcome>, ApiError> {
    let actor = Actor::from(&user);
    let store = state.store.clone();
    Ok(Json(
        blocking(move || inbox::bulk(&store, &actor, &body.ids, &body.command)).await?,
    ))
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct FlagBody {
    #[serde(default)]
    why: String,
}

pub(crate) async fn flag_post(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Path(id): Path<i64>,
    body: Option<Json<FlagBody>>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let why = body.map(|b| b.0.why).unwrap_or_default();
    let actor = Actor::from(&user);
    let store = state.store.clone();
    let case = blocking(move || townhall_app::cases::flag_post(&store, &actor, id, &why)).await?;
    Ok(Json(serde_json::json!({ "case_id": case })))
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct MeasuresQuery {
    days: Option<u32>,
}

pub(crate) async fn measures(
    State(state): State<AppState>,
    Query(q): Query<MeasuresQuery>,
) -> Result<Json<InboxMeasures>, ApiError> {
    let store = state.store.clone();
    Ok(Json(
        blocking(move || inbox_settings::measures(&store, q.days, now())).await?,
    ))
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct OutboxQuery {
    #[serde(default)]
    after: i64,
    limit: Option<usize>,
}

pub(crate) async fn outbox(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Query(q): Query<OutboxQuery>,
) -> Result<Json<Vec<OutboxRecord>>, ApiError> {
    let actor = Actor::from(&user);
    let store = state.store.clone();
    Ok(Json(
        blocking(move || inbox_settings::outbox(&store, &actor, q.after, q.limit.unwrap_or(1_000)))
            .await?,
    ))
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct IdeasQuery {
    stage: Option<String>,
    limit: Option<usize>,
}

pub(crate) async fn list_ideas(
    State(state): State<AppState>,
    Query(q): Query<IdeasQuery>,
) -> Result<Json<Vec<IdeaRow>>, ApiError> {
    let store = state.store.clone();
    Ok(Json(
        blocking(move || {
            ideas::list(
                &store,
                q.stage.as_deref(),
                q.limit.unwrap_or(500).min(5_000),
            )
        })
        .await?,
    ))
}

pub(crate) async fn submit_idea(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Json(input): Json<IdeaInput>,
) -> Result<Json<IdeaCreated>, ApiError> {
    let actor = Actor::from(&user);
    let store = state.store.clone();
    Ok(Json(
        blocking(move || ideas::submit(&store, &actor, &input)).await?,
    ))
}

pub(crate) async fn idea(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<IdeaView>, ApiError> {
    let store = state.store.clone();
    Ok(Json(blocking(move || ideas::view(&store, id)).await?))
}

#[derive(Debug, Deserialize)]
pub(crate) struct IdeaActionBody {
    #[serde(default)]
    version: Option<i64>,
    #[serde(flatten)]
    command: IdeaCommand,
}

pub(crate) async fn idea_action(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Path(id): Path<i64>,
    Json(body): Json<IdeaActionBody>,
) -> Result<Json<IdeaOutcome>, ApiError> {
    let actor = Actor::from(&user);
    let store = state.store.clone();
    Ok(Json(
        blocking(move || ideas::act(&store, &actor, id, body.version, &body.command)).await?,
    ))
}

/// `GET /api/inbox/settings`: intake and routing rules, team targets, saved replies.
pub(crate) async fn inbox_settings(
    State(state): State<AppState>,
) -> Result<Json<inbox_settings::InboxSettings>, ApiError> {
    let store = state.store.clone();
    Ok(Json(
        blocking(move || inbox_settings::settings(&store)).await?,
    ))
}

fn saved() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "saved": true }))
}

pub(crate) async fn save_intake_rule(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Json(rule): Json<townhall_app::IntakeRule>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let actor = Actor::from(&user);
    let store = state.store.clone();
    blocking(move || inbox_settings::save_intake_rule(&store, &actor, &rule)).await?;
    Ok(saved())
}

pub(crate) async fn save_routing_rule(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Json(rule): Json<townhall_app::RoutingRule>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let actor = Actor::from(&user);
    let store = state.store.clone();
    blocking(move || inbox_settings::save_routing_rule(&store, &actor, &rule)).await?;
    Ok(saved())
}

async fn remove_rule(
    state: AppState,
    user: SessionUser,
    table: townhall_app::RuleTable,
    name: String,
) -> Result<Json<serde_json::Value>, ApiError> {
    let actor = Actor::from(&user);
    let store = state.store.clone();
    blocking(move || inbox_settings::remove_rule(&store, &actor, table, &name)).await?;
    Ok(Json(serde_json::json!({ "removed": true })))
}

pub(crate) async fn remove_intake_rule(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Path(name): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    remove_rule(state, user, townhall_app::RuleTable::Intake, name).await
}

pub(crate) async fn remove_routing_rule(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Path(name): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    remove_rule(state, user, townhall_app::RuleTable::Routing, name).await
}

pub(crate) async fn save_team(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Json(team): Json<townhall_app::TeamSettings>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let actor = Actor::from(&user);
    let store = state.store.clone();
    blocking(move || inbox_settings::save_team_settings(&store, &actor, &team)).await?;
    Ok(saved())
}

pub(crate) async fn save_saved_reply(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Json(reply): Json<townhall_app::SavedReply>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let actor = Actor::from(&user);
    let store = state.store.clone();
    let id = blocking(move || inbox_settings::save_saved_reply(&store, &actor, &reply)).await?;
    Ok(Json(serde_json::json!({ "saved": true, "id": id })))
}
