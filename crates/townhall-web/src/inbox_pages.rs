//! The inbox in the browser: the queue (`/inbox`, a responder's own cases first, bulk actions), one case
//! (`/cases/{id}`: conversation, service clock, timeline, every action, replies checked before they go),
//! approvals, flagging a post, and the inbox settings (`/inbox/settings`).

use crate::chrome::Chrome;
use crate::error::{blocking, PageError};
use crate::pages::render;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use serde::Deserialize;
use townhall_app::accounts::SessionUser;
use townhall_app::actor::Actor;
use townhall_app::inbox::{
    act, bulk, case_view, check_reply, queue, render_saved_reply, BulkCommand, CaseCommand,
    CaseView, QueuePage, QueueRequest, QueueView, ReplyCheck,
};
use townhall_app::AppError;
use townhall_core::Permission;
use townhall_engage::SlaState;

fn now() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// `2024-05-02 10:15 UTC`.
pub(crate) fn when(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_default()
}

/// Machine-readable time for `<time datetime>`.
pub(crate) fn iso(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}

/// Untrusted text cut for a table cell (askama escapes it).
fn excerpt(text: &str, max: usize) -> String {
    let cut: String = text.chars().take(max).collect();
    if cut.len() < text.len() {
        format!("{cut}…")
    } else {
        cut
    }
}

fn sla_class(sla: &SlaState) -> &'static str {
    match sla {
        SlaState::Overdue { .. } | SlaState::Missed { .. } => "sla-late",
        SlaState::Running { left_ms, .. } if *left_ms < 3_600_000 => "sla-soon",
        _ => "sla-ok",
    }
}

struct QueueLine {
    id: i64,
    excerpt: String,
    author: String,
    channel: String,
    team: String,
    assignee: String,
    opened: String,
    opened_iso: String,
    sla_text: String,
    sla_class: &'static str,
    status: String,
    escalated: bool,
    tags: String,
}

struct Tab {
    label: String,
    href: String,
    current: bool,
}

#[derive(Template)]
#[template(path = "inbox.html")]
struct InboxPage {
    title: &'static str,
    chrome: Chrome,
    tabs: Vec<Tab>,
    view_key: &'static str,
    view_label: &'static str,
    lines: Vec<QueueLine>,
    total: u64,
    page: usize,
    pages: usize,
    prev_href: Option<String>,
    next_href: Option<String>,
    filters: InboxQuery,
    can_respond: bool,
    can_configure: bool,
    notice: Option<String>,
}

/// The queue's query string.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct InboxQuery {
    #[serde(default)]
    view: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    team: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    tag: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    escalated: String,
    #[serde(default)]
    newest: String,
    #[serde(default)]
    page: usize,
    #[serde(default)]
    done: String,
}

fn some(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

impl InboxQuery {
    fn request(&self, view: QueueView) -> QueueRequest {
        QueueRequest {
            view,
            status: some(&self.status),
            team: some(&self.team),
            reason: some(&self.reason),
            tag: some(&self.tag),
            language: some(&self.language),
            channel: None,
            escalated: !self.escalated.is_empty(),
            newest_first: !self.newest.is_empty(),
            page: self.page.max(1),
        }
    }

    /// This query's link with another view and page.
    fn href(&self, view: &str, page: usize) -> String {
        let mut url = url_params(&[
            ("view", view),
            ("status", &self.status),
            ("team", &self.team),
            ("reason", &self.reason),
            ("tag", &self.tag),
            ("language", &self.language),
            ("escalated", &self.escalated),
            ("newest", &self.newest),
        ]);
        if page > 1 {
            url.push_str(&format!("&page={page}"));
        }
        format!("/inbox?{url}")
    }
}

pub(crate) fn url_params(pairs: &[(&str, &str)]) -> String {
    let kept: Vec<(&str, &str)> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .copied()
        .collect();
    serde_urlencoded::to_string(kept).unwrap_or_default()
}

/// Fixed messages shown after an action (the URL carries a code, never text).
fn done_message(code: &str) -> Option<String> {
    Some(
        match code {
            "bulk" => "The cases were changed.",
            "assigned" => "Assignment saved.",
            "replied" => "Reply recorded; it is in the outbox for export.",
            "drafted" => "Reply saved; it goes out once a moderator approves it.",
            "approved" => "Reply approved and recorded.",
            "rejected" => "Reply sent back to its author.",
            "closed" => "Case closed.",
            "reopened" => "Case reopened.",
            "snoozed" => "Case snoozed.",
            "woke" => "Case woken.",
            "escalated" => "Case escalated.",
            "deescalated" => "No longer escalated.",
            "routed" => "Case sent to another team.",
            "noted" => "Note added.",
            "tagged" => "Tag added.",
            "flagged" => "The post is in the inbox.",
            "saved" => "Saved.",
            _ => return None,
        }
        .to_string(),
    )
}

pub(crate) async fn inbox(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Query(query): Query<InboxQuery>,
) -> Result<Response, PageError> {
    let view = if query.view.is_empty() {
        // A responder sees their own queue first; others see everything.
        if user.can(Permission::Respond) {
            QueueView::Mine
        } else {
            QueueView::All
        }
    } else {
        QueueView::parse(&query.view)?
    };
    let actor = Actor::from(&user);
    let request = query.request(view);
    let store = state.store.clone();
    let page: QueuePage = blocking(move || queue(&store, &actor, &request, now())).await?;
    let views: [(&str, QueueView, String); 4] = [
        (
            "mine",
            QueueView::Mine,
            format!("Assigned to me ({})", page.mine),
        ),
        ("team", QueueView::Team, "My team's new cases".into()),
        ("unassigned", QueueView::Unassigned, "Unassigned".into()),
        ("all", QueueView::All, "All cases".into()),
    ];
    let tabs = views
        .iter()
        .map(|(key, v, label)| Tab {
            label: label.clone(),
            href: query.href(key, 1),
            current: *v == view,
        })
        .collect();
    let view_key = views
        .iter()
        .find(|(_, v, _)| *v == view)
        .map_or("all", |(k, _, _)| *k);
    let lines = page
        .rows
        .iter()
        .map(|row| {
            let c = &row.case;
            QueueLine {
                id: c.id,
                excerpt: excerpt(&c.excerpt, 160),
                author: c.author.clone().unwrap_or_else(|| "—".into()),
                channel: c.channel.clone(),
                team: c.team.clone().unwrap_or_else(|| "—".into()),
                assignee: c.assignee.clone().unwrap_or_else(|| "nobody".into()),
                opened: when(c.opened_at),
                opened_iso: iso(c.opened_at),
                sla_text: row.sla_text.clone(),
                sla_class: sla_class(&row.sla),
                status: c.status.clone(),
                escalated: c.escalated,
                tags: c.tags.join(", "),
            }
        })
        .collect();
    let view_label = match view {
        QueueView::Mine => "Cases assigned to you",
        QueueView::Team => "Your team's cases nobody has taken",
        QueueView::Unassigned => "Cases nobody has taken",
        QueueView::All => "All cases",
    };
    Ok(render(
        StatusCode::OK,
        &InboxPage {
            title: "Inbox",
            chrome: Chrome::of(Some(&user)),
            tabs,
            view_key,
            view_label,
            lines,
            total: page.total,
            page: page.page,
            pages: page.pages,
            prev_href: (page.page > 1).then(|| query.href(view_key, page.page - 1)),
            next_href: (page.page < page.pages).then(|| query.href(view_key, page.page + 1)),
            notice: done_message(&query.done),
            filters: query,
            can_respond: user.can(Permission::Respond),
            can_configure: user.can(Permission::ManageSettings),
        },
    ))
}

/// The bulk form: checked case ids and one action.
#[derive(Debug, Deserialize)]
pub(crate) struct BulkForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    user: String,
    #[serde(default)]
    team: String,
    #[serde(default)]
    tag: String,
    #[serde(default, rename = "case")]
    cases: Vec<i64>,
}

pub(crate) async fn inbox_bulk(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    axum_extra::extract::Form(form): axum_extra::extract::Form<BulkForm>,
) -> Result<Response, PageError> {
    let command = match form.action.as_str() {
        "close" => BulkCommand::Close,
        "assign" => BulkCommand::Assign {
            user: some(&form.user),
        },
        "route" => BulkCommand::Route {
            team: some(&form.team),
        },
        "tag" => BulkCommand::Tag {
            tag: form.tag.clone(),
        },
        other => {
            return Err(AppError::Invalid(format!(
                "action: choose close, assign, route or tag, not {:?}",
                excerpt(other, 20)
            ))
            .into())
        }
    };
    if form.cases.is_empty() {
        return Err(AppError::Invalid("tick at least one case".into()).into());
    }
    let actor = Actor::from(&user);
    let store = state.store.clone();
    blocking(move || bulk(&store, &actor, &form.cases, &command)).await?;
    Ok(Redirect::to("/inbox?done=bulk").into_response())
}

struct PostLine {
    id: i64,
    author: String,
    text: String,
    time: String,
    iso_time: String,
}

impl PostLine {
    fn of(p: &townhall_core::StoredPost) -> PostLine {
        PostLine {
            id: p.id,
            author: p.author.clone().unwrap_or_else(|| "unknown".into()),
            text: p.text.clone(),
            time: p.created_at.format("%Y-%m-%d %H:%M UTC").to_string(),
            iso_time: p
                .created_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        }
    }
}

struct EventLine {
    time: String,
    iso_time: String,
    actor: String,
    kind: String,
    detail: String,
    body: Option<String>,
}

struct ReplyLine {
    id: i64,
    author: String,
    body: String,
    grade: String,
    time: String,
    mine: bool,
}

#[derive(Template)]
#[template(path = "case.html")]
struct CasePage {
    title: &'static str,
    chrome: Chrome,
    id: i64,
    version: i64,
    status: String,
    reason: String,
    rule: String,
    team: String,
    assignee: String,
    assigned_to_me: bool,
    escalated: bool,
    snoozed_until: String,
    channel: String,
    language: String,
    topic: String,
    sentiment: String,
    tags: String,
    opened: String,
    sla_text: String,
    sla_class: &'static str,
    target: String,
    requires_approval: bool,
    others: Vec<String>,
    answers: Option<PostLine>,
    posts: Vec<PostLine>,
    events: Vec<EventLine>,
    pending: Vec<ReplyLine>,
    saved_replies: Vec<(i64, String)>,
    draft: String,
    check: Option<ReplyCheck>,
    can_respond: bool,
    can_approve: bool,
    can_contribute: bool,
    notice: Option<String>,
    error: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct CaseQuery {
    #[serde(default)]
    saved: Option<i64>,
    #[serde(default)]
    done: String,
}

struct CaseExtras {
    draft: String,
    check: Option<ReplyCheck>,
    notice: Option<String>,
    error: Option<String>,
}

fn case_page(user: &SessionUser, view: CaseView, extras: CaseExtras) -> CasePage {
    let c = &view.detail.case;
    let events = view
        .detail
        .events
        .iter()
        .map(|e| EventLine {
            time: when(e.at),
            iso_time: iso(e.at),
            actor: e.actor.clone(),
            kind: e.kind.replace('_', " "),
            detail: e.detail.clone(),
            body: e.body.clone(),
        })
        .collect();
    let pending = view
        .detail
        .replies
        .iter()
        .filter(|r| r.status == "awaiting_approval")
        .map(|r| ReplyLine {
            id: r.id,
            author: r.author.clone(),
            body: r.body.clone(),
            grade: r
                .reading_grade
                .map_or_else(|| "not rated".into(), |g| format!("{g:.1}")),
            time: when(r.created_at),
            mine: r.author == user.username,
        })
        .collect();
    CasePage {
        title: "Case",
        chrome: Chrome::of(Some(user)),
        id: c.id,
        version: c.version,
        status: c.status.clone(),
        reason: c.reason.replace('_', " "),
        rule: c
            .rule
            .clone()
            .unwrap_or_else(|| "flagged by a person".into()),
        team: c.team.clone().unwrap_or_default(),
        assignee: c.assignee.clone().unwrap_or_else(|| "nobody".into()),
        assigned_to_me: c.assignee_id == Some(user.id),
        escalated: c.escalated,
        snoozed_until: c.snoozed_until.map(when).unwrap_or_default(),
        channel: c.channel.clone(),
        language: c.language.clone().unwrap_or_else(|| "unknown".into()),
        topic: c.topic.clone().unwrap_or_else(|| "none".into()),
        sentiment: c.sentiment.map_or_else(String::new, |s| format!("{s:+.2}")),
        tags: c.tags.join(", "),
        opened: when(c.opened_at),
        sla_text: view.sla_text.clone(),
        sla_class: sla_class(&view.sla),
        target: format!(
            "first response within {} business minutes ({} {}–{}, {})",
            view.team_settings.first_response_minutes,
            view.team_settings.days,
            view.team_settings.day_start,
            view.team_settings.day_end,
            view.team_settings.timezone
        ),
        requires_approval: view.team_settings.requires_approval,
        others: view
            .others_working
            .iter()
            .map(|p| format!("{} (opened it {})", p.name, when(p.at)))
            .collect(),
        answers: view.answers.as_ref().map(PostLine::of),
        posts: view.posts.iter().map(PostLine::of).collect(),
        events,
        pending,
        saved_replies: view
            .saved_replies
            .iter()
            .map(|r| (r.id, r.title.clone()))
            .collect(),
        draft: extras.draft,
        check: extras.check,
        can_respond: user.can(Permission::Respond),
        can_approve: view.can_approve,
        can_contribute: user.can(Permission::ContributeIdeas),
        notice: extras.notice,
        error: extras.error,
    }
}

async fn load_case(state: &AppState, user: &SessionUser, id: i64) -> Result<CaseView, PageError> {
    let actor = Actor::from(user);
    let store = state.store.clone();
    Ok(blocking(move || case_view(&store, &actor, id, now())).await?)
}

pub(crate) async fn case(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Path(id): Path<i64>,
    Query(query): Query<CaseQuery>,
) -> Result<Response, PageError> {
    let view = load_case(&state, &user, id).await?;
    // A saved reply, chosen from the list, fills the draft.
    let draft = match query.saved {
        Some(saved) => match view.saved_replies.iter().find(|r| r.id == saved) {
            Some(reply) => {
                render_saved_reply(reply, &view.detail.case, &Actor::from(&user), now())?
            }
            None => String::new(),
        },
        None => String::new(),
    };
    let extras = CaseExtras {
        draft,
        check: None,
        notice: done_message(&query.done),
        error: None,
    };
    Ok(render(StatusCode::OK, &case_page(&user, view, extras)))
}

/// Every action form on the case page posts here.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct CaseForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    version: Option<i64>,
    #[serde(default)]
    user: String,
    #[serde(default)]
    team: String,
    #[serde(default)]
    hours: Option<f64>,
    #[serde(default)]
    why: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    tag: String,
    #[serde(default)]
    confirm_personal_data: Option<String>,
    #[serde(default)]
    reply_id: Option<i64>,
}

fn command_of(form: &CaseForm) -> Result<(CaseCommand, &'static str), AppError> {
    Ok(match form.action.as_str() {
        "take" => (CaseCommand::AssignToMe, "assigned"),
        "assign" => (
            CaseCommand::Assign {
                user: some(&form.user),
            },
            "assigned",
        ),
        "route" => (
            CaseCommand::Route {
                team: some(&form.team),
            },
            "routed",
        ),
        "snooze" => (
            CaseCommand::Snooze {
                until: None,
                hours: form.hours,
            },
            "snoozed",
        ),
        "wake" => (CaseCommand::Wake, "woke"),
        "escalate" => (
            CaseCommand::Escalate {
                why: form.why.clone(),
            },
            "escalated",
        ),
        "deescalate" => (CaseCommand::Deescalate, "deescalated"),
        "note" => (
            CaseCommand::Note {
                text: form.text.clone(),
            },
            "noted",
        ),
        "reply" => (
            CaseCommand::Reply {
                text: form.text.clone(),
                confirm_personal_data: form.confirm_personal_data.is_some(),
            },
            "replied",
        ),
        "close" => (
            CaseCommand::Close {
                why: form.why.clone(),
            },
            "closed",
        ),
        "reopen" => (CaseCommand::Reopen, "reopened"),
        "tag" => (
            CaseCommand::Tag {
                tag: form.tag.clone(),
            },
            "tagged",
        ),
        "approve" | "reject" => {
            let reply_id = form
                .reply_id
                .ok_or_else(|| AppError::Invalid("reply_id: which reply?".into()))?;
            if form.action == "approve" {
                (CaseCommand::Approve { reply_id }, "approved")
            } else {
                (
                    CaseCommand::Reject {
                        reply_id,
                        why: form.why.clone(),
                    },
                    "rejected",
                )
            }
        }
        other => {
            return Err(AppError::Invalid(format!(
                "unknown action {:?}",
                excerpt(other, 20)
            )))
        }
    })
}

async fn case_action(
    state: AppState,
    user: SessionUser,
    id: i64,
    form: CaseForm,
) -> Result<Response, PageError> {
    if form.action == "check" {
        // Check a draft without sending it: the page comes back with the results and the text kept.
        let view = load_case(&state, &user, id).await?;
        let check = check_reply(
            &form.text,
            view.detail.case.language.as_deref(),
            view.team_settings.max_reading_grade,
        );
        let extras = CaseExtras {
            draft: form.text.clone(),
            check: Some(check),
            notice: None,
            error: None,
        };
        return Ok(render(StatusCode::OK, &case_page(&user, view, extras)));
    }
    let (command, mut done) = command_of(&form)?;
    let actor = Actor::from(&user);
    let store = state.store.clone();
    let version = form.version;
    let acted = blocking(move || act(&store, &actor, id, version, &command, now())).await;
    match acted {
        Ok(outcome) => {
            if form.action == "reply" && outcome.message.contains("approved") {
                done = "drafted";
            }
            Ok(Redirect::to(&format!("/cases/{id}?done={done}")).into_response())
        }
        // The person can fix these: show the case again with the message and their text kept.
        Err(crate::error::ApiError::App(
            e @ (AppError::Invalid(_) | AppError::Store(townhall_app::StoreError::Conflict(_))),
        )) => {
            let status = if matches!(e, AppError::Invalid(_)) {
                StatusCode::BAD_REQUEST
            } else {
                StatusCode::CONFLICT
            };
            let view = load_case(&state, &user, id).await?;
            let check = (form.action == "reply").then(|| {
                check_reply(
                    &form.text,
                    view.detail.case.language.as_deref(),
                    view.team_settings.max_reading_grade,
                )
            });
            let extras = CaseExtras {
                draft: if form.action == "reply" {
                    form.text.clone()
                } else {
                    String::new()
                },
                check,
                notice: None,
                error: Some(e.to_string()),
            };
            Ok(render(status, &case_page(&user, view, extras)))
        }
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn case_post(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Path(id): Path<i64>,
    Form(form): Form<CaseForm>,
) -> Result<Response, PageError> {
    if matches!(form.action.as_str(), "approve" | "reject") {
        return Err(AppError::Invalid("approvals go to /cases/{id}/approval".into()).into());
    }
    case_action(state, user, id, form).await
}

pub(crate) async fn case_approval(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Path(id): Path<i64>,
    Form(form): Form<CaseForm>,
) -> Result<Response, PageError> {
    if !matches!(form.action.as_str(), "approve" | "reject") {
        return Err(AppError::Invalid("action: approve or reject".into()).into());
    }
    case_action(state, user, id, form).await
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct FlagForm {
    #[serde(default)]
    why: String,
}

pub(crate) async fn flag(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Path(id): Path<i64>,
    Form(form): Form<FlagForm>,
) -> Result<Response, PageError> {
    let actor = Actor::from(&user);
    let store = state.store.clone();
    let case =
        blocking(move || townhall_app::cases::flag_post(&store, &actor, id, &form.why)).await?;
    Ok(Redirect::to(&format!("/cases/{case}?done=flagged")).into_response())
}
