//! The insight pages beside the overview: topics, language, communities and engagement. Each shows the
//! figures of one section of the insight report, with charts (summary and data table) and drill-down links
//! to the posts behind every figure.

use crate::charts::{bar_chart, column_chart, Chart};
use crate::chrome::Chrome;
use crate::error::ApiError;
use crate::pages::{render, url_encode};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Extension;
use townhall_app::accounts::SessionUser;
use townhall_app::insights::{InsightRequest, InsightResponse};

/// The insight report over every stored post (kept between requests by the engine).
pub(crate) async fn whole_store_report(state: &AppState) -> Result<InsightResponse, ApiError> {
    let (store, insights) = (state.store.clone(), state.insights.clone());
    Ok(
        tokio::task::spawn_blocking(move || insights.report(&store, &InsightRequest::default()))
            .await??,
    )
}

/// The explore page for a query: the drill-down of a figure.
pub(crate) fn explore_href(query: &str) -> String {
    format!("/explore?q={}", url_encode(query))
}

pub(crate) fn percent(share: f64) -> String {
    format!("{:.0} %", share * 100.0)
}

/// A term with the search that lists its posts.
struct Linked {
    text: String,
    href: String,
    posts: u64,
    detail: String,
}

struct TopicRow {
    label: String,
    phrases: String,
    size: usize,
    share: String,
    coherence: String,
    mood: String,
    languages: String,
    href: String,
    examples: Vec<String>,
}

struct TrackedRow {
    name: String,
    query: String,
    posts: usize,
    mood: String,
    href: String,
}

#[derive(Template)]
#[template(path = "topics.html")]
struct TopicsPage {
    title: &'static str,
    chrome: Chrome,
    charts: Vec<Chart>,
    coherence: String,
    fitted_on: usize,
    topics: Vec<TopicRow>,
    tracked: Vec<TrackedRow>,
}

fn mood_of(mean: f64, negative_share: f64) -> String {
    format!("{mean:+.2}, {} negative", percent(negative_share))
}

pub(crate) async fn topics(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
) -> Result<Response, ApiError> {
    let response = whole_store_report(&state).await?;
    let report = &response.report.topics;
    let sizes: Vec<(String, f64)> = report
        .discovered
        .iter()
        .map(|t| (t.label.clone(), t.size as f64))
        .collect();
    let mut charts = Vec::new();
    if let Some(first) = sizes.first() {
        charts.push(bar_chart(
            "topic-sizes",
            "Topics by size",
            &format!(
                "{} topics cover {} posts; the largest is \u{201c}{}\u{201d}.",
                sizes.len(),
                report.posts_with_topic,
                first.0
            ),
            ("Topic", "Posts"),
            &sizes,
        ));
    }
    let page = TopicsPage {
        title: "Topics",
        chrome: Chrome::of(Some(&user)),
        charts,
        coherence: report
            .coherence
            .map_or_else(|| "—".into(), |c| format!("{c:.3}")),
        fitted_on: report.fitted_on,
        topics: report
            .discovered
            .iter()
            .map(|t| TopicRow {
                label: t.label.clone(),
                phrases: t.key_phrases.join(", "),
                size: t.size,
                share: percent(t.share),
                coherence: t
                    .coherence
                    .map_or_else(|| "—".into(), |c| format!("{c:.3}")),
                mood: mood_of(t.sentiment.mean_compound, t.sentiment.negative_share),
                languages: t
                    .languages
                    .iter()
                    .take(3)
                    .map(|l| format!("{} {}", l.lang, percent(l.share)))
                    .collect::<Vec<_>>()
                    .join(", "),
                href: explore_href(&t.drill),
                examples: t
                    .representative_posts
                    .iter()
                    .take(3)
                    .map(|id| format!("/posts/{id}"))
                    .collect(),
            })
            .collect(),
        tracked: report
            .tracked
            .iter()
            .map(|t| TrackedRow {
                name: t.name.clone(),
                query: t.query.clone(),
                posts: t.posts,
                mood: mood_of(t.sentiment.mean_compound, t.sentiment.negative_share),
                href: explore_href(&t.query),
            })
            .collect(),
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "language.html")]
struct LanguagePage {
    title: &'static str,
    chrome: Chrome,
    charts: Vec<Chart>,
    public_only: Vec<Linked>,
    agency_only: Vec<Linked>,
}

pub(crate) async fn language(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
) -> Result<Response, ApiError> {
    let response = whole_store_report(&state).await?;
    let report = &response.report.language;
    let shares: Vec<(String, f64)> = report
        .languages
        .iter()
        .map(|l| (l.lang.clone(), l.posts as f64))
        .collect();
    let mut charts = Vec::new();
    if let Some(first) = report.languages.first() {
        charts.push(bar_chart(
            "languages",
            "Languages",
            &format!(
                "{} languages; {} is {} of the posts.",
                shares.len(),
                first.lang,
                percent(first.share)
            ),
            ("Language", "Posts"),
            &shares,
        ));
    }
    let linked = |terms: &[townhall_insight::vocabulary::GapTerm]| -> Vec<Linked> {
        terms
            .iter()
            .map(|t| Linked {
                text: t.term.clone(),
                href: explore_href(&t.drill),
                posts: t.posts,
                detail: format!("{} authors", t.authors),
            })
            .collect()
    };
    let page = LanguagePage {
        title: "Language",
        chrome: Chrome::of(Some(&user)),
        charts,
        public_only: linked(&report.vocabulary_gap.public_only),
        agency_only: linked(&report.vocabulary_gap.agency_only),
    };
    Ok(render(StatusCode::OK, &page))
}

struct CommunityRow {
    id: u32,
    size: u32,
    own_voices: u32,
    voices: Vec<Linked>,
    topics: String,
    languages: String,
}

#[derive(Template)]
#[template(path = "communities.html")]
struct CommunitiesPage {
    title: &'static str,
    chrome: Chrome,
    voices: usize,
    ties: usize,
    modularity: String,
    community_count: usize,
    communities: Vec<CommunityRow>,
    bridges: Vec<Linked>,
}

pub(crate) async fn communities(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
) -> Result<Response, ApiError> {
    let response = whole_store_report(&state).await?;
    let report = &response.report.communities;
    let labels = |shares: &[townhall_insight::communities_report::LabelShare]| {
        shares
            .iter()
            .take(3)
            .map(|s| format!("{} ({})", s.label, s.posts))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let page = CommunitiesPage {
        title: "Communities",
        chrome: Chrome::of(Some(&user)),
        voices: report.voices,
        ties: report.ties,
        modularity: format!("{:.3}", report.modularity),
        community_count: report.community_count,
        communities: report
            .communities
            .iter()
            .map(|c| CommunityRow {
                id: c.id,
                size: c.size,
                own_voices: c.own_voices,
                voices: c
                    .voices
                    .iter()
                    .take(5)
                    .map(|v| Linked {
                        text: v.voice.clone(),
                        href: explore_href(&v.drill),
                        posts: 0,
                        detail: if v.own {
                            "agency".into()
                        } else {
                            String::new()
                        },
                    })
                    .collect(),
                topics: labels(&c.topics),
                languages: labels(&c.languages),
            })
            .collect(),
        bridges: report
            .bridges
            .iter()
            .map(|b| Linked {
                href: explore_href(&format!(
                    "from:{}",
                    townhall_insight::presence::quote_if_needed(&b.voice)
                )),
                text: b.voice.clone(),
                posts: 0,
                detail: format!(
                    "community {}, links {} others, participation {:.2}",
                    b.community,
                    b.linked_communities.len(),
                    b.participation
                ),
            })
            .collect(),
    };
    Ok(render(StatusCode::OK, &page))
}

struct EngagementRowView {
    key: String,
    total: u64,
    original: u64,
    reply: u64,
    quote: u64,
    repost: u64,
    conversational: String,
}

struct ReceptionRow {
    href: String,
    account: String,
    replies: u32,
    mood: String,
}

#[derive(Template)]
#[template(path = "engagement.html")]
struct EngagementPage {
    title: &'static str,
    chrome: Chrome,
    charts: Vec<Chart>,
    questions: u64,
    answered: u64,
    answered_share: String,
    median: String,
    questions_href: String,
    by_account: Vec<EngagementRowView>,
    by_week: Vec<EngagementRowView>,
    drew_replies: Vec<ReceptionRow>,
    drew_silence: Vec<ReceptionRow>,
    inbox: InboxSummary,
}

/// The inbox's measures as the engagement page shows them.
struct InboxSummary {
    cases: u64,
    responded: u64,
    response_rate: String,
    median: String,
    p90: String,
    chart: Option<Chart>,
    /// Team, under a day, 1–3 days, 3–7 days, over a week, total.
    backlog: Vec<(String, u64, u64, u64, u64, u64)>,
    /// Name, answered, total, share.
    by_channel: Vec<(String, u64, u64, String)>,
    by_topic: Vec<(String, u64, u64, String)>,
    /// Week of, opened, responded, rate, median, p90.
    weeks: Vec<(String, u64, u64, String, String, String)>,
}

fn duration_or_dash(ms: Option<i64>) -> String {
    ms.map_or_else(|| "—".into(), townhall_engage::describe_duration)
}

fn share_or_dash(share: Option<f64>) -> String {
    share.map_or_else(|| "—".into(), percent)
}

fn inbox_summary(m: &townhall_engage::InboxMeasures) -> InboxSummary {
    let shares = |rows: &[townhall_engage::Share]| {
        rows.iter()
            .map(|r| (r.name.clone(), r.answered, r.total, percent(r.share)))
            .collect()
    };
    let chart = (!m.weeks.is_empty()).then(|| {
        column_chart(
            "inbox-weeks",
            "Share of cases answered, by the week they were opened",
            &format!(
                "{} of {} cases answered ({}).",
                m.responded,
                m.cases,
                share_or_dash(m.response_rate)
            ),
            ("Week of", "Answered (%)"),
            &m.weeks
                .iter()
                .map(|w| {
                    (
                        w.week_start.to_string(),
                        w.response_rate.map_or(0.0, |r| (r * 1000.0).round() / 10.0),
                    )
                })
                .collect::<Vec<_>>(),
        )
    });
    InboxSummary {
        cases: m.cases,
        responded: m.responded,
        response_rate: share_or_dash(m.response_rate),
        median: duration_or_dash(m.median_first_response_ms),
        p90: duration_or_dash(m.p90_first_response_ms),
        chart,
        backlog: m
            .backlog
            .iter()
            .map(|b| {
                (
                    b.label().to_string(),
                    b.under_1_day,
                    b.days_1_to_3,
                    b.days_3_to_7,
                    b.over_7_days,
                    b.total,
                )
            })
            .collect(),
        by_channel: shares(&m.by_channel),
        by_topic: shares(&m.by_topic),
        weeks: m
            .weeks
            .iter()
            .map(|w| {
                (
                    w.week_start.to_string(),
                    w.opened,
                    w.responded,
                    share_or_dash(w.response_rate),
                    duration_or_dash(w.median_first_response_ms),
                    duration_or_dash(w.p90_first_response_ms),
                )
            })
            .collect(),
    }
}

pub(crate) async fn engagement(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
) -> Result<Response, ApiError> {
    let response = whole_store_report(&state).await?;
    let store = state.store.clone();
    let measures = crate::error::blocking(move || {
        townhall_app::inbox_settings::measures(&store, None, chrono::Utc::now().timestamp_millis())
    })
    .await?;
    let e = &response.report.engagement;
    let mut charts = Vec::new();
    if e.kinds.total > 0 {
        charts.push(bar_chart(
            "kinds",
            "Conversation or broadcast",
            &format!(
                "Of the agency's {} posts, {} are conversation (replies and quotes).",
                e.kinds.total,
                percent(e.kinds.conversational_share)
            ),
            ("Kind of post", "Posts"),
            &[
                ("Original".into(), e.kinds.original as f64),
                ("Reply".into(), e.kinds.reply as f64),
                ("Quote".into(), e.kinds.quote as f64),
                ("Repost".into(), e.kinds.repost as f64),
            ],
        ));
    }
    let rows = |rows: &[townhall_insight::engagement::EngagementRow]| -> Vec<EngagementRowView> {
        rows.iter()
            .map(|r| EngagementRowView {
                key: r.key.clone(),
                total: r.kinds.total,
                original: r.kinds.original,
                reply: r.kinds.reply,
                quote: r.kinds.quote,
                repost: r.kinds.repost,
                conversational: percent(r.kinds.conversational_share),
            })
            .collect()
    };
    let reception = |posts: &[townhall_insight::engagement::OwnPostReception]| {
        posts
            .iter()
            .map(|p| ReceptionRow {
                href: format!("/posts/{}", p.post_id),
                account: p.account.clone(),
                replies: p.stored_replies,
                mood: p
                    .mean_reply_sentiment
                    .map_or_else(|| "—".into(), |m| format!("{m:+.2}")),
            })
            .collect()
    };
    let page = EngagementPage {
        title: "Engagement",
        chrome: Chrome::of(Some(&user)),
        charts,
        questions: e.questions.public_questions,
        answered: e.questions.answered,
        answered_share: percent(e.questions.answered_share),
        median: e
            .questions
            .median_minutes_to_first_answer
            .map_or_else(|| "—".into(), |m| format!("{m:.0} minutes")),
        questions_href: explore_href(&e.questions.drill),
        by_account: rows(&e.by_account),
        by_week: rows(&e.by_week),
        drew_replies: reception(&response.report.sentiment.reception.drew_replies),
        drew_silence: reception(&response.report.sentiment.reception.drew_silence),
        inbox: inbox_summary(&measures),
    };
    Ok(render(StatusCode::OK, &page))
}
