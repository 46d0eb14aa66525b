//! The progress report in the browser (`/report`, printable) and as a PDF (`/report.pdf`), for the
//! agency's open-government plan and its leadership.

use crate::charts::{bar_chart, Chart};
use crate::chrome::Chrome;
use crate::error::{blocking, PageError};
use crate::pages::render;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use serde::Deserialize;
use townhall_app::accounts::SessionUser;
use townhall_app::progress_report::{build, write_pdf, ProgressReport};
use townhall_app::AppError;
use townhall_strategy::goals::format_value;

struct GoalRow {
    goal: String,
    now: String,
    status: &'static str,
    trend: String,
}

struct StrategySection {
    name: String,
    kind: &'static str,
    phase: &'static str,
    team: String,
    goals: Vec<GoalRow>,
    next: String,
}

#[derive(Template)]
#[template(path = "report.html")]
pub(crate) struct ReportPage {
    title: &'static str,
    chrome: Chrome,
    period: String,
    since: String,
    until: String,
    posts: usize,
    strategies: Vec<StrategySection>,
    readiness: Vec<Chart>,
    topics: Vec<(String, usize)>,
    consultations: Vec<(String, String, Vec<String>)>,
    ideas: Vec<(String, String)>,
    pdf_query: String,
}

fn page(user: Option<&SessionUser>, r: &ProgressReport) -> ReportPage {
    let period = match (&r.since, &r.until) {
        (Some(s), Some(u)) if !s.is_empty() && !u.is_empty() => format!("{s} to {u}"),
        (Some(s), _) if !s.is_empty() => format!("since {s}"),
        (_, Some(u)) if !u.is_empty() => format!("until {u}"),
        _ => "all the data stored".into(),
    };
    let since = r.since.clone().unwrap_or_default();
    let until = r.until.clone().unwrap_or_default();
    ReportPage {
        title: "Progress report",
        chrome: Chrome::of(user),
        pdf_query: format!(
            "since={}&until={}",
            crate::pages::url_encode(&since),
            crate::pages::url_encode(&until)
        ),
        period,
        since,
        until,
        posts: r.posts_in_period,
        strategies: r
            .strategies
            .iter()
            .map(|v| StrategySection {
                name: v.strategy.name.clone(),
                kind: v.strategy.kind.label(),
                phase: v.strategy.phase.label(),
                team: v.strategy.team.clone().unwrap_or_else(|| "—".into()),
                goals: v
                    .goals
                    .iter()
                    .map(|g| GoalRow {
                        goal: g.description.clone(),
                        now: g
                            .value
                            .map_or("no data".into(), |x| format_value(&g.goal.metric, x)),
                        status: if g.met { "met" } else { "not met" },
                        trend: format!("{:?}", g.trend).to_lowercase(),
                    })
                    .collect(),
                next: match v.recommendation.next {
                    Some(next) if v.recommendation.move_now => {
                        format!("Ready to move to {}.", next.label())
                    }
                    Some(next) => format!(
                        "Not ready for {}: {}.",
                        next.label(),
                        v.recommendation
                            .reasons
                            .iter()
                            .filter(|x| !x.met)
                            .map(|x| x.text.as_str())
                            .collect::<Vec<_>>()
                            .join("; ")
                    ),
                    None => "In its last phase.".into(),
                },
            })
            .collect(),
        readiness: if r.readiness.is_empty() {
            Vec::new()
        } else {
            let items: Vec<(String, f64)> = r
                .readiness
                .iter()
                .map(|a| (a.area.label().to_string(), a.score.unwrap_or(0.0).round()))
                .collect();
            vec![bar_chart(
                "readiness",
                "Readiness by practice area",
                "The latest readiness assessment's score in each practice area, out of 100.",
                ("Practice area", "Score (of 100)"),
                &items,
            )]
        },
        topics: r
            .top_topics
            .iter()
            .map(|t| (t.label.clone(), t.posts))
            .collect(),
        consultations: r
            .consultations
            .iter()
            .map(|c| {
                (
                    c.question.clone(),
                    format!(
                        "{}: {} participants, {} votes, {} opinion groups",
                        c.phase, c.participants, c.votes, c.groups
                    ),
                    c.common_ground.clone(),
                )
            })
            .collect(),
        ideas: r
            .ideas_adopted
            .iter()
            .map(|i| (i.title.clone(), i.reason.clone()))
            .collect(),
    }
}

/// The report as a standalone HTML page (what `townhall report --out FILE.html` writes).
pub fn report_html(r: &ProgressReport) -> String {
    page(None, r).render().unwrap_or_default()
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct PeriodQuery {
    #[serde(default)]
    since: String,
    #[serde(default)]
    until: String,
}

fn period(q: &PeriodQuery) -> (Option<String>, Option<String>) {
    let f = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    (f(&q.since), f(&q.until))
}

async fn build_report(state: &AppState, q: &PeriodQuery) -> Result<ProgressReport, PageError> {
    let (since, until) = period(q);
    let (store, insights, consultations) = (
        state.store.clone(),
        state.insights.clone(),
        state.consultations.clone(),
    );
    Ok(blocking(move || {
        build(
            &store,
            &insights,
            &consultations,
            since.as_deref(),
            until.as_deref(),
            chrono::Utc::now().timestamp_millis(),
        )
    })
    .await?)
}

pub(crate) async fn report(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, PageError> {
    let r = build_report(&state, &q).await?;
    Ok(render(StatusCode::OK, &page(Some(&user), &r)))
}

pub(crate) async fn report_pdf(
    State(state): State<AppState>,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, PageError> {
    let r = build_report(&state, &q).await?;
    let dir = state.store.dir().join("reports");
    let bytes = blocking(move || {
        std::fs::create_dir_all(&dir)
            .map_err(|e| AppError::Invalid(format!("{}: {e}", dir.display())))?;
        let mut name = [0u8; 8];
        getrandom::fill(&mut name).map_err(|e| AppError::Invalid(e.to_string()))?;
        let path = dir.join(format!(
            "report-{}.pdf",
            name.iter().map(|b| format!("{b:02x}")).collect::<String>()
        ));
        write_pdf(&r, &path)?;
        let bytes =
            std::fs::read(&path).map_err(|e| AppError::Invalid(format!("{}: {e}", path.display())));
        let _ = std::fs::remove_file(&path);
        bytes
    })
    .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"townhall-progress-report.pdf\"",
            ),
        ],
        bytes,
    )
        .into_response())
}
