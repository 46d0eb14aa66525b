//! The readiness assessment over the store: the questionnaire with answers suggested from the data
//! (measured response times, where the public is, employee pilots, staff taking part), taken and kept
//! over time with its area scores.

use crate::actor::Actor;
use crate::AppError;
use townhall_core::Permission;
use townhall_engage::BusinessHours;
use townhall_store::{Store, TeamSettings};
use townhall_strategy::readiness::{
    check, score, suggest, Answer, AreaScore, DataFacts, Question, QUESTIONS,
};

/// Longest evidence kept per answer.
pub const MAX_EVIDENCE_CHARS: usize = 2_000;
/// Assessments shown in the history.
const HISTORY: usize = 50;

/// One question as the form shows it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct QuestionView {
    pub question: Question,
    /// What the data says, when it can answer.
    pub suggested: Option<(u8, String)>,
    /// The answer given last time.
    pub last: Option<Answer>,
}

/// An assessment as taken.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Assessment {
    pub id: i64,
    pub taken_at: i64,
    pub taken_by: String,
    pub answers: Vec<Answer>,
    pub scores: Vec<AreaScore>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ReadinessView {
    pub questions: Vec<QuestionView>,
    pub facts: DataFacts,
    /// Newest first.
    pub history: Vec<Assessment>,
    /// What the latest assessment recommends for each strategy: move to its next phase now, or wait.
    pub recommendations: Vec<StrategyAdvice>,
}

/// One strategy's recommendation.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StrategyAdvice {
    pub id: i64,
    pub name: String,
    pub recommendation: townhall_strategy::recommend::Recommendation,
}

/// The length of one business day of these hours (end 00:00 means midnight).
fn business_day_ms(hours: &BusinessHours) -> i64 {
    use chrono::{NaiveTime, Timelike};
    let start = i64::from(hours.start.num_seconds_from_midnight());
    let end = if hours.end == NaiveTime::MIN {
        86_400
    } else {
        i64::from(hours.end.num_seconds_from_midnight())
    };
    (end - start) * 1_000
}

/// Share of the public's questions (inbox cases) first answered within one business day of their
/// team (cases still inside that day are left out).
fn answered_within_a_day(store: &Store, now: i64) -> Result<Option<f64>, AppError> {
    answered_within(store, 1.0, i64::MIN, i64::MAX, now)
}

/// Share of the inbox cases opened in [since, until) first answered within `days` business days of
/// their team's hours (cases still inside that time, unanswered, are left out).
pub(crate) fn answered_within(
    store: &Store,
    days: f64,
    since: i64,
    until: i64,
    now: i64,
) -> Result<Option<f64>, AppError> {
    let teams = store.all_team_settings()?;
    let hours_of = |team: Option<&str>| -> BusinessHours {
        let s = team
            .and_then(|t| teams.iter().find(|s| s.team == t).cloned())
            .unwrap_or_else(|| TeamSettings::default_for(team.unwrap_or("")));
        BusinessHours::parse(&s.timezone, &s.days, &s.day_start, &s.day_end)
            .unwrap_or_else(|_| BusinessHours::always())
    };
    let (mut within, mut counted) = (0u64, 0u64);
    for case in store.case_facts(since)? {
        if case.opened_at >= until {
            continue;
        }
        let hours = hours_of(case.team.as_deref());
        let day_ms = ((business_day_ms(&hours) as f64) * days).max(1.0) as i64;
        let end = case.first_response_at.unwrap_or(now);
        let waited = hours.business_ms_between(case.opened_at, end);
        match case.first_response_at {
            Some(_) => {
                counted += 1;
                within += u64::from(waited <= day_ms);
            }
            None if waited > day_ms => counted += 1,
            None => {}
        }
    }
    Ok((counted > 0).then(|| within as f64 / counted as f64))
}

/// What the data says for the questions it can answer.
pub fn data_facts(store: &Store, now: i64) -> Result<DataFacts, AppError> {
    let counts = store.readiness_counts()?;
    Ok(DataFacts {
        answered_within_a_day: answered_within_a_day(store, now)?,
        public_channels: counts.public_channels as usize,
        employee_pilots: counts.employee_pilots as usize,
        staff_working: counts.staff_working as usize,
        staff_total: counts.staff_total as usize,
    })
}

fn assessment_of(row: townhall_store::AssessmentRow) -> Result<Assessment, AppError> {
    let bad = |e: serde_json::Error| AppError::Invalid(format!("assessment {}: {e}", row.id));
    Ok(Assessment {
        id: row.id,
        taken_at: row.taken_at,
        answers: serde_json::from_str(&row.answers_json).map_err(bad)?,
        scores: serde_json::from_str(&row.scores_json).map_err(bad)?,
        taken_by: row.taken_by,
    })
}

/// The questionnaire with suggestions and the last answers, the data's facts and the history.
pub fn view(store: &Store, now: i64) -> Result<ReadinessView, AppError> {
    let facts = data_facts(store, now)?;
    let history: Vec<Assessment> = store
        .assessments(HISTORY)?
        .into_iter()
        .map(assessment_of)
        .collect::<Result<_, _>>()?;
    let last = history.first();
    let questions = QUESTIONS
        .iter()
        .map(|q| QuestionView {
            question: *q,
            suggested: q.data.and_then(|d| suggest(d, &facts)),
            last: last.and_then(|a| a.answers.iter().find(|x| x.question == q.id).cloned()),
        })
        .collect();
    let recommendations = crate::strategies::list(store)?
        .iter()
        .map(|s| {
            crate::strategies::view(store, s.id, now).map(|v| StrategyAdvice {
                id: s.id,
                name: s.name.clone(),
                recommendation: v.recommendation,
            })
        })
        .collect::<Result<_, _>>()?;
    Ok(ReadinessView {
        questions,
        facts,
        history,
        recommendations,
    })
}

/// Take the assessment: check the answers, score the areas, keep both (audited).
pub fn take(store: &Store, actor: &Actor, answers: Vec<Answer>) -> Result<Assessment, AppError> {
    actor.require(Permission::ManageStrategies)?;
    check(&answers).map_err(|e| AppError::Invalid(e.to_string()))?;
    if answers.is_empty() {
        return Err(AppError::Invalid("answer at least one question".into()));
    }
    let answers: Vec<Answer> = answers
        .into_iter()
        .map(|a| Answer {
            evidence: a.evidence.trim().chars().take(MAX_EVIDENCE_CHARS).collect(),
            ..a
        })
        .collect();
    let scores = score(&answers);
    let answers_json =
        serde_json::to_string(&answers).map_err(|e| AppError::Invalid(e.to_string()))?;
    let scores_json =
        serde_json::to_string(&scores).map_err(|e| AppError::Invalid(e.to_string()))?;
    let detail = scores
        .iter()
        .map(|s| {
            format!(
                "{} {}",
                s.area.label(),
                s.score.map_or("-".into(), |v| format!("{v:.0}"))
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    let id = store.save_assessment(
        &actor.name,
        &answers_json,
        &scores_json,
        &actor.audit("readiness.assess", "readiness", &detail),
    )?;
    let row = store
        .assessments(HISTORY)?
        .into_iter()
        .find(|a| a.id == id)
        .ok_or_else(|| AppError::Invalid("the assessment vanished".into()))?;
    assessment_of(row)
}
