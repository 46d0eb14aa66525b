//! The public participation page, `/c/{slug}`: no account needed. The first vote or statement makes an
//! anonymous participant whose signed id is kept in a cookie for this consultation only; staff who are
//! signed in take part as themselves (as employees). Works without JavaScript: every action is a form
//! that comes back to the page with a status message.

use crate::access::{cookie, same_origin};
use crate::chrome::Chrome;
use crate::error::{blocking, PageError};
use crate::opinion_map::opinion_map;
use crate::pages::{render, url_encode};
use crate::AppState;
use askama::Template;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use serde::Deserialize;
use std::net::SocketAddr;
use townhall_app::accounts::SessionUser;
use townhall_app::consultations::{self, Participant, Phase, MAX_STATEMENT_CHARS};
use townhall_app::AppError;
use townhall_app::{ConsultationRow, StoreError};
use townhall_core::Permission;

/// The cookie holding a consultation's participant id.
pub(crate) fn participant_cookie(consultation_id: i64) -> String {
    format!("townhall_p{consultation_id}")
}

/// The signed participant of this request for this consultation, if any.
pub(crate) fn participant_of(
    state: &AppState,
    headers: &HeaderMap,
    consultation_id: i64,
) -> Result<Option<Participant>, AppError> {
    let token = headers
        .get("x-participant")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| cookie(headers, &participant_cookie(consultation_id)));
    let Some(token) = token else {
        return Ok(None);
    };
    let signer = state.consultations.signer(&state.store)?;
    Ok(signer
        .verify(&token)
        .filter(|p| p.consultation_id == consultation_id))
}

pub(crate) fn consultation_by_slug(
    state: &AppState,
    slug: &str,
) -> Result<ConsultationRow, AppError> {
    state
        .store
        .consultation_by_slug(slug)?
        .ok_or_else(|| AppError::Store(StoreError::NotFound(format!("consultation /c/{slug}"))))
}

/// The `Set-Cookie` value that keeps a participant for a year, for this consultation's pages only.
fn set_participant_cookie(
    state: &AppState,
    c: &ConsultationRow,
    token: &str,
) -> Option<HeaderValue> {
    let secure = if state.secure_cookies { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{}={token}; Path=/c/{}; Max-Age=31536000; HttpOnly; SameSite=Lax{secure}",
        participant_cookie(c.id),
        c.slug
    ))
    .ok()
}

struct VotedLine {
    text: String,
    vote: &'static str,
    same: String,
}

#[derive(Template)]
#[template(path = "participate.html")]
struct ParticipatePage {
    title: &'static str,
    chrome: Chrome,
    c: ConsultationRow,
    lang: String,
    phase_note: &'static str,
    open: bool,
    statement: Option<(i64, String)>,
    remaining: usize,
    form_token: String,
    xid: String,
    message: String,
    max_chars: usize,
    votes_cast: usize,
    statements_open: usize,
    to_be_placed: usize,
    group: Option<(String, usize)>,
    voted: Vec<VotedLine>,
    map: Vec<crate::charts::Chart>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct PageQuery {
    #[serde(default)]
    message: String,
    #[serde(default)]
    xid: String,
}

fn is_open_to(phase: Phase, user: Option<&SessionUser>) -> bool {
    match phase {
        Phase::Public => true,
        Phase::Employees => user.is_some(),
        _ => false,
    }
}

pub(crate) async fn page(
    State(state): State<AppState>,
    user: Option<Extension<SessionUser>>,
    Path(slug): Path<String>,
    Query(query): Query<PageQuery>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let user = user.map(|Extension(u)| u);
    let st = state.clone();
    let preview_allowed = user
        .as_ref()
        .is_some_and(|u| u.can(Permission::RunConsultations));
    let (c, participant, next, standing, map) = blocking(move || {
        let c = consultation_by_slug(&st, &slug)?;
        let phase = consultations::phase_of(&c);
        if phase == Phase::Draft && !preview_allowed {
            return Err(AppError::Store(StoreError::NotFound(format!(
                "consultation /c/{slug}"
            ))));
        }
        let participant = participant_of(&st, &headers, c.id)?;
        let service = &st.consultations;
        let next = service.next_statement(&st.store, c.id, participant.as_ref())?;
        let standing = participant
            .as_ref()
            .map(|p| service.standing(&st.store, p))
            .transpose()?;
        // The map with "you" once the participant has a place on it.
        let map = match standing.as_ref().and_then(|s| s.position) {
            Some(you) => {
                let results = service.results(&st.store, c.id)?;
                let groups: Vec<_> = results
                    .groups
                    .iter()
                    .map(|g| (g.id, g.participants, g.centroid))
                    .collect();
                vec![opinion_map("your-place", &results.map, &groups, Some(you))]
            }
            None => Vec::new(),
        };
        Ok((c, participant, next, standing, map))
    })
    .await?;
    let phase = consultations::phase_of(&c);
    let signer = state.consultations.signer(&state.store)?;
    let form_token = participant
        .as_ref()
        .map(|p| signer.form_token(p))
        .unwrap_or_default();
    let lang = c.languages.split(',').next().unwrap_or("en").to_string();
    let standing_ref = standing.as_ref();
    Ok(render(
        StatusCode::OK,
        &ParticipatePage {
            title: "Consultation",
            chrome: Chrome::of(user.as_ref()),
            lang,
            phase_note: phase.describe(),
            open: is_open_to(phase, user.as_ref()),
            remaining: next.as_ref().map_or(0, |n| n.remaining),
            statement: next.map(|n| (n.id, n.text)),
            form_token,
            xid: query.xid.chars().take(100).collect(),
            message: query.message.chars().take(400).collect(),
            max_chars: MAX_STATEMENT_CHARS,
            votes_cast: standing_ref.map_or(0, |s| s.votes_cast),
            statements_open: standing_ref.map_or(c.statements as usize, |s| s.statements_open),
            to_be_placed: standing_ref.map_or(7, |s| s.votes_to_be_placed),
            group: standing_ref.and_then(|s| s.group.clone()),
            voted: standing_ref
                .map(|s| {
                    s.votes
                        .iter()
                        .map(|v| VotedLine {
                            text: v.text.clone(),
                            vote: match v.vote {
                                1 => "You agreed",
                                -1 => "You disagreed",
                                _ => "You passed",
                            },
                            same: v
                                .same_share
                                .map(|s| {
                                    format!(
                                        "{:.0}% of those who voted on it did the same",
                                        s * 100.0
                                    )
                                })
                                .unwrap_or_default(),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            map,
            c,
        },
    ))
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct VoteForm {
    statement_id: i64,
    vote: i8,
    #[serde(default)]
    form_token: String,
    #[serde(default)]
    xid: String,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct StatementForm {
    #[serde(default)]
    text: String,
    #[serde(default)]
    form_token: String,
    #[serde(default)]
    xid: String,
}

/// The participant acting: from the cookie (whose form token must match), or a new one.
fn acting_participant(
    state: &AppState,
    headers: &HeaderMap,
    c: &ConsultationRow,
    user: Option<&SessionUser>,
    form_token: &str,
    xid: &str,
) -> Result<(Participant, Option<String>), AppError> {
    if let Some(p) = participant_of(state, headers, c.id)? {
        let signer = state.consultations.signer(&state.store)?;
        if !signer.form_token_matches(&p, form_token) {
            return Err(AppError::Invalid(
                "this form has expired; reload the page and try again".into(),
            ));
        }
        return Ok((p, None));
    }
    let xid = Some(xid).filter(|x| !x.trim().is_empty());
    let (p, token) = state
        .consultations
        .join(&state.store, c, user.map(|u| u.id), xid)?;
    Ok((p, Some(token)))
}

fn back_to_page(
    state: &AppState,
    c: &ConsultationRow,
    message: &str,
    xid: &str,
    token: Option<String>,
) -> Response {
    let mut url = format!("/c/{}?message={}", c.slug, url_encode(message));
    if !xid.is_empty() {
        url.push_str(&format!("&xid={}", url_encode(xid)));
    }
    let mut response = Redirect::to(&format!("{url}#main")).into_response();
    if let Some(value) = token.and_then(|t| set_participant_cookie(state, c, &t)) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

fn cross_site() -> PageError {
    PageError::from(AppError::NotOpen(
        "This request came from another site.".into(),
    ))
}

pub(crate) async fn vote(
    State(state): State<AppState>,
    user: Option<Extension<SessionUser>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    Form(form): Form<VoteForm>,
) -> Result<Response, PageError> {
    if !same_origin(&headers) {
        return Err(cross_site());
    }
    let user = user.map(|Extension(u)| u);
    let st = state.clone();
    let (c, token, message): (ConsultationRow, Option<String>, String) = blocking(move || {
        let c = consultation_by_slug(&st, &slug)?;
        let (p, token) = acting_participant(
            &st,
            &headers,
            &c,
            user.as_ref(),
            &form.form_token,
            &form.xid,
        )?;
        st.consultations.vote(
            &st.store,
            &p,
            &peer.ip().to_string(),
            form.statement_id,
            form.vote,
        )?;
        let said = match form.vote {
            1 => "agree",
            -1 => "disagree",
            _ => "pass",
        };
        Ok((c, token, format!("Your vote ({said}) is recorded.")))
    })
    .await?;
    Ok(back_to_page(&state, &c, &message, "", token))
}

pub(crate) async fn statement(
    State(state): State<AppState>,
    user: Option<Extension<SessionUser>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    Form(form): Form<StatementForm>,
) -> Result<Response, PageError> {
    if !same_origin(&headers) {
        return Err(cross_site());
    }
    let user = user.map(|Extension(u)| u);
    let st = state.clone();
    let (c, token, message): (ConsultationRow, Option<String>, String) = blocking(move || {
        let c = consultation_by_slug(&st, &slug)?;
        let (p, token) = acting_participant(
            &st,
            &headers,
            &c,
            user.as_ref(),
            &form.form_token,
            &form.xid,
        )?;
        let outcome =
            st.consultations
                .submit_statement(&st.store, &p, &peer.ip().to_string(), &form.text)?;
        Ok((c, token, outcome.message))
    })
    .await?;
    Ok(back_to_page(&state, &c, &message, "", token))
}
