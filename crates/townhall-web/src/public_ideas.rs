//! An idea campaign's public page, `/i/{slug}`: no account needed. A member of the public reads the
//! question and sends an idea; it joins the campaign's ideas for staff. Works without JavaScript: the
//! form comes back to the page with a status message. Shown only while the campaign is open to the
//! public.

use crate::access::same_origin;
use crate::chrome::Chrome;
use crate::error::{blocking, PageError};
use crate::pages::{render, url_encode, MessageQuery};
use crate::AppState;
use askama::Template;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use serde::Deserialize;
use std::net::SocketAddr;
use townhall_app::accounts::SessionUser;
use townhall_app::campaigns::MAX_PUBLIC_BODY_CHARS;
use townhall_app::AppError;

#[derive(Template)]
#[template(path = "public_idea.html")]
struct PublicIdeaPage {
    title: &'static str,
    chrome: Chrome,
    slug: String,
    campaign_title: String,
    question: String,
    message: String,
    max_body: usize,
}

pub(crate) async fn page(
    State(state): State<AppState>,
    user: Option<Extension<SessionUser>>,
    Path(slug): Path<String>,
    Query(query): Query<MessageQuery>,
) -> Result<Response, PageError> {
    let user = user.map(|Extension(u)| u);
    let st = state.clone();
    let c = blocking(move || st.public_ideas.open_campaign(&st.store, &slug)).await?;
    Ok(render(
        StatusCode::OK,
        &PublicIdeaPage {
            title: "Share an idea",
            chrome: Chrome::of(user.as_ref()),
            slug: c.slug,
            campaign_title: c.title,
            question: c.question,
            message: query.shown(400),
            max_body: MAX_PUBLIC_BODY_CHARS,
        },
    ))
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct IdeaForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
}

pub(crate) async fn submit(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    Form(form): Form<IdeaForm>,
) -> Result<Response, PageError> {
    // No session and no CSRF token here: the origin check stops another site posting in a visitor's name.
    if !same_origin(&headers) {
        return Err(PageError::from(AppError::NotOpen(
            "This request came from another site.".into(),
        )));
    }
    let st = state.clone();
    let key = slug.clone();
    let outcome = blocking(move || {
        st.public_ideas.submit(
            &st.store,
            &key,
            &form.title,
            &form.body,
            &peer.ip().to_string(),
        )
    })
    .await;
    let message = match outcome {
        Ok(o) => o.message,
        // What the person can fix or wait for is said on the page itself.
        Err(crate::error::ApiError::App(
            e @ (AppError::Invalid(_) | AppError::RateLimited { .. }),
        )) => format!("Not sent: {e}"),
        Err(e) => return Err(e.into()),
    };
    Ok(Redirect::to(&format!(
        "/i/{}?message={}#main",
        url_encode(&slug),
        url_encode(&message)
    ))
    .into_response())
}
