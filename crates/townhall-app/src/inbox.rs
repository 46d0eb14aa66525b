//! Working the inbox: a responder's queue (their own cases first), one case with its conversation,
//! timeline and service clock, and every action on a case: assign, route, snooze, escalate, note, reply
//! (checked for plain language and personal data, approved first where the team requires it), close,
//! reopen, tag, in bulk too. Every change is checked against the version the person saw and audited.

use crate::actor::Actor;
use crate::AppError;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use townhall_core::{Permission, StoredPost};
use townhall_engage::{
    case_transition, describe_duration, plain_language_advice, readability, sla_state,
    BusinessHours, CaseAction, CaseStatus, SlaState, SlaTarget,
};
use townhall_store::{
    AssigneeFilter, BulkAction, BulkOutcome, CaseChange, CaseDetail, CaseField, CaseFilter,
    CaseRow, OutboxItem, Presence, ReplyWrite, SavedReply, Store, TeamSettings,
};

/// Longest note or reply kept.
pub const MAX_TEXT_CHARS: usize = 5_000;
/// Most cases one bulk action may touch.
pub const MAX_BULK: usize = 50_000;
/// Someone who opened a case within this window is "working on it".
pub const PRESENCE_WINDOW_MS: i64 = 10 * 60 * 1000;
/// Cases per queue page.
pub const PAGE_SIZE: usize = 50;
/// The last page a queue serves (10 million cases).
const MAX_PAGE: usize = 200_000;

/// Cut untrusted text to `max` characters.
pub fn clip(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

/// Which part of the inbox a queue shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QueueView {
    /// Assigned to me.
    #[default]
    Mine,
    /// My team's cases nobody has taken yet.
    Team,
    /// Nobody's cases, any team.
    Unassigned,
    All,
}

impl QueueView {
    pub fn parse(s: &str) -> Result<QueueView, AppError> {
        match s {
            "mine" => Ok(QueueView::Mine),
            "team" => Ok(QueueView::Team),
            "unassigned" => Ok(QueueView::Unassigned),
            "all" => Ok(QueueView::All),
            other => Err(AppError::Invalid(format!(
                "view: use mine, team, unassigned or all, not {other:?}"
            ))),
        }
    }
}

/// What a queue request asks for.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct QueueRequest {
    #[serde(default)]
    pub view: QueueView,
    /// `open`, `snoozed`, `answered`, `closed`, or `active` (open or snoozed; the default) or `any`.
    pub status: Option<String>,
    pub team: Option<String>,
    pub reason: Option<String>,
    pub tag: Option<String>,
    pub language: Option<String>,
    pub channel: Option<String>,
    #[serde(default)]
    pub escalated: bool,
    #[serde(default)]
    pub newest_first: bool,
    /// From 1.
    #[serde(default)]
    pub page: usize,
}

/// A case in a queue, with its service clock.
#[derive(Debug, Clone, Serialize)]
pub struct QueueRow {
    #[serde(flatten)]
    pub case: CaseRow,
    /// The first-response clock (its team's target in its business hours).
    pub sla: SlaState,
    /// "3 h 5 min left", "overdue by 2 h", "answered in 40 min".
    pub sla_text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct QueuePage {
    pub view: QueueView,
    pub rows: Vec<QueueRow>,
    pub total: u64,
    pub page: usize,
    pub pages: usize,
    /// My cases still to answer (open or snoozed), whatever the view: the queue a responder sees first.
    pub mine: u64,
}

/// The team clocks and approval rules, loaded once per request.
pub struct Teams {
    settings: HashMap<String, (TeamSettings, BusinessHours)>,
    default: (TeamSettings, BusinessHours),
}

impl Teams {
    pub fn load(store: &Store) -> Result<Teams, AppError> {
        let default_settings = TeamSettings::default_for("");
        let default_hours = hours_of(&default_settings)?;
        let mut settings = HashMap::new();
        for s in store.all_team_settings()? {
            // Settings are checked when saved; one that no longer parses (a time zone a newer build
            // dropped) must not take the inbox down: the team falls back to the default clock.
            match hours_of(&s) {
                Ok(hours) => {
                    settings.insert(s.team.to_lowercase(), (s, hours));
                }
                Err(e) => tracing::warn!(team = %s.team, error = %e, "team settings ignored"),
            }
        }
        Ok(Teams {
            settings,
            default: (default_settings, default_hours),
        })
    }

    pub fn of(&self, team: Option<&str>) -> &(TeamSettings, BusinessHours) {
        team.and_then(|t| self.settings.get(&t.to_lowercase()))
            .unwrap_or(&self.default)
    }

    pub fn sla(&self, case: &CaseRow, now: i64) -> (SlaState, String) {
        let (settings, hours) = self.of(case.team.as_deref());
        let target = SlaTarget {
            first_response_minutes: settings.first_response_minutes,
            hours: hours.clone(),
        };
        if case.first_response_at.is_none() {
            if let Some(closed) = case.closed_at.filter(|_| case.status == "closed") {
                // Closed without a reply: the clock stopped when it was closed.
                let state = sla_state(&target, case.opened_at, None, closed);
                return (state, "closed without a reply".to_string());
            }
        }
        let state = sla_state(&target, case.opened_at, case.first_response_at, now);
        let text = match &state {
            SlaState::Met { took_ms } => format!("answered in {}", describe_duration(*took_ms)),
            SlaState::Missed { late_ms } => {
                format!("answered {} late", describe_duration(*late_ms))
            }
            SlaState::Running { left_ms, .. } => format!("{} left", describe_duration(*left_ms)),
            SlaState::Overdue { over_ms, .. } => {
                format!("overdue by {}", describe_duration(*over_ms))
            }
        };
        (state, text)
    }
}

fn hours_of(s: &TeamSettings) -> Result<BusinessHours, AppError> {
    BusinessHours::parse(&s.timezone, &s.days, &s.day_start, &s.day_end)
        .map_err(|e| AppError::Invalid(format!("team {:?}: {e}", s.team)))
}

fn statuses(status: Option<&str>) -> Result<Vec<String>, AppError> {
    Ok(match status.unwrap_or("active") {
        "active" => vec!["open".into(), "snoozed".into()],
        "any" => Vec::new(),
        s => {
            let parsed: CaseStatus = s
                .parse()
                .map_err(|e| AppError::Invalid(format!("status: {e}")))?;
            vec![parsed.as_str().to_string()]
        }
    })
}

fn non_empty(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

/// A page of the inbox for `actor`.
pub fn queue(
    store: &Store,
    actor: &Actor,
    request: &QueueRequest,
    now: i64,
) -> Result<QueuePage, AppError> {
    actor.require(Permission::Read)?;
    store.wake_snoozed_cases(now)?;
    let mut filter = CaseFilter {
        statuses: statuses(request.status.as_deref())?,
        team: non_empty(&request.team),
        reason: non_empty(&request.reason),
        tag: non_empty(&request.tag),
        language: non_empty(&request.language),
        channel: non_empty(&request.channel),
        escalated_only: request.escalated,
        newest_first: request.newest_first,
        limit: PAGE_SIZE,
        offset: request.page.clamp(1, MAX_PAGE).saturating_sub(1) * PAGE_SIZE,
        ..CaseFilter::default()
    };
    match request.view {
        QueueView::Mine => {
            filter.assignee = actor
                .id
                .map_or(AssigneeFilter::Nobody, AssigneeFilter::User);
        }
        QueueView::Team => {
            filter.assignee = AssigneeFilter::Nobody;
            if filter.team.is_none() {
                // Without a team there is no team queue (not everyone's).
                filter.team = Some(actor.team.clone().unwrap_or_default());
            }
        }
        QueueView::Unassigned => filter.assignee = AssigneeFilter::Nobody,
        QueueView::All => {}
    }
    let (rows, total) = store.case_queue(&filter)?;
    let mine = match actor.id {
        Some(id) => {
            store
                .case_queue(&CaseFilter {
                    statuses: vec!["open".into(), "snoozed".into()],
                    assignee: AssigneeFilter::User(id),
                    limit: 0,
                    ..CaseFilter::default()
                })?
                .1
        }
        None => 0,
    };
    let teams = Teams::load(store)?;
    let rows = rows
        .into_iter()
        .map(|case| {
            let (sla, sla_text) = teams.sla(&case, now);
            QueueRow {
                case,
                sla,
                sla_text,
            }
        })
        .collect();
    Ok(QueuePage {
        view: request.view,
        rows,
        total,
        page: request.page.max(1),
        pages: (total as usize).div_ceil(PAGE_SIZE).max(1),
        mine,
    })
}

/// Cases for scripts (the CLI): newest first, optionally one team and status.
pub fn list_cases(
    store: &Store,
    team: Option<&str>,
    status: Option<&str>,
    limit: usize,
) -> Result<Vec<CaseRow>, AppError> {
    let filter = CaseFilter {
        statuses: statuses(Some(status.unwrap_or("any")))?,
        team: team.map(str::to_string),
        newest_first: true,
        limit,
        ..CaseFilter::default()
    };
    Ok(store.case_queue(&filter)?.0)
}

/// Results of checking a reply before it goes out.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReplyCheck {
    /// Flesch–Kincaid grade (English only).
    pub reading_grade: Option<f64>,
    pub max_reading_grade: f64,
    pub advice: Vec<String>,
    /// Kinds of personal data found: `email`, `phone`, `ssn`, `street_address`.
    pub personal_data: Vec<String>,
}

impl ReplyCheck {
    pub fn passes(&self) -> bool {
        self.advice.is_empty() && self.personal_data.is_empty()
    }
}

/// Check a reply's text for plain language (against the team's target grade) and personal data.
pub fn check_reply(text: &str, language: Option<&str>, max_grade: f64) -> ReplyCheck {
    let r = readability(text, language);
    let mut personal: Vec<String> = townhall_analysis::personal_data::find(text)
        .into_iter()
        .map(|m| m.kind.as_str().to_string())
        .collect();
    personal.sort();
    personal.dedup();
    ReplyCheck {
        reading_grade: r.grade.map(|g| (g * 10.0).round() / 10.0),
        max_reading_grade: max_grade,
        advice: plain_language_advice(&r, max_grade),
        personal_data: personal,
    }
}

/// A case as its page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct CaseView {
    #[serde(flatten)]
    pub detail: CaseDetail,
    /// The case's posts, oldest first.
    pub posts: Vec<StoredPost>,
    /// What the first post answers (usually the agency's own post).
    pub answers: Option<StoredPost>,
    pub sla: SlaState,
    pub sla_text: String,
    /// Others who opened the case in the last ten minutes.
    pub others_working: Vec<Presence>,
    pub saved_replies: Vec<SavedReply>,
    pub team_settings: TeamSettings,
    /// The signed-in person may approve replies awaiting approval (not their own).
    pub can_approve: bool,
}

/// Open a case: records that `actor` has it open (for the warning to others) and returns everything
/// its page shows.
pub fn case_view(store: &Store, actor: &Actor, id: i64, now: i64) -> Result<CaseView, AppError> {
    actor.require(Permission::Read)?;
    let detail = store
        .case_detail(id)?
        .ok_or_else(|| townhall_store::StoreError::NotFound(format!("case {id}")))?;
    let others_working = match actor.id {
        Some(user) => {
            let others = store.case_presence(id, user, now - PRESENCE_WINDOW_MS)?;
            if actor.can(Permission::Respond) {
                store.touch_case_presence(id, user)?;
            }
            others
        }
        None => Vec::new(),
    };
    let posts = store.posts_by_ids(&detail.post_ids)?;
    let answers = match posts.first() {
        Some(first) if first.reply_to.is_some() => {
            store.thread(first.id, 0)?.and_then(|t| t.parent)
        }
        _ => None,
    };
    let teams = Teams::load(store)?;
    let (sla, sla_text) = teams.sla(&detail.case, now);
    let team_settings = teams.of(detail.case.team.as_deref()).0.clone();
    let saved_replies = store
        .saved_replies()?
        .into_iter()
        // A reply on trial with employees is never offered on a public case.
        .filter(|r| r.audience == "public")
        .filter(|r| match (&r.team, &detail.case.team) {
            (None, _) => true,
            (Some(t), Some(case_team)) => t.eq_ignore_ascii_case(case_team),
            (Some(_), None) => false,
        })
        .collect();
    Ok(CaseView {
        can_approve: actor.can(Permission::Moderate),
        detail,
        posts,
        answers,
        sla,
        sla_text,
        others_working,
        saved_replies,
        team_settings,
    })
}

/// Something a person does to a case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum CaseCommand {
    /// Assign to a user by name; none unassigns.
    Assign {
        user: Option<String>,
    },
    AssignToMe,
    /// Send to another team (and out of its assignee's queue).
    Route {
        team: Option<String>,
    },
    /// Until a time (Unix ms) or for a number of hours.
    Snooze {
        until: Option<i64>,
        hours: Option<f64>,
    },
    Wake,
    Escalate {
        #[serde(default)]
        why: String,
    },
    Deescalate,
    Note {
        text: String,
    },
    /// Reply to the person who asked. Personal data in the text refuses the reply unless confirmed.
    Reply {
        text: String,
        #[serde(default)]
        confirm_personal_data: bool,
    },
    Approve {
        reply_id: i64,
    },
    Reject {
        reply_id: i64,
        #[serde(default)]
        why: String,
    },
    Close {
        #[serde(default)]
        why: String,
    },
    Reopen,
    Tag {
        tag: String,
    },
}

/// What an action did.
#[derive(Debug, Clone, Serialize)]
pub struct ActOutcome {
    pub case_id: i64,
    pub version: i64,
    pub message: String,
    /// For replies: the checks that were run.
    pub check: Option<ReplyCheck>,
}

/// Refused on a closed case: it must be reopened first.
fn open_only(case: &CaseRow) -> Result<(), AppError> {
    if case.status == "closed" {
        return Err(AppError::Invalid(format!(
            "case {} is closed; reopen it first",
            case.id
        )));
    }
    Ok(())
}

/// A short reason (escalation, closing, sending back), if one was given.
fn reason_text(why: &str) -> Option<String> {
    Some(clip(why.trim(), 500)).filter(|w| !w.is_empty())
}

fn checked_tag(tag: &str) -> Result<&str, AppError> {
    let tag = tag.trim();
    if tag.is_empty() || tag.chars().count() > 50 {
        return Err(AppError::Invalid("tag: 1 to 50 characters".into()));
    }
    Ok(tag)
}

fn transition(case: &CaseRow, action: CaseAction) -> Result<CaseStatus, AppError> {
    let from: CaseStatus = case
        .status
        .parse()
        .map_err(|e| AppError::Invalid(format!("{e}")))?;
    case_transition(from, action).map_err(|e| AppError::Invalid(format!("case {}: {e}", case.id)))
}

fn user_id_of(store: &Store, name: &str) -> Result<(i64, String), AppError> {
    let user = store
        .user_by_name(name.trim())?
        .filter(|u| !u.disabled)
        .ok_or_else(|| {
            AppError::Invalid(format!(
                "user: no active account is called {:?}",
                name.trim()
            ))
        })?;
    if !user.role.allows(Permission::Respond) {
        return Err(AppError::Invalid(format!(
            "user: {} is a {} and cannot work on cases",
            user.username, user.role
        )));
    }
    Ok((user.id, user.username))
}

fn team_name(team: &Option<String>) -> Result<Option<String>, AppError> {
    match non_empty(team) {
        Some(t) if t.chars().count() > 100 => Err(AppError::Invalid(
            "team: a team name has at most 100 characters".into(),
        )),
        other => Ok(other),
    }
}

/// The outgoing reply for a case: answers its latest post, to that post's author, on that post's channel
/// (a case can hold the same question from several people).
fn outbox_item(store: &Store, case: &CaseRow, body: &str) -> Result<OutboxItem, AppError> {
    let detail = store.case_detail(case.id)?;
    let last_post = detail.and_then(|d| d.post_ids.last().copied());
    // The same facts as the case's own (`@handle`, or the pseudonym when handles are not kept).
    let post = match last_post {
        Some(id) => store.case_candidate(id)?,
        None => None,
    };
    Ok(match post {
        Some(p) => OutboxItem {
            kind: "case_reply",
            in_reply_to: Some(p.post_id),
            channel: p.channel,
            recipient: p.author,
            body: body.to_string(),
        },
        None => OutboxItem {
            kind: "case_reply",
            in_reply_to: None,
            channel: case.channel.clone(),
            recipient: case.author.clone(),
            body: body.to_string(),
        },
    })
}

/// Do `command` to case `id`. `version` is the version the person saw (the current one when `None`);
/// when the case changed since, nothing is done and a conflict names who changed it.
pub fn act(
    store: &Store,
    actor: &Actor,
    id: i64,
    version: Option<i64>,
    command: &CaseCommand,
    now: i64,
) -> Result<ActOutcome, AppError> {
    let needed = match command {
        CaseCommand::Approve { .. } | CaseCommand::Reject { .. } => Permission::Moderate,
        _ => Permission::Respond,
    };
    actor.require(needed)?;
    let case = store
        .case_row(id)?
        .ok_or_else(|| townhall_store::StoreError::NotFound(format!("case {id}")))?;
    let mut change = CaseChange {
        case_id: id,
        expected_version: version.unwrap_or(case.version),
        actor_id: actor.id,
        actor: &actor.name,
        fields: Vec::new(),
        kind: "",
        detail: String::new(),
        body: None,
        reply: None,
        add_tags: Vec::new(),
    };
    let mut check = None;
    let message;
    match command {
        CaseCommand::Assign { user } => {
            open_only(&case)?;
            match non_empty(user) {
                Some(name) => {
                    let (user_id, username) = user_id_of(store, &name)?;
                    change.fields.push(CaseField::Assignee(Some(user_id)));
                    change.kind = "assigned";
                    change.detail = match &case.assignee {
                        Some(before) => format!("reassigned from {before} to {username}"),
                        None => format!("assigned to {username}"),
                    };
                }
                None => {
                    change.fields.push(CaseField::Assignee(None));
                    change.kind = "assigned";
                    change.detail = "unassigned".into();
                }
            }
            message = change.detail.clone();
        }
        CaseCommand::AssignToMe => {
            let Some(me) = actor.id else {
                return Err(AppError::Invalid(
                    "only a signed-in person can take a case".into(),
                ));
            };
            open_only(&case)?;
            change.fields.push(CaseField::Assignee(Some(me)));
            change.kind = "assigned";
            change.detail = match &case.assignee {
                Some(before) => format!("taken over from {before} by {}", actor.name),
                None => format!("taken by {}", actor.name),
            };
            message = "the case is yours".into();
        }
        CaseCommand::Route { team } => {
            let team = team_name(team)?;
            change.fields.push(CaseField::Team(team.clone()));
            change.fields.push(CaseField::Assignee(None));
            change.kind = "routed";
            change.detail = format!("routed to {}", team.as_deref().unwrap_or("no team"));
            message = change.detail.clone();
        }
        CaseCommand::Snooze { until, hours } => {
            let until = match (until, hours) {
                (Some(t), _) => *t,
                (None, Some(h)) if *h > 0.0 && *h <= 24.0 * 90.0 => now + (h * 3_600_000.0) as i64,
                _ => {
                    return Err(AppError::Invalid(
                        "snooze: give until (a time) or hours (more than 0, at most 90 days)"
                            .into(),
                    ))
                }
            };
            if until <= now || until > now + 90 * 86_400_000 {
                return Err(AppError::Invalid(
                    "snooze: the time must be in the future, at most 90 days ahead".into(),
                ));
            }
            let status = transition(&case, CaseAction::Snooze)?;
            change
                .fields
                .push(CaseField::Status(status.as_str().into()));
            change.fields.push(CaseField::SnoozedUntil(Some(until)));
            change.kind = "snoozed";
            let when = chrono::DateTime::from_timestamp_millis(until)
                .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
                .unwrap_or_default();
            change.detail = format!("snoozed until {when}");
            message = change.detail.clone();
        }
        CaseCommand::Wake => {
            let status = transition(&case, CaseAction::Wake)?;
            change
                .fields
                .push(CaseField::Status(status.as_str().into()));
            change.fields.push(CaseField::SnoozedUntil(None));
            change.kind = "woke";
            change.detail = "woken".into();
            message = "the case is open again".into();
        }
        CaseCommand::Escalate { why } => {
            open_only(&case)?;
            change.fields.push(CaseField::Escalated(true));
            change.kind = "escalated";
            change.detail = "escalated".into();
            change.body = reason_text(why);
            message = "escalated".into();
        }
        CaseCommand::Deescalate => {
            change.fields.push(CaseField::Escalated(false));
            change.kind = "deescalated";
            change.detail = "no longer escalated".into();
            message = change.detail.clone();
        }
        CaseCommand::Note { text } => {
            let text = text.trim();
            if text.is_empty() {
                return Err(AppError::Invalid("note: write something".into()));
            }
            change.kind = "note";
            change.detail = "internal note".into();
            change.body = Some(clip(text, MAX_TEXT_CHARS));
            message = "note added".into();
        }
        CaseCommand::Reply {
            text,
            confirm_personal_data,
        } => {
            let text = text.trim();
            if text.is_empty() {
                return Err(AppError::Invalid("reply: write something".into()));
            }
            if text.chars().count() > MAX_TEXT_CHARS {
                return Err(AppError::Invalid(format!(
                    "reply: at most {MAX_TEXT_CHARS} characters"
                )));
            }
            let teams = Teams::load(store)?;
            let settings = &teams.of(case.team.as_deref()).0;
            let checked = check_reply(text, case.language.as_deref(), settings.max_reading_grade);
            if !checked.personal_data.is_empty() && !confirm_personal_data {
                return Err(AppError::Invalid(format!(
                    "reply: it contains personal data ({}); remove it, or confirm that it must be sent",
                    checked.personal_data.join(", ")
                )));
            }
            let needs_approval = settings.requires_approval && !actor.can(Permission::Moderate);
            if needs_approval {
                change.kind = "reply_drafted";
                change.detail = "reply written; awaiting approval".into();
                change.reply = Some(ReplyWrite::New {
                    body: text.to_string(),
                    status: "awaiting_approval",
                    reading_grade: checked.reading_grade,
                    personal_data: checked.personal_data.clone(),
                    outbox: None,
                });
                message = "reply saved; it goes out once approved".into();
            } else {
                let status = transition(&case, CaseAction::Answer)?;
                change
                    .fields
                    .push(CaseField::Status(status.as_str().into()));
                change.fields.push(CaseField::SnoozedUntil(None));
                change.fields.push(CaseField::FirstResponseAt(now));
                change.kind = "replied";
                change.detail = "replied".into();
                change.reply = Some(ReplyWrite::New {
                    body: text.to_string(),
                    status: "sent",
                    reading_grade: checked.reading_grade,
                    personal_data: checked.personal_data.clone(),
                    outbox: Some(outbox_item(store, &case, text)?),
                });
                message = "reply recorded; it is in the outbox for export".into();
            }
            change.body = Some(text.to_string());
            check = Some(checked);
        }
        CaseCommand::Approve { reply_id } | CaseCommand::Reject { reply_id, .. } => {
            let reply = store
                .case_replies(id)?
                .into_iter()
                .find(|r| r.id == *reply_id)
                .ok_or_else(|| AppError::Invalid(format!("case {id} has no reply {reply_id}")))?;
            let approved = matches!(command, CaseCommand::Approve { .. });
            if approved && actor.id.is_some() && reply.author == actor.name {
                return Err(AppError::Invalid(
                    "a reply needs someone other than its author to approve it".into(),
                ));
            }
            let outbox = if approved {
                let status = transition(&case, CaseAction::Answer)?;
                change
                    .fields
                    .push(CaseField::Status(status.as_str().into()));
                change.fields.push(CaseField::SnoozedUntil(None));
                change.fields.push(CaseField::FirstResponseAt(now));
                Some(outbox_item(store, &case, &reply.body)?)
            } else {
                None
            };
            change.reply = Some(ReplyWrite::Decide {
                reply_id: *reply_id,
                approved,
                approver: actor.name.clone(),
                outbox,
            });
            if approved {
                change.kind = "reply_approved";
                change.detail = format!("reply by {} approved and recorded", reply.author);
            } else {
                change.kind = "reply_rejected";
                change.detail = format!("reply by {} sent back", reply.author);
                if let CaseCommand::Reject { why, .. } = command {
                    change.body = reason_text(why);
                }
            }
            message = change.detail.clone();
        }
        CaseCommand::Close { why } => {
            let status = transition(&case, CaseAction::Close)?;
            change
                .fields
                .push(CaseField::Status(status.as_str().into()));
            change.fields.push(CaseField::ClosedAt(Some(now)));
            change.fields.push(CaseField::SnoozedUntil(None));
            change.kind = "closed";
            change.detail = "closed".into();
            change.body = reason_text(why);
            message = "closed".into();
        }
        CaseCommand::Reopen => {
            let status = transition(&case, CaseAction::Reopen)?;
            change
                .fields
                .push(CaseField::Status(status.as_str().into()));
            change.fields.push(CaseField::ClosedAt(None));
            change.kind = "reopened";
            change.detail = "reopened".into();
            message = "reopened".into();
        }
        CaseCommand::Tag { tag } => {
            let tag = checked_tag(tag)?;
            change.add_tags.push(tag.to_string());
            change.kind = "tagged";
            change.detail = format!("tagged {tag:?}");
            message = change.detail.clone();
        }
    }
    let version = store.change_case(&change)?;
    Ok(ActOutcome {
        case_id: id,
        version,
        message,
        check,
    })
}

/// One action over many cases.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum BulkCommand {
    Close,
    Assign { user: Option<String> },
    Route { team: Option<String> },
    Tag { tag: String },
}

/// Apply `command` to every case in `ids` in one transaction (closed cases are skipped where the action
/// does not apply to them); every case changed gets a timeline entry and an audit record.
pub fn bulk(
    store: &Store,
    actor: &Actor,
    ids: &[i64],
    command: &BulkCommand,
) -> Result<BulkOutcome, AppError> {
    actor.require(Permission::Respond)?;
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    if ids.len() > MAX_BULK {
        return Err(AppError::Invalid(format!(
            "at most {MAX_BULK} cases at a time ({} given)",
            ids.len()
        )));
    }
    let action = match command {
        BulkCommand::Close => BulkAction::Close,
        BulkCommand::Assign { user } => match non_empty(user) {
            Some(name) => {
                let (user_id, username) = user_id_of(store, &name)?;
                BulkAction::Assign {
                    user_id: Some(user_id),
                    name: username,
                }
            }
            None => BulkAction::Assign {
                user_id: None,
                name: String::new(),
            },
        },
        BulkCommand::Route { team } => BulkAction::Route {
            team: team_name(team)?,
        },
        BulkCommand::Tag { tag } => {
            let tag = checked_tag(tag)?;
            BulkAction::Tag(tag.to_string())
        }
    };
    Ok(store.bulk_change_cases(&ids, &action, actor.id, &actor.name)?)
}

/// Ids of every case matching a queue request's filters (all pages), for bulk work from scripts.
pub fn matching_case_ids(store: &Store, request: &QueueRequest) -> Result<Vec<i64>, AppError> {
    let filter = CaseFilter {
        statuses: statuses(request.status.as_deref())?,
        team: non_empty(&request.team),
        reason: non_empty(&request.reason),
        tag: non_empty(&request.tag),
        language: non_empty(&request.language),
        channel: non_empty(&request.channel),
        escalated_only: request.escalated,
        limit: MAX_BULK,
        ..CaseFilter::default()
    };
    Ok(store
        .case_queue(&filter)?
        .0
        .into_iter()
        .map(|c| c.id)
        .collect())
}

/// Render a saved reply for a case: `{author}`, `{agent}`, `{team}`, `{case}`, `{date}`.
pub fn render_saved_reply(
    reply: &SavedReply,
    case: &CaseRow,
    actor: &Actor,
    now: i64,
) -> Result<String, AppError> {
    let date = chrono::DateTime::from_timestamp_millis(now)
        .map(|t| t.format("%B %-d, %Y").to_string())
        .unwrap_or_default();
    townhall_engage::render(&reply.body, &|name| match name {
        "author" => Some(case.author.clone().unwrap_or_else(|| "there".into())),
        "agent" => Some(actor.display_name.clone()),
        "team" => Some(case.team.clone().unwrap_or_else(|| "our team".into())),
        "case" => Some(case.id.to_string()),
        "date" => Some(date.clone()),
        _ => None,
    })
    .map_err(|e| AppError::Invalid(format!("saved reply {:?}: {e}", reply.title)))
}
