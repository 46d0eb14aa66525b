//! Learning in a safe place, in the browser (`/trials`, `/trials/{subject}/{id}`) and the API
//! (`/api/trials…`, `/api/outbound…`): outbound messages and saved replies run with employees first,
//! who say whether they are clear; what is ready is released to the public.

use crate::chrome::Chrome;
use crate::drafts_pages::ReportView;
use crate::error::{blocking, ApiError, PageError};
use crate::inbox_pages::{iso, when};
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
use townhall_app::trials::{
    create_outbound, give_feedback, list, mark_sent, release, view, OutboundInput, TrialLine,
    TrialView,
};
use townhall_app::AppError;
use townhall_app::TrialSubject;
use townhall_core::Permission;
use townhall_strategy::draft::Image;

fn subject_of(s: &str) -> Result<TrialSubject, AppError> {
    TrialSubject::parse(s)
        .ok_or_else(|| AppError::Invalid("subject: saved_reply or outbound".into()))
}

fn subject_label(s: TrialSubject) -> &'static str {
    match s {
        TrialSubject::SavedReply => "Saved reply",
        TrialSubject::Outbound => "Outbound message",
    }
}

fn audience_label(a: &str) -> &'static str {
    match a {
        "employees" => "on trial with employees",
        "public" => "cleared for the public",
        "sent" => "sent",
        _ => "unknown",
    }
}

struct Line {
    href: String,
    kind: &'static str,
    title: String,
    audience: &'static str,
    strategy: String,
    reviews: usize,
    clear: usize,
}

fn line(t: &TrialLine) -> Line {
    Line {
        href: format!("/trials/{}/{}", t.subject.as_str(), t.id),
        kind: subject_label(t.subject),
        title: t.title.clone(),
        audience: audience_label(&t.audience),
        strategy: t.strategy.clone().unwrap_or_else(|| "—".into()),
        reviews: t.reviews,
        clear: t.clear,
    }
}

#[derive(Template)]
#[template(path = "trials.html")]
struct TrialsPage {
    title: &'static str,
    chrome: Chrome,
    lines: Vec<Line>,
    can_draft: bool,
    message: String,
}

pub(crate) async fn trials(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Query(query): Query<MessageQuery>,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let all = blocking(move || list(&store)).await?;
    Ok(render(
        StatusCode::OK,
        &TrialsPage {
            title: "Trials",
            chrome: Chrome::of(Some(&user)),
            lines: all.iter().map(line).collect(),
            can_draft: user.can(Permission::Respond),
            message: query.shown(300),
        },
    ))
}

/// The outbound message form.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct OutboundForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    strategy: String,
    #[serde(default)]
    image: String,
    #[serde(default)]
    alt: String,
}

pub(crate) async fn create_outbound_page(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Form(form): Form<OutboundForm>,
) -> Result<Response, PageError> {
    let images = if form.image.trim().is_empty() && form.alt.trim().is_empty() {
        Vec::new()
    } else {
        vec![Image {
            name: Some(form.image.trim().to_string())
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| "image 1".into()),
            alt: Some(form.alt.trim().to_string()).filter(|a| !a.is_empty()),
        }]
    };
    let input = OutboundInput {
        title: form.title,
        body: form.body,
        images,
        channel: Some(form.channel),
        strategy: Some(form.strategy),
    };
    let store = state.store.clone();
    let actor = Actor::from(&user);
    let id = blocking(move || create_outbound(&store, &actor, &input)).await?;
    Ok(Redirect::to(&format!("/trials/outbound/{id}")).into_response())
}

struct FeedbackLine {
    author: String,
    verdict: &'static str,
    comment: String,
    time: String,
    iso_time: String,
}

#[derive(Template)]
#[template(path = "trial.html")]
struct TrialPage {
    title: &'static str,
    chrome: Chrome,
    kind: &'static str,
    subject: &'static str,
    v: TrialView,
    audience: &'static str,
    feedback: Vec<FeedbackLine>,
    reasons: Vec<(bool, String)>,
    report: Option<ReportView>,
    images: Vec<(String, String)>,
    my_verdict: String,
    can_release: bool,
    can_send: bool,
    message: String,
}

fn page_of(user: &SessionUser, v: TrialView, message: String) -> TrialPage {
    let my_verdict = v
        .feedback
        .iter()
        .find(|f| f.user_id == user.id)
        .map(|f| f.verdict.clone())
        .unwrap_or_default();
    TrialPage {
        title: "Trial",
        chrome: Chrome::of(Some(user)),
        kind: subject_label(v.subject),
        subject: v.subject.as_str(),
        audience: audience_label(&v.audience),
        feedback: v
            .feedback
            .iter()
            .map(|f| FeedbackLine {
                author: f.author.clone(),
                verdict: if f.verdict == "clear" {
                    "clear"
                } else {
                    "unclear"
                },
                comment: f.comment.clone(),
                time: when(f.at),
                iso_time: iso(f.at),
            })
            .collect(),
        reasons: v
            .check
            .reasons
            .iter()
            .map(|r| (r.met, r.text.clone()))
            .collect(),
        report: v.report.as_ref().map(ReportView::of),
        images: v
            .images
            .iter()
            .map(|i| {
                (
                    i.name.clone(),
                    i.alt.clone().unwrap_or_else(|| "(no alt text)".into()),
                )
            })
            .collect(),
        my_verdict,
        can_release: v.audience == "employees"
            && user.can(match v.subject {
                TrialSubject::SavedReply => Permission::ManageSettings,
                TrialSubject::Outbound => Permission::Moderate,
            }),
        can_send: v.subject == TrialSubject::Outbound
            && v.audience == "public"
            && user.can(Permission::Respond),
        message,
        v,
    }
}

pub(crate) async fn trial(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Path((subject, id)): Path<(String, i64)>,
    Query(query): Query<MessageQuery>,
) -> Result<Response, PageError> {
    let subject = subject_of(&subject)?;
    let store = state.store.clone();
    let insights = state.insights.clone();
    let v = blocking(move || view(&store, &insights, subject, id)).await?;
    Ok(render(StatusCode::OK, &page_of(&user, v, query.shown(300))))
}

/// One form for the page's three actions: a verdict, releasing, and marking sent.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct TrialForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    verdict: String,
    #[serde(default)]
    comment: String,
}

pub(crate) async fn trial_post(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Path((subject_text, id)): Path<(String, i64)>,
    Form(form): Form<TrialForm>,
) -> Result<Response, PageError> {
    let subject = subject_of(&subject_text)?;
    let store = state.store.clone();
    let insights = state.insights.clone();
    let actor = Actor::from(&user);
    let outcome = blocking(move || match form.action.as_str() {
        "feedback" => give_feedback(&store, &actor, subject, id, &form.verdict, &form.comment)
            .map(|()| "Thank you: your verdict is recorded.".to_string()),
        "release" => release(&store, &insights, &actor, subject, id)
            .map(|_| "Released: the public sees it from now on.".to_string()),
        "sent" => mark_sent(&store, &actor, id).map(|()| "Marked as sent.".to_string()),
        _ => Err(AppError::Invalid(
            "action: feedback, release or sent".into(),
        )),
    })
    .await;
    let message = match outcome {
        Ok(m) => m,
        // A refusal the person can act on is shown on the page, not as an error page.
        Err(ApiError::App(e @ (AppError::Invalid(_) | AppError::NotOpen(_)))) => e.to_string(),
        Err(e) => return Err(e.into()),
    };
    Ok(Redirect::to(&format!(
        "/trials/{}/{id}?message={}",
        subject.as_str(),
        url_encode(&message)
    ))
    .into_response())
}

pub(crate) async fn api_list(State(state): State<AppState>) -> Result<Response, ApiError> {
    let store = state.store.clone();
    let all = blocking(move || list(&store)).await?;
    Ok(Json(serde_json::json!({ "trials": all })).into_response())
}

pub(crate) async fn api_create_outbound(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Json(input): Json<OutboundInput>,
) -> Result<Response, ApiError> {
    let store = state.store.clone();
    let insights = state.insights.clone();
    let actor = Actor::from(&user);
    let v = blocking(move || {
        let id = create_outbound(&store, &actor, &input)?;
        view(&store, &insights, TrialSubject::Outbound, id)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(v)).into_response())
}

pub(crate) async fn api_view(
    State(state): State<AppState>,
    Path((subject, id)): Path<(String, i64)>,
) -> Result<Response, ApiError> {
    let subject = subject_of(&subject)?;
    let store = state.store.clone();
    let insights = state.insights.clone();
    let v = blocking(move || view(&store, &insights, subject, id)).await?;
    Ok(Json(v).into_response())
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct FeedbackInput {
    verdict: String,
    #[serde(default)]
    comment: String,
}

pub(crate) async fn api_feedback(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Path((subject, id)): Path<(String, i64)>,
    Json(input): Json<FeedbackInput>,
) -> Result<Response, ApiError> {
    let subject = subject_of(&subject)?;
    let store = state.store.clone();
    let insights = state.insights.clone();
    let actor = Actor::from(&user);
    let v = blocking(move || {
        give_feedback(&store, &actor, subject, id, &input.verdict, &input.comment)?;
        view(&store, &insights, subject, id)
    })
    .await?;
    Ok(Json(v).into_response())
}

pub(crate) async fn api_release(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Path((subject, id)): Path<(String, i64)>,
) -> Result<Response, ApiError> {
    let subject = subject_of(&subject)?;
    let store = state.store.clone();
    let insights = state.insights.clone();
    let actor = Actor::from(&user);
    let v = blocking(move || release(&store, &insights, &actor, subject, id)).await?;
    Ok(Json(v).into_response())
}

pub(crate) async fn api_sent(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let store = state.store.clone();
    let insights = state.insights.clone();
    let actor = Actor::from(&user);
    let v = blocking(move || {
        mark_sent(&store, &actor, id)?;
        view(&store, &insights, TrialSubject::Outbound, id)
    })
    .await?;
    Ok(Json(v).into_response())
}
