//! The readiness assessment in the browser (`/readiness`) and the API (`/api/readiness`): the
//! questionnaire over four practice areas, with answers suggested from the data, and its history.

use crate::chrome::Chrome;
use crate::error::{blocking, ApiError, PageError};
use crate::inbox_pages::when;
use crate::pages::MessageQuery;
use crate::pages::{render, url_encode};
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form, Json};
use serde::Deserialize;
use townhall_app::accounts::SessionUser;
use townhall_app::actor::Actor;
use townhall_app::readiness::{take, view, ReadinessView};
use townhall_core::Permission;
use townhall_strategy::readiness::{Answer, PracticeArea, LEVELS};

struct QuestionLine {
    id: &'static str,
    area: &'static str,
    text: &'static str,
    help: &'static str,
    /// (level, label, checked)
    levels: Vec<(u8, &'static str, bool)>,
    evidence: String,
    from_data: String,
}

struct HistoryLine {
    when: String,
    by: String,
    scores: Vec<String>,
}

#[derive(Template)]
#[template(path = "readiness.html")]
struct ReadinessPage {
    title: &'static str,
    chrome: Chrome,
    areas: Vec<(&'static str, Vec<QuestionLine>)>,
    area_names: Vec<&'static str>,
    history: Vec<HistoryLine>,
    /// (strategy id, name, verdict, blocking reasons)
    advice: Vec<(i64, String, String, Vec<String>)>,
    can_assess: bool,
    message: String,
}

fn page_of(user: &SessionUser, v: &ReadinessView, message: String) -> ReadinessPage {
    let areas = PracticeArea::ALL
        .into_iter()
        .map(|area| {
            let lines = v
                .questions
                .iter()
                .filter(|q| q.question.area == area)
                .map(|q| {
                    let chosen = q
                        .last
                        .as_ref()
                        .map(|a| a.level)
                        .or(q.suggested.as_ref().map(|s| s.0));
                    QuestionLine {
                        id: q.question.id,
                        area: area.label(),
                        text: q.question.text,
                        help: q.question.help,
                        levels: LEVELS
                            .iter()
                            .enumerate()
                            .map(|(i, label)| (i as u8, *label, chosen == Some(i as u8)))
                            .collect(),
                        evidence: q
                            .last
                            .as_ref()
                            .map(|a| a.evidence.clone())
                            .filter(|e| !e.is_empty())
                            .or(q.suggested.as_ref().map(|s| s.1.clone()))
                            .unwrap_or_default(),
                        from_data: q
                            .suggested
                            .as_ref()
                            .map(|s| s.1.clone())
                            .unwrap_or_default(),
                    }
                })
                .collect();
            (area.label(), lines)
        })
        .collect();
    ReadinessPage {
        title: "Readiness",
        chrome: Chrome::of(Some(user)),
        areas,
        area_names: PracticeArea::ALL.iter().map(|a| a.label()).collect(),
        history: v
            .history
            .iter()
            .map(|a| HistoryLine {
                when: when(a.taken_at),
                by: a.taken_by.clone(),
                scores: a
                    .scores
                    .iter()
                    .map(|s| s.score.map_or("not assessed".into(), |v| format!("{v:.0}")))
                    .collect(),
            })
            .collect(),
        advice: v
            .recommendations
            .iter()
            .map(|a| {
                let r = &a.recommendation;
                let verdict = match r.next {
                    Some(next) if r.move_now => format!("can move to {} now", next.label()),
                    Some(next) => format!("should wait before {}", next.label()),
                    None => "is in its last phase".into(),
                };
                let blocking = r
                    .reasons
                    .iter()
                    .filter(|x| !x.met)
                    .map(|x| x.text.clone())
                    .collect();
                (a.id, a.name.clone(), verdict, blocking)
            })
            .collect(),
        can_assess: user.can(Permission::ManageStrategies),
        message,
    }
}

pub(crate) async fn page(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Query(query): Query<MessageQuery>,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let v = blocking(move || view(&store, chrono::Utc::now().timestamp_millis())).await?;
    Ok(render(
        StatusCode::OK,
        &page_of(&user, &v, query.shown(300)),
    ))
}

/// The form: `level_{question}` and `evidence_{question}` for each question answered.
pub(crate) async fn submit(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let mut answers: Vec<Answer> = Vec::new();
    for (key, value) in &fields {
        if let Some(id) = key.strip_prefix("level_") {
            let level = value.parse::<u8>().map_err(|_| {
                townhall_app::AppError::Invalid(format!("{id}: level {value:?} is not 0 to 3"))
            })?;
            let evidence = fields
                .iter()
                .find(|(k, _)| k.strip_prefix("evidence_") == Some(id))
                .map(|(_, v)| v.clone())
                .unwrap_or_default();
            answers.push(Answer {
                question: id.to_string(),
                level,
                evidence,
            });
        }
    }
    let store = state.store.clone();
    let actor = Actor::from(&user);
    let taken = blocking(move || take(&store, &actor, answers)).await?;
    let summary = taken
        .scores
        .iter()
        .map(|s| {
            format!(
                "{} {}",
                s.area.label(),
                s.score.map_or("-".into(), |v| format!("{v:.0}"))
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    Ok(Redirect::to(&format!(
        "/readiness?message={}",
        url_encode(&format!("Assessment saved: {summary}."))
    ))
    .into_response())
}

pub(crate) async fn api_view(State(state): State<AppState>) -> Result<Response, ApiError> {
    let store = state.store.clone();
    let v = blocking(move || view(&store, chrono::Utc::now().timestamp_millis())).await?;
    Ok(Json(v).into_response())
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct AssessBody {
    #[serde(default)]
    answers: Vec<Answer>,
}

pub(crate) async fn api_take(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Json(body): Json<AssessBody>,
) -> Result<Response, ApiError> {
    let store = state.store.clone();
    let actor = Actor::from(&user);
    let taken = blocking(move || take(&store, &actor, body.answers)).await?;
    Ok((StatusCode::CREATED, Json(taken)).into_response())
}
