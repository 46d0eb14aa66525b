//! Strategies over the store: each with a purpose, an owning team, what it covers, measured goals
//! and a phase. A strategy's page shows its goals against their live values (computed here from the
//! data) with their trend over the past weeks, and what the readiness assessment says about its next
//! phase.

use crate::actor::Actor;
use crate::readiness::answered_within;
use crate::AppError;
use townhall_core::Permission;
use townhall_store::{CampaignRow, NewReview, NewStrategy, ReviewRow, Store, StrategyRow};
use townhall_strategy::goals::{evaluate, Goal, GoalStatus, Metric};
use townhall_strategy::model::{StrategyKind, StrategyPhase};
use townhall_strategy::readiness::AreaScore;
use townhall_strategy::recommend::{recommend, Recommendation};

const WEEK_MS: i64 = 7 * 86_400_000;
/// Weeks of history behind each time-based goal's trend.
const HISTORY_WEEKS: i64 = 4;
/// Reviews a strategy's page lists.
const REVIEWS_SHOWN: usize = 50;
pub const MAX_REVIEW_NOTE_CHARS: usize = 2_000;
/// Channels, topics, consultations or campaigns one strategy lists, at most.
const MAX_LIST: usize = 50;

/// What an organiser fills in.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct StrategyInput {
    pub name: String,
    pub kind: String,
    #[serde(default)]
    pub purpose: String,
    #[serde(default)]
    pub team: Option<String>,
    #[serde(default)]
    pub channels: Vec<String>,
    #[serde(default)]
    pub topics: Vec<String>,
    #[serde(default)]
    pub consultations: Vec<String>,
    /// Idea campaigns it runs (their addresses).
    #[serde(default)]
    pub campaigns: Vec<String>,
    #[serde(default)]
    pub goals: Vec<Goal>,
    #[serde(default)]
    pub phase: Option<String>,
    #[serde(default)]
    pub next_review: Option<String>,
}

/// A strategy read back.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Strategy {
    pub id: i64,
    pub name: String,
    pub kind: StrategyKind,
    pub purpose: String,
    pub team: Option<String>,
    pub channels: Vec<String>,
    pub topics: Vec<String>,
    pub consultations: Vec<String>,
    pub campaigns: Vec<String>,
    pub goals: Vec<Goal>,
    pub phase: StrategyPhase,
    pub next_review: Option<String>,
}

/// A strategy with its goals measured and its next phase judged.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StrategyView {
    pub strategy: Strategy,
    pub goals: Vec<GoalStatus>,
    pub recommendation: Recommendation,
    /// The area scores the recommendation used (the latest assessment), if any.
    pub readiness: Vec<AreaScore>,
    /// The idea campaigns it runs that exist, with their counts.
    pub campaigns: Vec<CampaignRow>,
    /// Outbound messages drafted for it, on trial or past it.
    pub trials: Vec<crate::trials::TrialLine>,
    /// Its reviews, the latest first.
    pub reviews: Vec<ReviewRow>,
    /// The next review date has passed.
    pub review_due: bool,
}

fn parse_list(json: &str, what: &str) -> Result<Vec<String>, AppError> {
    serde_json::from_str(json).map_err(|e| AppError::Invalid(format!("{what}: {e}")))
}

fn strategy_of(row: &StrategyRow) -> Result<Strategy, AppError> {
    Ok(Strategy {
        id: row.id,
        name: row.name.clone(),
        kind: StrategyKind::parse(&row.kind).unwrap_or(StrategyKind::Custom),
        purpose: row.purpose.clone(),
        team: row.team.clone(),
        channels: parse_list(&row.channels_json, "channels")?,
        topics: parse_list(&row.topics_json, "topics")?,
        consultations: parse_list(&row.consultations_json, "consultations")?,
        campaigns: parse_list(&row.campaigns_json, "campaigns")?,
        goals: serde_json::from_str(&row.goals_json)
            .map_err(|e| AppError::Invalid(format!("strategy {}: goals: {e}", row.id)))?,
        phase: StrategyPhase::parse(&row.phase).unwrap_or(StrategyPhase::Pilot),
        next_review: row.next_review.clone(),
    })
}

fn check_goal(i: usize, g: &Goal) -> Result<(), AppError> {
    let bad = |m: &str| Err(AppError::Invalid(format!("goal {}: {m}", i + 1)));
    if !g.target.is_finite() || g.target < 0.0 {
        return bad("the target must be a number of at least 0");
    }
    if g.metric.is_share() && g.target > 1.0 {
        return bad("a share's target is between 0 and 1 (0.8 for 80%)");
    }
    match &g.metric {
        Metric::AnsweredWithin { days } if !(*days > 0.0 && *days <= 30.0) => {
            bad("days must be more than 0 and at most 30")
        }
        Metric::ConsultationParticipants { consultation } if consultation.trim().is_empty() => {
            bad("name the consultation's address")
        }
        Metric::NegativeShareOfTopic { topic } if topic.trim().is_empty() => {
            bad("name the tracked topic")
        }
        Metric::CampaignIdeas { campaign } if campaign.trim().is_empty() => {
            bad("name the idea campaign's address")
        }
        _ => Ok(()),
    }
}

/// A strategy's input, checked and ready to store.
struct Checked {
    name: String,
    kind: StrategyKind,
    phase: StrategyPhase,
    purpose: String,
    team: Option<String>,
    channels: String,
    topics: String,
    consultations: String,
    campaigns: String,
    goals: String,
    next_review: Option<String>,
}

impl Checked {
    fn record<'a>(&'a self, created_by: &'a str) -> NewStrategy<'a> {
        NewStrategy {
            name: &self.name,
            kind: self.kind.as_str(),
            purpose: &self.purpose,
            team: self.team.as_deref(),
            channels_json: &self.channels,
            topics_json: &self.topics,
            consultations_json: &self.consultations,
            campaigns_json: &self.campaigns,
            goals_json: &self.goals,
            phase: self.phase.as_str(),
            next_review: self.next_review.as_deref(),
            created_by,
        }
    }
}

fn check(input: &StrategyInput) -> Result<Checked, AppError> {
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AppError::Invalid("name: 1 to 100 characters".into()));
    }
    let kind = StrategyKind::parse(&input.kind).ok_or_else(|| {
        AppError::Invalid(format!(
            "kind {:?}: use outreach, consultation, innovation, internal_collaboration, customer_service or custom",
            input.kind
        ))
    })?;
    let phase = match input.phase.as_deref().filter(|p| !p.trim().is_empty()) {
        Some(p) => StrategyPhase::parse(p).ok_or_else(|| {
            AppError::Invalid(format!(
                "phase {p:?}: use pilot, limited_public, scaled or institutionalised"
            ))
        })?,
        None => StrategyPhase::Pilot,
    };
    for (i, g) in input.goals.iter().enumerate() {
        check_goal(i, g)?;
    }
    for (field, list) in [
        ("channels", &input.channels),
        ("topics", &input.topics),
        ("consultations", &input.consultations),
        ("campaigns", &input.campaigns),
    ] {
        if list.len() > MAX_LIST || list.iter().any(|x| x.chars().count() > 200) {
            return Err(AppError::Invalid(format!(
                "{field}: at most {MAX_LIST}, each up to 200 characters"
            )));
        }
    }
    let next_review = input
        .next_review
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty());
    if let Some(date) = next_review {
        chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
            .map_err(|_| AppError::Invalid(format!("next review {date:?}: use YYYY-MM-DD")))?;
    }
    let json = |v: &Vec<String>| serde_json::to_string(v).unwrap_or_else(|_| "[]".into());
    Ok(Checked {
        name: name.to_string(),
        kind,
        phase,
        purpose: input.purpose.trim().to_string(),
        team: input
            .team
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string),
        channels: json(&input.channels),
        topics: json(&input.topics),
        consultations: json(&input.consultations),
        campaigns: json(&input.campaigns),
        goals: serde_json::to_string(&input.goals).map_err(|e| AppError::Invalid(e.to_string()))?,
        next_review: next_review.map(str::to_string),
    })
}

/// Create a strategy (in the pilot phase unless told otherwise).
pub fn create(store: &Store, actor: &Actor, input: &StrategyInput) -> Result<Strategy, AppError> {
    actor.require(Permission::ManageStrategies)?;
    let c = check(input)?;
    let detail = format!("{} ({}, {})", c.name, c.kind.as_str(), c.phase.as_str());
    let id = store.create_strategy(
        &c.record(&actor.name),
        &actor.audit("strategy.create", &format!("strategy:{}", c.name), &detail),
    )?;
    get(store, id)
}

/// Change a strategy's name, purpose, team, what it covers, goals and next review. Its phase moves
/// only through [`set_phase`], so every phase change is its own audited step.
pub fn update(
    store: &Store,
    actor: &Actor,
    id: i64,
    input: &StrategyInput,
) -> Result<Strategy, AppError> {
    actor.require(Permission::ManageStrategies)?;
    let before = get(store, id)?;
    let mut c = check(input)?;
    c.phase = before.phase;
    let detail = serde_json::to_string(&before.goals).unwrap_or_default();
    store.update_strategy(
        id,
        &c.record(&actor.name),
        &actor.audit(
            "strategy.update",
            &format!("strategy:{}", c.name),
            &format!("goals before: {detail}"),
        ),
    )?;
    get(store, id)
}

pub fn get(store: &Store, id: i64) -> Result<Strategy, AppError> {
    let row = store
        .strategy(id)?
        .ok_or_else(|| AppError::Invalid(format!("no strategy {id}")))?;
    strategy_of(&row)
}

pub fn list(store: &Store) -> Result<Vec<Strategy>, AppError> {
    store.strategies()?.iter().map(strategy_of).collect()
}

/// Move a strategy to a phase (any: the recommendation advises, people decide), audited.
pub fn set_phase(store: &Store, actor: &Actor, id: i64, phase: &str) -> Result<Strategy, AppError> {
    actor.require(Permission::ManageStrategies)?;
    let phase = StrategyPhase::parse(phase).ok_or_else(|| {
        AppError::Invalid(format!(
            "phase {phase:?}: use pilot, limited_public, scaled or institutionalised"
        ))
    })?;
    let before = get(store, id)?;
    let detail = format!("{} → {}", before.phase.as_str(), phase.as_str());
    store.set_strategy_phase(
        id,
        phase.as_str(),
        &actor.audit(
            "strategy.phase",
            &format!("strategy:{}", before.name),
            &detail,
        ),
    )?;
    get(store, id)
}

/// A metric's value over [since, until) (`None` when there is no data).
pub fn measure(
    store: &Store,
    metric: &Metric,
    since: i64,
    until: i64,
    now: i64,
) -> Result<Option<f64>, AppError> {
    Ok(match metric {
        Metric::AnsweredWithin { days } => answered_within(store, *days, since, until, now)?,
        Metric::ReplyShareOfOwnPosts => {
            let (replies, all) = store.own_reply_counts(since, until)?;
            (all > 0).then(|| replies as f64 / all as f64)
        }
        Metric::ConsultationParticipants { consultation } => {
            match store.consultation_by_slug(consultation.trim())? {
                Some(c) => store.consultation(c.id)?.map(|c| c.participants as f64),
                None => None,
            }
        }
        Metric::NegativeShareOfTopic { topic } => {
            let Some(tracked) = store
                .tracked_topics()?
                .into_iter()
                .find(|t| t.name.eq_ignore_ascii_case(topic.trim()))
            else {
                return Ok(None);
            };
            let query = townhall_core::query::parse(&tracked.query)
                .map_err(|e| AppError::query(&tracked.query, e))?;
            let ids = store.matching_ids(&query)?;
            let (negative, all) = store.negative_counts(&ids)?;
            (all > 0).then(|| negative as f64 / all as f64)
        }
        Metric::IdeasAdopted => {
            Some(crate::ideas::list(store, Some("adopted"), 100_000)?.len() as f64)
        }
        Metric::CampaignIdeas { campaign } => {
            store.campaign(campaign.trim())?.map(|c| c.ideas as f64)
        }
        Metric::MedianFirstResponseHours => crate::inbox_settings::measures(store, None, now)?
            .median_first_response_ms
            .map(|ms| ms as f64 / 3_600_000.0),
    })
}

/// Whether a metric changes week by week (so it has a trend to show).
fn has_weekly_history(metric: &Metric) -> bool {
    matches!(
        metric,
        Metric::AnsweredWithin { .. } | Metric::ReplyShareOfOwnPosts
    )
}

/// The strategy with its goals measured now (and over the past weeks) and its next phase judged by the
/// latest readiness assessment.
pub fn view(store: &Store, id: i64, now: i64) -> Result<StrategyView, AppError> {
    let strategy = get(store, id)?;
    let mut goals = Vec::new();
    for goal in &strategy.goals {
        let value = measure(store, &goal.metric, i64::MIN, i64::MAX, now)?;
        let mut history = Vec::new();
        if has_weekly_history(&goal.metric) {
            // The same measure as it stood one, two, three and four weeks ago (everything up to then),
            // so the trend compares like with like.
            for w in (1..=HISTORY_WEEKS).rev() {
                let until = now - w * WEEK_MS;
                if let Some(v) = measure(store, &goal.metric, i64::MIN, until, until)? {
                    let label = chrono::DateTime::from_timestamp_millis(until)
                        .map(|d| format!("as of {}", d.format("%Y-%m-%d")))
                        .unwrap_or_default();
                    history.push((label, v));
                }
            }
        }
        goals.push(evaluate(goal, value, history));
    }
    let readiness: Vec<AreaScore> = store
        .assessments(1)?
        .first()
        .map(|a| serde_json::from_str(&a.scores_json))
        .transpose()
        .map_err(|e| AppError::Invalid(format!("readiness scores: {e}")))?
        .unwrap_or_default();
    let recommendation = recommend(strategy.kind, strategy.phase, &readiness, &goals);
    let mut campaigns = Vec::new();
    for key in &strategy.campaigns {
        if let Some(c) = store.campaign(key)? {
            campaigns.push(c);
        }
    }
    let trials = crate::trials::list(store)?
        .into_iter()
        .filter(|t| {
            t.strategy
                .as_deref()
                .is_some_and(|s| s.eq_ignore_ascii_case(&strategy.name))
        })
        .collect();
    let today = chrono::DateTime::from_timestamp_millis(now)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default();
    // Dates are YYYY-MM-DD, so they compare as text.
    let review_due = strategy
        .next_review
        .as_deref()
        .is_some_and(|d| !d.is_empty() && d < today.as_str());
    Ok(StrategyView {
        reviews: store.strategy_reviews(strategy.id, REVIEWS_SHOWN)?,
        review_due,
        strategy,
        goals,
        recommendation,
        readiness,
        campaigns,
        trials,
    })
}

/// What a strategy can cover, for the form: channel keys, tracked topics, consultations and idea
/// campaigns (address and title).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct StrategyOptions {
    pub channels: Vec<(String, bool)>,
    pub topics: Vec<String>,
    pub consultations: Vec<(String, String)>,
    pub campaigns: Vec<(String, String)>,
}

pub fn options(store: &Store) -> Result<StrategyOptions, AppError> {
    Ok(StrategyOptions {
        channels: store
            .channels()?
            .into_iter()
            .map(|c| (c.key.to_string(), c.owned))
            .collect(),
        topics: store
            .tracked_topics()?
            .into_iter()
            .map(|t| t.name)
            .collect(),
        consultations: store
            .consultations()?
            .into_iter()
            .map(|c| (c.slug, c.question))
            .collect(),
        campaigns: store
            .campaigns()?
            .into_iter()
            .map(|c| (c.slug, c.title))
            .collect(),
    })
}

/// A review as the person reviewing records it.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ReviewInput {
    /// What was looked at and decided.
    pub note: String,
    /// The next review (YYYY-MM-DD), if one is set.
    #[serde(default)]
    pub next_review: Option<String>,
}

/// Record a review of a strategy (dated today) and set its next review.
pub fn record_review(
    store: &Store,
    actor: &Actor,
    id: i64,
    input: &ReviewInput,
    now: i64,
) -> Result<StrategyView, AppError> {
    actor.require(Permission::ManageStrategies)?;
    let note = input.note.trim();
    if note.is_empty() || note.chars().count() > MAX_REVIEW_NOTE_CHARS {
        return Err(AppError::Invalid(format!(
            "note: say what was reviewed and decided (1 to {MAX_REVIEW_NOTE_CHARS} characters)"
        )));
    }
    let today = chrono::DateTime::from_timestamp_millis(now)
        .map(|d| d.date_naive())
        .ok_or_else(|| AppError::Invalid("the clock is out of range".into()))?;
    let next = input
        .next_review
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty());
    if let Some(date) = next {
        let day = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
            .map_err(|_| AppError::Invalid(format!("next review {date:?}: use YYYY-MM-DD")))?;
        if day <= today {
            return Err(AppError::Invalid(format!(
                "next review {date}: a day after today"
            )));
        }
    }
    let before = get(store, id)?;
    let reviewed_on = today.format("%Y-%m-%d").to_string();
    store.add_strategy_review(
        &NewReview {
            strategy_id: id,
            reviewed_on: &reviewed_on,
            note,
            next_review: next,
            reviewer: &actor.display_name,
        },
        &actor.audit(
            "strategy.review",
            &format!("strategy:{}", before.name),
            &format!("next review {}", next.unwrap_or("none")),
        ),
    )?;
    view(store, id, now)
}
