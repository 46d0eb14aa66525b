//! Signing in and out, choosing one's password: the pages and their JSON twins.

use crate::access::{cookie, session_token, SESSION_COOKIE};
use crate::chrome::Chrome;
use crate::error::ApiError;
use crate::pages::render;
use crate::AppState;
use askama::Template;
use axum::extract::{ConnectInfo, FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form, Json};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use townhall_app::accounts::{new_form_token, SessionUser, MIN_PASSWORD_CHARS, SESSION_HOURS};
use townhall_app::AppError;

/// Cookie holding the sign-in form's anti-forgery token (there is no session yet to hold it).
const LOGIN_COOKIE: &str = "townhall_login";

/// The remote address of the request, for rate limiting sign-in attempts.
pub(crate) struct ClientAddr(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map_or_else(|| "unknown".to_string(), |c| c.0.ip().to_string()),
        ))
    }
}

fn cookie_header(state: &AppState, name: &str, value: &str, path: &str, max_age: i64) -> String {
    let secure = if state.secure_cookies { "; Secure" } else { "" };
    format!("{name}={value}; Path={path}; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}")
}

/// Only paths of this site: `/x`, never `//host` or `/\host`.
fn safe_next(next: &str) -> &str {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && next.len() <= 2_000;
    if ok {
        next
    } else {
        "/"
    }
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    title: &'static str,
    chrome: Chrome,
    form_token: String,
    next: String,
    username: String,
    error: Option<String>,
    notice: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct LoginQuery {
    #[serde(default)]
    next: Option<String>,
    #[serde(default)]
    changed: Option<String>,
}

fn login_page(
    state: &AppState,
    status: StatusCode,
    next: &str,
    username: &str,
    error: Option<String>,
    notice: Option<String>,
) -> Response {
    let token = match new_form_token() {
        Ok(token) => token,
        Err(e) => return ApiError::App(e).into_response(),
    };
    let page = LoginPage {
        title: "Sign in",
        chrome: Chrome::of(None),
        form_token: token.clone(),
        next: safe_next(next).to_string(),
        username: username.chars().take(64).collect(),
        error,
        notice,
    };
    let mut response = render(status, &page);
    if let Ok(value) =
        HeaderValue::from_str(&cookie_header(state, LOGIN_COOKIE, &token, "/login", 3600))
    {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

pub(crate) async fn login_form(
    State(state): State<AppState>,
    user: Option<Extension<SessionUser>>,
    Query(query): Query<LoginQuery>,
) -> Response {
    let next = query.next.as_deref().unwrap_or("/");
    if user.is_some() {
        return Redirect::to(safe_next(next)).into_response();
    }
    let notice = query
        .changed
        .map(|_| "Your password is changed. Sign in with it.".to_string());
    login_page(&state, StatusCode::OK, next, "", None, notice)
}

#[derive(Debug, Deserialize)]
pub(crate) struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    next: String,
}

pub(crate) async fn login_submit(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let expected = cookie(&headers, LOGIN_COOKIE).unwrap_or_default();
    if !townhall_app::accounts::csrf_matches(&expected, &form.csrf) {
        return login_page(
            &state,
            StatusCode::FORBIDDEN,
            &form.next,
            &form.username,
            Some("The sign-in form expired. Please try again.".into()),
            None,
        );
    }
    let (accounts, store) = (state.accounts.clone(), state.store.clone());
    let (username, password) = (form.username.clone(), form.password);
    let result =
        tokio::task::spawn_blocking(move || accounts.login(&store, &username, &password, &client))
            .await;
    match result {
        Ok(Ok(session)) => {
            let target = if session.user.must_change_password {
                "/account/password"
            } else {
                safe_next(&form.next)
            };
            let mut response = Redirect::to(target).into_response();
            let cookies = [
                cookie_header(
                    &state,
                    SESSION_COOKIE,
                    &session.token,
                    "/",
                    SESSION_HOURS * 3600,
                ),
                cookie_header(&state, LOGIN_COOKIE, "", "/login", 0),
            ];
            for value in cookies {
                if let Ok(value) = HeaderValue::from_str(&value) {
                    response.headers_mut().append(header::SET_COOKIE, value);
                }
            }
            response
        }
        Ok(Err(AppError::TooManyAttempts { retry_after_secs })) => {
            let mut response = login_page(
                &state,
                StatusCode::TOO_MANY_REQUESTS,
                &form.next,
                &form.username,
                Some(format!(
                    "Too many failed attempts. Try again in {} minutes.",
                    retry_after_secs.div_ceil(60)
                )),
                None,
            );
            if let Ok(value) = HeaderValue::from_str(&retry_after_secs.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            response
        }
        Ok(Err(AppError::Unauthorized)) => login_page(
            &state,
            StatusCode::UNAUTHORIZED,
            &form.next,
            &form.username,
            Some("That user name and password do not match an active account.".into()),
            None,
        ),
        Ok(Err(e)) => ApiError::App(e).into_response(),
        Err(e) => ApiError::Join(e).into_response(),
    }
}

fn clear_session_cookie(state: &AppState, response: &mut Response) {
    if let Ok(value) = HeaderValue::from_str(&cookie_header(state, SESSION_COOKIE, "", "/", 0)) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}

async fn end_session(
    state: &AppState,
    user: SessionUser,
    headers: &HeaderMap,
) -> Result<(), ApiError> {
    let Some((token, _)) = session_token(headers) else {
        return Ok(());
    };
    let (accounts, store) = (state.accounts.clone(), state.store.clone());
    tokio::task::spawn_blocking(move || accounts.logout(&store, &user, &token)).await??;
    Ok(())
}

pub(crate) async fn logout(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    headers: HeaderMap,
) -> Response {
    if let Err(e) = end_session(&state, user, &headers).await {
        return e.into_response();
    }
    let mut response = Redirect::to("/login").into_response();
    clear_session_cookie(&state, &mut response);
    response
}

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage {
    title: &'static str,
    chrome: Chrome,
    must_change: bool,
    min_chars: usize,
    error: Option<String>,
}

fn password_page(user: &SessionUser, status: StatusCode, error: Option<String>) -> Response {
    render(
        status,
        &PasswordPage {
            title: "Password",
            chrome: Chrome::of(Some(user)),
            must_change: user.must_change_password,
            min_chars: MIN_PASSWORD_CHARS,
            error,
        },
    )
}

pub(crate) async fn password_form(Extension(user): Extension<SessionUser>) -> Response {
    password_page(&user, StatusCode::OK, None)
}

#[derive(Debug, Deserialize)]
pub(crate) struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    confirm: String,
}

pub(crate) async fn password_submit(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Form(form): Form<PasswordForm>,
) -> Response {
    if form.new != form.confirm {
        return password_page(
            &user,
            StatusCode::BAD_REQUEST,
            Some("The two new passwords differ. Type the same one twice.".into()),
        );
    }
    let (accounts, store, who) = (state.accounts.clone(), state.store.clone(), user.clone());
    let result = tokio::task::spawn_blocking(move || {
        accounts.change_password(&store, &who, &form.current, &form.new)
    })
    .await;
    match result {
        Ok(Ok(())) => {
            // Changing the password ended every session of the account, this one too.
            let mut response = Redirect::to("/login?changed=1").into_response();
            clear_session_cookie(&state, &mut response);
            response
        }
        Ok(Err(AppError::Invalid(message))) => {
            password_page(&user, StatusCode::BAD_REQUEST, Some(message))
        }
        Ok(Err(e)) => ApiError::App(e).into_response(),
        Err(e) => ApiError::Join(e).into_response(),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct Credentials {
    username: String,
    password: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct SessionBody {
    /// Send as `Authorization: Bearer <token>`.
    token: String,
    /// Send as `X-CSRF-Token` when authenticating with the cookie instead.
    csrf_token: String,
    /// Milliseconds since the Unix epoch.
    expires_at: i64,
    user: SessionUser,
}

pub(crate) async fn api_login(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    Json(credentials): Json<Credentials>,
) -> Result<Json<SessionBody>, ApiError> {
    let (accounts, store) = (state.accounts.clone(), state.store.clone());
    let session = tokio::task::spawn_blocking(move || {
        accounts.login(
            &store,
            &credentials.username,
            &credentials.password,
            &client,
        )
    })
    .await??;
    Ok(Json(SessionBody {
        token: session.token,
        csrf_token: session.user.csrf_token.clone(),
        expires_at: session.expires_at,
        user: session.user,
    }))
}

pub(crate) async fn api_logout(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    headers: HeaderMap,
) -> Result<StatusCode, ApiError> {
    end_session(&state, user, &headers).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub(crate) async fn api_me(Extension(user): Extension<SessionUser>) -> Json<SessionUser> {
    Json(user)
}

#[derive(Debug, Deserialize)]
pub(crate) struct PasswordChange {
    current: String,
    new: String,
}

pub(crate) async fn api_password(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Json(change): Json<PasswordChange>,
) -> Result<StatusCode, ApiError> {
    let (accounts, store) = (state.accounts.clone(), state.store.clone());
    tokio::task::spawn_blocking(move || {
        accounts.change_password(&store, &user, &change.current, &change.new)
    })
    .await??;
    Ok(StatusCode::NO_CONTENT)
}
