//! Strategies in the browser (`/strategies`, `/strategies/{id}`) and the API (`/api/strategies…`):
//! each strategy's goals against their live values and trend, and what blocks its next phase.

use crate::chrome::Chrome;
use crate::error::{blocking, ApiError, PageError};
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
use townhall_app::strategies::{
    create, list, options, record_review, set_phase, update, view, ReviewInput, Strategy,
    StrategyInput, StrategyOptions, StrategyView,
};
use townhall_app::AppError;
use townhall_core::Permission;
use townhall_strategy::goals::{format_value, Direction, Goal, Metric, Trend};
use townhall_strategy::model::{StrategyKind, StrategyPhase};

struct StrategyLine {
    id: i64,
    name: String,
    kind: &'static str,
    team: String,
    phase: &'static str,
    goals: usize,
}

fn line(s: &Strategy) -> StrategyLine {
    StrategyLine {
        id: s.id,
        name: s.name.clone(),
        kind: s.kind.label(),
        team: s.team.clone().unwrap_or_else(|| "—".into()),
        phase: s.phase.label(),
        goals: s.goals.len(),
    }
}

#[derive(Template)]
#[template(path = "strategies.html")]
struct StrategiesPage {
    title: &'static str,
    chrome: Chrome,
    lines: Vec<StrategyLine>,
    kinds: Vec<(&'static str, &'static str)>,
    options: StrategyOptions,
    measures: &'static [(&'static str, &'static str)],
    can_manage: bool,
    message: String,
}

pub(crate) async fn strategies(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Query(query): Query<MessageQuery>,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let (all, options) = blocking(move || Ok((list(&store)?, options(&store)?))).await?;
    Ok(render(
        StatusCode::OK,
        &StrategiesPage {
            title: "Strategies",
            chrome: Chrome::of(Some(&user)),
            lines: all.iter().map(line).collect(),
            kinds: StrategyKind::ALL
                .iter()
                .map(|k| (k.as_str(), k.label()))
                .collect(),
            options,
            measures: &MEASURES,
            can_manage: user.can(Permission::ManageStrategies),
            message: query.shown(300),
        },
    ))
}

/// The form: a strategy with up to three goals.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct StrategyForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    team: String,
    /// Checked boxes: each a repeated field.
    #[serde(default)]
    channels: Vec<String>,
    #[serde(default)]
    topics: Vec<String>,
    #[serde(default)]
    consultations: Vec<String>,
    #[serde(default)]
    campaigns: Vec<String>,
    #[serde(default)]
    next_review: String,
    #[serde(default)]
    goal_1: String,
    #[serde(default)]
    param_1: String,
    #[serde(default)]
    target_1: String,
    #[serde(default)]
    goal_2: String,
    #[serde(default)]
    param_2: String,
    #[serde(default)]
    target_2: String,
    #[serde(default)]
    goal_3: String,
    #[serde(default)]
    param_3: String,
    #[serde(default)]
    target_3: String,
}

/// The measures a goal can use, as the form offers them.
const MEASURES: [(&str, &str); 7] = [
    (
        "answered_within",
        "Public questions answered within N business days (%, at least)",
    ),
    (
        "reply_share_of_own_posts",
        "Own posts that reply to the public (%, at least)",
    ),
    (
        "consultation_participants",
        "Participants in a consultation (at least)",
    ),
    (
        "negative_share_of_topic",
        "Negative posts about a tracked topic (%, at most)",
    ),
    ("ideas_adopted", "Ideas adopted (at least)"),
    (
        "campaign_ideas",
        "Ideas received by an idea campaign (at least)",
    ),
    (
        "median_first_response_hours",
        "Median hours to a first response (at most)",
    ),
];

/// A goal as the form shows it: the measure's key, its parameter and the target (shares in percent).
fn goal_fields(g: &Goal) -> (String, String, String) {
    let key = serde_json::to_value(&g.metric)
        .ok()
        .and_then(|v| v["metric"].as_str().map(str::to_string))
        .unwrap_or_default();
    let param = match &g.metric {
        Metric::AnsweredWithin { days } => format!("{days}"),
        Metric::ConsultationParticipants { consultation } => consultation.clone(),
        Metric::NegativeShareOfTopic { topic } => topic.clone(),
        Metric::CampaignIdeas { campaign } => campaign.clone(),
        _ => String::new(),
    };
    let target = if g.metric.is_share() {
        format!("{}", (g.target * 1000.0).round() / 10.0)
    } else {
        format!("{}", g.target)
    };
    (key, param, target)
}

impl StrategyForm {
    /// The strategy the form describes; `kept` are goals the form had no slot for.
    fn input(self, kept: Vec<Goal>) -> Result<StrategyInput, AppError> {
        let mut goals: Vec<Goal> = [
            goal_from(&self.goal_1, &self.param_1, &self.target_1)?,
            goal_from(&self.goal_2, &self.param_2, &self.target_2)?,
            goal_from(&self.goal_3, &self.param_3, &self.target_3)?,
        ]
        .into_iter()
        .flatten()
        .collect();
        goals.extend(kept);
        Ok(StrategyInput {
            name: self.name,
            kind: self.kind,
            purpose: self.purpose,
            team: Some(self.team),
            channels: checked(self.channels),
            topics: checked(self.topics),
            consultations: checked(self.consultations),
            campaigns: checked(self.campaigns),
            goals,
            next_review: Some(self.next_review),
            ..StrategyInput::default()
        })
    }
}

/// A goal from the form: the metric's name, its parameter (days, consultation, topic) and the target
/// (a percentage for shares).
fn goal_from(metric: &str, param: &str, target: &str) -> Result<Option<Goal>, AppError> {
    if metric.trim().is_empty() {
        return Ok(None);
    }
    let number = |what: &str, v: &str| {
        v.trim()
            .trim_end_matches('%')
            .parse::<f64>()
            .map_err(|_| AppError::Invalid(format!("{what}: {v:?} is not a number")))
    };
    let (metric, direction) = match metric {
        "answered_within" => (
            Metric::AnsweredWithin {
                days: number("days", if param.trim().is_empty() { "1" } else { param })?,
            },
            Direction::AtLeast,
        ),
        "reply_share_of_own_posts" => (Metric::ReplyShareOfOwnPosts, Direction::AtLeast),
        "consultation_participants" => (
            Metric::ConsultationParticipants {
                consultation: param.trim().to_string(),
            },
            Direction::AtLeast,
        ),
        "negative_share_of_topic" => (
            Metric::NegativeShareOfTopic {
                topic: param.trim().to_string(),
            },
            Direction::AtMost,
        ),
        "ideas_adopted" => (Metric::IdeasAdopted, Direction::AtLeast),
        "campaign_ideas" => (
            Metric::CampaignIdeas {
                campaign: param.trim().to_string(),
            },
            Direction::AtLeast,
        ),
        "median_first_response_hours" => (Metric::MedianFirstResponseHours, Direction::AtMost),
        other => {
            return Err(AppError::Invalid(format!(
                "goal: unknown measure {other:?}"
            )))
        }
    };
    let mut target = number("target", target)?;
    if metric.is_share() {
        target /= 100.0;
    }
    Ok(Some(Goal {
        metric,
        direction,
        target,
    }))
}

fn checked(list: Vec<String>) -> Vec<String> {
    list.into_iter()
        .map(|x| x.trim().to_string())
        .filter(|x| !x.is_empty())
        .collect()
}

pub(crate) async fn create_page(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    axum_extra::extract::Form(form): axum_extra::extract::Form<StrategyForm>,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let actor = Actor::from(&user);
    let created = blocking(move || create(&store, &actor, &form.input(Vec::new())?)).await?;
    Ok(Redirect::to(&format!("/strategies/{}", created.id)).into_response())
}

struct GoalLine {
    description: String,
    value: String,
    target: String,
    met: &'static str,
    trend: &'static str,
    history: String,
}

fn trend_label(t: Trend) -> &'static str {
    match t {
        Trend::Improving => "improving",
        Trend::Steady => "steady",
        Trend::Worsening => "worsening",
        Trend::Unknown => "not enough history",
    }
}

#[derive(Template)]
#[template(path = "strategy.html")]
struct StrategyPage {
    title: &'static str,
    chrome: Chrome,
    s: Strategy,
    kind: &'static str,
    phase: &'static str,
    goals: Vec<GoalLine>,
    next: String,
    move_now: bool,
    reasons: Vec<(bool, String)>,
    phases: Vec<(&'static str, &'static str, bool)>,
    /// Address, title, audience, ideas, adopted.
    campaigns: Vec<(String, String, &'static str, u64, u64)>,
    /// Link, title, where it stands, reviews, found it clear.
    trials: Vec<(String, String, String, usize, usize)>,
    can_manage: bool,
    message: String,
    edit: Option<EditForm>,
    /// Reviewed on, phase then, note, reviewer, next review set.
    reviews: Vec<(String, &'static str, String, String, String)>,
    review_due: bool,
}

/// A box on the form: value, label, ticked.
type Choice = (String, String, bool);

/// The edit form, filled in with what the strategy has now.
struct EditForm {
    kinds: Vec<(&'static str, &'static str, bool)>,
    /// Field, legend, and its choices (value, label, ticked): channels, topics, consultations, campaigns.
    lists: Vec<(&'static str, &'static str, Vec<Choice>)>,
    measures: &'static [(&'static str, &'static str)],
    /// Slot, measure, parameter, target.
    goals: Vec<(usize, String, String, String)>,
    /// Goals beyond the form's three slots, kept as they are.
    kept: usize,
    team: String,
    next_review: String,
}

fn edit_form(s: &Strategy, o: &StrategyOptions) -> EditForm {
    let ticks = |all: Vec<(String, String)>, chosen: &[String]| -> Vec<(String, String, bool)> {
        let mut out: Vec<(String, String, bool)> = all
            .into_iter()
            .map(|(v, l)| {
                let on = chosen.contains(&v);
                (v, l, on)
            })
            .collect();
        // What the strategy names but no longer exists stays ticked, so saving does not drop it silently.
        for c in chosen {
            if !out.iter().any(|(v, _, _)| v == c) {
                out.push((c.clone(), format!("{c} (not found)"), true));
            }
        }
        out
    };
    let mut goals: Vec<(usize, String, String, String)> = s
        .goals
        .iter()
        .take(GOAL_SLOTS)
        .enumerate()
        .map(|(i, g)| {
            let (k, p, t) = goal_fields(g);
            (i + 1, k, p, t)
        })
        .collect();
    while goals.len() < GOAL_SLOTS {
        goals.push((goals.len() + 1, String::new(), String::new(), String::new()));
    }
    EditForm {
        kinds: StrategyKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.label(), *k == s.kind))
            .collect(),
        lists: vec![
            (
                "channels",
                "Channels it covers",
                ticks(
                    o.channels
                        .iter()
                        .map(|(k, own)| {
                            let label = if *own {
                                format!("{k} (the agency's own)")
                            } else {
                                k.clone()
                            };
                            (k.clone(), label)
                        })
                        .collect(),
                    &s.channels,
                ),
            ),
            (
                "topics",
                "Tracked topics it covers",
                ticks(
                    o.topics.iter().map(|t| (t.clone(), t.clone())).collect(),
                    &s.topics,
                ),
            ),
            (
                "consultations",
                "Consultations it runs",
                ticks(
                    o.consultations
                        .iter()
                        .map(|(slug, q)| (slug.clone(), format!("/c/{slug}: {q}")))
                        .collect(),
                    &s.consultations,
                ),
            ),
            (
                "campaigns",
                "Idea campaigns it runs",
                ticks(o.campaigns.clone(), &s.campaigns),
            ),
        ],
        measures: &MEASURES,
        goals,
        kept: s.goals.len().saturating_sub(GOAL_SLOTS),
        team: s.team.clone().unwrap_or_default(),
        next_review: s.next_review.clone().unwrap_or_default(),
    }
}

/// Goal slots on the forms.
const GOAL_SLOTS: usize = 3;

fn page_of(
    user: &SessionUser,
    v: StrategyView,
    options: Option<StrategyOptions>,
    message: String,
) -> StrategyPage {
    let edit = options.map(|o| edit_form(&v.strategy, &o));
    let goals = v
        .goals
        .iter()
        .map(|g| GoalLine {
            description: g.description.clone(),
            value: g
                .value
                .map_or("no data yet".into(), |x| format_value(&g.goal.metric, x)),
            target: format_value(&g.goal.metric, g.goal.target),
            met: if g.met { "met" } else { "not met" },
            trend: trend_label(g.trend),
            history: g
                .history
                .iter()
                .map(|(label, x)| format!("{label}: {}", format_value(&g.goal.metric, *x)))
                .collect::<Vec<_>>()
                .join("; "),
        })
        .collect();
    let current = v.strategy.phase;
    StrategyPage {
        title: "Strategy",
        chrome: Chrome::of(Some(user)),
        kind: v.strategy.kind.label(),
        phase: current.label(),
        goals,
        next: v
            .recommendation
            .next
            .map_or("none: the last phase".into(), |p| p.label().to_string()),
        move_now: v.recommendation.move_now,
        reasons: v
            .recommendation
            .reasons
            .iter()
            .map(|r| (r.met, r.text.clone()))
            .collect(),
        phases: StrategyPhase::ALL
            .into_iter()
            .map(|p| (p.as_str(), p.label(), p == current))
            .collect(),
        campaigns: v
            .campaigns
            .iter()
            .map(|c| {
                (
                    c.slug.clone(),
                    c.title.clone(),
                    townhall_app::campaigns::audience_label(&c.audience),
                    c.ideas,
                    c.adopted,
                )
            })
            .collect(),
        trials: v
            .trials
            .iter()
            .map(|t| {
                (
                    format!("/trials/{}/{}", t.subject.as_str(), t.id),
                    t.title.clone(),
                    t.audience.clone(),
                    t.reviews,
                    t.clear,
                )
            })
            .collect(),
        can_manage: user.can(Permission::ManageStrategies),
        message,
        edit,
        reviews: v
            .reviews
            .iter()
            .map(|r| {
                (
                    r.reviewed_on.clone(),
                    StrategyPhase::parse(&r.phase).map_or("unknown", |p| p.label()),
                    r.note.clone(),
                    r.reviewer.clone(),
                    r.next_review.clone().unwrap_or_else(|| "none".into()),
                )
            })
            .collect(),
        review_due: v.review_due,
        s: v.strategy,
    }
}

pub(crate) async fn strategy(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Path(id): Path<i64>,
    Query(query): Query<MessageQuery>,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let manage = user.can(Permission::ManageStrategies);
    let (v, options) = blocking(move || {
        let v = view(&store, id, chrono::Utc::now().timestamp_millis())?;
        let options = if manage { Some(options(&store)?) } else { None };
        Ok((v, options))
    })
    .await?;
    Ok(render(
        StatusCode::OK,
        &page_of(&user, v, options, query.shown(300)),
    ))
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct PhaseForm {
    #[serde(default)]
    phase: String,
}

pub(crate) async fn strategy_post(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Path(id): Path<i64>,
    Form(form): Form<PhaseForm>,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let actor = Actor::from(&user);
    let s = blocking(move || set_phase(&store, &actor, id, &form.phase)).await?;
    Ok(Redirect::to(&format!(
        "/strategies/{id}?message={}",
        url_encode(&format!("Now: {}.", s.phase.label()))
    ))
    .into_response())
}

pub(crate) async fn edit_page(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Path(id): Path<i64>,
    axum_extra::extract::Form(form): axum_extra::extract::Form<StrategyForm>,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let actor = Actor::from(&user);
    let s = blocking(move || {
        let before = townhall_app::strategies::get(&store, id)?;
        let kept = before.goals.into_iter().skip(GOAL_SLOTS).collect();
        update(&store, &actor, id, &form.input(kept)?)
    })
    .await?;
    Ok(Redirect::to(&format!(
        "/strategies/{id}?message={}",
        url_encode(&format!("Saved {}.", s.name))
    ))
    .into_response())
}

/// Record a review dated today, for the page and the API alike.
async fn review_now(
    state: AppState,
    user: &SessionUser,
    id: i64,
    input: ReviewInput,
) -> Result<StrategyView, ApiError> {
    let actor = Actor::from(user);
    blocking(move || {
        record_review(
            &state.store,
            &actor,
            id,
            &input,
            chrono::Utc::now().timestamp_millis(),
        )
    })
    .await
}

pub(crate) async fn review_page(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Path(id): Path<i64>,
    Form(input): Form<ReviewInput>,
) -> Result<Response, PageError> {
    review_now(state, &user, id, input).await?;
    Ok(Redirect::to(&format!(
        "/strategies/{id}?message={}",
        url_encode("Review recorded.")
    ))
    .into_response())
}

pub(crate) async fn api_review(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Path(id): Path<i64>,
    Json(input): Json<ReviewInput>,
) -> Result<Response, ApiError> {
    let v = review_now(state, &user, id, input).await?;
    Ok((StatusCode::CREATED, Json(v)).into_response())
}

pub(crate) async fn api_update(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Path(id): Path<i64>,
    Json(input): Json<StrategyInput>,
) -> Result<Response, ApiError> {
    let store = state.store.clone();
    let actor = Actor::from(&user);
    let s = blocking(move || update(&store, &actor, id, &input)).await?;
    Ok(Json(s).into_response())
}

pub(crate) async fn api_list(State(state): State<AppState>) -> Result<Response, ApiError> {
    let store = state.store.clone();
    let all = blocking(move || list(&store)).await?;
    Ok(Json(serde_json::json!({ "strategies": all })).into_response())
}

pub(crate) async fn api_create(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Json(input): Json<StrategyInput>,
) -> Result<Response, ApiError> {
    let store = state.store.clone();
    let actor = Actor::from(&user);
    let s = blocking(move || create(&store, &actor, &input)).await?;
    Ok((StatusCode::CREATED, Json(s)).into_response())
}

pub(crate) async fn api_view(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let store = state.store.clone();
    let v = blocking(move || view(&store, id, chrono::Utc::now().timestamp_millis())).await?;
    Ok(Json(v).into_response())
}

pub(crate) async fn api_phase(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Path(id): Path<i64>,
    Json(form): Json<PhaseForm>,
) -> Result<Response, ApiError> {
    let store = state.store.clone();
    let actor = Actor::from(&user);
    let s = blocking(move || set_phase(&store, &actor, id, &form.phase)).await?;
    Ok(Json(s).into_response())
}
