//! Who may call which route, enforced in one middleware for every route: the table below names each
//! route's required permission; a route missing from it is refused (fail closed). The middleware also finds
//! the session (cookie or `Authorization: Bearer`), sends visitors without one to `/login` (pages) or
//! answers 401 (API), and checks the CSRF token and the origin of every state-changing request made with
//! a cookie.

use crate::AppState;
use axum::body::{to_bytes, Body};
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use townhall_app::accounts::csrf_matches;
use townhall_core::Permission;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "townhall_session";
/// Form field and header that carry the CSRF token.
pub const CSRF_FIELD: &str = "csrf";
pub const CSRF_HEADER: &str = "x-csrf-token";
/// Largest form body read to find its CSRF token.
const MAX_FORM_BYTES: usize = 64 * 1024;

/// What a route requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone (login, assets, health).
    Public,
    /// Any signed-in account, whatever its role (logout, own password).
    SignedIn,
    /// A signed-in account whose role grants this permission.
    Needs(Permission),
}

/// One route of the application and what it requires; `example` is a concrete path for tests.
#[derive(Debug, Clone, Copy)]
pub struct RouteRule {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
    pub example: &'static str,
}

const fn rule(
    method: &'static str,
    path: &'static str,
    access: Access,
    example: &'static str,
) -> RouteRule {
    RouteRule {
        method,
        path,
        access,
        example,
    }
}

use Access::{Needs, Public, SignedIn};
use Permission::{
    ContributeIdeas, Import, ManageIdeas, ManageSettings, ManageStrategies, ManageTrackedTopics,
    ManageUsers, Moderate, Read, ReadAudit, Respond, RunConsultations,
};

/// Every route the router serves.
pub const ROUTES: &[RouteRule] = &[
    rule("GET", "/login", Public, "/login"),
    rule("POST", "/login", Public, "/login"),
    rule("GET", "/assets/{name}", Public, "/assets/townhall.css"),
    rule("GET", "/api/health", Public, "/api/health"),
    rule("POST", "/api/session", Public, "/api/session"),
    rule("POST", "/logout", SignedIn, "/logout"),
    rule("DELETE", "/api/session", SignedIn, "/api/session"),
    rule("GET", "/api/me", SignedIn, "/api/me"),
    rule("GET", "/account/password", SignedIn, "/account/password"),
    rule("POST", "/account/password", SignedIn, "/account/password"),
    rule(
        "POST",
        "/api/account/password",
        SignedIn,
        "/api/account/password",
    ),
    rule("GET", "/", Needs(Read), "/"),
    rule("GET", "/explore", Needs(Read), "/explore"),
    rule("GET", "/topics", Needs(Read), "/topics"),
    rule("GET", "/language", Needs(Read), "/language"),
    rule("GET", "/communities", Needs(Read), "/communities"),
    rule("GET", "/engagement", Needs(Read), "/engagement"),
    rule("GET", "/posts/{id}", Needs(Read), "/posts/1"),
    rule("GET", "/api/search", Needs(Read), "/api/search?q=health"),
    rule("GET", "/api/posts/{id}", Needs(Read), "/api/posts/1"),
    rule(
        "GET",
        "/api/posts/{id}/thread",
        Needs(Read),
        "/api/posts/1/thread",
    ),
    rule("GET", "/api/insights", Needs(Read), "/api/insights"),
    rule(
        "GET",
        "/api/tracked-topics",
        Needs(Read),
        "/api/tracked-topics",
    ),
    rule(
        "POST",
        "/api/tracked-topics",
        Needs(ManageTrackedTopics),
        "/api/tracked-topics",
    ),
    rule(
        "DELETE",
        "/api/tracked-topics/{name}",
        Needs(ManageTrackedTopics),
        "/api/tracked-topics/matrix-test",
    ),
    rule("GET", "/channels", Needs(Read), "/channels"),
    rule("GET", "/api/channels", Needs(Read), "/api/channels"),
    rule("POST", "/imports", Needs(Import), "/imports"),
    rule("GET", "/imports/{id}", Needs(Import), "/imports/1"),
    rule("GET", "/api/imports/{id}", Needs(Import), "/api/imports/1"),
    rule("GET", "/settings", Needs(ManageUsers), "/settings"),
    rule(
        "POST",
        "/settings/users",
        Needs(ManageUsers),
        "/settings/users",
    ),
    rule(
        "POST",
        "/settings/users/{username}",
        Needs(ManageUsers),
        "/settings/users/nobody",
    ),
    rule("GET", "/api/users", Needs(ManageUsers), "/api/users"),
    rule("POST", "/api/users", Needs(ManageUsers), "/api/users"),
    rule("GET", "/audit", Needs(ReadAudit), "/audit"),
    rule(
        "GET",
        "/audit/export",
        Needs(ReadAudit),
        "/audit/export?format=csv",
    ),
    rule("GET", "/api/audit", Needs(ReadAudit), "/api/audit"),
    rule("GET", "/inbox", Needs(Read), "/inbox"),
    rule("POST", "/inbox/bulk", Needs(Respond), "/inbox/bulk"),
    rule(
        "GET",
        "/inbox/settings",
        Needs(ManageSettings),
        "/inbox/settings",
    ),
    rule(
        "POST",
        "/inbox/settings",
        Needs(ManageSettings),
        "/inbox/settings",
    ),
    rule("GET", "/cases/{id}", Needs(Read), "/cases/1"),
    rule("POST", "/cases/{id}", Needs(Respond), "/cases/1"),
    rule(
        "POST",
        "/cases/{id}/approval",
        Needs(Moderate),
        "/cases/1/approval",
    ),
    rule("POST", "/posts/{id}/flag", Needs(Respond), "/posts/1/flag"),
    rule("GET", "/ideas", Needs(Read), "/ideas"),
    rule("POST", "/ideas", Needs(ContributeIdeas), "/ideas"),
    rule("GET", "/ideas/{id}", Needs(Read), "/ideas/1"),
    rule("POST", "/ideas/{id}", Needs(ContributeIdeas), "/ideas/1"),
    rule(
        "POST",
        "/ideas/{id}/manage",
        Needs(ManageIdeas),
        "/ideas/1/manage",
    ),
    rule("GET", "/api/cases", Needs(Read), "/api/cases"),
    rule("POST", "/api/cases/bulk", Needs(Respond), "/api/cases/bulk"),
    rule("GET", "/api/cases/{id}", Needs(Read), "/api/cases/1"),
    rule(
        "POST",
        "/api/cases/{id}/actions",
        Needs(Respond),
        "/api/cases/1/actions",
    ),
    rule(
        "POST",
        "/api/cases/{id}/approval",
        Needs(Moderate),
        "/api/cases/1/approval",
    ),
    rule(
        "POST",
        "/api/posts/{id}/flag",
        Needs(Respond),
        "/api/posts/1/flag",
    ),
    rule(
        "GET",
        "/api/inbox/measures",
        Needs(Read),
        "/api/inbox/measures",
    ),
    rule("GET", "/api/outbox", Needs(Respond), "/api/outbox"),
    rule(
        "GET",
        "/api/inbox/settings",
        Needs(ManageSettings),
        "/api/inbox/settings",
    ),
    rule(
        "POST",
        "/api/inbox/intake-rules",
        Needs(ManageSettings),
        "/api/inbox/intake-rules",
    ),
    rule(
        "DELETE",
        "/api/inbox/intake-rules/{name}",
        Needs(ManageSettings),
        "/api/inbox/intake-rules/matrix-test",
    ),
    rule(
        "POST",
        "/api/inbox/routing-rules",
        Needs(ManageSettings),
        "/api/inbox/routing-rules",
    ),
    rule(
        "DELETE",
        "/api/inbox/routing-rules/{name}",
        Needs(ManageSettings),
        "/api/inbox/routing-rules/matrix-test",
    ),
    rule(
        "POST",
        "/api/inbox/teams",
        Needs(ManageSettings),
        "/api/inbox/teams",
    ),
    rule(
        "POST",
        "/api/inbox/saved-replies",
        Needs(ManageSettings),
        "/api/inbox/saved-replies",
    ),
    rule("GET", "/api/ideas", Needs(Read), "/api/ideas"),
    rule("POST", "/api/ideas", Needs(ContributeIdeas), "/api/ideas"),
    rule("GET", "/consultations", Needs(Read), "/consultations"),
    rule(
        "POST",
        "/consultations",
        Needs(RunConsultations),
        "/consultations",
    ),
    rule(
        "GET",
        "/consultations/{id}",
        Needs(Read),
        "/consultations/1",
    ),
    rule(
        "POST",
        "/consultations/{id}",
        Needs(RunConsultations),
        "/consultations/1",
    ),
    rule(
        "POST",
        "/consultations/{id}/seeds",
        Needs(RunConsultations),
        "/consultations/1/seeds",
    ),
    rule(
        "GET",
        "/consultations/{id}/moderation",
        Needs(Moderate),
        "/consultations/1/moderation",
    ),
    rule(
        "POST",
        "/consultations/{id}/moderation",
        Needs(Moderate),
        "/consultations/1/moderation",
    ),
    rule(
        "GET",
        "/consultations/{id}/report",
        Needs(Read),
        "/consultations/1/report",
    ),
    // The shared report and everything a participant does need no account.
    rule("GET", "/r/{token}", Public, "/r/0"),
    rule("GET", "/c/{slug}", Public, "/c/parks"),
    rule("GET", "/i/{slug}", Public, "/i/fixes"),
    rule("POST", "/i/{slug}", Public, "/i/fixes"),
    rule("POST", "/c/{slug}/vote", Public, "/c/parks/vote"),
    rule(
        "POST",
        "/c/{slug}/statements",
        Public,
        "/c/parks/statements",
    ),
    rule(
        "GET",
        "/api/consultations",
        Needs(Read),
        "/api/consultations",
    ),
    rule(
        "POST",
        "/api/consultations",
        Needs(RunConsultations),
        "/api/consultations",
    ),
    rule(
        "GET",
        "/api/consultations/{id}",
        Needs(Read),
        "/api/consultations/1",
    ),
    rule(
        "POST",
        "/api/consultations/{id}/phase",
        Needs(RunConsultations),
        "/api/consultations/1/phase",
    ),
    rule(
        "POST",
        "/api/consultations/{id}/seeds",
        Needs(RunConsultations),
        "/api/consultations/1/seeds",
    ),
    rule(
        "GET",
        "/api/consultations/{id}/moderation",
        Needs(Moderate),
        "/api/consultations/1/moderation",
    ),
    rule(
        "POST",
        "/api/consultations/{id}/moderation",
        Needs(Moderate),
        "/api/consultations/1/moderation",
    ),
    rule(
        "POST",
        "/api/c/{slug}/participants",
        Public,
        "/api/c/parks/participants",
    ),
    rule("GET", "/api/c/{slug}/next", Public, "/api/c/parks/next"),
    rule("POST", "/api/c/{slug}/votes", Public, "/api/c/parks/votes"),
    rule(
        "POST",
        "/api/c/{slug}/statements",
        Public,
        "/api/c/parks/statements",
    ),
    rule(
        "GET",
        "/api/c/{slug}/standing",
        Public,
        "/api/c/parks/standing",
    ),
    rule("GET", "/report", Needs(Read), "/report"),
    rule("GET", "/report.pdf", Needs(Read), "/report.pdf"),
    rule("GET", "/strategies", Needs(Read), "/strategies"),
    rule(
        "POST",
        "/strategies",
        Needs(ManageStrategies),
        "/strategies",
    ),
    rule("GET", "/strategies/{id}", Needs(Read), "/strategies/1"),
    rule(
        "POST",
        "/strategies/{id}",
        Needs(ManageStrategies),
        "/strategies/1",
    ),
    rule("GET", "/api/strategies", Needs(Read), "/api/strategies"),
    rule(
        "PUT",
        "/api/strategies/{id}",
        Needs(ManageStrategies),
        "/api/strategies/1",
    ),
    rule(
        "POST",
        "/strategies/{id}/edit",
        Needs(ManageStrategies),
        "/strategies/1/edit",
    ),
    rule(
        "POST",
        "/strategies/{id}/reviews",
        Needs(ManageStrategies),
        "/strategies/1/reviews",
    ),
    rule(
        "POST",
        "/api/strategies/{id}/reviews",
        Needs(ManageStrategies),
        "/api/strategies/1/reviews",
    ),
    rule(
        "POST",
        "/api/strategies",
        Needs(ManageStrategies),
        "/api/strategies",
    ),
    rule(
        "GET",
        "/api/strategies/{id}",
        Needs(Read),
        "/api/strategies/1",
    ),
    rule(
        "POST",
        "/api/strategies/{id}/phase",
        Needs(ManageStrategies),
        "/api/strategies/1/phase",
    ),
    rule("GET", "/readiness", Needs(Read), "/readiness"),
    rule("POST", "/readiness", Needs(ManageStrategies), "/readiness"),
    rule("GET", "/api/readiness", Needs(Read), "/api/readiness"),
    rule(
        "POST",
        "/api/readiness",
        Needs(ManageStrategies),
        "/api/readiness",
    ),
    rule("GET", "/drafts", Needs(Read), "/drafts"),
    rule("POST", "/drafts", Needs(Read), "/drafts"),
    rule(
        "POST",
        "/api/drafts/check",
        Needs(Read),
        "/api/drafts/check",
    ),
    rule("GET", "/api/ideas/{id}", Needs(Read), "/api/ideas/1"),
    rule(
        "POST",
        "/api/ideas/{id}/actions",
        Needs(ContributeIdeas),
        "/api/ideas/1/actions",
    ), // Learning in a safe place: anyone signed in reviews what is on trial; releasing it and marking
    // it sent are checked per subject by the app (settings for saved replies, moderation for posts).
    rule("GET", "/trials", Needs(Read), "/trials"),
    rule("POST", "/trials", Needs(Respond), "/trials"),
    rule(
        "GET",
        "/trials/{subject}/{id}",
        Needs(Read),
        "/trials/outbound/1",
    ),
    rule(
        "POST",
        "/trials/{subject}/{id}",
        Needs(Read),
        "/trials/outbound/1",
    ),
    rule("GET", "/api/trials", Needs(Read), "/api/trials"),
    rule("POST", "/api/outbound", Needs(Respond), "/api/outbound"),
    rule(
        "POST",
        "/api/outbound/{id}/sent",
        Needs(Respond),
        "/api/outbound/1/sent",
    ),
    rule(
        "GET",
        "/api/trials/{subject}/{id}",
        Needs(Read),
        "/api/trials/outbound/1",
    ),
    rule(
        "POST",
        "/api/trials/{subject}/{id}/feedback",
        Needs(Read),
        "/api/trials/outbound/1/feedback",
    ),
    rule(
        "POST",
        "/api/trials/{subject}/{id}/release",
        Needs(Moderate),
        "/api/trials/outbound/1/release",
    ),
    rule("GET", "/campaigns", Needs(Read), "/campaigns"),
    rule("POST", "/campaigns", Needs(ManageIdeas), "/campaigns"),
    rule("GET", "/campaigns/{slug}", Needs(Read), "/campaigns/fixes"),
    rule(
        "POST",
        "/campaigns/{slug}",
        Needs(ManageIdeas),
        "/campaigns/fixes",
    ),
    rule("GET", "/api/campaigns", Needs(Read), "/api/campaigns"),
    rule(
        "POST",
        "/api/campaigns",
        Needs(ManageIdeas),
        "/api/campaigns",
    ),
    rule(
        "GET",
        "/api/campaigns/{slug}",
        Needs(Read),
        "/api/campaigns/fixes",
    ),
    rule(
        "POST",
        "/api/campaigns/{slug}/audience",
        Needs(ManageIdeas),
        "/api/campaigns/fixes/audience",
    ),
];

/// What a route requires; `None` for a route missing from [`ROUTES`].
pub fn required(method: &Method, path: &str) -> Option<Access> {
    ROUTES
        .iter()
        .find(|r| r.path == path && r.method == method.as_str())
        .map(|r| r.access)
}

/// How the request proved who it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Credential {
    Cookie,
    Bearer,
}

/// The session token of a request, and where it came from.
pub(crate) fn session_token(headers: &HeaderMap) -> Option<(String, Credential)> {
    if let Some(bearer) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    {
        return Some((bearer.trim().to_string(), Credential::Bearer));
    }
    cookie(headers, SESSION_COOKIE).map(|token| (token, Credential::Cookie))
}

/// A cookie's value.
pub(crate) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_string())
}

fn is_api(path: &str) -> bool {
    path.starts_with("/api/")
}

fn refusal(api: bool, status: StatusCode, code: &str, message: &str) -> Response {
    if api {
        (
            status,
            Json(serde_json::json!({ "error": code, "message": message })),
        )
            .into_response()
    } else {
        crate::pages::refusal_page(status, message)
    }
}

/// The request's origin matches the host it was sent to (or it sent no Origin header at all).
pub(crate) fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let Some(host) = headers.get(header::HOST).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    origin
        .split_once("://")
        .is_some_and(|(_, rest)| rest.trim_end_matches('/') == host)
}

/// Enforce [`ROUTES`] on every routed request; on success the handler finds the [`SessionUser`] in the
/// request's extensions.
pub(crate) async fn enforce(
    State(state): State<AppState>,
    matched: Option<MatchedPath>,
    request: Request,
    next: Next,
) -> Response {
    let path = matched.as_ref().map_or("", |m| m.as_str()).to_string();
    let api = is_api(request.uri().path());
    let Some(access) = required(request.method(), &path) else {
        tracing::error!(method = %request.method(), path, "route missing from the access table");
        return refusal(
            api,
            StatusCode::FORBIDDEN,
            "forbidden",
            "This address is not open to anyone.",
        );
    };
    let credential = session_token(request.headers());
    let user = match &credential {
        Some((token, _)) => {
            let (accounts, store, token) =
                (state.accounts.clone(), state.store.clone(), token.clone());
            match tokio::task::spawn_blocking(move || accounts.session(&store, &token)).await {
                Ok(Ok(user)) => user,
                Ok(Err(e)) => {
                    tracing::error!(error = %e, "reading a session failed");
                    None
                }
                Err(_) => None,
            }
        }
        None => None,
    };
    let mut request = request;
    if access == Access::Public {
        if let Some(user) = user {
            request.extensions_mut().insert(user);
        }
        return next.run(request).await;
    }
    let Some(user) = user else {
        if api {
            return refusal(
                true,
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "Sign in first: POST /api/session, then send the token as a Bearer token.",
            );
        }
        let wanted = request
            .uri()
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_string();
        let next_param = if request.method() == Method::GET {
            format!("?next={}", crate::pages::url_encode(&wanted))
        } else {
            String::new()
        };
        return Redirect::to(&format!("/login{next_param}")).into_response();
    };
    if let Access::Needs(permission) = access {
        if user.must_change_password {
            return if api {
                refusal(
                    true,
                    StatusCode::FORBIDDEN,
                    "password_change_required",
                    "Choose your own password first: POST /api/account/password.",
                )
            } else {
                Redirect::to("/account/password").into_response()
            };
        }
        if !user.can(permission) {
            return refusal(
                api,
                StatusCode::FORBIDDEN,
                "forbidden",
                "Your role does not allow this. An administrator can change your role.",
            );
        }
    }
    let unsafe_method = !matches!(*request.method(), Method::GET | Method::HEAD);
    if unsafe_method && credential.as_ref().map(|c| c.1) == Some(Credential::Cookie) {
        if !same_origin(request.headers()) {
            return refusal(
                api,
                StatusCode::FORBIDDEN,
                "cross_origin",
                "This request came from another site.",
            );
        }
        let (request_back, token) = match csrf_token_of(request).await {
            Ok(found) => found,
            Err(response) => return response,
        };
        if !token.is_some_and(|t| csrf_matches(&user.csrf_token, &t)) {
            return refusal(
                api,
                StatusCode::FORBIDDEN,
                "csrf",
                "This form has expired or did not come from Townhall. Reload the page and try again.",
            );
        }
        request = request_back;
    }
    request.extensions_mut().insert(user);
    next.run(request).await
}

/// The CSRF token of a request: its header, or the `csrf` field of a URL-encoded form (the body is read
/// and put back for the handler).
async fn csrf_token_of(request: Request) -> Result<(Request, Option<String>), Response> {
    if let Some(token) = request
        .headers()
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
    {
        let token = token.to_string();
        return Ok((request, Some(token)));
    }
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if content_type.starts_with("multipart/form-data") {
        // File uploads are not read here: their form puts the token in its address.
        let token = request
            .uri()
            .query()
            .and_then(|q| form_urlencoded_field(q.as_bytes(), CSRF_FIELD));
        return Ok((request, token));
    }
    if !content_type.starts_with("application/x-www-form-urlencoded") {
        return Ok((request, None));
    }
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, MAX_FORM_BYTES)
        .await
        .map_err(|_| (StatusCode::PAYLOAD_TOO_LARGE, "form too large").into_response())?;
    let token = form_urlencoded_field(&bytes, CSRF_FIELD);
    Ok((Request::from_parts(parts, Body::from(bytes)), token))
}

fn form_urlencoded_field(body: &[u8], name: &str) -> Option<String> {
    let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(body).ok()?;
    fields.into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_is_unique_and_its_example_fits_its_path() {
        for (i, a) in ROUTES.iter().enumerate() {
            for b in &ROUTES[i + 1..] {
                assert!(
                    !(a.method == b.method && a.path == b.path),
                    "{} {} twice",
                    a.method,
                    a.path
                );
            }
            let example = a.example.split('?').next().unwrap_or_default();
            let (pattern, concrete): (Vec<&str>, Vec<&str>) =
                (a.path.split('/').collect(), example.split('/').collect());
            assert_eq!(pattern.len(), concrete.len(), "{}", a.path);
            for (p, c) in pattern.iter().zip(&concrete) {
                assert!(p.starts_with('{') || p == c, "{} vs {}", a.path, a.example);
            }
        }
    }

    #[test]
    fn cookies_and_origins_are_read_strictly() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            "a=1; townhall_session=abc; b=2".parse().expect("header"),
        );
        assert_eq!(cookie(&headers, SESSION_COOKIE).as_deref(), Some("abc"));
        assert_eq!(
            session_token(&headers),
            Some(("abc".to_string(), Credential::Cookie))
        );
        headers.insert(header::HOST, "127.0.0.1:8080".parse().expect("header"));
        assert!(same_origin(&headers));
        headers.insert(
            header::ORIGIN,
            "http://127.0.0.1:8080".parse().expect("header"),
        );
        assert!(same_origin(&headers));
        headers.insert(
            header::ORIGIN,
            "https://evil.example".parse().expect("header"),
        );
        assert!(!same_origin(&headers));
    }
}
