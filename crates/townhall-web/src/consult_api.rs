//! The consultations JSON API. Staff routes (`/api/consultations…`) need a session; participant
//! routes (`/api/c/{slug}/…`) need none: a participant joins and then sends its signed token in the
//! `X-Participant` header (a header a cross-site form cannot send, so it doubles as CSRF protection).

use crate::error::{blocking, ApiError};
use crate::participate::consultation_by_slug;
use crate::AppState;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::Deserialize;
use serde_json::json;
use std::net::SocketAddr;
use townhall_app::accounts::SessionUser;
use townhall_app::actor::Actor;
use townhall_app::consultations::{self, ConsultationSettings, Moderation, Participant, Phase};
use townhall_app::AppError;

pub(crate) async fn list(State(state): State<AppState>) -> Result<Response, ApiError> {
    let store = state.store.clone();
    let rows = blocking(move || Ok(store.consultations()?)).await?;
    Ok(Json(json!({ "consultations": rows })).into_response())
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct NewConsultationBody {
    #[serde(default)]
    question: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    moderation: Option<String>,
    #[serde(default)]
    languages: Vec<String>,
    #[serde(default)]
    accept_statements: Option<bool>,
    #[serde(default)]
    slug: Option<String>,
    #[serde(default)]
    strategy: Option<String>,
    #[serde(default)]
    seeds: Vec<String>,
}

pub(crate) async fn create(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Json(body): Json<NewConsultationBody>,
) -> Result<Response, ApiError> {
    let store = state.store.clone();
    let actor = Actor::from(&user);
    let (row, seeds) = blocking(move || {
        let mut settings = ConsultationSettings::new(&body.question);
        settings.description = body.description;
        if let Some(m) = &body.moderation {
            settings.moderation = Moderation::parse(m)?;
        }
        if !body.languages.is_empty() {
            settings.languages = body.languages;
        }
        settings.accept_statements = body.accept_statements.unwrap_or(true);
        settings.slug = body.slug;
        settings.strategy = body.strategy;
        consultations::create(&store, &actor, &settings, &body.seeds)
    })
    .await?;
    Ok((
        axum::http::StatusCode::CREATED,
        Json(json!({ "consultation": row, "seeds": seeds })),
    )
        .into_response())
}

pub(crate) async fn results(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let (store, service) = (state.store.clone(), state.consultations.clone());
    let results = blocking(move || service.results(&store, id)).await?;
    Ok(Json(results).into_response())
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct PhaseBody {
    #[serde(default)]
    phase: String,
}

pub(crate) async fn set_phase(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Path(id): Path<i64>,
    Json(body): Json<PhaseBody>,
) -> Result<Response, ApiError> {
    let store = state.store.clone();
    let actor = Actor::from(&user);
    let row =
        blocking(move || consultations::set_phase(&store, &actor, id, Phase::parse(&body.phase)?))
            .await?;
    Ok(Json(json!({ "consultation": row })).into_response())
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct SeedsBody {
    #[serde(default)]
    statements: Vec<String>,
}

pub(crate) async fn add_seeds(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Path(id): Path<i64>,
    Json(body): Json<SeedsBody>,
) -> Result<Response, ApiError> {
    let store = state.store.clone();
    let actor = Actor::from(&user);
    let report = blocking(move || {
        consultations::get(&store, id)?;
        consultations::add_seeds(&store, &actor, id, &body.statements)
    })
    .await?;
    Ok(Json(report).into_response())
}

pub(crate) async fn moderation_queue(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let (store, service) = (state.store.clone(), state.consultations.clone());
    let actor = Actor::from(&user);
    let pending = blocking(move || service.moderation_queue(&store, &actor, id)).await?;
    Ok(Json(json!({ "pending": pending })).into_response())
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ModerationBody {
    #[serde(default)]
    statement_id: i64,
    /// `accept` or `reject`.
    #[serde(default)]
    decision: String,
}

pub(crate) async fn moderate(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Path(id): Path<i64>,
    Json(body): Json<ModerationBody>,
) -> Result<Response, ApiError> {
    let (store, service) = (state.store.clone(), state.consultations.clone());
    let actor = Actor::from(&user);
    let statement = blocking(move || {
        let accept = match body.decision.as_str() {
            "accept" => true,
            "reject" => false,
            other => {
                return Err(AppError::Invalid(format!(
                    "decision {other:?}: accept or reject"
                )))
            }
        };
        service.moderate(&store, &actor, id, body.statement_id, accept)
    })
    .await?;
    Ok(Json(json!({ "statement": statement })).into_response())
}

/// The participant named by the `X-Participant` header; an error when it is missing or forged.
fn header_participant(
    state: &AppState,
    headers: &HeaderMap,
    consultation_id: i64,
) -> Result<Participant, AppError> {
    let token = headers
        .get("x-participant")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| {
            AppError::Invalid(
                "send the participant token from POST /api/c/{slug}/participants in the X-Participant header"
                    .into(),
            )
        })?;
    state
        .consultations
        .signer(&state.store)?
        .verify(token)
        .filter(|p| p.consultation_id == consultation_id)
        .ok_or_else(|| AppError::Invalid("the X-Participant token is not valid here".into()))
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct JoinBody {
    #[serde(default)]
    external_id: Option<String>,
}

pub(crate) async fn join(
    State(state): State<AppState>,
    user: Option<Extension<SessionUser>>,
    Path(slug): Path<String>,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    let user_id = user.map(|Extension(u)| u.id);
    // The body is optional: nothing, or `{"external_id": "…"}`.
    let external = if body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        serde_json::from_slice::<JoinBody>(&body)
            .map_err(|e| AppError::Invalid(format!("body: {e}")))?
            .external_id
    };
    let st = state.clone();
    let (participant, token) = blocking(move || {
        let c = consultation_by_slug(&st, &slug)?;
        st.consultations
            .join(&st.store, &c, user_id, external.as_deref())
    })
    .await?;
    Ok((
        axum::http::StatusCode::CREATED,
        Json(json!({ "participant": participant, "participant_token": token })),
    )
        .into_response())
}

pub(crate) async fn next(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let st = state.clone();
    let next = blocking(move || {
        let c = consultation_by_slug(&st, &slug)?;
        if consultations::phase_of(&c) == Phase::Draft {
            return Err(AppError::NotOpen(
                "This consultation has not opened yet.".into(),
            ));
        }
        let participant = crate::participate::participant_of(&st, &headers, c.id)?;
        st.consultations
            .next_statement(&st.store, c.id, participant.as_ref())
    })
    .await?;
    Ok(Json(json!({ "statement": next })).into_response())
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct VoteBody {
    statement_id: i64,
    vote: i8,
}

pub(crate) async fn vote(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    Json(body): Json<VoteBody>,
) -> Result<Response, ApiError> {
    let st = state.clone();
    let receipt = blocking(move || {
        let c = consultation_by_slug(&st, &slug)?;
        let p = header_participant(&st, &headers, c.id)?;
        st.consultations.vote(
            &st.store,
            &p,
            &peer.ip().to_string(),
            body.statement_id,
            body.vote,
        )
    })
    .await?;
    Ok(Json(receipt).into_response())
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct StatementBody {
    #[serde(default)]
    text: String,
}

pub(crate) async fn statement(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    Json(body): Json<StatementBody>,
) -> Result<Response, ApiError> {
    let st = state.clone();
    let outcome = blocking(move || {
        let c = consultation_by_slug(&st, &slug)?;
        let p = header_participant(&st, &headers, c.id)?;
        st.consultations
            .submit_statement(&st.store, &p, &peer.ip().to_string(), &body.text)
    })
    .await?;
    Ok(Json(outcome).into_response())
}

pub(crate) async fn standing(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let st = state.clone();
    let standing = blocking(move || {
        let c = consultation_by_slug(&st, &slug)?;
        let p = header_participant(&st, &headers, c.id)?;
        st.consultations.standing(&st.store, &p)
    })
    .await?;
    Ok(Json(standing).into_response())
}
