//! Administration: accounts and teams (`/settings`), the audit log (`/audit`) and their JSON twins.

use crate::chrome::Chrome;
use crate::error::ApiError;
use crate::pages::render;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form, Json};
use serde::{Deserialize, Serialize};
use townhall_app::accounts::{AuditFormat, NewUser, SessionUser};
use townhall_app::{AppError, AuditRecord, UserRecord};
use townhall_core::Role;

/// Audit records per page.
const AUDIT_PAGE: usize = 100;

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    title: &'static str,
    chrome: Chrome,
    users: Vec<UserRecord>,
    teams: Vec<String>,
    roles: Vec<&'static str>,
    notice: Option<String>,
    /// (user name, password) to show once.
    one_time_password: Option<(String, String)>,
    error: Option<String>,
}

/// What an admin action produced, for the page that follows it.
#[derive(Default)]
struct Outcome {
    notice: Option<String>,
    one_time_password: Option<(String, String)>,
    error: Option<String>,
}

async fn settings_page(state: &AppState, user: SessionUser, outcome: Outcome) -> Response {
    let (accounts, store, who) = (state.accounts.clone(), state.store.clone(), user.clone());
    let listed = tokio::task::spawn_blocking(move || {
        let users = accounts.users(&store, &who)?;
        let teams = store.teams().map_err(AppError::from)?;
        Ok::<_, AppError>((users, teams))
    })
    .await;
    let (users, teams) = match listed {
        Ok(Ok(found)) => found,
        Ok(Err(e)) => return ApiError::App(e).into_response(),
        Err(e) => return ApiError::Join(e).into_response(),
    };
    let status = if outcome.error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    render(
        status,
        &SettingsPage {
            title: "Settings",
            chrome: Chrome::of(Some(&user)),
            users,
            teams,
            roles: Role::ALL.iter().map(|r| r.as_str()).collect(),
            notice: outcome.notice,
            one_time_password: outcome.one_time_password,
            error: outcome.error,
        },
    )
}

pub(crate) async fn settings(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
) -> Response {
    settings_page(&state, user, Outcome::default()).await
}

#[derive(Debug, Deserialize)]
pub(crate) struct NewUserForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    team: String,
}

/// Turn an app error of an admin action into a message for the page (or a response when it is not the
/// user's to fix).
fn message_of(error: AppError) -> Result<String, ApiError> {
    match error {
        AppError::Invalid(message) => Ok(message),
        AppError::Store(townhall_app::StoreError::Conflict(message)) => Ok(message),
        other => Err(ApiError::App(other)),
    }
}

pub(crate) async fn create_user(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Form(form): Form<NewUserForm>,
) -> Response {
    let role = match form.role.parse::<Role>() {
        Ok(role) => role,
        Err(e) => {
            let outcome = Outcome {
                error: Some(e.to_string()),
                ..Outcome::default()
            };
            return settings_page(&state, user, outcome).await;
        }
    };
    let new = NewUser {
        username: form.username.trim().to_string(),
        display_name: form.display_name,
        role,
        team: Some(form.team).filter(|t| !t.trim().is_empty()),
    };
    let (accounts, store, who) = (state.accounts.clone(), state.store.clone(), user.clone());
    let created =
        tokio::task::spawn_blocking(move || accounts.create_user(&store, &who, &new)).await;
    let outcome = match created {
        Ok(Ok((created, password))) => Outcome {
            notice: Some(format!(
                "Account {} added as {}.",
                created.username, created.role
            )),
            one_time_password: Some((created.username, password)),
            error: None,
        },
        Ok(Err(e)) => match message_of(e) {
            Ok(message) => Outcome {
                error: Some(message),
                ..Outcome::default()
            },
            Err(e) => return e.into_response(),
        },
        Err(e) => return ApiError::Join(e).into_response(),
    };
    settings_page(&state, user, outcome).await
}

#[derive(Debug, Deserialize)]
pub(crate) struct UserActionForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    role: String,
}

pub(crate) async fn user_action(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Path(username): Path<String>,
    Form(form): Form<UserActionForm>,
) -> Response {
    let (accounts, store, who) = (state.accounts.clone(), state.store.clone(), user.clone());
    let target = username.clone();
    let done = tokio::task::spawn_blocking(move || -> Result<Outcome, AppError> {
        match form.action.as_str() {
            "role" => {
                let role = form
                    .role
                    .parse::<Role>()
                    .map_err(|e| AppError::Invalid(e.to_string()))?;
                let changed = accounts.set_role(&store, &who, &target, role)?;
                Ok(Outcome {
                    notice: Some(format!("{} is now {}.", changed.username, changed.role)),
                    ..Outcome::default()
                })
            }
            "disable" | "enable" => {
                let disabled = form.action == "disable";
                let changed = accounts.set_disabled(&store, &who, &target, disabled)?;
                let state = if disabled { "disabled" } else { "enabled" };
                Ok(Outcome {
                    notice: Some(format!("{} is {state}.", changed.username)),
                    ..Outcome::default()
                })
            }
            "reset" => {
                let password = accounts.reset_password(&store, &who, &target)?;
                Ok(Outcome {
                    notice: Some(format!("The password of {target} is reset.")),
                    one_time_password: Some((target.clone(), password)),
                    error: None,
                })
            }
            other => Err(AppError::Invalid(format!(
                "unknown action {:?}",
                other.chars().take(40).collect::<String>()
            ))),
        }
    })
    .await;
    let outcome = match done {
        Ok(Ok(outcome)) => outcome,
        Ok(Err(e)) => match message_of(e) {
            Ok(message) => Outcome {
                error: Some(message),
                ..Outcome::default()
            },
            Err(e) => return e.into_response(),
        },
        Err(e) => return ApiError::Join(e).into_response(),
    };
    settings_page(&state, user, outcome).await
}

/// An audit record as the page shows it.
struct AuditRow {
    id: i64,
    when: String,
    iso: String,
    actor: String,
    action: String,
    target: String,
    detail: String,
}

impl From<AuditRecord> for AuditRow {
    fn from(r: AuditRecord) -> Self {
        let at = chrono::DateTime::from_timestamp_millis(r.at);
        AuditRow {
            id: r.id,
            when: at.map_or_else(String::new, |t| t.format("%Y-%m-%d %H:%M:%S").to_string()),
            iso: at.map_or_else(String::new, |t| t.to_rfc3339()),
            actor: r.actor,
            action: r.action,
            target: r.target,
            detail: r.detail,
        }
    }
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    title: &'static str,
    chrome: Chrome,
    rows: Vec<AuditRow>,
    before: Option<i64>,
    older_href: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct AuditQuery {
    #[serde(default)]
    before: Option<i64>,
    #[serde(default)]
    limit: Option<usize>,
    #[serde(default)]
    format: Option<String>,
}

async fn audit_records(
    state: &AppState,
    user: &SessionUser,
    before: Option<i64>,
    limit: usize,
) -> Result<Vec<AuditRecord>, ApiError> {
    let (accounts, store, who) = (state.accounts.clone(), state.store.clone(), user.clone());
    Ok(
        tokio::task::spawn_blocking(move || accounts.audit_page(&store, &who, before, limit))
            .await??,
    )
}

pub(crate) async fn audit(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Query(query): Query<AuditQuery>,
) -> Response {
    let records = match audit_records(&state, &user, query.before, AUDIT_PAGE).await {
        Ok(records) => records,
        Err(e) => return e.into_response(),
    };
    let older_href = (records.len() == AUDIT_PAGE)
        .then(|| records.last().map(|r| format!("/audit?before={}", r.id)))
        .flatten();
    render(
        StatusCode::OK,
        &AuditPage {
            title: "Audit log",
            chrome: Chrome::of(Some(&user)),
            rows: records.into_iter().map(AuditRow::from).collect(),
            before: query.before,
            older_href,
        },
    )
}

pub(crate) async fn audit_export(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Query(query): Query<AuditQuery>,
) -> Result<Response, ApiError> {
    let (format, content_type, extension) = match query.format.as_deref() {
        Some("jsonl") => (AuditFormat::Jsonl, "application/x-ndjson", "jsonl"),
        Some("csv") | None => (AuditFormat::Csv, "text/csv; charset=utf-8", "csv"),
        Some(_) => {
            return Err(ApiError::App(AppError::Invalid(
                "format must be csv or jsonl".into(),
            )))
        }
    };
    let (accounts, store) = (state.accounts.clone(), state.store.clone());
    let bytes = tokio::task::spawn_blocking(move || {
        let mut out = Vec::new();
        accounts.export_audit(&store, &user, format, &mut out)?;
        Ok::<_, AppError>(out)
    })
    .await??;
    let name = format!(
        "townhall-audit-{}.{extension}",
        chrono::Utc::now().format("%Y%m%d-%H%M%S")
    );
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

pub(crate) async fn api_audit(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Query(query): Query<AuditQuery>,
) -> Result<Json<Vec<AuditRecord>>, ApiError> {
    let limit = query.limit.unwrap_or(AUDIT_PAGE);
    Ok(Json(
        audit_records(&state, &user, query.before, limit).await?,
    ))
}

pub(crate) async fn api_users(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
) -> Result<Json<Vec<UserRecord>>, ApiError> {
    let (accounts, store) = (state.accounts.clone(), state.store.clone());
    Ok(Json(
        tokio::task::spawn_blocking(move || accounts.users(&store, &user)).await??,
    ))
}

#[derive(Debug, Deserialize)]
pub(crate) struct NewUserBody {
    username: String,
    display_name: String,
    role: Role,
    #[serde(default)]
    team: Option<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct CreatedUser {
    user: UserRecord,
    /// Shown once; the account must change it at first sign-in.
    one_time_password: String,
}

pub(crate) async fn api_create_user(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Json(body): Json<NewUserBody>,
) -> Result<(StatusCode, Json<CreatedUser>), ApiError> {
    let (accounts, store) = (state.accounts.clone(), state.store.clone());
    let new = NewUser {
        username: body.username,
        display_name: body.display_name,
        role: body.role,
        team: body.team,
    };
    let (created, password) =
        tokio::task::spawn_blocking(move || accounts.create_user(&store, &user, &new)).await??;
    Ok((
        StatusCode::CREATED,
        Json(CreatedUser {
            user: created,
            one_time_password: password,
        }),
    ))
}
