//! Inbox settings for admins (`/inbox/settings`): intake rules, routing rules, team service targets and
//! approval, saved replies. One form per kind posts back here; errors come back on the page.

use crate::chrome::Chrome;
use crate::error::{blocking, PageError};
use crate::pages::render;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use serde::Deserialize;
use townhall_app::accounts::SessionUser;
use townhall_app::actor::Actor;
use townhall_app::inbox_settings::{
    remove_rule, save_intake_rule, save_routing_rule, save_saved_reply, save_team_settings,
    settings, InboxSettings,
};
use townhall_app::AppError;
use townhall_app::{IntakeRule, RoutingRule, RuleFilters, RuleTable, SavedReply, TeamSettings};

#[derive(Template)]
#[template(path = "inbox_settings.html")]
struct SettingsPage {
    title: &'static str,
    chrome: Chrome,
    s: InboxSettings,
    placeholders: Vec<(&'static str, &'static str)>,
    notice: bool,
    error: Option<String>,
}

fn filters_text(f: &RuleFilters) -> String {
    let mut parts = Vec::new();
    if !f.query.is_empty() {
        parts.push(format!("query “{}”", f.query));
    }
    if let Some(l) = &f.language {
        parts.push(format!("language {l}"));
    }
    if let Some(c) = &f.channel {
        parts.push(format!("channel {c}"));
    }
    if let Some(t) = &f.topic {
        parts.push(format!("topic {t}"));
    }
    if let Some(s) = f.max_sentiment {
        parts.push(format!("sentiment ≤ {s}"));
    }
    if parts.is_empty() {
        "every post".into()
    } else {
        parts.join("; ")
    }
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct DoneQuery {
    #[serde(default)]
    done: String,
}

async fn page(
    state: &AppState,
    user: &SessionUser,
    notice: bool,
    error: Option<String>,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let s = blocking(move || settings(&store)).await?;
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    Ok(render(
        status,
        &SettingsPage {
            title: "Inbox settings",
            chrome: Chrome::of(Some(user)),
            s,
            placeholders: townhall_engage::KNOWN_PLACEHOLDERS.to_vec(),
            notice,
            error,
        },
    ))
}

pub(crate) async fn inbox_settings(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Query(query): Query<DoneQuery>,
) -> Result<Response, PageError> {
    page(&state, &user, query.done == "saved", None).await
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct SettingsForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    trigger: String,
    #[serde(default)]
    query: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    topic: String,
    #[serde(default)]
    max_sentiment: String,
    #[serde(default)]
    enabled: Option<String>,
    #[serde(default)]
    team: String,
    #[serde(default)]
    position: Option<i64>,
    #[serde(default)]
    first_response_minutes: Option<u32>,
    #[serde(default)]
    timezone: String,
    #[serde(default)]
    days: String,
    #[serde(default)]
    day_start: String,
    #[serde(default)]
    day_end: String,
    #[serde(default)]
    requires_approval: Option<String>,
    #[serde(default)]
    max_reading_grade: Option<f64>,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    /// A saved reply's audience: `employees` (on trial) or `public`.
    #[serde(default)]
    audience: String,
}

fn opt(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

impl SettingsForm {
    fn filters(&self) -> Result<RuleFilters, AppError> {
        let max_sentiment =
            match self.max_sentiment.trim() {
                "" => None,
                s => Some(s.parse::<f64>().map_err(|_| {
                    AppError::Invalid(format!("max_sentiment: {s:?} is not a number"))
                })?),
            };
        Ok(RuleFilters {
            query: self.query.trim().to_string(),
            language: opt(&self.language).map(|l| l.to_lowercase()),
            channel: opt(&self.channel),
            topic: opt(&self.topic),
            max_sentiment,
        })
    }
}

fn apply(store: &townhall_app::Store, actor: &Actor, form: &SettingsForm) -> Result<(), AppError> {
    match form.kind.as_str() {
        "intake" => save_intake_rule(
            store,
            actor,
            &IntakeRule {
                id: 0,
                position: form.position.unwrap_or(0),
                name: form.name.clone(),
                trigger: form.trigger.clone(),
                filters: form.filters()?,
                enabled: form.enabled.is_some(),
            },
        ),
        "routing" => save_routing_rule(
            store,
            actor,
            &RoutingRule {
                id: 0,
                position: form.position.unwrap_or(0),
                name: form.name.clone(),
                filters: form.filters()?,
                team: form.team.clone(),
            },
        ),
        "remove_intake" => remove_rule(store, actor, RuleTable::Intake, &form.name),
        "remove_routing" => remove_rule(store, actor, RuleTable::Routing, &form.name),
        "team" => {
            let defaults = TeamSettings::default_for(&form.team);
            save_team_settings(
                store,
                actor,
                &TeamSettings {
                    team: form.team.clone(),
                    first_response_minutes: form
                        .first_response_minutes
                        .unwrap_or(defaults.first_response_minutes),
                    timezone: opt(&form.timezone).unwrap_or(defaults.timezone),
                    days: opt(&form.days).unwrap_or(defaults.days),
                    day_start: opt(&form.day_start).unwrap_or(defaults.day_start),
                    day_end: opt(&form.day_end).unwrap_or(defaults.day_end),
                    requires_approval: form.requires_approval.is_some(),
                    max_reading_grade: form.max_reading_grade.unwrap_or(defaults.max_reading_grade),
                },
            )
        }
        "saved_reply" => save_saved_reply(
            store,
            actor,
            &SavedReply {
                id: 0,
                title: form.title.clone(),
                team: opt(&form.team),
                body: form.body.clone(),
                audience: opt(&form.audience).unwrap_or_else(|| "public".into()),
            },
        )
        .map(|_| ()),
        _ => Err(AppError::Invalid("kind: which setting?".into())),
    }
}

pub(crate) async fn save_inbox_settings(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Form(form): Form<SettingsForm>,
) -> Result<Response, PageError> {
    let actor = Actor::from(&user);
    let store = state.store.clone();
    match blocking(move || apply(&store, &actor, &form)).await {
        Ok(()) => Ok(Redirect::to("/inbox/settings?done=saved").into_response()),
        Err(crate::error::ApiError::App(e @ (AppError::Invalid(_) | AppError::Query { .. }))) => {
            page(&state, &user, false, Some(e.to_string())).await
        }
        Err(e) => Err(e.into()),
    }
}

// Askama calls this from the template.
impl SettingsPage {
    fn describe(&self, f: &RuleFilters) -> String {
        filters_text(f)
    }
}
