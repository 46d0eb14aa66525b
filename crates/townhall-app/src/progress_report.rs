//! The progress report for the agency's open-government plan and its leadership: per strategy its
//! goals, values, trend and phase; the readiness scores; and the period's highlights (top topics,
//! consultations and their common ground, ideas adopted). The web renders it as HTML; this module
//! also writes it as a PDF with the binary itself (the PDF's built-in Helvetica, no external service).

use crate::consultations::Consultations;
use crate::insights::{InsightRequest, Insights};
use crate::strategies::{list, view, StrategyView};
use crate::AppError;
use chrono::NaiveDate;
use std::path::Path;
use townhall_store::Store;
use townhall_strategy::goals::format_value;
use townhall_strategy::readiness::AreaScore;

#[derive(Debug, Clone, serde::Serialize)]
pub struct TopicLine {
    pub label: String,
    pub posts: usize,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ConsultationLine {
    pub question: String,
    pub phase: String,
    pub participants: u64,
    pub votes: u64,
    pub groups: usize,
    /// Statements nearly everyone agrees (or disagrees) with, with the share.
    pub common_ground: Vec<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct IdeaLine {
    pub title: String,
    pub reason: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ProgressReport {
    pub since: Option<String>,
    pub until: Option<String>,
    pub generated_at: i64,
    pub strategies: Vec<StrategyView>,
    /// The latest readiness scores and when they were taken.
    pub readiness: Vec<AreaScore>,
    pub readiness_taken_at: Option<i64>,
    pub top_topics: Vec<TopicLine>,
    pub posts_in_period: usize,
    pub consultations: Vec<ConsultationLine>,
    pub ideas_adopted: Vec<IdeaLine>,
}

fn day_bound(what: &str, value: Option<&str>, end: bool) -> Result<Option<i64>, AppError> {
    let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let date = NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .map_err(|_| AppError::Invalid(format!("{what} {v:?}: use YYYY-MM-DD")))?;
    let date = if end {
        date.succ_opt().unwrap_or(date)
    } else {
        date
    };
    Ok(date
        .and_hms_opt(0, 0, 0)
        .map(|t| t.and_utc().timestamp_millis()))
}

/// Build the report for [since, until] (dates, both optional).
pub fn build(
    store: &Store,
    insights: &Insights,
    consultations: &Consultations,
    since: Option<&str>,
    until: Option<&str>,
    now: i64,
) -> Result<ProgressReport, AppError> {
    let since_ms = day_bound("since", since, false)?.unwrap_or(i64::MIN);
    let until_ms = day_bound("until", until, true)?.unwrap_or(i64::MAX);
    let strategies = list(store)?
        .iter()
        .map(|s| view(store, s.id, now))
        .collect::<Result<Vec<_>, _>>()?;
    let latest = store.assessments(1)?.into_iter().next();
    let readiness = match &latest {
        Some(a) => serde_json::from_str(&a.scores_json)
            .map_err(|e| AppError::Invalid(format!("readiness scores: {e}")))?,
        None => Vec::new(),
    };
    let insight = insights.report(
        store,
        &InsightRequest {
            since: since.map(str::to_string).filter(|s| !s.trim().is_empty()),
            until: until.map(str::to_string).filter(|s| !s.trim().is_empty()),
            ..InsightRequest::default()
        },
    )?;
    let top_topics = insight
        .report
        .topics
        .discovered
        .iter()
        .take(5)
        .map(|t| TopicLine {
            label: t.label.clone(),
            posts: t.size,
        })
        .collect();
    let mut consultation_lines = Vec::new();
    for c in store.consultations()? {
        if c.created_at >= until_ms {
            continue;
        }
        let results = consultations.results(store, c.id)?;
        consultation_lines.push(ConsultationLine {
            question: c.question.clone(),
            phase: c.phase.clone(),
            participants: c.participants,
            votes: c.votes,
            groups: results.groups.len(),
            common_ground: results
                .consensus
                .iter()
                .take(3)
                .map(|l| format!("{:.0}% {}: {}", l.share * 100.0, l.side, l.text))
                .collect(),
        });
    }
    let ideas_adopted = crate::ideas::list(store, Some("adopted"), 10_000)?
        .into_iter()
        .filter(|i| i.updated_at >= since_ms && i.updated_at < until_ms)
        .map(|i| IdeaLine {
            title: i.title,
            reason: i.reason,
        })
        .collect();
    Ok(ProgressReport {
        since: since.map(str::to_string),
        until: until.map(str::to_string),
        generated_at: now,
        strategies,
        readiness,
        readiness_taken_at: latest.map(|a| a.taken_at),
        top_topics,
        posts_in_period: insight.scope.posts,
        consultations: consultation_lines,
        ideas_adopted,
    })
}

/// The report's content as headed lines and tables, shared by the PDF (and its tests).
pub fn outline(report: &ProgressReport) -> Vec<Block> {
    let mut blocks = vec![Block::Title(
        "Social media strategies: progress report".into(),
    )];
    let period = match (&report.since, &report.until) {
        (Some(s), Some(u)) => format!("From {s} to {u}."),
        (Some(s), None) => format!("Since {s}."),
        (None, Some(u)) => format!("Until {u}."),
        (None, None) => "All the data stored.".into(),
    };
    let generated = chrono::DateTime::from_timestamp_millis(report.generated_at)
        .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_default();
    blocks.push(Block::Text(format!(
        "{period} {} posts in the period. Generated {generated}.",
        report.posts_in_period
    )));
    blocks.push(Block::Heading("Strategies".into()));
    if report.strategies.is_empty() {
        blocks.push(Block::Text("No strategies yet.".into()));
    }
    for v in &report.strategies {
        let s = &v.strategy;
        blocks.push(Block::Subheading(format!(
            "{} ({}, {})",
            s.name,
            s.kind.label(),
            s.phase.label()
        )));
        let mut rows = Vec::new();
        for g in &v.goals {
            rows.push(vec![
                g.description.clone(),
                g.value
                    .map_or("no data".into(), |x| format_value(&g.goal.metric, x)),
                if g.met {
                    "met".into()
                } else {
                    "not met".into()
                },
                format!("{:?}", g.trend).to_lowercase(),
            ]);
        }
        if rows.is_empty() {
            blocks.push(Block::Text("No measured goals yet.".into()));
        } else {
            blocks.push(Block::Table {
                headings: vec!["Goal".into(), "Now".into(), "Status".into(), "Trend".into()],
                rows,
            });
        }
        if let Some(next) = v.recommendation.next {
            let blocking: Vec<&str> = v
                .recommendation
                .reasons
                .iter()
                .filter(|r| !r.met)
                .map(|r| r.text.as_str())
                .collect();
            blocks.push(Block::Text(if v.recommendation.move_now {
                format!("Ready to move to {}.", next.label())
            } else {
                format!("Not ready for {}: {}.", next.label(), blocking.join("; "))
            }));
        }
    }
    blocks.push(Block::Heading("Readiness".into()));
    if report.readiness.is_empty() {
        blocks.push(Block::Text(
            "The readiness assessment has not been taken yet.".into(),
        ));
    } else {
        blocks.push(Block::Bars(
            report
                .readiness
                .iter()
                .map(|a| (a.area.label().to_string(), a.score.unwrap_or(0.0)))
                .collect(),
        ));
    }
    blocks.push(Block::Heading("Highlights".into()));
    blocks.push(Block::Subheading("Top topics".into()));
    if report.top_topics.is_empty() {
        blocks.push(Block::Text("No topics in the period.".into()));
    } else {
        blocks.push(Block::Table {
            headings: vec!["Topic".into(), "Posts".into()],
            rows: report
                .top_topics
                .iter()
                .map(|t| vec![t.label.clone(), t.posts.to_string()])
                .collect(),
        });
    }
    blocks.push(Block::Subheading(
        "Consultations and their common ground".into(),
    ));
    if report.consultations.is_empty() {
        blocks.push(Block::Text("No consultations.".into()));
    }
    for c in &report.consultations {
        blocks.push(Block::Text(format!(
            "{} ({}): {} participants, {} votes, {} opinion groups.",
            c.question, c.phase, c.participants, c.votes, c.groups
        )));
        for line in &c.common_ground {
            blocks.push(Block::Bullet(line.clone()));
        }
    }
    blocks.push(Block::Subheading("Ideas adopted".into()));
    if report.ideas_adopted.is_empty() {
        blocks.push(Block::Text("No idea adopted in the period.".into()));
    }
    for i in &report.ideas_adopted {
        blocks.push(Block::Bullet(format!("{}: {}", i.title, i.reason)));
    }
    blocks
}

/// A piece of the report's layout.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Title(String),
    Heading(String),
    Subheading(String),
    Text(String),
    Bullet(String),
    Table {
        headings: Vec<String>,
        rows: Vec<Vec<String>>,
    },
    /// A bar chart of values out of 100.
    Bars(Vec<(String, f64)>),
}

/// Write the report as a PDF at `path`.
pub fn write_pdf(report: &ProgressReport, path: &Path) -> Result<(), AppError> {
    crate::report_pdf::write(&outline(report), path)
        .map_err(|e| AppError::Invalid(format!("{}: {e}", path.display())))
}
